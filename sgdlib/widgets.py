"""Interactive explorers: sliders that answer "what if" questions, with a figure that follows.

An explorer is a class with

* ``update(...)`` - the pure part: settings in, the figure's artists updated in place, the
  computed result (e.g. a :class:`~sgdlib.problems.Trajectory`) out. It needs no browser and
  no kernel, so tests call it directly;
* ``figure`` - a matplotlib :class:`~matplotlib.figure.Figure` built once and reused (only line
  data, titles and, when the problem changes, the contours are redrawn);
* ``widget`` - the sliders and an ``Output`` showing the figure as a PNG ``<img>``; moving a
  slider calls ``update`` and replaces the image.

The figure is rendered with matplotlib's Agg backend into a PNG, so it works in JupyterLab 4 /
Notebook 7 with ipywidgets 8 as installed - no ``ipympl`` or other extension.

Chapter 1's explorer is :class:`GDExplorer`; later chapters subclass :class:`Explorer`.

Examples
--------
>>> ex = GDExplorer()
>>> traj = ex.update(lr=1.5, condition_number=10.0, angle_deg=45.0, start_x=-4.0, start_y=2.0)
>>> traj.points.shape, traj.diverged
((51, 2), False)
>>> ex.render_png()[:4]
b'\\x89PNG'
"""

from __future__ import annotations

import base64
import time
from collections import OrderedDict

import ipywidgets as W
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import LogFormatterSciNotation, LogLocator, NullLocator

from ._checks import check_int, check_number
from .optim import SGD
from .plotting import COLORS, contour_grid, plot_contours
from .problems import Quadratic, Trajectory, run

__all__ = ["Explorer", "GDExplorer", "gd_figure"]


class Explorer:
    """Base class: a reusable figure, a set of slider widgets and the glue between them.

    Subclasses build ``self.figure`` and their artists in ``__init__``, implement ``update``
    with one keyword per control, and list the controls in ``_make_controls`` (name -> widget,
    the names being ``update``'s arguments).

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        Drawn with the Agg backend; never shown by pyplot.
    update_seconds : list of float
        Wall-clock time of each slider-driven refresh (compute + render), for benchmarks.
    """

    dpi = 80

    def __init__(self, figure: Figure):
        self.figure = figure
        FigureCanvasAgg(figure)      # an off-screen canvas: no pyplot, no global figure list
        self.update_seconds: list[float] = []
        self._widget: W.Widget | None = None
        self.controls: dict[str, W.Widget] = {}
        self.output: W.Output | None = None

    # -- what subclasses write ------------------------------------------------------------------
    def update(self):  # pragma: no cover - subclasses
        raise NotImplementedError

    def _make_controls(self) -> dict[str, W.Widget]:  # pragma: no cover - subclasses
        raise NotImplementedError

    def _make_extras(self) -> list[W.Widget]:
        """Widgets shown under the sliders that are not settings (e.g. preset buttons)."""
        return []

    # -- shared machinery -----------------------------------------------------------------------
    def render_png(self) -> bytes:
        """The current figure as PNG bytes."""
        import io

        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=self.dpi)
        return buf.getvalue()

    def settings(self) -> dict[str, object]:
        """The controls' current values, by name."""
        return {name: w.value for name, w in self.controls.items()}

    def refresh(self, change=None) -> None:
        """Recompute from the controls and replace the image in the output (slider callback)."""
        t0 = time.perf_counter()
        self.update(**self.settings())
        png = base64.b64encode(self.render_png()).decode("ascii")
        # Replacing the outputs in one assignment swaps the <img> without a flicker.
        self.output.outputs = ({
            "output_type": "display_data",
            "data": {"image/png": png, "text/plain": f"<{type(self).__name__} figure>"},
            "metadata": {},
        },)
        self.update_seconds.append(time.perf_counter() - t0)

    @property
    def widget(self) -> W.Widget:
        """The explorer as a widget (sliders on the left, the figure on the right); display it."""
        if self._widget is None:
            self.controls = self._make_controls()
            self.output = W.Output(layout=W.Layout(min_height="300px"))
            for w in self.controls.values():
                w.observe(self.refresh, names="value")
            panel = W.VBox([*self.controls.values(), *self._make_extras()],
                           layout=W.Layout(min_width="320px"))
            self._widget = W.HBox([panel, self.output])
            self.refresh()
        return self._widget

    def _ipython_display_(self) -> None:  # so that a bare ``explorer`` at the end of a cell works
        from IPython.display import display

        display(self.widget)


def _slider_style() -> dict:
    return {"description_width": "130px"}


class GDExplorer(Explorer):
    r"""Chapter 1: gradient descent on a quadratic bowl, live.

    Controls: learning rate :math:`\eta`, condition number :math:`\kappa`, rotation angle and
    the start point :math:`\theta_0`. Left panel: the contours of
    :class:`~sgdlib.problems.Quadratic` ``(condition_number, angle_deg, L)`` and the path of
    ``steps`` plain gradient-descent steps (:class:`sgdlib.optim.SGD`). Right panel: the loss
    :math:`f(\theta_t)` per step on a log scale, with the rate bound
    :math:`f(\theta_0)\,q^{2t}`, :math:`q = \max(|1-\eta\mu|, |1-\eta L|)`.

    The learning-rate slider is linear over [0.01, 2.5/L] in steps of 0.01/L, so 1/L and the
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
        Resolution of the (cached) contour grid.
    """

    def __init__(self, steps: int = 50, L: float = 1.0, grid_n: int = 80):
        self.steps = check_int("steps", steps, low=1)
        self.L = check_number("L", L, low=0.0, low_open=True)
        self.grid_n = check_int("grid_n", grid_n, low=10)
        # A fixed layout: a layout engine would re-measure every text at every slider move.
        fig = Figure(figsize=(10, 4.5))
        fig.subplots_adjust(left=0.06, right=0.97, bottom=0.12, top=0.86, wspace=0.25)
        super().__init__(fig)
        self.ax_path, self.ax_loss = fig.subplots(1, 2, width_ratios=[1.1, 1])
        self._grids: OrderedDict = OrderedDict()     # (kappa, angle) -> contour grid, a small LRU
        self._shape: tuple | None = None              # the (kappa, angle) the contours show
        color = COLORS["GD"]
        (self._path,) = self.ax_path.plot([], [], "-o", color=color, markersize=3, lw=1.5,
                                          label="gradient descent", zorder=3)
        (self._start,) = self.ax_path.plot([], [], "o", color=color, mfc="white", ms=8, zorder=4,
                                           label=r"start $\theta_0$")
        (self._loss,) = self.ax_loss.plot([], [], "-o", color=color, ms=3, lw=1.5,
                                          label=r"$f(\theta_t)$")
        (self._bound,) = self.ax_loss.plot([], [], "--", color="#555555", lw=1,
                                           label=r"bound $f(\theta_0)\,q^{2t}$")
        # Where the loss reaches 0 (below `floor`, i.e. machine precision): a marker and a note.
        (self._zero,) = self.ax_loss.plot([], [], "v", color=color, ms=9, linestyle="none",
                                          label=r"$f$ = 0 reached")
        self._note = self.ax_loss.text(0.5, 0.12, "", transform=self.ax_loss.transAxes,
                                       ha="center", fontsize="small", color="#333333")
        self.ax_loss.set_xlabel(r"step $t$")
        self.ax_loss.grid(True, alpha=0.3)
        self._log_axis(True)
        self.trajectory: Trajectory | None = None

    def _log_axis(self, log: bool) -> None:
        """Log scale when the loss spans a decade or more, linear otherwise (a log axis over less
        than a decade would show a single tick label)."""
        ax = self.ax_loss
        if log:
            ax.set_yscale("log")
            # Major ticks at every power of ten, no minor ticks: they are a third of the
            # drawing time and add little when the curve spans decades.
            ax.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
            ax.yaxis.set_major_formatter(LogFormatterSciNotation())
            ax.yaxis.set_minor_locator(NullLocator())
            ax.set_ylabel(r"loss $f(\theta_t)$ (log scale)")
        else:
            ax.set_yscale("linear")
            ax.set_ylabel(r"loss $f(\theta_t)$")

    @staticmethod
    def _until_floor(y: np.ndarray, floor: float) -> tuple[np.ndarray, int | None]:
        """``y`` with every value after the first one below ``floor`` hidden (NaN) and that one
        set to ``floor``; and its index (None if ``y`` never goes below ``floor``).

        A loss that reaches exactly 0 cannot go on a log axis; drawing it as a plateau at
        ``floor`` would hide the bound line, so the curve stops there with a marker instead.
        """
        y = np.array(y, dtype=float)
        below = np.flatnonzero(y < floor)
        if below.size == 0:
            return y, None
        k = int(below[0])
        y[k] = floor
        y[k + 1:] = np.nan
        return y, k

    @staticmethod
    def _format_q(q: float) -> str:
        """q with enough digits to tell it from 1 (0.9999, not 1.000)."""
        if q == 1.0:
            return "1"
        digits = max(3, int(-np.floor(np.log10(abs(1.0 - q)))) + 1) if abs(1.0 - q) < 0.1 else 3
        return f"{q:.{digits}f}".rstrip("0").rstrip(".") if q < 1 else f"{q:.{digits}g}"

    def _draw_contours(self, bowl: Quadratic) -> None:
        key = (bowl.condition_number, bowl.angle_deg)
        if key == self._shape:
            return
        if key not in self._grids:
            self._grids[key] = contour_grid(bowl, n=self.grid_n)
            if len(self._grids) > 32:
                self._grids.popitem(last=False)
        for artist in [*self.ax_path.collections, *self.ax_path.lines]:
            if artist not in (self._path, self._start):
                artist.remove()
        plot_contours(bowl, self.ax_path, grid=self._grids[key], levels=15, log=False)
        self._shape = key

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
        self.ax_path.set_title(
            fr"$\eta$ = {lr:.4g}  (1/L = {1 / self.L:.3g}, $\eta^*$ = {2 / (bowl.mu + bowl.L):.4g},"
            fr" 2/L = {2 / self.L:.3g})" "\n"
            fr"$\kappa$ = {bowl.condition_number:.3g},  rotation {bowl.angle_deg:.0f}°",
            fontsize="medium")
        self.ax_path.legend(loc="upper right", fontsize="small")

        floor = 1e-16       # below this, f is 0 to machine precision (f(theta_0) is of order 1)
        t = np.arange(len(traj.losses))
        loss, k = self._until_floor(traj.losses, floor)
        self._loss.set_data(t, loss)
        self._zero.set_data(([k], [floor]) if k is not None else ([], []))
        self._zero.set_label(r"$f$ = 0 reached" if k is not None else "_hidden")   # legend only when drawn
        self._note.set_text(f"f = 0 from step {k} on (to machine precision)" if k is not None else "")
        q = max(abs(1 - lr * bowl.mu), abs(1 - lr * bowl.L))      # per-step contraction factor
        tb = np.arange(self.steps + 1)
        with np.errstate(over="ignore", under="ignore"):
            bound, _ = self._until_floor(np.minimum(traj.losses[0] * q ** (2.0 * tb), 1e30), floor)
        self._bound.set_data(tb, bound)
        self.ax_loss.set_xlim(0, self.steps)
        shown = np.concatenate([loss, bound[: len(t)]])
        shown = shown[np.isfinite(shown) & (shown > 0)]
        lo, hi = shown.min(), shown.max()
        log = hi / lo >= 10.0
        self._log_axis(log)
        if log:
            self.ax_loss.set_ylim(lo / 3, hi * 3)
        else:
            pad = 0.08 * (hi - lo) if hi > lo else 0.1 * hi
            self.ax_loss.set_ylim(max(lo - pad, 0.0), hi + pad)
        self.ax_loss.legend(loc="upper right", fontsize="small")
        if traj.diverged:
            status = "Loss: " + traj.message.split(" (")[0]           # "diverged at step 23"
        else:
            status = f"Loss after {self.steps} steps: f = {traj.losses[-1]:.3g}"
        verdict = {1: " > 1: diverges", 0: ": never converges", -1: " < 1: converges"}[int(np.sign(q - 1))]
        self.ax_loss.set_title(f"{status}\n"
                               f"q = {self._format_q(q)}{verdict}", fontsize="medium")
        return traj

    def _make_controls(self) -> dict[str, W.Widget]:
        style, layout = _slider_style(), W.Layout(width="320px")
        return {
            # Linear in steps of 0.01/L: 1/L and the limit 2/L are exact positions.
            "lr": W.FloatSlider(value=1.0 / self.L, min=0.01 / self.L, max=2.5 / self.L,
                                step=0.01 / self.L, description="learning rate η",
                                readout_format=".4g", continuous_update=False, style=style,
                                layout=layout),
            "condition_number": W.FloatLogSlider(value=10.0, base=10, min=0, max=2, step=0.05,
                                                 description="condition number κ", readout_format=".3g",
                                                 continuous_update=False, style=style, layout=layout),
            "angle_deg": W.FloatSlider(value=0.0, min=0.0, max=90.0, step=5.0, description="rotation (deg)",
                                       continuous_update=False, style=style, layout=layout),
            "start_x": W.FloatSlider(value=-4.0, min=-4.5, max=4.5, step=0.25, description="start θ₁",
                                     continuous_update=False, style=style, layout=layout),
            "start_y": W.FloatSlider(value=2.0, min=-4.5, max=4.5, step=0.25, description="start θ₂",
                                     continuous_update=False, style=style, layout=layout),
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
    """A static snapshot of :class:`GDExplorer`: the figure and trajectory for one setting.

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
