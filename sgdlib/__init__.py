"""sgdlib: the helper library of the course *SGD from Scratch*.

A chapter adds files; it does not lengthen shared ones. The map (submodules are imported on first
use, so ``import sgdlib`` stays fast):

* :mod:`sgdlib.optim` - one file per optimizer (SGD, Adagrad, RMSprop, Adadelta, Adam/AdamW):
  a docstring with numbered equations, then the rule, line for line; ``torch.optim`` semantics
* :mod:`sgdlib.schedules` - learning-rate schedules, one file per family
* :mod:`sgdlib.problems` - 2-D test functions (``functions``) and ``run``/``Trajectory`` (``runner``);
  many seeds or settings at once: ``noisy``, ``minibatch``, ``momentum_theory``; ``online``
  (Reddi et al.'s problem) and ``wilson`` (Wilson et al.'s data set)
* :mod:`sgdlib.data` - mini-batches, synthetic data sets and the 8x8 digits
* :mod:`sgdlib.models` - linear, logistic/softmax regression, a small MLP and ``BatchNormMLP``,
  explicit backward passes
* :mod:`sgdlib.gradcheck` - ``numerical_gradient(f, x, h)`` and gradient checks
* :mod:`sgdlib.train` - a training loop with a history
* :mod:`sgdlib.clipping` - ``clip_grad_norm_``: gradient clipping by global norm
* :mod:`sgdlib.lr_finder` - the learning-rate range test (Smith 2017) and its pick
* :mod:`sgdlib.animation` - ``animate_paths``: optimizer paths as an animation that plays in a
  saved notebook
* :mod:`sgdlib.plotting` - contours, trajectories, loss curves and the palette that explorers share
* :mod:`sgdlib.explorers` - the interactive explorers: ``base`` (the machinery), one module each
* :mod:`sgdlib.selfcheck` - ``ask``: the lessons' predict-then-run questions
* :mod:`sgdlib.grading` - ``check``; the checker machinery, and ``grading/exercises/chNN/``, one
  file per graded exercise (reference, cases, probes and hints together); ``progress`` (your
  progress table) and ``classview`` (a whole class's, ``make class-progress``)
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_SUBMODULES = (
    "optim", "schedules", "problems", "data", "models", "gradcheck", "train", "clipping",
    "lr_finder", "animation", "plotting", "explorers", "selfcheck", "grading",
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
