"""The 8x8 handwritten digits, shipped with sgdlib so the lessons run offline.

Source: E. Alpaydin and C. Kaynak, "Optical Recognition of Handwritten Digits", UCI Machine
Learning Repository, 1998, https://doi.org/10.24432/C50P49, licensed CC BY 4.0 (see
``DIGITS_LICENSE.md`` next to this file). The file holds the 1,797-image test part, as
distributed by scikit-learn's ``load_digits``.
"""

from __future__ import annotations

from importlib import resources

import numpy as np

from .._checks import check_bool
from .split import train_test_split

__all__ = ["load_digits", "digits_split", "DIGITS_TEST_SIZE", "DIGITS_SPLIT_SEED"]

N_IMAGES, SIDE, N_CLASSES, MAX_PIXEL = 1797, 8, 10, 16
#: The held-out fraction and the seed of :func:`digits_split`.
DIGITS_TEST_SIZE = 0.25
DIGITS_SPLIT_SEED = 0


def load_digits(*, flatten: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 8x8 images of handwritten digits 0-9 and their labels.

    Each pixel counts the "on" pixels of a 4x4 block of the original 32x32 bitmap, an integer
    0..16; it is returned divided by 16, so as a float in ``[0, 1]`` (0 = background, 1 = full
    ink). That keeps the inputs on the scale of the initial weights, without fitting any
    statistic on the test set; for zero-mean, unit-variance features use
    :func:`sgdlib.data.standardize` on a training split.

    Parameters
    ----------
    flatten : bool, default True
        Return ``X`` as rows of 64 features (what the models take) instead of 8x8 images.

    Returns
    -------
    X : ndarray of float64, shape (1797, 64) or (1797, 8, 8)
        Pixel intensities in [0, 1].
    y : ndarray of int64, shape (1797,)
        The digit shown, 0..9 (about 180 of each).

    Examples
    --------
    >>> X, y = load_digits()
    >>> X.shape, X.dtype, float(X.min()), float(X.max())
    ((1797, 64), dtype('float64'), 0.0, 1.0)
    >>> np.bincount(y).tolist()
    [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]

    References
    ----------
    Alpaydin, Kaynak, "Optical Recognition of Handwritten Digits", UCI Machine Learning
    Repository, 1998, doi:10.24432/C50P49 (CC BY 4.0).
    """
    flatten = check_bool("flatten", flatten)
    with resources.files(__package__).joinpath("digits.npz").open("rb") as fh, np.load(fh) as data:
        images, labels = data["images"], data["labels"]
    X = images.astype(np.float64) / MAX_PIXEL
    if flatten:
        X = X.reshape(len(X), SIDE * SIDE)
    return X, labels.astype(np.int64)


def digits_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The lessons' split of the digits: ``(X_train, X_test, y_train, y_test)``.

    A stratified :func:`~sgdlib.data.train_test_split` of :func:`load_digits`, with
    :data:`DIGITS_TEST_SIZE` of the examples held out and seed :data:`DIGITS_SPLIT_SEED`.

    Examples
    --------
    >>> X_train, X_test, y_train, y_test = digits_split()
    >>> X_train.shape, X_test.shape
    ((1347, 64), (450, 64))
    """
    X, y = load_digits()
    return train_test_split(X, y, test_size=DIGITS_TEST_SIZE, rng=DIGITS_SPLIT_SEED, stratify=True)
