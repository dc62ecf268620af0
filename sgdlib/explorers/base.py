"""What every explorer shares: sliders, a figure shown as a PNG and redrawn only where it changes.

An explorer is a subclass of :class:`Explorer` with

* ``update(...)`` - the pure part: settings in (one keyword per slider), the figure's artists
  updated in place, the computed result (e.g. a :class:`~sgdlib.problems.Trajectory`) out. It
  needs no browser and no kernel, so tests call it directly;
* ``figure`` - a matplotlib :class:`~matplotlib.figure.Figure` built once and reused;
* ``widget`` - the sliders above an ``Output`` that shows the figure as a PNG ``<img>``; moving
  a slider calls ``update`` and replaces the image.

**The image.** Matplotlib's Agg backend draws the figure into a PNG, so an explorer works in
JupyterLab 4 / Notebook 7 with ipywidgets 8 as installed: no ``ipympl``, no extension. The PNG
has :data:`DPI` pixels per inch and is shown at its natural size, one image pixel per screen
pixel, so text of ``s`` points is ``s * DPI / 72`` pixels tall on screen (13.9 px for
matplotlib's default 10 pt). Size a figure in inches as the pixels you want divided by
:data:`DPI`.

**Speed.** A slider move must show its new image in well under 100 ms on a 2-core laptop, and
nearly all of that time is matplotlib drawing text and the PNG encoder; the numerics take a few
milliseconds. So an explorer draws only what moves (matplotlib calls this *blitting*), in three
layers:

1. *live* artists change at every move (lines, titles, an axis whose limits change); every
   frame draws them over a copy of the background;
2. the *scenery* changes now and then (the contours, when the problem changes): the explorer
   hands the new artists to :meth:`Explorer.set_scenery`, and the next frame draws them over
   the static layer and keeps the result as the new background;
3. everything else is *static* (axes, tick labels, legends) and drawn once. An explorer that
   changes a static artist (a new legend) calls :meth:`Explorer.redraw_background`.

Within a layer, artists are drawn in the order of their ``zorder``, as matplotlib does. The
image is then exactly what a full redraw would give as long as a live artist lies above every
scenery or static artist it overlaps, and scenery above static (a path above its contours, the
frame of the axes above the contours, so the frame is scenery too).

Examples
--------
>>> from sgdlib.explorers import GDExplorer
>>> ex = GDExplorer()
>>> traj = ex.update(lr=1.5, condition_number=10.0, angle_deg=45.0, start_x=-4.0, start_y=2.0)
>>> ex.render_png()[:4]
b'\\x89PNG'
"""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Sequence

import ipywidgets as W
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

__all__ = ["DPI", "SMALL_FONT", "Explorer", "axes_fractions", "float_slider", "log_slider"]

#: Pixels per inch of an explorer's image, which is shown one image pixel per screen pixel.
DPI = 100
#: zlib level of the PNG: level 1 encodes in about 0.6x the time of level 6 (Pillow's default)
#: for a file about a quarter larger (60 kB here), sent to a browser on this machine or nearby.
PNG_COMPRESS_LEVEL = 1
#: Width of a slider's name ("condition number κ") and of the whole slider: two sliders fit side
#: by side above an 880-pixel figure.
SLIDER_DESCRIPTION_WIDTH = "130px"
SLIDER_WIDTH = "320px"
#: Text size (points) of legends and notes: 9 pt is 12.5 px on screen at the explorers' DPI.
SMALL_FONT = 9


def axes_fractions(box_px: tuple[int, int, int, int],
                   figure_px: tuple[int, int]) -> tuple[float, float, float, float]:
    """A (left, bottom, width, height) box in pixels as fractions of the figure, for ``add_axes``.

    Examples
    --------
    >>> axes_fractions((80, 40, 400, 200), figure_px=(800, 400))
    (0.1, 0.1, 0.5, 0.5)
    """
    width, height = figure_px
    left, bottom, w, h = box_px
    return left / width, bottom / height, w / width, h / height


def float_slider(description: str, *, value: float, min: float, max: float, step: float,
                 readout_format: str = ".3g") -> W.FloatSlider:
    """A slider in the explorers' style: it reports a value when released, not while dragged."""
    return W.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                         readout_format=readout_format, continuous_update=False,
                         style={"description_width": SLIDER_DESCRIPTION_WIDTH},
                         layout=W.Layout(width=SLIDER_WIDTH))


def log_slider(description: str, *, value: float, min_exponent: float, max_exponent: float,
               step: float, base: float = 10.0, readout_format: str = ".3g") -> W.FloatLogSlider:
    """A slider over ``base**min_exponent .. base**max_exponent`` moving ``step`` in the exponent."""
    return W.FloatLogSlider(value=value, base=base, min=min_exponent, max=max_exponent, step=step,
                            description=description, readout_format=readout_format,
                            continuous_update=False,
                            style={"description_width": SLIDER_DESCRIPTION_WIDTH},
                            layout=W.Layout(width=SLIDER_WIDTH))


class Explorer:
    """Base class: a figure redrawn where it changes, a set of sliders and the glue between them.

    A subclass builds its figure (``Figure(figsize=(width_px / DPI, height_px / DPI), dpi=DPI)``)
    and its artists in ``__init__`` and passes them here; implements ``update`` with one keyword
    per control; and lists the controls in ``_make_controls`` (name -> widget, the names being
    ``update``'s arguments) and any other widgets (buttons) in ``_make_extras``.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        Drawn with the Agg backend; never shown by pyplot.
    live : sequence of Artist
        What ``update`` changes: lines, texts, an ``Axis`` (its ticks, tick labels and label),
        or a whole ``Axes``. They are drawn at every frame over the background, by ``zorder``.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    live : list of Artist
    controls : dict of str to ipywidgets.Widget
        The sliders by name (empty until :attr:`widget` is first used).
    update_seconds : list of float
        Wall-clock time of each slider-driven refresh (update, PNG, handing it to the browser).
    """

    def __init__(self, figure: Figure, live: Sequence[Artist]):
        self.figure = figure
        self.canvas = FigureCanvasAgg(figure)   # off-screen: no pyplot, no global figure list
        self.live = sorted(live, key=lambda artist: artist.get_zorder())   # stable, like Axes.draw
        self.update_seconds: list[float] = []
        self.controls: dict[str, W.Widget] = {}
        self.output: W.Output | None = None
        self._widget: W.Widget | None = None
        self._scenery: list[Artist] = []
        self._static = None                     # (canvas size and dpi, pixels of the static layer)
        self._background = None                 # pixels of the static layer with the scenery on it

    # -- what subclasses write ------------------------------------------------------------------
    def update(self):  # pragma: no cover - subclasses
        raise NotImplementedError

    def _make_controls(self) -> dict[str, W.Widget]:  # pragma: no cover - subclasses
        raise NotImplementedError

    def _make_extras(self) -> list[W.Widget]:
        """Widgets that are not settings (e.g. preset buttons), each a row under the sliders."""
        return []

    # -- shared machinery -----------------------------------------------------------------------
    def set_scenery(self, artists: Sequence[Artist]) -> None:
        """Make ``artists`` the scenery (drawn into the background at the next frame, then kept)."""
        self._scenery = sorted(artists, key=lambda artist: artist.get_zorder())
        self._background = None

    def redraw_background(self) -> None:
        """Call after changing a static artist: the next frame draws the whole figure again."""
        self._static = None

    def render_png(self) -> bytes:
        """The current figure as PNG bytes, drawing only the layers that changed (see the module)."""
        size = (*self.canvas.get_width_height(), self.figure.dpi)
        if self._static is None or self._static[0] != size:
            moving = [*self._scenery, *self.live]
            for artist in moving:
                artist.set_animated(True)       # Figure.draw and Axes.draw skip animated artists
            try:
                self.canvas.draw()
            finally:
                for artist in moving:
                    artist.set_animated(False)  # so that savefig and IPython still draw them
            self._static = (size, self.canvas.copy_from_bbox(self.figure.bbox))
            self._background = None
        if self._background is None:
            self.canvas.restore_region(self._static[1])
            for artist in self._scenery:
                self.figure.draw_artist(artist)
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self.canvas.restore_region(self._background)
        for artist in self.live:
            self.figure.draw_artist(artist)
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        if self.figure.get_facecolor()[3] == 1.0:    # opaque: the alpha channel would cost time
            image = image.convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=PNG_COMPRESS_LEVEL)
        return buffer.getvalue()

    def settings(self) -> dict[str, object]:
        """The controls' current values, by name."""
        return {name: w.value for name, w in self.controls.items()}

    def refresh(self, change=None) -> None:
        """Recompute from the controls and replace the image in the output (the slider callback)."""
        start = time.perf_counter()
        self.update(**self.settings())
        png = base64.b64encode(self.render_png()).decode("ascii")
        width, _ = self.canvas.get_width_height()
        # Replacing the outputs in one assignment swaps the <img> without a flicker; the width
        # shows it at its natural size (narrower only when the notebook is narrower than that).
        self.output.outputs = ({
            "output_type": "display_data",
            "data": {"image/png": png, "text/plain": f"<{type(self).__name__} figure>"},
            "metadata": {"image/png": {"width": width}},
        },)
        self.update_seconds.append(time.perf_counter() - start)

    @property
    def widget(self) -> W.Widget:
        """The explorer as one widget: the sliders (as many per row as fit), the extras, the figure."""
        if self._widget is None:
            self.controls = self._make_controls()
            for w in self.controls.values():
                w.observe(self.refresh, names="value")
            _, height = self.canvas.get_width_height()
            self.output = W.Output(layout=W.Layout(min_height=f"{height}px"))   # no jump while drawing
            sliders = W.HBox(list(self.controls.values()), layout=W.Layout(flex_flow="row wrap"))
            self._widget = W.VBox([sliders, *self._make_extras(), self.output])
            self.refresh()
        return self._widget

    def _ipython_display_(self) -> None:  # so that a bare ``explorer`` at the end of a cell works
        from IPython.display import display

        display(self.widget)
