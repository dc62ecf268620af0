"""A training loop: mini-batch SGD (or any :mod:`sgdlib.optim` optimizer) with a history.

:func:`train` runs ``epochs`` passes over ``(X, y)`` in shuffled mini-batches; each step is

.. code-block:: text

    optimizer.lr = schedule(step)                 (if a schedule is given)
    loss, grads = model.loss_and_grads(Xb, yb)    forward and backward
    clip_grad_norm_(grads, max_norm)              (if clip_grad_norm=max_norm is given)
    optimizer.step(grads)                         update model.params in place

and records the loss, the learning rate and the wall-clock time, so a lesson can plot loss
against steps *and* against seconds. A loss that turns NaN or infinite stops training at once
with a :class:`DivergenceError`.

Examples
--------
>>> import numpy as np
>>> from sgdlib.data import make_blobs
>>> from sgdlib.models import SoftmaxRegression
>>> from sgdlib.optim import SGD
>>> X, y = make_blobs(300, n_classes=3, rng=np.random.default_rng(0))
>>> model = SoftmaxRegression(n_features=2, n_classes=3)
>>> history = train(model, SGD(model.params, lr=0.1), X, y, epochs=5, batch_size=32,
...                 rng=np.random.default_rng(1), progress=False)
>>> history  # doctest: +ELLIPSIS
History(5 epochs, 50 steps, final loss ..., train accuracy ...)
>>> history.step_loss.shape, history.epoch_train_loss.shape
((50,), (5,))
>>> bool(history.epoch_train_accuracy[-1] > 0.9)
True
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from ._checks import check_bool, check_int, check_number, check_rng
from .clipping import clip_grad_norm_ as _clip_grad_norm_
from .data import DataLoader
from .models import Model
from .optim.base import NonFiniteGradientError, Optimizer
from .schedules import check_schedule_covers

__all__ = ["History", "DivergenceError", "train"]


class DivergenceError(FloatingPointError):
    """Training diverged: the loss (or a gradient) became NaN or infinite.

    A subclass of ``FloatingPointError`` (what numpy raises for floating-point trouble under
    ``np.errstate(all="raise")``). Its attributes let a lesson catch it and plot what happened:

    * ``step`` - the number of the step that failed, counted from 1 over the whole run (as in
      the message "step 26 of 450"); ``history`` holds the ``step - 1`` steps before it;
    * ``epoch`` - the epoch it happened in, counted from 1 ("epoch 3 of 50");
    * ``lr`` - the learning rate at that moment;
    * ``history`` - the :class:`History` of the run up to the failure.
    """

    def __init__(self, message: str, *, step: int, epoch: int, lr: float, history: History):
        super().__init__(message)
        self.step, self.epoch, self.lr, self.history = step, epoch, lr, history


@dataclass
class History:
    """What happened during :func:`train`.

    Per step (one mini-batch update; arrays of length ``steps``):

    * ``step_loss`` - the mini-batch loss *before* the update of that step;
    * ``step_time`` - seconds since the start of training, cumulative, at the end of the step;
      only the training steps count, not the per-epoch evaluation, so curves of different
      optimizers are comparable;
    * ``step_lr`` - the learning rate used by that step;
    * ``step_grad_norm`` - with ``clip_grad_norm``: the global gradient norm before clipping
      (steps with a norm above ``max_norm`` were clipped); else empty.

    Per epoch (arrays of length ``epochs``):

    * ``epoch_train_loss`` - the mean of that epoch's ``step_loss``;
    * ``epoch_train_accuracy`` - accuracy on the whole training set at the end of the epoch
      (classifiers only, else empty);
    * ``epoch_val_loss``, ``epoch_val_accuracy`` - on ``(X_val, y_val)`` at the end of the
      epoch (when given; accuracy for classifiers only, else empty).

    ``total_time`` is the wall-clock seconds of the whole call, evaluation included.
    """

    step_loss: np.ndarray = field(default_factory=lambda: np.empty(0))
    step_time: np.ndarray = field(default_factory=lambda: np.empty(0))
    step_lr: np.ndarray = field(default_factory=lambda: np.empty(0))
    step_grad_norm: np.ndarray = field(default_factory=lambda: np.empty(0))
    epoch_train_loss: np.ndarray = field(default_factory=lambda: np.empty(0))
    epoch_train_accuracy: np.ndarray = field(default_factory=lambda: np.empty(0))
    epoch_val_loss: np.ndarray = field(default_factory=lambda: np.empty(0))
    epoch_val_accuracy: np.ndarray = field(default_factory=lambda: np.empty(0))
    total_time: float = 0.0

    @property
    def steps(self) -> int:
        """Number of steps recorded."""
        return len(self.step_loss)

    @property
    def epochs(self) -> int:
        """Number of completed epochs."""
        return len(self.epoch_train_loss)

    def __repr__(self) -> str:
        parts = [f"{self.epochs} epochs", f"{self.steps} steps"]
        if self.steps:
            parts.append(f"final loss {self.step_loss[-1]:.4g}")
        if len(self.epoch_train_accuracy):
            parts.append(f"train accuracy {self.epoch_train_accuracy[-1]:.3f}")
        if len(self.epoch_val_accuracy):
            parts.append(f"val accuracy {self.epoch_val_accuracy[-1]:.3f}")
        return f"History({', '.join(parts)})"


def train(
    model: Model,
    optimizer: Optimizer,
    X: ArrayLike,
    y: ArrayLike,
    *,
    epochs: int,
    batch_size: int,
    rng: np.random.Generator | int | None = None,
    schedule: Callable[[int], float] | None = None,
    X_val: ArrayLike | None = None,
    y_val: ArrayLike | None = None,
    shuffle: bool = True,
    drop_last: bool = False,
    progress: bool | None = None,
    clip_grad_norm: float | None = None,
) -> History:
    """Train ``model`` with ``optimizer`` on ``(X, y)`` for ``epochs`` passes of mini-batches.

    Parameters
    ----------
    model : a model of :mod:`sgdlib.models`
        Anything with ``params``, ``loss_and_grads(X, y)`` and ``loss(X, y)``; ``accuracy``
        is used when present (classifiers).
    optimizer : an optimizer of :mod:`sgdlib.optim`
        Built on ``model.params`` itself, e.g. ``SGD(model.params, lr=0.1)``: it updates those
        arrays in place and takes the model's gradients, a dict with the same names.
    X, y : arrays
        Training data, one row per sample. Checked once before the first step, by one call of
        ``model.loss(X, y)``, so a bad row fails at once with an error naming it.
    epochs : int
        Number of passes over the data, >= 1.
    batch_size : int
        Samples per step (see :class:`sgdlib.data.DataLoader`).
    rng : numpy.random.Generator or int, optional
        Source of the per-epoch shuffles; the same seed gives the same run. Required when
        ``shuffle=True``.
    schedule : callable, optional
        ``schedule(step) -> lr`` with ``step`` = 0, 1, 2, ... counted over the whole run, e.g. a
        schedule of :mod:`sgdlib.schedules`; sets ``optimizer.lr`` before every step. Without
        it the optimizer's ``lr`` stays as it is. It is evaluated at the run's last step before
        training starts, so a schedule shorter than the run fails at once, not mid-run.
    X_val, y_val : arrays, optional
        Validation data, checked like ``X, y`` and evaluated at the end of every epoch (both
        or neither).
    shuffle : bool, default True
        Reshuffle the training data every epoch.
    drop_last : bool, default False
        Skip the last, smaller batch of each epoch.
    progress : bool, optional
        Show a one-line progress display (on stderr) while training runs longer than ~2 s.
        Default: on, except when the environment variable ``CI`` is set or under pytest.
        Notebooks should pass ``progress=False`` so their outputs stay deterministic.
    clip_grad_norm : float, optional
        ``max_norm``: before each update, scale the gradients so that their global norm is at
        most this (:func:`sgdlib.clipping.clip_grad_norm_`, torch's ``clip_grad_norm_``). The
        norms before clipping are recorded in ``History.step_grad_norm``.

    Returns
    -------
    History
        Also available as ``error.history`` if training diverges.

    Raises
    ------
    DivergenceError
        (a ``FloatingPointError``) as soon as the loss or a gradient is NaN or infinite; the
        message names the step and the epoch (both counted from 1: "step 26 of 450, epoch 3
        of 50") and the learning rate, and suggests a smaller one.
        No overflow ``RuntimeWarning`` is printed on the way. (Least squares blows up to inf
        quickly with a too-large learning rate; cross-entropy has bounded gradients, so there a
        too-large rate usually shows as a large, erratic but finite loss that does not stop
        training - look at ``History.step_loss``.)
    """
    epochs = check_int("epochs", epochs, low=1)
    if rng is not None:             # None is fine with shuffle=False; DataLoader says when it is not
        rng = check_rng("rng", rng)
    for name in ("params", "loss_and_grads", "loss"):
        if not hasattr(model, name):
            raise TypeError(f"model must be an sgdlib model (with params, loss_and_grads, loss), "
                            f"got {type(model).__name__}")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an sgdlib.optim optimizer, got {type(optimizer).__name__}")
    if optimizer.keys != list(model.params) or any(
            p is not q for p, q in zip(optimizer.params, model.params.values())):
        raise ValueError("optimizer must be built on model.params, e.g. SGD(model.params, lr=0.1): "
                         "it updates those arrays in place and takes the model's gradients by name")
    if schedule is not None and not callable(schedule):
        raise TypeError(f"schedule must be a callable step -> lr, got {type(schedule).__name__}")
    show = _progress_default() if progress is None else check_bool("progress", progress)
    if clip_grad_norm is not None:
        clip_grad_norm = check_number("clip_grad_norm", clip_grad_norm, low=0.0, low_open=True)
    if (X_val is None) != (y_val is None):
        raise ValueError("give both X_val and y_val, or neither")
    # One forward pass checks the data (columns, NaN, labels) before the first step: a bad
    # row fails at once, named, not in the middle of an epoch.
    model.loss(X, y)
    if X_val is not None:
        model.loss(X_val, y_val)
    loader = DataLoader(X, y, batch_size=batch_size, rng=rng, shuffle=shuffle, drop_last=drop_last)
    classifier = hasattr(model, "accuracy")
    n_steps = epochs * len(loader)
    if schedule is not None:
        check_schedule_covers(schedule, n_steps, what=f"the run ({epochs} epochs x {len(loader)} steps)")
    step_loss, step_time, step_lr, step_norm = (np.full(n_steps, np.nan) for _ in range(4))
    ep_loss, ep_acc, val_loss, val_acc = [], [], [], []
    display = _Progress(n_steps, epochs, enabled=show)
    step, epoch = 0, 0
    history = History()

    def snapshot() -> History:
        history.step_loss, history.step_time, history.step_lr = (
            a[:step].copy() for a in (step_loss, step_time, step_lr))
        history.step_grad_norm = step_norm[:step].copy() if clip_grad_norm is not None else np.empty(0)
        history.epoch_train_loss = np.array(ep_loss)
        history.epoch_train_accuracy = np.array(ep_acc)
        history.epoch_val_loss = np.array(val_loss)
        history.epoch_val_accuracy = np.array(val_acc)
        history.total_time = time.perf_counter() - start
        return history

    def diverged(what: str, failed_step: int) -> DivergenceError:
        # One convention for people: steps and epochs counted from 1 ("step 26 of 450").
        lr = optimizer.lr
        return DivergenceError(
            f"training diverged at step {failed_step} of {n_steps}, epoch {epoch + 1} of {epochs}: "
            f"{what} with lr={lr:g}; try a smaller learning rate (e.g. lr={lr / 10:g})",
            step=failed_step, epoch=epoch + 1, lr=lr, history=snapshot())

    start = time.perf_counter()
    train_seconds = 0.0
    # A diverging run overflows long before the loss is NaN; numpy would warn at every step.
    # We silence that and stop with one clear DivergenceError instead.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for epoch in range(epochs):
            t0 = time.perf_counter()
            for Xb, yb in loader:
                if schedule is not None:
                    optimizer.lr = schedule(step)
                loss, grads = model.loss_and_grads(Xb, yb)
                if not math.isfinite(loss):
                    raise diverged(f"the loss is {loss}", step + 1)
                if clip_grad_norm is not None:
                    step_norm[step] = _clip_grad_norm_(grads, clip_grad_norm)
                try:
                    optimizer.step(grads)
                except NonFiniteGradientError as exc:
                    raise diverged("a gradient is NaN or infinite", step + 1) from exc
                step_loss[step] = loss
                step_lr[step] = optimizer.lr
                step_time[step] = train_seconds + (time.perf_counter() - t0)
                step += 1
                display.update(step, epoch, loss)
            train_seconds += time.perf_counter() - t0
            ep_loss.append(float(step_loss[step - len(loader):step].mean()))
            if classifier:
                ep_acc.append(model.accuracy(X, y))
            if X_val is not None:
                vl = model.loss(X_val, y_val)
                if not math.isfinite(vl):
                    raise diverged(f"the validation loss is {vl}", step)   # after the epoch's last step
                val_loss.append(float(vl))
                if classifier:
                    val_acc.append(model.accuracy(X_val, y_val))
    display.update(step, epochs - 1, float(step_loss[step - 1]), final=True)
    display.close()
    return snapshot()


def _progress_default() -> bool:
    """Progress display on by default, off on CI and under pytest (deterministic output)."""
    return not ("CI" in os.environ or "PYTEST_CURRENT_TEST" in os.environ or "pytest" in sys.modules)


class _Progress:
    """One text line on stderr, rewritten in place (``\\r``), shown once a run passes ``after`` s."""

    def __init__(self, total: int, epochs: int, *, enabled: bool, after: float = 2.0, every: float = 0.25):
        self.total, self.epochs, self.enabled = total, epochs, enabled
        self.after, self.every = after, every
        self.start = time.perf_counter()
        self.last = -math.inf
        self.shown = False

    def update(self, step: int, epoch: int, loss: float, *, final: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if final:                       # complete the line only if it was ever shown
            if not self.shown:
                return
        elif now - self.start < self.after or now - self.last < self.every:
            return
        self.last, self.shown = now, True
        sys.stderr.write(f"\repoch {epoch + 1}/{self.epochs}  step {step}/{self.total}  "
                         f"loss {loss:.4g}  {now - self.start:.1f} s   ")
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
