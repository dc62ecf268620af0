"""Checks shared by the data helpers: a design matrix ``X`` and its targets ``y``."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_array


def check_xy(X: ArrayLike, y: ArrayLike, *, x_name: str = "X", y_name: str = "y") -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` as arrays after checking they are numeric, finite, non-empty and of equal length.

    ``X`` has one row per sample (any number of further dimensions, e.g. ``(n, 8, 8)`` images);
    ``y`` is 1-D (labels or regression targets).
    """
    X = check_array(x_name, X)
    y = check_array(y_name, y, ndim=1)
    if X.ndim == 0:
        raise ValueError(f"{x_name} must have one row per sample, got a scalar")
    if len(X) == 0:
        raise ValueError(f"{x_name} is empty: give at least one sample")
    if len(X) != len(y):
        raise ValueError(
            f"{x_name} and {y_name} must have the same number of samples (rows), "
            f"got {len(X)} and {len(y)}"
        )
    return X, y
