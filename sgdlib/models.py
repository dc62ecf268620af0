r"""Models with hand-written forward and backward passes: linear, logistic, softmax, MLP.

Every model holds its parameters in ``model.params``, a dict name -> float64 array in the
structure the optimizers of :mod:`sgdlib.optim` take, and computes

* ``loss(X, y)`` - the mean loss over the rows of ``X``;
* ``loss_and_grads(X, y) -> (loss, grads)`` - the loss and its gradient with respect to every
  parameter, ``grads`` a dict with the keys and shapes of ``params``;
* ``predict(X)`` - predictions; classifiers also have ``predict_proba(X)`` and
  ``accuracy(X, y)``.

So one training step is ``loss, grads = model.loss_and_grads(Xb, yb); opt.step(grads)``.

As in micrograd and CS231n, each backward pass sits right below its forward pass and walks
it in reverse, one line of the chain rule per line of the forward pass. Shapes: ``n`` samples,
``d`` features, ``k`` classes. Inputs are rows (``X`` is ``(n, d)``), so every layer is one
BLAS matrix product ``X @ W`` with ``W`` of shape ``(d_in, d_out)``, and there is no Python
loop over samples.

=================  ==========================================  ==============================
model              prediction                                  loss (mean over the batch)
=================  ==========================================  ==============================
LinearRegression   y_hat = X w + b                             (y_hat - y)^2   (MSE)
LogisticRegression p = sigmoid(X w + b)                        -y log p - (1-y) log(1-p)
SoftmaxRegression  p = softmax(X W + b)                        -log p[y]       (cross-entropy)
MLP                p = softmax(...relu(X W1 + b1) W2 + b2...)  -log p[y]
=================  ==========================================  ==============================

Examples
--------
>>> import numpy as np
>>> from sgdlib.models import MLP
>>> model = MLP([2, 16, 3], activation="tanh", rng=np.random.default_rng(0))
>>> model
MLP([2, 16, 3], activation='tanh') with 99 parameters {W1: (2, 16), b1: (16,), W2: (16, 3), b2: (3,)}
>>> X, y = np.array([[0.5, -1.0], [2.0, 0.0]]), np.array([0, 2])
>>> loss, grads = model.loss_and_grads(X, y)
>>> sorted(grads) == sorted(model.params), grads["W1"].shape
(True, (2, 16))
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from ._checks import check_array, check_int, check_rng

__all__ = ["Model", "LinearRegression", "LogisticRegression", "SoftmaxRegression", "MLP",
           "log_softmax", "sigmoid"]


# -- numerically stable building blocks ---------------------------------------------------------

def sigmoid(z: ArrayLike) -> np.ndarray:
    r"""The logistic function :math:`\sigma(z) = 1 / (1 + e^{-z})`, without overflow.

    ``exp(-z)`` overflows for ``z < -709``; we only ever exponentiate :math:`-|z| \le 0`, using
    :math:`\sigma(z) = e^{z} / (1 + e^{z})` for negative ``z``.

    Parameters
    ----------
    z : array of real numbers, any shape (NaN and inf allowed: inf gives 1, NaN gives NaN)

    Examples
    --------
    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    z = check_array("z", z, dtype_kind="fiu", finite=False)
    return _sigmoid(z if z.dtype.kind == "f" else z.astype(np.float64))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """:func:`sigmoid` without the checks, for the models' inner loops."""
    e = np.exp(-np.abs(z))                     # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def log_softmax(logits: ArrayLike) -> np.ndarray:
    r"""Row-wise :math:`\log \mathrm{softmax}(z)_j = z_j - \log \sum_i e^{z_i}`, without overflow.

    Subtracting the row maximum first (the log-sum-exp trick) leaves the result unchanged and
    keeps every exponent :math:`\le 0`.

    Parameters
    ----------
    logits : array of shape (n, k)
        One row of ``k`` finite scores per sample.

    Examples
    --------
    >>> log_softmax(np.array([[1000.0, 1000.0]]))
    array([[-0.69314718, -0.69314718]])
    """
    logits = check_array("logits", logits, ndim=2, dtype_kind="fiu", min_len=0)
    if logits.shape[1] == 0:
        raise ValueError(f"logits must have at least one column (class), got shape {logits.shape}")
    return _log_softmax(logits if logits.dtype.kind == "f" else logits.astype(np.float64))


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    """:func:`log_softmax` without the checks, for the models' inner loops."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    r"""Mean cross-entropy of integer labels ``y`` under ``softmax(logits)``, and d loss / d logits.

    Forward: :math:`L = \frac1n \sum_i \big(\log \sum_j e^{z_{ij}} - z_{i y_i}\big)`.
    Backward: :math:`\partial L / \partial z_{ij} = (p_{ij} - [j = y_i]) / n` with
    :math:`p = \mathrm{softmax}(z)`. ``logits`` is overwritten (it is a fresh temporary).
    """
    n = len(y)
    rows = np.arange(n)
    logits -= logits.max(axis=1, keepdims=True)     # log-sum-exp trick: exponents <= 0
    p = np.exp(logits)
    sums = p.sum(axis=1)
    loss = float(np.log(sums).sum() - logits[rows, y].sum()) / n
    p /= sums[:, None]                              # softmax probabilities
    p[rows, y] -= 1.0                               # p - onehot(y)
    p /= n                                          # the loss is a mean over the batch
    return loss, p


# -- the base class: argument checks and the public methods ------------------------------------

class Model:
    """Base class: ``params``, input checks, and the public ``loss`` / ``loss_and_grads``.

    A subclass writes ``_loss_and_grads(X, y)`` (forward and backward, no checks), ``_forward(X)``
    (the raw output) and, for classifiers, sets ``n_classes``. The public methods check ``X`` and
    ``y`` once and then call them; :func:`sgdlib.train.train` checks the whole data set once and
    calls the unchecked ``_loss_and_grads`` on each batch.
    """

    n_features: int
    n_classes: int | None = None      # None for regression
    params: dict[str, np.ndarray]

    # -- public API -----------------------------------------------------------------------------
    def loss(self, X: ArrayLike, y: ArrayLike) -> float:
        """The mean loss on ``(X, y)``."""
        X, y = self._check_inputs(X, y)
        return self._loss(X, y)

    def loss_and_grads(self, X: ArrayLike, y: ArrayLike) -> tuple[float, dict[str, np.ndarray]]:
        """The mean loss on ``(X, y)`` and its gradient, a dict shaped like ``params``."""
        X, y = self._check_inputs(X, y)
        return self._loss_and_grads(X, y)

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Predictions for the rows of ``X``: real values (regression) or class labels."""
        return self._predict(self._check_X(X))

    @property
    def n_params(self) -> int:
        """Total number of scalar parameters."""
        return sum(p.size for p in self.params.values())

    def __repr__(self) -> str:
        shapes = ", ".join(f"{k}: {p.shape}" for k, p in self.params.items())
        return f"{self._describe()} with {self.n_params} parameters {{{shapes}}}"

    # -- what subclasses write ------------------------------------------------------------------
    def _describe(self) -> str:  # pragma: no cover - every subclass overrides it
        return type(self).__name__

    def _loss(self, X: np.ndarray, y: np.ndarray) -> float:
        return self._loss_and_grads(X, y)[0]

    def _loss_and_grads(self, X, y):  # pragma: no cover
        raise NotImplementedError

    def _predict(self, X):  # pragma: no cover
        raise NotImplementedError

    # -- checks ---------------------------------------------------------------------------------
    def _check_X(self, X) -> np.ndarray:
        X = check_array("X", X, ndim=2)
        if X.shape[1] != self.n_features:
            raise ValueError(
                f"X must have {self.n_features} columns (features) for this model, got shape {X.shape}"
            )
        return X if X.dtype.kind == "f" else X.astype(np.float64)

    def _check_inputs(self, X, y) -> tuple[np.ndarray, np.ndarray]:
        X = self._check_X(X)
        if self.n_classes is None:
            y = check_array("y", y, ndim=1, dtype_kind="fiu")
        else:
            y = check_array("y", y, ndim=1, dtype_kind="fiub")
            if y.dtype.kind == "f":
                raise TypeError(
                    f"y must hold integer class labels 0..{self.n_classes - 1}, got dtype {y.dtype}; "
                    "convert with y.astype(int)"
                )
        if len(y) != len(X):
            raise ValueError(f"X and y must have the same number of rows, got {len(X)} and {len(y)}")
        if len(y) == 0:
            raise ValueError("X and y are empty: give at least one sample")
        if self.n_classes is not None:
            lo, hi = int(y.min()), int(y.max())
            if lo < 0 or hi >= self.n_classes:
                raise ValueError(
                    f"y must hold class labels 0..{self.n_classes - 1}, got values from {lo} to {hi}"
                )
            y = y.astype(np.intp, copy=False)
        return X, y


class _Classifier(Model):
    """Classifiers predict the most probable class and report their accuracy."""

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Class probabilities, shape ``(n, k)`` (``(n,)``: P(y = 1) for logistic regression)."""
        return self._proba(self._check_X(X))

    def accuracy(self, X: ArrayLike, y: ArrayLike) -> float:
        """Fraction of the rows of ``X`` whose predicted class equals ``y``."""
        X, y = self._check_inputs(X, y)
        return float(np.mean(self._predict(X) == y))

    def _predict(self, X: np.ndarray) -> np.ndarray:
        return np.argmax(self._forward(X), axis=1)   # the largest logit is the most probable class

    def _proba(self, X: np.ndarray) -> np.ndarray:
        return np.exp(_log_softmax(self._forward(X)))


# -- linear models ------------------------------------------------------------------------------

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

    def _forward(self, X: np.ndarray) -> np.ndarray:
        return X @ self.params["W"] + self.params["b"]

    def _predict(self, X: np.ndarray) -> np.ndarray:
        return self._forward(X)

    def _loss(self, X, y) -> float:
        r = self._forward(X) - y
        return float(r @ r) / len(y)

    def _loss_and_grads(self, X, y):
        n = len(y)
        r = self._forward(X) - y                    # forward: residuals y_hat - y
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

    def _forward(self, X: np.ndarray) -> np.ndarray:
        z = self._logit(X)
        return np.stack([np.zeros_like(z), z], axis=1)   # as 2-class logits (z0 = 0, z1 = z)

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

    def _forward(self, X: np.ndarray) -> np.ndarray:
        logits = X @ self.params["W"]
        logits += self.params["b"]          # in place: no second (n, k) temporary
        return logits

    def _loss(self, X, y) -> float:
        return -float(_log_softmax(self._forward(X))[np.arange(len(y)), y].mean())

    def _loss_and_grads(self, X, y):
        loss, dlogits = _softmax_cross_entropy(self._forward(X), y)   # forward + dL/dlogits
        return loss, {"W": X.T @ dlogits,        # logits = X W + b
                      "b": dlogits.sum(axis=0)}  # b is added to every row


# -- the multi-layer perceptron -----------------------------------------------------------------

class MLP(_Classifier):
    r"""A fully connected network with ReLU or tanh hidden layers and a softmax output.

    With ``layer_sizes = [d, h_1, ..., h_{L-1}, k]`` and :math:`h_0 = X`:

    .. code-block:: text

        a_l = h_{l-1} W_l + b_l,  h_l = act(a_l)      for l = 1 .. L-1  (hidden layers)
        logits = h_{L-1} W_L + b_L,  loss = mean cross-entropy(softmax(logits), y)

    and backward, from :math:`\delta_L = (\mathrm{softmax} - \mathrm{onehot}(y)) / n`:

    .. code-block:: text

        dW_l = h_{l-1}^T delta_l,  db_l = sum over rows of delta_l
        delta_{l-1} = (delta_l W_l^T) * act'(a_{l-1})

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_features, hidden..., n_classes]``, at least two entries, each >= 1 (the last >= 2).
        ``[64, 10]`` is softmax regression; ``[64, 64, 10]`` has one hidden layer of 64 units.
    activation : {"relu", "tanh"}, default "relu"
        Nonlinearity of the hidden layers.
    rng : numpy.random.Generator or int
        Source of the initial weights (an int is a seed).

    Notes
    -----
    Parameters ``W1, b1, ..., WL, bL``; ``W_l`` has shape ``(fan_in, fan_out)``. Biases start
    at zero. Weights are drawn so that signals neither vanish nor explode through the layers:

    * ReLU: He (Kaiming) normal, :math:`W \sim \mathcal N(0, 2/\text{fan\_in})` - ReLU zeroes
      half of its inputs, the factor 2 restores the variance (He et al. 2015).
    * tanh: Glorot (Xavier) uniform, :math:`W \sim U(-a, a)`,
      :math:`a = \sqrt{6 / (\text{fan\_in} + \text{fan\_out})}` (Glorot and Bengio 2010).

    The last layer uses the same rule as the hidden ones.

    Examples
    --------
    >>> import numpy as np
    >>> model = MLP([64, 64, 10], rng=np.random.default_rng(0))
    >>> model.n_params, list(model.params)
    (4810, ['W1', 'b1', 'W2', 'b2'])
    >>> X, y = np.random.default_rng(1).random((32, 64)), np.arange(32) % 10
    >>> loss, grads = model.loss_and_grads(X, y)
    >>> grads["W1"].shape, grads["b2"].shape
    ((64, 64), (10,))

    References
    ----------
    He, Zhang, Ren, Sun, "Delving deep into rectifiers", ICCV 2015. Glorot and Bengio,
    "Understanding the difficulty of training deep feedforward neural networks", AISTATS 2010.
    Karpathy, micrograd (2020) and CS231n "Backpropagation, intuitions" notes.
    """

    ACTIVATIONS = ("relu", "tanh")

    def __init__(self, layer_sizes: Sequence[int], *, activation: str = "relu",
                 rng: np.random.Generator | int):
        if isinstance(layer_sizes, (str, bytes)) or not isinstance(layer_sizes, Sequence):
            raise TypeError(f"layer_sizes must be a list of ints like [64, 64, 10], got {layer_sizes!r}")
        if len(layer_sizes) < 2:
            raise ValueError(f"layer_sizes needs at least [n_features, n_classes], got {list(layer_sizes)}")
        sizes = [check_int(f"layer_sizes[{i}]", s, low=1) for i, s in enumerate(layer_sizes)]
        if sizes[-1] < 2:
            raise ValueError(f"the last layer size is the number of classes and must be >= 2, got {sizes[-1]}")
        if activation not in self.ACTIVATIONS:
            raise ValueError(f"activation must be one of {self.ACTIVATIONS}, got {activation!r}")
        rng = check_rng("rng", rng)
        self.layer_sizes, self.activation = sizes, activation
        self.n_features, self.n_classes = sizes[0], sizes[-1]
        self.n_layers = len(sizes) - 1
        self.params = {}
        for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            if activation == "relu":
                W = rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)      # He
            else:
                a = np.sqrt(6.0 / (fan_in + fan_out))
                W = rng.uniform(-a, a, size=(fan_in, fan_out))                         # Glorot
            self.params[f"W{l}"] = W
            self.params[f"b{l}"] = np.zeros(fan_out)

    def _describe(self) -> str:
        return f"MLP({self.layer_sizes}, activation={self.activation!r})"

    def _hidden(self, X: np.ndarray) -> list[np.ndarray]:
        """Forward through the hidden layers: ``[h_0 = X, h_1, ..., h_{L-1}]``."""
        p, hs = self.params, [X]
        for l in range(1, self.n_layers):
            a = hs[-1] @ p[f"W{l}"]       # (n, fan_in) @ (fan_in, fan_out): one BLAS call
            a += p[f"b{l}"]               # in place, so a and h share one buffer:
            if self.activation == "relu":  # backward needs only h, since
                np.maximum(a, 0.0, out=a)  # relu'(a) = [h > 0] and tanh'(a) = 1 - h^2
            else:
                np.tanh(a, out=a)
            hs.append(a)
        return hs

    def _forward(self, X: np.ndarray) -> np.ndarray:
        h = self._hidden(X)[-1]
        L = self.n_layers
        logits = h @ self.params[f"W{L}"]
        logits += self.params[f"b{L}"]
        return logits

    def _loss(self, X, y) -> float:
        return -float(_log_softmax(self._forward(X))[np.arange(len(y)), y].mean())

    def _loss_and_grads(self, X, y):
        p, L = self.params, self.n_layers
        # forward
        hs = self._hidden(X)
        logits = hs[-1] @ p[f"W{L}"]
        logits += p[f"b{L}"]
        loss, delta = _softmax_cross_entropy(logits, y)     # delta = dL/dlogits, (n, k)
        # backward: walk the layers in reverse; delta is dL/da_l for the current layer l
        grads = {}
        for l in range(L, 0, -1):
            h_prev = hs[l - 1]
            grads[f"W{l}"] = h_prev.T @ delta                # a_l = h_{l-1} W_l + b_l
            grads[f"b{l}"] = delta.sum(axis=0)               # b_l is added to every row
            if l > 1:                                        # (no gradient needed for X)
                delta = delta @ p[f"W{l}"].T                 # dL/dh_{l-1}
                if self.activation == "relu":
                    delta *= h_prev > 0                      # relu passes gradient where on
                else:
                    delta *= 1.0 - h_prev * h_prev           # tanh' = 1 - tanh^2
        # grads were filled from the last layer down; give them in the order of params
        return loss, {k: grads[k] for k in p}
