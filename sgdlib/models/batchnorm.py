r"""A multi-layer perceptron with batch normalisation before every hidden ReLU."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._checks import check_int, check_number, check_rng
from .base import _Classifier
from .functional import _log_softmax, _softmax_cross_entropy

__all__ = ["BatchNormMLP"]


class BatchNormMLP(_Classifier):
    r"""An MLP whose hidden layers are ``ReLU(BatchNorm(h W))``, with a softmax output.

    With ``layer_sizes = [d, h_1, ..., h_{L-1}, k]`` and :math:`h_0 = X` (``n`` rows), each hidden
    layer ``l = 1 .. L-1`` computes, feature by feature (columns):

    .. code-block:: text

        z_l = h_{l-1} W_l                              (no bias: shift_l takes its place)
        batch_mean = mean of z_l over the rows
        batch_var = mean of (z_l - batch_mean)^2 over the rows                     (biased)
        zhat_l = (z_l - batch_mean) / sqrt(batch_var + eps)   every feature: mean 0, variance ~1
        a_l = scale_l * zhat_l + shift_l,   h_l = relu(a_l)

    and the output layer is ``logits = h_{L-1} W_L + b_L``, loss = mean cross-entropy.
    Backward through the normalisation, with ``g = dL/dzhat_l = scale_l * dL/da_l``
    (Ioffe and Szegedy 2015, section 3):

    .. code-block:: text

        dscale_l = sum over rows of dL/da_l * zhat_l,    dshift_l = sum over rows of dL/da_l
        dL/dz_l = (g - mean(g) - zhat_l * mean(g * zhat_l)) / sqrt(batch_var + eps)

    (the two means over the rows appear because batch_mean and batch_var depend on every row).
    The paper and torch call ``scale`` and ``shift`` gamma and beta (torch: ``weight`` and
    ``bias``); here they are renamed so as not to clash with momentum's beta and Adam's beta1.

    **Training and evaluation mode**, as ``torch.nn.BatchNorm1d``: in training mode (the default,
    ``model.train()``) the statistics are those of the batch, and every call of
    :meth:`loss_and_grads` (one training step) also updates the running statistics,

    .. code-block:: text

        running_mean <- (1 - momentum) * running_mean + momentum * batch_mean
        running_var  <- (1 - momentum) * running_var  + momentum * batch_var * n / (n - 1)   (unbiased)

    In evaluation mode (``model.eval()``) every call uses the running statistics instead, so a
    prediction does not depend on the other rows of its batch. Unlike torch, :meth:`loss`,
    :meth:`predict` and :meth:`accuracy` never update the running statistics (measuring a model
    should not change it); in training mode they use the statistics of the rows they are given.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_features, hidden..., n_classes]``, at least one hidden layer, each size >= 1 (the
        last >= 2).
    rng : numpy.random.Generator or int
        Source of the initial weights (He normal, as :class:`~sgdlib.models.MLP` with ReLU).
    momentum : float, default 0.1
        Weight of the newest batch in the running statistics (torch's name and default; no
        relation to the momentum of an optimizer).
    eps : float, default 1e-5
        Added to the variance before the square root (torch's default).

    Notes
    -----
    Parameters ``W1, scale1, shift1, ..., W{L-1}, scale{L-1}, shift{L-1}, WL, bL``; ``scale``
    starts at 1 and ``shift`` at 0. The running statistics ``running_mean[l]`` and
    ``running_var[l]`` (lists, one array per hidden layer; start 0 and 1) are not parameters:
    no optimizer touches them. A training-mode batch needs at least 2 rows (a variance of one
    number is 0 and its unbiased estimate undefined; torch refuses it too).

    Examples
    --------
    >>> import numpy as np
    >>> model = BatchNormMLP([4, 8, 3], rng=np.random.default_rng(0))
    >>> model
    BatchNormMLP([4, 8, 3], momentum=0.1, eps=1e-05) with 75 parameters {W1: (4, 8), scale1: (8,), shift1: (8,), W2: (8, 3), b2: (3,)}
    >>> X, y = np.random.default_rng(1).normal(5.0, 3.0, (16, 4)), np.arange(16) % 3
    >>> loss, grads = model.loss_and_grads(X, y)     # a training step's forward and backward
    >>> bool(np.all(model.running_mean[0] != 0))     # ... moved the running mean by 10 %
    True
    >>> model.eval().training, model.train().training
    (False, True)

    References
    ----------
    Ioffe and Szegedy, "Batch normalization: accelerating deep network training by reducing
    internal covariate shift", ICML 2015, Algorithm 1 and section 3.
    PyTorch documentation, ``torch.nn.BatchNorm1d`` (momentum, eps, running statistics).
    """

    def __init__(self, layer_sizes: Sequence[int], *, rng: np.random.Generator | int,
                 momentum: float = 0.1, eps: float = 1e-5):
        if isinstance(layer_sizes, (str, bytes)) or not isinstance(layer_sizes, Sequence):
            raise TypeError(f"layer_sizes must be a list of ints like [64, 64, 10], got {layer_sizes!r}")
        if len(layer_sizes) < 3:
            raise ValueError(f"layer_sizes needs at least one hidden layer, [n_features, hidden, n_classes], "
                             f"got {list(layer_sizes)}")
        sizes = [check_int(f"layer_sizes[{i}]", s, low=1) for i, s in enumerate(layer_sizes)]
        if sizes[-1] < 2:
            raise ValueError(f"the last layer size is the number of classes and must be >= 2, got {sizes[-1]}")
        self.momentum = check_number("momentum", momentum, low=0.0, high=1.0)
        self.eps = check_number("eps", eps, low=0.0, low_open=True)
        rng = check_rng("rng", rng)
        self.layer_sizes = sizes
        self.n_features, self.n_classes = sizes[0], sizes[-1]
        self.n_layers = len(sizes) - 1
        self.training = True
        self.params = {}
        for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            self.params[f"W{l}"] = rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)   # He
            if l < self.n_layers:
                self.params[f"scale{l}"] = np.ones(fan_out)
                self.params[f"shift{l}"] = np.zeros(fan_out)
            else:
                self.params[f"b{l}"] = np.zeros(fan_out)
        self.running_mean = [np.zeros(s) for s in sizes[1:-1]]
        self.running_var = [np.ones(s) for s in sizes[1:-1]]

    def train(self) -> BatchNormMLP:
        """Switch to training mode (batch statistics); returns the model, as torch's ``train()``."""
        self.training = True
        return self

    def eval(self) -> BatchNormMLP:
        """Switch to evaluation mode (running statistics); returns the model, as torch's ``eval()``."""
        self.training = False
        return self

    def _describe(self) -> str:
        return f"BatchNormMLP({self.layer_sizes}, momentum={self.momentum:g}, eps={self.eps:g})"

    def _forward(self, X: np.ndarray, update: bool) -> tuple[np.ndarray, list]:
        """Logits, and per hidden layer what backward needs: ``(h_prev, zhat, inv_std, h)``."""
        p, h, cache = self.params, X, []
        if self.training and len(X) < 2:
            raise ValueError(f"a batch in training mode needs at least 2 rows for its statistics, got {len(X)}; "
                             "use a larger batch (or drop_last=True), or call model.eval() first")
        for l in range(1, self.n_layers):
            z = h @ p[f"W{l}"]
            if self.training:
                batch_mean, batch_var = z.mean(axis=0), z.var(axis=0)   # biased variance, as torch
                if update:
                    n, m = len(z), self.momentum
                    self.running_mean[l - 1] = (1 - m) * self.running_mean[l - 1] + m * batch_mean
                    self.running_var[l - 1] = ((1 - m) * self.running_var[l - 1]
                                               + m * batch_var * n / (n - 1))
            else:
                batch_mean, batch_var = self.running_mean[l - 1], self.running_var[l - 1]
            inv_std = 1.0 / np.sqrt(batch_var + self.eps)
            zhat = (z - batch_mean) * inv_std
            a = p[f"scale{l}"] * zhat + p[f"shift{l}"]
            h_next = np.maximum(a, 0.0)
            cache.append((h, zhat, inv_std, h_next))
            h = h_next
        L = self.n_layers
        return h @ p[f"W{L}"] + p[f"b{L}"], cache

    def _logits(self, X: np.ndarray) -> np.ndarray:
        return self._forward(X, update=False)[0]

    def _loss(self, X, y) -> float:
        return -float(_log_softmax(self._logits(X))[np.arange(len(y)), y].mean())

    def _loss_and_grads(self, X, y):
        p, L = self.params, self.n_layers
        logits, cache = self._forward(X, update=True)
        loss, delta = _softmax_cross_entropy(logits, y)       # dL/dlogits
        grads = dict.fromkeys(p)
        h_last = cache[-1][3]
        grads[f"W{L}"] = h_last.T @ delta
        grads[f"b{L}"] = delta.sum(axis=0)
        delta = delta @ p[f"W{L}"].T                          # dL/dh_{L-1}
        for l in range(L - 1, 0, -1):
            h_prev, zhat, inv_std, h = cache[l - 1]
            delta = delta * (h > 0)                           # dL/da_l: relu passes where on
            grads[f"scale{l}"] = np.sum(delta * zhat, axis=0)
            grads[f"shift{l}"] = delta.sum(axis=0)
            g = delta * p[f"scale{l}"]                        # dL/dzhat_l
            if self.training:                                 # batch_mean and batch_var depend on every row
                g = g - g.mean(axis=0) - zhat * np.mean(g * zhat, axis=0)
            delta = g * inv_std                               # dL/dz_l
            grads[f"W{l}"] = h_prev.T @ delta                 # z_l = h_{l-1} W_l
            if l > 1:
                delta = delta @ p[f"W{l}"].T                  # dL/dh_{l-1}
        return loss, grads
