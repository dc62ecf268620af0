"""Chapter 2's exercise notebook and checkers, and the random generator an exercise is given.

What tests/test_exercises_ch01.py checks for every exercise notebook (the committed exercises
equal a fresh generation, progress and its CLI, learners' answers surviving regeneration, a hang
or a print flood) is not repeated here. This file checks what is chapter 2's own: its notebook
declares its four exercises, runs blank with "not attempted" everywhere, every probe rejects
its mistake with its own hint, the notebook's solutions pass; and the design that lets `sgd`
take a ``numpy.random.Generator``: each call gets a fresh generator in the same state, advancing
it is not a changed input, and numpy's global random state is detected and left as it was.
The notebook's checks are the ones every chapter shares (tests/exercise_helpers.py), with one
notebook execution (a kernel start) for them all.
"""

from __future__ import annotations

import numpy as np

from sgdlib.grading import get_exercise, grade
from sgdlib.grading.core import Case, Fresh, seeded_generator
from sgdlib.grading.sandbox import run
from exercise_helpers import ExerciseNotebookChecks


class TestNotebook(ExerciseNotebookChecks):
    CHAPTER = 2
    NOTEBOOK = "02_exercises_stochastic_gradient_descent.ipynb"


# ---------------------------------------------------------------------------------------------
# A numpy Generator as an argument


def test_each_call_gets_its_own_generator_in_the_same_state():
    case = Case((seeded_generator(3), 5))
    first, second = case.call_args()[0], case.call_args()[0]
    assert first is not second
    drawn = first.permutation(10)
    assert np.array_equal(second.permutation(10), drawn)  # unaffected by what `first` drew
    assert repr(case.args[0]) == "np.random.default_rng(3)"  # how a failing case shows it


def test_a_sandboxed_call_leaves_the_callers_generator_where_it_was():
    rng = np.random.default_rng(0)
    before = rng.bit_generator.state
    (outcome,) = run(lambda r: r.permutation(5), [(rng,)], timeout=3)
    assert outcome.status == "ok" and np.array_equal(outcome.value, np.random.default_rng(0).permutation(5))
    assert rng.bit_generator.state == before


def test_advancing_the_generator_is_not_a_changed_input():
    reference = get_exercise("ch02_sgd").reference

    def sgd_draws_once_more(grad_example, theta0, n, lr, n_epochs, rng):
        trajectory = reference(grad_example, theta0, n, lr, n_epochs, rng)
        rng.random(100)  # advances the generator further, after the run
        return trajectory

    report = grade("ch02_sgd", sgd_draws_once_more)
    assert report.passed, report


def test_a_function_that_draws_from_numpys_global_state_is_told_so():
    def sgd_global_choice(grad_example, theta0, n, lr, n_epochs, rng):
        theta = np.array(theta0, dtype=float)
        trajectory = [theta]
        for _ in range(n_epochs):
            for i in np.random.choice(n, size=n, replace=False):  # the global state's permutation
                theta = theta - lr * grad_example(theta, i)
                trajectory.append(theta)
        return np.array(trajectory)

    report = grade("ch02_sgd", sgd_global_choice)
    assert report.verdict == "failed" and "numpy's global random state" in report.hints[0]


def test_checking_leaves_the_kernels_global_random_state_alone():
    np.random.seed(12345)
    before = np.random.get_state()
    grade("ch02_sgd", lambda grad_example, theta0, n, lr, n_epochs, rng:
          np.random.permutation(np.zeros((n_epochs * n + 1, np.size(theta0)))))
    after = np.random.get_state()
    assert all(np.array_equal(a, b) for a, b in zip(before, after))


def test_fresh_arguments_are_built_by_their_factory():
    calls = []
    fresh = Fresh(lambda: calls.append(1) or len(calls), "a counter")
    case = Case((fresh, 2))
    assert case.call_args() == (1, 2) and case.call_args() == (2, 2)
    assert case.size == 0  # a Fresh argument is not an array
