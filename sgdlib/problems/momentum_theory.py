r"""Momentum on a quadratic, in closed form: iteration matrices, rates and the rate map.

On :math:`f(\theta) = \tfrac12\theta^\top H\theta` every eigen-direction of :math:`H` (eigenvalue
:math:`h`) evolves on its own. With torch's heavy-ball rule
(:math:`b \leftarrow \beta b + g`, :math:`\theta \leftarrow \theta - \eta b`, :math:`g = h\theta`)
the pair :math:`(b_t, \theta_t)` of one direction is multiplied at every step by a 2x2 matrix

.. math:: M = \begin{pmatrix}\beta & h\\ -\eta\beta & 1-\eta h\end{pmatrix},
          \qquad z^2 - (1+\beta-\eta h)\,z + \beta = 0,

and with torch's Nesterov rule (:math:`\theta \leftarrow \theta - \eta(g + \beta b)` after the
buffer update) by one with characteristic polynomial
:math:`z^2 - (1+\beta)(1-\eta h)\,z + \beta(1-\eta h)`. The error of the direction shrinks like
:math:`r^t`, :math:`r` the spectral radius (the larger root's modulus; :math:`\rho` is Adadelta's
decay in this course).

* :func:`momentum_regime` - which region of the rate map a setting lies in;
* :func:`momentum_quadratic_runs` - heavy ball or Nesterov on a diagonal quadratic with gradient
  noise, many settings and seeds at once (array axes).

The closed forms behind the rate map, :func:`_iteration_matrix`, :func:`_convergence_rate`
(the rate :math:`r` from the roots, elementwise) and :func:`_polyak_optimum` (Polyak's
:math:`(\eta^*, \beta^*)`), are private: they are what chapter 4's graded exercises ask you to
write. The explorers use them; the public, grid-only view of them is
:func:`sgdlib.explorers.momentum.rate_map`.

Examples
--------
>>> [REGIMES[k] for k in momentum_regime([0.01, 1.0], 0.5, 1.0)]
['monotone', 'complex']
>>> eta, beta, rate = _polyak_optimum(L=1.0, mu=0.01)
>>> round(eta, 3), round(beta, 3), round(rate, 3)
(3.306, 0.669, 0.818)
>>> _convergence_rate(eta, beta, [0.01, 1.0]).round(6)     # both ends of the spectrum at sqrt(beta)
array([0.818182, 0.818182])

References
----------
Polyak, "Some methods of speeding up the convergence of iteration methods", USSR Computational
Mathematics and Mathematical Physics 4(5), 1964.
Goh, "Why Momentum Really Works", Distill, 2017 (section "The Critical Damping Coefficient").
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_array, check_bool, check_int, check_number, check_rng, require_rng

__all__ = ["momentum_regime", "momentum_quadratic_runs", "REGIMES"]

#: The regions of the rate map, in the order :func:`momentum_regime` numbers them.
REGIMES = ("monotone", "complex", "oscillating", "divergent")


def _arrays(lr: ArrayLike, momentum: ArrayLike, h: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    out = []
    for name, value in [("lr", lr), ("momentum", momentum), ("h", h)]:
        a = np.asarray(value)
        if a.dtype == bool or not np.issubdtype(a.dtype, np.number) or np.iscomplexobj(a):
            raise TypeError(f"{name} must be a real number or array of them, got {value!r}")
        a = a.astype(float)
        if not np.isfinite(a).all():
            raise ValueError(f"{name} must be finite")
        out.append(a)
    lr, momentum, h = out
    if (lr < 0).any():
        raise ValueError("lr must be >= 0")
    if (momentum < 0).any():
        raise ValueError("momentum must be >= 0")
    return lr, momentum, h


def _trace_det(lr: np.ndarray, momentum: np.ndarray, h: np.ndarray, nesterov: bool) -> tuple[np.ndarray, np.ndarray]:
    """Trace T and determinant D of the iteration matrix (characteristic polynomial z^2 - Tz + D), broadcast."""
    lr, momentum, h = np.broadcast_arrays(lr, momentum, h)
    if nesterov:
        shrink = 1 - lr * h                     # the gradient is taken at the look-ahead point
        return (1 + momentum) * shrink, momentum * shrink
    return 1 + momentum - lr * h, momentum.copy()


def _iteration_matrix(lr: ArrayLike, momentum: ArrayLike, h: ArrayLike, *, nesterov: bool = False) -> np.ndarray:
    r"""The matrix that maps :math:`(b_t, \theta_t)` to :math:`(b_{t+1}, \theta_{t+1})` in one eigen-direction.

    Torch's rules with :math:`g = h\theta` (no dampening). Heavy ball:
    :math:`\begin{pmatrix}\beta & h\\ -\eta\beta & 1-\eta h\end{pmatrix}`; Nesterov:
    :math:`\begin{pmatrix}\beta & h\\ -\eta\beta^2 & 1-\eta h(1+\beta)\end{pmatrix}`.
    Chapter 4's graded exercise writes the same step in the coordinates
    :math:`(x_{t+1}, x_t)` instead of :math:`(b_t, \theta_{t+1})`: another matrix, with the same
    characteristic polynomial and so the same eigenvalues.

    Parameters
    ----------
    lr, momentum, h : float or array
        :math:`\eta \ge 0`, :math:`\beta \ge 0` and the eigenvalue :math:`h`; broadcast together.
    nesterov : bool, default False
        Torch's Nesterov rule instead of the heavy ball.

    Returns
    -------
    ndarray, shape (..., 2, 2)
        One matrix per broadcast setting.

    Examples
    --------
    >>> _iteration_matrix(0.5, 0.9, 1.0)
    array([[ 0.9 ,  1.  ],
           [-0.45,  0.5 ]])
    """
    lr, momentum, h = np.broadcast_arrays(*_arrays(lr, momentum, h))
    nesterov = check_bool("nesterov", nesterov)
    M = np.empty(lr.shape + (2, 2))
    M[..., 0, 0] = momentum
    M[..., 0, 1] = h
    if nesterov:
        M[..., 1, 0] = -lr * momentum**2
        M[..., 1, 1] = 1 - lr * h * (1 + momentum)
    else:
        M[..., 1, 0] = -lr * momentum
        M[..., 1, 1] = 1 - lr * h
    return M


def _convergence_rate(lr: ArrayLike, momentum: ArrayLike, h: ArrayLike, *, nesterov: bool = False) -> np.ndarray | float:
    r"""The spectral radius :math:`r` of the iteration matrix: the error shrinks like :math:`r^t`.

    The larger modulus of the two roots of :math:`z^2 - Tz + D` (:math:`T`, :math:`D` the trace and
    determinant of :func:`_iteration_matrix`), elementwise. The rate of a whole Hessian is the
    largest over its eigenvalues: put them on an axis of ``h`` and take ``.max`` over it.

    Parameters
    ----------
    lr, momentum, h : float or array
        :math:`\eta \ge 0`, :math:`\beta \ge 0` and the eigenvalue :math:`h`; broadcast together.
    nesterov : bool, default False
        Torch's Nesterov rule instead of the heavy ball.

    Returns
    -------
    float or ndarray
        :math:`r` for each broadcast setting (a float when all three are scalars); :math:`r \ge 1`
        means no convergence.

    Examples
    --------
    >>> _convergence_rate(1.0, 0.0, [0.1, 1.0])              # gradient descent at eta = 1/L
    array([0.9, 0. ])
    >>> float(_convergence_rate(1.0, 0.0, [0.1, 1.0]).max())    # the bowl's rate: 1 - mu/L
    0.9
    >>> float(_convergence_rate(1.0, 0.81, 0.5))             # complex roots: exactly sqrt(beta)
    0.9
    >>> _convergence_rate(np.array([[1.0], [3.0]]), np.array([0.0, 0.5]), 1.0).round(3)
    array([[0.   , 0.707],
           [2.   , 1.   ]])
    """
    nesterov = check_bool("nesterov", nesterov)
    T, D = _trace_det(*_arrays(lr, momentum, h), nesterov)
    disc = np.sqrt((T * T - 4 * D).astype(complex))
    r = np.maximum(np.abs(T + disc), np.abs(T - disc)) / 2
    return float(r) if r.ndim == 0 else r


def _polyak_optimum(L: float, mu: float) -> tuple[float, float, float]:
    r"""Polyak's optimal heavy-ball :math:`(\eta^*, \beta^*)` for eigenvalues in :math:`[\mu, L]`, and its rate.

    .. math:: \eta^* = \Bigl(\frac{2}{\sqrt L + \sqrt\mu}\Bigr)^2,\quad
              \beta^* = \Bigl(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\Bigr)^2,\quad
              r^* = \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}.

    Parameters
    ----------
    L, mu : float
        The largest and smallest eigenvalues, :math:`0 < \mu \le L`.

    Returns
    -------
    (float, float, float)
        :math:`\eta^*`, :math:`\beta^*` and the rate :math:`r^*` of every eigen-component there.

    Examples
    --------
    >>> _polyak_optimum(4.0, 1.0)
    (0.4444444444444444, 0.1111111111111111, 0.3333333333333333)
    """
    L = check_number("L", L, low=0.0, low_open=True)
    mu = check_number("mu", mu, low=0.0, low_open=True)
    if mu > L:
        raise ValueError(f"mu must be <= L, got mu={mu:g} and L={L:g}")
    root = np.sqrt(L / mu)
    rate = float((root - 1) / (root + 1))
    return float((2 / (np.sqrt(L) + np.sqrt(mu))) ** 2), rate * rate, rate


def momentum_regime(lr: ArrayLike, momentum: ArrayLike, h: ArrayLike) -> np.ndarray:
    r"""The region of heavy-ball momentum's rate map, as an index into :data:`REGIMES`.

    By the trace :math:`T = 1 + \beta - \eta h` of the iteration matrix (its determinant is
    :math:`\beta`): ``divergent`` where :math:`\eta h \ge 2 + 2\beta` or :math:`\beta \ge 1`;
    otherwise ``complex`` roots where :math:`T^2 < 4\beta` (rate exactly :math:`\sqrt\beta`),
    ``monotone`` where :math:`T \ge 2\sqrt\beta` (two real roots :math:`\ge 0`, the double root
    of critical damping :math:`\eta h = (1 - \sqrt\beta)^2` included) and ``oscillating`` where
    :math:`T \le -2\sqrt\beta` (negative roots: the error flips sign every step).

    Parameters
    ----------
    lr, momentum : float or array
        :math:`\eta \ge 0` and :math:`\beta \ge 0`.
    h : float or array
        The eigenvalue, :math:`h \ge 0` (on a negative one every :math:`\eta > 0` diverges).
        All three broadcast together.

    Returns
    -------
    ndarray of int
        The broadcast shape; 0 to 3, the index in :data:`REGIMES`.

    Examples
    --------
    >>> [REGIMES[k] for k in momentum_regime([0.01, 1.0, 2.95, 3.0], 0.5, 1.0)]
    ['monotone', 'complex', 'oscillating', 'divergent']
    >>> REGIMES[int(momentum_regime(0.25, 0.25, 1.0))]      # critical damping: the double root 0.5
    'monotone'
    """
    lr, momentum, h = np.broadcast_arrays(*_arrays(lr, momentum, h))
    if (h < 0).any():
        raise ValueError("h must be >= 0 (an eigenvalue of a convex quadratic); on h < 0 every lr > 0 diverges")
    T = 1 + momentum - lr * h
    edge = 2 * np.sqrt(momentum)
    out = np.where(T >= edge, 0, np.where(T <= -edge, 2, 1))
    out = np.where((lr * h >= 2 + 2 * momentum) | (momentum >= 1), 3, out)
    return out


def momentum_quadratic_runs(
    h: ArrayLike,
    start: ArrayLike,
    lr: ArrayLike,
    momentum: ArrayLike,
    steps: int,
    *,
    nesterov: bool = False,
    noise_std: float = 0.0,
    n_seeds: int = 1,
    rng: np.random.Generator | int | None = None,
) -> np.ndarray:
    r"""Torch's momentum on :math:`f = \tfrac12\sum_i h_i\theta_i^2` for many settings and seeds at once.

    The gradient is :math:`g_t = h\odot\theta_t + \sigma\xi_t`, :math:`\xi_t \sim N(0, I)`; each
    step is ``SGD(lr, momentum, nesterov=...)``'s, the buffer starting as the first gradient.

    Parameters
    ----------
    h : array, shape (d,)
        The eigenvalues (the problem in its eigenbasis).
    start : array, shape (d,)
        :math:`\theta_0`, the same for every run (named as in :func:`sgdlib.problems.run`).
    lr, momentum : float or array
        :math:`\eta \ge 0`, :math:`\beta \ge 0`; broadcast together to the settings' shape ``S``
        (e.g. a grid).
    steps : int
        Number of steps :math:`n`.
    nesterov : bool, default False
        Torch's Nesterov rule instead of the heavy ball.
    noise_std : float, default 0
        :math:`\sigma`; ``rng`` is then required.
    n_seeds : int, default 1
        Runs per setting, each with its own noise (the same runs when ``noise_std == 0``).
    rng : numpy.random.Generator or int, optional
        Source of the noise; checked even when ``noise_std == 0``.

    Returns
    -------
    ndarray, shape (steps + 1, *S, n_seeds, d)
        The iterates (overflowing runs give inf/nan, without warnings).

    Examples
    --------
    >>> th = momentum_quadratic_runs([0.1, 1.0], [1.0, 1.0], lr=[0.5, 1.0], momentum=0.5, steps=100)
    >>> th.shape, bool(np.abs(th[-1]).max() < 1e-3)
    ((101, 2, 1, 2), True)
    """
    h = check_array("h", h, ndim=1, dtype_kind="fiu", min_len=1).astype(float)
    start = check_array("start", start, ndim=1, dtype_kind="fiu").astype(float)
    if start.shape != h.shape:
        raise ValueError(f"start must have the shape of h, {h.shape}, got {start.shape}")
    lr, momentum = np.broadcast_arrays(*_arrays(lr, momentum, 0.0)[:2])
    steps = check_int("steps", steps, low=0)
    n_seeds = check_int("n_seeds", n_seeds, low=1)
    noise_std = check_number("noise_std", noise_std, low=0.0)
    nesterov = check_bool("nesterov", nesterov)
    if noise_std > 0:
        rng = require_rng("rng", rng, when="noise_std > 0")
    elif rng is not None:
        rng = check_rng("rng", rng)
    lr_, beta = lr[..., None, None], momentum[..., None, None]
    theta = np.broadcast_to(start, lr.shape + (n_seeds, len(h))).copy()
    out = np.empty((steps + 1,) + theta.shape)
    out[0] = theta
    b = None
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps):
            g = h * theta
            if noise_std > 0:
                g = g + noise_std * rng.standard_normal(theta.shape)
            b = g.copy() if b is None else beta * b + g           # b <- beta b + g (b_0 = g_0)
            step = g + beta * b if nesterov else b
            theta = theta - lr_ * step
            out[t + 1] = theta
    return out
