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
(the rate :math:`r` from the roots, vectorised) and :func:`_polyak_optimum` (Polyak's
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
>>> round(float(_convergence_rate(eta, beta, [0.01, 1.0])), 6)   # both ends of the spectrum at sqrt(beta)
0.818182

References
----------
Polyak, "Some methods of speeding up the convergence of iteration methods", USSR Computational
Mathematics and Mathematical Physics 4(5), 1964.
Goh, "Why Momentum Really Works", Distill, 2017 (section "The Critical Damping Coefficient").
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_bool, check_int, check_number, require_rng

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


def _trace_det(lr, momentum, h, nesterov):
    if nesterov:
        shrink = 1 - lr * h                     # the gradient is taken at the look-ahead point
        return (1 + momentum) * shrink, momentum * shrink
    return 1 + momentum - lr * h, momentum + 0 * (lr * h)


def _iteration_matrix(lr: ArrayLike, momentum: ArrayLike, h: ArrayLike, *, nesterov: bool = False) -> np.ndarray:
    r"""The matrix that maps :math:`(b_t, \theta_t)` to :math:`(b_{t+1}, \theta_{t+1})` in one eigen-direction.

    Torch's rules with :math:`g = h\theta` (no dampening). Heavy ball:
    :math:`\begin{pmatrix}\beta & h\\ -\eta\beta & 1-\eta h\end{pmatrix}`; Nesterov:
    :math:`\begin{pmatrix}\beta & h\\ -\eta\beta^2 & 1-\eta h(1+\beta)\end{pmatrix}`.

    Parameters
    ----------
    lr, momentum, h : float or array
        :math:`\eta \ge 0`, :math:`\beta \ge 0` and the eigenvalue :math:`h`; broadcast together.
    nesterov : bool, default False

    Returns
    -------
    ndarray, shape (..., 2, 2)

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
    determinant of :func:`_iteration_matrix`). ``lr`` and ``momentum`` broadcast against ``h``'s
    leading axes; the last axis of ``h`` (if ``h`` is not a scalar) holds the eigenvalues of one
    Hessian, and the rate is the largest over them.

    Examples
    --------
    >>> float(_convergence_rate(1.0, 0.0, [0.1, 1.0]))     # gradient descent at eta = 1/L: 1 - mu/L
    0.9
    >>> float(_convergence_rate(1.0, 0.81, 0.5))           # complex roots: exactly sqrt(beta)
    0.9
    >>> _convergence_rate(np.array([[1.0], [3.0]]), np.array([0.0, 0.5]), 1.0).round(3)
    array([[0.   , 0.707],
           [2.   , 1.   ]])
    """
    nesterov = check_bool("nesterov", nesterov)
    lr, momentum, h = _arrays(lr, momentum, h)
    spectrum = h.ndim > 0
    if spectrum:
        lr, momentum = lr[..., None], momentum[..., None]
    T, D = _trace_det(lr, momentum, h, nesterov)
    disc = np.sqrt((T * T - 4 * D).astype(complex))
    r = np.maximum(np.abs(T + disc), np.abs(T - disc)) / 2
    if spectrum:
        r = r.max(axis=-1)
    return float(r) if r.ndim == 0 else r


def _polyak_optimum(L: float, mu: float) -> tuple[float, float, float]:
    r"""Polyak's optimal heavy-ball :math:`(\eta^*, \beta^*)` for eigenvalues in :math:`[\mu, L]`, and its rate.

    .. math:: \eta^* = \Bigl(\frac{2}{\sqrt L + \sqrt\mu}\Bigr)^2,\quad
              \beta^* = \Bigl(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\Bigr)^2,\quad
              r^* = \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}.

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

    For :math:`0 \le \beta < 1`: ``divergent`` where :math:`\eta h \ge 2 + 2\beta` (or
    :math:`\beta \ge 1`); ``complex`` roots where :math:`(1 + \beta - \eta h)^2 < 4\beta`
    (rate exactly :math:`\sqrt\beta`); otherwise two real roots, ``monotone`` when
    :math:`\eta h < (1 - \sqrt\beta)^2` (both roots positive), ``oscillating`` beyond the complex
    region (a negative root: the error flips sign every step).

    Examples
    --------
    >>> [REGIMES[k] for k in momentum_regime([0.01, 1.0, 2.95, 3.0], 0.5, 1.0)]
    ['monotone', 'complex', 'oscillating', 'divergent']
    """
    lr, momentum, h = np.broadcast_arrays(*_arrays(lr, momentum, h))
    x = lr * h
    T = 1 + momentum - x
    out = np.where(x < (1 - np.sqrt(momentum)) ** 2, 0, 2)
    out = np.where(T * T < 4 * momentum, 1, out)
    out = np.where((x >= 2 + 2 * momentum) | (momentum >= 1), 3, out)
    return out


def momentum_quadratic_runs(
    h: ArrayLike,
    theta0: ArrayLike,
    lr: ArrayLike,
    momentum: ArrayLike,
    n_steps: int,
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
    theta0 : array, shape (d,)
        Start, the same for every run.
    lr, momentum : float or array
        Broadcast together to the settings' shape ``S`` (e.g. a grid).
    n_steps : int
    nesterov : bool, default False
    noise_std : float, default 0
        :math:`\sigma`; ``rng`` is then required.
    n_seeds : int, default 1
    rng : numpy.random.Generator or int, optional

    Returns
    -------
    ndarray, shape (n_steps + 1, *S, n_seeds, d)
        The iterates (overflowing runs give inf/nan, without warnings).

    Examples
    --------
    >>> th = momentum_quadratic_runs([0.1, 1.0], [1.0, 1.0], lr=[0.5, 1.0], momentum=0.5, n_steps=100)
    >>> th.shape, bool(np.abs(th[-1]).max() < 1e-3)
    ((101, 2, 1, 2), True)
    """
    h = np.asarray(h, dtype=float)
    theta0 = np.asarray(theta0, dtype=float)
    if h.ndim != 1 or theta0.shape != h.shape:
        raise ValueError(f"h and theta0 must be 1-D of the same length, got shapes {h.shape} and {theta0.shape}")
    lr, momentum = np.broadcast_arrays(*_arrays(lr, momentum, 0.0)[:2])
    n_steps = check_int("n_steps", n_steps, low=0)
    n_seeds = check_int("n_seeds", n_seeds, low=1)
    noise_std = check_number("noise_std", noise_std, low=0.0)
    nesterov = check_bool("nesterov", nesterov)
    if noise_std > 0:
        rng = require_rng("rng", rng, when="noise_std > 0")
    lr_, beta = lr[..., None, None], momentum[..., None, None]
    theta = np.broadcast_to(theta0, lr.shape + (n_seeds, len(h))).copy()
    out = np.empty((n_steps + 1,) + theta.shape)
    out[0] = theta
    b = None
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(n_steps):
            g = h * theta
            if noise_std > 0:
                g = g + noise_std * rng.standard_normal(theta.shape)
            b = g.copy() if b is None else beta * b + g           # b <- beta b + g (b_0 = g_0)
            step = g + beta * b if nesterov else b
            theta = theta - lr_ * step
            out[t + 1] = theta
    return out
