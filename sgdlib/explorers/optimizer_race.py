r"""Chapter 5's explorer: a race of optimizers on the 2-D test problems, and a still of it.

:func:`race_runs` runs one :mod:`sgdlib.optim` optimizer from many start points at once (the
runs are rows of one parameter array: every rule of :mod:`sgdlib.optim` works entry by entry, so
``n`` runs cost little more than one). :class:`OptimizerRaceExplorer` puts a slider on each
optimizer's learning rate, a menu on the problem and on the optimizers in the race, and draws
their paths on the contours and their loss curves; :func:`optimizer_race_figure` is a still of it.

Examples
--------
>>> ex = OptimizerRaceExplorer(steps=100)
>>> runs = ex.update(problem="rosenbrock", optimizers=("SGD", "Adam"))
>>> sorted(runs), runs["Adam"].losses.shape           # (steps + 1, seeds)
(['Adam', 'SGD'], (101, 5))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from .._checks import check_array, check_int, check_number, check_rng, require_rng
from ..optim import SGD, Adagrad, Adam, RMSprop
from ..optim.base import Optimizer
from ..plotting import MINIMUM_STYLE, color_for, contour_grid, draw_contours
from ..problems import PROBLEMS, Problem
from .base import DPI, SLIDER_DESCRIPTION_WIDTH, SLIDER_WIDTH, SMALL_FONT, Explorer, axes_fractions, log_slider

__all__ = ["RACE_OPTIMIZERS", "RACE_MENU", "START_SPREAD", "RaceRuns", "race_problem", "race_runs",
           "random_starts", "OptimizerRaceExplorer", "optimizer_race_figure"]

#: The optimizers of the race: label -> (class, the options fixed besides ``lr``: torch's defaults).
RACE_OPTIMIZERS: dict[str, tuple[type[Optimizer], dict]] = {
    "SGD": (SGD, {}),
    "SGD+momentum": (SGD, {"momentum": 0.9}),
    "Adagrad": (Adagrad, {}),
    "RMSprop": (RMSprop, {}),
    "Adam": (Adam, {}),
}
#: The explorer's problem menu: label -> (a key of :data:`sgdlib.problems.PROBLEMS`, its options).
#: The two bowls are the "quadratic" with a condition number of 50, axis-aligned and rotated.
RACE_MENU: dict[str, tuple[str, dict]] = {
    "rosenbrock": ("rosenbrock", {}),
    "beale": ("beale", {}),
    "saddle": ("saddle", {}),
    "bowl": ("quadratic", {"condition_number": 50.0}),
    "rotated bowl": ("quadratic", {"condition_number": 50.0, "angle_deg": 45.0}),
}
#: Standard deviation of the random start around ``problem.start``, per problem. Near the
#: saddle's default start (on its ridge) a tiny offset is enough to decide which way a run falls.
START_SPREAD = {"rosenbrock": 0.1, "beale": 0.1, "saddle": 1e-3, "bowl": 0.3, "rotated bowl": 0.3}
#: The explorer's default learning rates (one slider each) and the range of the sliders.
DEFAULT_LRS = {"SGD": 1e-3, "SGD+momentum": 1e-3, "Adagrad": 0.3, "RMSprop": 0.01, "Adam": 0.03}
#: The argument of :meth:`OptimizerRaceExplorer.update` that holds each optimizer's learning rate.
LR_ARGUMENTS = {"SGD": "sgd_lr", "SGD+momentum": "momentum_lr", "Adagrad": "adagrad_lr", "RMSprop": "rmsprop_lr",
                "Adam": "adam_lr"}
LR_EXPONENTS = (-5.0, 1.0)
#: The image in pixels and its two panels (left, bottom, width, height) from the lower left.
FIGURE_PX = (900, 400)
PATH_AXES_PX = (75, 55, 300, 300)
LOSS_AXES_PX = (480, 55, 245, 300)
#: The loss panel shows f - f* from GAP_FLOOR to GAP_TOP (the same for every problem).
GAP_FLOOR, GAP_TOP = 1e-12, 1e4


@dataclass
class RaceRuns:
    """What :func:`race_runs` returns.

    Attributes
    ----------
    points : ndarray, shape (steps + 1, n_runs, 2)
        The iterates of every run; a run that diverged is NaN from the step it blew up on.
    losses : ndarray, shape (steps + 1, n_runs)
        :math:`f(\\theta_t)` of every run (NaN after divergence).
    diverged : ndarray of bool, shape (n_runs,)
    """

    points: np.ndarray
    losses: np.ndarray
    diverged: np.ndarray


def race_problem(name: str) -> Problem:
    """A fresh problem of the explorer's menu, :data:`RACE_MENU`, built from :data:`sgdlib.problems.PROBLEMS`.

    Parameters
    ----------
    name : str
        A key of :data:`RACE_MENU`: "rosenbrock", "beale", "saddle", "bowl" or "rotated bowl".

    Returns
    -------
    Problem

    Examples
    --------
    >>> race_problem("rotated bowl").condition_number
    50.0
    """
    if name not in RACE_MENU:
        raise ValueError(f"name must be one of {list(RACE_MENU)}, got {name!r}")
    key, options = RACE_MENU[name]
    return PROBLEMS[key](**options)


def random_starts(problem: Problem, n: int, *, spread: float, rng: np.random.Generator | int) -> np.ndarray:
    """``n`` start points: ``problem.start`` plus Gaussian noise of standard deviation ``spread``.

    Parameters
    ----------
    problem : Problem
    n : int
        How many starts (rows).
    spread : float
        The noise's standard deviation (:data:`START_SPREAD` holds the explorer's, per problem).
    rng : numpy.random.Generator or int

    Returns
    -------
    ndarray of shape (n, 2)

    Examples
    --------
    >>> random_starts(race_problem("saddle"), 3, spread=START_SPREAD["saddle"], rng=0).shape
    (3, 2)
    """
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be an sgdlib.problems.Problem, got {type(problem).__name__}")
    n = check_int("n", n, low=1)
    spread = check_number("spread", spread, low=0.0)
    rng = check_rng("rng", rng)
    return problem.start + spread * rng.standard_normal((n, 2))


def race_runs(
    problem: Problem,
    optimizer: str,
    lr: float,
    *,
    steps: int,
    start: ArrayLike,
    noise_std: float = 0.0,
    rng: np.random.Generator | int | None = None,
    max_norm: float = 1e6,
) -> RaceRuns:
    r"""Run one race optimizer from every start at once, the runs as rows of one array.

    Each run takes ``steps`` steps on the gradient :math:`\nabla f(\theta_t) + \sigma\xi_t`
    (:math:`\xi_t \sim N(0, I)`, only when ``noise_std`` :math:`\sigma > 0`). The optimizer's
    rule acts entry by entry, so the rows are independent runs: the same numbers as
    :func:`sgdlib.problems.run` from each start. A run whose :math:`\|\theta\|` exceeds
    ``max_norm`` (or becomes NaN) stops there and is NaN from then on.

    Parameters
    ----------
    problem : Problem
    optimizer : str
        A key of :data:`RACE_OPTIMIZERS` ("SGD", "SGD+momentum", "Adagrad", "RMSprop", "Adam").
    lr : float
    steps : int
    start : array of shape (n_runs, 2)
        One start point per run (:func:`sgdlib.problems.run`'s ``start``, one per row).
    noise_std : float, default 0
    rng : numpy.random.Generator or int, optional
        Required when ``noise_std > 0``.
    max_norm : float, default 1e6
        A run stops when :math:`\|\theta\|` exceeds it (> 0, as in :func:`sgdlib.problems.run`).

    Returns
    -------
    RaceRuns

    Examples
    --------
    >>> from sgdlib.optim import Adam
    >>> from sgdlib.problems import Rosenbrock, run
    >>> starts = np.array([[-1.2, 1.0], [0.5, 0.0]])
    >>> runs = race_runs(Rosenbrock(), "Adam", 0.05, steps=30, start=starts)
    >>> one = run(Rosenbrock(), Adam, options={"lr": 0.05}, steps=30, start=starts[1])
    >>> bool(np.array_equal(runs.points[:, 1], one.points))
    True
    """
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be an sgdlib.problems.Problem, got {type(problem).__name__}")
    if optimizer not in RACE_OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {list(RACE_OPTIMIZERS)}, got {optimizer!r}")
    lr = check_number("lr", lr, low=0.0)
    theta = check_array("start", start, ndim=2, dtype_kind="fiu").astype(float)   # a copy, updated in place
    if theta.shape[1] != 2:
        raise ValueError(f"start must have shape (n_runs, 2), got {theta.shape}")
    steps = check_int("steps", steps, low=0)
    noise_std = check_number("noise_std", noise_std, low=0.0)
    max_norm = check_number("max_norm", max_norm, low=0.0, low_open=True)
    if noise_std > 0:
        rng = require_rng("rng", rng, when="noise_std > 0")
    cls, fixed = RACE_OPTIMIZERS[optimizer]
    opt = cls([theta], lr=lr, **fixed)
    n = len(theta)
    points = np.full((steps + 1, n, 2), np.nan)
    points[0] = theta
    alive = np.ones(n, dtype=bool)
    all_alive = True
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps):
            g = problem.grad(theta)
            if noise_std > 0:
                g = g + noise_std * rng.standard_normal(g.shape)
            if not all_alive:
                g[~alive] = 0.0             # a run that blew up is frozen (and NaN in the record)
            opt.step([g])
            ok = (theta * theta).sum(axis=1) <= max_norm * max_norm   # False for NaN and inf too
            if all_alive and ok.all():
                points[t + 1] = theta
                continue
            alive &= ok
            all_alive = False
            theta[~alive] = 0.0             # keeps the frozen runs' numbers finite
            points[t + 1, alive] = theta[alive]
            if not alive.any():
                break
    losses = problem.value(points)
    return RaceRuns(points, np.asarray(losses, dtype=float).reshape(steps + 1, n), ~alive)


class OptimizerRaceExplorer(Explorer):
    r"""Chapter 5: which optimizer wins, on which problem, at which learning rates?

    Controls: the problem, the optimizers in the race, one learning rate per optimizer (the
    other hyperparameters at torch's defaults; SGD+momentum has ``momentum=0.9``) and the
    gradient noise. Every optimizer runs ``n_seeds`` times from random starts around the
    problem's start (:func:`random_starts`, the same starts for all). Left: the contours and the
    path of each optimizer's first run. Right: :math:`f(\theta_t) - f^\star` of each run (thin)
    and their median (thick) on a log scale.

    Parameters
    ----------
    steps : int, default 200
    n_seeds : int, default 5
    grid_n : int, default 70
        Points per side of the contour grid.
    """

    def __init__(self, steps: int = 200, n_seeds: int = 5, grid_n: int = 70):
        self.steps = check_int("steps", steps, low=1)
        self.n_seeds = check_int("n_seeds", n_seeds, low=1)
        self.grid_n = check_int("grid_n", grid_n, low=10)
        width, height = FIGURE_PX
        fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
        self.ax_path = fig.add_axes(axes_fractions(PATH_AXES_PX, FIGURE_PX))
        self.ax_loss = fig.add_axes(axes_fractions(LOSS_AXES_PX, FIGURE_PX))
        self._paths, self._medians, self._seed_lines = {}, {}, {}
        for name in RACE_OPTIMIZERS:
            color = color_for(name)
            (self._paths[name],) = self.ax_path.plot([], [], "-", color=color, lw=1.6, zorder=3)
            (self._medians[name],) = self.ax_loss.plot([], [], "-", color=color, lw=2.2, label=name)
            self._seed_lines[name] = [self.ax_loss.plot([], [], "-", color=color, lw=0.6, alpha=0.45)[0]
                                      for _ in range(self.n_seeds)]
        (self._start,) = self.ax_path.plot([], [], "o", color="k", mfc="white", ms=7, zorder=4)
        (self._minima,) = self.ax_path.plot([], [], **MINIMUM_STYLE)
        self.ax_path.set_xlabel(r"$\theta_1$")
        self.ax_path.set_ylabel(r"$\theta_2$")
        ax = self.ax_loss
        ax.set_yscale("log")
        ax.set_xlim(0, self.steps)
        ax.set_ylim(GAP_FLOOR, GAP_TOP)
        ax.set_xlabel(r"step $t$")
        ax.set_ylabel(r"$f(\theta_t) - f^\star$ (log scale)")
        ax.grid(True, alpha=0.3)
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=SMALL_FONT, frameon=False)
        ax.set_title(f"thin: {self.n_seeds} random starts; thick: their median", fontsize="medium")
        self._contours: list = []
        self._problem_name: str | None = None
        # In the order they were added, as a full redraw draws artists of equal zorder.
        lines = [line for name in RACE_OPTIMIZERS
                 for line in (self._paths[name], self._medians[name], *self._seed_lines[name])]
        # The loss axis is fixed (GAP_FLOOR to GAP_TOP for every problem), so its ticks are static.
        live = [*lines, self._start, self._minima, self.ax_path.title, *ax.spines.values()]
        super().__init__(fig, live=live)
        self.runs: dict[str, RaceRuns] = {}
        self._cache: dict[tuple, RaceRuns] = {}

    def _set_problem(self, name: str) -> Problem:
        problem = race_problem(name)
        if name != self._problem_name:
            for artist in self._contours:
                artist.remove()
            self._contours = draw_contours(problem, self.ax_path, grid=contour_grid(problem, self.grid_n),
                                           levels=15)
            self.ax_path.set_xlim(problem.xlim)
            self.ax_path.set_ylim(problem.ylim)
            self.ax_path.set_aspect("equal")
            self._minima.set_data(problem.minima[:, 0], problem.minima[:, 1])
            self._problem_name = name
            self._cache.clear()
            self.set_scenery([*self._contours, *self.ax_path.spines.values()])
            self.redraw_background()        # the path panel's limits and tick labels changed
        return problem

    def update(
        self,
        problem: str = "rosenbrock",
        optimizers: Sequence[str] = tuple(RACE_OPTIMIZERS),
        sgd_lr: float = DEFAULT_LRS["SGD"],
        momentum_lr: float = DEFAULT_LRS["SGD+momentum"],
        adagrad_lr: float = DEFAULT_LRS["Adagrad"],
        rmsprop_lr: float = DEFAULT_LRS["RMSprop"],
        adam_lr: float = DEFAULT_LRS["Adam"],
        noise_std: float = 0.0,
    ) -> dict[str, RaceRuns]:
        """Run the chosen optimizers (names, or one name) on the chosen problem, redraw, and return
        their runs by name."""
        if problem not in RACE_MENU:
            raise ValueError(f"problem must be one of {list(RACE_MENU)}, got {problem!r}")
        if isinstance(optimizers, str):
            optimizers = (optimizers,)              # one optimizer alone
        if not all(isinstance(o, str) and o in RACE_OPTIMIZERS for o in optimizers):
            raise ValueError(f"optimizers must be a sequence of names from {list(RACE_OPTIMIZERS)}, got {optimizers!r}")
        lrs = {"SGD": sgd_lr, "SGD+momentum": momentum_lr, "Adagrad": adagrad_lr, "RMSprop": rmsprop_lr,
               "Adam": adam_lr}
        noise_std = check_number("noise_std", noise_std, low=0.0)
        p = self._set_problem(problem)
        starts = random_starts(p, self.n_seeds, spread=START_SPREAD[problem], rng=0)
        self.runs = {}
        for name in RACE_OPTIMIZERS:
            shown = name in optimizers
            if shown:
                lr = check_number(LR_ARGUMENTS[name], lrs[name], low=0.0)
                key = (name, lr, noise_std)
                if key not in self._cache:
                    self._cache[key] = race_runs(p, name, lr, steps=self.steps, start=starts, noise_std=noise_std,
                                                 rng=np.random.default_rng(1))
                self.runs[name] = runs = self._cache[key]
                gap = np.maximum(runs.losses - p.min_value, GAP_FLOOR)
                t = np.arange(self.steps + 1)
                self._paths[name].set_data(runs.points[:, 0, 0], runs.points[:, 0, 1])
                self._medians[name].set_data(t, np.median(gap, axis=1))
                for s, line in enumerate(self._seed_lines[name]):
                    line.set_data(t, gap[:, s])
            else:
                self._paths[name].set_data([], [])
                self._medians[name].set_data([], [])
                for line in self._seed_lines[name]:
                    line.set_data([], [])
        self._start.set_data(starts[:1, 0], starts[:1, 1])
        finals = [np.median(r.losses[-1][~r.diverged]) - p.min_value if not r.diverged.all() else np.nan
                  for r in self.runs.values()]
        best = min(zip(finals, self.runs), default=None, key=lambda fr: (np.isnan(fr[0]), fr[0]))
        lead = f"lowest median gap: {best[1]} ({best[0]:.2g})" if best is not None and np.isfinite(best[0]) else ""
        self.ax_path.set_title(f"{p.name}, {self.steps} steps\n{lead}", fontsize="medium", y=1.0)
        return self.runs

    def _make_controls(self) -> dict[str, W.Widget]:
        style = {"description_width": SLIDER_DESCRIPTION_WIDTH}
        sliders = {LR_ARGUMENTS[name]: log_slider(f"{name} η", value=DEFAULT_LRS[name], min_exponent=LR_EXPONENTS[0],
                                                  max_exponent=LR_EXPONENTS[1], step=0.25)
                   for name in RACE_OPTIMIZERS}
        return {
            "problem": W.Dropdown(options=list(RACE_MENU), value="rosenbrock", description="problem",
                                  style=style, layout=W.Layout(width=SLIDER_WIDTH)),
            "optimizers": W.SelectMultiple(options=list(RACE_OPTIMIZERS), value=tuple(RACE_OPTIMIZERS),
                                           description="optimizers", rows=5, style=style,
                                           layout=W.Layout(width=SLIDER_WIDTH)),
            **sliders,
            "noise_std": W.FloatSlider(value=0.0, min=0.0, max=5.0, step=0.25, description="gradient noise σ",
                                       continuous_update=False, style=style,
                                       layout=W.Layout(width=SLIDER_WIDTH)),
        }


def optimizer_race_figure(
    problem: str = "rosenbrock",
    lrs: Mapping[str, float] | None = None,
    noise_std: float = 0.0,
    steps: int = 200,
    n_seeds: int = 5,
) -> tuple[Figure, dict[str, RaceRuns]]:
    """A still of :class:`OptimizerRaceExplorer`: the figure and the runs for one setting.

    ``lrs`` maps optimizer names to learning rates; the optimizers named race (default: all, at
    :data:`DEFAULT_LRS`).

    Examples
    --------
    >>> fig, runs = optimizer_race_figure("saddle", {"SGD": 0.1, "Adam": 0.1}, steps=50)
    >>> sorted(runs), len(fig.axes)
    (['Adam', 'SGD'], 2)
    """
    lrs = dict(DEFAULT_LRS if lrs is None else lrs)
    unknown = set(lrs) - set(RACE_OPTIMIZERS)
    if unknown:
        raise ValueError(f"lrs must name optimizers from {list(RACE_OPTIMIZERS)}, got {sorted(unknown)}")
    ex = OptimizerRaceExplorer(steps=steps, n_seeds=n_seeds)
    all_lrs = {**DEFAULT_LRS, **lrs}
    runs = ex.update(problem, tuple(lrs), noise_std=noise_std,
                     **{LR_ARGUMENTS[name]: lr for name, lr in all_lrs.items()})
    return ex.figure, runs
