r"""Chapter 4's second explorer: gradient descent, heavy ball and Nesterov side by side on one problem.

:class:`MomentumRaceExplorer` runs ``SGD(lr)``, ``SGD(lr, momentum)`` and
``SGD(lr, momentum, nesterov=True)`` from the same start on a problem of
:data:`~sgdlib.problems.PROBLEMS` (chosen from a menu) and draws their paths on the contours and
their gap to the minimum :math:`f(\theta_t) - f^*` per step. Choosing a problem sets the sliders to
a setting where all three run (:data:`PRESETS`). :func:`momentum_race_figure` is a still of it, and
:func:`race_trajectories` the three runs without a figure (for :func:`sgdlib.animation.animate_paths`).

Examples
--------
>>> ex = MomentumRaceExplorer()
>>> runs = ex.update(problem="rosenbrock", lr=1e-3, momentum=0.9)
>>> sorted(runs), runs["GD"].points.shape
(['GD', 'Nesterov', 'SGD+momentum'], (201, 2))
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullLocator
from numpy.typing import ArrayLike

from .._checks import check_int, check_number
from ..optim import SGD
from ..plotting import COLORS, LOSS_FLOOR, MINIMUM_STYLE, contour_grid, draw_contours, trajectory_lines
from ..problems import PROBLEMS, Problem, Trajectory, run
from .base import DPI, SLIDER_DESCRIPTION_WIDTH, SLIDER_WIDTH, SMALL_FONT, Explorer, axes_fractions, float_slider, log_slider

__all__ = ["MomentumRaceExplorer", "momentum_race_figure", "race_trajectories", "PRESETS", "LABELS"]

#: The three runs, by legend label (also their colour's name in :data:`sgdlib.plotting.COLORS`).
LABELS = ("GD", "SGD+momentum", "Nesterov")
#: A setting per problem where all three runs stay finite: (learning rate, momentum).
PRESETS: dict[str, tuple[float, float]] = {
    "quadratic": (0.03, 0.9), "rosenbrock": (1e-3, 0.9), "beale": (1e-3, 0.9),
    "himmelblau": (1e-3, 0.9), "saddle": (1e-2, 0.9), "two_basins": (3e-2, 0.9),
}
FIGURE_PX = (880, 390)
PATH_AXES_PX = (72, 90, 290, 250)
LOSS_AXES_PX = (500, 90, 360, 250)
CONTOUR_LEVELS = 20
#: The gap axis: whole decades around the three curves, within LOSS_FLOOR (0 to machine
#: precision) and GAP_CEIL.
GAP_CEIL = 1e6


def race_trajectories(problem: str | Problem, lr: float, momentum: float, steps: int = 200, *,
                      start: ArrayLike | None = None) -> dict[str, Trajectory]:
    r"""The three runs (:data:`LABELS`) from the same start: :func:`~sgdlib.problems.run` of ``SGD``.

    Parameters
    ----------
    problem : str or Problem
        A problem, or the name of one in :data:`~sgdlib.problems.PROBLEMS`.
    lr : float
        The learning rate :math:`\eta \ge 0` of all three.
    momentum : float
        :math:`\beta` in (0, 1) of the heavy ball and of Nesterov.
    steps : int, default 200
        Steps of each run.
    start : array of shape (2,), optional
        :math:`\theta_0`; default the problem's start.

    Returns
    -------
    dict of str to Trajectory
        ``run(problem, SGD, options=..., steps=steps, start=start)`` for ``{"lr": lr}`` ("GD"),
        ``{"lr": lr, "momentum": momentum}`` ("SGD+momentum") and the same with ``nesterov=True``
        ("Nesterov"); a run that blows up stops as :func:`~sgdlib.problems.run` stops it.

    Examples
    --------
    >>> runs = race_trajectories("quadratic", lr=0.03, momentum=0.9, steps=100)
    >>> [f"{runs[k].losses[-1]:.0e}" for k in ("GD", "SGD+momentum")]
    ['4e-01', '9e-05']
    """
    if isinstance(problem, str):
        if problem not in PROBLEMS:
            raise ValueError(f"problem must be one of {sorted(PROBLEMS)} or a Problem, got {problem!r}")
        problem = PROBLEMS[problem]()
    elif not isinstance(problem, Problem):
        raise TypeError(f"problem must be a name in PROBLEMS or an sgdlib.problems.Problem, got {type(problem).__name__}")
    lr = check_number("lr", lr, low=0.0)
    momentum = check_number("momentum", momentum, low=0.0, low_open=True, high=1.0, high_open=True)
    options = {"GD": {"lr": lr}, "SGD+momentum": {"lr": lr, "momentum": momentum},
               "Nesterov": {"lr": lr, "momentum": momentum, "nesterov": True}}
    return {label: run(problem, SGD, options=options[label], steps=steps, start=start) for label in LABELS}


class MomentumRaceExplorer(Explorer):
    r"""Chapter 4: gradient descent against heavy ball against Nesterov, on a problem you choose.

    Parameters
    ----------
    steps : int, default 200
    grid_n : int, default 80
        Resolution of the contour grid.
    """

    def __init__(self, steps: int = 200, grid_n: int = 80):
        self.steps = check_int("steps", steps, low=1)
        self.grid_n = check_int("grid_n", grid_n, low=10)
        width, height = FIGURE_PX
        fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
        self.ax_path = fig.add_axes(axes_fractions(PATH_AXES_PX, FIGURE_PX))
        self.ax_loss = fig.add_axes(axes_fractions(LOSS_AXES_PX, FIGURE_PX))
        self._paths, self._starts, self._gaps = {}, {}, {}
        for label in LABELS:
            self._paths[label], self._starts[label] = trajectory_lines(self.ax_path, np.empty((0, 2)),
                                                                       color=COLORS[label], label=label)
            self._paths[label].set_marker("")    # 200 steps make a line; markers cost drawing time
            (self._gaps[label],) = self.ax_loss.plot([], [], "-", color=COLORS[label], lw=1.6, label=label)
        (self._minima,) = self.ax_path.plot([], [], label="minima", **MINIMUM_STYLE)
        self.ax_path.set_xlabel(r"$\theta_1$")
        self.ax_path.set_ylabel(r"$\theta_2$")
        ax = self.ax_loss
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_ylim(LOSS_FLOOR, GAP_CEIL)
        ax.set_xlim(0, self.steps)
        ax.set_xlabel(r"step $t$")
        ax.set_ylabel(r"$f(\theta_t) - f^*$ (log scale)")
        ax.grid(True, alpha=0.3)
        # Under the panel, where no curve passes (the curves are drawn over a static legend).
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncols=3, fontsize=SMALL_FONT, frameon=False)
        self._problem: str | None = None
        self._contours: list = []
        curves = [line for label in LABELS for line in (self._paths[label], self._starts[label])]
        live = [*curves, self._minima, *self._gaps.values(), *ax.spines.values(), ax.title, self.ax_path.title]
        super().__init__(fig, live=live)
        self.trajectories: dict[str, Trajectory] = {}

    def _draw_problem(self, name: str) -> None:
        if name == self._problem:
            return
        for artist in self._contours:
            artist.remove()
        p = PROBLEMS[name]()
        self._contours = draw_contours(p, self.ax_path, grid=contour_grid(p, n=self.grid_n), levels=CONTOUR_LEVELS)
        self.ax_path.set_xlim(p.xlim)
        self.ax_path.set_ylim(p.ylim)
        self._minima.set_data(p.minima[:, 0], p.minima[:, 1])
        self._problem = name
        self.redraw_background()                # the path axis's ticks changed
        self.set_scenery([*self._contours, *self.ax_path.spines.values()])

    def update(self, problem: str = "rosenbrock", lr: float = 1e-3, momentum: float = 0.9) -> dict[str, Trajectory]:
        r"""Run the three optimizers, redraw, return their trajectories by label.

        Parameters
        ----------
        problem : str, default "rosenbrock"
            A name in :data:`~sgdlib.problems.PROBLEMS`.
        lr : float, default 1e-3
            :math:`\eta \ge 0` of all three.
        momentum : float, default 0.9
            :math:`\beta` in (0, 1).

        Returns
        -------
        dict of str to Trajectory
            :func:`race_trajectories` of these settings.
        """
        if not isinstance(problem, str):
            raise TypeError(f"problem must be a name in PROBLEMS (the menu's), got {type(problem).__name__}")
        runs = race_trajectories(problem, lr, momentum, self.steps)
        self.trajectories = runs
        self._draw_problem(problem)
        f_star = PROBLEMS[problem]().min_value
        words = []
        for label, traj in runs.items():
            pts = traj.points
            self._paths[label].set_data(pts[:, 0], pts[:, 1])
            self._starts[label].set_data(pts[:1, 0], pts[:1, 1])
            gap = np.clip(traj.losses - f_star, LOSS_FLOOR, None)
            self._gaps[label].set_data(np.arange(len(gap)), gap)
            words.append(f"{label}: " + ("diverged" if traj.diverged else f"{gap[-1]:.1e}"))
        self._fit_gap_axis(runs, f_star)
        self.ax_path.set_title(f"{problem}: η = {lr:.3g}, β = {momentum:.3g}", fontsize="medium", y=1.0)
        self.ax_loss.set_title(f"gap after {self.steps} steps: {words[0]}\n" + ",  ".join(words[1:]), fontsize="medium", y=1.0)
        return runs

    def _fit_gap_axis(self, runs: dict[str, Trajectory], f_star: float) -> None:
        # Whole decades that hold the curves, so they fill the panel; redrawn only when they change.
        gaps = np.concatenate([np.clip(t.losses - f_star, LOSS_FLOOR, GAP_CEIL) for t in runs.values()])
        gaps = gaps[np.isfinite(gaps)]
        low = 10.0 ** np.floor(np.log10(gaps.min())) if gaps.size else LOSS_FLOOR
        high = 10.0 ** np.ceil(np.log10(gaps.max())) if gaps.size else GAP_CEIL
        if high <= low:
            high = low * 10
        if self.ax_loss.get_ylim() != (low, high):
            self.ax_loss.set_ylim(low, high)
            self.redraw_background()

    def _make_controls(self) -> dict[str, W.Widget]:
        lr, beta = PRESETS["rosenbrock"]
        problem = W.Dropdown(options=list(PRESETS), value="rosenbrock", description="problem",
                             style={"description_width": SLIDER_DESCRIPTION_WIDTH},
                             layout=W.Layout(width=SLIDER_WIDTH))
        controls = {
            "problem": problem,
            "lr": log_slider("learning rate η", value=lr, min_exponent=-4, max_exponent=0, step=0.1),
            "momentum": float_slider("momentum β", value=beta, min=0.05, max=0.99, step=0.01),
        }

        def preset(change):       # a new problem starts at its preset (two refreshes; the last wins)
            controls["lr"].value, controls["momentum"].value = PRESETS[change["new"]]

        problem.observe(preset, names="value")
        return controls


def momentum_race_figure(problem: str = "rosenbrock", lr: float = 1e-3, momentum: float = 0.9,
                         steps: int = 200) -> tuple[Figure, dict[str, Trajectory]]:
    """A still of :class:`MomentumRaceExplorer` for one setting.

    Parameters
    ----------
    problem, lr, momentum
        As :meth:`MomentumRaceExplorer.update` (``problem`` a name in :data:`PRESETS`).
    steps : int, default 200
        As :class:`MomentumRaceExplorer`.

    Returns
    -------
    (Figure, dict of str to Trajectory)
        The figure and its three runs by label.

    Examples
    --------
    >>> fig, runs = momentum_race_figure("beale", lr=0.01, momentum=0.9)
    >>> runs["GD"].diverged, runs["SGD+momentum"].diverged
    (False, True)
    """
    ex = MomentumRaceExplorer(steps=steps)
    runs = ex.update(problem, lr, momentum)
    return ex.figure, runs
