"""Chapter 6's exercise notebook and checkers, and the "arrays" kind of returned value.

What tests/test_exercises_ch01.py checks for every exercise notebook (the committed exercises
equal a fresh generation, progress and its CLI, learners' answers surviving regeneration, a hang
or a print flood) is not repeated here. This file checks what is chapter 6's own: its notebook
declares its five exercises, runs blank with "not attempted" everywhere, every probe rejects its
mistake with its own hint, the notebook's solutions pass, the references agree with closed forms,
numerical gradients and sgdlib (``WarmupCosine``, ``clip_grad_norm_``, ``pick_lr``, which follow
torch), and ``check`` reports a list of float arrays (the clipped gradients) one array at a time,
including an array of the list changed in place. The notebook's checks are the ones every
chapter shares (tests/exercise_helpers.py), with one notebook execution for them all.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgdlib.grading import get_exercise, grade
from sgdlib.schedules import WarmupCosine
from exercise_helpers import ExerciseNotebookChecks

SOFTMAX = get_exercise("ch06_softmax_cross_entropy").reference
DENSE = get_exercise("ch06_dense_relu_backward").reference
SCHEDULE = get_exercise("ch06_warmup_cosine_lr").reference
CLIP = get_exercise("ch06_clip_grad_norm")
PICK = get_exercise("ch06_lr_range_pick").reference


class TestNotebook(ExerciseNotebookChecks):
    CHAPTER = 6
    NOTEBOOK = "06_exercises_training_a_network.ipynb"
    SIGNATURE_END = None  # warmup_cosine_lr has two defaults: compare the argument names
    EXERCISES = 5


# ---------------------------------------------------------------------------------------------
# The references against other sources


def _numerical_gradient(f, Z, h=1e-6):
    grad = np.zeros_like(Z)
    for index in np.ndindex(*Z.shape):
        step = np.zeros_like(Z)
        step[index] = h
        grad[index] = (f(Z + step) - f(Z - step)) / (2 * h)
    return grad


def test_softmax_cross_entropy_closed_forms_and_large_logits():
    # Equal logits: P = 1/K, so L = log K, and dL/dZ = (1/K - Y) / B.
    loss, d = SOFTMAX(np.zeros((2, 4)), np.array([1, 3]))
    assert math.isclose(loss, math.log(4)) and np.allclose(d, (0.25 - np.eye(4)[[1, 3]]) / 2)
    # Shifting a row changes nothing, so logits near 1000 give the values of logits near 0.
    Z, y = np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -3.0]]), np.array([2, 0])
    small, big = SOFTMAX(Z, y), SOFTMAX(Z + 1000.0, y)
    assert math.isclose(small[0], big[0], rel_tol=1e-12) and np.allclose(small[1], big[1], atol=1e-15)
    # The true class 800 below the other: log P = -800 (to 1e-300), finite.
    assert math.isclose(SOFTMAX(np.array([[0.0, -800.0]]), np.array([1]))[0], 800.0)


def test_softmax_cross_entropy_gradient_matches_central_differences():
    rng = np.random.default_rng(0)
    Z, y = rng.normal(size=(5, 4)), rng.integers(0, 4, size=5)
    numerical = _numerical_gradient(lambda Z_: SOFTMAX(Z_, y)[0], Z)
    assert np.allclose(SOFTMAX(Z, y)[1], numerical, atol=1e-8)


def test_dense_relu_backward_matches_central_differences_and_relu_prime_0_is_0():
    rng = np.random.default_rng(1)
    x, W, b = rng.normal(size=(6, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    dout = rng.normal(size=(6, 4))
    loss = lambda x_, W_, b_: np.sum(dout * np.maximum(x_ @ W_ + b_, 0))  # dL/da = dout
    dx, dW, db = DENSE(x, W, b, dout)
    assert np.allclose(dx, _numerical_gradient(lambda v: loss(v, W, b), x), atol=1e-8)
    assert np.allclose(dW, _numerical_gradient(lambda v: loss(x, v, b), W), atol=1e-8)
    assert np.allclose(db, _numerical_gradient(lambda v: loss(x, W, v), b), atol=1e-8)
    # torch.relu's backward is grad * (input > 0): z = 0 passes no gradient.
    dx, dW, db = DENSE(np.array([[1.0, -1.0]]), np.array([[1.0], [1.0]]), np.array([0.0]), np.array([[5.0]]))
    assert np.array_equal(dx, [[0.0, 0.0]]) and np.array_equal(dW, [[0.0], [0.0]]) and np.array_equal(db, [0.0])


@settings(max_examples=150, deadline=None)
@given(W=st.integers(0, 30), T=st.integers(1, 80), lr=st.floats(0.0, 2.0), f=st.floats(0.001, 1.0),
       eta_min_share=st.floats(0.0, 1.0), extra=st.integers(0, 200))
def test_warmup_cosine_is_sgdlibs_warmup_cosine(W, T, lr, f, eta_min_share, extra):
    eta_min = lr * eta_min_share
    schedule = WarmupCosine(lr, W, T, f, eta_min)  # torch's SequentialLR(LinearLR, CosineAnnealingLR)
    for t in {0, max(W - 1, 0), W, W + T // 2, W + T, extra}:
        assert math.isclose(SCHEDULE(t, lr, W, T, f, eta_min), schedule(t), rel_tol=1e-12, abs_tol=1e-15)


def test_warmup_cosine_values_from_torchs_definition():
    # LinearLR: lr * (f + (1 - f) * t / W) for t < W; CosineAnnealingLR from t = W: lr at W,
    # (lr + eta_min) / 2 at W + T/2, eta_min at W + T, and lr again at W + 2T (no cut-off).
    assert [SCHEDULE(t, 0.1, 10, 90, 0.1) for t in (0, 5)] == pytest.approx([0.01, 0.055])
    assert [SCHEDULE(t, 0.1, 10, 90, 0.1, 0.02) for t in (10, 55, 100, 190)] == pytest.approx([0.1, 0.06, 0.02, 0.1])
    assert SCHEDULE(0, 0.3, 0, 5) == pytest.approx(0.3)  # no warm-up


def test_clip_grad_norm_is_sgdlibs_in_place_clipping_on_copies():
    from sgdlib.clipping import clip_grad_norm_ as in_place

    rng = np.random.default_rng(2)
    for max_norm in (0.1, 1.0, 5.0, 100.0):
        grads = [rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(2, 2, 2))]
        before = [g.copy() for g in grads]
        clipped, total = CLIP.reference(grads, max_norm)
        copies = [g.copy() for g in grads]
        assert math.isclose(total, in_place(copies, max_norm), rel_tol=1e-12)
        assert all(np.allclose(c, k, rtol=1e-12) for c, k in zip(clipped, copies))
        assert all(np.array_equal(g, b) for g, b in zip(grads, before))  # the inputs are untouched
    # Norms 3 and 4: the total is 5, and clipping to 1 keeps the direction (0.6, 0.8).
    clipped, total = CLIP.reference([np.array([3.0]), np.array([[4.0]])], 1.0)
    assert total == 5.0 and np.allclose([clipped[0][0], clipped[1][0, 0]], [0.6, 0.8], rtol=1e-6)


@settings(max_examples=80, deadline=None)
@given(K=st.integers(1, 60), s=st.sampled_from([0.0, 0.5, 0.9, 0.98]), seed=st.integers(0, 2**16),
       tail=st.sampled_from(["", "inf", "nan"]))
def test_lr_range_pick_is_sgdlibs_pick_lr(K, s, seed, tail):
    from sgdlib.lr_finder import pick_lr

    rng = np.random.default_rng(seed)
    lrs, losses = np.geomspace(1e-4, 10.0, K), rng.uniform(0.5, 3.0, size=K)
    if tail and K > 2:
        losses[rng.integers(1, K):] = np.inf if tail == "inf" else np.nan
    with np.errstate(invalid="ignore"):  # pick_lr's average meets 0 * inf at s = 0 (and counts it as +inf)
        expected = pick_lr(lrs, losses, s)
    assert PICK(lrs, losses, s) == pytest.approx(expected, rel=1e-12)


def test_lr_range_pick_by_hand_and_its_errors():
    # s = 0.5: a_0 = 0.5, fbar_0 = 1; a_1 = 0.25 + 1.5, fbar_1 = 1.75 / 0.75 = 2.33: the first wins.
    assert PICK(np.array([0.01, 0.1, 1.0]), np.array([1.0, 3.0, 2.0]), 0.5) == pytest.approx(0.001)
    assert PICK(np.array([0.01, 0.1, 1.0]), np.array([3.0, 1.0, np.nan]), 0.0) == pytest.approx(0.01)
    for lrs, losses, message in (([0.1, 1.0], [1.0], "same length"), ([], [], "empty"),
                                 ([0.0, 1.0], [1.0, 2.0], "> 0"), ([0.1, 1.0], [np.nan, 1.0], "first loss")):
        with pytest.raises(ValueError, match=message):
            PICK(np.array(lrs), np.array(losses))


# ---------------------------------------------------------------------------------------------
# The "arrays" kind of returned value: a list of float arrays of different shapes


def _answer(transform):
    def clip_grad_norm(grads, max_norm):
        clipped, total = CLIP.reference(grads, max_norm)
        return transform(clipped), total

    return clip_grad_norm


@pytest.mark.parametrize("transform, check, message", [
    (lambda cs: np.concatenate([c.ravel() for c in cs]), "return type", "clipped is a ndarray; expected a list of NumPy arrays"),
    (lambda cs: [c.tolist() for c in cs], "return type", "clipped[0] is a list; expected a NumPy array of floats"),
    (lambda cs: cs[:-1], "shape", "clipped holds 1 arrays of shapes [(2,)], expected 2 of shapes [(2,), (2, 1)]"),
    (lambda cs: [c.ravel() for c in cs], "shape", "clipped[1] has shape (2,), expected (2, 1)"),
    (lambda cs: [*cs[:-1], 2 * cs[-1]], "values", "wrong value of clipped[1]"),
])
def test_a_list_of_arrays_is_checked_by_count_then_one_by_one(transform, check, message):
    report = grade(CLIP.id, _answer(transform))
    failed = [c for c in report.checks if c.status == "fail"]
    assert report.verdict == "failed" and failed[0].name == check, report
    assert message in failed[0].message, report


def test_an_array_of_a_list_changed_in_place_is_reported_by_its_index():
    def clip_grad_norm(grads, max_norm):
        total = math.sqrt(sum(float(np.sum(np.square(g))) for g in grads))
        grads[-1] = grads[-1] * min(1.0, max_norm / (total + 1e-6))  # replaces the caller's array
        return [g * min(1.0, max_norm / (total + 1e-6)) if k < len(grads) - 1 else g.astype(float)
                for k, g in enumerate(grads)], total

    report = grade(CLIP.id, clip_grad_norm)
    failed = [c for c in report.checks if c.status == "fail"]
    assert report.verdict == "failed" and failed[0].name == "inputs unchanged", report
    assert "changed its input `grads[1]` in place" in failed[0].message


# ---------------------------------------------------------------------------------------------
# Findings of the learner review (review_ex46): wrong answers that passed, misleading hints

SOFTMAX_EX = get_exercise("ch06_softmax_cross_entropy")
DENSE_EX = get_exercise("ch06_dense_relu_backward")
PICK_EXERCISE = get_exercise("ch06_lr_range_pick")


def _hints(exercise, fn):
    report = grade(exercise.id, fn)
    assert report.verdict == "failed", report
    return " | ".join(report.hints)


def test_returning_the_callers_arrays_when_nothing_is_clipped_fails():
    def clip_grad_norm(grads, max_norm):
        clipped, total = CLIP.reference(grads, max_norm)
        return (grads if total <= max_norm else clipped), total

    report = grade(CLIP.id, clip_grad_norm)
    failed = [c for c in report.checks if c.status == "fail"]
    assert [c.name for c in failed] == ["inputs unchanged"], report
    assert "returns `clipped[0]` as the caller's array `grads[0]` itself" in failed[0].message


def test_the_bias_correction_off_by_one_with_max_k_1_is_caught():
    # lrs (0.1, 1, 10), losses (1, 0.9, 5), s = 0.5: fbar = 1, 0.7 / 0.75 = 0.933, 3.26 -> 1 / 10.
    assert PICK(np.array([0.1, 1.0, 10.0]), np.array([1.0, 0.9, 5.0]), 0.5) == pytest.approx(0.1)

    def pick(lrs, losses, smoothing=0.98):
        a, best, k_best = 0.0, math.inf, 0
        for k, loss in enumerate(losses):
            if not math.isfinite(loss):
                break
            a = smoothing * a + (1 - smoothing) * loss
            if a / (1 - smoothing ** max(k, 1)) < best:
                best, k_best = a / (1 - smoothing ** max(k, 1)), k
        return float(lrs[k_best] / 10)

    assert "wrong power of s" in _hints(PICK_EXERCISE, pick)


def _smoothed_on(losses, s):
    a, out = 0.0, []
    for k, loss in enumerate(losses):
        a = s * a + (1 - s) * loss
        out.append(a / (1 - s ** (k + 1)))
    return np.array(out)


@pytest.mark.parametrize("variant", ["inf then smoothed", "skipped"])
def test_a_pick_after_the_divergence_is_explained(variant):
    def pick(lrs, losses, smoothing=0.98):
        losses = np.asarray(losses, dtype=float)
        if variant == "inf then smoothed":
            with np.errstate(invalid="ignore"):
                values = _smoothed_on(np.where(np.isfinite(losses), losses, np.inf), smoothing)
        else:
            kept = np.isfinite(losses)
            values = np.where(kept, np.nan, np.inf)
            a = 0.0
            for k in np.flatnonzero(kept):
                a = smoothing * a + (1 - smoothing) * losses[k]
                values[k] = a / (1 - smoothing ** (k + 1))
        return float(lrs[int(np.argmin(values))] / 10)

    hints = _hints(PICK_EXERCISE, pick)
    assert "first inf or NaN loss or a step after it" in hints and "whole numbers" not in hints


def test_a_gradient_set_at_the_true_class_only_is_not_called_a_sign_error():
    def sce(logits, y):
        loss, d = SOFTMAX_EX.reference(logits, y)
        only = np.zeros_like(d)
        only[np.arange(len(y)), y] = d[np.arange(len(y)), y]
        return loss, only

    hints = _hints(SOFTMAX_EX, sce)
    assert "signs are wrong" not in hints and "0 for every other class" in hints


def test_gradients_in_another_order_are_named():
    def backward(x, W, b, dout):
        dx, dW, db = DENSE_EX.reference(x, W, b, dout)
        return dW, dx, db

    assert "another order" in _hints(DENSE_EX, backward)


def test_a_division_by_a_zero_warmup_names_the_divisor():
    def schedule(t, lr, W, T, f=0.01, eta_min=0.0):
        frac = t / W
        if t < W:
            return lr * (f + (1 - f) * frac)
        return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * (t - W) / T)) / 2

    assert "you divide by `W`, which is 0 in this case" in _hints(get_exercise("ch06_warmup_cosine_lr"), schedule)


def test_the_clip_eps_outside_the_denominator_is_named_although_it_raises():
    def clip_grad_norm(grads, max_norm):
        total = math.sqrt(sum(float(np.sum(np.square(g))) for g in grads))
        c = min(1.0, max_norm / total + 1e-6)
        return [np.asarray(g, dtype=float) * c for g in grads], total

    assert "1e-6 is added to the factor" in _hints(CLIP, clip_grad_norm)
