"""Tests of chapter 6's explorer: sgdlib.explorers.training."""

import base64
import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")

import ipywidgets as W  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from explorer_helpers import MIN_TEXT_PX, fast_and_full_pixels, text_heights_px  # noqa: E402
from sgdlib.data import digits_split  # noqa: E402
from sgdlib.explorers import TrainingExplorer, training_figure  # noqa: E402
from sgdlib.explorers.training import (FIGURE_PX, OPTIMIZERS, SCHEDULES, digits_train_val,  # noqa: E402
                                       make_optimizer, make_schedule, training_runs)
from sgdlib.models import MLP  # noqa: E402
from sgdlib.optim import SGD, Adam, AdamW  # noqa: E402
from sgdlib.plotting import color_for  # noqa: E402
from sgdlib.train import train  # noqa: E402

EPOCHS, SEEDS = 3, (0, 1)


@pytest.fixture(scope="module")
def explorer():
    ex = TrainingExplorer(epochs=EPOCHS, seeds=SEEDS)
    ex.update()
    return ex


def test_train_val_split_is_the_training_part_of_digits_split_cut_again_without_overlap():
    X_tr, X_val, y_tr, y_val = digits_train_val()
    X_all, _, y_all, _ = digits_split()
    assert len(y_tr) + len(y_val) == len(y_all) == 1347
    rows = {r.tobytes() for r in X_all}
    assert all(r.tobytes() in rows for r in np.vstack([X_tr, X_val]))
    assert np.bincount(y_val, minlength=10).min() >= 30            # stratified: every digit is there


def test_runs_are_the_runs_of_sgdlib_train_with_the_named_optimizer_and_schedule():
    data = digits_train_val()
    runs = training_runs("AdamW", 3e-3, "warm-up + cosine", 64, epochs=2, seeds=(4,), data=data)
    X_tr, X_val, y_tr, y_val = data
    model = MLP([64, 64, 10], rng=4)
    n_steps = 2 * -(-len(y_tr) // 64)
    h = train(model, AdamW(model.params, lr=3e-3, weight_decay=0.01), X_tr, y_tr, epochs=2, batch_size=64,
              rng=1004, schedule=make_schedule("warm-up + cosine", 3e-3, n_steps), X_val=X_val, y_val=y_val,
              progress=False)
    np.testing.assert_array_equal(runs.val_accuracy[0], h.epoch_val_accuracy)
    np.testing.assert_array_equal(runs.train_loss[0], h.epoch_train_loss)
    np.testing.assert_allclose(runs.step_lr, h.step_lr)
    assert runs.val_accuracy[0, -1] == model.accuracy(X_val, y_val)


@pytest.mark.parametrize("name, at, expected", [
    ("constant", [0, 99], [0.1, 0.1]),
    ("step", [33, 34, 67, 68], [0.1, 0.01, 0.01, 0.001]),       # step_size = ceil(100 / 3) = 34
    ("cosine", [0, 50, 100], [0.1, 0.05, 0.0]),
    ("warm-up + cosine", [0, 10, 55], [0.001, 0.1, 0.05]),     # 10 warm-up steps from 0.01 * lr, then 90 of cosine
    ("one-cycle", [0, 100], [0.004, 4e-7]),                     # torch OneCycleLR: max_lr / 25, then / 1e4 at the end
])
def test_the_five_schedules_by_hand(name, at, expected):
    s = make_schedule(name, 0.1, 100)
    np.testing.assert_allclose([float(s(t)) for t in at], expected, rtol=1e-9, atol=1e-15)


def test_optimizers_have_their_course_settings_and_bad_names_are_refused():
    p = {"w": np.zeros(2)}
    assert make_optimizer("Nesterov", p, 0.1).nesterov and make_optimizer("SGD+momentum", p, 0.1).momentum == 0.9
    assert isinstance(make_optimizer("Adam", p, 0.1), Adam) and type(make_optimizer("SGD", p, 0.1)) is SGD
    with pytest.raises(ValueError, match="optimizer must be one of"):
        make_optimizer("Adagrad", p, 0.1)
    with pytest.raises(ValueError, match="schedule must be one of"):
        make_schedule("linear", 0.1, 10)
    with pytest.raises(ValueError, match="batch_size must be <="):
        training_runs("SGD", 0.1, "constant", 5000, epochs=1, seeds=(0,))
    with pytest.raises(ValueError, match="show must be one of"):
        TrainingExplorer(epochs=1, seeds=(0,)).update(show="test")


def test_update_draws_each_seed_and_the_mean_in_the_optimizers_colour(explorer):
    runs = explorer.update("Adam", 0.003, "cosine", 64)
    np.testing.assert_allclose(explorer._lines["loss_val"][1].get_ydata(), runs.val_loss[1])
    np.testing.assert_allclose(explorer._lines["accuracy_train_mean"][0].get_ydata(),
                               runs.train_accuracy.mean(axis=0) * 100)
    assert explorer._lines["loss_train_mean"][0].get_color() == color_for("Adam")
    np.testing.assert_allclose(explorer._lr_line.get_ydata(), runs.step_lr)
    final = runs.val_accuracy[:, -1] * 100
    assert f"final validation accuracy {final.mean():.1f} %" in explorer._title.get_text()


def test_view_controls_redraw_from_the_cache_without_training_and_fast(explorer):
    # Absolute times depend on the machine's load (benchmarks/course.py measures them: about 40 ms
    # on an idle 2-core machine); here: no new run, and a redraw costs well under one training.
    start = time.perf_counter()
    explorer.update("SGD", 0.03, "step", 8)
    explorer.render_png()
    train_seconds = time.perf_counter() - start
    n_cached = len(explorer.cache)
    times = []
    for i in range(8):
        start = time.perf_counter()
        explorer.update("SGD", 0.03, "step", 8, log_scale=bool(i % 2),
                        show=["train", "validation", "train and validation"][i % 3])
        explorer.render_png()
        times.append(time.perf_counter() - start)
    assert len(explorer.cache) == n_cached
    assert statistics.median(times) < train_seconds / 2
    assert set(explorer.redraw_only) == {"log_scale", "show"}
    explorer.update("SGD", 0.03, "step", 8, log_scale=False, show="train")
    assert explorer.axes["loss"].get_yscale() == "linear"
    assert not explorer._lines["loss_val_mean"][0].get_visible() and explorer._lines["loss_train_mean"][0].get_visible()


def test_a_new_setting_trains_within_a_few_seconds_and_fills_the_progress_bar(explorer):
    start = time.perf_counter()
    explorer.update("Nesterov", 0.03, "one-cycle", 16)
    assert time.perf_counter() - start < 5.0
    assert explorer.progress.value == explorer.progress.max == len(SEEDS)


def test_a_diverging_setting_is_reported_in_the_title():
    ex = TrainingExplorer(epochs=2, seeds=(0,))
    runs = ex.update("SGD+momentum", 3.0, "constant", 8)        # cross-entropy: finite but useless, or NaN
    if runs.diverged.any():
        assert "diverged" in ex._title.get_text()
    else:
        assert runs.val_accuracy[0, -1] < 0.5                   # the rate is far too large either way


def test_every_text_is_at_least_11_pixels_tall(explorer):
    assert explorer.figure.dpi == 100
    sizes = text_heights_px(explorer.figure)
    assert min(sizes.values()) >= MIN_TEXT_PX, sizes


def test_drawing_only_what_changed_gives_the_same_pixels_as_a_full_redraw():
    ex = TrainingExplorer(epochs=2, seeds=(0,))
    for settings in [("SGD", 0.1, "constant", 64, True, "train"), ("Adam", 0.01, "step", 128, False, "validation")]:
        ex.update(*settings)
        fast, full = fast_and_full_pixels(ex)
        assert (fast != full).any(axis=-1).sum() == 0, settings


def test_widget_has_a_control_per_argument_and_a_progress_bar_and_moving_one_changes_the_image():
    ex = TrainingExplorer(epochs=2, seeds=(0,))
    box = ex.widget
    assert box.children[-1] is ex.output and ex.progress in box.children
    assert set(ex.controls) == {"optimizer", "lr", "schedule", "batch_size", "log_scale", "show"}
    assert list(ex.controls["optimizer"].options) == list(OPTIMIZERS)
    assert list(ex.controls["schedule"].options) == list(SCHEDULES)
    assert isinstance(ex.controls["log_scale"], W.Checkbox)
    (first,) = ex.output.outputs
    assert first["metadata"]["image/png"]["width"] == FIGURE_PX[0]
    ex.controls["optimizer"].value = "Adam"
    (second,) = ex.output.outputs
    assert second["data"]["image/png"] != first["data"]["image/png"]
    assert base64.b64decode(second["data"]["image/png"])[:4] == b"\x89PNG"
    assert len(ex.update_seconds) == 2


def test_training_figure_is_a_still_of_the_explorer_and_draws_every_artist_when_saved():
    fig, runs = training_figure("SGD", 0.3, "cosine", 128, epochs=2, seeds=(0, 1))
    assert len(fig.axes) == 3 and runs.val_loss.shape == (2, 2)
    assert not any(a.get_animated() for a in fig.findobj())
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue()[:4] == b"\x89PNG"
