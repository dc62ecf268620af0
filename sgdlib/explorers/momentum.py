r"""Chapter 4's first explorer: momentum on the ill-conditioned bowl, in its eigenbasis and on the rate map.

:class:`MomentumExplorer` puts sliders on the learning rate :math:`\eta`, the momentum
:math:`\beta` and the condition number :math:`\kappa` (and a Nesterov switch) and shows three
panels: the path of ``SGD(lr, momentum, nesterov)`` on :class:`~sgdlib.problems.Quadratic`, the
error of each eigen-component :math:`|\theta_{t,i}|` on a log scale with its predicted rate
:math:`r_i^t`, and the point :math:`(\eta L, \beta)` on the rate map (the spectral radius
:math:`r` of the slowest component, :func:`rate_map`). :func:`momentum_figure` is a
still of it.

Examples
--------
>>> ex = MomentumExplorer()
>>> traj = ex.update(lr=3.306, momentum=0.669, condition_number=100.0)
>>> traj.points.shape, traj.diverged
((101, 2), False)
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib import colormaps
from matplotlib.colors import FuncNorm
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from .._checks import check_bool, check_int, check_number
from ..optim import SGD
from ..plotting import CYCLE, MINIMUM_STYLE, color_for, contour_grid, draw_contours, trajectory_lines
from ..problems import Quadratic, Trajectory, run
from ..problems.momentum_theory import _convergence_rate, _polyak_optimum
from .base import DPI, SMALL_FONT, Explorer, axes_fractions, float_slider, log_slider

__all__ = ["MomentumExplorer", "momentum_figure", "rate_map"]

#: The image in pixels and its three panels: (left, bottom, width, height) from the lower left.
FIGURE_PX = (960, 420)
PATH_AXES_PX = (55, 100, 250, 250)
ERROR_AXES_PX = (390, 100, 225, 250)
MAP_AXES_PX = (700, 100, 160, 250)
COLORBAR_PX = (870, 100, 12, 250)
#: The rate map's grid: eta*L in (0, LR_MAX], beta in [0, BETA_MAX].
LR_MAX, BETA_MAX, MAP_N = 4.0, 0.99, 120
#: The error axis: errors below this are drawn at it (0 to machine precision).
ERROR_FLOOR, ERROR_CEIL = 1e-12, 1e4
CONTOUR_LEVELS = 15
#: The colour follows -log10(1 - r), so that 0.9, 0.99 and 0.999 (about 10, 100 and 1000 steps
#: per factor e) are equally far apart; rates at or above 1 (no convergence) are grey.
_RATE_CMAP = colormaps["viridis_r"].with_extremes(over=colormaps["viridis_r"](1.0), bad="#bbbbbb")   # r >= 1: NaN
RATE_TICKS = (0.0, 0.9, 0.99, 0.999)


def rate_norm() -> FuncNorm:
    """The rate map's colour scale: r in [0, 0.999] by -log10(1 - r); r >= 0.999 is the top colour."""
    def forward(r):
        return -np.log10(np.clip(1 - np.asarray(r, dtype=float), 1e-12, None))

    def inverse(x):
        return 1 - 10.0 ** (-np.asarray(x, dtype=float))

    return FuncNorm((forward, inverse), vmin=0.0, vmax=RATE_TICKS[-1])


def rate_map(condition_number: float, *, nesterov: bool = False, L: float = 1.0,
             n: int = MAP_N) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""The rate :math:`r` of the bowl's slowest eigen-component on a fixed grid of :math:`(\eta, \beta)`.

    The bowl has the eigenvalues :math:`L/\kappa` and :math:`L`; the rate of a setting is the larger
    of its two components' rates. The grid is fixed on purpose: the rate at any one setting is a
    graded exercise of chapter 4.

    Parameters
    ----------
    condition_number : float
        :math:`\kappa \ge 1`.
    nesterov : bool, default False
        Torch's Nesterov rule instead of the heavy ball.
    L : float, default 1
        The largest eigenvalue, > 0.
    n : int, default MAP_N
        Grid points per axis, >= 2.

    Returns
    -------
    lrs : ndarray, shape (n,)
        The learning rates :math:`\eta` themselves, equally spaced so that :math:`\eta L` runs
        from ``LR_MAX / n`` to ``LR_MAX`` (with ``L = 1``, ``lrs`` is :math:`\eta L`).
    betas : ndarray, shape (n,)
        :math:`\beta` from 0 to ``BETA_MAX``, equally spaced.
    rates : ndarray, shape (n, n)
        ``rates[j, k]`` is :math:`r` at ``betas[j]``, ``lrs[k]``; :math:`r \ge 1` does not converge.

    Examples
    --------
    >>> lrs, betas, rates = rate_map(100.0, n=50)
    >>> rates.shape, bool(rates.min() >= 0.81)        # never below the optimum's rate 9/11
    ((50, 50), True)
    >>> float(rate_map(100.0, L=2.0, n=50)[0][-1])     # eta L = LR_MAX = 4
    2.0
    """
    kappa = check_number("condition_number", condition_number, low=1.0)
    nesterov = check_bool("nesterov", nesterov)
    L = check_number("L", L, low=0.0, low_open=True)
    n = check_int("n", n, low=2)
    lrs = np.linspace(LR_MAX / n, LR_MAX, n) / L
    betas = np.linspace(0.0, BETA_MAX, n)
    h = np.array([L / kappa, L])
    rates = _convergence_rate(lrs[None, :, None], betas[:, None, None], h, nesterov=nesterov).max(axis=-1)
    return lrs, betas, rates


def _cell_extent(xs: np.ndarray, ys: np.ndarray) -> tuple[float, float, float, float]:
    """``imshow``'s extent for an image whose pixel centres are the equally spaced ``xs`` and ``ys``."""
    dx, dy = xs[1] - xs[0], ys[1] - ys[0]
    return (float(xs[0] - dx / 2), float(xs[-1] + dx / 2), float(ys[0] - dy / 2), float(ys[-1] + dy / 2))


class MomentumExplorer(Explorer):
    r"""Chapter 4: what do :math:`\eta` and :math:`\beta` do to each eigen-component of the bowl?

    Parameters
    ----------
    steps : int, default 100
    L : float, default 1
        The bowl's largest eigenvalue (the rate map's x axis is :math:`\eta L`).
    angle_deg : float, default 0
        Rotation of the bowl; the errors are measured along its eigenvectors either way.
    grid_n : int, default 60
        Resolution of the contour grid.
    """

    def __init__(self, steps: int = 100, L: float = 1.0, angle_deg: float = 0.0, grid_n: int = 60):
        self.steps = check_int("steps", steps, low=1)
        self.L = check_number("L", L, low=0.0, low_open=True)
        self.angle_deg = check_number("angle_deg", angle_deg)
        self.grid_n = check_int("grid_n", grid_n, low=10)
        width, height = FIGURE_PX
        fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
        self.ax_path = fig.add_axes(axes_fractions(PATH_AXES_PX, FIGURE_PX))
        self.ax_error = fig.add_axes(axes_fractions(ERROR_AXES_PX, FIGURE_PX))
        self.ax_map = fig.add_axes(axes_fractions(MAP_AXES_PX, FIGURE_PX))
        cax = fig.add_axes(axes_fractions(COLORBAR_PX, FIGURE_PX))

        ax = self.ax_path
        self._path, self._start = trajectory_lines(ax, np.empty((0, 2)), color=color_for("SGD+momentum"),
                                                   label="path")
        (self._minimum,) = ax.plot([0.0], [0.0], **MINIMUM_STYLE)
        window = Quadratic(L=self.L)
        ax.set_xlim(window.xlim)
        ax.set_ylim(window.ylim)
        ax.set_aspect("equal")
        ax.set_xlabel(r"$\theta_1$")
        ax.set_ylabel(r"$\theta_2$")

        ax = self.ax_error
        self._errors, self._predicted = [], []
        for i, name in enumerate(["μ (flat)", "L (steep)"]):
            (line,) = ax.plot([], [], "-", color=CYCLE[i], lw=1.4, label=f"|error| along {name.split()[0]}")
            (pred,) = ax.plot([], [], "--", color=CYCLE[i], lw=1, label=f"predicted r^t ({name.split()[0]})")
            self._errors.append(line)
            self._predicted.append(pred)
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())   # static tick marks would cross the live curves
        ax.set_ylim(ERROR_FLOOR, ERROR_CEIL)
        ax.set_xlim(0, self.steps)
        ax.set_xlabel(r"step $t$")
        ax.set_ylabel("error in the eigenbasis (log)")
        ax.grid(True, alpha=0.3)
        # Under the panel, where no curve passes (a static legend inside would be drawn under the curves).
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), fontsize=SMALL_FONT, frameon=False, ncols=2,
                  columnspacing=1.0, handlelength=1.5)

        ax = self.ax_map
        lrs, betas, rates = rate_map(10.0, L=self.L)
        # Each pixel centred on its grid point (eta L, beta), as rate_map computed it.
        self._map = ax.imshow(np.where(rates >= 1, np.nan, rates), origin="lower", aspect="auto", cmap=_RATE_CMAP, norm=rate_norm(),
                              extent=_cell_extent(lrs * self.L, betas), interpolation="nearest")
        # Above the frame (zorder 2.5), as a full redraw draws them.
        (self._optimum,) = ax.plot([], [], "*", color="#F0E442", mec="k", ms=12, zorder=3, label="optimum (η*, β*)")
        (self._point,) = ax.plot([], [], "o", color="white", mec="k", ms=8, mew=1.5, zorder=3, label="your (η, β)")
        ax.set_xlim(0.0, LR_MAX)
        ax.set_ylim(0.0, 1.0)
        ax.set_xlabel(r"$\eta L$")
        ax.set_ylabel(r"momentum $\beta$", labelpad=1)
        cbar = fig.colorbar(self._map, cax=cax, extend="max", ticks=RATE_TICKS)
        cbar.ax.set_yticklabels([f"{r:g}" for r in RATE_TICKS])
        cbar.ax.tick_params(labelsize=SMALL_FONT)
        cbar.set_label("rate r (grey: ≥ 1, diverges)", fontsize=SMALL_FONT)
        self._shape: tuple | None = None
        self._contours: list = []
        curves = [line for pair in zip(self._errors, self._predicted) for line in pair]   # as created: drawing order
        live = [self._path, self._start, self._minimum, self.ax_path.title, *curves,
                *self.ax_error.spines.values(), self.ax_error.title,
                self._optimum, self._point, self.ax_map.title]
        super().__init__(fig, live=live)
        self.trajectory: Trajectory | None = None

    def _draw_scenery(self, bowl: Quadratic, nesterov: bool) -> None:
        shape = (bowl.condition_number, nesterov)
        if shape == self._shape:
            return
        if self._shape is None or self._shape[0] != bowl.condition_number:
            for artist in self._contours:
                artist.remove()
            self._contours = draw_contours(bowl, self.ax_path, grid=contour_grid(bowl, n=self.grid_n),
                                           levels=CONTOUR_LEVELS, log=False)
        _, _, rates = rate_map(bowl.condition_number, nesterov=nesterov, L=self.L)
        self._map.set_data(np.where(rates >= 1, np.nan, rates))
        self._shape = shape
        self.set_scenery([*self._contours, *self.ax_path.spines.values(), self._map,
                          *self.ax_map.spines.values()])

    def update(self, lr: float = 1.0, momentum: float = 0.9, condition_number: float = 100.0,
               nesterov: bool = False) -> Trajectory:
        r"""Run momentum with these settings, redraw the figure, return the trajectory.

        Parameters
        ----------
        lr : float, default 1
            :math:`\eta \ge 0`.
        momentum : float, default 0.9
            :math:`\beta` in [0, 1).
        condition_number : float, default 100
            :math:`\kappa \ge 1` of the bowl.
        nesterov : bool, default False
            Torch's Nesterov rule (ignored when ``momentum == 0``: that is gradient descent).

        Returns
        -------
        Trajectory
            ``run(Quadratic(condition_number, angle_deg, L), SGD, ...)`` from the bowl's start.
        """
        lr = check_number("lr", lr, low=0.0)
        momentum = check_number("momentum", momentum, low=0.0, high=1.0, high_open=True)
        nesterov = check_bool("nesterov", nesterov) and momentum > 0   # Nesterov needs momentum > 0
        bowl = Quadratic(condition_number, self.angle_deg, L=self.L)
        traj = run(bowl, SGD, options={"lr": lr, "momentum": momentum, "nesterov": nesterov},
                   steps=self.steps)                       # from the bowl's start, the same for every kappa
        self.trajectory = traj
        self._draw_scenery(bowl, nesterov)
        pts = traj.points
        color = color_for("Nesterov" if nesterov else ("SGD+momentum" if momentum else "GD"))
        for line in (self._path, self._start):
            line.set_color(color)
        self._path.set_data(pts[:, 0], pts[:, 1])
        self._start.set_data(pts[:1, 0], pts[:1, 1])
        name = "Nesterov" if nesterov else ("heavy ball" if momentum else "gradient descent")
        self.ax_path.set_title(f"{name}: η = {lr:.4g}, β = {momentum:.3g}\nκ = {bowl.condition_number:.4g}",
                               fontsize="medium", y=1.0)

        errors = np.abs(pts @ bowl.eigenvectors)            # coordinates along (mu, L) eigenvectors
        t = np.arange(len(pts))
        tt = np.arange(self.steps + 1)
        rates = [_convergence_rate(lr, momentum, h, nesterov=nesterov) for h in bowl.eigenvalues]
        for i in range(2):
            self._errors[i].set_data(t, np.clip(errors[:, i], ERROR_FLOOR, None))
            with np.errstate(over="ignore", under="ignore"):
                pred = errors[0, i] * np.float64(rates[i]) ** tt
            self._predicted[i].set_data(tt, np.clip(pred, ERROR_FLOOR, 1e30))
        status = f"diverged at step {len(pts) - 1}" if traj.diverged else f"r = {max(rates):.4f}"
        self.ax_error.set_title(f"{status}\nr(μ) = {rates[0]:.4f}, r(L) = {rates[1]:.4f}", fontsize="medium", y=1.0)

        eta_star, beta_star, rate_star = _polyak_optimum(bowl.L, bowl.mu)
        self._optimum.set_data([eta_star * self.L] if not nesterov else [], [beta_star] if not nesterov else [])
        self._point.set_data([min(lr * self.L, LR_MAX)], [momentum])
        self.ax_map.set_title(f"rate map ({'Nesterov' if nesterov else 'heavy ball'})\n"
                              f"best heavy ball: {rate_star:.4f}", fontsize="medium", y=1.0)
        return traj

    def _make_controls(self) -> dict[str, W.Widget]:
        return {
            "lr": float_slider("learning rate η", value=1.0 / self.L, min=0.01 / self.L, max=LR_MAX / self.L,
                               step=0.01 / self.L, readout_format=".3g"),
            "momentum": float_slider("momentum β", value=0.9, min=0.0, max=BETA_MAX, step=0.01),
            "condition_number": log_slider("condition number κ", value=100.0, min_exponent=0,
                                           max_exponent=3, step=0.25),
            "nesterov": W.Checkbox(value=False, description="Nesterov"),
        }

    def _make_extras(self) -> list[W.Widget]:
        def optimum(_):
            bowl = Quadratic(self.controls["condition_number"].value, L=self.L)
            eta, beta, _ = _polyak_optimum(bowl.L, bowl.mu)
            self.controls["momentum"].value = round(beta, 2)
            self.controls["lr"].value = round(eta, 2)

        button = W.Button(description="(η*, β*) of this κ", layout=W.Layout(width="160px"))
        button.on_click(optimum)
        return [W.HBox([button])]


def momentum_figure(lr: float = 1.0, momentum: float = 0.9, condition_number: float = 100.0,
                    nesterov: bool = False, steps: int = 100) -> tuple[Figure, Trajectory]:
    """A still of :class:`MomentumExplorer` for one setting (for readers of the saved notebook).

    Parameters
    ----------
    lr, momentum, condition_number, nesterov
        As :meth:`MomentumExplorer.update`.
    steps : int, default 100
        As :class:`MomentumExplorer`.

    Returns
    -------
    (Figure, Trajectory)
        The figure and the run it shows.

    Examples
    --------
    >>> fig, traj = momentum_figure(lr=3.9, momentum=0.9)       # eta L = 3.9 > 2 + 2 beta = 3.8
    >>> traj.diverged, len(fig.axes)
    (True, 4)
    """
    ex = MomentumExplorer(steps=steps)
    traj = ex.update(lr, momentum, condition_number, nesterov)
    return ex.figure, traj
