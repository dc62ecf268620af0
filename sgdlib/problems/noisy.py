r"""Gradient descent with gradient noise, many seeds at once: :func:`noisy_gradient_descent`.

A claim about a noisy optimizer ("noise helps escape local minima") is a statement about the
*distribution* of its runs, so it needs many seeds. Here the seeds are an array axis: every step
updates all runs together with one vectorised gradient call, so 200 seeds cost little more than
one.

Examples
--------
>>> import numpy as np
>>> from sgdlib.problems import TwoBasins, noisy_gradient_descent
>>> landscape = TwoBasins()
>>> points = noisy_gradient_descent(landscape.grad, [0.93, 0.0], lr=0.05, n_steps=300,
...                                 noise_std=3.0, n_seeds=200, rng=np.random.default_rng(0))
>>> points.shape                                    # (n_steps + 1, n_seeds, d)
(301, 200, 2)
>>> bool((points[0] == [0.93, 0.0]).all())          # every seed starts at x0
True
>>> deep = points[-1, :, 0] < landscape.ridge[0]    # runs that end left of the ridge
>>> bool(0 < deep.sum() < 200)                      # some escaped the shallow basin, not all
True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_array, check_int, check_number, check_rng

__all__ = ["noisy_gradient_descent"]


def noisy_gradient_descent(
    grad: Callable[[np.ndarray], np.ndarray],
    x0: ArrayLike,
    lr: float | ArrayLike,
    n_steps: int,
    *,
    noise_std: float,
    n_seeds: int,
    rng: np.random.Generator | int,
) -> np.ndarray:
    r"""Run ``n_seeds`` independent noisy gradient-descent runs from ``x0``, vectorised.

    Every run takes the step

    .. math:: x_{t+1} = x_t - \eta_t\,\bigl(\nabla f(x_t) + \sigma\,\xi_t\bigr),
              \qquad \xi_t \sim N(0, I),

    with its own noise :math:`\xi_t`: the gradient :math:`g_t = \nabla f(x_t) + \sigma\xi_t`
    is unbiased with per-coordinate variance :math:`\sigma^2`, a stand-in for the noise of a
    one-example gradient. ``noise_std=0`` is plain gradient descent, the same in every run.

    Parameters
    ----------
    grad : callable
        :math:`\nabla f`, vectorised over points: called with an array of shape
        ``(n_seeds, d)``, it returns the gradients in the same shape (every
        :class:`~sgdlib.problems.Problem`'s ``grad`` does).
    x0 : array of shape (d,)
        The start of every run.
    lr : float or array of shape (n_steps,)
        :math:`\eta`, or a schedule: the learning rate :math:`\eta_t` of each step.
    n_steps : int
        Number of steps, >= 0.
    noise_std : float
        :math:`\sigma \ge 0`.
    n_seeds : int
        Number of independent runs, >= 1.
    rng : numpy.random.Generator or int
        Source of the noise (an int is a seed); the same seed gives the same runs.

    Returns
    -------
    ndarray, shape (n_steps + 1, n_seeds, d)
        ``points[t, s]`` is :math:`x_t` of run ``s``; ``points[0, s] = x0``. A run whose iterate
        overflows holds ``inf`` or ``nan`` from there on (no warning): test with
        ``np.isfinite``.

    Examples
    --------
    >>> grad = lambda x: 2 * x                               # f(x) = |x|^2
    >>> noisy_gradient_descent(grad, [1.0], lr=0.25, n_steps=2, noise_std=0.0, n_seeds=2, rng=0)[:, :, 0]
    array([[1.  , 1.  ],
           [0.5 , 0.5 ],
           [0.25, 0.25]])
    """
    x = check_array("x0", x0, ndim=1, dtype_kind="fiu").astype(float)
    n_steps = check_int("n_steps", n_steps, low=0)
    n_seeds = check_int("n_seeds", n_seeds, low=1)
    noise_std = check_number("noise_std", noise_std, low=0.0)
    rng = check_rng("rng", rng)
    if np.ndim(lr) == 0:
        lrs = np.full(n_steps, check_number("lr", lr, low=0.0))
    else:
        lrs = check_array("lr", lr, ndim=1, dtype_kind="fiu").astype(float)
        if lrs.shape != (n_steps,):
            raise ValueError(f"lr must be a number or an array of shape ({n_steps},) (one rate per step), "
                             f"got shape {lrs.shape}")
        if not (lrs >= 0).all():
            raise ValueError("lr must be >= 0 at every step")
    points = np.empty((n_steps + 1, n_seeds, len(x)))
    points[0] = x
    # A run that blows up overflows on purpose; its inf/nan stays in its own row.
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(n_steps):
            g = grad(points[t])
            if t == 0:
                g = _checked_first_gradient(g, points[0].shape)
            if noise_std > 0:
                g = g + noise_std * rng.standard_normal(g.shape)
            points[t + 1] = points[t] - lrs[t] * g                 # x <- x - eta_t (grad f + sigma xi)
    return points


def _checked_first_gradient(g, shape: tuple[int, int]) -> np.ndarray:
    """``grad``'s first answer as an array, refused unless it has the points' shape (n_seeds, d)."""
    g = np.asarray(g)
    if g.shape != shape:
        raise ValueError(f"grad must return an array of shape (n_seeds, d) = {shape}, like the points "
                         f"it is given, got shape {g.shape}")
    return g
