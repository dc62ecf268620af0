"""A wrong answer to an exercise, as a learner meets it in JupyterLab, in every chapter.

The learner opens a chapter's exercise notebook, types a common wrong answer into one solution
cell (chapter 1: a forward difference for ``numerical_gradient``; chapter 2: an ``sgd`` that
shuffles once instead of every epoch; chapter 3: a ``minibatch_indices`` that always drops the
last, smaller batch) and runs the notebook. The graded cell must show
``check``'s report, saying the answer is not right yet, with its hint, and nothing else: no
Python traceback under it (no "Traceback", no "checker.py" frame, no "AssertionError"), while
the cell still fails for nbgrader. No nbgrader UI and no news pop-up either. Run All stops at
the first failing graded cell, so each notebook costs a kernel start and a few cells. The
screenshots go to ``tests/browser/screenshots/exercise-wrong-answer-chNN.png``.
"""

from __future__ import annotations

import numpy as np
import pytest

from sgdlib.grading import grade

from .jupyterlab import (
    CELL, TRACEBACK_TEXT, Timeouts, answer_exercise, evidence_on_failure, grading_ui, news_popup,
    retry_once_on_timeout, show,
)
from .labserver import REPO

pytestmark = pytest.mark.browser

#: One wrong answer per chapter: the exercise it answers and the code typed.
WRONG_ANSWERS = {
    # A forward difference, (f(x + h e_i) - f(x)) / h: right to about h, not to 1e-9.
    1: ("ch01_numerical_gradient", '''def numerical_gradient(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.size):
        step = np.zeros_like(x)
        step.flat[i] = h
        grad.flat[i] = (f(x + step) - f(x)) / h
    return grad
'''),
    # One order for every epoch: shuffled once, before the epoch loop.
    2: ("ch02_sgd", '''def sgd(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    order = rng.permutation(n)
    for epoch in range(n_epochs):
        for i in order:
            theta = theta - lr * grad_example(theta, i)
            trajectory.append(theta)
    return np.array(trajectory)
'''),
    # The last, smaller batch always dropped: n // batch_size batches, drop_last or not.
    3: ("ch03_minibatch_indices", '''def minibatch_indices(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n)
    return [order[k * batch_size:(k + 1) * batch_size] for k in range(n // batch_size)]
'''),
    # The Sutskever form (velocity with the learning rate inside) where torch's form was asked for.
    4: ("ch04_heavy_ball_step", '''def heavy_ball_step(theta, buf, grad, lr, momentum):
    if buf is None:
        buf = np.zeros_like(theta)
    velocity = momentum * buf - lr * grad
    return theta + velocity, velocity
'''),
    # AdaGrad summing |g| where the square belongs. (The first exercise of the notebook: Run All
    # stops at the first failing graded cell, as it does for a learner.)
    5: ("ch05_adagrad_step", '''def adagrad_step(theta, grad, state, lr=0.01, eps=1e-10):
    total = state.get("sum", np.zeros_like(theta, dtype=float)) + np.abs(grad)
    new_state = {"step": state.get("step", 0) + 1, "sum": total}
    return theta - lr * grad / (np.sqrt(total) + eps), new_state
'''),
    # Softmax without subtracting the row maximum: overflows for logits near 1000.
    6: ("ch06_softmax_cross_entropy", '''def softmax_cross_entropy(logits, y):
    B = len(y)
    P = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(P[np.arange(B), y]))
    onehot = np.eye(logits.shape[1])[y]
    return float(loss), (P - onehot) / B
'''),
}
NOTEBOOKS = sorted(p.name for p in (REPO / "exercises").glob("[0-9][0-9]_exercises_*.ipynb"))


def _words(text: str) -> str:
    return " ".join(text.split())


def test_every_exercise_notebook_has_a_wrong_answer_here():
    assert sorted(WRONG_ANSWERS) == [int(name[:2]) for name in NOTEBOOKS]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_a_wrong_answer_shows_the_report_and_no_traceback(notebook, lab, page, screenshot_dir):
    chapter = int(notebook[:2])
    exercise_id, wrong_answer = WRONG_ANSWERS[chapter]
    # What check() says about this answer, computed here, is what the page must show.
    namespace = {"np": np}
    exec(wrong_answer, namespace)
    expected = grade(exercise_id, namespace[exercise_id.split("_", 1)[1]])
    assert not expected.passed, "the 'wrong' answer passes: pick another mistake for this test"
    assert expected.hints, "pick a wrong answer that check() names, to show a hint"
    heading = str(expected).splitlines()[0]

    relpath = f"exercises/{notebook}"
    shot = screenshot_dir / f"exercise-wrong-answer-ch{chapter:02d}.png"
    with evidence_on_failure(page, lab, screenshot_dir / f"exercise-wrong-answer-ch{chapter:02d}-failed.png"):
        attempt = retry_once_on_timeout(lab, relpath, lambda: answer_exercise(
            page, lab.url, lab.root_dir, relpath, exercise_id, wrong_answer, Timeouts()
        ))
        show(page, page.locator(CELL).nth(attempt.graded_cell))
        page.screenshot(path=str(shot))
        grading, news = grading_ui(page), news_popup(page)
    print(f"{relpath}: graded cell {attempt.graded_cell} shows:\n{attempt.output}\n"
          f"screenshot: {shot}")

    assert _words(wrong_answer) == _words(attempt.typed), (
        f"the solution cell shows {attempt.typed!r}, not the answer typed"
    )
    assert attempt.ran, f"{relpath}: Run All Cells did not reach the graded cell"
    assert _words(heading) in _words(attempt.report), (
        f"the graded cell does not show check's report {heading!r}; it shows:\n{attempt.output}"
    )
    assert _words(expected.hints[0])[:60] in _words(attempt.report), "the report shows no hint"
    # The issue 9 fix (the report alone, via IPython's _render_traceback_): nothing that looks
    # like a traceback under the report.
    leftover = TRACEBACK_TEXT.findall(attempt.output)
    assert not leftover, (
        f"a traceback is shown under the report ({sorted(set(leftover))}):\n{attempt.output}"
    )
    assert not grading, f"the learner's JupyterLab shows nbgrader's grading tools {grading}"
    assert not news, "JupyterLab shows the 'official Jupyter news?' pop-up"
