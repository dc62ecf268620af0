"""What a learner sees when a graded cell fails: the report alone, a pointer to the cell to run
first, and a progress table that names each exercise's notebook and why it failed.

IPython shows an exception through its ``_render_traceback_`` hook when the class has one, and a
custom handler (``set_custom_exc``) handles ``NameError``; both are checked through a real
``InteractiveShell`` and a real Jupyter kernel, where nbgrader must still see a failed cell.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from sgdlib.grading import CheckFailed, check
from sgdlib.grading.progress import Row, _chapter, _status, execute_notebook, format_table

REPO = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
NAME_ERROR_HINT = ("NameError: `gradient_descent` is not defined yet: run the cell that defines it first "
                   "(Exercise 2 of chapter 1, the cell starting `def gradient_descent`), then this one.")


def test_check_raises_an_assertion_error_that_ipython_shows_as_one_line(capsys):
    with pytest.raises(CheckFailed) as info:
        check("ch01_largest_stable_lr", lambda H: 1.0)
    assert isinstance(info.value, AssertionError)  # nbgrader and pytest count it as a failure
    assert str(info.value) == "ch01_largest_stable_lr: values: wrong value of lr_max"
    assert info.value._render_traceback_() == [
        "CheckFailed: ch01_largest_stable_lr: values: wrong value of lr_max"]
    assert capsys.readouterr().out.startswith("NOT YET  ch01_largest_stable_lr")


# --- in IPython's InteractiveShell --------------------------------------------------------------


SHELL_SCRIPT = textwrap.dedent('''
    from traitlets.config import Config
    from IPython.core.interactiveshell import InteractiveShell

    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    cells = [
        "from sgdlib.grading import check",
        "check('ch01_largest_stable_lr', lambda H: 1.0)",
        "check('ch01_gradient_descent', gradient_descent)",
        "undefined_thing + 1",
        "print('after', 1 + 1)",
    ]
    for code in cells:
        print("=== cell", flush=True)
        result = shell.run_cell(code)
        print("=== error", type(result.error_in_exec).__name__, flush=True)
''')


@pytest.fixture(scope="module")
def shell_cells(tmp_path_factory) -> list[tuple[str, str]]:
    """(output, error type name) of each cell of SHELL_SCRIPT, run in a fresh InteractiveShell."""
    env = dict(os.environ, IPYTHONDIR=str(tmp_path_factory.mktemp("ipython")))
    result = subprocess.run([sys.executable, "-c", SHELL_SCRIPT], capture_output=True, text=True,
                            cwd=REPO, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    cells = []
    for chunk in ANSI.sub("", result.stdout).split("=== cell\n")[1:]:
        output, error = chunk.rsplit("=== error ", 1)
        cells.append((output, error.strip()))
    return cells


def test_ipython_shows_a_failing_check_as_its_report_and_one_line(shell_cells):
    output, error = shell_cells[1]
    assert error == "CheckFailed"
    report, last = output.rstrip("\n").rsplit("\n", 1)
    assert report.startswith("NOT YET  ch01_largest_stable_lr") and "✗ values" in report
    assert last == "CheckFailed: ch01_largest_stable_lr: values: wrong value of lr_max"
    assert "Traceback" not in output and "checker.py" not in output


def test_ipython_says_which_cell_to_run_first_for_a_missing_exercise_function(shell_cells):
    output, error = shell_cells[2]
    assert error == "NameError"  # the cell still fails
    assert output.strip() == NAME_ERROR_HINT


def test_ipython_shows_other_name_errors_as_usual(shell_cells):
    output, error = shell_cells[3]
    assert error == "NameError"
    assert "NameError" in output and "name 'undefined_thing' is not defined" in output
    assert "Exercise" not in output
    assert shell_cells[4] == ("after 2\n", "NoneType")


# --- in a real Jupyter kernel, graded by nbgrader's rule ------------------------------------------


def _graded(source: str, grade_id: str, points: int) -> nbformat.NotebookNode:
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "locked": True,
                                 "points": points, "schema_version": 3, "solution": False}
    return cell


@pytest.fixture(scope="module")
def kernel_notebook(tmp_path_factory) -> nbformat.NotebookNode:
    nb = new_notebook(cells=[
        new_code_cell("import numpy as np\nfrom sgdlib.grading import check"),
        new_code_cell("def largest_stable_lr(H):\n    return 1 / np.linalg.eigvalsh(H).max()"),
        _graded("check('ch01_largest_stable_lr', largest_stable_lr)", "ch01_largest_stable_lr", 2),
        _graded("check('ch01_gradient_descent', gradient_descent)", "ch01_gradient_descent", 3),
        new_code_cell("def largest_stable_lr(H):\n    return 2 / np.linalg.eigvalsh(H).max()"),
        _graded("check('ch01_largest_stable_lr', largest_stable_lr)", "ch01_largest_stable_lr", 2),
    ])
    assert execute_notebook(nb, tmp_path_factory.mktemp("kernel"), cell_timeout=60) == ""
    return nb


def _errors(cell) -> list:
    return [o for o in cell.outputs if o.output_type == "error"]


def test_kernel_shows_the_report_and_one_error_line_without_checker_frames(kernel_notebook):
    cell = kernel_notebook.cells[2]
    report, error = cell.outputs
    assert report.output_type == "display_data" and "text/html" in report.data
    assert report.data["text/plain"].startswith("NOT YET  ch01_largest_stable_lr")
    message = "ch01_largest_stable_lr: values: wrong value of lr_max"
    assert (error.ename, error.evalue) == ("CheckFailed", message)
    assert error.traceback == [f"CheckFailed: {message}"]
    assert "checker.py" not in nbformat.writes(kernel_notebook)


def test_kernel_name_error_points_to_the_cell_to_run_first(kernel_notebook):
    (error,) = _errors(kernel_notebook.cells[3])
    assert (error.ename, error.evalue) == ("NameError", "name 'gradient_descent' is not defined")
    assert [ANSI.sub("", line) for line in error.traceback] == [NAME_ERROR_HINT]


def test_nbgrader_still_gives_failed_graded_cells_no_points(kernel_notebook):
    from nbgrader.utils import determine_grade

    cells = kernel_notebook.cells
    assert [determine_grade(cells[i]) for i in (2, 3, 5)] == [(0, 2.0), (0, 3.0), (2.0, 2.0)]


# --- progress: the notebook and the reason of each exercise ---------------------------------------


def _cell_with_error(ename: str, evalue: str) -> nbformat.NotebookNode:
    cell = new_code_cell("check(...)")
    cell.execution_count = 3
    cell.outputs = [nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[])]
    return cell


@pytest.mark.parametrize("ename, evalue, status, reason", [
    ("CheckFailed", "ch01_gradient_descent: values: wrong value of the final point (last row)",
     "failed", "values: wrong value of the final point (last row)"),
    ("CheckFailed", "ch01_gradient_descent: not attempted yet: write your code in `gradient_descent`",
     "not attempted", ""),
    ("NameError", "name 'gradient_descent' is not defined",
     "failed", "NameError: name 'gradient_descent' is not defined"),
    ("AssertionError", "", "failed", "AssertionError"),  # a hidden test's bare assert
    ("ValueError", "first line\nsecond line", "failed", "ValueError: first line"),
])
def test_progress_reads_status_and_first_line_of_the_reason(ename, evalue, status, reason):
    assert _status(_cell_with_error(ename, evalue), "ch01_gradient_descent") == (status, reason)


def test_progress_takes_the_chapter_from_the_exercise():
    assert [_chapter(e) for e in ("ch01_numerical_gradient", "ch02_sgd")] == ["1", "2"]
    assert _chapter("ch07_not_an_exercise") == "?"  # its graded cell fails with a KeyError anyway


def test_progress_status_of_a_passed_and_an_unrun_cell():
    passed = new_code_cell("check(...)")
    passed.execution_count = 1
    assert _status(passed, "ch01_x") == ("passed", "")
    assert _status(new_code_cell("check(...)"), "ch01_x") == ("not run", "")


def test_progress_table_lines_up_notebook_exercise_and_reason():
    table = format_table([
        Row("01_exercises_gradient_descent.ipynb", "1", "gradient_descent", 3, "failed",
            "values: wrong value of the final point (last row)"),
        Row("02_exercises_sgd.ipynb", "2", "sgd_step", 2, "passed"),
    ]).splitlines()
    assert table[0].split() == ["chapter", "notebook", "exercise", "points", "status"]
    assert table[1].split()[:5] == ["1", "01_exercises_gradient_descent.ipynb", "gradient_descent", "0/3",
                                    "failed:"]
    assert table[1].endswith("failed: values: wrong value of the final point (last row)")
    assert table[2].split() == ["2", "02_exercises_sgd.ipynb", "sgd_step", "2/2", "passed"]
    column = table[0].index("exercise")
    assert table[1].index(" gradient_descent ") + 1 == table[2].index("sgd_step") == column
    assert table[-1].split() == ["total", "2/5", "1", "of", "2", "exercises", "passed"]


def test_progress_cli_names_the_notebook_and_why_each_exercise_failed(tmp_path):
    nb = new_notebook(cells=[
        new_code_cell("import numpy as np\nfrom sgdlib.grading import check"),
        new_code_cell("def largest_stable_lr(H):\n    return 1 / np.linalg.eigvalsh(H).max()"),
        _graded("check('ch01_largest_stable_lr', largest_stable_lr)", "ch01_largest_stable_lr", 2),
        _graded("check('ch01_gradient_descent', gradient_descent)", "ch01_gradient_descent", 3),
    ])
    nbformat.write(nb, tmp_path / "my_exercises.ipynb")
    result = subprocess.run([sys.executable, "-m", "sgdlib", "progress", str(tmp_path)], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    rows = result.stdout.split("\n\n", 1)[1].splitlines()
    assert rows[1].split()[:5] == ["1", "my_exercises.ipynb", "largest_stable_lr", "0/2", "failed:"]
    assert rows[1].endswith("failed: values: wrong value of lr_max")
    assert rows[2].endswith("failed: NameError: name 'gradient_descent' is not defined")
    assert rows[3].split()[:2] == ["total", "0/5"]


def test_format_table_keeps_working_without_reasons():
    # The reason is optional: rows made by older code, or passed ones, have none.
    assert format_table([Row("a.ipynb", "1", "x", 1.5, "passed")]).splitlines()[1].split() == \
        ["1", "a.ipynb", "x", "1.5/1.5", "passed"]
    assert np.isclose(Row("a.ipynb", "1", "x", 1.5, "failed", "why").score, 0.0)
