r"""Chapter 2's explorer: noisy gradient descent on the two-basin landscape, many seeds at once.

:class:`TwoBasinsExplorer` puts sliders on the learning rate, the gradient noise, the schedule
and the number of seeds of :func:`~sgdlib.problems.noisy_gradient_descent` on
:class:`~sgdlib.problems.TwoBasins`, every run started in the *shallow* basin. It answers "does
noise carry the runs into the deep basin, and do they stay there?". :func:`two_basins_figure`
draws the same figure for one setting, for readers who do not run the notebook.

Examples
--------
>>> ex = TwoBasinsExplorer()
>>> points = ex.update(lr=0.1, noise_std=2.0, schedule="constant", n_seeds=50)
>>> points.shape
(301, 50, 2)
>>> float(ex.deep_fraction[0]), bool(ex.deep_fraction[-1] > 0.5)   # all start shallow; most end deep
(0.0, True)
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from .._checks import check_int, check_number
from ..plotting import CYCLE, MINIMUM_STYLE, contour_grid, draw_contours
from ..problems import TwoBasins, noisy_gradient_descent
from ..schedules import Constant, Exponential, InverseTime
from .base import (DPI, SLIDER_DESCRIPTION_WIDTH, SLIDER_WIDTH, SMALL_FONT, Explorer, axes_fractions,
                   float_slider)

__all__ = ["TwoBasinsExplorer", "two_basins_figure", "SCHEDULES"]

#: The image in pixels (width, height), and the three panels in it: (left, bottom, width,
#: height) in pixels from the lower left corner.
FIGURE_PX = (960, 350)
PATHS_AXES_PX = (70, 70, 270, 220)
LOSS_AXES_PX = (425, 70, 225, 220)
FRACTION_AXES_PX = (715, 70, 220, 220)
#: Trajectories drawn on the landscape (the first seeds); the fraction uses every seed.
SHOWN_SEEDS = 8
#: Contour levels on the landscape.
CONTOUR_LEVELS = 20
#: The loss panel shows f(theta) - f(theta*) on a log axis between these (fixed, so the axis is
#: drawn once); the shallow minimum sits at about 1.
LOSS_LIMITS = (1e-4, 1e2)
#: Width (points) of the band that marks the shallow minimum's level in the loss panel: wider
#: than the median line (2 pt), so the band stays visible when the median lies on it.
SHALLOW_BAND_WIDTH = 7
#: Decay of the two decaying schedules, per step: eta_0 / (1 + t / 100) and eta_0 * 0.99^t.
INVERSE_TIME_DECAY = 0.01
EXPONENTIAL_GAMMA = 0.99
#: The schedules offered, by the name the menu shows: name -> (eta_0 -> schedule).
SCHEDULES = {
    "constant": lambda lr: Constant(lr),
    "η₀ / (1 + t/100)": lambda lr: InverseTime(lr, INVERSE_TIME_DECAY),
    "η₀ · 0.99^t": lambda lr: Exponential(lr, EXPONENTIAL_GAMMA),
}


class TwoBasinsExplorer(Explorer):
    r"""Chapter 2: does gradient noise carry runs from the shallow basin into the deep one?

    Every run starts at the shallow minimum of :class:`~sgdlib.problems.TwoBasins` and takes
    ``steps`` steps :math:`\theta_{t+1} = \theta_t - \eta_t(\nabla f(\theta_t) + \sigma\xi_t)`
    (:func:`~sgdlib.problems.noisy_gradient_descent`). Left: the landscape with the paths of the
    first :data:`SHOWN_SEEDS` seeds. Middle: their excess loss :math:`f(\theta_t) - f(\theta^*)`
    and the median over all seeds. Right: the fraction of all seeds that are in the deep basin
    (left of the ridge) at each step. A run that blows up counts as not in the deep basin from
    then on; the title says how many did.

    Controls: learning rate :math:`\eta_0`, noise :math:`\sigma` (0 is full-batch gradient
    descent), the schedule (one of :data:`SCHEDULES`) and the number of seeds.

    Parameters
    ----------
    steps : int, default 300
        Steps per run.
    seed : int, default 0
        Seed of the noise: the same settings always draw the same runs.
    grid_n : int, default 80
        Resolution of the contour grid (points per side).
    """

    def __init__(self, steps: int = 300, seed: int = 0, grid_n: int = 80):
        self.steps = check_int("steps", steps, low=1)
        self.seed = check_int("seed", seed, low=0)
        self.landscape = TwoBasins()
        self.f_star = self.landscape.min_value
        width, height = FIGURE_PX
        fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
        self.ax_paths = fig.add_axes(axes_fractions(PATHS_AXES_PX, FIGURE_PX))
        self.ax_loss = fig.add_axes(axes_fractions(LOSS_AXES_PX, FIGURE_PX))
        self.ax_fraction = fig.add_axes(axes_fractions(FRACTION_AXES_PX, FIGURE_PX))

        ax = self.ax_paths
        land = self.landscape
        draw_contours(land, ax, grid=contour_grid(land, n=grid_n), levels=CONTOUR_LEVELS, log=False)
        # Static lines lie under the live ones (zorder 1.5 < 2), as a full redraw would draw them.
        ax.axvline(land.ridge[0], color="#555555", lw=1, ls=":", label="ridge", zorder=1.5)
        self._paths = [ax.plot([], [], "-", color=CYCLE[k % len(CYCLE)], lw=0.9, alpha=0.8)[0]
                       for k in range(SHOWN_SEEDS)]
        (self._minima,) = ax.plot(*land.minima.T, label="minima (deep left)", **MINIMUM_STYLE)
        ax.set_xlim(land.xlim)
        ax.set_ylim(land.ylim)
        ax.set_xlabel(r"$\theta_1$")
        ax.set_ylabel(r"$\theta_2$")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncols=2, fontsize=SMALL_FONT,
                  frameon=False)

        ax = self.ax_loss
        self._losses = [ax.plot([], [], "-", color=CYCLE[k % len(CYCLE)], lw=0.7, alpha=0.6)[0]
                        for k in range(SHOWN_SEEDS)]
        (self._median,) = ax.plot([], [], "-", color="k", lw=2, label="median over seeds")
        # A wide pale band: runs that stay shallow put the median right on this level, and a
        # thin line there would vanish under it.
        ax.axhline(land.value(land.minima[1]) - self.f_star, color="#999999", lw=SHALLOW_BAND_WIDTH,
                   alpha=0.5, label="shallow minimum", zorder=1.5)
        ax.set_yscale("log")
        ax.set_ylim(LOSS_LIMITS)
        ax.set_xlim(0, self.steps)
        ax.set_xlabel(r"step $t$")
        ax.set_ylabel(r"$f(\theta_t) - f(\theta^*)$")
        ax.set_title("loss (thin: the seeds on the left)", fontsize="medium")
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncols=2, fontsize=SMALL_FONT,
                  frameon=False)

        ax = self.ax_fraction
        (self._fraction,) = ax.plot([], [], "-", color=CYCLE[0], lw=2, label="in the deep basin")
        ax.set_xlim(0, self.steps)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel(r"step $t$")
        ax.set_ylabel("fraction of seeds")
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), fontsize=SMALL_FONT, frameon=False)
        # Live: what moves with the sliders, and the frames of the axes, which a full redraw
        # draws above the curves.
        spines = [spine for a in fig.axes for spine in a.spines.values()]
        live = [*self._paths, self._minima, *self._losses, self._median, self._fraction, *spines,
                self.ax_paths.title, self.ax_fraction.title]
        super().__init__(fig, live=live)
        self.deep_fraction: np.ndarray | None = None

    def update(self, lr: float = 0.1, noise_std: float = 2.0, schedule: str = "constant",
               n_seeds: int = 100) -> np.ndarray:
        """Run ``n_seeds`` noisy runs with these settings, redraw, return their points.

        Returns the array of :func:`~sgdlib.problems.noisy_gradient_descent`, shape
        ``(steps + 1, n_seeds, 2)``; :attr:`deep_fraction` holds the fraction of seeds in the
        deep basin at each step.
        """
        lr = check_number("lr", lr, low=0.0)
        noise_std = check_number("noise_std", noise_std, low=0.0)
        n_seeds = check_int("n_seeds", n_seeds, low=1)
        if schedule not in SCHEDULES:
            raise ValueError(f"schedule must be one of {list(SCHEDULES)}, got {schedule!r}")
        lrs = SCHEDULES[schedule](lr)(np.arange(self.steps))
        land = self.landscape
        points = noisy_gradient_descent(land.grad, land.minima[1], lrs, self.steps, noise_std=noise_std,
                                        n_seeds=n_seeds, rng=np.random.default_rng(self.seed))
        finite_now = np.isfinite(points).all(axis=2)                    # (steps + 1, n_seeds)
        finite = finite_now.all(axis=0)                                 # (n_seeds,): never blew up
        with np.errstate(invalid="ignore"):
            # A run counts in the deep basin at the steps before it blew up, not after.
            in_deep = (points[:, :, 0] < land.ridge[0]) & finite_now    # (steps + 1, n_seeds)
            excess = land.value(np.where(finite[:, None, None], points.transpose(1, 0, 2), np.nan)) - self.f_star
        self.deep_fraction = in_deep.mean(axis=1)

        t = np.arange(self.steps + 1)
        for k in range(SHOWN_SEEDS):
            if k < n_seeds and finite[k]:
                self._paths[k].set_data(points[:, k, 0], points[:, k, 1])
                self._losses[k].set_data(t, excess[k])
            else:
                self._paths[k].set_data([], [])
                self._losses[k].set_data([], [])
        if finite.any():
            self._median.set_data(t, np.median(excess[finite], axis=0))
        else:
            self._median.set_data([], [])
        self._fraction.set_data(t, self.deep_fraction)
        # Plain Unicode titles: mathtext would be parsed again for every new string.
        blown = n_seeds - int(finite.sum())
        self.ax_paths.set_title(f"η₀ = {lr:.3g}, σ = {noise_std:.3g}, {schedule}\n"
                                f"{min(n_seeds, SHOWN_SEEDS)} of {n_seeds} seeds shown"
                                + (f", {blown} blew up" if blown else ""), fontsize="medium", y=1.0)
        self.ax_fraction.set_title(f"deep basin at the end: {int(in_deep[-1].sum())} of {n_seeds}\n"
                                   f"ever reached it: {int(in_deep.any(axis=0).sum())} of {n_seeds}",
                                   fontsize="medium", y=1.0)
        return points

    def _make_controls(self) -> dict[str, W.Widget]:
        return {
            "lr": float_slider("learning rate η₀", value=0.1, min=0.01, max=0.3, step=0.01),
            "noise_std": float_slider("gradient noise σ", value=2.0, min=0.0, max=6.0, step=0.25),
            "schedule": W.Dropdown(options=list(SCHEDULES), value="constant", description="schedule",
                                   style={"description_width": SLIDER_DESCRIPTION_WIDTH},
                                   layout=W.Layout(width=SLIDER_WIDTH)),
            "n_seeds": W.IntSlider(value=100, min=1, max=200, step=1, description="seeds",
                                   continuous_update=False,
                                   style={"description_width": SLIDER_DESCRIPTION_WIDTH},
                                   layout=W.Layout(width=SLIDER_WIDTH)),
        }


def two_basins_figure(lr: float = 0.1, noise_std: float = 2.0, schedule: str = "constant",
                      n_seeds: int = 100, steps: int = 300) -> tuple[Figure, np.ndarray]:
    """A still of :class:`TwoBasinsExplorer`: the figure and the points for one setting.

    Examples
    --------
    >>> fig, points = two_basins_figure(noise_std=0.0, n_seeds=5)   # full-batch GD stays shallow
    >>> bool((points[-1, :, 0] > 0).all()), len(fig.axes)
    (True, 3)
    """
    ex = TwoBasinsExplorer(steps=steps)
    points = ex.update(lr, noise_std, schedule, n_seeds)
    return ex.figure, points
