"""nbgrader, as an instructor runs it, with the repository's nbgrader_config.py.

Runs in a temporary course folder (its own gradebook database and exchange), with
nbgrader_config.py and solutions/ copied from the repository, so the documented steps in
solutions/README.md and docs/teaching.md are what is tested: one assignment per chapter
(``ch01``, ...), generate, release, fetch, submit, collect, autograde, export; and zip_collect
with the shipped ``named_regexp``. "The exercise" is a fresh generation (`make exercises`' code),
never exercises/, which a learner may have filled in.
"""

from __future__ import annotations

import csv
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from traitlets.config import Config

from sgdlib.grading.generate import NOTEBOOKS, generate_notebook

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = "01_exercises_gradient_descent.ipynb"
SOLUTIONS = sorted((REPO / "solutions").glob(NOTEBOOKS))
COURSE_ID = "sgd-from-scratch"


def _assignment(solution: Path) -> str:
    return f"ch{solution.name[:2]}"


def _nbgrader(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    # nbgrader runs the `alembic` program of its environment: put this venv's bin/ first.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _points(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    return sum(c.metadata.get("nbgrader", {}).get("points", 0) for c in nb.cells
               if c.metadata.get("nbgrader", {}).get("grade"))


def _course(tmp_path: Path, solutions: list[Path] = SOLUTIONS) -> Path:
    course = tmp_path / "course"
    (course / "solutions").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", course)
    for solution in solutions:
        shutil.copy(solution, course / "solutions")
    return course


def _half_right(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Chapter 1 with gradient descent stepping uphill (3 of 10 points lost), and a comment
    added to a locked graded cell (nbgrader must still warn about that one)."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id == "ch01_gradient_descent_solution":
            assert "x = x - lr * grad(x)" in cell.source
            cell.source = cell.source.replace("x = x - lr * grad(x)", "x = x + lr * grad(x)")
        if grade_id == "ch01_largest_stable_lr":
            cell.source = "# I was here\n" + cell.source
    return nb


@pytest.mark.slow
def test_full_cycle_per_chapter_assignments_on_an_exchange(tmp_path):
    # Chapter 1 goes through the exchange for three learners (correct, half-right, blank); the
    # other chapters' solutions are copied into submitted/ (the route without an exchange), so
    # one autograde covers every chapter: each solution gets full marks.
    from nbgrader.api import Gradebook

    course = _course(tmp_path)
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    ex = f"--Exchange.root={exchange}"
    ch01 = _assignment(SOLUTIONS[0])
    assert ch01 == "ch01" and SOLUTIONS[0].name == NOTEBOOK

    _nbgrader(course, "generate_assignment", "ch*", "--force")
    for solution in SOLUTIONS:
        released = course / "nbgrader" / "release" / _assignment(solution) / solution.name
        # nbgrader's own generation and `make exercises` give the same notebook.
        assert json.loads(released.read_text()) == json.loads(nbformat.writes(generate_notebook(
            nbformat.read(solution, as_version=4))))
        assert [p.name for p in released.parent.iterdir()] == [solution.name]  # one notebook a chapter
    _nbgrader(course, "release_assignment", ch01, ex)

    solved = nbformat.read(SOLUTIONS[0], as_version=4)
    for student, work in (("alice", solved), ("carol", _half_right(solved)), ("bob", None)):
        home = tmp_path / "home" / student
        (home / COURSE_ID).mkdir(parents=True)  # the folder nbgitpuller clones: no clash with ch01/
        _nbgrader(home, "fetch_assignment", ch01, "--course", COURSE_ID, ex)
        fetched = home / ch01 / NOTEBOOK
        assert fetched.is_file()
        if work is not None:
            nbformat.write(work, fetched)
        _nbgrader(home, "submit", ch01, "--course", COURSE_ID, "--student", student, ex)
    _nbgrader(course, "collect", ch01, ex)
    for solution in SOLUTIONS[1:]:
        folder = course / "nbgrader" / "submitted" / "alice" / _assignment(solution)
        folder.mkdir(parents=True)
        shutil.copy(solution, folder)

    result = _nbgrader(course, "autograde", "ch*", "--force")
    # The hidden tests' checksum warnings are filtered (nbgrader_config.py says why); carol's
    # edit of a locked cell is still reported, and only that one.
    warnings = [line for line in result.stderr.splitlines() if "has changed" in line]
    assert len(warnings) == 1 and "ch01_largest_stable_lr" in warnings[0], warnings
    _nbgrader(course, "export")

    with Gradebook(f"sqlite:///{course / 'nbgrader' / 'gradebook.db'}") as gradebook:
        # Why nbgrader warns without the filter: the gradebook keeps each graded cell's checksum
        # with its hidden tests, the released notebook the one without them.
        released = nbformat.read(course / "nbgrader" / "release" / ch01 / NOTEBOOK, as_version=4)
        for cell in released.cells:
            if cell.metadata.get("nbgrader", {}).get("grade"):
                stored = gradebook.find_source_cell(cell.metadata.nbgrader.grade_id, SOLUTIONS[0].stem, ch01)
                assert "BEGIN HIDDEN TESTS" in stored.source
                assert stored.checksum != cell.metadata.nbgrader.checksum

        def score(solution: Path, student: str) -> tuple[float, float]:
            nb = gradebook.find_submission_notebook(solution.stem, _assignment(solution), student)
            return nb.score, nb.max_score
        for solution in SOLUTIONS:
            assert score(solution, "alice") == (_points(solution), _points(solution)) != (0, 0), solution.name
        assert score(SOLUTIONS[0], "carol") == (7, 10)  # gradient_descent's 3 points lost
        assert score(SOLUTIONS[0], "bob") == (0, 10)
    with open(course / "grades.csv", newline="") as f:
        grades = {(r["assignment"], r["student_id"]): float(r["score"]) for r in csv.DictReader(f)}
    assert grades[(ch01, "alice")] == 10 and grades[(ch01, "carol")] == 7 and grades[(ch01, "bob")] == 0


def test_zip_collect_with_the_shipped_regexp_files_typical_download_names(tmp_path):
    # Names as they come from a browser, Moodle and Canvas; the notebook must arrive as
    # submitted/<learner>/ch01/01_exercises_gradient_descent.ipynb whatever it was called.
    course = _course(tmp_path, SOLUTIONS[:1])
    release = course / "nbgrader" / "release" / "ch01"
    release.mkdir(parents=True)
    nbformat.write(generate_notebook(nbformat.read(SOLUTIONS[0], as_version=4)), release / NOTEBOOK)
    archive = course / "nbgrader" / "downloaded" / "ch01" / "archive"
    archive.mkdir(parents=True)
    text = SOLUTIONS[0].read_text()
    with zipfile.ZipFile(archive / "alice.zip", "w") as z:  # one zip per learner
        z.writestr("01_exercises_gradient_descent (1).ipynb", text)
    with zipfile.ZipFile(archive / "moodle.zip", "w") as z:  # an LMS's "download all"
        z.writestr(f"Ada Lovelace_12345_assignsubmission_file_/{NOTEBOOK}", text)
        z.writestr(f"Alan Turing_12346_assignsubmission_file_{NOTEBOOK}", text)
    (archive / "canvas").mkdir()
    (archive / "canvas" / "hopperg_LATE_2001_3001_01_exercises_gradient_descent-1.ipynb").write_text(text)
    (archive / "bob").mkdir()
    (archive / "bob" / "01_exercises_gradient_descent-Copy1.ipynb").write_text(text)
    (archive / "bob" / "notes.ipynb").write_text(text)  # not an exercise notebook: skipped
    with zipfile.ZipFile(archive / "erin.zip", "w") as z:  # a zip of a whole clone: erin, not "exercises"
        z.writestr(f"sgd-from-scratch/exercises/{NOTEBOOK}", text)
        z.writestr("sgd-from-scratch/notebooks/00_start_here.ipynb", text)
    (archive / NOTEBOOK).write_text(text)  # a bare notebook names no learner: skipped, not "extracted"

    _nbgrader(course, "zip_collect", "ch01")
    submitted = course / "nbgrader" / "submitted"
    found = sorted(p.relative_to(submitted).as_posix() for p in submitted.rglob("*.ipynb"))
    assert found == [f"{who}/ch01/{NOTEBOOK}" for who in
                     ("Ada Lovelace", "Alan Turing", "alice", "bob", "erin", "hopperg")], found


@pytest.mark.parametrize("path, learner", [
    ("01_exercises_gradient_descent.ipynb", None),  # bare, in archive/: not learner "extracted"
    ("alice/sgd-from-scratch/exercises/01_exercises_gradient_descent.ipynb", "alice"),  # not "exercises"
    ("alice/01_exercises_gradient_descent (1).ipynb", "alice"),
    ("moodle/Ada Lovelace_12345_assignsubmission_file_/01_exercises_gradient_descent.ipynb", "Ada Lovelace"),
    ("moodle/Alan Turing_12346_assignsubmission_file_01_exercises_gradient_descent.ipynb", "Alan Turing"),
    ("canvas/hopperg_LATE_2001_3001_01_exercises_gradient_descent-1.ipynb", "hopperg"),
    ("alice_smith_01_exercises_gradient_descent.ipynb", "alice_smith"),
    ("bob/notes.ipynb", None),
])
def test_zip_collect_regexp_names_the_learner_from_the_path_under_extracted(tmp_path, path, learner):
    # nbgrader matches named_regexp against the full path of each extracted file.
    import re

    regexp = _load_config(_course(tmp_path, SOLUTIONS[:1])).FileNameCollectorPlugin.named_regexp
    full = f"/home/jupyter-teacher/sgd-from-scratch/nbgrader/downloaded/ch01/extracted/{path}"
    found = re.match(regexp, full)
    assert (found and found.group("student_id")) == learner or (found is None and learner is None), path
    if found:
        assert found.group("file_id") == "01_exercises_gradient_descent"


def _load_config(course: Path) -> Config:
    """Load course/nbgrader_config.py as nbgrader does (traitlets execs it with get_config)."""
    config = Config()
    path = course / "nbgrader_config.py"
    exec(compile(path.read_text(), str(path), "exec"), {"get_config": lambda: config, "__file__": str(path)})
    return config


def test_config_makes_one_assignment_per_chapter_that_cannot_clash_with_the_clone(tmp_path):
    course = _course(tmp_path, SOLUTIONS[:2])
    config = _load_config(course)
    assert config.CourseDirectory.root == str(course.resolve())
    assert config.CourseDirectory.course_id == COURSE_ID
    source = course / "nbgrader" / "source"
    assert sorted(p.name for p in source.iterdir()) == ["ch01", "ch02"]  # not COURSE_ID
    for solution in SOLUTIONS[:2]:
        copy = source / _assignment(solution) / solution.name
        assert not copy.is_symlink() and copy.read_bytes() == solution.read_bytes()
    # nbgrader's notebook_id pattern takes the exercise notebooks (and nothing else in solutions/).
    taken = {p.name for p in (REPO / "solutions").iterdir()
             if fnmatch.fnmatch(p.stem, config.CourseDirectory.notebook_id)}
    assert taken == {p.name for p in SOLUTIONS}
    assert str(course.resolve() / "nbgrader" / "gradebook.db") in config.CourseDirectory.db_url
    assert config.ZipCollectApp.downloaded_directory == "nbgrader/downloaded"  # git-ignored


def test_config_refreshes_a_copy_after_solutions_change_and_keeps_one_edited_in_place(tmp_path, capsys):
    course = _course(tmp_path, SOLUTIONS[:1])
    _load_config(course)
    copy = course / "nbgrader" / "source" / "ch01" / NOTEBOOK
    solution = course / "solutions" / NOTEBOOK
    record = course / "nbgrader" / ".source-copies.json"
    written = record.stat().st_mtime_ns
    _load_config(course)  # nothing changed: nothing written
    assert record.stat().st_mtime_ns == written and copy.read_bytes() == solution.read_bytes()

    solution.write_text(solution.read_text().replace("Exercise", "Task"))  # e.g. a git pull
    _load_config(course)
    assert copy.read_text() == solution.read_text()

    copy.write_text(copy.read_text() + "\n")  # edited in nbgrader/source, e.g. in the Formgrader
    edited = copy.read_text()
    _load_config(course)
    assert copy.read_text() == edited and "it is kept" in capsys.readouterr().err
    # A later edit of solutions/ (newer than the copy: the old mtime rule replaced it) keeps it too.
    solution.write_text(solution.read_text().replace("Task", "Exercise"))
    os.utime(solution, (copy.stat().st_mtime + 10,) * 2)
    _load_config(course)
    assert copy.read_text() == edited and "it is kept" in capsys.readouterr().err
    copy.unlink()  # what the warning says to do: the solution comes back
    _load_config(course)
    assert copy.read_bytes() == solution.read_bytes()


def test_config_survives_a_move_and_replaces_the_old_single_assignment_link(tmp_path):
    # An older nbgrader_config.py linked nbgrader/source/sgd-from-scratch -> solutions/ (once
    # with an absolute link, which dangles after a move).
    course = _course(tmp_path, SOLUTIONS[:1])
    old = course / "nbgrader" / "source" / COURSE_ID
    old.parent.mkdir(parents=True)
    old.symlink_to(tmp_path / "old place" / "solutions", target_is_directory=True)
    _load_config(course)
    assert not old.is_symlink() and not old.exists()
    moved = tmp_path / "renamed course"
    course.rename(moved)
    config = _load_config(moved)
    assert config.CourseDirectory.root == str(moved.resolve())
    assert (moved / "nbgrader" / "source" / "ch01" / NOTEBOOK).is_file()
