"""Tests of chapter 2's explorer, sgdlib.explorers.two_basins, headless (no browser, no kernel)."""

import base64
import io

import matplotlib

matplotlib.use("Agg")

import ipywidgets as W  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from explorer_helpers import MIN_TEXT_PX, fast_and_full_pixels, text_heights_px  # noqa: E402
from sgdlib.explorers import TwoBasinsExplorer, two_basins_figure  # noqa: E402
from sgdlib.explorers.base import DPI  # noqa: E402
from sgdlib.explorers.two_basins import FIGURE_PX, SCHEDULES, SHOWN_SEEDS  # noqa: E402
from sgdlib.problems import TwoBasins, noisy_gradient_descent  # noqa: E402
from sgdlib.schedules import Exponential, InverseTime  # noqa: E402

LAND = TwoBasins()


@pytest.fixture(scope="module")
def explorer():
    return TwoBasinsExplorer()


def _runs(lrs, noise_std, n_seeds, steps=300, seed=0):
    return noisy_gradient_descent(LAND.grad, LAND.minima[1], lrs, steps, noise_std=noise_std,
                                  n_seeds=n_seeds, rng=np.random.default_rng(seed))


@pytest.mark.parametrize("schedule, lrs", [
    ("constant", np.full(300, 0.1)),
    ("η₀ / (1 + t/100)", 0.1 / (1 + 0.01 * np.arange(300))),       # InverseTime(0.1, 0.01)
    ("η₀ · 0.99^t", 0.1 * 0.99 ** np.arange(300)),                   # Exponential(0.1, 0.99)
])
def test_update_draws_the_runs_of_noisy_gradient_descent_with_the_chosen_schedule(explorer, schedule, lrs):
    points = explorer.update(lr=0.1, noise_std=2.0, schedule=schedule, n_seeds=40)
    expected = _runs(lrs, 2.0, 40)
    np.testing.assert_allclose(points, expected, rtol=1e-12, atol=1e-12)
    for k in range(SHOWN_SEEDS):                               # the first seeds' paths are drawn
        np.testing.assert_allclose(explorer._paths[k].get_xydata(), expected[:, k], rtol=1e-12, atol=1e-12)
    deep = (expected[:, :, 0] < LAND.ridge[0]).mean(axis=1)
    np.testing.assert_allclose(explorer.deep_fraction, deep)
    np.testing.assert_allclose(explorer._fraction.get_ydata(), deep)
    assert f"{int(round(deep[-1] * 40))} of 40" in explorer.ax_fraction.get_title()


def test_the_schedules_offered_are_the_library_schedules():
    t = np.arange(50)
    np.testing.assert_allclose(SCHEDULES["η₀ / (1 + t/100)"](0.2)(t), InverseTime(0.2, 0.01)(t))
    np.testing.assert_allclose(SCHEDULES["η₀ · 0.99^t"](0.2)(t), Exponential(0.2, 0.99)(t))
    np.testing.assert_allclose(SCHEDULES["constant"](0.2)(t), 0.2)


def test_full_batch_gradient_descent_never_leaves_the_shallow_basin(explorer):
    points = explorer.update(lr=0.1, noise_std=0.0, schedule="constant", n_seeds=10)
    assert (explorer.deep_fraction == 0).all()
    np.testing.assert_allclose(points[-1], np.tile(LAND.minima[1], (10, 1)), atol=1e-9)
    np.testing.assert_allclose(explorer._median.get_ydata()[-1], LAND.value(LAND.minima[1]) - LAND.min_value)


def test_the_shallow_minimum_mark_stays_visible_when_the_median_lies_on_it(explorer):
    explorer.update(lr=0.1, noise_std=0.0, schedule="constant", n_seeds=10)   # median = shallow level
    (band,) = [line for line in explorer.ax_loss.get_lines() if line.get_label() == "shallow minimum"]
    np.testing.assert_allclose(band.get_ydata(), explorer._median.get_ydata()[-1])
    assert band.get_linewidth() >= 2 * explorer._median.get_linewidth()


def test_noise_carries_most_runs_into_the_deep_basin_at_a_middle_setting(explorer):
    explorer.update(lr=0.1, noise_std=2.0, schedule="constant", n_seeds=200)
    assert explorer.deep_fraction[0] == 0 and explorer.deep_fraction[-1] > 0.7


def test_runs_that_blow_up_are_counted_not_drawn_and_not_deep_once_blown_up(explorer):
    points = explorer.update(lr=0.3, noise_std=6.0, schedule="constant", n_seeds=20)
    finite = np.isfinite(points).all(axis=(0, 2))
    assert (~finite).sum() > 0
    assert f"{(~finite).sum()} blew up" in explorer.ax_paths.get_title()
    assert (explorer.deep_fraction <= np.isfinite(points).all(axis=2).mean(axis=1)).all()
    for k in np.flatnonzero(~finite[:SHOWN_SEEDS]):
        assert len(explorer._paths[k].get_xdata()) == 0


def test_a_run_counts_as_deep_at_the_steps_before_it_blew_up(explorer):
    points = explorer.update(lr=0.3, noise_std=6.0, schedule="constant", n_seeds=20)
    finite_now = np.isfinite(points).all(axis=2)                      # (steps + 1, seeds)
    in_deep = (points[:, :, 0] < LAND.ridge[0]) & finite_now
    deep_then_blown = in_deep.any(axis=0) & ~finite_now[-1]
    assert deep_then_blown.any()                                      # the case this test is about
    np.testing.assert_allclose(explorer.deep_fraction, in_deep.mean(axis=1))
    assert f"ever reached it: {in_deep.any(axis=0).sum()} of 20" in explorer.ax_fraction.get_title()


def test_fewer_seeds_than_shown_paths_draws_only_those(explorer):
    explorer.update(lr=0.1, noise_std=1.0, schedule="constant", n_seeds=3)
    drawn = [len(line.get_xdata()) > 0 for line in explorer._paths]
    assert drawn == [True] * 3 + [False] * (SHOWN_SEEDS - 3)
    assert "3 of 3 seeds shown" in explorer.ax_paths.get_title()


def test_update_rejects_bad_settings(explorer):
    with pytest.raises(ValueError, match="schedule must be one of"):
        explorer.update(schedule="cosine")
    with pytest.raises(ValueError, match="noise_std"):
        explorer.update(noise_std=-1.0)
    with pytest.raises(ValueError, match="n_seeds"):
        explorer.update(n_seeds=0)
    with pytest.raises(TypeError, match="lr"):
        explorer.update(lr="fast")


def test_every_text_is_at_least_11_pixels_tall_and_the_image_is_shown_at_its_size(explorer):
    explorer.update(lr=0.3, noise_std=6.0, schedule="η₀ · 0.99^t", n_seeds=200)
    image = Image.open(io.BytesIO(explorer.render_png()))
    assert image.size == FIGURE_PX and explorer.figure.dpi == DPI
    sizes = text_heights_px(explorer.figure)
    assert len(sizes) > 20
    small = {text: round(px, 1) for text, px in sizes.items() if px < MIN_TEXT_PX}
    assert not small, small


def test_titles_and_legends_stay_inside_the_figure_and_off_the_panels(explorer):
    explorer.update(lr=0.3, noise_std=6.0, schedule="η₀ / (1 + t/100)", n_seeds=200)
    fig = explorer.figure
    renderer = fig.canvas.get_renderer()
    panels = [ax.get_window_extent(renderer) for ax in fig.axes]
    for ax in fig.axes:
        title = ax.title.get_window_extent(renderer)
        assert title.x0 >= 0 and title.x1 <= fig.bbox.width and title.y1 <= fig.bbox.height
        legend = ax.get_legend().get_window_extent(renderer)
        assert not any(legend.overlaps(p) for p in panels)
        assert legend.x0 >= 0 and legend.y0 >= 0 and legend.x1 <= fig.bbox.width
        ticks = ax.get_tightbbox(renderer)
        assert ticks.x0 >= 0 and ticks.x1 <= fig.bbox.width, ax


def test_drawing_only_what_changed_gives_the_same_pixels_as_a_full_redraw():
    ex = TwoBasinsExplorer()
    for settings in [(0.1, 2.0, "constant", 100), (0.3, 6.0, "constant", 50),
                     (0.05, 0.0, "η₀ · 0.99^t", 1), (0.2, 4.0, "η₀ / (1 + t/100)", 200)]:
        ex.update(*settings)
        fast, full = fast_and_full_pixels(ex)
        assert (fast != full).any(axis=-1).sum() == 0, settings


def test_widget_has_a_control_for_every_setting_and_moving_one_changes_the_image():
    ex = TwoBasinsExplorer()
    box = ex.widget
    assert box.children[-1] is ex.output
    assert set(ex.controls) == {"lr", "noise_std", "schedule", "n_seeds"}
    assert isinstance(ex.controls["schedule"], W.Dropdown)
    assert list(ex.controls["schedule"].options) == list(SCHEDULES)
    (first,) = ex.output.outputs
    assert first["metadata"]["image/png"]["width"] == FIGURE_PX[0]
    ex.controls["noise_std"].value = 0.0
    (second,) = ex.output.outputs
    assert second["data"]["image/png"] != first["data"]["image/png"]
    assert (ex.deep_fraction == 0).all()
    ex.controls["schedule"].value = "η₀ · 0.99^t"
    assert len(ex.update_seconds) == 3
    assert base64.b64decode(ex.output.outputs[0]["data"]["image/png"])[:4] == b"\x89PNG"


def test_two_basins_figure_is_a_snapshot_of_the_explorer_and_draws_every_artist_when_saved():
    fig, points = two_basins_figure(lr=0.1, noise_std=2.0, schedule="constant", n_seeds=30, steps=100)
    np.testing.assert_allclose(points, _runs(0.1, 2.0, 30, steps=100), rtol=1e-12, atol=1e-12)
    assert len(fig.axes) == 3
    assert not any(a.get_animated() for a in fig.findobj())
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue()[:4] == b"\x89PNG"
