"""The exercise notebooks: generated from solutions/, runnable blank, and graded by `progress`.

Learners fill in exercises/ in place, so no test here reads the working-tree exercise notebook
as "the blank exercise": they use a fresh generation in a temporary folder, and the
"exercises are up to date" test accepts the committed version (git HEAD).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from sgdlib.grading.generate import (NOTEBOOKS, committed_text, generate_all, generate_notebook,
                                     matches_generation)
from sgdlib.grading.progress import execute_notebook, find_notebooks, grade_notebook
from exercise_helpers import ExerciseNotebookChecks

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((REPO / "solutions").glob(NOTEBOOKS))
CH01 = "01_exercises_gradient_descent.ipynb"
CH01_SOLUTION = REPO / "solutions" / CH01


@pytest.fixture(scope="module")
def blank_exercises(tmp_path_factory) -> Path:
    """A folder with a fresh generation of every exercise notebook (never the learner's copy)."""
    folder = tmp_path_factory.mktemp("blank") / "exercises"
    generate_all(REPO / "solutions", folder)
    return folder


def _execute(nb, cwd: Path, timeout: float = 60):
    """Run a notebook in a fresh kernel of this Python, carrying on past errors; return it."""
    assert execute_notebook(nb, cwd, timeout) == ""
    return nb


def _errors(cell):
    return [o for o in cell.outputs if o.output_type == "error"]


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_committed_exercise_equals_a_fresh_generation(solution):
    exercise = REPO / "exercises" / solution.name
    assert exercise.exists() or committed_text(exercise) is not None, f"run `make exercises`: {exercise} is missing"
    assert matches_generation(solution, exercise), (
        f"{exercise} (as committed, and as in your folder) differs from a fresh generation of {solution}: "
        f"run `make exercises` (it first moves a changed exercise notebook, e.g. your answers, to "
        f"exercises/.backup/<name>-<date>-<time>.ipynb)")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid",
                    "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git program")
def test_learner_answers_in_exercises_pass_the_check_and_survive_regeneration(tmp_path, capsys):
    # The repo layout in a temporary git checkout; the real exercises/ is never touched.
    course = tmp_path / "course"
    (course / "solutions").mkdir(parents=True)
    shutil.copy(CH01_SOLUTION, course / "solutions" / CH01)
    generate_all(course / "solutions", course / "exercises")
    _git(course, "init", "-q")
    _git(course, "add", "solutions", "exercises")
    _git(course, "commit", "-q", "-m", "course")
    exercise = course / "exercises" / CH01
    committed = exercise.read_text()

    # The learner fills in an answer and saves.
    nb = nbformat.read(exercise, as_version=4)
    stub = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                == "ch01_largest_stable_lr_solution")
    stub.source = "def largest_stable_lr(H):\n    return 2 / np.linalg.eigvalsh(H).max()"
    nbformat.write(nb, exercise)
    learner = exercise.read_text()

    # The up-to-date check reads the committed version, so it still passes ...
    assert committed_text(exercise) == committed != learner
    assert matches_generation(course / "solutions" / CH01, exercise)
    # ... while a committed exercise that is stale (a hand edit) still fails it.
    nbformat.write(nb, exercise)
    _git(course, "commit", "-q", "-am", "hand edit")
    assert not matches_generation(course / "solutions" / CH01, exercise)
    _git(course, "reset", "-q", "--hard", "HEAD~1")
    nbformat.write(nb, exercise)

    # `make exercises` moves the learner's notebook to exercises/.backup/ and says where.
    from sgdlib.grading.generate import main
    assert main(["--solutions", str(course / "solutions"), "--exercises", str(course / "exercises")]) == 0
    (saved,) = (course / "exercises" / ".backup").glob(f"{Path(CH01).stem}-*.ipynb")
    assert saved.read_text() == learner and exercise.read_text() == committed
    assert f"moved them to {saved}" in capsys.readouterr().out
    # Backups are ignored by git, and progress does not grade them.
    status = subprocess.run(["git", "status", "--porcelain"], cwd=course, capture_output=True, text=True)
    assert status.stdout == ""
    assert find_notebooks(course / "exercises") == [exercise]
    # Running it again on an unchanged notebook makes no second backup.
    main(["--solutions", str(course / "solutions"), "--exercises", str(course / "exercises")])
    assert len(list((course / "exercises" / ".backup").glob("*.ipynb"))) == 1
    # A maintainer's regeneration after editing a solution backs up nothing: the old exercise
    # is the committed one, safe in git.
    solution = nbformat.read(course / "solutions" / CH01, as_version=4)
    solution.cells[0].source += "\n\nA new sentence."
    nbformat.write(solution, course / "solutions" / CH01)
    main(["--solutions", str(course / "solutions"), "--exercises", str(course / "exercises")])
    assert "A new sentence." in exercise.read_text()
    assert len(list((course / "exercises" / ".backup").glob("*.ipynb"))) == 1


def test_committed_text_is_none_outside_a_git_checkout(tmp_path):
    # e.g. an unpacked sdist: the check falls back to the file in the folder.
    if subprocess.run(["git", "-C", str(tmp_path), "rev-parse"], capture_output=True).returncode == 0:
        pytest.skip("the temporary folder is inside a git checkout")
    exercise = tmp_path / "exercises" / CH01
    generate_all(REPO / "solutions", exercise.parent)
    assert committed_text(exercise) is None
    assert matches_generation(CH01_SOLUTION, exercise)
    exercise.write_text(exercise.read_text().replace("raise NotImplementedError()", "return 0.5"))
    assert not matches_generation(CH01_SOLUTION, exercise)


def test_every_exercise_notebook_has_a_solution_and_a_name_unlike_its_lesson():
    exercises = {p.name for p in (REPO / "exercises").glob("[0-9][0-9]_*.ipynb")}
    assert exercises == {p.name for p in SOLUTIONS}
    # Two JupyterLab tabs with the same name are easy to mix up: the lessons' names differ.
    lessons = {p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert SOLUTIONS and not exercises & lessons


def test_generated_exercise_has_stubs_and_no_answers_or_outputs():
    nb = generate_notebook(nbformat.read(CH01_SOLUTION, as_version=4))
    text = nbformat.writes(nb)
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    stubs = [c for c in code if c.metadata.get("nbgrader", {}).get("solution")]
    assert len(stubs) == 4 and all("raise NotImplementedError()" in c.source for c in stubs)


class TestNotebook(ExerciseNotebookChecks):
    CHAPTER = 1
    NOTEBOOK = CH01
    SIGNATURE_END = ""  # numerical_gradient(f, x, h=1e-5)


def test_kernel_keeps_working_after_an_endless_loop_and_a_print_flood():
    nb = new_notebook(cells=[
        new_code_cell("from sgdlib.grading import check\n"
                      "def numerical_gradient(f, x, h=1e-5):\n    while True:\n        pass"),
        new_code_cell('check("ch01_numerical_gradient", numerical_gradient)'),
        new_code_cell("def numerical_gradient(f, x, h=1e-5):\n    while True:\n        print(x)"),
        new_code_cell('check("ch01_numerical_gradient", numerical_gradient)'),
        new_code_cell('print("still alive")'),
    ])
    nb = _execute(nb, REPO)
    assert "did not finish within" in _errors(nb.cells[1])[0].evalue
    assert "printed more than" in _errors(nb.cells[3])[0].evalue
    flood = "".join(o.get("text", "") for o in nb.cells[3].outputs if o.output_type == "stream")
    assert flood == ""  # the flood was captured, not sent to the notebook
    assert nb.cells[4].outputs[0].text == "still alive\n"


def _run_progress(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sgdlib", "progress", str(path)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def test_progress_cli_on_blank_exercises_scores_zero_and_exits_0(blank_exercises):
    result = _run_progress(blank_exercises / CH01)  # chapter 1's; other chapters test their own
    assert result.returncode == 0, result.stderr
    table = result.stdout.split("\n\n", 1)[1]
    assert table.splitlines()[0].split() == ["chapter", "notebook", "exercise", "points", "status"]
    for exercise in ("numerical_gradient", "gradient_descent", "mse_loss_and_grad", "largest_stable_lr"):
        assert any(line.split()[:3] == ["1", CH01, exercise] and line.endswith("not attempted")
                   for line in table.splitlines())
    assert "0/10" in table.splitlines()[-1] and "0 of 4 exercises passed" in table


def test_progress_cli_on_solutions_scores_full_marks():
    result = _run_progress(CH01_SOLUTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split()[:2] == ["total", "10/10"]


def test_progress_keeps_points_earned_before_a_hang_or_a_crash(tmp_path):
    nb = nbformat.read(CH01_SOLUTION, as_version=4)
    graded = [i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade")]
    # Exercise 2 wrong (gradient ascent), a hanging cell, then the kernel dies after exercise 3.
    solution_2 = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                      == "ch01_gradient_descent_solution")
    solution_2.source = solution_2.source.replace("x = x - lr * grad(x)", "x = x + lr * grad(x)")
    nb.cells.insert(graded[2] + 1, new_code_cell("import os\nos._exit(1)"))
    nb.cells.insert(graded[0] + 1, new_code_cell("import time\ntime.sleep(60)"))
    path = tmp_path / CH01
    nbformat.write(nb, path)
    rows, note = grade_notebook(path, cell_timeout=5)
    assert [(r.exercise, r.status, r.score) for r in rows] == [
        ("numerical_gradient", "passed", 2), ("gradient_descent", "failed", 0),
        ("mse_loss_and_grad", "passed", 3), ("largest_stable_lr", "not run", 0)]
    assert note.startswith("stopped early")


def test_try_it_cell_with_an_endless_loop_stops_after_the_check_time_limit():
    # A learner's gradient_descent that never returns must not hang `progress` for the
    # 60 s cell timeout: the ch01 try-it cell stops it itself.
    nb = nbformat.read(CH01_SOLUTION, as_version=4)
    solution = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                    == "ch01_gradient_descent_solution")
    solution.source = "def gradient_descent(grad, x0, lr, n_steps):\n    while True:\n        pass"
    try_cell = nb.cells.index(solution) + 3
    assert "gradient_descent(bowl_grad" in nb.cells[try_cell].source
    nb.cells = nb.cells[:try_cell + 1]
    nb = _execute(nb, REPO, timeout=30)  # a hang would fail here: nbclient raises on timeout
    out = "".join(o.get("text", "") for o in nb.cells[try_cell].outputs)
    assert "did not finish within 3 s (stopped in `gradient_descent`)" in out
    assert all(o.output_type == "stream" for o in nb.cells[try_cell].outputs)


def test_progress_reads_the_chapter_from_the_exercise_ids_and_finds_any_graded_notebook(tmp_path, blank_exercises):
    # A renamed copy, a checkpoint and a backup of it (both skipped) and an ungraded notebook (skipped).
    shutil.copy(blank_exercises / CH01, tmp_path / "my_copy.ipynb")
    for hidden in (".ipynb_checkpoints", ".backup"):
        (tmp_path / hidden).mkdir()
        shutil.copy(blank_exercises / CH01, tmp_path / hidden / "my_copy-20261124-173000.ipynb")
    nbformat.write(new_notebook(cells=[new_code_cell("print(1)")]), tmp_path / "notes.ipynb")
    assert find_notebooks(tmp_path) == [tmp_path / "my_copy.ipynb"]

    result = _run_progress(tmp_path)
    assert result.returncode == 0, result.stderr
    table = result.stdout.split("\n\n", 1)[1].splitlines()
    assert [line.split()[0] for line in table[1:-1]] == ["1"] * 4, table  # not "?"
    assert "0 of 4 exercises passed" in table[-1]


def test_graded_cells_without_nbgrader_metadata_count_by_their_check_call(tmp_path):
    nb = new_notebook(cells=[
        new_code_cell("from sgdlib.grading import check\nimport numpy as np\n"
                      "def largest_stable_lr(H):\n    return 2 / np.linalg.eigvalsh(H).max()"),
        new_code_cell('check("ch01_largest_stable_lr", largest_stable_lr)'),
    ])
    nbformat.write(nb, tmp_path / "scratch.ipynb")
    rows, note = grade_notebook(tmp_path / "scratch.ipynb")
    assert note == ""
    assert [(r.chapter, r.exercise, r.status) for r in rows] == [("1", "largest_stable_lr", "passed")]


def _solved_copy(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(CH01_SOLUTION, folder / CH01))


def test_progress_function_works_in_a_notebook_cell_and_defaults_to_its_folder(tmp_path):
    # What a learner types in a cell of exercises/01_exercises_gradient_descent.ipynb: the kernel's
    # folder is exercises/ (no exercises/ inside it), so progress() grades that folder.
    _solved_copy(tmp_path / "exercises")
    nb = new_notebook(cells=[
        # progress sets this variable in the kernels it starts; a learner's kernel has none.
        new_code_cell("import os\nos.environ.pop('SGDLIB_PROGRESS_RUNNING', None)"),
        new_code_cell("from sgdlib.grading import progress; rows = progress()"),
        new_code_cell("print(sum(r.score for r in rows))"),
    ])
    nb = _execute(nb, tmp_path / "exercises", timeout=300)
    assert not _errors(nb.cells[1]), _errors(nb.cells[1])
    out = "".join(o.get("text", "") for o in nb.cells[1].outputs)
    assert f"running {CH01}" in out
    assert out.splitlines()[-1].split()[:2] == ["total", "10/10"]
    assert nb.cells[2].outputs[0].text == "10.0\n"


def test_progress_default_from_the_course_folder_is_exercises(tmp_path, monkeypatch, capsys):
    _solved_copy(tmp_path / "exercises")
    _solved_copy(tmp_path / "elsewhere")  # not graded: only exercises/ is
    monkeypatch.chdir(tmp_path)
    from sgdlib.grading import progress
    rows = progress(cell_timeout=60)
    assert {r.notebook for r in rows} == {CH01} and len(rows) == 4
    assert f"running exercises/{CH01}" in capsys.readouterr().out


def test_a_progress_cell_inside_a_graded_notebook_does_not_grade_it_again(tmp_path):
    # Without the guard, grading this notebook would start a kernel that grades it again, and so on.
    path = _solved_copy(tmp_path)
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(new_code_cell("from sgdlib.grading import progress\nprogress()"))
    nbformat.write(nb, path)
    result = _run_progress(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("running ") == 1
    assert result.stdout.splitlines()[-1].split()[:2] == ["total", "10/10"]
    nb = _execute(nbformat.read(path, as_version=4), tmp_path, timeout=120)
    assert nb.cells[-1].outputs[0].text.startswith("progress() skipped: this notebook is itself being graded")
