"""Data for the lessons: mini-batches, synthetic data sets, the 8x8 digits, splits and scaling.

* :class:`DataLoader` - iterate over ``(X, y)`` in mini-batches, reshuffled every epoch from an
  explicit ``numpy.random.Generator`` (torch.utils.data.DataLoader's vocabulary).
* :func:`make_linear_regression`, :func:`make_blobs`, :func:`make_moons` - seeded toy data.
* :func:`load_digits` - the 1,797 8x8 handwritten digits (UCI, CC BY 4.0), shipped with sgdlib;
  :func:`digits_split` - the lessons' 75/25 stratified split of them.
* :func:`train_test_split` - a seeded (optionally stratified) split.
* :func:`standardize` / :class:`Standardizer` - zero mean, unit variance, fitted on the training set.

Examples
--------
>>> import numpy as np
>>> from sgdlib.data import DataLoader, make_blobs
>>> X, y = make_blobs(100, n_classes=3, rng=np.random.default_rng(0))
>>> loader = DataLoader(X, y, batch_size=32, rng=np.random.default_rng(1))
>>> len(loader), [len(yb) for _, yb in loader]
(4, [32, 32, 32, 4])
"""

from __future__ import annotations

from .batches import DataLoader
from .digits import digits_split, load_digits
from .scaling import Standardizer, standardize
from .split import train_test_split
from .synthetic import make_blobs, make_linear_regression, make_moons

__all__ = [
    "DataLoader", "make_linear_regression", "make_blobs", "make_moons", "load_digits", "digits_split",
    "train_test_split", "standardize", "Standardizer",
]
