"""Seeded toy data sets: noisy linear regression, Gaussian blobs and two moons.

Every maker takes the number of samples first and an explicit ``rng`` (a
``numpy.random.Generator`` or an int seed), so a lesson's data is the same on every run.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_array, check_int, check_number, check_rng

__all__ = ["make_linear_regression", "make_blobs", "make_moons"]


def make_linear_regression(
    n_samples: int,
    n_features: int = 1,
    *,
    rng: np.random.Generator | int,
    noise: float = 0.1,
    scales: ArrayLike | None = None,
    bias: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Data from a linear model with Gaussian noise: :math:`y = X w + b + \sigma\,\varepsilon`.

    The features are standard normal, each column then multiplied by ``scales[j]``; the true
    weights are standard normal divided by the same scales, so every feature matters equally for
    ``y`` whatever its scale. Unequal scales make the least-squares loss ill-conditioned (its
    Hessian :math:`\tfrac{2}{n} X^\top X` has eigenvalues roughly proportional to
    ``scales**2``), which is what :func:`sgdlib.data.standardize` fixes.

    Parameters
    ----------
    n_samples : int
        Number of rows, >= 1.
    n_features : int, default 1
        Number of columns, >= 1.
    rng : numpy.random.Generator or int
        Source of randomness (an int is a seed).
    noise : float, default 0.1
        Standard deviation :math:`\sigma` of the noise, >= 0.
    scales : array of shape (n_features,), optional
        Positive scale of each feature; default all ones.
    bias : float, default 0
        Intercept :math:`b`.

    Returns
    -------
    X : ndarray, shape (n_samples, n_features)
    y : ndarray, shape (n_samples,)
    w : ndarray, shape (n_features,)
        The true weights (so ``y - X @ w - bias`` is the noise).

    Examples
    --------
    >>> import numpy as np
    >>> X, y, w = make_linear_regression(200, 2, rng=0, scales=[1.0, 100.0])
    >>> X.shape, y.shape, w.shape
    ((200, 2), (200,), (2,))
    >>> s = X.std(axis=0); bool(80 < s[1] / s[0] < 125)     # the second feature is ~100x larger
    True
    """
    n = check_int("n_samples", n_samples, low=1)
    d = check_int("n_features", n_features, low=1)
    rng = check_rng("rng", rng)
    sigma = check_number("noise", noise, low=0.0)
    b = check_number("bias", bias)
    if scales is None:
        s = np.ones(d)
    else:
        s = check_array("scales", scales, ndim=1, dtype_kind="fiu").astype(float)
        if s.shape != (d,):
            raise ValueError(f"scales must have shape ({d},) (one per feature), got {s.shape}")
        if not (s > 0).all():
            raise ValueError(f"scales must be positive, got {s.tolist()}")
    X = rng.standard_normal((n, d)) * s
    w = rng.standard_normal(d) / s
    y = X @ w + b + sigma * rng.standard_normal(n)
    return X, y, w


def make_blobs(
    n_samples: int,
    *,
    n_classes: int = 2,
    n_features: int = 2,
    cluster_std: float = 1.0,
    center_box: tuple[float, float] = (-5.0, 5.0),
    rng: np.random.Generator | int,
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs: ``n_classes`` round clusters, one per class, of (nearly) equal size.

    The centres are drawn uniformly in ``center_box`` in every coordinate; each point is its
    class centre plus ``cluster_std`` times standard normal noise. With ``n_classes=2`` this is
    the two-class problem of logistic regression, with more the multi-class problem of softmax
    regression.

    Parameters
    ----------
    n_samples : int
        Total number of points, >= n_classes; class ``k`` gets ``n_samples // n_classes`` points,
        plus one for the first ``n_samples % n_classes`` classes.
    n_classes : int, default 2
        Number of classes, >= 2.
    n_features : int, default 2
        Dimension of the points, >= 1.
    cluster_std : float, default 1
        Standard deviation of each blob, > 0.
    center_box : (float, float), default (-5, 5)
        Range of the centres' coordinates.
    rng : numpy.random.Generator or int

    Returns
    -------
    X : ndarray, shape (n_samples, n_features)
    y : ndarray of int, shape (n_samples,)
        Labels ``0 .. n_classes - 1``, in a shuffled order.

    Examples
    --------
    >>> X, y = make_blobs(90, n_classes=3, rng=0)
    >>> X.shape, np.bincount(y).tolist()
    ((90, 2), [30, 30, 30])
    """
    n = check_int("n_samples", n_samples, low=1)
    k = check_int("n_classes", n_classes, low=2)
    d = check_int("n_features", n_features, low=1)
    std = check_number("cluster_std", cluster_std, low=0.0, low_open=True)
    if not isinstance(center_box, (tuple, list)) or len(center_box) != 2:
        raise TypeError(f"center_box must be a pair (low, high), got {center_box!r}")
    lo = check_number("center_box[0]", center_box[0])
    hi = check_number("center_box[1]", center_box[1])
    if not lo < hi:
        raise ValueError(f"center_box must have low < high, got {center_box!r}")
    if n < k:
        raise ValueError(f"n_samples must be >= n_classes={k} (one point per class), got {n}")
    rng = check_rng("rng", rng)
    centers = rng.uniform(lo, hi, size=(k, d))
    y = rng.permutation(np.arange(n) % k)
    X = centers[y] + std * rng.standard_normal((n, d))
    return X, y


def make_moons(
    n_samples: int,
    *,
    noise: float = 0.1,
    rng: np.random.Generator | int,
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: a two-class problem no straight line separates.

    Class 0 lies on the upper half of the unit circle, class 1 on a lower half circle shifted by
    ``(1, 0.5)``; both get Gaussian noise of standard deviation ``noise``. A linear model gets
    about 85-90 % right, a small MLP nearly all.

    Parameters
    ----------
    n_samples : int
        Total number of points, >= 2 (class 0 gets the odd one).
    noise : float, default 0.1
        Standard deviation of the noise, >= 0.
    rng : numpy.random.Generator or int

    Returns
    -------
    X : ndarray, shape (n_samples, 2)
    y : ndarray of int, shape (n_samples,)
        Labels 0 and 1, in a shuffled order.

    Examples
    --------
    >>> X, y = make_moons(100, rng=0)
    >>> X.shape, np.bincount(y).tolist()
    ((100, 2), [50, 50])

    References
    ----------
    The same construction as scikit-learn's ``sklearn.datasets.make_moons``.
    """
    n = check_int("n_samples", n_samples, low=2)
    sigma = check_number("noise", noise, low=0.0)
    rng = check_rng("rng", rng)
    n0 = n - n // 2
    y = rng.permutation(np.r_[np.zeros(n0, dtype=int), np.ones(n // 2, dtype=int)])
    t = rng.uniform(0.0, np.pi, size=n)       # angle along each half circle
    X = np.where(
        (y == 0)[:, None],
        np.c_[np.cos(t), np.sin(t)],          # upper moon
        np.c_[1.0 - np.cos(t), 0.5 - np.sin(t)],  # lower moon, shifted into the upper's gap
    )
    X += sigma * rng.standard_normal((n, 2))
    return X, y
