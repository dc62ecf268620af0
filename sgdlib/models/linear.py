r"""The linear models: least squares, logistic regression and softmax regression.

Each is one matrix product ``X @ W + b`` followed by a loss; their losses are convex, so their
parameters start at zero.
"""

from __future__ import annotations

import numpy as np

from .._checks import check_int
from .base import Model, _Classifier
from .functional import _log_softmax, _sigmoid, _softmax_cross_entropy

__all__ = ["LinearRegression", "LogisticRegression", "SoftmaxRegression"]


class LinearRegression(Model):
    r"""Least squares: :math:`\hat y = X w + b`, loss :math:`L = \frac1n \sum_i (\hat y_i - y_i)^2`.

    The loss is the plain mean squared error (like ``torch.nn.MSELoss``, no factor 1/2), so
    :math:`\nabla_w L = \frac2n X^\top (\hat y - y)` and :math:`\nabla_b L = \frac2n \sum_i
    (\hat y_i - y_i)`.

    Parameters
    ----------
    n_features : int
        Number of columns ``d`` of ``X``.

    Notes
    -----
    Parameters ``W`` (shape ``(d,)``) and ``b`` (shape ``(1,)``) start at zero: the loss is convex,
    so no random start is needed (set ``model.params["W"][:] = ...`` to start elsewhere).

    Examples
    --------
    >>> import numpy as np
    >>> model = LinearRegression(2)
    >>> X, y = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1.0, 3.0])
    >>> loss, grads = model.loss_and_grads(X, y)       # at w = 0, b = 0: mean(1, 9)
    >>> loss, grads["W"], grads["b"]
    (5.0, array([-1., -3.]), array([-4.]))
    """

    def __init__(self, n_features: int):
        self.n_features = check_int("n_features", n_features, low=1)
        self.params = {"W": np.zeros(self.n_features), "b": np.zeros(1)}

    def _describe(self) -> str:
        return f"LinearRegression(n_features={self.n_features})"

    def _predict(self, X: np.ndarray) -> np.ndarray:
        return X @ self.params["W"] + self.params["b"]

    def _loss(self, X, y) -> float:
        r = self._predict(X) - y
        return float(r @ r) / len(y)

    def _loss_and_grads(self, X, y):
        n = len(y)
        r = self._predict(X) - y                    # forward: residuals y_hat - y
        loss = float(r @ r) / n                     # mean of r^2 (r @ r: one BLAS dot)
        dr = (2.0 / n) * r                          # backward: d(mean r^2)/dr = 2r/n
        return loss, {"W": X.T @ dr,                # y_hat = X w + b, so dL/dw = X^T dr
                      "b": np.array([dr.sum()])}    # and b is added to every row: sum


class LogisticRegression(_Classifier):
    r"""Binary logistic regression: :math:`P(y=1 \mid x) = \sigma(x^\top w + b)`.

    Loss: the mean binary cross-entropy, computed from the logit :math:`z` as
    :math:`\log(1 + e^{z}) - y z` (``np.logaddexp(0, z)``), which never takes ``log(0)`` nor
    overflows. Its gradient is :math:`\partial L / \partial z_i = (\sigma(z_i) - y_i) / n`.

    Parameters
    ----------
    n_features : int
        Number of columns ``d`` of ``X``.

    Notes
    -----
    ``y`` holds labels 0 and 1. Parameters ``W`` (shape ``(d,)``) and ``b`` (shape ``(1,)``)
    start at zero (convex loss). ``predict_proba`` returns P(y = 1), shape ``(n,)``.

    Examples
    --------
    >>> import numpy as np
    >>> model = LogisticRegression(1)
    >>> model.loss(np.array([[1.0], [-1.0]]), np.array([1, 0]))    # log 2 at w = 0
    0.6931471805599453
    >>> model.params["W"][:] = 1e4                                # huge logits: still finite
    >>> model.loss(np.array([[1.0], [-1.0]]), np.array([0, 1]))
    10000.0
    """

    n_classes = 2

    def __init__(self, n_features: int):
        self.n_features = check_int("n_features", n_features, low=1)
        self.params = {"W": np.zeros(self.n_features), "b": np.zeros(1)}

    def _describe(self) -> str:
        return f"LogisticRegression(n_features={self.n_features})"

    def _logit(self, X: np.ndarray) -> np.ndarray:
        return X @ self.params["W"] + self.params["b"]

    def _predict(self, X: np.ndarray) -> np.ndarray:
        return (self._logit(X) > 0).astype(np.intp)    # sigma(z) > 1/2  <=>  z > 0

    def _proba(self, X: np.ndarray) -> np.ndarray:
        return _sigmoid(self._logit(X))

    def _loss(self, X, y) -> float:
        z = self._logit(X)
        return float(np.mean(np.logaddexp(0.0, z) - y * z))

    def _loss_and_grads(self, X, y):
        n = len(y)
        z = self._logit(X)                                  # forward: logits
        loss = float(np.mean(np.logaddexp(0.0, z) - y * z))  # -log sigma(z) or -log(1-sigma(z))
        dz = (_sigmoid(z) - y) / n                           # backward: dL/dz = (p - y)/n
        return loss, {"W": X.T @ dz, "b": np.array([dz.sum()])}


class SoftmaxRegression(_Classifier):
    r"""Multinomial logistic regression: :math:`p = \mathrm{softmax}(X W + b)`, cross-entropy loss.

    :math:`L = -\frac1n \sum_i \log p_{i, y_i}`; with :math:`\delta = (p - \mathrm{onehot}(y))/n`,
    :math:`\nabla_W L = X^\top \delta` and :math:`\nabla_b L = \sum_i \delta_i`.

    Parameters
    ----------
    n_features : int
        Number of columns ``d`` of ``X``.
    n_classes : int
        Number of classes ``k`` >= 2; ``y`` holds labels ``0 .. k-1``.

    Notes
    -----
    Parameters ``W`` (shape ``(d, k)``) and ``b`` (shape ``(k,)``) start at zero (convex loss):
    the first loss is exactly :math:`\log k`.

    Examples
    --------
    >>> import numpy as np
    >>> model = SoftmaxRegression(n_features=3, n_classes=4)
    >>> X, y = np.ones((5, 3)), np.array([0, 1, 2, 3, 0])
    >>> bool(np.isclose(model.loss(X, y), np.log(4)))
    True
    """

    def __init__(self, n_features: int, n_classes: int):
        self.n_features = check_int("n_features", n_features, low=1)
        self.n_classes = check_int("n_classes", n_classes, low=2)
        self.params = {"W": np.zeros((self.n_features, self.n_classes)), "b": np.zeros(self.n_classes)}

    def _describe(self) -> str:
        return f"SoftmaxRegression(n_features={self.n_features}, n_classes={self.n_classes})"

    def _logits(self, X: np.ndarray) -> np.ndarray:
        logits = X @ self.params["W"]
        logits += self.params["b"]          # in place: no second (n, k) temporary
        return logits

    def _loss(self, X, y) -> float:
        return -float(_log_softmax(self._logits(X))[np.arange(len(y)), y].mean())

    def _loss_and_grads(self, X, y):
        loss, dlogits = _softmax_cross_entropy(self._logits(X), y)   # forward + dL/dlogits
        return loss, {"W": X.T @ dlogits,        # logits = X W + b
                      "b": dlogits.sum(axis=0)}  # b is added to every row
