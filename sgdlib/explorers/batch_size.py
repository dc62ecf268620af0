r"""Chapter 3's explorer: batch size and learning rate, counted in steps, in examples and in time.

:class:`BatchSizeExplorer` shows mini-batch SGD on softmax regression on the digits (the
lesson's problem) for a batch size :math:`B` and a learning rate :math:`\eta` chosen with two
sliders: the training loss against steps, against examples seen and against wall-clock time,
and the gradient noise scale :math:`B_\text{noise}` along the run. Every setting on the sliders'
grid is computed once, when the explorer is built (:func:`batch_size_grid`, learning rates and
seeds vectorised), so a slider move only draws.

**Wall-clock time is a cost model**, not a measurement, so that the saved notebook shows the
same figure on every machine: a step on a batch of :math:`B` examples costs
:math:`c_0 + c_1 B` seconds, with :data:`STEP_OVERHEAD_S` and :data:`EXAMPLE_COST_S` measured
on the course's 2-core machine (one run of this loop, numpy on one thread). The lesson measures
the two numbers on your machine; pass them as ``step_cost``.

:func:`batch_size_figure` draws the same figure for one setting, for readers who do not run the
notebook.

Examples
--------
>>> import numpy as np
>>> grid = batch_size_grid(batch_sizes=[8, 64], lrs=[0.5, 2.0], seeds=[0], examples_budget=640,
...                        min_steps=20)
>>> ex = BatchSizeExplorer(grid=grid)
>>> runs = ex.update(batch_size=64, lr=2.0)
>>> runs.batch_size, runs.losses.shape[1:]
(64, (2, 1))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from .._checks import check_int, check_number
from ..data import digits_split
from ..plotting import CYCLE
from ..problems import MinibatchRuns, minibatch_sgd_runs
from .base import DPI, SLIDER_DESCRIPTION_WIDTH, SLIDER_WIDTH, SMALL_FONT, Explorer, axes_fractions

__all__ = ["BatchSizeExplorer", "batch_size_figure", "batch_size_grid", "steps_to_target",
           "STEP_OVERHEAD_S", "EXAMPLE_COST_S", "TARGET_LOSS"]

#: The cost model of one step, c0 + c1 * B seconds: c0 the fixed cost of a step (a turn of the
#: Python loop and a dozen numpy calls), c1 the cost per example (the matrix products). Measured
#: on the course's machine for one run of this problem (digits, softmax regression, float64).
STEP_OVERHEAD_S = 11e-6
EXAMPLE_COST_S = 0.16e-6
#: The training loss the titles count steps to (also the lesson's target).
TARGET_LOSS = 0.2
#: The default grid: batch sizes (powers of two and the whole training set, 1347), learning
#: rates (powers of two), seeds; each run sees at least EXAMPLES_BUDGET examples and takes at
#: least MIN_STEPS steps; N_RECORDS log-spaced records per run.
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 1347)
LRS = tuple(2.0 ** k for k in range(-3, 7))
SEEDS = (0, 1, 2)
EXAMPLES_BUDGET = 2 * 1347
MIN_STEPS = 100
N_RECORDS = 30
#: The image in pixels, and the four panels: (left, bottom, width, height) from the lower left.
FIGURE_PX = (900, 660)
PANELS_PX = {
    "steps": (75, 370, 330, 190),
    "examples": (525, 370, 330, 190),
    "time": (75, 60, 330, 190),
    "noise": (525, 60, 330, 190),
}
MS = 1e3  # milliseconds per second
#: The loss axes (fixed, so they are drawn once): large rates overshoot to f > 10 in the first steps.
LOSS_LIMITS = (0.03, 30.0)


def batch_size_grid(
    X: ArrayLike | None = None,
    y: ArrayLike | None = None,
    *,
    batch_sizes: Sequence[int] = BATCH_SIZES,
    lrs: Sequence[float] = LRS,
    seeds: Sequence[int] = SEEDS,
    examples_budget: int = EXAMPLES_BUDGET,
    min_steps: int = MIN_STEPS,
    n_records: int = N_RECORDS,
    drop_last: bool = True,
) -> dict[int, MinibatchRuns]:
    """Run :func:`~sgdlib.problems.minibatch_sgd_runs` for every batch size (all rates and seeds at once).

    Each batch size ``B`` runs until it has seen ``examples_budget`` examples and taken
    ``min_steps`` steps, recorded at
    ``n_records`` log-spaced steps plus step 0, step ``min_steps`` and the step at which
    ``examples_budget`` examples have been seen (so a heat map can read the loss after a fixed
    number of steps or of examples).
    Without ``X, y`` (give both or neither): the training part of
    :func:`~sgdlib.data.digits_split`. With ``drop_last`` (the default) every step averages
    exactly ``B`` examples: a last batch of a few examples is a much noisier step, and a loss
    read right after it would judge ``B`` by that one step.

    Returns
    -------
    dict of int to MinibatchRuns
        By batch size.
    """
    if (X is None) != (y is None):
        raise ValueError(f"X and y must be given together (or neither, for the digits); got only "
                         f"{'y' if X is None else 'X'}")
    if X is None:
        X, _, y, _ = digits_split()
    n = len(y)
    examples_budget = check_int("examples_budget", examples_budget, low=1)
    min_steps = check_int("min_steps", min_steps, low=1)
    n_records = check_int("n_records", n_records, low=2)
    grid = {}
    for B in batch_sizes:
        B = check_int("batch_sizes", B, low=1, high=n)
        if drop_last:
            to_budget = -(-examples_budget // B)
        else:                                      # the last batch of an epoch may be smaller
            to_budget = examples_budget // n * -(-n // B) + -(-(examples_budget % n) // B)
        n_steps = max(to_budget, min_steps)
        record = np.unique(np.r_[0, np.geomspace(1, n_steps, n_records).round().astype(int),
                                 to_budget, min_steps])
        grid[B] = minibatch_sgd_runs(X, y, batch_size=B, lrs=lrs, n_steps=n_steps, seeds=seeds,
                                     record_steps=record[record <= n_steps], drop_last=drop_last)
    return grid


def steps_to_target(runs: MinibatchRuns, target: float = TARGET_LOSS) -> np.ndarray:
    """First recorded step with loss <= target, per (rate, seed); ``inf`` where never reached."""
    return _first_record_at_target(runs, runs.steps, target)


def _examples_to_target(runs: MinibatchRuns, target: float) -> np.ndarray:
    """Examples seen by the first recorded step with loss <= target, per (rate, seed); ``inf`` where never."""
    return _first_record_at_target(runs, runs.examples, target)


def _first_record_at_target(runs: MinibatchRuns, counts: np.ndarray, target: float) -> np.ndarray:
    below = runs.losses <= target
    return np.where(below.any(axis=0), counts[below.argmax(axis=0)], np.inf)



def _selection_slider(description: str, options: Sequence, value) -> W.SelectionSlider:
    return W.SelectionSlider(options=list(options), value=value, description=description,
                             continuous_update=False,
                             style={"description_width": SLIDER_DESCRIPTION_WIDTH},
                             layout=W.Layout(width=SLIDER_WIDTH))


class BatchSizeExplorer(Explorer):
    r"""Chapter 3: what do the batch size and the learning rate do to steps, examples and time?

    Four panels for the chosen :math:`(B, \eta)`: the training loss against steps, against
    examples seen and against the modelled wall-clock time (each seed thin, their mean thick,
    and dashed the mean at the *tuned* rate for the same :math:`B`: the rate of the grid that
    reaches :data:`TARGET_LOSS` in the fewest steps); and :math:`B_\text{noise}` along the run
    against the chosen :math:`B`.

    Parameters
    ----------
    grid : dict of int to MinibatchRuns, optional
        From :func:`batch_size_grid` (all with the same rates); computed with its defaults when
        not given (a few seconds).
    step_cost : (float, float), default (STEP_OVERHEAD_S, EXAMPLE_COST_S)
        The cost model :math:`c_0 + c_1 B` seconds per step.
    target : float, default TARGET_LOSS
    """

    def __init__(self, grid: Mapping[int, MinibatchRuns] | None = None,
                 step_cost: tuple[float, float] = (STEP_OVERHEAD_S, EXAMPLE_COST_S),
                 target: float = TARGET_LOSS):
        self.grid = dict(batch_size_grid() if grid is None else grid)
        if not self.grid:
            raise ValueError("grid must hold at least one batch size")
        first = next(iter(self.grid.values()))
        self.lrs = first.lrs
        if any(r.lrs.shape != self.lrs.shape or not np.allclose(r.lrs, self.lrs) for r in self.grid.values()):
            raise ValueError("every run of grid must use the same learning rates")
        c0, c1 = step_cost
        self.step_cost = (check_number("step_cost[0]", c0, low=0.0), check_number("step_cost[1]", c1, low=0.0))
        self.target = check_number("target", target, low=0.0, low_open=True)
        self.n_seeds = len(first.seeds)

        width, height = FIGURE_PX
        fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
        self.axes = {name: fig.add_axes(axes_fractions(box, FIGURE_PX)) for name, box in PANELS_PX.items()}
        max_steps = max(r.steps[-1] for r in self.grid.values())
        max_examples = max(r.examples[-1] for r in self.grid.values())
        max_time = max(r.steps[-1] * self._step_seconds(B) for B, r in self.grid.items()) * MS
        min_time = min(self._step_seconds(B) for B in self.grid) * MS
        xlabels = {"steps": "step t", "examples": "examples seen", "time": "modelled time (ms)"}
        xlims = {"steps": (1, max_steps), "examples": (1, max_examples), "time": (min_time, max_time)}
        self._seed_lines, self._mean, self._tuned = {}, {}, {}
        for name, ax in self.axes.items():
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.grid(True, which="major", alpha=0.3)
            if name == "noise":
                continue
            ax.axhline(self.target, color="#555555", lw=1, ls=":", zorder=1.5)   # lines[0]
            self._seed_lines[name] = [ax.plot([], [], "-", color=CYCLE[0], lw=0.7, alpha=0.5)[0]
                                      for _ in range(self.n_seeds)]
            (self._mean[name],) = ax.plot([], [], "-", color=CYCLE[0], lw=2.2)
            (self._tuned[name],) = ax.plot([], [], "--", color="k", lw=1.4)
            ax.set_xlim(*xlims[name])
            ax.set_ylim(*LOSS_LIMITS)
            ax.set_xlabel(xlabels[name])
            ax.set_ylabel("training loss f")
        ax = self.axes["noise"]
        (self._noise,) = ax.plot([], [], "-", color=CYCLE[1], lw=2)
        (self._batch_line,) = ax.plot([], [], "-.", color="k", lw=1.4)
        ax.set_xlim(1, max_steps)
        ax.set_ylim(0.5, 5e3)
        ax.set_xlabel("step t")
        ax.set_ylabel("noise scale (examples)")
        self.axes["noise"].set_title("gradient noise scale along the run", fontsize="medium")
        # One legend for all panels, above them (static: no curve passes under it).
        handles = [self._seed_lines["steps"][0], self._mean["steps"], self._tuned["steps"],
                   self.axes["steps"].lines[0], self._noise, self._batch_line]
        labels = ["one seed", "chosen η, mean of seeds", "tuned η, same B", f"target f = {self.target:g}",
                  "B_noise = tr Σ / ‖∇f‖² (seed 0)", "chosen B"]
        fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 1.0), ncols=3,
                   fontsize=SMALL_FONT, frameon=False)
        # Live: what moves, and the frames of the axes, which a full redraw draws above the curves.
        spines = [spine for a in fig.axes for spine in a.spines.values()]
        live = [*(line for lines in self._seed_lines.values() for line in lines), *self._mean.values(),
                *self._tuned.values(), self._noise, self._batch_line, *spines,
                *(self.axes[name].title for name in ("steps", "examples", "time"))]
        super().__init__(fig, live=live)

    def _step_seconds(self, batch_size: int) -> float:
        c0, c1 = self.step_cost
        return c0 + c1 * batch_size

    def _lr_index(self, lr: float) -> int:
        k = int(np.argmin(np.abs(np.log(self.lrs / lr))))
        if not np.isclose(self.lrs[k], lr, rtol=1e-9):
            raise ValueError(f"lr must be one of the grid's rates {self.lrs.tolist()}, got {lr}")
        return k

    def update(self, batch_size: int = 64, lr: float = 2.0) -> MinibatchRuns:
        """Draw the runs of ``(batch_size, lr)`` (both on the grid) and return that batch size's runs."""
        batch_size = check_int("batch_size", batch_size, low=1)
        if batch_size not in self.grid:
            raise ValueError(f"batch_size must be one of the grid's {sorted(self.grid)}, got {batch_size}")
        lr = check_number("lr", lr, low=0.0, low_open=True)
        k = self._lr_index(lr)
        runs = self.grid[batch_size]
        hits = steps_to_target(runs, self.target).mean(axis=1)              # mean over seeds, per rate
        examples = _examples_to_target(runs, self.target).mean(axis=1)
        if np.isfinite(hits).any():
            tuned = int(np.argmin(hits))
        else:           # no rate reached the target: the lowest final loss; a diverged (NaN) one never
            final = runs.losses[-1].mean(axis=1)
            tuned = int(np.argmin(np.where(np.isnan(final), np.inf, final)))
        milliseconds = runs.steps * self._step_seconds(batch_size) * MS
        keep = runs.steps > 0                                               # log axes: no step 0
        xs = {"steps": runs.steps[keep], "examples": runs.examples[keep], "time": milliseconds[keep]}
        loss = runs.losses[keep]
        for name, x in xs.items():
            for s, line in enumerate(self._seed_lines[name]):
                line.set_data(x, loss[:, k, s])
            self._mean[name].set_data(x, loss[:, k].mean(axis=1))
            self._tuned[name].set_data(x, loss[:, tuned].mean(axis=1))
        self._noise.set_data(runs.steps[keep], runs.noise_scale[keep, k, 0])
        self._batch_line.set_data([1, runs.steps[-1]], [batch_size, batch_size])

        def cost(count, per=1.0):       # steps (or examples, or ms) to the target, mean of the seeds
            return f"{count * per:.3g}" if np.isfinite(count) else "not reached"

        self.axes["steps"].set_title(f"B = {batch_size}, η = {lr:g}: steps to f ≤ {self.target:g}: {cost(hits[k])}\n"
                                     f"(tuned η = {self.lrs[tuned]:g}: {cost(hits[tuned])})", fontsize="medium")
        self.axes["examples"].set_title(f"examples to the target: {cost(examples[k])}\n"
                                        f"(tuned: {cost(examples[tuned])})", fontsize="medium")
        per_step_ms = self._step_seconds(batch_size) * MS
        self.axes["time"].set_title(f"modelled ms to the target: {cost(hits[k], per_step_ms)}\n"
                                    f"(tuned: {cost(hits[tuned], per_step_ms)})", fontsize="medium")
        return runs

    def _make_controls(self) -> dict[str, W.Widget]:
        sizes = sorted(self.grid)
        default_b = 64 if 64 in self.grid else sizes[len(sizes) // 2]
        default_lr = 2.0 if np.isclose(self.lrs, 2.0).any() else float(self.lrs[len(self.lrs) // 2])
        return {
            "batch_size": _selection_slider("batch size B", sizes, default_b),
            "lr": _selection_slider("learning rate η", [float(v) for v in self.lrs],
                                    float(self.lrs[self._lr_index(default_lr)])),
        }


def batch_size_figure(batch_size: int = 64, lr: float = 2.0,
                      grid: Mapping[int, MinibatchRuns] | None = None,
                      step_cost: tuple[float, float] = (STEP_OVERHEAD_S, EXAMPLE_COST_S)) -> tuple[Figure, MinibatchRuns]:
    """A still of :class:`BatchSizeExplorer`: the figure and the runs of one batch size.

    Examples
    --------
    >>> grid = batch_size_grid(batch_sizes=[16], lrs=[1.0, 4.0], seeds=[0, 1], min_steps=30,
    ...                        examples_budget=160)
    >>> fig, runs = batch_size_figure(16, 4.0, grid=grid)
    >>> len(fig.axes), runs.losses.shape[1:], int(runs.steps[-1])    # 30 steps: min_steps
    (4, (2, 2), 30)
    """
    ex = BatchSizeExplorer(grid=grid, step_cost=step_cost)
    runs = ex.update(batch_size, lr)
    return ex.figure, runs
