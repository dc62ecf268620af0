"""Chapter 2's exercise notebook and checkers, and the random generator an exercise is given.

What tests/test_exercises_ch01.py checks for every exercise notebook (the committed exercises
equal a fresh generation, progress and its CLI, learners' answers surviving regeneration, a hang
or a print flood) is not repeated here. This file checks what is chapter 2's own: its notebook
declares its four exercises, runs blank with "not attempted" everywhere, every probe rejects
its mistake with its own hint, the notebook's solutions pass; and the design that lets `sgd`
take a ``numpy.random.Generator``: each call gets a fresh generator in the same state, advancing
it is not a changed input, and numpy's global random state is detected and left as it was.
The one notebook execution (a kernel start) is shared by the tests through a module fixture.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pytest

from sgdlib.grading import all_exercises, get_exercise, grade
from sgdlib.grading.checker import OTHER_RANDOMNESS_HINT
from sgdlib.grading.core import Case, Fresh, seeded_generator
from sgdlib.grading.generate import generate_notebook
from sgdlib.grading.progress import execute_notebook
from sgdlib.grading.report import CheckFailed
from sgdlib.grading.sandbox import run

REPO = Path(__file__).resolve().parents[1]
CH02 = "02_exercises_stochastic_gradient_descent.ipynb"
CH02_SOLUTION = REPO / "solutions" / CH02
CHAPTER_2 = [e for e in all_exercises().values() if e.chapter == 2]
PROBES = [(e.id, probe, k) for e in CHAPTER_2 for probe in e.probes for k in range(len(probe.mistakes))]


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def _stub(nb, exercise_id: str):
    return next(c for c in nb.cells if _meta(c).get("grade_id") == f"{exercise_id}_solution")


@pytest.fixture(scope="module")
def solution():
    return nbformat.read(CH02_SOLUTION, as_version=4)


@pytest.fixture(scope="module")
def blank_run(solution, tmp_path_factory):
    """A fresh generation of the exercise notebook, executed once in a fresh kernel."""
    nb = generate_notebook(solution)
    assert execute_notebook(nb, tmp_path_factory.mktemp("blank")) == ""
    return nb


def test_solution_notebook_declares_the_four_chapter_2_exercises(solution):
    graded = {_meta(c)["grade_id"]: c for c in solution.cells if _meta(c).get("grade")}
    assert len(CHAPTER_2) == 4 and set(graded) == {e.id for e in CHAPTER_2}
    assert sum(_meta(c)["points"] for c in graded.values()) == 10
    for exercise in CHAPTER_2:
        cell, points = graded[exercise.id], _meta(graded[exercise.id])["points"]
        assert _meta(cell)["locked"] and points > 0
        assert f'check("{exercise.id}", {exercise.function_name})' in cell.source
        stub = _stub(solution, exercise.id).source
        # The docstring: signature, exercise number and points, the shapes.
        assert f"def {exercise.function_name}({', '.join(exercise.arg_names)}):" in stub
        assert f"(exercise {exercise.number}, {points} points)" in stub
        assert "shape" in stub.split("### BEGIN SOLUTION")[0]
    assert all(c.execution_count is not None for c in solution.cells if c.cell_type == "code")


def test_blank_notebook_says_not_attempted_and_its_try_it_cells_wait(blank_run):
    code = [c for c in blank_run.cells if c.cell_type == "code"]
    graded = [c for c in code if _meta(c).get("grade")]
    assert len(graded) == 4
    for cell in graded:
        (error,) = [o for o in cell.outputs if o.output_type == "error"]
        assert error.ename == CheckFailed.__name__ and "not attempted" in error.evalue
    others = [c for c in code if c not in graded]
    assert not [o for c in others for o in c.outputs if o.output_type == "error"]
    try_cells = [c for c in others if "try_it()" in c.source]
    assert len(try_cells) == 4
    for cell in try_cells:  # the friendly line only: no half-drawn figure
        assert [o.output_type for o in cell.outputs] == ["stream"]
        assert "is not written yet" in cell.outputs[0].text


@pytest.mark.parametrize("exercise", CHAPTER_2, ids=lambda e: e.id)
def test_the_reference_and_the_notebooks_own_solution_pass(exercise, solution):
    assert grade(exercise.id, exercise.reference).passed
    namespace = {"np": np}
    exec(_stub(solution, exercise.id).source, namespace)  # written differently from the reference
    report = grade(exercise.id, namespace[exercise.function_name])
    assert report.passed, report


@pytest.mark.parametrize("exercise_id, probe, k", PROBES,
                         ids=[f"{e}-{p.name}-{k}" for e, p, k in PROBES])
def test_each_probe_rejects_its_mistake_with_its_own_hint(exercise_id, probe, k):
    report = grade(exercise_id, probe.mistakes[k])
    assert report.verdict == "failed"
    assert report.hints[0] == probe.hint, report
    assert OTHER_RANDOMNESS_HINT not in report.hints


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
