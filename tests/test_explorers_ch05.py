"""Tests of chapter 5's explorer: sgdlib.explorers.optimizer_race."""

import base64
import io
import warnings

import matplotlib

matplotlib.use("Agg")

import ipywidgets as W  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from explorer_helpers import MIN_TEXT_PX, fast_and_full_pixels, text_heights_px  # noqa: E402
from sgdlib.explorers import OptimizerRaceExplorer, optimizer_race_figure  # noqa: E402
from sgdlib.explorers.optimizer_race import (FIGURE_PX, RACE_MENU, RACE_OPTIMIZERS, START_SPREAD,  # noqa: E402
                                             race_problem, race_runs, random_starts)
from sgdlib.optim import SGD, Adagrad, Adam, RMSprop  # noqa: E402
from sgdlib.problems import PROBLEMS, Beale, Quadratic, Rosenbrock, Saddle, run  # noqa: E402

CLASSES = {"SGD": (SGD, {}), "SGD+momentum": (SGD, {"momentum": 0.9}), "Adagrad": (Adagrad, {}),
           "RMSprop": (RMSprop, {}), "Adam": (Adam, {})}


@pytest.fixture(scope="module")
def explorer():
    return OptimizerRaceExplorer(steps=60, n_seeds=3)


@pytest.mark.parametrize("name, lr", [("SGD", 1e-3), ("SGD+momentum", 1e-3), ("Adagrad", 0.3), ("RMSprop", 0.01),
                                      ("Adam", 0.05)])
def test_each_row_of_a_race_is_the_runners_trajectory_from_that_start(name, lr):
    starts = np.array([[-1.2, 1.0], [0.5, -0.5], [1.5, 2.0]])
    runs = race_runs(Rosenbrock(), name, lr, steps=40, start=starts)
    cls, options = CLASSES[name]
    for k, start in enumerate(starts):
        one = run(Rosenbrock(), cls, options={"lr": lr, **options}, steps=40, start=start)
        np.testing.assert_array_equal(runs.points[:, k], one.points)
        np.testing.assert_array_equal(runs.losses[:, k], one.losses)
    assert not runs.diverged.any()


def test_a_run_that_blows_up_is_nan_from_then_on_and_leaves_the_others_alone():
    starts = np.array([[-1.2, 1.0], [1.0, 1.0]])          # the second starts at the minimum: g = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        runs = race_runs(Rosenbrock(), "SGD", 0.05, steps=30, start=starts)   # far above 2/L at the first start
    assert runs.diverged.tolist() == [True, False]
    first_nan = int(np.argmax(np.isnan(runs.points[:, 0, 0])))
    assert first_nan > 0 and np.isnan(runs.points[first_nan:, 0]).all()
    np.testing.assert_array_equal(runs.points[:, 1], np.ones((31, 2)))   # gradient 0: never moves


def test_max_norm_sets_where_a_run_counts_as_diverged_and_must_be_positive():
    start = np.array([[0.0, 0.0], [3.0, 4.0]])                   # |theta_0| = 0 and 5
    runs = race_runs(Quadratic(condition_number=10.0), "SGD", 0.1, steps=3, start=start, max_norm=4.0)
    assert runs.diverged.tolist() == [False, True]     # theta_1 = (2.97, 3.6) (h = 0.1, 1): |theta_1| = 4.7 > 4
    for bad in (-1.0, 0.0, float("nan")):
        with pytest.raises(ValueError, match="max_norm"):
            race_runs(Beale(), "Adam", 0.1, steps=5, start=start, max_norm=bad)


def test_gradient_noise_is_reproducible_and_needs_a_generator():
    starts = random_starts(Saddle(), 4, spread=1e-3, rng=0)
    a = race_runs(Saddle(), "Adam", 0.01, steps=20, start=starts, noise_std=0.5, rng=3)
    b = race_runs(Saddle(), "Adam", 0.01, steps=20, start=starts, noise_std=0.5, rng=3)
    np.testing.assert_array_equal(a.points, b.points)
    assert not np.array_equal(a.points, race_runs(Saddle(), "Adam", 0.01, steps=20, start=starts).points)
    with pytest.raises(TypeError, match="rng is required when noise_std > 0"):
        race_runs(Saddle(), "Adam", 0.01, steps=20, start=starts, noise_std=0.5)


def test_random_starts_are_the_default_start_plus_gaussian_noise_of_the_given_spread():
    starts = random_starts(Beale(), 5, spread=0.1, rng=11)
    expected = Beale().start + 0.1 * np.random.default_rng(11).standard_normal((5, 2))
    np.testing.assert_array_equal(starts, expected)
    with pytest.raises(TypeError, match="problem"):
        random_starts("beale", 3, spread=0.1, rng=0)
    with pytest.raises(ValueError, match="spread"):
        random_starts(Beale(), 3, spread=-0.1, rng=0)


def test_the_menu_builds_its_problems_from_the_one_registry():
    assert set(RACE_MENU) == set(START_SPREAD)
    for name, (key, options) in RACE_MENU.items():
        problem = race_problem(name)
        assert type(problem) is PROBLEMS[key]
    bowl, rotated = race_problem("bowl"), race_problem("rotated bowl")
    assert bowl.condition_number == rotated.condition_number == 50.0
    np.testing.assert_allclose(np.linalg.eigvalsh(rotated.hessian), np.linalg.eigvalsh(bowl.hessian))
    assert not np.allclose(rotated.hessian, bowl.hessian)              # same spectrum, other axes
    with pytest.raises(ValueError, match="name"):
        race_problem("himmelblau")


def test_race_runs_refuses_bad_arguments_with_their_names():
    starts = np.zeros((2, 2))
    with pytest.raises(ValueError, match="optimizer"):
        race_runs(Beale(), "Adamax", 0.1, steps=5, start=starts)
    with pytest.raises(ValueError, match="lr"):
        race_runs(Beale(), "Adam", -0.1, steps=5, start=starts)
    with pytest.raises(ValueError, match="start"):
        race_runs(Beale(), "Adam", 0.1, steps=5, start=np.zeros((2, 3)))
    with pytest.raises(ValueError, match="steps"):
        race_runs(Beale(), "Adam", 0.1, steps=-1, start=starts)
    with pytest.raises(TypeError, match="problem"):
        race_runs("beale", "Adam", 0.1, steps=5, start=starts)


def test_update_draws_the_runs_it_returns_and_hides_the_optimizers_left_out(explorer):
    runs = explorer.update(problem="beale", optimizers=("SGD", "Adam"), sgd_lr=0.01, adam_lr=0.1)
    assert sorted(runs) == ["Adam", "SGD"]
    starts = random_starts(Beale(), 3, spread=START_SPREAD["beale"], rng=0)
    expected = race_runs(Beale(), "Adam", 0.1, steps=60, start=starts)
    np.testing.assert_array_equal(runs["Adam"].points, expected.points)
    np.testing.assert_array_equal(explorer._paths["Adam"].get_xdata(), expected.points[:, 0, 0])
    gap = np.maximum(expected.losses - Beale().min_value, 1e-12)
    np.testing.assert_allclose(explorer._medians["Adam"].get_ydata(), np.median(gap, axis=1))
    for hidden in ("SGD+momentum", "Adagrad", "RMSprop"):
        assert len(explorer._paths[hidden].get_xdata()) == 0 and len(explorer._medians[hidden].get_xdata()) == 0
    assert "Beale" in explorer.ax_path.get_title()


def test_update_rejects_bad_settings(explorer):
    with pytest.raises(ValueError, match="problem"):
        explorer.update(problem="himmelblau")
    with pytest.raises(ValueError, match="optimizers"):
        explorer.update(optimizers=("Adam", "Lion"))
    for argument in ("sgd_lr", "momentum_lr", "adagrad_lr", "rmsprop_lr", "adam_lr"):
        with pytest.raises(ValueError, match=f"^{argument} "):
            explorer.update(**{argument: -1.0})
    with pytest.raises(ValueError, match="noise_std"):
        explorer.update(noise_std=-1.0)


def test_widget_has_a_control_per_setting_and_moving_one_changes_the_image():
    ex = OptimizerRaceExplorer(steps=40, n_seeds=2)
    box = ex.widget
    assert box.children[-1] is ex.output
    assert set(ex.controls) == {"problem", "optimizers", "sgd_lr", "momentum_lr", "adagrad_lr", "rmsprop_lr",
                                "adam_lr", "noise_std"}
    assert isinstance(ex.controls["problem"], W.Dropdown) and isinstance(ex.controls["optimizers"], W.SelectMultiple)
    (first,) = ex.output.outputs
    png = base64.b64decode(first["data"]["image/png"])
    assert Image.open(io.BytesIO(png)).size == FIGURE_PX
    ex.controls["adam_lr"].value = 0.3
    (second,) = ex.output.outputs
    assert second["data"]["image/png"] != first["data"]["image/png"]
    ex.controls["problem"].value = "saddle"
    assert ex._problem_name == "saddle" and set(ex.runs) == set(RACE_OPTIMIZERS)
    assert len(ex.update_seconds) == 3


SETTINGS = [
    dict(problem="rosenbrock"),
    dict(problem="rosenbrock", adam_lr=0.3),                       # one line moves
    dict(problem="saddle", optimizers=("SGD", "RMSprop")),         # new contours, fewer curves
    dict(problem="rotated bowl", noise_std=2.0),
    dict(problem="beale", sgd_lr=0.5),                             # SGD diverges
]


def test_drawing_only_what_changed_gives_the_same_pixels_as_a_full_redraw():
    ex = OptimizerRaceExplorer(steps=60, n_seeds=3)
    for settings in SETTINGS:
        ex.update(**settings)
        fast, full = fast_and_full_pixels(ex)
        assert (fast != full).any(axis=-1).sum() == 0, settings


@pytest.mark.parametrize("problem", list(RACE_MENU))
def test_every_text_is_readable_and_the_legend_covers_no_panel(explorer, problem):
    explorer.update(problem=problem)
    sizes = text_heights_px(explorer.figure)
    small = {text: round(px, 1) for text, px in sizes.items() if px < MIN_TEXT_PX}
    assert not small, small
    fig = explorer.figure
    renderer = fig.canvas.get_renderer()
    legend = explorer.ax_loss.get_legend().get_window_extent(renderer)
    assert not any(legend.overlaps(ax.get_window_extent(renderer)) for ax in fig.axes)
    assert legend.x1 <= fig.bbox.width
    for ax in fig.axes:
        title = ax.title.get_window_extent(renderer)
        assert title.x0 >= 0 and title.x1 <= fig.bbox.width and title.y1 <= fig.bbox.height


def test_the_still_is_a_snapshot_of_the_explorer():
    fig, runs = optimizer_race_figure("saddle", {"SGD": 0.1, "Adagrad": 0.5}, steps=30, n_seeds=2)
    assert sorted(runs) == ["Adagrad", "SGD"] and len(fig.axes) == 2
    starts = random_starts(Saddle(), 2, spread=START_SPREAD["saddle"], rng=0)
    expected = race_runs(Saddle(), "Adagrad", 0.5, steps=30, start=starts)
    np.testing.assert_array_equal(runs["Adagrad"].points, expected.points)
    sgd = race_runs(Saddle(), "SGD", 0.1, steps=30, start=starts)
    np.testing.assert_array_equal(runs["SGD"].points, sgd.points)


def test_each_slider_sets_its_own_optimizers_learning_rate(explorer):
    lrs = {"sgd_lr": 0.011, "momentum_lr": 0.012, "adagrad_lr": 0.013, "rmsprop_lr": 0.014, "adam_lr": 0.015}
    runs = explorer.update(problem="beale", **lrs)
    starts = random_starts(Beale(), 3, spread=START_SPREAD["beale"], rng=0)
    for name, lr in zip(["SGD", "SGD+momentum", "Adagrad", "RMSprop", "Adam"], lrs.values()):
        np.testing.assert_array_equal(runs[name].points, race_runs(Beale(), name, lr, steps=60, start=starts).points)
    with pytest.raises(ValueError, match="lrs"):
        optimizer_race_figure("saddle", {"Lion": 0.1})
