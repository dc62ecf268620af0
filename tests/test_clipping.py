"""Tests of sgdlib.clipping.clip_grad_norm_ and train(clip_grad_norm=...).

Reference values follow torch.nn.utils.clip_grad_norm_ (norm_type=2, error_if_nonfinite=False):
total = sqrt(sum of the squares of every entry of every array), coef = max_norm / (total + 1e-6),
every array multiplied by coef in place when coef < 1, the total returned. The numbers below are
worked out by hand from those equations.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgdlib.clipping import CLIP_EPS, clip_grad_norm_
from sgdlib.data import make_blobs
from sgdlib.models import MLP
from sgdlib.optim import SGD
from sgdlib.train import train


def test_global_norm_of_a_3_4_12_gradient_is_13_and_every_array_shrinks_by_the_same_factor():
    W, b = np.array([[3.0, 0.0], [0.0, 4.0]]), np.array([12.0])
    total = clip_grad_norm_({"W": W, "b": b}, max_norm=6.5)
    assert total == 13.0                                  # sqrt(9 + 16 + 144)
    coef = 6.5 / (13.0 + 1e-6)                            # torch: max_norm / (total + 1e-6)
    np.testing.assert_allclose(W, [[3.0 * coef, 0.0], [0.0, 4.0 * coef]], rtol=1e-15)
    np.testing.assert_allclose(b, [12.0 * coef], rtol=1e-15)
    # clipping each array on its own (a common mistake) would leave b at 6.5 and W at 5 -> 5:
    assert b[0] == pytest.approx(6.0, rel=1e-6) and np.hypot(W[0, 0], W[1, 1]) == pytest.approx(2.5, rel=1e-6)


def test_a_gradient_within_the_limit_is_left_exactly_as_it_was():
    g = [np.array([0.6, -0.8]), np.zeros((2, 2))]
    before = [a.copy() for a in g]
    assert clip_grad_norm_(g, max_norm=2.0) == pytest.approx(1.0, rel=1e-15)
    for a, b in zip(g, before):
        np.testing.assert_array_equal(a, b)


def test_at_exactly_max_norm_torch_still_scales_by_total_over_total_plus_eps():
    g = [np.array([3.0, 4.0])]
    clip_grad_norm_(g, max_norm=5.0)                       # coef = 5 / 5.000001 < 1
    np.testing.assert_allclose(g[0], np.array([3.0, 4.0]) * 5.0 / (5.0 + CLIP_EPS), rtol=1e-15)


def test_clipping_is_in_place_like_torch_and_returns_a_python_float():
    W = np.array([[10.0, 0.0]])
    grads = {"W": W}
    total = clip_grad_norm_(grads, 1.0)
    assert grads["W"] is W and type(total) is float
    assert np.linalg.norm(W) == pytest.approx(1.0, rel=1e-5)


def test_a_zero_gradient_has_norm_zero_and_no_division_by_zero():
    g = [np.zeros(3)]
    assert clip_grad_norm_(g, 1.0) == 0.0 and not g[0].any()


def test_a_non_finite_gradient_is_reported_by_its_norm_and_not_scaled():
    g = [np.array([np.inf, 1.0]), np.array([2.0])]
    total = clip_grad_norm_(g, 1.0)
    assert math.isinf(total)
    np.testing.assert_array_equal(g[1], [2.0])            # left for the optimizer to report
    h = [np.array([np.nan])]
    assert math.isnan(clip_grad_norm_(h, 1.0))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=6), min_size=1, max_size=4),
       st.floats(1e-3, 1e3))
def test_after_clipping_the_norm_is_at_most_max_norm_and_the_direction_is_kept(values, max_norm):
    grads = [np.array(v) for v in values]
    before = np.concatenate(grads)
    total = clip_grad_norm_(grads, max_norm)
    after = np.concatenate(grads)
    assert total == pytest.approx(np.linalg.norm(before), rel=1e-12, abs=1e-300)
    assert np.linalg.norm(after) <= max_norm * (1 + 1e-12) or np.array_equal(after, before)
    if max_norm / (total + CLIP_EPS) >= 1:                # within the limit (with torch's 1e-6): untouched
        np.testing.assert_array_equal(after, before)
    else:                                                 # one common factor c in (0, 1)
        c = max_norm / (total + CLIP_EPS)
        np.testing.assert_allclose(after, before * c, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("grads, max_norm, exc, match", [
    ([np.ones(2)], 0.0, ValueError, "max_norm must be > 0"),
    ([np.ones(2)], -1.0, ValueError, "max_norm must be > 0"),
    ([np.ones(2)], float("nan"), ValueError, "max_norm must be a finite number"),
    (np.ones(2), 1.0, TypeError, r"wrap a single gradient as \[g\]"),
    ([np.ones(2, dtype=int)], 1.0, TypeError, r"grads\[0\] must be a float numpy array"),
    ([[1.0, 2.0]], 1.0, TypeError, r"grads\[0\] must be a float numpy array"),
    ("g", 1.0, TypeError, "grads must be a list or a dict"),
])
def test_bad_input_is_refused_naming_the_argument(grads, max_norm, exc, match):
    with pytest.raises(exc, match=match):
        clip_grad_norm_(grads, max_norm)


# -- train(clip_grad_norm=...) --------------------------------------------------------------------

def _data():
    return make_blobs(120, n_classes=3, rng=0)


def test_train_with_a_limit_no_step_reaches_is_the_same_run_and_records_the_norms():
    X, y = _data()
    a, b = MLP([2, 8, 3], rng=0), MLP([2, 8, 3], rng=0)
    ha = train(a, SGD(a.params, lr=0.1), X, y, epochs=2, batch_size=16, rng=1, progress=False)
    hb = train(b, SGD(b.params, lr=0.1), X, y, epochs=2, batch_size=16, rng=1, progress=False,
               clip_grad_norm=1e9)
    np.testing.assert_array_equal(ha.step_loss, hb.step_loss)
    assert ha.step_grad_norm.size == 0 and hb.step_grad_norm.shape == (hb.steps,)
    assert (hb.step_grad_norm > 0).all()


def test_train_with_clipping_matches_a_hand_written_loop_that_clips_then_steps():
    X, y = _data()
    model, ref = MLP([2, 8, 3], rng=0), MLP([2, 8, 3], rng=0)
    h = train(model, SGD(model.params, lr=0.5, momentum=0.9), X, y, epochs=2, batch_size=30,
              shuffle=False, progress=False, clip_grad_norm=0.05)
    opt, norms = SGD(ref.params, lr=0.5, momentum=0.9), []
    for _ in range(2):
        for i in range(0, 120, 30):
            _, grads = ref.loss_and_grads(X[i:i + 30], y[i:i + 30])
            total = math.sqrt(sum(float((g * g).sum()) for g in grads.values()))
            norms.append(total)
            scale = min(1.0, 0.05 / (total + 1e-6))
            opt.step({k: g * scale for k, g in grads.items()})
    np.testing.assert_allclose(h.step_grad_norm, norms, rtol=1e-10)
    assert (h.step_grad_norm > 0.05).any()                # the limit was reached
    for k in ref.params:
        np.testing.assert_allclose(model.params[k], ref.params[k], rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("value, exc", [(0.0, ValueError), (-1.0, ValueError), ("1", TypeError)])
def test_train_refuses_a_bad_clip_grad_norm(value, exc):
    X, y = _data()
    model = MLP([2, 8, 3], rng=0)
    with pytest.raises(exc, match="clip_grad_norm"):
        train(model, SGD(model.params, lr=0.1), X, y, epochs=1, batch_size=16, rng=0, progress=False,
              clip_grad_norm=value)
