"""Tests of chapter 3's library pieces: sgdlib.problems.minibatch and sgdlib.explorers.batch_size."""

import base64
import dataclasses
import io

import matplotlib

matplotlib.use("Agg")

import ipywidgets as W  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

import sgdlib.explorers.batch_size as batch_size_module  # noqa: E402
import sgdlib.problems  # noqa: E402
from explorer_helpers import MIN_TEXT_PX, fast_and_full_pixels, text_heights_px  # noqa: E402
from sgdlib.data import DataLoader, make_blobs  # noqa: E402
from sgdlib.explorers import BatchSizeExplorer, batch_size_figure  # noqa: E402
from sgdlib.explorers.base import DPI  # noqa: E402
from sgdlib.explorers.batch_size import FIGURE_PX, batch_size_grid, steps_to_target  # noqa: E402
from sgdlib.problems import minibatch_sgd_runs, softmax_noise_scale  # noqa: E402
from sgdlib.problems.minibatch import _gradient_noise_scale  # noqa: E402

X_BLOBS, Y_BLOBS = make_blobs(103, n_classes=3, rng=np.random.default_rng(0))   # 103: no batch size divides it


def _loss(W, X, y):
    Z = np.hstack([X, np.ones((len(X), 1))]) @ W
    Z = Z - Z.max(axis=1, keepdims=True)
    return float(np.mean(np.log(np.exp(Z).sum(axis=1)) - Z[np.arange(len(y)), y]))


def _per_example_grads(W, X, y):
    Xa = np.hstack([X, np.ones((len(X), 1))])
    Z = Xa @ W
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    P[np.arange(len(y)), y] -= 1
    return np.einsum("nd,nc->ndc", Xa, P).reshape(len(y), -1)


def _reference_run(X, y, batch_size, lr, n_steps, seed, warmup_steps=0, drop_last=False):
    """Plain loop over sgdlib.data.DataLoader: W_{t+1} = W_t - eta_t (1/B) sum of per-example gradients."""
    W = np.zeros((X.shape[1] + 1, int(y.max()) + 1))
    loader = DataLoader(X, y, batch_size=batch_size, rng=np.random.default_rng(seed), drop_last=drop_last)
    snapshots, t = [W.copy()], 0
    while t < n_steps:
        for Xb, yb in loader:
            if t == n_steps:
                break
            eta = lr * min(1.0, (t + 1) / warmup_steps) if warmup_steps else lr
            W = W - eta * _per_example_grads(W, Xb, yb).mean(axis=0).reshape(W.shape)
            snapshots.append(W.copy())
            t += 1
    return snapshots


@pytest.mark.parametrize("batch_size, warmup_steps, drop_last",
                         [(1, 0, False), (10, 0, False), (32, 7, False), (103, 0, False), (10, 0, True), (32, 7, True)])
def test_runs_match_a_plain_loop_over_the_data_loader_for_every_rate_and_seed(batch_size, warmup_steps, drop_last):
    lrs, seeds, n_steps = [0.3, 1.5], [4, 9], 25
    runs = minibatch_sgd_runs(X_BLOBS, Y_BLOBS, batch_size=batch_size, lrs=lrs, n_steps=n_steps, seeds=seeds,
                              record_steps=[0, 5, 11, 25], warmup_steps=warmup_steps, drop_last=drop_last)
    assert runs.losses.shape == (4, 2, 2) and runs.params.shape == (2, 2, 3, 3)
    for a, lr in enumerate(lrs):
        for s, seed in enumerate(seeds):
            ref = _reference_run(X_BLOBS, Y_BLOBS, batch_size, lr, n_steps, seed, warmup_steps, drop_last)
            np.testing.assert_allclose(runs.params[a, s], ref[-1], rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(runs.losses[:, a, s], [_loss(ref[t], X_BLOBS, Y_BLOBS) for t in runs.steps],
                                       rtol=1e-10)
            for j, t in enumerate(runs.steps):
                G = _per_example_grads(ref[t], X_BLOBS, Y_BLOBS)
                assert runs.noise_scale[j, a, s] == pytest.approx(_gradient_noise_scale(G), rel=1e-8)


def test_examples_seen_count_the_smaller_last_batch_of_each_epoch():
    X, y = X_BLOBS[:10], np.arange(10) % 2
    runs = minibatch_sgd_runs(X, y, batch_size=4, lrs=[0.1], n_steps=6, seeds=[0], record_steps=range(7))
    assert runs.examples.tolist() == [0, 4, 8, 10, 14, 18, 20]       # batches of 4, 4, 2 per epoch
    assert runs.losses[0, 0, 0] == pytest.approx(np.log(2))
    dropped = minibatch_sgd_runs(X, y, batch_size=4, lrs=[0.1], n_steps=6, seeds=[0], record_steps=range(7),
                                 drop_last=True)
    assert dropped.examples.tolist() == [0, 4, 8, 12, 16, 20, 24]     # batches of 4, 4 per epoch, 2 left out


def test_the_gradient_noise_scale_is_the_total_variance_over_the_squared_mean():
    G = np.array([[1.0, 0.0], [3.0, 2.0]])                           # mean (2, 1), variances (1, 1)
    assert _gradient_noise_scale(G) == pytest.approx(2 / 5)
    assert _gradient_noise_scale(np.tile([[1.0, -2.0]], (5, 1))) == 0.0   # identical examples: no noise
    G = np.random.default_rng(1).standard_normal((50, 4)) + 1.0
    n = len(G)
    sample_var = G.var(axis=0, ddof=1).sum()                          # a ddof=1 version differs by n/(n-1)
    assert _gradient_noise_scale(G) == pytest.approx(sample_var * (n - 1) / n / (G.mean(axis=0) @ G.mean(axis=0)))


def test_softmax_noise_scale_equals_the_noise_scale_of_the_per_example_gradients():
    rng = np.random.default_rng(2)
    Ws = rng.standard_normal((3, 3, 3))                               # a stack of three (d + 1, c) matrices
    scales = softmax_noise_scale(Ws, X_BLOBS, Y_BLOBS)
    assert scales.shape == (3,)
    for W, scale in zip(Ws, scales):
        assert scale == pytest.approx(_gradient_noise_scale(_per_example_grads(W, X_BLOBS, Y_BLOBS)), rel=1e-10)
    assert isinstance(softmax_noise_scale(Ws[0], X_BLOBS, Y_BLOBS), float)


def test_bad_arguments_are_refused_with_their_names():
    kw = dict(lrs=[0.1], n_steps=3, seeds=[0], record_steps=[0, 3])
    with pytest.raises(ValueError, match="batch_size"):
        minibatch_sgd_runs(X_BLOBS, Y_BLOBS, batch_size=104, **kw)
    with pytest.raises(ValueError, match="lrs"):
        minibatch_sgd_runs(X_BLOBS, Y_BLOBS, batch_size=4, **{**kw, "lrs": [0.1, -1.0]})
    with pytest.raises(ValueError, match="record_steps"):
        minibatch_sgd_runs(X_BLOBS, Y_BLOBS, batch_size=4, **{**kw, "record_steps": [0, 4]})
    with pytest.raises(ValueError, match="y must hold class labels"):
        minibatch_sgd_runs(X_BLOBS, Y_BLOBS + 0.5, batch_size=4, **kw)
    with pytest.raises(TypeError, match="drop_last"):
        minibatch_sgd_runs(X_BLOBS, Y_BLOBS, batch_size=4, drop_last=1, **kw)
    with pytest.raises(ValueError, match="W must have shape"):
        softmax_noise_scale(np.zeros((2, 3)), X_BLOBS, Y_BLOBS)
    with pytest.raises(ValueError, match="G must be 2-D"):
        _gradient_noise_scale(np.ones(3))


@pytest.mark.parametrize(("name", "value", "exc", "match"), [
    ("seeds", [-1], ValueError, r"seeds\[0\] must be a seed >= 0"),
    ("seeds", [0.5], TypeError, r"seeds must hold whole numbers \(ints\), got dtype float64"),
    ("seeds", [True], TypeError, "seeds must hold whole numbers"),
    ("seeds", [[0, 1]], ValueError, "seeds must be 1-D"),
    ("seeds", [], ValueError, "seeds must be a non-empty list"),
    ("record_steps", [0.5, 2.7], TypeError, "record_steps must hold whole numbers"),
    ("record_steps", [[0, 1], [2, 3]], ValueError, "record_steps must be 1-D"),
    ("record_steps", [], ValueError, "record_steps must be a non-empty list"),
    ("lrs", [True], TypeError, "lrs must be a numeric array, got dtype bool"),
    ("lrs", [[0.1]], ValueError, "lrs must be 1-D"),
], ids=["negative_seed", "float_seed", "bool_seed", "2d_seeds", "no_seeds", "fractional_steps",
        "2d_steps", "no_steps", "bool_rate", "2d_rates"])
def test_each_bad_list_argument_is_refused_with_its_name(name, value, exc, match):
    kw = dict(lrs=[0.1], n_steps=3, seeds=[0], record_steps=[0, 3])
    with pytest.raises(exc, match=match):
        minibatch_sgd_runs(X_BLOBS, Y_BLOBS, batch_size=4, **{**kw, name: value})


def test_the_reference_noise_scale_is_private_and_handles_a_zero_mean_and_no_examples():
    # A public gradient_noise_scale would hand learners the answer of exercise ch03_gradient_noise_scale.
    assert not hasattr(sgdlib.problems, "gradient_noise_scale")
    assert "gradient_noise_scale" not in sgdlib.problems.__all__
    assert _gradient_noise_scale(np.array([[1.0, 2.0], [-1.0, -2.0]])) == np.inf   # all noise, no signal
    assert _gradient_noise_scale([[1, 0], [3, 2]]) == pytest.approx(0.4)            # integers are fine
    with pytest.raises(ValueError, match="G must hold at least one"):
        _gradient_noise_scale(np.zeros((0, 3)))


@pytest.fixture(scope="module")
def grid():
    return batch_size_grid(X_BLOBS, Y_BLOBS, batch_sizes=[1, 8, 103], lrs=[0.25, 1.0, 4.0], seeds=[0, 1],
                           examples_budget=206, min_steps=30, n_records=12)


@pytest.fixture(scope="module")
def explorer(grid):
    return BatchSizeExplorer(grid=grid, target=0.3)


def test_grid_runs_each_batch_size_to_the_examples_budget_and_the_minimum_steps(grid):
    assert sorted(grid) == [1, 8, 103]
    assert grid[1].steps[-1] == 206 and grid[1].examples[-1] == 206      # the budget: 206 steps of 1
    assert grid[8].steps[-1] == 30 and 26 in grid[8].steps               # 26 full batches of 8 >= 206 examples
    assert grid[8].examples[grid[8].steps.tolist().index(26)] == 208     # drop_last: every step sees 8 examples
    assert grid[103].steps[-1] == 30 and 2 in grid[103].steps
    kept = batch_size_grid(X_BLOBS, Y_BLOBS, batch_sizes=[8], lrs=[1.0], seeds=[0], examples_budget=206,
                           min_steps=30, n_records=12, drop_last=False)
    assert kept[8].examples[kept[8].steps.tolist().index(26)] == 206     # 2 epochs of 13 batches, the last of 7
    for runs in grid.values():
        assert runs.steps[0] == 0 and 30 in runs.steps


def test_update_draws_the_chosen_rate_and_the_tuned_rate_of_the_batch_size(explorer, grid):
    runs = explorer.update(batch_size=8, lr=4.0)
    assert runs is grid[8]
    keep = runs.steps > 0
    np.testing.assert_allclose(explorer._mean["steps"].get_ydata(), runs.losses[keep, 2].mean(axis=1))
    np.testing.assert_allclose(explorer._mean["examples"].get_xdata(), runs.examples[keep])
    np.testing.assert_allclose(explorer._seed_lines["steps"][1].get_ydata(), runs.losses[keep, 2, 1])
    hits = steps_to_target(runs, 0.3).mean(axis=1)
    tuned = int(np.argmin(hits))
    np.testing.assert_allclose(explorer._tuned["time"].get_ydata(), runs.losses[keep, tuned].mean(axis=1))
    c0, c1 = explorer.step_cost
    np.testing.assert_allclose(explorer._mean["time"].get_xdata(), runs.steps[keep] * (c0 + c1 * 8) * 1e3)
    np.testing.assert_allclose(explorer._noise.get_ydata(), runs.noise_scale[keep, 2, 0])
    assert f"tuned η = {runs.lrs[tuned]:g}" in explorer.axes["steps"].get_title()
    expected = f"{hits[2]:.3g}" if np.isfinite(hits[2]) else "not reached"
    assert f"steps to f ≤ 0.3: {expected}\n" in explorer.axes["steps"].get_title()


def test_steps_to_target_is_the_first_recorded_step_below_it(grid):
    runs = grid[8]
    hits = steps_to_target(runs, 0.3)
    for a in range(3):
        for s in range(2):
            below = np.flatnonzero(runs.losses[:, a, s] <= 0.3)
            assert hits[a, s] == (runs.steps[below[0]] if below.size else np.inf)


def test_update_refuses_settings_off_the_grid(explorer):
    with pytest.raises(ValueError, match="batch_size must be one of"):
        explorer.update(batch_size=16, lr=1.0)
    with pytest.raises(ValueError, match="lr must be one of"):
        explorer.update(batch_size=8, lr=2.0)
    with pytest.raises(TypeError, match="lr"):
        explorer.update(batch_size=8, lr="fast")


def test_a_grid_with_different_rates_per_batch_size_is_refused(grid):
    other = batch_size_grid(X_BLOBS, Y_BLOBS, batch_sizes=[4], lrs=[0.5], seeds=[0], examples_budget=20, min_steps=5)
    with pytest.raises(ValueError, match="same learning rates"):
        BatchSizeExplorer(grid={**grid, **other})


def test_every_text_is_at_least_11_pixels_tall_and_the_image_is_shown_at_its_size(explorer):
    explorer.update(batch_size=103, lr=0.25)
    image = Image.open(io.BytesIO(explorer.render_png()))
    assert image.size == FIGURE_PX and explorer.figure.dpi == DPI
    sizes = text_heights_px(explorer.figure)
    assert len(sizes) > 20
    small = {text: round(px, 1) for text, px in sizes.items() if px < MIN_TEXT_PX}
    assert not small, small


def test_titles_tick_labels_and_the_legend_stay_inside_the_figure_and_apart(explorer):
    explorer.update(batch_size=1, lr=4.0)
    fig = explorer.figure
    renderer = fig.canvas.get_renderer()
    boxes = [ax.get_tightbbox(renderer) for ax in fig.axes]
    for box in boxes:
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= fig.bbox.width and box.y1 <= fig.bbox.height, box
    (legend,) = fig.legends
    legend_box = legend.get_window_extent(renderer)
    assert legend_box.y1 <= fig.bbox.height and not any(legend_box.overlaps(b) for b in boxes)
    assert len(legend.get_texts()) == 6


def test_drawing_only_what_changed_gives_the_same_pixels_as_a_full_redraw(grid):
    ex = BatchSizeExplorer(grid=grid)
    for settings in [(8, 1.0), (1, 4.0), (103, 0.25), (8, 4.0)]:
        ex.update(*settings)
        fast, full = fast_and_full_pixels(ex)
        assert (fast != full).any(axis=-1).sum() == 0, settings


def test_widget_has_a_slider_per_setting_on_the_grid_and_moving_one_changes_the_image(grid):
    ex = BatchSizeExplorer(grid=grid)
    box = ex.widget
    assert box.children[-1] is ex.output
    assert set(ex.controls) == {"batch_size", "lr"}
    assert isinstance(ex.controls["batch_size"], W.SelectionSlider)
    assert list(ex.controls["batch_size"].options) == [1, 8, 103]
    assert list(ex.controls["lr"].options) == [0.25, 1.0, 4.0]
    (first,) = ex.output.outputs
    assert first["metadata"]["image/png"]["width"] == FIGURE_PX[0]
    ex.controls["batch_size"].value = 103
    (second,) = ex.output.outputs
    assert second["data"]["image/png"] != first["data"]["image/png"]
    assert len(ex.update_seconds) == 2
    assert base64.b64decode(second["data"]["image/png"])[:4] == b"\x89PNG"


def test_batch_size_figure_is_a_snapshot_of_the_explorer_and_draws_every_artist_when_saved(grid):
    fig, runs = batch_size_figure(8, 1.0, grid=grid)
    assert runs is grid[8] and len(fig.axes) == 4
    assert not any(a.get_animated() for a in fig.findobj())
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue()[:4] == b"\x89PNG"


def test_steps_to_target_is_exported():
    assert "steps_to_target" in batch_size_module.__all__


def test_a_grid_needs_both_x_and_y_or_neither():
    with pytest.raises(ValueError, match="X and y must be given together.*only X"):
        batch_size_grid(X_BLOBS, batch_sizes=[8], lrs=[1.0], seeds=[0], examples_budget=16, min_steps=2)
    with pytest.raises(ValueError, match="X and y must be given together.*only y"):
        batch_size_grid(y=Y_BLOBS, batch_sizes=[8], lrs=[1.0], seeds=[0], examples_budget=16, min_steps=2)


def test_when_no_rate_reaches_the_target_a_diverged_rate_is_never_the_tuned_one(grid):
    runs = grid[8]
    losses = runs.losses + 1.0                   # above the target 0.3 everywhere
    losses[-1, 0] = np.nan                       # rate 0.25 diverged; rate 4.0 ends lowest of the others
    losses[-1, 1] = losses[-1, 2] + 1.0
    ex = BatchSizeExplorer(grid={**grid, 8: dataclasses.replace(runs, losses=losses)}, target=0.3)
    ex.update(batch_size=8, lr=1.0)
    assert "tuned η = 4:" in ex.axes["steps"].get_title()
    np.testing.assert_allclose(ex._tuned["steps"].get_ydata(), losses[runs.steps > 0, 2].mean(axis=1))


def test_examples_to_the_target_are_read_from_the_runs_without_drop_last():
    # 103 examples in batches of 8: every 13th step sees 7, so steps x 8 overcounts after an epoch.
    runs = minibatch_sgd_runs(X_BLOBS, Y_BLOBS, batch_size=8, lrs=[1.0], n_steps=60, seeds=[0, 1],
                              record_steps=range(61))
    target = float(runs.losses[:14, 0].min()) - 1e-12                           # reached after the first epoch
    ex = BatchSizeExplorer(grid={8: runs}, target=target)
    ex.update(batch_size=8, lr=1.0)
    first = (runs.losses[:, 0] <= target).argmax(axis=0)                        # per seed
    expected = runs.examples[first].mean()
    assert (runs.steps[first] > 13).all() and (runs.losses[:, 0] <= target).any(axis=0).all()
    assert expected == runs.steps[first].mean() * 8 - 1                          # one batch of 7 so far
    assert ex.axes["examples"].get_title().startswith(f"examples to the target: {expected:.3g}\n")
