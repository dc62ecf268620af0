"""``python -m sgdlib progress --class DIR``: a whole class's progress, one row per learner.

``DIR`` holds one folder per learner, in either of two layouts:

* nbgrader's: ``submitted/<learner>/<assignment>/*.ipynb`` (pass ``submitted/``, its parent,
  or the course folder whose ``nbgrader/submitted/`` it is);
* learners' home folders, each with the course cloned in it under any name, e.g.
  ``<learner>/sgd-from-scratch/exercises/*.ipynb``, or assignments fetched with nbgrader,
  ``<learner>/ch01/*.ipynb``.

A learner's notebooks are the files named as released, ``NN_exercises_<topic>.ipynb``,
anywhere in their folder except hidden folders and ``solutions/`` (see
:data:`~sgdlib.grading.progress.SKIPPED_FOLDERS`). Each runs in a fresh kernel, as for
:func:`~sgdlib.grading.progress.progress`. A notebook with graded cells saved under another name
(``01_exercises_gradient_descent (1).ipynb``, a browser's download of a second copy) is not
graded - nbgrader would skip it too and score 0 - but flagged, with the name to give it (only
files whose name shows a released one: the lessons in ``notebooks/`` call ``check`` too, and are
never flagged). A learner with no recognised notebook is flagged as well. Two copies of one
notebook (a clone and a fetched assignment) are both graded; the best score counts and the flag
names both.

The terminal table has one mark per exercise, grouped by chapter (:data:`MARKS`), and fits 100
columns for the whole course; ``chapters`` keeps only some chapters. The CSV has every detail:
per exercise the points, the first line of a failure's reason and the hint ``check`` gave. Below
both, per exercise: how many learners passed, and the most common hint (or reason).
"""

from __future__ import annotations

import csv
import os
import re
import textwrap
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .progress import SKIPPED_FOLDERS, Row, grade_notebook, graded_cells
from .registry import all_exercises

__all__ = ["EXERCISE_NOTEBOOK", "MARKS", "WIDTH", "Learner", "find_learners", "grade_class", "class_table",
           "write_csv", "class_progress", "suggested_name"]

#: The name every exercise notebook is released with: ``01_exercises_gradient_descent.ipynb``.
EXERCISE_NOTEBOOK = re.compile(r"^\d\d_exercises_[A-Za-z0-9_]+\.ipynb$")
# A check("chNN_...") call as it looks inside a notebook's JSON: a cheap test before parsing.
_CHECK_IN_JSON = re.compile(rb"""check\(\s*\\?["']ch\d\d_""")
# What browsers, JupyterLab and file managers add to a copy's name.
_COPY_MARKS = (re.compile(r"\s*\(\d+\)$"), re.compile(r"-Copy\d*$"), re.compile(r"^Copy of\s+"),
               re.compile(r"\s+copy(\s*\d+)?$", re.IGNORECASE))
#: One character per exercise in the terminal table, by status ("-": no notebook for it).
MARKS = {"passed": "+", "failed": "x", "not attempted": ".", "not run": "!"}
#: The terminal table's width, in characters: every line fits.
WIDTH = 100


@dataclass
class Learner:
    """One learner's folder: the notebooks to grade, and what was found but not graded."""

    name: str
    folder: Path
    notebooks: list[Path] = field(default_factory=list)  # every copy of every released name
    notes: list[str] = field(default_factory=list)  # flags for the instructor
    rows: list[Row] = field(default_factory=list)  # filled by grade_class

    @property
    def score(self) -> float:
        return sum(r.score for r in self.rows)


def suggested_name(filename: str) -> str | None:
    """The released name a copied or downloaded exercise notebook should have, if it shows.

    Examples
    --------
    >>> suggested_name("01_exercises_gradient_descent (1).ipynb")
    '01_exercises_gradient_descent.ipynb'
    >>> suggested_name("02_exercises_stochastic_gradient_descent-Copy1.ipynb")
    '02_exercises_stochastic_gradient_descent.ipynb'
    >>> suggested_name("my answers.ipynb") is None
    True
    """
    stem = filename[:-len(".ipynb")] if filename.endswith(".ipynb") else filename
    for mark in _COPY_MARKS:
        stem = mark.sub("", stem)
    name = f"{stem}.ipynb"
    return name if EXERCISE_NOTEBOOK.match(name) else None


def _has_graded_cells(path: Path) -> bool:
    try:
        if not _CHECK_IN_JSON.search(path.read_bytes()):
            return False
        return bool(graded_cells(nbformat.read(path, as_version=4)))
    except Exception:  # unreadable, not JSON, ...: not an exercise notebook
        return False


def _scan(learner: Learner) -> None:
    """Fill ``learner.notebooks`` and ``learner.notes`` from the learner's folder."""
    found: dict[str, list[Path]] = {}
    misnamed: list[Path] = []
    for root, dirs, files in os.walk(learner.folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS)
        for f in sorted(files):
            path = Path(root) / f
            if EXERCISE_NOTEBOOK.match(f):
                found.setdefault(f, []).append(path)
            elif suggested_name(f) and _has_graded_cells(path):
                misnamed.append(path)
    for name, paths in sorted(found.items()):
        learner.notebooks += paths  # every copy is graded; grade_class keeps the best
    for path in misnamed:
        rename = suggested_name(path.name)
        if rename:  # e.g. not notebooks/00_start_here.ipynb, which calls check() too
            learner.notes.append(f"not graded: {path.relative_to(learner.folder).as_posix()} "
                                 f"(rename it to {rename})")
    if not learner.notebooks:
        learner.notes.insert(0, "no recognised exercise notebook")


def find_learners(folder: Path | str) -> list[Learner]:
    """The learners in a class folder (either layout, see the module's docstring), by name.

    Examples
    --------
    >>> import tempfile
    >>> course = Path(tempfile.mkdtemp())
    >>> (course / "nbgrader" / "submitted" / "alice" / "ch01").mkdir(parents=True)
    >>> [(x.name, x.notes) for x in find_learners(course)]
    [('alice', ['no recognised exercise notebook'])]
    """
    folder = Path(folder)
    for submitted in (folder / "nbgrader" / "submitted", folder / "submitted"):
        if submitted.is_dir():
            folder = submitted
            break
    if not folder.is_dir():
        raise ValueError(f"folder: expected a folder of learners' folders, got {str(folder)!r}")
    learners = [Learner(p.name, p) for p in sorted(folder.iterdir())
                if p.is_dir() and not p.name.startswith(".") and p.name not in SKIPPED_FOLDERS]
    for learner in learners:
        _scan(learner)
    return learners


def _grade(path: Path, cell_timeout: float) -> tuple[list[Row], str]:
    return grade_notebook(path, cell_timeout)


def grade_class(learners: list[Learner], cell_timeout: float = 60.0, jobs: int = 1,
                echo: bool = False) -> list[Learner]:
    """Run every learner's notebooks (``jobs`` at a time, each in its own process and kernel)
    and fill each learner's ``rows``; a notebook that stopped early gets a note. With ``echo``,
    print one line per notebook as it completes.

    Of two or more copies of one notebook, every copy is graded and the best score counts (the
    newest on a tie); the note names the copy kept and the others' scores."""
    work = [(learner, path) for learner in learners for path in learner.notebooks]
    results: dict[int, tuple[list[Row], str]] = {}
    start = time.monotonic()

    def done(i: int, result: tuple[list[Row], str]) -> None:
        results[i] = result
        if echo:
            learner, path = work[i]
            rows, note = result
            got, most = sum(r.score for r in rows), sum(r.points for r in rows)
            print(f"[{len(results)}/{len(work)} {time.monotonic() - start:.0f} s] {learner.name}: "
                  f"{path.name} {_pts(got)}/{_pts(most)}" + (f" ({note})" if note else ""), flush=True)
    if jobs > 1 and len(work) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_grade, path, cell_timeout): i for i, (_, path) in enumerate(work)}
            for future in as_completed(futures):
                done(futures[future], future.result())
    else:
        for i, (_, path) in enumerate(work):
            done(i, _grade(path, cell_timeout))
    for learner in learners:
        copies: dict[str, list[tuple[Path, list[Row], str]]] = {}
        for i, (owner, path) in enumerate(work):
            if owner is learner:
                copies.setdefault(path.name, []).append((path, *results[i]))
        for name, graded in copies.items():
            best = max(graded, key=lambda g: (sum(r.score for r in g[1]), g[0].stat().st_mtime))
            learner.rows += best[1]
            if best[2]:
                learner.notes.append(f"{name}: {best[2]}")
            if len(graded) > 1:
                def where(g: tuple[Path, list[Row], str]) -> str:
                    got = _pts(sum(r.score for r in g[1]))
                    return f"{g[0].relative_to(learner.folder).as_posix()} ({got}/{_pts(sum(r.points for r in g[1]))})"
                others = ", ".join(where(g) for g in graded if g is not best)
                learner.notes.append(f"{len(graded)} copies of {name}: kept the best, {where(best)}; "
                                     f"not counted: {others}")
    return learners


def _exercise_ids(learners: list[Learner]) -> list[str]:
    """Every exercise any learner's notebooks grade, in course order (chapter, number)."""
    registry = all_exercises()
    ids = {f"ch{int(r.chapter):02d}_{r.exercise}" if r.chapter.isdigit() else r.exercise
           for learner in learners for r in learner.rows}

    def order(eid: str) -> tuple:
        exercise = registry.get(eid)
        return (0, exercise.chapter, exercise.number, eid) if exercise else (1, 0, 0, eid)
    return sorted(ids, key=order)


def _row_id(row: Row) -> str:
    return f"ch{int(row.chapter):02d}_{row.exercise}" if row.chapter.isdigit() else row.exercise


def _pts(x: float) -> str:
    return f"{x:g}"


def _cell(row: Row | None) -> str:
    """One learner's entry for one exercise: points, and why it is not passed."""
    if row is None:
        return "-"
    text = f"{_pts(row.score)}/{_pts(row.points)}"
    if row.status == "failed":
        text = f"{text} {row.reason}" if row.reason else f"{text} failed"
        return f"{text} (hint: {row.hint})" if row.hint else text
    return text if row.status == "passed" else f"{text} {row.status}"


def _summary(learners: list[Learner], eid: str) -> tuple[str, str]:
    """How many learners passed ("k/n", n all learners) and the most common hint or reason."""
    rows = [r for learner in learners for r in learner.rows if _row_id(r) == eid]
    passed = sum(r.status == "passed" for r in rows)
    said = Counter(r.hint or r.reason for r in rows if r.status == "failed" and (r.hint or r.reason))
    common = ""
    if said:
        text, count = said.most_common(1)[0]
        common = f"{text} ({count} of {sum(r.status == 'failed' for r in rows)} failed)"
    return f"{passed}/{len(learners)}", common


def _table(learners: list[Learner]) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """Header, one row per learner, and the two summary rows, as strings (CSV and print)."""
    ids = _exercise_ids(learners)
    header = ["learner", "total", *ids, "notes"]
    # Out of every exercise in the table: a chapter a learner has not handed in counts 0.
    points = {_row_id(r): r.points for learner in learners for r in learner.rows}
    most = _pts(sum(points.values()))
    body = []
    for learner in learners:
        by_id = {_row_id(r): r for r in learner.rows}
        total = f"{_pts(learner.score)}/{most}"
        body.append([learner.name, total, *(_cell(by_id.get(e)) for e in ids), "; ".join(learner.notes)])
    summaries = [_summary(learners, e) for e in ids]
    footer = [["[passed]", "", *(s[0] for s in summaries), ""],
              ["[most common hint]", "", *(s[1] for s in summaries), ""]]
    return header, body, footer


def write_csv(learners: list[Learner], path: Path | str) -> Path:
    """Write the class table to ``path`` (UTF-8 CSV): a header, one row per learner (each
    exercise's column: points, and the first line of a failure's reason), then the rows
    ``[passed]`` and ``[most common hint]``. Return the path."""
    header, body, footer = _table(learners)
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(body)
        writer.writerows(footer)
    return path


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def class_table(learners: list[Learner], width: int = WIDTH) -> str:
    """The class table as text, every line at most ``width`` characters: per learner the total
    and one mark per exercise (:data:`MARKS`), grouped by chapter; the flags; then per exercise
    how many passed and the most common hint. Reasons and hints in full: :func:`write_csv`.

    Examples
    --------
    >>> alice = Learner("alice", Path("alice"), rows=[
    ...     Row("01_x.ipynb", "1", "numerical_gradient", 2, "passed"),
    ...     Row("01_x.ipynb", "1", "gradient_descent", 3, "failed", "values: wrong", "You step uphill.")])
    >>> print(class_table([alice]))
    learner  total  ch1
    alice    2/5    +x
    <BLANKLINE>
    + passed  x failed  . not attempted  ! not run  - not handed in (reasons and hints: the CSV)
    <BLANKLINE>
    Per exercise (passed; most common hint):
      1.1  ch01_numerical_gradient: 1/1 passed
      1.2  ch01_gradient_descent: 0/1 passed; You step uphill. (1 of 1 failed)
    """
    header, body, footer = _table(learners)
    ids = header[2:-1]
    chapters: dict[str, list[int]] = {}  # "ch1" -> column indices of its exercises
    for i, eid in enumerate(ids):
        chapters.setdefault(f"ch{int(eid[2:4])}" if eid[2:4].isdigit() else "other", []).append(i)
    by_learner = [{_row_id(r): r for r in learner.rows} for learner in learners]
    names = [_fit(x.name, 20) for x in learners]
    grid = [["learner", "total", *chapters]]
    for name, row, rows in zip(names, body, by_learner):
        marks = ["".join(MARKS.get(rows[ids[i]].status, "?") if ids[i] in rows else "-" for i in cols)
                 for cols in chapters.values()]
        grid.append([name, row[1], *marks])
    widths = [max(len(r[i]) for r in grid) for i in range(len(grid[0]))]
    lines = [_fit("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip(), width) for r in grid]
    lines += ["", _fit("+ passed  x failed  . not attempted  ! not run  - not handed in "
                       "(reasons and hints: the CSV)", width)]
    flagged = [(r[0], r[-1]) for r in body if r[-1]]
    if flagged:
        lines += ["", "Flags:"]
        for name, notes in flagged:
            lines += textwrap.wrap(f"{name}: {notes}", width, initial_indent="  ", subsequent_indent="      ")
    lines += ["", "Per exercise (passed; most common hint):"]
    for (n, eid), passed, common in zip(_numbered(ids), footer[0][2:-1], footer[1][2:-1]):
        short = f"{int(eid[2:4])}.{n}" if eid[2:4].isdigit() else "?"
        text = f"  {short:<4} {eid}: {passed} passed" + (f"; {common}" if common else "")
        lines += textwrap.wrap(text, width, subsequent_indent="       ", drop_whitespace=True)
    return "\n".join(lines)


def _numbered(ids: list[str]) -> list[tuple[int, str]]:
    """``(position within its chapter, id)``, numbering each chapter's exercises from 1."""
    counts: Counter = Counter()
    out = []
    for eid in ids:
        counts[eid[:4]] += 1
        out.append((counts[eid[:4]], eid))
    return out


def class_progress(folder: Path | str, csv_path: Path | str | None = None, cell_timeout: float = 60.0,
                   jobs: int = 1, chapters: list[int] | None = None) -> list[Learner]:
    """Grade a class folder (see the module's docstring), print the table, write the CSV.

    Parameters
    ----------
    folder : path
        nbgrader's ``submitted/`` (or a folder holding it), or a folder of learners' homes.
    csv_path : path, optional
        Where to write the table as CSV (with every reason and hint).
    cell_timeout : float
        Seconds a single cell may run before it is interrupted.
    jobs : int
        Notebooks run at the same time (one process and kernel each); at most the CPUs you have.
    chapters : list of int, optional
        Grade and show only these chapters' notebooks (``[1]``: ``01_exercises_*.ipynb``).

    Returns
    -------
    list of Learner
        With their graded rows and flags.
    """
    if jobs < 1:
        raise ValueError(f"jobs: expected a positive number of notebooks run at once, got {jobs}")
    if chapters is not None and (not chapters or any(not 1 <= int(c) <= 99 for c in chapters)):
        raise ValueError(f"chapters: expected chapter numbers 1 to 99, got {chapters}")
    learners = find_learners(folder)
    if not learners:
        print(f"No learners' folders found in {folder}.")
        return []
    if chapters is not None:
        wanted = {f"{int(c):02d}" for c in chapters}
        for learner in learners:
            learner.notebooks = [p for p in learner.notebooks if p.name[:2] in wanted]
    count = sum(len(x.notebooks) for x in learners)
    print(f"grading {count} notebooks of {len(learners)} learners in {folder}, {jobs} at a time ...",
          flush=True)
    grade_class(learners, cell_timeout, jobs, echo=True)
    print()
    print(class_table(learners))
    if csv_path is not None:
        print(f"\nwrote {write_csv(learners, csv_path)}")
    return learners
