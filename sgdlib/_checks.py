"""Argument checks shared by the whole library.

Every public function validates what a learner passes in and, when something is off, raises a
``TypeError`` (wrong kind of thing) or ``ValueError`` (right kind, wrong value) whose message
names the argument and says what was expected. Keeping the checks here keeps the maths in the
other modules readable.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "check_number", "check_int", "check_bool", "check_betas", "check_array", "check_rng", "require_rng",
]


def check_number(
    name: str,
    value,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a float after checking it is a finite real number in a range.

    ``low``/``high`` bound the range (``None`` means unbounded); ``low_open``/``high_open`` make
    that end exclusive.

    Examples
    --------
    >>> check_number("lr", 0.1, low=0)
    0.1
    >>> check_number("lr", -1, low=0)
    Traceback (most recent call last):
    ...
    ValueError: lr must be >= 0, got -1
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if low is not None and (x <= low if low_open else x < low):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low:g}, got {value!r}")
    if high is not None and (x >= high if high_open else x > high):
        raise ValueError(f"{name} must be {'<' if high_open else '<='} {high:g}, got {value!r}")
    return x


def check_int(name: str, value, *, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as an int after checking it is a whole number in ``[low, high]``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    n = int(value)
    if low is not None and n < low:
        raise ValueError(f"{name} must be >= {low}, got {value!r}")
    if high is not None and n > high:
        raise ValueError(f"{name} must be <= {high}, got {value!r}")
    return n


def check_bool(name: str, value) -> bool:
    """Return ``value`` after checking it is ``True`` or ``False`` (not 0/1, not a string)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def check_betas(name: str, betas) -> tuple[float, float]:
    """Return Adam's ``(beta1, beta2)`` after checking both lie in ``[0, 1)``."""
    if isinstance(betas, (str, bytes)) or not hasattr(betas, "__len__") or len(betas) != 2:
        raise TypeError(f"{name} must be a pair (beta1, beta2), got {betas!r}")
    return tuple(  # type: ignore[return-value]
        check_number(f"{name}[{i}]", b, low=0.0, high=1.0, high_open=True) for i, b in enumerate(betas)
    )


def check_array(
    name: str,
    x,
    *,
    ndim: int | tuple[int, ...] | None = None,
    dtype_kind: str = "fiub",
    finite: bool = True,
    min_len: int = 0,
) -> np.ndarray:
    """Return ``x`` as a numpy array after checking its kind, dimensions and values.

    ``dtype_kind`` lists the allowed numpy kinds (``"f"`` float, ``"i"``/``"u"`` integers,
    ``"b"`` bool). Lists are converted; strings, ``None`` and ragged lists are refused.
    """
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be a numpy array, got {type(x).__name__}")
    try:
        arr = np.asarray(x)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array: {exc}") from None
    if arr.dtype.kind not in dtype_kind:
        raise TypeError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    if arr.ndim and len(arr) < min_len:
        raise ValueError(f"{name} must have at least {min_len} rows, got {len(arr)}")
    if finite and arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or inf")
    return arr


def check_rng(name: str, rng) -> np.random.Generator:
    """Return a ``numpy.random.Generator``: pass one through, or seed a new one from an int >= 0.

    Examples
    --------
    >>> isinstance(check_rng("rng", 0), np.random.Generator)
    True
    >>> check_rng("rng", -1)
    Traceback (most recent call last):
    ...
    ValueError: rng must be a seed >= 0 (numpy's seeds are non-negative), got -1
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, (bool, np.bool_)):
        if rng < 0:
            raise ValueError(f"{name} must be a seed >= 0 (numpy's seeds are non-negative), got {rng!r}")
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"{name} must be a numpy.random.Generator or an int seed, got {type(rng).__name__}; "
        "create one with numpy.random.default_rng(0)"
    )


def require_rng(name: str, rng, *, when: str) -> np.random.Generator:
    """Like :func:`check_rng`, but first refuse a missing ``rng`` (``None``) with a ``TypeError``.

    ``when`` says why it is needed, e.g. ``"shuffle=True"``; every function that needs an
    ``rng`` only sometimes uses this, so the message reads the same everywhere.

    Examples
    --------
    >>> require_rng("rng", None, when="noise_std > 0")
    Traceback (most recent call last):
    ...
    TypeError: rng is required when noise_std > 0: rng must be a numpy.random.Generator or an int seed, e.g. rng=numpy.random.default_rng(0)
    """
    if rng is None:
        raise TypeError(
            f"{name} is required when {when}: {name} must be a numpy.random.Generator or an int "
            f"seed, e.g. {name}=numpy.random.default_rng(0)"
        )
    return check_rng(name, rng)
