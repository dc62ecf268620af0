r"""Gradient checking: compare an analytic gradient with central differences.

The central difference

.. math::  \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}

has error :math:`O(h^2)` (plus rounding error :math:`O(\epsilon_\text{mach} |f| / h)`), so with
``h = 1e-6`` in float64 a correct gradient agrees to about 1e-8 or better. Each entry is
compared by the relative error

.. math::  r_i = \frac{|a_i - n_i|}{\max(|a_i| + |n_i|,\ \text{floor})}

(``floor`` keeps entries that are both ~0 from dividing rounding noise by ~0). The check passes
when the worst :math:`r_i` is below ``tol``. As a rule of thumb (CS231n): below 1e-7 is right,
above 1e-2 is almost surely a bug. Check in float64, on a few samples, away from ReLU's kink.

Examples
--------
>>> import numpy as np
>>> from sgdlib.gradcheck import check_gradient
>>> f = lambda x: float(np.sum(x ** 3))
>>> result = check_gradient(f, lambda x: 3 * x ** 2, np.array([1.0, -2.0, 0.5]))
>>> result.passed
True
>>> check_gradient(f, lambda x: 2 * x ** 2, np.array([1.0, -2.0])).passed   # a wrong gradient
False

References
----------
CS231n, "Optimization: stochastic gradient descent" notes, section "Computing the gradient
numerically" and "Gradient checks" in "Neural networks 3".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import check_array, check_number
from .models import Model

__all__ = ["numerical_gradient", "GradCheckResult", "check_gradient", "check_loss_and_grads",
           "check_model"]


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """The gradient of ``f`` at ``x`` by central differences, one entry at a time.

    Entry ``i`` is ``(f(x + h e_i) - f(x - h e_i)) / (2 h)``, with ``e_i`` the i-th unit vector:
    the same function, signature and default as in lesson 1 and its exercise.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``. It may read ``x`` directly (it is perturbed in place).
    x : float ndarray, any shape
        The point. Each entry is nudged by ``+h`` and ``-h`` and then restored exactly, so
        ``x`` is unchanged afterwards (this lets ``f`` read model parameters in place).
    h : float, default 1e-5
        Step of the difference quotient, > 0. The error is about ``h**2`` (truncation) plus
        ``1e-16 * |f| / h`` (rounding), smallest near ``h = 1e-5`` for a well-scaled ``f``.

    Returns
    -------
    ndarray shaped like ``x``, float64

    Examples
    --------
    >>> import numpy as np
    >>> numerical_gradient(lambda x: float(x @ x), np.array([1.0, 2.0]))   # 2x
    array([2., 4.])
    >>> numerical_gradient(lambda x: float(np.sum(x ** 3)), np.array([1.0]), 1e-3)  # 3x^2 + h^2
    array([3.000001])
    """
    _check_float_array("x", x)
    h = check_number("h", h, low=0.0, low_open=True)
    if not callable(f):
        raise TypeError(f"f must be a function x -> float, got {type(f).__name__}")
    grad = np.empty_like(x, dtype=np.float64)
    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)     # views: writing flat_x writes x
    if not np.shares_memory(flat_x, x):                  # pragma: no cover - non-contiguous x
        raise ValueError("x must be a contiguous array so it can be perturbed in place")
    for i in range(flat_x.size):
        old = flat_x[i]
        try:
            flat_x[i] = old + h
            f_plus = _scalar("f", f(x))
            flat_x[i] = old - h
            f_minus = _scalar("f", f(x))
        finally:
            flat_x[i] = old                              # restore exactly, even if f fails
        flat_g[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


@dataclass
class GradCheckResult:
    """The outcome of a gradient check.

    Attributes
    ----------
    passed : bool
        ``max_rel_error < tol``.
    max_rel_error : float
        The worst relative error over all entries.
    worst : str
        Where it occurs, e.g. ``"W1[3, 7]"`` or ``"x[2]"``.
    analytic, numerical : float
        The two values at that entry.
    tol : float
        The threshold used.
    rel_errors : dict name -> ndarray
        The relative error of every entry, per parameter.
    """

    passed: bool
    max_rel_error: float
    worst: str
    analytic: float
    numerical: float
    tol: float
    rel_errors: dict

    def __str__(self) -> str:
        verdict = "passed" if self.passed else "FAILED"
        return (f"gradient check {verdict}: worst relative error {self.max_rel_error:.2e} at "
                f"{self.worst} (analytic {self.analytic:.8g}, numerical {self.numerical:.8g}; "
                f"tolerance {self.tol:.0e})")


def check_gradient(
    f: Callable[[np.ndarray], float],
    grad: Callable[[np.ndarray], np.ndarray],
    x: ArrayLike,
    *,
    h: float = 1e-6,
    tol: float = 1e-6,
    floor: float = 1e-8,
) -> GradCheckResult:
    """Check ``grad(x)`` against the central differences of a plain function ``f(x) -> float``.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    grad : callable
        ``grad(x) -> ndarray`` shaped like ``x``: the gradient under test.
    x : array
        The point (copied to float64; the caller's array is not touched).
    h : float, default 1e-6
        Central-difference step.
    tol : float, default 1e-6
        The check passes when the worst relative error is below this.
    floor : float, default 1e-8
        Smallest denominator of the relative error (see the module docstring).

    Returns
    -------
    GradCheckResult
    """
    h, tol, floor = _check_settings(h, tol, floor)     # before the (slow) numerical gradient
    for name, fn in (("f", f), ("grad", grad)):
        if not callable(fn):
            raise TypeError(f"{name} must be a function of x, got {type(fn).__name__}")
    x = np.array(check_array("x", x, ndim=None), dtype=np.float64)   # our own copy to perturb
    _scalar("f", f(x.copy()))                          # f must return one number: say so first
    analytic = np.asarray(grad(x.copy()), dtype=np.float64)
    if analytic.shape != x.shape:
        raise ValueError(f"grad(x) must have the shape of x {x.shape}, got {analytic.shape}")
    numerical = numerical_gradient(f, x, h=h)
    return _compare({"x": analytic}, {"x": numerical}, tol=tol, floor=floor)


def check_loss_and_grads(
    loss_and_grads: Callable[[], tuple[float, Mapping[str, np.ndarray]]],
    params: Mapping[str, np.ndarray],
    *,
    h: float = 1e-6,
    tol: float = 1e-6,
    floor: float = 1e-8,
) -> GradCheckResult:
    """Check a ``() -> (loss, grads)`` callable against central differences in ``params``.

    ``loss_and_grads`` must read the arrays of ``params`` (a dict name -> float64 array, e.g.
    ``model.params``); each entry is perturbed in place and restored, and ``grads`` must have
    the keys and shapes of ``params``.

    Examples
    --------
    >>> import numpy as np
    >>> params = {"w": np.array([1.0, -1.0])}
    >>> fn = lambda: (float(np.sum(params["w"] ** 4)), {"w": 4 * params["w"] ** 3})
    >>> check_loss_and_grads(fn, params).passed
    True
    """
    h, tol, floor = _check_settings(h, tol, floor)     # before the (slow) numerical gradient
    if not callable(loss_and_grads):
        raise TypeError(f"loss_and_grads must be a function () -> (loss, grads), got {type(loss_and_grads).__name__}")
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a dict name -> array, got {type(params).__name__}")
    for name, p in params.items():
        _check_float_array(f"params[{name!r}]", p)
    out = loss_and_grads()
    if not isinstance(out, tuple) or len(out) != 2:
        raise TypeError(f"loss_and_grads() must return a pair (loss, grads), got {type(out).__name__}")
    loss, analytic = out
    _scalar("the loss of loss_and_grads()", loss)
    if not isinstance(analytic, Mapping) or set(analytic) != set(params):
        raise ValueError(f"loss_and_grads() must return grads with the keys {sorted(params)}")
    analytic = {k: np.array(analytic[k], dtype=np.float64) for k in params}   # copies: later calls
    for k, p in params.items():                                               # may reuse buffers
        if analytic[k].shape != p.shape:
            raise ValueError(f"grads[{k!r}] has shape {analytic[k].shape}, params[{k!r}] has {p.shape}")
    numerical = {k: numerical_gradient(lambda _p: loss_and_grads()[0], p, h=h) for k, p in params.items()}
    return _compare(analytic, numerical, tol=tol, floor=floor)


def check_model(model: Model, X: ArrayLike, y: ArrayLike, *, h: float = 1e-6, tol: float = 1e-6,
                floor: float = 1e-8) -> GradCheckResult:
    """Check ``model.loss_and_grads(X, y)`` against central differences in ``model.params``.

    Examples
    --------
    >>> import numpy as np
    >>> from sgdlib.models import MLP
    >>> rng = np.random.default_rng(0)
    >>> model = MLP([3, 5, 4], activation="tanh", rng=rng)
    >>> print(check_model(model, rng.standard_normal((6, 3)), np.array([0, 1, 2, 3, 0, 1])))
    ... # doctest: +ELLIPSIS
    gradient check passed: worst relative error ...
    """
    return check_loss_and_grads(lambda: model.loss_and_grads(X, y), model.params, h=h, tol=tol, floor=floor)


def _check_settings(h: float, tol: float, floor: float) -> tuple[float, float, float]:
    return (check_number("h", h, low=0.0, low_open=True), check_number("tol", tol, low=0.0, low_open=True),
            check_number("floor", floor, low=0.0, low_open=True))


def _scalar(name: str, value: object) -> float:
    """``value`` as a float, or a TypeError saying ``name`` must return a scalar."""
    if np.ndim(value) != 0:
        raise TypeError(f"{name} must return a scalar (one number, e.g. the mean loss), "
                        f"got an array of shape {np.shape(value)}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must return a scalar (one number), got {type(value).__name__}") from None


def _check_float_array(name: str, x: object) -> None:
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(
            f"{name} must be a float64 numpy array (gradient checks need double precision), "
            f"got {type(x).__name__}{'' if not isinstance(x, np.ndarray) else ' of dtype ' + str(x.dtype)}"
        )


def _compare(analytic: dict, numerical: dict, *, tol: float, floor: float) -> GradCheckResult:
    rel, worst = {}, (-1.0, "", 0.0, 0.0)
    for k, a in analytic.items():
        n = numerical[k]
        with np.errstate(invalid="ignore"):
            r = np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), floor)
        r = np.where(np.isfinite(r), r, np.inf)      # a NaN gradient is infinitely wrong
        rel[k] = r
        if r.size:
            i = np.unravel_index(int(np.argmax(r)), r.shape)
            if r[i] > worst[0]:
                where = f"{k}[{', '.join(map(str, i))}]" if r.ndim else k
                worst = (float(r[i]), where, float(a[i]), float(n[i]))
    max_err, where, a_val, n_val = worst
    return GradCheckResult(bool(max_err < tol), max_err, where, a_val, n_val, tol, rel)
