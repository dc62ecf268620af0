"""Tests of chapter 4's explorers (sgdlib.explorers.momentum, .momentum_race) and sgdlib.animation."""

import base64
import io
import re

import matplotlib

matplotlib.use("Agg")

import ipywidgets as W  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from explorer_helpers import MIN_TEXT_PX, fast_and_full_pixels, text_heights_px  # noqa: E402
from sgdlib.animation import animate_paths, animation_html  # noqa: E402
from sgdlib.explorers import MomentumExplorer, MomentumRaceExplorer, momentum_figure, momentum_race_figure  # noqa: E402
from sgdlib.explorers import momentum as momentum_module  # noqa: E402
from sgdlib.explorers import momentum_race as race_module  # noqa: E402
from sgdlib.explorers.base import DPI  # noqa: E402
from sgdlib.optim import SGD  # noqa: E402
from sgdlib.plotting import COLORS  # noqa: E402
from sgdlib.problems import PROBLEMS, Quadratic, Rosenbrock, run  # noqa: E402
from sgdlib.problems.momentum_theory import _convergence_rate as convergence_rate  # noqa: E402
from sgdlib.problems.momentum_theory import _polyak_optimum as polyak_optimum  # noqa: E402


@pytest.fixture(scope="module")
def explorer():
    return MomentumExplorer()


@pytest.fixture(scope="module")
def race():
    return MomentumRaceExplorer()


# -- explorer 1: momentum on the bowl -------------------------------------------------------------------------

def test_update_runs_sgd_with_momentum_and_draws_its_path(explorer):
    traj = explorer.update(lr=1.0, momentum=0.8, condition_number=100.0, nesterov=True)
    bowl = Quadratic(100.0)
    expected = run(bowl, SGD, options={"lr": 1.0, "momentum": 0.8, "nesterov": True}, steps=100,
                   start=bowl.eigenvectors @ np.array([-4.0, 1.5]))
    np.testing.assert_allclose(traj.points, expected.points)
    np.testing.assert_allclose(explorer._path.get_xdata(), expected.points[:, 0])
    assert explorer.ax_path.get_title().startswith("Nesterov: η = 1, β = 0.8")


def test_error_panel_shows_each_eigen_component_and_its_predicted_rate():
    ex = MomentumExplorer(angle_deg=30.0)
    traj = ex.update(lr=1.0, momentum=0.8, condition_number=100.0)
    bowl = Quadratic(100.0, 30.0)
    along = np.abs(traj.points @ bowl.eigenvectors)
    for i, h in enumerate(bowl.eigenvalues):
        np.testing.assert_allclose(ex._errors[i].get_ydata(), np.clip(along[:, i], 1e-12, None))
        r = convergence_rate(1.0, 0.8, h)
        np.testing.assert_allclose(ex._predicted[i].get_ydata()[:50], along[0, i] * r ** np.arange(50))
    title = ex.ax_error.get_title()
    assert f"r(μ) = {convergence_rate(1.0, 0.8, 0.01):.4f}" in title


def test_rate_map_point_and_optimum_follow_the_settings(explorer):
    explorer.update(lr=2.0, momentum=0.5, condition_number=100.0)
    eta, beta, rate = polyak_optimum(1.0, 0.01)
    assert list(explorer._point.get_xdata()) == [2.0] and list(explorer._point.get_ydata()) == [0.5]
    np.testing.assert_allclose(explorer._optimum.get_xdata(), [eta])
    np.testing.assert_allclose(explorer._optimum.get_ydata(), [beta])
    assert f"best heavy ball: {rate:.4f}" in explorer.ax_map.get_title()
    shown = explorer._map.get_array()
    lrs, betas, rates = momentum_module.rate_map(100.0)
    np.testing.assert_allclose(np.ma.filled(shown, np.nan), np.where(rates >= 1, np.nan, rates))


def test_each_map_pixel_is_centred_on_the_setting_whose_rate_it_shows():
    # The review's item 11: pixel k must cover lrs[k] (not have it at its right edge).
    ex = MomentumExplorer(L=2.0)
    lrs, betas, rates = momentum_module.rate_map(10.0, L=2.0)
    x0, x1, y0, y1 = ex._map.get_extent()
    n = len(lrs)
    centres_x = x0 + (np.arange(n) + 0.5) * (x1 - x0) / n
    centres_y = y0 + (np.arange(n) + 0.5) * (y1 - y0) / n
    np.testing.assert_allclose(centres_x, lrs * 2.0, atol=1e-12)           # the x axis is eta L
    np.testing.assert_allclose(centres_y, betas, atol=1e-12)
    assert lrs[-1] * 2.0 == pytest.approx(momentum_module.LR_MAX)


def test_rate_map_is_the_slower_component_and_refuses_bad_arguments():
    lrs, betas, rates = momentum_module.rate_map(100.0, n=7, L=2.0)
    for j, k in [(0, 0), (3, 5), (6, 6)]:
        expected = max(convergence_rate(lrs[k], betas[j], h) for h in (0.02, 2.0))
        assert rates[j, k] == pytest.approx(expected)
    with pytest.raises(ValueError, match="L must be > 0"):
        momentum_module.rate_map(10.0, L=0.0)
    with pytest.raises(TypeError, match="nesterov must be True or False"):
        momentum_module.rate_map(10.0, nesterov="yes")


@pytest.mark.parametrize("settings, label", [((1.0, 0.9, 10.0, False), "SGD+momentum"),
                                             ((1.0, 0.9, 10.0, True), "Nesterov"),
                                             ((1.0, 0.0, 10.0, True), "GD")])
def test_the_path_has_the_colour_of_the_optimizer_it_runs(explorer, settings, label):
    explorer.update(*settings)
    assert explorer._path.get_color() == explorer._start.get_color() == COLORS[label]


def test_nesterov_switch_changes_the_map_and_needs_momentum(explorer):
    explorer.update(lr=1.0, momentum=0.9, condition_number=10.0, nesterov=True)
    _, _, nag = momentum_module.rate_map(10.0, nesterov=True)
    np.testing.assert_allclose(np.ma.filled(explorer._map.get_array(), np.nan), np.where(nag >= 1, np.nan, nag))
    assert explorer.ax_map.get_title().startswith("rate map (Nesterov)")
    traj = explorer.update(lr=1.0, momentum=0.0, condition_number=10.0, nesterov=True)   # no error: plain GD
    assert explorer.ax_path.get_title().startswith("gradient descent")
    assert not traj.diverged


def test_diverging_setting_is_reported_in_the_title(explorer):
    traj = explorer.update(lr=3.9, momentum=0.9, condition_number=10.0)      # eta L = 3.9 > 2 + 2 beta = 3.8
    assert traj.diverged and explorer.ax_error.get_title().startswith("diverged at step")


def test_update_refuses_bad_settings(explorer):
    with pytest.raises(ValueError, match="momentum must be < 1"):
        explorer.update(lr=1.0, momentum=1.0)
    with pytest.raises(TypeError, match="lr"):
        explorer.update(lr="fast")


def test_momentum_explorer_text_is_readable_and_the_image_has_its_size(explorer):
    explorer.update(lr=1.0, momentum=0.9, condition_number=100.0)
    image = Image.open(io.BytesIO(explorer.render_png()))
    assert image.size == momentum_module.FIGURE_PX and explorer.figure.dpi == DPI
    small = {t: round(px, 1) for t, px in text_heights_px(explorer.figure).items() if px < MIN_TEXT_PX}
    assert not small, small


def test_momentum_explorer_panels_stay_inside_the_figure_and_apart(explorer):
    explorer.update(lr=3.306, momentum=0.669, condition_number=100.0)
    fig = explorer.figure
    renderer = fig.canvas.get_renderer()
    boxes = [ax.get_tightbbox(renderer) for ax in fig.axes]
    for box in boxes:
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= fig.bbox.width and box.y1 <= fig.bbox.height, box

    def texts(ax):   # the extents of everything written around a panel
        items = [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *ax.get_yticklabels()]
        extents = [t.get_window_extent(renderer) for t in items if t.get_visible() and t.get_text()]
        return extents + ([ax.get_legend().get_window_extent(renderer)] if ax.get_legend() else [])

    panels = fig.axes[:3]                                       # the colour bar sits against the map on purpose
    for a in range(3):
        for b in range(3):
            if a != b:
                frame = panels[b].get_window_extent(renderer)
                assert not any(t.overlaps(frame) for t in texts(panels[a])), (a, b)
                assert not any(t.overlaps(u) for t in texts(panels[a]) for u in texts(panels[b])), (a, b)


@pytest.mark.parametrize("settings", [(1.0, 0.9, 100.0, False), (3.306, 0.669, 100.0, False),
                                      (1.5, 0.95, 1000.0, True), (3.9, 0.9, 10.0, False), (0.5, 0.0, 1.0, False)])
def test_momentum_explorer_blitting_gives_the_pixels_of_a_full_redraw(settings):
    ex = MomentumExplorer()
    ex.update(1.0, 0.5, 10.0, False)
    ex.render_png()
    ex.update(*settings)
    fast, full = fast_and_full_pixels(ex)
    assert (fast != full).any(axis=-1).sum() == 0


def test_momentum_widget_has_its_controls_and_the_optimum_button_sets_them():
    ex = MomentumExplorer()
    box = ex.widget
    assert box.children[-1] is ex.output
    assert set(ex.controls) == {"lr", "momentum", "condition_number", "nesterov"}
    assert isinstance(ex.controls["nesterov"], W.Checkbox)
    (first,) = ex.output.outputs
    ex.controls["momentum"].value = 0.5
    (second,) = ex.output.outputs
    assert second["data"]["image/png"] != first["data"]["image/png"]
    assert base64.b64decode(second["data"]["image/png"])[:4] == b"\x89PNG"
    (button,) = box.children[1].children
    button.click()
    assert ex.controls["lr"].value == pytest.approx(3.31) and ex.controls["momentum"].value == pytest.approx(0.67)


def test_momentum_figure_is_a_still_that_saves_every_artist():
    fig, traj = momentum_figure(lr=3.306, momentum=0.669)
    assert not traj.diverged and len(fig.axes) == 4
    assert not any(a.get_animated() for a in fig.findobj())
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue()[:4] == b"\x89PNG"


# -- explorer 2: the race -------------------------------------------------------------------------------------

def test_race_runs_the_three_optimizers_from_the_same_start(race):
    runs = race.update(problem="beale", lr=1e-3, momentum=0.9)
    p = PROBLEMS["beale"]()
    options = {"GD": {"lr": 1e-3}, "SGD+momentum": {"lr": 1e-3, "momentum": 0.9},
               "Nesterov": {"lr": 1e-3, "momentum": 0.9, "nesterov": True}}
    for label, opts in options.items():
        expected = run(p, SGD, options=opts, steps=200)
        np.testing.assert_allclose(runs[label].points, expected.points)
        np.testing.assert_allclose(race._gaps[label].get_ydata(), np.clip(expected.losses - p.min_value, 1e-16, None))
        assert race._paths[label].get_color() == COLORS[label]
    assert race.ax_path.get_title().startswith("beale: η = 0.001, β = 0.9")


def test_race_reports_divergence(race):
    runs = race.update(problem="beale", lr=0.01, momentum=0.9)
    assert runs["SGD+momentum"].diverged and "SGD+momentum: diverged" in race.ax_loss.get_title()


def test_race_refuses_an_unknown_problem_and_a_zero_momentum(race):
    with pytest.raises(ValueError, match="problem must be one of"):
        race.update(problem="banana", lr=1e-3, momentum=0.9)
    with pytest.raises(ValueError, match="momentum must be > 0"):
        race.update(problem="beale", lr=1e-3, momentum=0.0)
    with pytest.raises(TypeError, match="problem must be a name in PROBLEMS"):
        race.update(problem=Rosenbrock(), lr=1e-3, momentum=0.9)     # the explorer's menu holds names


def test_race_trajectories_are_runs_of_sgd_on_a_problem_object_from_any_start():
    p, start = Rosenbrock(), np.array([0.5, -0.5])
    runs = race_module.race_trajectories(p, 2e-3, 0.8, steps=30, start=start)
    options = {"GD": {"lr": 2e-3}, "SGD+momentum": {"lr": 2e-3, "momentum": 0.8},
               "Nesterov": {"lr": 2e-3, "momentum": 0.8, "nesterov": True}}
    for label, opts in options.items():
        expected = run(p, SGD, options=opts, steps=30, start=start)
        np.testing.assert_array_equal(runs[label].points, expected.points)
    with pytest.raises(TypeError, match="problem must be a name in PROBLEMS or an sgdlib.problems.Problem"):
        race_module.race_trajectories(None, 1e-3, 0.9)


def test_a_diverging_race_run_stops_with_runs_message():
    runs = race_module.race_trajectories("beale", 0.01, 0.9)
    expected = run(PROBLEMS["beale"](), SGD, options={"lr": 0.01, "momentum": 0.9}, steps=200)
    assert expected.diverged and runs["SGD+momentum"].message == expected.message
    np.testing.assert_array_equal(runs["SGD+momentum"].points, expected.points)


def test_every_preset_keeps_all_three_runs_finite():
    for name, (lr, beta) in race_module.PRESETS.items():
        runs = race_module.race_trajectories(name, lr, beta)
        assert not any(t.diverged for t in runs.values()), name


@pytest.mark.parametrize("settings", [("rosenbrock", 1e-3, 0.9), ("beale", 1e-3, 0.8), ("two_basins", 0.03, 0.9),
                                      ("himmelblau", 1e-3, 0.9), ("saddle", 0.01, 0.9)])
def test_race_blitting_gives_the_pixels_of_a_full_redraw(race, settings):
    race.update(*settings)
    fast, full = fast_and_full_pixels(race)
    assert (fast != full).any(axis=-1).sum() == 0


def test_race_text_is_readable_and_inside_the_figure(race):
    race.update("rosenbrock", 1e-3, 0.9)
    small = {t: round(px, 1) for t, px in text_heights_px(race.figure).items() if px < MIN_TEXT_PX}
    assert not small, small
    fig = race.figure
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        box = ax.get_tightbbox(renderer)
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= fig.bbox.width and box.y1 <= fig.bbox.height


def test_choosing_a_problem_moves_the_sliders_to_its_preset():
    ex = MomentumRaceExplorer()
    ex.widget
    assert set(ex.controls) == {"problem", "lr", "momentum"}
    ex.controls["problem"].value = "two_basins"
    lr, beta = race_module.PRESETS["two_basins"]
    assert ex.controls["lr"].value == pytest.approx(lr, rel=0.12)          # the log slider's 0.1-decade grid
    assert ex.controls["momentum"].value == pytest.approx(beta)
    assert ex.ax_path.get_title().startswith("two_basins")


def test_race_figure_is_a_still_that_saves_every_artist():
    fig, runs = momentum_race_figure("rosenbrock", lr=1e-3, momentum=0.9)
    assert sorted(runs) == ["GD", "Nesterov", "SGD+momentum"]
    assert not any(a.get_animated() for a in fig.findobj())


# -- speed ------------------------------------------------------------------------------------------------------
# The 100 ms median per slider move is timed by benchmarks/course.py (a wall-clock assertion here would flake on
# two shared cores). What keeps the moves fast can be tested without a clock: a move that keeps the problem (or
# kappa and the Nesterov switch) redraws neither the contours nor the rate map.

def test_a_slider_move_reuses_the_contours_and_the_map(explorer):
    explorer.update(lr=1.0, momentum=0.9, condition_number=100.0)
    contours, image = list(explorer._contours), explorer._map.get_array()
    explorer.update(lr=2.0, momentum=0.5, condition_number=100.0)
    assert explorer._contours == contours and explorer._map.get_array() is image
    explorer.update(lr=2.0, momentum=0.5, condition_number=10.0)
    assert explorer._contours[0] is not contours[0] and explorer._map.get_array() is not image


def test_a_race_move_reuses_the_contours(race):
    race.update("rosenbrock", 1e-3, 0.9)
    contours = list(race._contours)
    race.update("rosenbrock", 2e-3, 0.5)
    assert race._contours == contours
    race.update("beale", 1e-3, 0.9)
    assert race._contours[0] is not contours[0]


# -- the animation --------------------------------------------------------------------------------------------

def test_animation_has_one_image_per_frame_and_paths_that_grow():
    runs = race_module.race_trajectories("rosenbrock", 1e-3, 0.9, steps=40)
    before = plt.get_fignums()
    anim = animate_paths(Rosenbrock(), runs, frames=5, size_px=(200, 150))
    assert plt.get_fignums() == before                       # closed: the notebook shows only the HTML
    html = animation_html(anim)
    assert html.count("data:image/jpeg;base64") == 5
    drawn = anim._func(4)                                    # the last frame shows every step
    assert any(len(line.get_xdata()) == 41 for line in drawn[:-1])
    assert drawn[-1].get_text() == "step 40"


def test_animation_frames_are_deterministic_but_its_html_ids_are_not():
    runs = race_module.race_trajectories("quadratic", 0.03, 0.9, steps=20)
    a = animation_html(animate_paths(Quadratic(), runs, frames=3, size_px=(160, 120)))
    b = animation_html(animate_paths(Quadratic(), runs, frames=3, size_px=(160, 120)))
    frames = re.compile(r"data:image/jpeg;base64,[A-Za-z0-9+/=\\n]+")
    assert frames.findall(a) == frames.findall(b)
    assert a != b                                            # random element ids: nbval must ignore the cell


def test_animation_refuses_bad_input():
    with pytest.raises(TypeError, match="problem must be"):
        animate_paths("rosenbrock", {"GD": None})
    with pytest.raises(ValueError, match="trajectories must be a non-empty dict"):
        animate_paths(Rosenbrock(), {})
    runs = race_module.race_trajectories("quadratic", 0.03, 0.9, steps=5)
    anim = animate_paths(Quadratic(), runs, frames=2, size_px=(100, 80))
    with pytest.raises(ValueError, match="frame_format must be"):
        animation_html(anim, frame_format="gif")
    with pytest.raises(TypeError, match=r"size_px must be a pair \(width, height\)"):
        animate_paths(Quadratic(), runs, size_px=(100, 80, 3))
    with pytest.raises(TypeError, match=r"size_px\[0\] must be an integer"):
        animate_paths(Quadratic(), runs, size_px=(100.5, 80))
    with pytest.raises(ValueError, match=r"size_px\[1\] must be >= 50"):
        animate_paths(Quadratic(), runs, size_px=(100, 20))
    assert animation_html(anim).count("data:image/jpeg;base64") == 2


def test_race_gap_axis_fits_the_curves_to_whole_decades(race):
    runs = race.update("rosenbrock", lr=1e-3, momentum=0.9)
    gaps = np.concatenate([t.losses - Rosenbrock().min_value for t in runs.values()])
    low, high = race.ax_loss.get_ylim()
    assert low <= gaps.min() < 10 * low and high / 10 < gaps.max() <= high   # no empty decade at either end
    race.update("quadratic", lr=0.03, momentum=0.9)                          # another problem, other decades
    assert race.ax_loss.get_ylim() != (low, high)
