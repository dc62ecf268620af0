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

The package holds one idea per file: ``base.py`` (the public methods and their input checks),
``functional.py`` (numerically stable sigmoid, log-softmax and cross-entropy), ``linear.py``
(the three linear models), ``mlp.py`` (the network) and ``batchnorm.py`` (the network with
batch normalisation, :class:`BatchNormMLP`).

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

from .base import Model
from .functional import log_softmax, sigmoid
from .linear import LinearRegression, LogisticRegression, SoftmaxRegression
from .mlp import MLP
from .batchnorm import BatchNormMLP

__all__ = ["Model", "LinearRegression", "LogisticRegression", "SoftmaxRegression", "MLP", "BatchNormMLP",
           "log_softmax", "sigmoid"]
