r"""Feature scaling: zero mean and unit variance per feature, fitted on the training set only.

Unequal feature scales stretch the loss surface: for least squares the Hessian is
:math:`\tfrac{2}{n}X^\top X`, whose condition number grows with the ratio of the feature scales
squared, and gradient descent slows down accordingly. Standardizing every feature,
:math:`z_j = (x_j - \mu_j) / \sigma_j`, removes that source of ill-conditioning.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_array, check_number

__all__ = ["Standardizer", "standardize"]


class Standardizer:
    r"""Remember each feature's mean :math:`\mu_j` and standard deviation :math:`\sigma_j`.

    Fit it on the training set, then apply the *same* transformation to the test set: using the
    test set's own statistics would leak information about it into the model.

    Parameters
    ----------
    eps : float, default 1e-12
        A feature whose standard deviation is at most ``eps`` (a constant feature, like the
        always-blank border pixels of the digits) is only centred, not divided.

    Attributes
    ----------
    mean_, scale_ : ndarray, shape (n_features,)
        Set by :meth:`fit`; ``scale_`` is :math:`\sigma_j`, or 1 for a constant feature.

    Examples
    --------
    >>> import numpy as np
    >>> scaler = Standardizer().fit(np.array([[0.0, 5.0], [2.0, 5.0]]))
    >>> scaler.mean_, scaler.scale_
    (array([1., 5.]), array([1., 1.]))
    >>> scaler.transform(np.array([[4.0, 6.0]]))
    array([[3., 1.]])
    """

    def __init__(self, eps: float = 1e-12):
        self.eps = check_number("eps", eps, low=0.0)
        self.mean_: np.ndarray | None = None
        self.scale_: np.ndarray | None = None

    def fit(self, X: ArrayLike) -> Standardizer:
        """Compute the mean and standard deviation of each column of ``X`` (n, d); return self."""
        X = check_array("X", X, ndim=2, min_len=1)
        self.mean_ = X.mean(axis=0)
        std = X.std(axis=0)
        self.scale_ = np.where(std > self.eps, std, 1.0)
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        r"""Return :math:`(X - \mu) / \sigma` as a new float array; ``X`` is not modified."""
        if self.mean_ is None:
            raise RuntimeError("call fit(X_train) before transform")
        X = check_array("X", X, ndim=2)
        if X.shape[1] != len(self.mean_):
            raise ValueError(f"X must have {len(self.mean_)} columns like the data fitted, got {X.shape[1]}")
        return (X - self.mean_) / self.scale_

    def __repr__(self) -> str:
        fitted = "unfitted" if self.mean_ is None else f"fitted on {len(self.mean_)} features"
        return f"Standardizer(eps={self.eps!r}), {fitted}"


def standardize(X_train: ArrayLike, X_test: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Standardize both sets with the training set's mean and standard deviation.

    Parameters
    ----------
    X_train : array, shape (n_train, d)
        The statistics come from here.
    X_test : array, shape (n_test, d)
        Transformed with the training statistics.

    Returns
    -------
    Z_train, Z_test : ndarray
        New arrays; the inputs are not modified. ``Z_train`` has column means 0 and standard
        deviations 1 (0 for constant columns); ``Z_test`` only approximately so.

    Examples
    --------
    >>> import numpy as np
    >>> Z_train, Z_test = standardize(np.array([[1.0, 100.0], [3.0, 300.0]]), np.array([[2.0, 500.0]]))
    >>> Z_train
    array([[-1., -1.],
           [ 1.,  1.]])
    >>> Z_test
    array([[0., 3.]])
    """
    scaler = Standardizer().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test)
