"""``python -m sgdlib progress``: run your exercise notebooks and print a progress table.

In a notebook cell the same is ``from sgdlib.grading import progress; progress()`` (it grades
the saved files: save first).

Each notebook runs top to bottom in a fresh kernel of this Python (in-process with nbclient),
with a time limit per cell, carrying on past cells that fail. An exercise scores its points
when its graded cell ran without error. A notebook that crashes part way keeps the points of
the exercises that passed before the crash; the ones after it are "not run". The table names
each exercise's notebook and, for a failed one, the first line of why it failed.

``progress`` never grades a ``solutions/`` folder (the course's answers): without a path it
grades the course's ``exercises/``, found from the course folder, from a folder inside it, or
from the folder the course was cloned into (a hub home folder), whatever the clone is called;
from the home folder it also grades the assignments fetched there with nbgrader (``ch01/``, ...).
Walking a folder, it skips the lessons' ``notebooks/`` (``00_start_here`` calls ``check`` too).
A whole class, one row per learner: :mod:`sgdlib.grading.classview`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import nbformat

from .registry import all_exercises

__all__ = ["Row", "execute_notebook", "graded_cells", "grade_notebook", "find_notebooks", "progress",
           "format_table", "default_folders", "SKIPPED_FOLDERS"]

# A graded cell calls check("chNN_name", ...); the id names the chapter, whatever the file is called.
_CHECK_CALL = re.compile(r"""check\(\s*["'](ch(\d\d)_\w+)["']""")
# Set in the kernels that progress starts: a progress() cell inside a graded notebook must not
# grade that notebook again (and again ...).
_RUNNING = "SGDLIB_PROGRESS_RUNNING"
#: Folders never searched for notebooks to grade (besides hidden ones such as ``.backup``,
#: ``.ipynb_checkpoints`` and ``.venv``): the answers, and nbgrader's instructor folder.
SKIPPED_FOLDERS = frozenset({"solutions", "nbgrader", "__pycache__", "node_modules"})
# Lessons: not graded when a folder is walked (a lesson notebook passed by name still is).
_LESSON_FOLDERS = frozenset({"notebooks"})
# An assignment fetched with nbgrader's Assignments tab: ~/ch01/, ~/ch02/, ...
_FETCHED = re.compile(r"^ch\d\d$")

@dataclass(frozen=True)
class Row:
    """One graded cell: where it is, what it is worth and how it went."""

    notebook: str
    chapter: str
    exercise: str
    points: float
    status: str  # "passed", "failed", "not attempted" or "not run"
    reason: str = ""  # why it failed: the first line of the graded cell's error
    hint: str = ""  # the first hint check's report gave (the mistake it recognised), if any

    @property
    def score(self) -> float:
        return self.points if self.status == "passed" else 0.0


def _this_python_kernel_manager():
    """An (async) kernel manager class that starts ipykernel in *this* Python, whatever
    kernelspecs are installed, so the learner's notebooks see this environment's sgdlib."""
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    class ThisPythonKernelManager(AsyncKernelManager):
        @property
        def kernel_spec(self):
            return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                              display_name="Python 3", language="python", resource_dir=".",
                              env={_RUNNING: "1"})

    return ThisPythonKernelManager


def execute_notebook(nb: nbformat.NotebookNode, cwd: Path, cell_timeout: float = 60.0) -> str:
    """Run ``nb`` in place in a fresh kernel, carrying on past failing cells and interrupting a
    cell after ``cell_timeout`` seconds. Return ``""``, or a note when the run stopped early
    (e.g. the kernel died); the cells that ran keep their outputs either way."""
    from nbclient import NotebookClient

    client = NotebookClient(nb, kernel_manager_class=_this_python_kernel_manager(), kernel_name="python3",
                            timeout=cell_timeout, allow_errors=True, interrupt_on_timeout=True,
                            shutdown_kernel="immediate", resources={"metadata": {"path": str(cwd)}})
    try:
        # The kernel's own log lines (not the notebook's output) would only clutter the table.
        client.execute(stderr=subprocess.DEVNULL)
    except Exception as exc:  # kernel died, ...: keep what ran before
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return f"stopped early: {type(exc).__name__}: {first_line}"
    return ""


def _status(cell, exercise_id: str) -> tuple[str, str]:
    """The graded cell's status and, when it failed, the first line of why."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        name, message = str(errors[0].get("ename", "")), str(errors[0].get("evalue", ""))
        if "not attempted" in message:
            return "not attempted", ""
        prefix = f"{exercise_id}: "
        if message.startswith(prefix):  # check's own message: "<id>: <check>: <what is wrong>"
            reason = message[len(prefix):]
        else:
            reason = f"{name}: {message}" if message else name
        return "failed", (reason.strip().splitlines() or [""])[0]
    if cell.get("execution_count") is None:
        return "not run", ""
    return "passed", ""


def _first_hint(cell) -> str:
    """The first line of the first hint in the graded cell's report (its plain-text form)."""
    for output in cell.get("outputs", []):
        text = output.get("data", {}).get("text/plain", "") or output.get("text", "")
        lines = "".join(text).splitlines()
        if "  Hints:" in lines:
            after = lines[lines.index("  Hints:") + 1:]
            if after and after[0].startswith("  - "):
                return after[0][len("  - "):].strip()
    return ""


def _exercise_id(cell) -> str | None:
    """The exercise id a code cell grades: its nbgrader ``grade_id``, else its ``check`` call."""
    if cell.cell_type != "code":
        return None
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("grade") and str(meta.get("grade_id", "")).startswith("ch"):
        return meta["grade_id"]
    found = _CHECK_CALL.search(cell.source)
    return found.group(1) if found else None


def graded_cells(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """``(cell index, exercise id)`` of every graded cell: nbgrader ``grade`` cells and cells
    calling ``check("chNN_...", ...)``.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> graded_cells(new_notebook(cells=[new_code_cell("x = 1"),
    ...                                  new_code_cell('check("ch02_sgd_step", sgd_step)')]))
    [(1, 'ch02_sgd_step')]
    """
    return [(i, eid) for i, cell in enumerate(nb.cells) if (eid := _exercise_id(cell)) is not None]


def _chapter(exercise_id: str) -> str:
    """The exercise's chapter, "?" for an id no exercise has (its graded cell fails anyway)."""
    exercise = all_exercises().get(exercise_id)
    return str(exercise.chapter) if exercise is not None else "?"


def grade_notebook(path: Path, cell_timeout: float = 60.0) -> tuple[list[Row], str]:
    """Execute one exercise notebook; return its rows and a note ("" when it ran to the end).

    The notebook file is not modified.
    """
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:  # start clean: a stale output must not count as a pass
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    note = execute_notebook(nb, path.parent, cell_timeout)
    rows = []
    for index, exercise_id in graded_cells(nb):
        cell = nb.cells[index]
        # Points come from nbgrader's metadata; a cell without it (a hand-made copy) counts 1.
        points = float(cell.metadata.get("nbgrader", {}).get("points", 1))
        status, reason = _status(cell, exercise_id)
        rows.append(Row(path.name, _chapter(exercise_id), exercise_id.split("_", 1)[1], points,
                        status, reason, _first_hint(cell) if status == "failed" else ""))
    return rows, note


def format_table(rows: list[Row]) -> str:
    """The progress table as text: one row per exercise, with its notebook, and after a
    failed status the first line of why it failed.

    Examples
    --------
    >>> print(format_table([Row("01_a.ipynb", "1", "numerical_gradient", 2, "passed"),
    ...                     Row("01_a.ipynb", "1", "gradient_descent", 3, "failed",
    ...                         "values: wrong value of the final point (last row)")]))
    chapter  notebook    exercise            points  status
    1        01_a.ipynb  numerical_gradient  2/2     passed
    1        01_a.ipynb  gradient_descent    0/3     failed: values: wrong value of the final point (last row)
    total                                    2/5     1 of 2 exercises passed
    """
    def pts(x: float) -> str:
        return f"{x:g}"

    notebook = max([len("notebook")] + [len(r.notebook) for r in rows])
    exercise = max([len("exercise")] + [len(r.exercise) for r in rows])
    lines = [f"{'chapter':<8} {'notebook':<{notebook}}  {'exercise':<{exercise}}  {'points':<7} status"]
    for r in rows:
        status = f"{r.status}: {r.reason}" if r.reason else r.status
        lines.append(f"{r.chapter:<8} {r.notebook:<{notebook}}  {r.exercise:<{exercise}}  "
                     f"{pts(r.score) + '/' + pts(r.points):<7} {status}")
    got, total = sum(r.score for r in rows), sum(r.points for r in rows)
    passed = sum(r.status == "passed" for r in rows)
    lines.append(f"{'total':<8} {'':<{notebook}}  {'':<{exercise}}  {pts(got) + '/' + pts(total):<7} "
                 f"{passed} of {len(rows)} exercises passed")
    return "\n".join(lines)


def find_notebooks(folder: Path) -> list[Path]:
    """Every ``*.ipynb`` under ``folder`` with at least one graded cell, in name order;
    Jupyter's ``.ipynb_checkpoints``, other hidden folders, :data:`SKIPPED_FOLDERS`
    (``solutions/`` among them) and the lessons' ``notebooks/`` below ``folder`` are skipped."""
    candidates = []
    for root, dirs, files in os.walk(folder):
        # prune, e.g. .venv and solutions/: never walk them
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS | _LESSON_FOLDERS]
        candidates += [Path(root) / f for f in files if f.endswith(".ipynb") and not f.startswith(".")]
    found = []
    for path in sorted(candidates):
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:  # not a readable notebook: not an exercise notebook either
            continue
        if graded_cells(nb):
            found.append(path)
    return found


def default_folders(here: Path) -> list[Path]:
    """Where ``progress()`` looks when given no path, from folder ``here``.

    ``here/exercises`` (the course's top folder); ``here`` itself when it is an ``exercises``
    folder (a notebook cell in one); ``../exercises`` from another folder of the course (e.g.
    ``notebooks/``); every ``*/exercises`` one level down (a home folder the course was cloned
    into, whatever the clone is called), with the assignments fetched there with nbgrader
    (``ch01/``, ...); else ``here``. ``solutions/`` is never among them.

    Examples
    --------
    >>> import tempfile
    >>> home = Path(tempfile.mkdtemp())
    >>> for folder in ("my-course/exercises", "my-course/notebooks", "my-course/solutions", "ch01"):
    ...     (home / folder).mkdir(parents=True)
    >>> [p.relative_to(home).as_posix() for p in default_folders(home)]
    ['my-course/exercises', 'ch01']
    >>> [p.relative_to(home).as_posix() for p in default_folders(home / "my-course" / "notebooks")]
    ['my-course/exercises']
    """
    if (here / "exercises").is_dir():
        return [here / "exercises"]
    name = here.resolve().name  # also for here = Path(".")
    if name == "exercises":
        return [here]
    if (here / ".." / "exercises").is_dir() and name not in SKIPPED_FOLDERS:
        return [here.parent / "exercises" if here.name else Path("..") / "exercises"]
    clones = sorted(p.parent for p in here.glob("*/exercises")
                    if p.is_dir() and not p.parent.name.startswith(".") and p.parent.name not in SKIPPED_FOLDERS)
    fetched = sorted(p for p in here.glob("ch[0-9][0-9]") if p.is_dir() and _FETCHED.match(p.name))
    return [clone / "exercises" for clone in clones] + fetched or [here]


def progress(path: Path | str | None = None, cell_timeout: float = 60.0) -> list[Row]:
    """Grade every exercise notebook in folder ``path`` (any ``*.ipynb`` with graded cells, see
    :func:`find_notebooks`), or the one notebook ``path``; print the table.

    Without ``path``: see :func:`default_folders` - the course's ``exercises/`` from the course
    folder, a folder in it, or the folder the course was cloned into; in a notebook the start is
    the notebook's own folder, so ``progress()`` in a cell of an exercise notebook in
    ``exercises/`` grades ``exercises/``. A ``solutions/`` folder is never graded. Notebooks are
    read from disk: save yours first.
    """
    if os.environ.get(_RUNNING):
        print("progress() skipped: this notebook is itself being graded by progress.")
        return []
    folders = default_folders(Path(".")) if path is None else [Path(path)]
    if any(f.is_dir() and (f.resolve().name == "submitted" or (f / "submitted").is_dir()) for f in folders):
        print(f"{folders[0]} looks like nbgrader's submitted/, a whole class: grade it with "
              f"`python -m sgdlib progress --class {folders[0]}` (one row per learner).")
        return []
    if any(f.is_dir() and f.resolve().name in SKIPPED_FOLDERS for f in folders):
        print(f"progress does not grade {folders[0]}: it holds the answers (or nbgrader's files), "
              "not your work. Grade exercises/ (the default), or pass one notebook file.")
        return []
    notebooks = []
    for folder in folders:
        notebooks += _notebooks_at(folder)
    if not notebooks:
        where = ", ".join(str(f) for f in folders)
        print(f"No exercise notebooks found at {where}: pass a folder or an .ipynb file whose "
              "graded cells call check(...).")
        return []
    rows: list[Row] = []
    names = [p.name for p in notebooks]
    for nb_path in notebooks:
        print(f"running {nb_path} ...", flush=True)
        nb_rows, note = grade_notebook(nb_path, cell_timeout)
        if note:
            print(f"  {nb_path.name}: {note}")
        if names.count(nb_path.name) > 1:  # two copies (the clone's and a fetched one): say which
            nb_rows = [replace(r, notebook=f"{nb_path.parent.name}/{r.notebook}") for r in nb_rows]
        rows += nb_rows
    print()
    print(format_table(rows))
    return rows


def _notebooks_at(path: Path) -> list[Path]:
    """The exercise notebooks in folder ``path``, or ``[path]`` for one existing notebook."""
    if path.is_dir():
        return find_notebooks(path)
    if path.suffix == ".ipynb" and path.exists():
        return [path]
    return []
