"""Tests of sgdlib.explorers: the chapter-1 explorer, headless (no browser, no kernel)."""

import base64
import io
import itertools

import matplotlib

matplotlib.use("Agg")

import ipywidgets as W  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from explorer_helpers import MIN_TEXT_PX, fast_and_full_pixels, text_heights_px  # noqa: E402
from sgdlib.explorers import Explorer, GDExplorer, gd_figure  # noqa: E402
from sgdlib.explorers import base as explorers_base  # noqa: E402
from sgdlib.explorers import batch_size, gradient_descent, two_basins  # noqa: E402
from sgdlib.explorers.base import DPI, axes_fractions  # noqa: E402
from sgdlib.explorers.gradient_descent import FIGURE_PX, format_q  # noqa: E402
from sgdlib.optim import SGD  # noqa: E402
from sgdlib.plotting import LOSS_FLOOR  # noqa: E402
from sgdlib.problems import Quadratic, run  # noqa: E402


@pytest.fixture(scope="module")
def explorer():
    return GDExplorer()


GRID = list(itertools.product(
    [0.01, 0.3, 1.0, 1.99, 2.2, 3.16],     # learning rates, across the stability limit 2/L = 2
    [1.0, 10.0, 100.0],                     # condition numbers
    [0.0, 45.0, 90.0],                      # rotation angles
    [(-4.0, 2.0), (0.0, 0.0), (4.5, -4.5)], # starts (the minimum itself included)
))


@pytest.mark.parametrize("lr, kappa, angle, start", GRID)
def test_update_draws_exactly_the_runners_trajectory(explorer, lr, kappa, angle, start):
    traj = explorer.update(lr=lr, condition_number=kappa, angle_deg=angle, start_x=start[0], start_y=start[1])
    expected = run(Quadratic(kappa, angle), SGD, options={"lr": lr}, steps=explorer.steps, start=start)
    np.testing.assert_array_equal(traj.points, expected.points)
    assert traj.diverged == expected.diverged
    if start != (0.0, 0.0):
        assert expected.diverged == (lr == 3.16)    # 2.2 grows (|1 - 2.2| > 1), too slowly to blow up
        assert (expected.losses[-1] > expected.losses[0]) == (lr > 2.0)
    # the line on the figure is that trajectory, and the loss panel shows its losses
    np.testing.assert_array_equal(explorer._path.get_xydata(), expected.points)
    drawn = explorer._loss.get_ydata()
    exact = expected.losses >= LOSS_FLOOR      # below: 0 to machine precision, drawn as a marker
    np.testing.assert_array_equal(drawn[exact], expected.losses[exact])
    assert np.isnan(drawn[~exact]).sum() == max(int((~exact).sum()) - 1, 0)
    assert f"η = {lr:.4g}" in explorer.ax_path.get_title()
    assert explorer.figure.axes == [explorer.ax_path, explorer.ax_loss]


def test_update_matches_a_hand_written_gradient_descent_loop(explorer):
    traj = explorer.update(lr=1.5, condition_number=20.0, angle_deg=45.0, start_x=-3.0, start_y=1.0)
    H = Quadratic(20.0, 45.0).hessian
    theta = np.array([-3.0, 1.0])
    for t in range(explorer.steps):
        theta = theta - 1.5 * H @ theta
        np.testing.assert_allclose(traj.points[t + 1], theta, rtol=1e-12, atol=1e-300)


def test_contours_follow_the_shape_and_are_not_duplicated(explorer):
    explorer.update(1.0, 10.0, 0.0, -4.0, 2.0)
    n_artists = len(explorer.ax_path.collections) + len(explorer.ax_path.lines)
    levels_10 = explorer.ax_path.collections[0].levels.copy()
    explorer.update(1.0, 100.0, 30.0, -4.0, 2.0)
    assert len(explorer.ax_path.collections) + len(explorer.ax_path.lines) == n_artists
    assert not np.array_equal(explorer.ax_path.collections[0].levels, levels_10)
    explorer.update(0.5, 100.0, 30.0, -4.0, 2.0)   # same shape: contours kept, path redrawn
    assert len(explorer.ax_path.collections) + len(explorer.ax_path.lines) == n_artists


def test_figure_has_titles_labels_and_legends(explorer):
    explorer.update(2.5, 10.0, 0.0, -4.0, 2.0)
    for ax in explorer.figure.axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
        assert ax.get_legend() is not None
    assert "diverged" in explorer.ax_loss.get_title()
    assert explorer.ax_loss.get_yscale() == "log"


def test_rate_bound_lies_above_the_measured_loss(explorer):
    # For gradient descent on a quadratic, f(theta_t) <= q^(2t) f(theta_0) with
    # q = max|1 - lr*lambda_i| (Nocedal & Wright 2006, Sec. 3.3): the dashed line must bound the curve.
    traj = explorer.update(1.2, 30.0, 20.0, -4.0, 2.0)
    bound = explorer._bound.get_ydata()[: len(traj.losses)]
    assert np.isfinite(bound).all()
    assert (traj.losses <= bound * (1 + 1e-9)).all()


def test_update_rejects_bad_settings(explorer):
    with pytest.raises(ValueError, match="lr"):
        explorer.update(lr=-1.0)
    with pytest.raises(ValueError, match="condition_number"):
        explorer.update(condition_number=0.5)
    with pytest.raises(TypeError, match="start_x"):
        explorer.update(start_x="left")


def test_widget_has_sliders_for_every_setting_and_moving_one_changes_the_image():
    ex = GDExplorer()
    box = ex.widget
    assert isinstance(box, W.VBox) and box.children[-1] is ex.output    # the figure under the sliders
    assert set(ex.controls) == {"lr", "condition_number", "angle_deg", "start_x", "start_y"}
    assert all(isinstance(w, (W.FloatSlider, W.FloatLogSlider)) for w in ex.controls.values())
    (first,) = ex.output.outputs
    png = base64.b64decode(first["data"]["image/png"])
    assert png[:4] == b"\x89PNG"
    # shown at its natural size: the width the browser is told is the PNG's own width
    assert first["metadata"]["image/png"]["width"] == Image.open(io.BytesIO(png)).width == FIGURE_PX[0]
    ex.controls["lr"].value = 2.5
    (second,) = ex.output.outputs
    assert second["data"]["image/png"] != first["data"]["image/png"]
    assert ex.trajectory.diverged
    ex.controls["angle_deg"].value = 45.0
    np.testing.assert_array_equal(
        ex.trajectory.points,
        run(Quadratic(10.0, 45.0), SGD, options={"lr": ex.controls["lr"].value}, steps=ex.steps,
            start=(-4.0, 2.0)).points)
    assert len(ex.update_seconds) == 3


def test_gd_figure_is_a_snapshot_of_the_explorer():
    fig, traj = gd_figure(lr=0.5, condition_number=5.0, angle_deg=45.0, start=(3.0, 1.0), steps=20)
    expected = run(Quadratic(5.0, 45.0), SGD, options={"lr": 0.5}, steps=20, start=(3.0, 1.0))
    np.testing.assert_array_equal(traj.points, expected.points)
    assert len(fig.axes) == 2


def test_diverging_settings_draw_without_warnings(explorer):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for lr in [2.5, 3.16]:
            for kappa in [100.0, 1.0]:      # (4.5, 4.5) lies on the flat axis when kappa > 1
                traj = explorer.update(lr, kappa, 45.0, 4.5, 4.5)
                explorer.render_png()
                assert np.isfinite(explorer._bound.get_ydata()).all()
    assert traj.diverged


def test_lr_slider_has_1_over_L_and_the_limit_2_over_L_as_exact_positions():
    # A learner who sets "lr = 2" must get exactly 2/L, not 1.995 (which converges).
    for L in [1.0, 2.0]:
        ex = GDExplorer(L=L)
        box = ex.widget
        slider = ex.controls["lr"]
        for target in [1 / L, 2 / L]:
            k = (target - slider.min) / slider.step
            assert abs(k - round(k)) < 1e-9, (L, target)
            assert slider.min < target < slider.max
        slider.value = 2 / L
        assert slider.value == 2 / L
        traj = ex.trajectory
        # At eta = 2/L, q = |1 - eta L| = 1: the steep component flips sign forever with a constant
        # size, so the run neither converges (loss -> 0) nor diverges.
        assert not traj.diverged
        assert traj.losses[-1] > 1e-3 * traj.losses[0]
        assert "never converges" in ex.ax_loss.get_title()
        assert "q = 1:" in ex.ax_loss.get_title()
        box.close()


def test_preset_buttons_put_lr_exactly_on_1_over_L_eta_star_and_2_over_L():
    ex = GDExplorer()
    ex.widget
    ex.controls["condition_number"].value = 10.0
    buttons = {b.description: b for b in ex._widget.children[1].children}      # the row under the sliders
    expected = {"η = 1/L": 1.0, "η = η*": 2 / (0.1 + 1.0), "η = 2/L": 2.0}   # mu = L/kappa = 0.1
    assert set(buttons) == set(expected)
    for text, lr in expected.items():
        buttons[text].click()
        assert ex.controls["lr"].value == pytest.approx(lr, rel=1e-15)
        assert ex.trajectory is not None
    with pytest.raises(ValueError, match="which"):
        ex.preset_lr("3/L")


def test_q_is_shown_with_enough_digits_to_tell_it_from_1(explorer):
    explorer.update(0.01, 100.0, 0.0, -4.0, 2.0)     # q = 1 - 0.01 * mu = 1 - 1e-4
    title = explorer.ax_loss.get_title()
    assert "q = 0.9999 < 1: converges" in title
    assert format_q(0.81818) == "0.818"
    assert format_q(1.0) == "1"
    assert format_q(1.0 + 2e-5) == "1.00002"


def test_loss_axis_is_linear_when_the_loss_spans_less_than_a_decade(explorer):
    traj = explorer.update(0.01, 100.0, 0.0, -4.0, 2.0)
    assert traj.losses[0] / traj.losses[-1] < 10
    assert explorer.ax_loss.get_yscale() == "linear"
    explorer.update(1.0, 10.0, 0.0, -4.0, 2.0)
    assert explorer.ax_loss.get_yscale() == "log"


def test_a_loss_that_reaches_exactly_zero_is_marked_not_drawn_as_a_plateau(explorer):
    traj = explorer.update(1.0, 1.0, 0.0, -4.0, 2.0)   # kappa = 1, eta = 1/L: Newton's step
    assert traj.losses[1] == 0.0
    y = explorer._loss.get_ydata()
    assert y[0] == traj.losses[0] and np.isnan(y[2:]).all()
    assert list(explorer._zero.get_xdata()) == [1]
    assert "f = 0 from step 1" in explorer._note.get_text()
    assert "reached" in " ".join(t.get_text() for t in explorer.ax_loss.get_legend().get_texts())
    explorer.update(1.0, 10.0, 0.0, -4.0, 2.0)         # never 0: no marker, no note
    assert len(explorer._zero.get_xdata()) == 0 and explorer._note.get_text() == ""


@pytest.mark.parametrize("lr, kappa", [(2.5, 100.0), (0.01, 100.0), (1.0, 1.0), (2.0, 10.0)])
def test_titles_stay_inside_the_figure(explorer, lr, kappa):
    explorer.update(lr, kappa, 45.0, -4.0, 2.0)
    fig = explorer.figure
    renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    for ax in fig.axes:
        box = ax.title.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= width and box.y1 <= height, ax.get_title()


# -- readable at the size it is shown (issue 9): pixels, fonts, legends ----------------------------

@pytest.mark.parametrize("lr, kappa", [(1.0, 10.0), (1.0, 1.0), (2.5, 100.0), (0.01, 100.0)])
def test_every_text_is_at_least_11_pixels_tall_in_the_image_shown_at_natural_size(explorer, lr, kappa):
    explorer.update(lr, kappa, 30.0, -4.0, 2.0)
    image = Image.open(io.BytesIO(explorer.render_png()))
    assert image.size == FIGURE_PX
    assert explorer.figure.dpi == DPI
    sizes = text_heights_px(explorer.figure)
    assert len(sizes) > 20                     # titles, tick labels, axis labels, legend entries
    small = {text: round(px, 1) for text, px in sizes.items() if px < MIN_TEXT_PX}
    assert not small, small


def test_legends_lie_outside_both_panels_so_they_hide_no_path_or_start_point(explorer):
    explorer.update(1.0, 1.0, 0.0, -4.0, 2.0)          # the legend with its third entry ("f = 0")
    fig = explorer.figure
    renderer = fig.canvas.get_renderer()
    panels = [ax.get_window_extent(renderer) for ax in fig.axes]
    for ax in fig.axes:
        legend = ax.get_legend().get_window_extent(renderer)
        assert not any(legend.overlaps(p) for p in panels), ax
        assert legend.x0 >= 0 and legend.y0 >= 0 and legend.x1 <= fig.bbox.width, ax


SETTINGS = [
    (1.0, 10.0, 0.0, -4.0, 2.0),     # the default
    (1.9, 20.0, 30.0, -4.0, 2.0),    # new shape: new contours
    (1.5, 20.0, 30.0, 3.0, -1.0),    # same shape, new start
    (1.0, 1.0, 0.0, -4.0, 2.0),      # f reaches 0: a legend entry appears
    (2.5, 100.0, 45.0, 4.5, 4.4),    # diverges
    (0.01, 100.0, 45.0, -4.0, 2.0),  # a linear loss axis
    (1.0, 10.0, 0.0, -4.0, 2.0),     # back: the legend entry goes
]


def test_drawing_only_what_changed_gives_the_same_pixels_as_a_full_redraw():
    ex = GDExplorer()
    for settings in SETTINGS:
        ex.update(*settings)
        fast, full = fast_and_full_pixels(ex)
        assert fast.shape == full.shape
        assert (fast != full).any(axis=-1).sum() == 0, settings


def test_a_learning_rate_move_redraws_only_the_live_artists(monkeypatch):
    ex = GDExplorer()
    ex.update(1.0, 10.0, 0.0, -4.0, 2.0)
    ex.render_png()
    full_draws = []
    monkeypatch.setattr(ex.canvas, "draw", lambda: full_draws.append(1))
    for lr in (1.01, 1.5, 0.3):
        ex.update(lr, 10.0, 0.0, -4.0, 2.0)
        ex.render_png()
    assert full_draws == []
    ex.update(0.3, 12.0, 0.0, -4.0, 2.0)                  # new shape: only the scenery is redrawn
    ex.render_png()
    assert full_draws == []


def test_gd_figure_draws_every_artist_when_saved():
    # The blitting marks artists "animated" while it draws the background; a figure handed to
    # savefig or IPython must not keep that mark, or its lines and titles would vanish.
    fig, _ = gd_figure(lr=1.9, condition_number=20.0, angle_deg=30.0, start=(-4.0, 2.0), steps=50)
    assert not any(a.get_animated() for a in fig.findobj())
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert Image.open(buf).size == FIGURE_PX


class _OneLine(Explorer):
    """The smallest explorer: one slider moves one line."""

    def __init__(self):
        fig = Figure(figsize=(2, 1), dpi=DPI)             # rcParams' facecolor: maybe transparent
        self.ax = fig.add_subplot()
        (self.line,) = self.ax.plot([0, 1], [0, 0])
        self.ax.set_ylim(-1, 1)
        super().__init__(fig, live=[self.line])

    def update(self, height: float = 0.0):
        self.line.set_ydata([height, height])

    def _make_controls(self):
        return {"height": W.FloatSlider(value=0.0, min=-1.0, max=1.0, step=0.5)}


def test_a_minimal_explorer_needs_only_a_figure_live_artists_update_and_controls():
    ex = _OneLine()
    ex.widget
    ex.controls["height"].value = 0.5
    assert ex.line.get_ydata()[0] == 0.5 and len(ex.update_seconds) == 2
    ex.figure.set_facecolor("none")                        # transparent: the PNG keeps its alpha
    ex.redraw_background()
    assert Image.open(io.BytesIO(ex.render_png())).mode == "RGBA"
    ex.figure.set_facecolor("white")
    ex.redraw_background()
    assert Image.open(io.BytesIO(ex.render_png())).mode == "RGB"


def test_every_explorer_places_its_axes_with_the_one_shared_pixel_box_helper():
    assert axes_fractions((90, 30, 450, 150), figure_px=(900, 300)) == (0.1, 0.1, 0.5, 0.5)
    assert "axes_fractions" in explorers_base.__all__
    for module in (gradient_descent, two_basins, batch_size):
        assert module.axes_fractions is axes_fractions and not hasattr(module, "_fractions"), module.__name__
