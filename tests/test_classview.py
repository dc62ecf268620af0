"""The class view: ``python -m sgdlib progress --class DIR --csv FILE`` on a generated class.

The class: alice solved chapters 1 and 2 (and has the course's solutions/ in her clone, which
must not be graded), carol is half right in chapter 1 (gradient descent steps uphill, the
stable learning rate uses 1/L), bob handed in a blank chapter 1, and dave's chapter 1 is a
browser download, ``01_exercises_gradient_descent (1).ipynb``, which nbgrader would skip. The
same class is laid out as learners' home folders and as nbgrader's ``submitted/``. Every clone
holds the lesson notebook ``notebooks/00_start_here.ipynb``, which calls ``check`` too and must
be neither graded nor flagged.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from sgdlib.grading.classview import MARKS, WIDTH, Learner, class_table, find_learners, grade_class
from sgdlib.grading.generate import NOTEBOOKS, generate_notebook
from sgdlib.grading.progress import Row, default_folders, find_notebooks
from sgdlib.grading.registry import all_exercises

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((REPO / "solutions").glob(NOTEBOOKS))
CH01, CH02 = SOLUTIONS[0], SOLUTIONS[1]
DOWNLOADED = "01_exercises_gradient_descent (1).ipynb"
START_HERE = REPO / "notebooks" / "00_start_here.ipynb"  # a lesson that calls check("ch0...")
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
        (clone / "notebooks" / START_HERE.name).write_bytes(START_HERE.read_bytes())
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


def _run(folder: Path, out: Path, *extra: str) -> tuple[str, list[dict[str, str]]]:
    result = subprocess.run([sys.executable, "-m", "sgdlib", "progress", "--class", str(folder),
                             "--csv", str(out), "--jobs", "2", *extra],
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
    assert f"(hint: {UPHILL_HINT}" in by["carol"]["ch01_gradient_descent"]  # and the hint: in the CSV
    assert by["carol"]["ch01_largest_stable_lr"].startswith("0/2 ")
    assert by["carol"]["ch01_numerical_gradient"] == "2/2" and by["carol"]["ch02_" + columns[6][5:]] == "-"
    assert by["bob"]["total"] == "0/20" and by["bob"]["ch01_gradient_descent"] == "0/3 not attempted"
    assert by["bob"]["notes"] == ""  # the checkpoint copy is neither graded nor counted twice
    assert by["alice"]["notes"] == by["carol"]["notes"] == ""  # notebooks/00_start_here: no flag
    assert by["dave"]["total"] == "0/20" and all(by["dave"][c] == "-" for c in columns[2:10])
    assert by["dave"]["notes"].startswith("no recognised exercise notebook")
    assert f"{DOWNLOADED} (rename it to {CH01.name})" in by["dave"]["notes"]

    # Per exercise: how many of the 4 learners passed, and the most common hint.
    assert by["[passed]"]["ch01_numerical_gradient"] == "2/4"  # alice, carol
    assert by["[passed]"]["ch01_gradient_descent"] == "1/4"
    assert by["[most common hint]"]["ch01_gradient_descent"].startswith(UPHILL_HINT)
    assert by["[most common hint]"]["ch01_numerical_gradient"] == ""

    progress_lines, table = stdout.split("\n\n", 1)
    assert sum(line.startswith("[") for line in progress_lines.splitlines()) == 4  # one per notebook
    assert "carol: 01_exercises_gradient_descent.ipynb 5/10" in progress_lines
    lines = table.splitlines()
    assert [line.split() for line in lines[:5]] == [
        ["learner", "total", "ch1", "ch2"], ["alice", "20/20", "++++", "++++"], ["bob", "0/20", "....", "----"],
        ["carol", "5/20", "+x+x", "----"], ["dave", "0/20", "----", "----"]]
    assert "dave: no recognised exercise notebook" in table and "start_here" not in table
    assert f"ch01_gradient_descent: 1/4 passed; {UPHILL_HINT}" in table
    assert max(len(line) for line in lines) <= WIDTH


def test_find_learners_reads_both_layouts_and_never_solutions(tmp_path):
    homes = find_learners(_homes(tmp_path / "homes"))
    assert [(x.name, [p.name for p in x.notebooks]) for x in homes] == [
        ("alice", [CH01.name, CH02.name]), ("bob", [CH01.name]), ("carol", [CH01.name]), ("dave", [])]
    assert all("solutions" not in p.parts for x in homes for p in x.notebooks)
    submitted = find_learners(_submitted(tmp_path / "course"))
    assert [(x.name, len(x.notebooks)) for x in submitted] == [("alice", 2), ("bob", 1), ("carol", 1), ("dave", 0)]
    assert find_learners(tmp_path / "course" / "nbgrader" / "submitted")[0].notebooks == submitted[0].notebooks


@pytest.mark.slow
def test_two_copies_of_a_chapter_are_both_graded_and_the_best_counts(tmp_path):
    # A learner who solved ch01 in the clone, then fetched ch01 with nbgrader and left it blank:
    # the newest copy is the blank one, and grading only it would score 0.
    home = tmp_path / "class" / "erin"
    solved, blank = home / "sgd-from-scratch" / "exercises" / CH01.name, home / "ch01" / CH01.name
    for path, nb in ((solved, nbformat.read(CH01, as_version=4)),
                     (blank, generate_notebook(nbformat.read(CH01, as_version=4)))):
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)
    os.utime(solved, (1_000_000_000, 1_000_000_000))
    (erin,) = find_learners(tmp_path / "class")
    assert sorted(erin.notebooks) == sorted([solved, blank]) and erin.notes == []
    grade_class([erin])
    assert erin.score == 10 and len(erin.rows) == 4
    assert erin.notes == [f"2 copies of {CH01.name}: kept the best, sgd-from-scratch/exercises/{CH01.name} "
                          f"(10/10); not counted: ch01/{CH01.name} (0/10)"]


def test_class_table_fits_100_columns_for_30_learners_and_every_exercise():
    # Long names, every exercise of the course failed with a long reason and hint: the worst case.
    exercises = sorted(all_exercises().values(), key=lambda e: (e.chapter, e.number))
    assert len({e.chapter for e in exercises}) >= 6
    learners = []
    for i in range(30):
        rows = [Row(f"{e.chapter:02d}_x.ipynb", str(e.chapter), e.id.split("_", 1)[1], 2,
                    list(MARKS)[(i + j) % 4], "values: wrong value of the final point (last row) " * 3,
                    "You step uphill: use x - lr * grad(x), not x + lr * grad(x). " * 3)
                for j, e in enumerate(exercises)]
        learners.append(Learner(f"learner-with-a-very-long-name-{i:02d}", Path("x"), rows=rows,
                                notes=["not graded: some/deep/folder/" + DOWNLOADED + " (rename it) " * 5]))
    table = class_table(learners)
    lines = table.splitlines()
    assert max(len(line) for line in lines) <= WIDTH, max(lines, key=len)
    assert lines[0].split()[2:] == [f"ch{c}" for c in sorted({e.chapter for e in exercises})]
    assert len(lines[1].split()[2:]) == len({e.chapter for e in exercises})  # one group of marks a chapter
    assert "".join(lines[1].split()[2:]) == "".join(MARKS[list(MARKS)[j % 4]] for j in range(len(exercises)))


def test_class_view_chapter_filter_grades_and_shows_only_that_chapter(tmp_path):
    stdout, rows = _run(_submitted(tmp_path / "course"), tmp_path / "ch2.csv", "--chapter", "2")
    assert "grading 1 notebooks" in stdout  # alice's ch02 only
    assert [c for c in rows[0] if c.startswith("ch")] and all(c.startswith("ch02_") for c in rows[0]
                                                             if c.startswith("ch"))
    table = stdout.split("\n\n", 1)[1]
    assert table.splitlines()[0].split() == ["learner", "total", "ch2"]


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


def test_progress_from_a_home_folder_also_grades_fetched_assignments(tmp_path):
    home = _homes(tmp_path / "homes") / "alice"
    (home / "ch01").mkdir()
    nbformat.write(nbformat.read(CH01, as_version=4), home / "ch01" / CH01.name)
    assert [p.relative_to(home).as_posix() for p in default_folders(home)] == ["sgd-from-scratch/exercises", "ch01"]
    # The lesson notebook in notebooks/ calls check() too, but is never graded from a folder.
    assert f"sgd-from-scratch/notebooks/{START_HERE.name}" not in [
        p.relative_to(home).as_posix() for p in find_notebooks(home)]
