r"""A multi-layer perceptron with hand-written backpropagation."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._checks import check_int, check_rng
from .base import _Classifier
from .functional import _log_softmax, _softmax_cross_entropy

__all__ = ["MLP"]


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

    def _logits(self, X: np.ndarray) -> np.ndarray:
        h = self._hidden(X)[-1]
        L = self.n_layers
        logits = h @ self.params[f"W{L}"]
        logits += self.params[f"b{L}"]
        return logits

    def _loss(self, X, y) -> float:
        return -float(_log_softmax(self._logits(X))[np.arange(len(y)), y].mean())

    def _loss_and_grads(self, X, y):
        p, L = self.params, self.n_layers
        # forward
        hs = self._hidden(X)
        logits = hs[-1] @ p[f"W{L}"]
        logits += p[f"b{L}"]
        loss, delta = _softmax_cross_entropy(logits, y)     # delta = dL/dlogits, (n, k)
        # backward: walk the layers in reverse; delta is dL/da_l for the current layer l
        grads = dict.fromkeys(p)                             # the keys in the order of params
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
        return loss, grads
