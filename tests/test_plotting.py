"""Tests of sgdlib.plotting: every figure has a title, axis labels and a legend; colours are fixed."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

from sgdlib.optim import OPTIMIZERS, SGD, Adam  # noqa: E402
from sgdlib.plotting import (COLORS, CYCLE, LOSS_FLOOR, MINIMUM_STYLE, color_for, contour_grid,  # noqa: E402
                             draw_contours, fit_loss_axis, plot_contours, plot_loss, plot_trajectories,
                             plot_trajectory, spans_decades, trajectory_lines, until_floor)
from sgdlib.problems import PROBLEMS, Quadratic, Rosenbrock, run  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def legend_labels(ax):
    legend = ax.get_legend()
    assert legend is not None, "the axes has no legend"
    return [t.get_text() for t in legend.get_texts()]


def test_palette_has_one_distinct_colour_per_optimizer():
    names = ["SGD", "SGD+momentum", "Nesterov", *[n for n in OPTIMIZERS if n != "SGD"]]
    assert set(names) <= set(COLORS)
    colours = [to_rgb(COLORS[n]) for n in names]
    assert len(set(colours)) == len(colours), "two optimizers share a colour"
    assert len(set(map(to_rgb, CYCLE))) == len(CYCLE)


def test_color_for_understands_names_classes_and_instances():
    w = np.zeros(2)
    assert color_for("Adam") == COLORS["Adam"]
    assert color_for(Adam) == COLORS["Adam"]
    assert color_for(SGD([w], lr=0.1)) == COLORS["SGD"]
    assert color_for(SGD([np.zeros(2)], lr=0.1, momentum=0.9)) == COLORS["SGD+momentum"]
    assert color_for(SGD([np.zeros(2)], lr=0.1, momentum=0.9, nesterov=True)) == COLORS["Nesterov"]
    assert color_for("lr = 0.1", index=2) == CYCLE[2]
    assert color_for("lr = 0.1", index=len(CYCLE)) == CYCLE[0]


def test_spans_decades():
    assert spans_decades([1e3, 1.0])
    assert not spans_decades([5.0, 1.0])
    assert not spans_decades([1e3, 0.0])          # a zero cannot go on a log axis
    assert not spans_decades([])


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_contours_have_title_labels_legend_and_minima(name):
    problem = PROBLEMS[name]()
    ax = plot_contours(problem)
    assert ax.get_title() == problem.name
    assert ax.get_xlabel() and ax.get_ylabel()
    assert legend_labels(ax)[0] in ("minimum", "minima")
    assert ax.get_xlim() == problem.xlim and ax.get_ylim() == problem.ylim
    star = ax.get_lines()[0]
    np.testing.assert_array_equal(np.c_[star.get_xdata(), star.get_ydata()], problem.minima)


def test_log_levels_are_geometric_and_linear_levels_are_even():
    ax = plot_contours(Rosenbrock(), levels=10)
    lv = ax.collections[0].levels
    ratios = lv[1:] / lv[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-9)
    assert ratios[0] > 1.5
    ax = plot_contours(Quadratic(), levels=10)
    steps = np.diff(ax.collections[0].levels)
    np.testing.assert_allclose(steps, steps[0], rtol=1e-9)


def test_contour_grid_evaluates_the_problem_on_its_window():
    bowl = Quadratic(4.0, 30.0)
    X, Y, Z = contour_grid(bowl, n=7)
    assert X.shape == Y.shape == Z.shape == (7, 7)
    assert (X[0, 0], X[0, -1], Y[0, 0], Y[-1, 0]) == (*bowl.xlim, *bowl.ylim)
    np.testing.assert_allclose(Z[3, 5], bowl.value([X[3, 5], Y[3, 5]]))


def test_trajectories_are_drawn_with_their_points_and_course_colours():
    bowl = Quadratic(10.0, 45.0)
    sgd = run(bowl, SGD, options={"lr": 1.0}, steps=20)
    adam = run(bowl, Adam, options={"lr": 0.3}, steps=20)
    ax = plot_trajectories(bowl, {"SGD": sgd, "Adam": adam.points}, title="two optimizers")
    assert ax.get_title() == "two optimizers"
    assert ax.get_xlabel() == r"$\theta_1$" and ax.get_ylabel() == r"$\theta_2$"
    assert legend_labels(ax) == ["minimum", "SGD", "Adam"]
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_array_equal(lines["SGD"].get_xydata(), sgd.points)
    np.testing.assert_array_equal(lines["Adam"].get_xydata(), adam.points)
    assert to_rgb(lines["SGD"].get_color()) == to_rgb(COLORS["SGD"])
    assert to_rgb(lines["Adam"].get_color()) == to_rgb(COLORS["Adam"])


def test_plot_trajectory_uses_the_cycle_for_non_optimizer_labels():
    fig, ax = plt.subplots()
    plot_trajectory(ax, np.zeros((3, 2)), label="lr = 0.5", index=1)
    assert to_rgb(ax.get_lines()[0].get_color()) == to_rgb(CYCLE[1])
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        plot_trajectory(ax, np.zeros((3, 3)), label="bad")


def test_loss_against_steps_goes_log_when_losses_span_decades():
    losses = 10.0 ** -np.arange(6.0)
    ax = plot_loss({"SGD": losses, "Adam": losses * 2})
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "step" and "loss" in ax.get_ylabel() and ax.get_title()
    assert legend_labels(ax) == ["SGD", "Adam"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), np.arange(6))
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), losses * 2)
    assert plot_loss({"SGD": [3.0, 2.0, 1.5]}).get_yscale() == "linear"
    assert plot_loss({"SGD": [3.0, 2.0, 1.5]}, log=True).get_yscale() == "log"


class FakeHistory:
    """Stands in for sgdlib.train's History: losses and elapsed seconds per step."""

    step_loss = [1.0, 0.5, 0.25]
    step_time = [0.0, 0.1, 0.3]


def test_loss_against_time_reads_step_time_or_pairs():
    ax = plot_loss({"SGD": FakeHistory(), "Adam": ([0.0, 0.2], [1.0, 0.1])}, x="time")
    assert "time" in ax.get_xlabel() and "(s)" in ax.get_xlabel()
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), FakeHistory.step_time)
    np.testing.assert_array_equal(ax.get_lines()[1].get_xdata(), [0.0, 0.2])
    assert legend_labels(ax) == ["SGD", "Adam"]
    ax = plot_loss({"SGD": FakeHistory()})           # against steps, the same object
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [0, 1, 2])


def test_plot_loss_rejects_what_it_cannot_plot():
    with pytest.raises(ValueError, match="step_time"):
        plot_loss({"SGD": [1.0, 0.5]}, x="time")
    with pytest.raises(ValueError, match="x must be"):      # was x="epoch", which is valid now
        plot_loss({"SGD": [1.0]}, x="seconds")
    with pytest.raises(TypeError, match="dict"):
        plot_loss([1.0, 0.5])
    with pytest.raises(ValueError, match="1-D"):
        plot_loss({"SGD": np.zeros((2, 2))})


def test_functions_draw_on_the_axes_they_are_given():
    fig, (a, b) = plt.subplots(1, 2)
    assert plot_contours(Quadratic(), a) is a
    assert plot_loss({"SGD": [1.0, 0.5]}, b) is b
    assert len(plt.get_fignums()) == 1


# -- colours: optimizer labels keep their colour, other curves never look like an optimizer -------

@pytest.mark.parametrize(("label", "key"), [
    ("Adam (lr=1e-3)", "Adam"), ("adam", "Adam"), ("sgd", "SGD"), ("AdamW, wd=0.1", "AdamW"),
    ("SGD+momentum (beta=0.9)", "SGD+momentum"), ("rmsprop lr=0.01", "RMSprop"), ("Nesterov", "Nesterov"),
])
def test_labels_that_start_with_an_optimizer_name_get_its_colour(label, key):
    assert color_for(label) == COLORS[key]


@pytest.mark.parametrize("label", ["Adamax", "lr = 0.1", "GDP", "batch 32"])
def test_other_labels_are_not_optimizers(label):
    assert color_for(label) in CYCLE


def test_cycle_shares_no_colour_with_the_optimizers():
    assert not set(map(to_rgb, CYCLE)) & set(map(to_rgb, COLORS.values()))


def test_non_optimizer_curves_of_one_figure_get_distinct_colours_unused_by_its_optimizers():
    ax = plot_loss({"SGD": [1.0, 0.5], "lr = 0.1": [1.0, 0.4], "Adam (lr=1e-3)": [1.0, 0.3],
                    "lr = 0.01": [1.0, 0.6]})
    colours = {line.get_label(): to_rgb(line.get_color()) for line in ax.get_lines()}
    assert colours["SGD"] == to_rgb(COLORS["SGD"])
    assert colours["Adam (lr=1e-3)"] == to_rgb(COLORS["Adam"])
    assert len(set(colours.values())) == 4
    assert not {colours["lr = 0.1"], colours["lr = 0.01"]} & set(map(to_rgb, COLORS.values()))
    traj = np.zeros((2, 2))
    ax = plot_trajectories(Quadratic(), {"SGD": traj, "lr = 0.1": traj, "sgd, lr = 0.5": traj})
    colours = {line.get_label(): to_rgb(line.get_color()) for line in ax.get_lines()}
    assert colours["sgd, lr = 0.5"] == colours["SGD"] == to_rgb(COLORS["SGD"])
    assert colours["lr = 0.1"] == to_rgb(CYCLE[0])


def test_loss_against_epochs_reads_epoch_train_loss_counted_from_one():
    from sgdlib.data import make_blobs
    from sgdlib.models import SoftmaxRegression
    from sgdlib.train import train
    X, y = make_blobs(64, n_classes=3, rng=0)
    runs = {}
    for b in (8, 32):
        model = SoftmaxRegression(2, 3)
        runs[f"batch {b}"] = train(model, SGD(model.params, lr=0.1), X, y, epochs=4, batch_size=b,
                                   rng=0, progress=False)
    ax = plot_loss(runs, x="epoch")
    assert ax.get_xlabel() == "epoch" and "epoch" in ax.get_title()
    for line, h in zip(ax.get_lines(), runs.values()):
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3, 4])
        np.testing.assert_array_equal(line.get_ydata(), h.epoch_train_loss)
    with pytest.raises(ValueError, match="epoch_train_loss"):
        plot_loss({"SGD": run(Quadratic(), SGD, options={"lr": 0.1}, steps=3)}, x="epoch")


def test_a_trajectory_of_problems_run_plots_against_time():
    traj = run(Quadratic(), SGD, options={"lr": 0.1}, steps=5)
    ax = plot_loss({"SGD": traj}, x="time")
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), traj.step_time)


@pytest.mark.parametrize(("call", "exc", "match"), [
    (lambda: plot_contours(Quadratic(), levels=1), ValueError, "levels must be >= 2"),
    (lambda: plot_contours(Quadratic(), levels=2.5), TypeError, "levels must be an integer"),
    (lambda: plot_contours(None), TypeError, "problem must be an sgdlib.problems.Problem"),
    (lambda: plot_trajectories(None, {}), TypeError, "problem must be an sgdlib.problems.Problem"),
    (lambda: contour_grid("rosenbrock"), TypeError, "problem must be"),
    (lambda: plot_trajectories(Quadratic(), {"SGD": np.zeros((0, 2))}), ValueError, "at least one point"),
    (lambda: plot_trajectory(plt.gca(), np.zeros((0, 2)), label="SGD"), ValueError, "at least one point"),
    (lambda: plot_loss({}), ValueError, "curves is empty"),
])
def test_bad_plot_input_gets_a_clear_error(call, exc, match):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")                 # no legend UserWarning on the way
        with pytest.raises(exc, match=match):
            call()


# -- the pieces the explorers redraw with ----------------------------------------------------------

def test_until_floor_stops_a_curve_at_the_first_value_below_the_floor():
    losses = np.array([1.0, 1e-8, 1e-17, 0.0, 1e-3])
    curve, k = until_floor(losses, floor=1e-16)
    assert k == 2
    np.testing.assert_array_equal(curve[:3], [1.0, 1e-8, 1e-16])
    assert np.isnan(curve[3:]).all()
    assert losses[2] == 1e-17                          # the caller's array is left alone
    curve, k = until_floor([2.0, 1.0])
    assert k is None and curve.tolist() == [2.0, 1.0]
    assert until_floor([0.0])[1] == 0 and LOSS_FLOOR == 1e-16


def test_fit_loss_axis_goes_log_from_one_decade_and_frames_the_values():
    fig, ax = plt.subplots()
    assert fit_loss_axis(ax, [5.0, 1.0, 0.5, np.nan, 0.0])          # 5 / 0.5 = one decade
    assert ax.get_yscale() == "log" and ax.get_ylabel() == "loss (log scale)"
    lo, hi = ax.get_ylim()
    assert lo == pytest.approx(0.5 / 3) and hi == pytest.approx(5.0 * 3)
    assert not fit_loss_axis(ax, [3.0, 2.0], label="f")              # back to linear
    assert ax.get_yscale() == "linear" and ax.get_ylabel() == "f"
    lo, hi = ax.get_ylim()
    assert lo < 2.0 < 3.0 < hi and lo >= 0.0
    assert not fit_loss_axis(ax, [0.0, np.inf])                      # nothing positive: 0 to 1
    assert ax.get_yscale() == "linear" and ax.get_ylim()[0] == 0.0


def test_draw_contours_returns_exactly_the_artists_it_added():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    before = set(ax.get_children())
    artists = draw_contours(Rosenbrock(), ax, levels=8)
    added = set(ax.get_children()) - before
    assert set(artists) == added and len(artists) == 2
    for a in artists:
        a.remove()
    assert set(ax.get_children()) == before


def test_trajectory_lines_draw_the_path_and_its_start_and_can_be_moved():
    fig, ax = plt.subplots()
    path, start = trajectory_lines(ax, np.empty((0, 2)), color=COLORS["Adam"], label="Adam",
                                   start_label="start")
    pts = np.array([[1.0, 2.0], [0.5, 1.0], [0.0, 0.0]])
    path.set_data(pts[:, 0], pts[:, 1])
    start.set_data(pts[:1, 0], pts[:1, 1])
    assert path.get_zorder() < start.get_zorder() < MINIMUM_STYLE["zorder"]   # start above, star on top
    assert to_rgb(path.get_color()) == to_rgb(start.get_color()) == to_rgb(COLORS["Adam"])
    assert [line.get_label() for line in (path, start)] == ["Adam", "start"]
    assert start.get_markerfacecolor() == "white"


def test_a_trajectory_plots_its_losses_one_per_iterate():
    traj = run(Quadratic(), SGD, options={"lr": 0.5}, steps=4)
    ax = plot_loss({"GD": traj})
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), np.arange(5))
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), traj.losses)
    from sgdlib.problems import Trajectory
    handmade = Trajectory(points=np.zeros((3, 2)), losses=np.ones(3))          # no times recorded
    with pytest.raises(ValueError, match="step_time has shape"):
        plot_loss({"GD": handmade}, x="time")
