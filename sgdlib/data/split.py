"""A seeded train/test split, plain or stratified."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_bool, check_number, check_rng
from ._validate import check_xy

__all__ = ["train_test_split"]


def train_test_split(
    X: ArrayLike,
    y: ArrayLike,
    *,
    test_size: float = 0.25,
    rng: np.random.Generator | int,
    stratify: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split ``(X, y)`` at random into a training part and a held-out test part.

    Parameters
    ----------
    X : array, shape (n, ...)
    y : array, shape (n,)
    test_size : float, default 0.25
        Fraction of the samples held out, strictly between 0 and 1. The test part gets
        ``round(test_size * n)`` samples (at least 1, and at least 1 is left for training).
    rng : numpy.random.Generator or int
        Source of the random order (an int is a seed).
    stratify : bool, default False
        Keep the class proportions of ``y`` in both parts: each class ``c`` with ``n_c``
        samples sends ``round(test_size * n_c)`` of them to the test part (so the test size can
        differ from the plain split's by a few samples).

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarray
        In scikit-learn's order. Both parts are in a random order.

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.arange(20.0).reshape(10, 2), np.array([0] * 8 + [1] * 2)
    >>> X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.5, rng=0, stratify=True)
    >>> X_tr.shape, X_te.shape, np.bincount(y_te).tolist()
    ((5, 2), (5, 2), [4, 1])
    """
    X, y = check_xy(X, y)
    frac = check_number("test_size", test_size, low=0.0, high=1.0, low_open=True, high_open=True)
    rng = check_rng("rng", rng)
    stratify = check_bool("stratify", stratify)
    n = len(y)
    if n < 2:
        raise ValueError(f"need at least 2 samples to split, got {n}")
    if stratify:
        if y.dtype.kind not in "iub":
            raise TypeError(f"stratify=True needs integer class labels in y, got dtype {y.dtype}")
        test_parts, train_parts = [], []
        for c in np.unique(y):
            idx = rng.permutation(np.flatnonzero(y == c))
            k = int(round(frac * len(idx)))
            test_parts.append(idx[:k])
            train_parts.append(idx[k:])
        test, train = np.concatenate(test_parts), np.concatenate(train_parts)
        if len(test) == 0 or len(train) == 0:
            raise ValueError(
                f"test_size={frac} leaves an empty part with stratify=True on {n} samples; "
                "use more data, another test_size, or stratify=False"
            )
        test, train = rng.permutation(test), rng.permutation(train)
    else:
        k = min(max(int(round(frac * n)), 1), n - 1)
        perm = rng.permutation(n)
        test, train = perm[:k], perm[k:]
    return X[train], X[test], y[train], y[test]
