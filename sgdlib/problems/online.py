r"""Reddi, Kale and Kumar's online problem, on which Adam converges to the worst point.

At step :math:`t = 1, 2, \dots` the loss is linear in :math:`x \in [-1, 1]`:

.. math:: f_t(x) = \begin{cases} C\,x & t \bmod 3 = 1 \\ -x & \text{otherwise,} \end{cases}
          \qquad C > 2,

so the gradient is :math:`g_t = C` once, then :math:`-1` twice, over and over. Over one period
the losses add up to :math:`(C - 2)\,x`, so the best fixed point is :math:`x^\star = -1`. With
:math:`\beta_1 = 0` and :math:`\beta_2 = 1/(1 + C^2)`, Adam's rare large gradient :math:`C` is
divided by a large :math:`\sqrt{v}` and its frequent small ones by a small :math:`\sqrt{v}`, so the
two steps of :math:`-1` outweigh the one of :math:`C` and Adam drifts to :math:`x = +1`; AMSGrad,
which keeps the largest :math:`v` seen, does not.

Examples
--------
>>> import numpy as np
>>> problem = ReddiOnline(C=3.0)
>>> problem.gradients(6)
array([ 3., -1., -1.,  3., -1., -1.])
>>> problem.adam_beta2
0.1
>>> problem.regret(np.full(6, -1.0))       # the best fixed point has no regret
0.0

References
----------
Reddi, Kale, Kumar, "On the convergence of Adam and beyond", ICLR 2018, Section 3 (Theorem 1).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_array, check_int, check_number

__all__ = ["ReddiOnline"]


class ReddiOnline:
    r"""The online problem :math:`f_t(x) = C x` if :math:`t \bmod 3 = 1`, else :math:`-x`, on :math:`[-1, 1]`.

    Parameters
    ----------
    C : float, default 3
        The large gradient, :math:`C > 2` (so that :math:`x^\star = -1`).

    Attributes
    ----------
    C : float
    optimum : float
        :math:`x^\star = -1`, the best fixed point.
    adam_beta2 : float
        :math:`1/(1 + C^2)`, the :math:`\beta_2` of Reddi et al.'s Theorem 1.

    Examples
    --------
    >>> ReddiOnline(C=10.0).adam_beta2
    0.009900990099009901
    >>> ReddiOnline(C=2.0)
    Traceback (most recent call last):
    ...
    ValueError: C must be > 2, got 2.0
    """

    optimum = -1.0

    def __init__(self, C: float = 3.0):
        self.C = check_number("C", C, low=2.0, low_open=True)
        self.adam_beta2 = 1.0 / (1.0 + self.C**2)

    def __repr__(self) -> str:
        return f"ReddiOnline(C={self.C!r})"

    def grad(self, t: int | ArrayLike) -> float | np.ndarray:
        """The gradient :math:`g_t` of step ``t`` (1-based, as in the paper): ``C`` or ``-1``.

        Examples
        --------
        >>> ReddiOnline().grad(1), ReddiOnline().grad(2), ReddiOnline().grad(np.array([3, 4]))
        (3.0, -1.0, array([-1.,  3.]))
        """
        steps = _steps(t)
        g = np.where(steps % 3 == 1, self.C, -1.0)
        return float(g) if g.ndim == 0 else g

    def gradients(self, steps: int) -> np.ndarray:
        """The gradients :math:`g_1, \\dots, g_T` of the first ``steps`` steps, shape ``(steps,)``.

        Parameters
        ----------
        steps : int
            :math:`T \\ge 0`, as ``steps`` in :func:`sgdlib.problems.run`.

        Returns
        -------
        ndarray of shape (steps,)

        Examples
        --------
        >>> ReddiOnline(C=4.0).gradients(4)
        array([ 4., -1., -1.,  4.])
        """
        steps = check_int("steps", steps, low=0)
        return np.asarray(self.grad(np.arange(1, steps + 1)), dtype=float).reshape(steps)

    def regret(self, xs: ArrayLike) -> float | np.ndarray:
        r"""The regret :math:`R_T = \sum_{t=1}^T f_t(x_t) - f_t(x^\star)` of the points ``xs``.

        Parameters
        ----------
        xs : array of shape (T,) or (T, ...)
            ``xs[t - 1]`` is :math:`x_t`, the point played at step ``t`` (before its update).

        Returns
        -------
        float, or an array of shape ``xs.shape[1:]`` (one regret per run)

        Examples
        --------
        >>> ReddiOnline().regret(np.ones(3))      # f = 3 - 1 - 1 = 1 against -3 + 1 + 1 = -1
        2.0
        """
        xs = check_array("xs", xs, dtype_kind="fiu").astype(float)
        if xs.ndim == 0:
            raise ValueError("xs must have at least one dimension (one point per step)")
        g = self.gradients(len(xs)).reshape((len(xs),) + (1,) * (xs.ndim - 1))
        value = (g * (xs - self.optimum)).sum(axis=0)
        return float(value) if np.ndim(value) == 0 else value


def _steps(t) -> np.ndarray:
    steps = check_array("t", t, dtype_kind="iu")
    if (steps < 1).any():
        raise ValueError(f"t must be >= 1 (the paper counts steps from 1), got {t!r}")
    return steps
