"""Tests of sgdlib.lr_finder: the range test's schedule, stop rule and restore, and the fixed pick rule.

The pick rule (also the graded exercise's): a bias-corrected exponential moving average
a_k = s a_{k-1} + (1 - s) f_k, smoothed_k = a_k / (1 - s^(k+1)) (as in S. Gugger's 2018 post that
fastai's lr_find follows), the index of its minimum, and a tenth of that rate. The reference
values below are worked out by hand from those equations.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgdlib.data import DataLoader, digits_split
from sgdlib.lr_finder import RangeTest, lr_range_test, pick_lr, smoothed_losses
from sgdlib.models import SoftmaxRegression
from sgdlib.optim import SGD, Adam


def test_smoothed_losses_by_hand_with_s_one_half():
    # a = 2, 2, 1.5, 2.25; divided by 1 - 0.5^(k+1) = 0.5, 0.75, 0.875, 0.9375
    np.testing.assert_allclose(smoothed_losses([4.0, 2.0, 1.0, 3.0], 0.5), [4.0, 8 / 3, 12 / 7, 2.4], rtol=1e-15)


def test_pick_is_a_tenth_of_the_rate_at_the_smoothed_minimum():
    lrs = np.array([1e-3, 1e-2, 1e-1, 1.0])
    assert pick_lr(lrs, [4.0, 2.0, 1.0, 3.0], smoothing=0.5) == pytest.approx(1e-2)   # argmin k = 2


def test_smoothing_moves_the_pick_away_from_a_single_noisy_dip():
    lrs = np.geomspace(1e-4, 1.0, 9)
    losses = [2.0, 2.0, 0.5, 2.0, 1.6, 1.2, 0.9, 1.0, 5.0]     # one lucky batch at k = 2
    assert pick_lr(lrs, losses, smoothing=0.0) == pytest.approx(lrs[2] / 10)
    smooth = smoothed_losses(losses, 0.6)
    assert int(np.argmin(smooth)) == 7                          # the trend, by the hand formula
    assert pick_lr(lrs, losses, smoothing=0.6) == pytest.approx(lrs[7] / 10)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.01, 100.0), st.integers(1, 30), st.floats(0.0, 0.99))
def test_bias_correction_makes_a_constant_loss_smooth_to_itself(value, n, s):
    # without the correction the average would start near (1 - s) * value, far below it
    np.testing.assert_allclose(smoothed_losses(np.full(n, value), s), value, rtol=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.0, 10.0), min_size=1, max_size=20))
def test_no_smoothing_gives_the_raw_losses(losses):
    np.testing.assert_allclose(smoothed_losses(losses, 0.0), losses, rtol=1e-12)


@pytest.fixture(scope="module")
def digits():
    X, _, y, _ = digits_split()
    return X, y


def test_range_test_raises_the_rate_geometrically_and_records_the_loss_before_each_step(digits):
    X, y = digits
    model = SoftmaxRegression(64, 10)
    test = lr_range_test(model, lambda p: SGD(p, lr=0.0), X, y, start_lr=1e-4, end_lr=1e-1, n_steps=30,
                         batch_size=32, rng=3)
    assert isinstance(test, RangeTest) and not test.stopped_early and len(test.lrs) == 30
    assert test.lrs[0] == pytest.approx(1e-4) and test.lrs[-1] == pytest.approx(1e-1)
    np.testing.assert_allclose(test.lrs[1:] / test.lrs[:-1], 10 ** (3 / 29), rtol=1e-12)
    ref, W, k = SoftmaxRegression(64, 10), None, 0                # the same run by hand
    opt = SGD(ref.params, lr=0.0)
    losses = []
    for Xb, yb in DataLoader(X, y, batch_size=32, rng=3):
        if k == 5:
            break
        opt.lr = test.lrs[k]
        loss, grads = ref.loss_and_grads(Xb, yb)
        losses.append(loss)
        opt.step(grads)
        k += 1
    np.testing.assert_allclose(test.losses[:5], losses, rtol=1e-12)
    np.testing.assert_allclose(test.smoothed, smoothed_losses(test.losses, 0.98), rtol=1e-12)
    assert test.lr == pick_lr(test.lrs, test.losses)


def test_range_test_stops_once_the_smoothed_loss_passes_four_times_its_best_and_restores_the_model(digits):
    X, y = digits
    model = SoftmaxRegression(64, 10)
    model.params["W"][...] = 0.01
    before = {k: p.copy() for k, p in model.params.items()}
    test = lr_range_test(model, SGD(model.params, lr=0.0), X, y, start_lr=1e-3, end_lr=1e4, n_steps=200,
                         batch_size=32, rng=0)
    assert test.stopped_early and len(test.lrs) < 200
    assert test.smoothed[-1] > 4 * test.smoothed[:-1].min()     # the stop rule fired at the last step
    assert (test.smoothed[:-1] <= 4 * np.minimum.accumulate(test.smoothed[:-1])).all()
    for k, p in model.params.items():
        np.testing.assert_array_equal(p, before[k])
    # the pick lies where a short run at that rate trains well: within the grid's best rate x [1/30, 3]
    grid = np.geomspace(1e-2, 1e2, 9)
    finals = []
    for lr in grid:
        m = SoftmaxRegression(64, 10)
        opt = SGD(m.params, lr=lr)
        for Xb, yb in DataLoader(X, y, batch_size=32, rng=1):
            opt.step(m.loss_and_grads(Xb, yb)[1])
        finals.append(m.loss(X, y) if np.isfinite(m.loss(X, y)) else np.inf)
    best = grid[int(np.argmin(finals))]
    assert best / 30 <= test.lr <= best * 3


def test_a_factory_and_an_optimizer_give_the_same_test_and_restore_false_keeps_the_trained_weights(digits):
    X, y = digits
    a, b = SoftmaxRegression(64, 10), SoftmaxRegression(64, 10)
    ta = lr_range_test(a, lambda p: Adam(p), X, y, start_lr=1e-4, end_lr=1.0, n_steps=20, batch_size=64, rng=0)
    tb = lr_range_test(b, Adam(b.params), X, y, start_lr=1e-4, end_lr=1.0, n_steps=20, batch_size=64, rng=0,
                       restore=False)
    np.testing.assert_array_equal(ta.losses, tb.losses)
    assert not a.params["W"].any() and b.params["W"].any()
    assert "RangeTest(20 steps" in repr(ta)


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"start_lr": 0.0}, ValueError, "start_lr must be > 0"),
    ({"end_lr": 1e-6}, ValueError, "end_lr must be >"),
    ({"n_steps": 1}, ValueError, "n_steps must be >= 2"),
    ({"stop_factor": 1.0}, ValueError, "stop_factor must be > 1"),
    ({"smoothing": 1.0}, ValueError, "smoothing must be < 1"),
    ({"rng": None}, TypeError, "rng must be"),
    ({"optimizer": "sgd"}, TypeError, "optimizer must be an sgdlib optimizer"),
    ({"optimizer": lambda p: None}, TypeError, "factory must return"),
    ({"optimizer": SGD([np.zeros((64, 10))], lr=0.1)}, ValueError, "built on model.params"),
])
def test_range_test_refuses_bad_input_naming_the_argument(digits, kwargs, exc, match):
    X, y = digits
    model = SoftmaxRegression(64, 10)
    args = {"optimizer": lambda p: SGD(p, lr=0.0), "start_lr": 1e-4, "end_lr": 1.0, "n_steps": 10,
            "batch_size": 32, "rng": 0, **kwargs}
    with pytest.raises(exc, match=match):
        lr_range_test(model, args.pop("optimizer"), X, y, **args)


def test_pick_lr_is_the_graded_exercises_rule_on_noisy_and_diverging_curves():
    # The exercise (sgdlib/grading/exercises/ch06/lr_range_pick.py) states the same rule; both
    # must pick the same rate, also when the recorded curve ends in inf or NaN.
    exercise = pytest.importorskip("sgdlib.grading.exercises.ch06.lr_range_pick")
    rng = np.random.default_rng(0)
    for trial in range(40):
        n = int(rng.integers(2, 60))
        lrs = np.geomspace(1e-5, 10.0, n)
        losses = 2.3 - np.tanh(np.log10(lrs) + 3) + np.where(lrs > 1, lrs, 0) + 0.3 * rng.random(n)
        if trial % 3 == 1:
            losses[int(rng.integers(1, n)):] = np.inf
        if trial % 3 == 2:
            losses[int(rng.integers(1, n)):] = np.nan
        s = float(rng.choice([0.0, 0.5, 0.9, 0.98]))
        assert pick_lr(lrs, losses, s) == exercise.lr_range_pick(lrs, losses, s)


@pytest.mark.parametrize("lrs, losses, match", [
    ([0.1, 0.0], [1.0, 2.0], "lrs must all be > 0"),
    ([0.1, 1.0], [1.0], "same length"),
    ([], [], "at least 1"),
    ([0.1, 1.0], [np.nan, np.nan], "no finite value"),
])
def test_pick_lr_refuses_bad_input(lrs, losses, match):
    with pytest.raises(ValueError, match=match):
        pick_lr(lrs, losses)
