r"""Chapter 6's explorer: an optimizer, a learning rate, a schedule and a batch size -> a short run.

:class:`TrainingExplorer` trains the chapter's network (an MLP 64 -> 64 -> 10 with ReLU) on the
digits with :func:`sgdlib.train.train` for a few epochs and a few seeds, and draws the training
and validation loss and accuracy by epoch, and the learning rate of every step. A run takes a
fraction of a second to a few seconds (a progress bar shows it); runs are kept, so coming back
to a setting is instant. The controls that only change the view (a log loss axis, which curves
to show) redraw without training.

:func:`training_runs` is the computation alone (for tests and the lesson), :func:`make_schedule`
the five schedules by name, and :func:`training_figure` a still of the explorer.

Examples
--------
>>> ex = TrainingExplorer(epochs=2, seeds=(0,))
>>> runs = ex.update(optimizer="Adam", lr=0.003, schedule="cosine", batch_size=64)
>>> runs.val_accuracy.shape, bool(runs.val_accuracy[0, -1] > 0.5)
((1, 2), True)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from .._checks import check_int, check_number
from ..data import digits_split, train_test_split
from ..models import MLP
from ..optim import SGD, Adam, AdamW
from ..optim.base import Optimizer
from ..plotting import color_for
from ..schedules import Constant, CosineAnnealing, OneCycle, Schedule, StepDecay, WarmupCosine
from ..train import DivergenceError, train
from .base import DPI, SLIDER_DESCRIPTION_WIDTH, SLIDER_WIDTH, SMALL_FONT, Explorer, axes_fractions

__all__ = ["TrainingExplorer", "TrainingRuns", "training_figure", "training_runs", "make_schedule",
           "make_optimizer", "digits_train_val", "OPTIMIZERS", "SCHEDULES"]

#: The optimizers by the name the course gives them (and their colour), with the settings used.
OPTIMIZERS: dict[str, Callable[[dict, float], Optimizer]] = {
    "SGD": lambda p, lr: SGD(p, lr=lr),
    "SGD+momentum": lambda p, lr: SGD(p, lr=lr, momentum=0.9),
    "Nesterov": lambda p, lr: SGD(p, lr=lr, momentum=0.9, nesterov=True),
    "Adam": lambda p, lr: Adam(p, lr=lr),
    "AdamW": lambda p, lr: AdamW(p, lr=lr, weight_decay=0.01),
}
SCHEDULES = ("constant", "step", "cosine", "warm-up + cosine", "one-cycle")
LRS = (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
BATCH_SIZES = (8, 16, 32, 64, 128, 256, 1010)
LAYER_SIZES = (64, 64, 10)
EPOCHS = 15
SEEDS = (0, 1, 2)
#: The validation split: this fraction of digits_split's training part, with this seed.
VAL_SIZE, VAL_SEED = 0.25, 1
FIGURE_PX = (900, 420)
PANELS_PX = {"loss": (70, 95, 235, 270), "accuracy": (385, 95, 235, 270), "lr": (710, 95, 175, 270)}
SHOW = ("train and validation", "train", "validation")


def digits_train_val() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The chapter's training and validation parts: ``(X_train, X_val, y_train, y_val)``.

    :func:`~sgdlib.data.digits_split`'s training part (1347 images) split again, stratified,
    1010 for training and 337 for validation; its test part stays untouched for the end.

    Examples
    --------
    >>> X_train, X_val, y_train, y_val = digits_train_val()
    >>> X_train.shape, X_val.shape
    ((1010, 64), (337, 64))
    """
    X, _, y, _ = digits_split()
    return train_test_split(X, y, test_size=VAL_SIZE, rng=VAL_SEED, stratify=True)


def make_optimizer(name: str, params: dict, lr: float) -> Optimizer:
    """One of :data:`OPTIMIZERS` on ``params`` at rate ``lr`` (momentum 0.9, AdamW's decay 0.01)."""
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {list(OPTIMIZERS)}, got {name!r}")
    return OPTIMIZERS[name](params, lr)


def make_schedule(name: str, lr: float, total_steps: int) -> Schedule:
    """One of :data:`SCHEDULES` with peak rate ``lr`` over a run of ``total_steps`` steps.

    ``"step"`` divides the rate by 10 after a third and after two thirds of the run
    (``StepDecay``); ``"cosine"`` anneals to 0 at the end; ``"warm-up + cosine"`` warms up
    linearly over the first 10 % of the steps, then anneals; ``"one-cycle"`` is ``OneCycle``
    with torch's defaults (peak at 30 % of the run).

    Examples
    --------
    >>> s = make_schedule("warm-up + cosine", 0.1, 100)
    >>> round(float(s(0)), 4), float(s(10)), round(float(s(99)), 6)
    (0.001, 0.1, 3e-05)
    """
    lr = check_number("lr", lr, low=0.0, low_open=True)
    total_steps = check_int("total_steps", total_steps, low=2)
    if name == "constant":
        return Constant(lr)
    if name == "step":
        return StepDecay(lr, step_size=-(-total_steps // 3), gamma=0.1)
    if name == "cosine":
        return CosineAnnealing(lr, T_max=total_steps)
    if name == "warm-up + cosine":
        warm = max(1, total_steps // 10)
        return WarmupCosine(lr, warmup_steps=warm, T_max=total_steps - warm)
    if name == "one-cycle":
        return OneCycle(max_lr=lr, total_steps=total_steps + 1)
    raise ValueError(f"schedule must be one of {list(SCHEDULES)}, got {name!r}")


@dataclass
class TrainingRuns:
    """The runs of one setting, one row per seed (NaN after a run diverged).

    ``train_loss`` is the mean of each epoch's mini-batch losses, ``train_accuracy`` the
    accuracy on the whole training part at the end of each epoch, ``val_*`` the same on the
    validation part; ``step_lr`` the learning rate of every step (the same for every seed).
    """

    optimizer: str
    lr: float
    schedule: str
    batch_size: int
    seeds: tuple[int, ...]
    train_loss: np.ndarray
    val_loss: np.ndarray
    train_accuracy: np.ndarray
    val_accuracy: np.ndarray
    step_lr: np.ndarray
    diverged: np.ndarray


def training_runs(optimizer: str, lr: float, schedule: str, batch_size: int, *,
                  epochs: int = EPOCHS, seeds: Sequence[int] = SEEDS,
                  data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None,
                  on_seed: Callable[[int], None] | None = None) -> TrainingRuns:
    """Train the chapter's MLP once per seed (the seed sets the initial weights and the shuffles).

    Parameters
    ----------
    optimizer, schedule : str
        A key of :data:`OPTIMIZERS`; one of :data:`SCHEDULES`.
    lr : float
        The (peak) learning rate.
    batch_size : int
    epochs : int, default EPOCHS
    seeds : sequence of int, default SEEDS
    data : (X_train, X_val, y_train, y_val), optional
        Default :func:`digits_train_val`.
    on_seed : callable, optional
        Called with the number of seeds done after each seed (a progress bar).

    Examples
    --------
    >>> runs = training_runs("SGD+momentum", 0.1, "constant", 64, epochs=3, seeds=(0, 1))
    >>> runs.train_loss.shape, runs.step_lr.shape, runs.diverged.tolist()
    ((2, 3), (48,), [False, False])
    """
    X_tr, X_val, y_tr, y_val = digits_train_val() if data is None else data
    lr = check_number("lr", lr, low=0.0, low_open=True)
    batch_size = check_int("batch_size", batch_size, low=1, high=len(y_tr))
    epochs = check_int("epochs", epochs, low=1)
    seeds = tuple(check_int("seeds", s, low=0) for s in seeds)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {list(OPTIMIZERS)}, got {optimizer!r}")
    n_steps = epochs * -(-len(y_tr) // batch_size)
    sched = make_schedule(schedule, lr, n_steps)
    curves = np.full((4, len(seeds), epochs), np.nan)
    diverged = np.zeros(len(seeds), dtype=bool)
    for s, seed in enumerate(seeds):
        model = MLP(list(LAYER_SIZES), rng=seed)
        try:
            h = train(model, make_optimizer(optimizer, model.params, lr), X_tr, y_tr, epochs=epochs,
                      batch_size=batch_size, rng=1000 + seed, schedule=sched, X_val=X_val, y_val=y_val,
                      progress=False)
        except DivergenceError as err:
            h, diverged[s] = err.history, True
        for row, values in enumerate((h.epoch_train_loss, h.epoch_val_loss, h.epoch_train_accuracy,
                                      h.epoch_val_accuracy)):
            curves[row, s, :len(values)] = values
        if on_seed is not None:
            on_seed(s + 1)
    return TrainingRuns(optimizer, lr, schedule, batch_size, seeds, *curves,
                        step_lr=np.asarray(sched(np.arange(n_steps)), dtype=float), diverged=diverged)


def _selection(description: str, options: Sequence, value) -> W.SelectionSlider:
    return W.SelectionSlider(options=list(options), value=value, description=description,
                             continuous_update=False, style={"description_width": SLIDER_DESCRIPTION_WIDTH},
                             layout=W.Layout(width=SLIDER_WIDTH))


def _dropdown(description: str, options: Sequence, value) -> W.Dropdown:
    return W.Dropdown(options=list(options), value=value, description=description,
                      style={"description_width": SLIDER_DESCRIPTION_WIDTH}, layout=W.Layout(width=SLIDER_WIDTH))


class TrainingExplorer(Explorer):
    """Chapter 6: which optimizer, rate, schedule and batch size train the digits network well?

    Three panels: the loss by epoch (training solid, validation dashed; each seed thin, their
    mean thick), the accuracy by epoch, and the learning rate of every step. The title gives
    the final validation accuracy (mean and range over the seeds).

    Parameters
    ----------
    epochs : int, default EPOCHS
    seeds : sequence of int, default SEEDS
    data : (X_train, X_val, y_train, y_val), optional
        Default :func:`digits_train_val`.
    """

    #: The controls that only change the view: a move redraws from the cached runs (< 100 ms);
    #: the others train (a fraction of a second to a few seconds, with the progress bar).
    redraw_only = ("log_scale", "show")

    def __init__(self, epochs: int = EPOCHS, seeds: Sequence[int] = SEEDS,
                 data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None):
        self.epochs = check_int("epochs", epochs, low=1)
        self.seeds = tuple(seeds)
        self.data = digits_train_val() if data is None else data
        self.cache: dict[tuple, TrainingRuns] = {}
        self.progress = W.IntProgress(value=0, min=0, max=len(self.seeds), description="training",
                                      style={"description_width": SLIDER_DESCRIPTION_WIDTH},
                                      layout=W.Layout(width=SLIDER_WIDTH))
        width, height = FIGURE_PX
        fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
        self.axes = {name: fig.add_axes(axes_fractions(box, FIGURE_PX)) for name, box in PANELS_PX.items()}
        epochs_axis = np.arange(1, self.epochs + 1)
        self._lines: dict[str, list] = {}
        for name in ("loss", "accuracy"):
            ax = self.axes[name]
            for part, style in (("train", "-"), ("val", "--")):
                self._lines[f"{name}_{part}"] = [ax.plot(epochs_axis, np.full(self.epochs, np.nan), style,
                                                         lw=0.7, alpha=0.5)[0] for _ in self.seeds]
                self._lines[f"{name}_{part}_mean"] = [ax.plot(epochs_axis, np.full(self.epochs, np.nan),
                                                              style, lw=2.2)[0]]
            ax.set_xlim(1, max(self.epochs, 2))
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_xlabel("epoch")
            ax.grid(True, alpha=0.3)
        self.axes["loss"].set_ylabel("cross-entropy loss")
        self.axes["accuracy"].set_ylabel("accuracy (%)")
        ax = self.axes["lr"]
        (self._lr_line,) = ax.plot([], [], "-", color="k", lw=1.5)
        ax.set_xlabel("step")
        ax.set_ylabel("learning rate η")
        ax.grid(True, alpha=0.3)
        handles = [Line2D([], [], color="#555555", ls="-", lw=2.2), Line2D([], [], color="#555555", ls="--", lw=2.2),
                   Line2D([], [], color="#555555", ls="-", lw=0.7)]      # in the optimizer's colour on the plot
        self._legend = fig.legend(handles, ["training (mean of seeds)", "validation (mean of seeds)", "one seed"],
                                  loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=3, fontsize=SMALL_FONT,
                                  frameon=False)
        self._title = fig.suptitle("", y=0.985, fontsize="medium")
        self._drawn_key = None          # the setting whose learning rates the scenery shows
        # Live: the loss and accuracy panels (the view controls change them) and the title. The
        # learning-rate panel is scenery: redrawn only when a new setting is trained.
        super().__init__(fig, live=[self.axes["loss"], self.axes["accuracy"], self._title])

    def _runs(self, optimizer: str, lr: float, schedule: str, batch_size: int) -> TrainingRuns:
        key = (optimizer, float(lr), schedule, int(batch_size))
        if key not in self.cache:
            self.progress.value = 0
            self.progress.bar_style = "info"
            self.cache[key] = training_runs(optimizer, lr, schedule, batch_size, epochs=self.epochs,
                                            seeds=self.seeds, data=self.data,
                                            on_seed=lambda done: setattr(self.progress, "value", done))
            self.progress.bar_style = "success"
        return self.cache[key]

    def update(self, optimizer: str = "SGD+momentum", lr: float = 0.1, schedule: str = "constant",
               batch_size: int = 32, log_scale: bool = True, show: str = SHOW[0]) -> TrainingRuns:
        """Train (or take from the cache) and draw; ``log_scale`` and ``show`` only redraw."""
        if show not in SHOW:
            raise ValueError(f"show must be one of {list(SHOW)}, got {show!r}")
        runs = self._runs(optimizer, lr, schedule, batch_size)
        color = color_for(optimizer)
        visible = {"train": show != "validation", "val": show != "train"}
        data = {"loss_train": runs.train_loss, "loss_val": runs.val_loss,
                "accuracy_train": runs.train_accuracy * 100, "accuracy_val": runs.val_accuracy * 100}
        for key, values in data.items():
            part = key.split("_")[1]
            for line, row in zip(self._lines[key], values):
                line.set_ydata(row)
                line.set_color(color)
                line.set_visible(visible[part])
            mean = self._lines[f"{key}_mean"][0]
            mean.set_ydata(values.mean(axis=0))         # NaN from where a seed diverged
            mean.set_color(color)
            mean.set_visible(visible[part])
        ax = self.axes["loss"]
        ax.set_yscale("log" if log_scale else "linear")
        shown = [data[k] for k in ("loss_train", "loss_val") if visible[k.split("_")[1]]]
        finite = np.concatenate([v[np.isfinite(v)] for v in shown]) if shown else np.array([])
        if finite.size:
            lo, hi = max(float(finite.min()), 1e-4), max(float(finite.max()), 1e-3)
            ax.set_ylim(lo / 1.5, hi * 1.5) if log_scale else ax.set_ylim(0, hi * 1.05)
        acc = np.concatenate([data[k][np.isfinite(data[k])] for k in ("accuracy_train", "accuracy_val")
                              if visible[k.split("_")[1]]] or [np.array([])])
        low = float(acc.min()) if acc.size else 0.0
        self.axes["accuracy"].set_ylim(min(90.0, np.floor(low / 10) * 10), 100.5)
        key = (optimizer, float(lr), schedule, int(batch_size))
        if key != self._drawn_key:
            steps = np.arange(len(runs.step_lr))
            self._lr_line.set_data(steps, runs.step_lr)
            self.axes["lr"].set_xlim(0, max(len(steps) - 1, 1))
            self.axes["lr"].set_ylim(0, runs.step_lr.max() * 1.08)
            self.set_scenery([self.axes["lr"]])
            self._drawn_key = key
        final = runs.val_accuracy[:, -1] * 100
        note = f", {int(runs.diverged.sum())} of {len(self.seeds)} diverged" if runs.diverged.any() else ""
        if np.isfinite(final).any():
            score = (f"final validation accuracy {np.nanmean(final):.1f} % "
                     f"[{np.nanmin(final):.1f}, {np.nanmax(final):.1f}] over {len(self.seeds)} seeds")
        else:
            score = "no run finished"
        self._title.set_text(f"{optimizer}, η = {lr:g}, {schedule}, B = {batch_size}: {score}{note}")
        return runs

    def _make_controls(self) -> dict[str, W.Widget]:
        return {
            "optimizer": _dropdown("optimizer", OPTIMIZERS, "SGD+momentum"),
            "lr": _selection("(peak) learning rate η", LRS, 0.1),
            "schedule": _dropdown("schedule", SCHEDULES, "constant"),
            "batch_size": _selection("batch size B", BATCH_SIZES, 32),
            "log_scale": W.Checkbox(value=True, description="log loss axis",
                                    style={"description_width": "initial"}, layout=W.Layout(width=SLIDER_WIDTH)),
            "show": _dropdown("show", SHOW, SHOW[0]),
        }

    def _make_extras(self) -> list[W.Widget]:
        return [self.progress]


def training_figure(optimizer: str = "SGD+momentum", lr: float = 0.1, schedule: str = "constant",
                    batch_size: int = 32, *, log_scale: bool = True, show: str = SHOW[0],
                    epochs: int = EPOCHS, seeds: Sequence[int] = SEEDS) -> tuple[Figure, TrainingRuns]:
    """A still of :class:`TrainingExplorer`: the figure and the runs of one setting.

    Examples
    --------
    >>> fig, runs = training_figure("Nesterov", 0.03, "one-cycle", 128, epochs=2, seeds=(0,))
    >>> len(fig.axes), runs.val_accuracy.shape
    (3, (1, 2))
    """
    ex = TrainingExplorer(epochs=epochs, seeds=seeds)
    runs = ex.update(optimizer, lr, schedule, batch_size, log_scale=log_scale, show=show)
    return ex.figure, runs
