"""The class view: ``python -m sgdlib progress --class DIR --csv FILE`` on a generated class.

The class: alice solved chapters 1 and 2 (and has the course's solutions/ in her clone, which
must not be graded), carol is half right in chapter 1 (gradient descent steps uphill, the
stable learning rate uses 1/L), bob handed in a blank chapter 1, and dave's chapter 1 is a
browser download, ``01_exercises_gradient_descent (1).ipynb``, which nbgrader would skip. The
same class is laid out as learners' home folders and as nbgrader's ``submitted/``.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from sgdlib.grading.classview import find_learners
from sgdlib.grading.generate import NOTEBOOKS, generate_notebook
from sgdlib.grading.progress import default_folders, find_notebooks

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((REPO / "solutions").glob(NOTEBOOKS))
CH01, CH02 = SOLUTIONS[0], SOLUTIONS[1]
DOWNLOADED = "01_exercises_gradient_descent (1).ipynb"
UPHILL_HINT = "You step uphill"  # the start of ch01_gradient_descent's probe hint for x + lr * grad


def _edit(nb: nbformat.NotebookNode, grade_id: str, old: str, new: str) -> None:
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    assert old in cell.source, (grade_id, old)
    cell.source = cell.source.replace(old, new)


def _class_work() -> dict[str, dict[str, nbformat.NotebookNode]]:
    """learner -> {file name: notebook}."""
    solved1, solved2 = (nbformat.read(p, as_version=4) for p in (CH01, CH02))
    half = nbformat.from_dict(solved1)
    _edit(half, "ch01_gradient_descent_solution", "x = x - lr * grad(x)", "x = x + lr * grad(x)")  # 3 points
    _edit(half, "ch01_largest_stable_lr_solution", "return 2 / float(L)", "return 1 / float(L)")  # 2 points
    return {"alice": {CH01.name: solved1, CH02.name: solved2},
            "bob": {CH01.name: generate_notebook(solved1)},
            "carol": {CH01.name: half},
            "dave": {DOWNLOADED: solved1}}


def _homes(root: Path) -> Path:
    for learner, files in _class_work().items():
        clone = root / learner / "sgd-from-scratch"
        for name, nb in files.items():
            (clone / "exercises").mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, clone / "exercises" / name)
        (clone / "notebooks").mkdir(exist_ok=True)
    # The course's answers, as nbgitpuller clones them, and a JupyterLab checkpoint: never graded.
    (root / "alice" / "sgd-from-scratch" / "solutions").mkdir()
    nbformat.write(generate_notebook(nbformat.read(CH01, as_version=4)),
                   root / "alice" / "sgd-from-scratch" / "solutions" / CH01.name)
    (root / "bob" / "sgd-from-scratch" / "exercises" / ".ipynb_checkpoints").mkdir()
    nbformat.write(nbformat.read(CH01, as_version=4),
                   root / "bob" / "sgd-from-scratch" / "exercises" / ".ipynb_checkpoints" / CH01.name)
    return root


def _submitted(root: Path) -> Path:
    for learner, files in _class_work().items():
        for name, nb in files.items():
            folder = root / "nbgrader" / "submitted" / learner / f"ch{name[:2]}"
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, folder / name)
    return root  # the course folder: the class view finds nbgrader/submitted/ in it


def _run(folder: Path, out: Path) -> tuple[str, list[dict[str, str]]]:
    result = subprocess.run([sys.executable, "-m", "sgdlib", "progress", "--class", str(folder),
                             "--csv", str(out), "--jobs", "2"],
                            cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    with open(out, newline="", encoding="utf-8") as f:
        return result.stdout, list(csv.DictReader(f))


@pytest.mark.slow
@pytest.mark.parametrize("layout", [_homes, _submitted], ids=["home folders", "nbgrader submitted"])
def test_class_view_table_and_csv(tmp_path, layout):
    stdout, rows = _run(layout(tmp_path / "class"), tmp_path / "class.csv")
    by = {r["learner"]: r for r in rows}
    assert list(by) == ["alice", "bob", "carol", "dave", "[passed]", "[most common hint]"]
    ch01 = ["ch01_numerical_gradient", "ch01_gradient_descent", "ch01_mse_loss_and_grad",
            "ch01_largest_stable_lr"]
    columns = list(rows[0])
    assert columns[:6] == ["learner", "total", *ch01] and columns[-1] == "notes"
    assert len(columns) == 2 + 4 + 4 + 1 and all(c.startswith("ch02_") for c in columns[6:10])

    assert by["alice"]["total"] == "20/20"
    assert all(by["alice"][c].split()[0] in ("2/2", "3/3") for c in columns[2:10])
    assert by["carol"]["total"] == "5/20"
    assert by["carol"]["ch01_gradient_descent"].startswith("0/3 ")  # points, then the reason's first line
    assert by["carol"]["ch01_largest_stable_lr"].startswith("0/2 ")
    assert by["carol"]["ch01_numerical_gradient"] == "2/2" and by["carol"]["ch02_" + columns[6][5:]] == "-"
    assert by["bob"]["total"] == "0/20" and by["bob"]["ch01_gradient_descent"] == "0/3 not attempted"
    assert by["bob"]["notes"] == ""  # the checkpoint copy is neither graded nor counted twice
    assert by["dave"]["total"] == "0/20" and all(by["dave"][c] == "-" for c in columns[2:10])
    assert by["dave"]["notes"].startswith("no recognised exercise notebook")
    assert f"{DOWNLOADED} (rename it to {CH01.name})" in by["dave"]["notes"]

    # Per exercise: how many of the 4 learners passed, and the most common hint.
    assert by["[passed]"]["ch01_numerical_gradient"] == "2/4"  # alice, carol
    assert by["[passed]"]["ch01_gradient_descent"] == "1/4"
    assert by["[most common hint]"]["ch01_gradient_descent"].startswith(UPHILL_HINT)
    assert by["[most common hint]"]["ch01_numerical_gradient"] == ""

    table = stdout.split("\n\n", 1)[1]
    assert table.splitlines()[0].split() == ["learner", "total", "1.1", "1.2", "1.3", "1.4",
                                            "2.1", "2.2", "2.3", "2.4"]
    assert "dave: no recognised exercise notebook" in table
    assert f"ch01_gradient_descent: 1/4 passed; {UPHILL_HINT}" in table


def test_find_learners_reads_both_layouts_and_never_solutions(tmp_path):
    homes = find_learners(_homes(tmp_path / "homes"))
    assert [(x.name, [p.name for p in x.notebooks]) for x in homes] == [
        ("alice", [CH01.name, CH02.name]), ("bob", [CH01.name]), ("carol", [CH01.name]), ("dave", [])]
    assert all("solutions" not in p.parts for x in homes for p in x.notebooks)
    submitted = find_learners(_submitted(tmp_path / "course"))
    assert [(x.name, len(x.notebooks)) for x in submitted] == [("alice", 2), ("bob", 1), ("carol", 1), ("dave", 0)]
    assert find_learners(tmp_path / "course" / "nbgrader" / "submitted")[0].notebooks == submitted[0].notebooks


def test_two_copies_of_a_chapter_grade_the_newest_and_say_so(tmp_path):
    # A learner who cloned the course and also fetched ch01 with nbgrader.
    home = tmp_path / "class" / "erin"
    old, new = home / "sgd-from-scratch" / "exercises" / CH01.name, home / "ch01" / CH01.name
    for path in (old, new):
        path.parent.mkdir(parents=True)
        path.write_text(CH01.read_text())
    os.utime(old, (1_000_000_000, 1_000_000_000))
    (erin,) = find_learners(tmp_path / "class")
    assert erin.notebooks == [new] and erin.notes == [f"2 copies of {CH01.name}: graded the newest, ch01/{CH01.name}"]


def test_progress_finds_the_exercises_from_any_folder_the_course_is_cloned_into(tmp_path):
    home = _homes(tmp_path / "homes") / "alice"
    clone = home / "sgd-from-scratch"
    for start in (home, clone, clone / "notebooks", clone / "exercises"):
        (found,) = default_folders(start)
        assert found.resolve() == (clone / "exercises").resolve(), start
    renamed = home / "course-copy"
    clone.rename(renamed)
    assert [p.resolve() for p in default_folders(home)] == [(renamed / "exercises").resolve()]
    # Walking the home folder itself skips solutions/ (and hidden folders).
    assert [p.relative_to(home).as_posix() for p in find_notebooks(home)] == [
        f"course-copy/exercises/{CH01.name}", f"course-copy/exercises/{CH02.name}"]


def test_progress_refuses_to_grade_a_solutions_folder(tmp_path, capsys):
    from sgdlib.grading import progress

    assert progress(REPO / "solutions") == []
    assert "does not grade" in capsys.readouterr().out


def test_progress_points_a_class_folder_to_the_class_view(tmp_path, capsys):
    from sgdlib.grading import progress

    submitted = _submitted(tmp_path / "course") / "nbgrader" / "submitted"
    for folder in (submitted, submitted.parent):  # not one table merging every learner's notebooks
        assert progress(folder) == []
        assert f"progress --class {folder}" in capsys.readouterr().out


def test_class_view_cli_rejects_mixed_arguments():
    result = subprocess.run([sys.executable, "-m", "sgdlib", "progress", "exercises", "--class", "x"],
                            cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "not both" in result.stderr
    result = subprocess.run([sys.executable, "-m", "sgdlib", "progress", "--csv", "x.csv"],
                            cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--class" in result.stderr
