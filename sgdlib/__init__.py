"""sgdlib: the helper library of the course *SGD from Scratch*.

Submodules (imported on first use, so ``import sgdlib`` stays fast):

* :mod:`sgdlib.optim` - SGD, Adagrad, RMSprop, Adadelta, Adam, AdamW with torch.optim semantics
* :mod:`sgdlib.schedules` - learning-rate schedules
* :mod:`sgdlib.problems` - 2-D test functions for the lessons
* :mod:`sgdlib.data` - mini-batches, synthetic data sets and the 8x8 digits
* :mod:`sgdlib.models` - linear, logistic/softmax regression and a small MLP
* :mod:`sgdlib.gradcheck` - numerical gradient checks
* :mod:`sgdlib.train` - a training loop with a history
* :mod:`sgdlib.plotting` - contour plots, trajectories, loss curves, the course's colours
* :mod:`sgdlib.widgets` - the interactive explorers
* :mod:`sgdlib.grading` - ``check``, the immediate feedback of the graded exercises
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_SUBMODULES = (
    "optim", "schedules", "problems", "data", "models", "gradcheck", "train", "plotting",
    "widgets", "grading",
)

__all__ = [*_SUBMODULES, "check"]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name == "check":
        return importlib.import_module(f"{__name__}.grading").check
    raise AttributeError(f"module 'sgdlib' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *__all__])
