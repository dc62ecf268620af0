r"""Chapter 1's explorer: gradient descent on a quadratic bowl, live, and a still of it.

:class:`GDExplorer` puts a slider on every setting of plain gradient descent on
:class:`~sgdlib.problems.Quadratic`; :func:`gd_figure` draws the same figure for one setting,
for readers who do not run the notebook.

Examples
--------
>>> ex = GDExplorer()
>>> traj = ex.update(lr=1.5, condition_number=10.0, angle_deg=45.0, start_x=-4.0, start_y=2.0)
>>> traj.points.shape, traj.diverged
((51, 2), False)
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from .._checks import check_int, check_number
from ..optim import SGD
from ..plotting import (COLORS, LOSS_FLOOR, MINIMUM_STYLE, contour_grid, draw_contours, fit_loss_axis,
                        trajectory_lines, until_floor)
from ..problems import Quadratic, Trajectory, run
from .base import DPI, SMALL_FONT, Explorer, axes_fractions, float_slider, log_slider

__all__ = ["GDExplorer", "gd_figure"]

#: The image in pixels (width, height), and where the two panels sit in it: (left, bottom,
#: width, height) in pixels from the lower left corner. The paths' legend is right of the bowl,
#: the loss panel's legend under it, so neither covers a curve or the start point.
FIGURE_PX = (880, 380)
PATH_AXES_PX = (62, 75, 245, 245)
LOSS_AXES_PX = (555, 75, 310, 245)
#: Number of contour levels drawn on the bowl.
CONTOUR_LEVELS = 15
#: The rate bound f(theta_0) q^(2t) is cut here, so that with q > 1 it stays a finite number.
BOUND_MAX = 1e30
#: The learning-rate slider runs from LR_STEP/L to LR_MAX/L in steps of LR_STEP/L, so that
#: 1/L and the stability limit 2/L are exact positions.
LR_STEP, LR_MAX = 0.01, 2.5


def format_q(q: float) -> str:
    """The contraction factor q with enough digits to tell it from 1 (0.9999, not 1.000).

    Examples
    --------
    >>> format_q(0.81818), format_q(0.99991), format_q(1.0), format_q(1.25)
    ('0.818', '0.9999', '1', '1.25')
    """
    if q == 1.0:
        return "1"
    gap = abs(1.0 - q)
    digits = max(3, int(-np.floor(np.log10(gap))) + 1) if gap < 0.1 else 3
    return f"{q:.{digits}f}".rstrip("0").rstrip(".") if q < 1 else f"{q:.{digits}g}"


class GDExplorer(Explorer):
    r"""Chapter 1: gradient descent on a quadratic bowl, live.

    Controls: learning rate :math:`\eta`, condition number :math:`\kappa`, rotation angle and
    the start point :math:`\theta_0`. Left panel: the contours of
    :class:`~sgdlib.problems.Quadratic` ``(condition_number, angle_deg, L)`` and the path of
    ``steps`` plain gradient-descent steps (:class:`sgdlib.optim.SGD`). Right panel: the loss
    :math:`f(\theta_t)` per step on a log scale, with the rate bound
    :math:`f(\theta_0)\,q^{2t}`, :math:`q = \max(|1-\eta\mu|, |1-\eta L|)`.

    The learning-rate slider is linear over [0.01, 2.5]/L in steps of 0.01/L, so 1/L and the
    stability limit 2/L are exact slider positions; the buttons "1/L", "η*" and "2/L" set the
    learning rate to exactly those values (:math:`\eta^* = 2/(\mu + L)` depends on
    :math:`\kappa`, so no fixed grid can contain it).

    Parameters
    ----------
    steps : int, default 50
        Gradient-descent steps per trajectory.
    L : float, default 1
        Largest Hessian eigenvalue of the bowl, so the stability limit is :math:`\eta < 2/L`.
    grid_n : int, default 80
        Resolution of the contour grid (points per side).
    """

    def __init__(self, steps: int = 50, L: float = 1.0, grid_n: int = 80):
        self.steps = check_int("steps", steps, low=1)
        self.L = check_number("L", L, low=0.0, low_open=True)
        self.grid_n = check_int("grid_n", grid_n, low=10)
        width, height = FIGURE_PX
        fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
        # Fixed positions, titles and axis labels: a layout engine, or matplotlib placing a title
        # above the tick labels, would measure every text again at every slider move.
        self.ax_path = fig.add_axes(axes_fractions(PATH_AXES_PX, FIGURE_PX))
        self.ax_loss = fig.add_axes(axes_fractions(LOSS_AXES_PX, FIGURE_PX))
        color = COLORS["GD"]

        ax = self.ax_path
        self._path, self._start = trajectory_lines(ax, np.empty((0, 2)), color=color,
                                                   label="gradient descent", start_label=r"start $\theta_0$")
        (self._minimum,) = ax.plot([], [], label="minimum", **MINIMUM_STYLE)   # live: above the path
        self._contours: list = []
        self._shape: tuple | None = None      # the (kappa, angle) the contours show
        window = Quadratic(L=self.L)          # every bowl has the same window
        ax.set_xlim(window.xlim)
        ax.set_ylim(window.ylim)
        ax.set_aspect("equal")
        ax.set_xlabel(r"$\theta_1$")
        ax.set_ylabel(r"$\theta_2$")
        ax.legend(loc="center left", bbox_to_anchor=(1.03, 0.5), fontsize=SMALL_FONT, frameon=False)

        ax = self.ax_loss
        (self._loss,) = ax.plot([], [], "-o", color=color, ms=3, lw=1.5, label=r"$f(\theta_t)$")
        (self._bound,) = ax.plot([], [], "--", color="#555555", lw=1, label=r"bound $f(\theta_0)\,q^{2t}$")
        # Where the loss reaches 0 (below LOSS_FLOOR): a marker, a legend entry and a note.
        (self._zero,) = ax.plot([], [], "v", color=color, ms=9, linestyle="none", label=r"$f$ = 0 reached")
        self._note = ax.text(0.5, 0.12, "", transform=ax.transAxes, ha="center",
                             fontsize=SMALL_FONT, color="#333333")
        self._zero_in_legend: bool | None = None
        ax.set_xlim(0, self.steps)
        ax.set_xlabel(r"step $t$")
        ax.yaxis.set_label_coords(-0.2, 0.5)
        ax.grid(True, alpha=0.3)
        # Live: what moves with the sliders. The loss axis changes its scale, and its spines are
        # live so that they stay above the curves, as in a full redraw.
        live = [self._path, self._start, self._minimum, self.ax_path.title, ax.yaxis, self._loss,
                self._bound, self._zero, self._note, *ax.spines.values(), ax.title]
        super().__init__(fig, live=live)
        self.trajectory: Trajectory | None = None

    def _draw_contours(self, bowl: Quadratic) -> None:
        """Contours of ``bowl`` on the path panel, replacing the previous ones if its shape changed."""
        shape = (bowl.condition_number, bowl.angle_deg)
        if shape == self._shape:
            return
        for artist in self._contours:
            artist.remove()
        grid = contour_grid(bowl, n=self.grid_n)
        self._contours = draw_contours(bowl, self.ax_path, grid=grid, levels=CONTOUR_LEVELS, log=False)
        self._minimum.set_data(bowl.minima[:, 0], bowl.minima[:, 1])
        self._shape = shape
        # The frame of the axes is scenery too: it must stay above the contours.
        self.set_scenery([*self._contours, *self.ax_path.spines.values()])

    def update(
        self,
        lr: float = 1.0,
        condition_number: float = 10.0,
        angle_deg: float = 0.0,
        start_x: float = -4.0,
        start_y: float = 2.0,
    ) -> Trajectory:
        """Run gradient descent with these settings, redraw the figure, return the trajectory."""
        lr = check_number("lr", lr, low=0.0)
        bowl = Quadratic(condition_number, angle_deg, L=self.L)
        start = np.array([check_number("start_x", start_x), check_number("start_y", start_y)])
        traj = run(bowl, SGD, options={"lr": lr}, steps=self.steps, start=start)
        self.trajectory = traj

        self._draw_contours(bowl)
        pts = traj.points
        self._path.set_data(pts[:, 0], pts[:, 1])
        self._start.set_data(pts[:1, 0], pts[:1, 1])
        # Titles that change at every move are plain Unicode: mathtext ($\eta$) would be parsed
        # again for every new string, a few milliseconds each. With y given, matplotlib does not
        # measure the tick labels to place the title.
        self.ax_path.set_title(
            f"η = {lr:.4g}  (1/L = {1 / self.L:.3g}, η* = {2 / (bowl.mu + bowl.L):.4g},"
            f" 2/L = {2 / self.L:.3g})\n"
            f"κ = {bowl.condition_number:.3g},  rotation {bowl.angle_deg:.0f}°",
            fontsize="medium", y=1.0)

        t = np.arange(len(traj.losses))
        loss, k = until_floor(traj.losses, LOSS_FLOOR)
        self._loss.set_data(t, loss)
        self._zero.set_data(([k], [LOSS_FLOOR]) if k is not None else ([], []))
        self._note.set_text(f"f = 0 from step {k} on (to machine precision)" if k is not None else "")
        if (k is not None) != self._zero_in_legend:      # the legend lists the marker only when drawn
            self._zero_in_legend = k is not None
            self._zero.set_label(r"$f$ = 0 reached" if self._zero_in_legend else "_hidden")
            self.ax_loss.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncols=3,
                                fontsize=SMALL_FONT, frameon=False, handlelength=1.6, columnspacing=1.0)
            self.redraw_background()
        q = max(abs(1 - lr * bowl.mu), abs(1 - lr * bowl.L))      # per-step contraction factor
        tb = np.arange(self.steps + 1)
        with np.errstate(over="ignore", under="ignore"):
            bound, _ = until_floor(np.minimum(traj.losses[0] * q ** (2.0 * tb), BOUND_MAX), LOSS_FLOOR)
        self._bound.set_data(tb, bound)
        fit_loss_axis(self.ax_loss, np.concatenate([loss, bound[: len(t)]]), label=r"loss $f(\theta_t)$")
        if traj.diverged:
            status = "Loss: " + traj.message.split(" (")[0]           # "diverged at step 23"
        else:
            status = f"Loss after {self.steps} steps: f = {traj.losses[-1]:.3g}"
        verdict = {1: " > 1: diverges", 0: ": never converges", -1: " < 1: converges"}[int(np.sign(q - 1))]
        self.ax_loss.set_title(f"{status}\nq = {format_q(q)}{verdict}", fontsize="medium", y=1.0)
        return traj

    def _make_controls(self) -> dict[str, W.Widget]:
        L = self.L
        return {
            "lr": float_slider("learning rate η", value=1.0 / L, min=LR_STEP / L, max=LR_MAX / L,
                               step=LR_STEP / L, readout_format=".4g"),
            "condition_number": log_slider("condition number κ", value=10.0, min_exponent=0,
                                           max_exponent=2, step=0.05),
            "angle_deg": float_slider("rotation (deg)", value=0.0, min=0.0, max=90.0, step=5.0),
            "start_x": float_slider("start θ₁", value=-4.0, min=-4.5, max=4.5, step=0.25),
            "start_y": float_slider("start θ₂", value=2.0, min=-4.5, max=4.5, step=0.25),
        }

    def preset_lr(self, which: str) -> float:
        """The learning rate named ``which`` ("1/L", "eta*" or "2/L") for the current kappa."""
        kappa = self.controls["condition_number"].value if self.controls else 10.0
        bowl = Quadratic(kappa, 0.0, L=self.L)
        values = {"1/L": 1.0 / self.L, "eta*": 2.0 / (bowl.mu + bowl.L), "2/L": 2.0 / self.L}
        if which not in values:
            raise ValueError(f"which must be one of {sorted(values)}, got {which!r}")
        return values[which]

    def _make_extras(self) -> list[W.Widget]:
        # Buttons that put the learning rate exactly on 1/L, eta* = 2/(mu + L) or the limit 2/L.
        buttons = []
        for which, text in [("1/L", "η = 1/L"), ("eta*", "η = η*"), ("2/L", "η = 2/L")]:
            b = W.Button(description=text, layout=W.Layout(width="100px"))
            b.on_click(lambda _, w=which: setattr(self.controls["lr"], "value", self.preset_lr(w)))
            buttons.append(b)
        return [W.HBox(buttons)]


def gd_figure(
    lr: float = 1.0,
    condition_number: float = 10.0,
    angle_deg: float = 0.0,
    start: tuple[float, float] = (-4.0, 2.0),
    steps: int = 50,
) -> tuple[Figure, Trajectory]:
    """A still of :class:`GDExplorer`: the figure and trajectory for one setting.

    Use it for printed figures (readers who do not run the notebook) and tests.

    Examples
    --------
    >>> fig, traj = gd_figure(lr=2.5)           # beyond the stability limit 2/L = 2
    >>> traj.diverged, fig.axes[0].get_xlabel()
    (True, '$\\\\theta_1$')
    """
    ex = GDExplorer(steps=steps)
    traj = ex.update(lr, condition_number, angle_deg, float(start[0]), float(start[1]))
    return ex.figure, traj
