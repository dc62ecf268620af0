"""Chapter 3's exercise notebook and checkers, and the "index arrays" kind of returned value.

What tests/test_exercises_ch01.py checks for every exercise notebook (the committed exercises
equal a fresh generation, progress and its CLI, learners' answers surviving regeneration, a hang
or a print flood) and what tests/test_exercises_ch02.py checks about a generator argument are
not repeated here. This file checks what is chapter 3's own: its notebook declares its four
exercises, runs blank with "not attempted" everywhere, every probe rejects its mistake with its
own hint, the notebook's solutions pass, the references agree with sgdlib and chapter 1 where
they overlap, and ``check`` reports a list of index arrays (the batches of ``minibatch_indices``)
one array at a time. The notebook's checks are the ones every chapter shares
(tests/exercise_helpers.py), with one notebook execution (a kernel start) for them all.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgdlib.data import DataLoader
from sgdlib.grading import get_exercise, grade
from sgdlib.grading.core import Output
from exercise_helpers import ExerciseNotebookChecks

INDICES = get_exercise("ch03_minibatch_indices")


class TestNotebook(ExerciseNotebookChecks):
    CHAPTER = 3
    NOTEBOOK = "03_exercises_mini_batches.ipynb"
    SIGNATURE_END = ""  # drop_last has a default


# ---------------------------------------------------------------------------------------------
# The references against other sources


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 40), batch_size=st.integers(1, 50), drop_last=st.booleans(), seed=st.integers(0, 2**16))
def test_the_batches_of_an_epoch_partition_the_data_as_the_dataloaders_do(n, batch_size, drop_last, seed):
    batches = INDICES.reference(n, batch_size, np.random.default_rng(seed), drop_last)
    sizes = [len(b) for b in batches]
    used = np.concatenate(batches) if batches else np.array([], dtype=int)
    assert len(set(used.tolist())) == used.size  # no example twice
    if drop_last:
        assert sizes == [batch_size] * (n // batch_size)
    else:
        assert sizes == [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
        assert sorted(used.tolist()) == list(range(n))
    if not (drop_last and batch_size > n):  # DataLoader refuses an epoch with no batch
        loader = DataLoader(np.zeros((n, 1)), np.arange(n), batch_size=batch_size,
                            rng=np.random.default_rng(seed), drop_last=drop_last)
        assert [yb.tolist() for _, yb in loader] == [b.tolist() for b in batches]


def test_the_minibatch_gradient_of_every_example_is_chapter_1s_mse_gradient():
    rng = np.random.default_rng(0)
    X, y, theta = rng.normal(size=(7, 3)), rng.normal(size=7), rng.normal(size=3)
    _, full = get_exercise("ch01_mse_loss_and_grad").reference(theta, X, y)
    minibatch_grad = get_exercise("ch03_minibatch_grad").reference
    assert np.allclose(minibatch_grad(theta, X, y, rng.permutation(7)), full, rtol=1e-12)
    # An index twice counts twice: the mean over [0, 0, 1] weights example 0 by 2/3.
    rows = [minibatch_grad(theta, X, y, np.array([i])) for i in (0, 1)]
    assert np.allclose(minibatch_grad(theta, X, y, np.array([0, 0, 1])), (2 * rows[0] + rows[1]) / 3)


def test_the_warmup_edge_cases_are_as_documented():
    schedule = get_exercise("ch03_warmup_linear_scaling_lr").reference
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no division by warmup_steps = 0
        assert np.array_equal(schedule(0.1, 64, 32, 0, 3), [0.2, 0.2, 0.2])
    assert np.allclose(schedule(0.1, 64, 32, 4, 6), [0.05, 0.1, 0.15, 0.2, 0.2, 0.2])
    assert np.allclose(schedule(0.1, 64, 32, 10, 3), [0.02, 0.04, 0.06])  # never reaches 0.2
    assert schedule(1, 48, 32, 2, 0).shape == (0,)


def test_the_noise_scale_is_the_covariance_trace_over_the_squared_gradient_and_inf_at_g_0():
    noise_scale = get_exercise("ch03_gradient_noise_scale").reference
    G = np.random.default_rng(1).normal(size=(30, 4)) + 0.5
    g = G.mean(axis=0)
    assert np.isclose(noise_scale(G), np.trace(np.cov(G.T, bias=True)) / (g @ g), rtol=1e-12)
    assert noise_scale(np.array([[1.0, -2.0], [-1.0, 2.0]])) == np.inf
    assert noise_scale(np.array([[2.0, 1.0]])) == 0.0  # one example: no noise


# ---------------------------------------------------------------------------------------------
# The "index arrays" kind of returned value


def test_an_unknown_output_kind_is_refused():
    with pytest.raises(ValueError, match="Output.kind must be one of"):
        Output("batches", "list")


def _answer(transform):
    def minibatch_indices(n, batch_size, rng, drop_last=False):
        return transform(INDICES.reference(n, batch_size, rng, drop_last))

    return minibatch_indices


@pytest.mark.parametrize("transform, check, message", [
    (lambda bs: np.concatenate(bs) if bs else np.array([], dtype=int), "return type", "batches is one 1-D array; expected a list of 1-D integer arrays"),
    (lambda bs: [b.tolist() for b in bs], "return type", "batches[0] is a list; expected a NumPy integer array"),
    (lambda bs: [b.astype(float) for b in bs], "return type", "batches[0] has dtype float64; expected integers"),
    (lambda bs: [b[:, None] for b in bs], "return type", "batches[0] is a 2-D array"),
    (lambda bs: bs + [np.array([], dtype=int)], "shape",
     "batches holds 4 arrays of lengths [4, 4, 2, 0], expected 3 of lengths [4, 4, 2]"),
    (lambda bs: [np.concatenate(bs[:2]), *bs[2:]] if len(bs) > 1 else bs, "shape",
     "batches holds 2 arrays of lengths [8, 2], expected 3 of lengths [4, 4, 2]"),
    (lambda bs: [b[:-1] if k == 1 else b for k, b in enumerate(bs)], "shape",
     "batches[1] has shape (3,), expected (4,)"),
    (lambda bs: [b[::-1] if k == 1 else b for k, b in enumerate(bs)], "values", "wrong value of batches[1]"),
])
def test_index_arrays_are_checked_by_count_then_one_by_one(transform, check, message):
    report = grade(INDICES.id, _answer(transform))
    failed = [c for c in report.checks if c.status == "fail"]
    assert report.verdict == "failed" and failed[0].name == check, report
    assert message in failed[0].message, report


def test_a_wrong_batch_is_shown_next_to_the_expected_one():
    report = grade(INDICES.id, _answer(lambda bs: [np.sort(b) for b in bs]))
    # The first case: n = 10, B = 4, drawn from np.random.default_rng(0).
    expected = INDICES.reference(10, 4, np.random.default_rng(0))[0]
    assert f"expected {expected.tolist()}" in report.detail
    assert f"got      {np.sort(expected).tolist()}" in report.detail
