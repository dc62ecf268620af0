"""A wrong answer to an exercise, as a learner meets it in JupyterLab.

The learner opens chapter 1's exercise notebook, types a wrong ``numerical_gradient`` (a forward
difference, the most common mistake) into its solution cell and runs the notebook. The graded
cell must show ``check``'s report, saying the answer is not right yet, and nothing else: no
Python traceback under it (no "Traceback", no "checker.py" frame, no "AssertionError"), while
the cell still fails for nbgrader. No nbgrader UI and no news pop-up either. The screenshot
goes to ``tests/browser/screenshots/exercise-wrong-answer.png``.
"""

from __future__ import annotations

import numpy as np
import pytest

from sgdlib.grading import grade

from .jupyterlab import (
    CELL, TRACEBACK_TEXT, Timeouts, answer_exercise, grading_ui, news_popup,
    retry_once_on_timeout, show,
)
from .labserver import REPO

pytestmark = pytest.mark.browser

EXERCISE_ID = "ch01_numerical_gradient"
#: A forward difference, (f(x + h e_i) - f(x)) / h: right to about h, not to 1e-9.
WRONG_ANSWER = '''def numerical_gradient(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.size):
        step = np.zeros_like(x)
        step.flat[i] = h
        grad.flat[i] = (f(x + step) - f(x)) / h
    return grad
'''


def _exercise_notebook() -> str:
    found = sorted((REPO / "exercises").glob("01_*.ipynb"))
    assert len(found) == 1, f"expected one chapter 1 exercise notebook in exercises/: {found}"
    return f"exercises/{found[0].name}"


def _words(text: str) -> str:
    return " ".join(text.split())


def test_a_wrong_answer_shows_the_report_and_no_traceback(lab, page, screenshot_dir):
    # What check() says about this answer, computed here, is what the page must show.
    namespace = {"np": np}
    exec(WRONG_ANSWER, namespace)
    expected = grade(EXERCISE_ID, namespace["numerical_gradient"])
    assert not expected.passed, "the 'wrong' answer passes: pick another mistake for this test"
    heading = str(expected).splitlines()[0]

    relpath = _exercise_notebook()
    shot = screenshot_dir / "exercise-wrong-answer.png"
    try:
        attempt = retry_once_on_timeout(lab, relpath, lambda: answer_exercise(
            page, lab.url, lab.root_dir, relpath, EXERCISE_ID, WRONG_ANSWER, Timeouts()
        ))
        show(page, page.locator(CELL).nth(attempt.graded_cell))
        page.screenshot(path=str(shot))
        grading, news = grading_ui(page), news_popup(page)
    except Exception:
        page.screenshot(path=str(screenshot_dir / "exercise-wrong-answer-failed.png"))
        print(f"End of the JupyterLab log:\n{lab.log_tail()}")
        raise
    finally:
        lab.shutdown_kernels()
    print(f"{relpath}: graded cell {attempt.graded_cell} shows:\n{attempt.output}\n"
          f"screenshot: {shot}")

    assert _words(WRONG_ANSWER) == _words(attempt.typed), (
        f"the solution cell shows {attempt.typed!r}, not the answer typed"
    )
    assert attempt.ran, f"{relpath}: Run All Cells did not reach the graded cell"
    assert _words(heading) in _words(attempt.report), (
        f"the graded cell does not show check's report {heading!r}; it shows:\n{attempt.output}"
    )
    # The issue 9 fix (the report alone, via IPython's _render_traceback_): nothing that looks
    # like a traceback under the report.
    leftover = TRACEBACK_TEXT.findall(attempt.output)
    assert not leftover, (
        f"a traceback is shown under the report ({sorted(set(leftover))}):\n{attempt.output}"
    )
    assert not grading, f"the learner's JupyterLab shows nbgrader's grading tools {grading}"
    assert not news, "JupyterLab shows the 'official Jupyter news?' pop-up"
