"""Optimizers with ``torch.optim``'s names, defaults and update equations, in numpy.

>>> import numpy as np
>>> from sgdlib.optim import Adam
>>> w = np.zeros(3)
>>> opt = Adam([w], lr=0.1)
>>> for _ in range(200):
...     opt.step([2 * (w - 1)])      # gradient of |w - 1|^2
>>> np.allclose(w, 1, atol=1e-2)
True
"""

from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .base import NonFiniteGradientError, Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = [
    "Optimizer", "NonFiniteGradientError",
    "SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW",
]

#: Every optimizer class by name, in the order the course meets them.
OPTIMIZERS = {cls.__name__: cls for cls in (SGD, Adagrad, RMSprop, Adadelta, Adam, AdamW)}
