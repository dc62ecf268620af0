"""Graded exercises: immediate feedback for self-study, nbgrader for classes.

* :func:`check` - ``check("<exercise id>", fn)`` in a graded cell: a short report, and an
  ``AssertionError`` (0 points in nbgrader) unless the function is fully correct.
* :func:`grade` - the same checks, returning the :class:`Report` without showing or raising.
* :func:`try_it` - wraps a "try it" cell so it keeps working before the exercise is done, and
  stops it after ``check``'s time limit when a function never returns.
* :func:`get_exercise`, :func:`all_exercises` - the registry; each exercise of chapter ``N``
  is declared in its own file, ``sgdlib/grading/exercises/chNN/<function>.py`` (see
  :mod:`sgdlib.grading.core`).
* :func:`progress` - run your (saved) exercise notebooks in fresh kernels and print a progress
  table: ``from sgdlib.grading import progress; progress()`` in a notebook cell, or
  ``make progress`` / ``.venv/bin/python -m sgdlib progress`` in a terminal.
* :mod:`sgdlib.grading.classview` - a whole class's progress, one row per learner:
  ``make class-progress`` or ``.venv/bin/python -m sgdlib progress --class DIR``.
* ``python -m sgdlib.grading.generate`` - regenerate ``exercises/`` from ``solutions/`` (a
  learner's changed notebook is moved to ``exercises/.backup/`` first, never overwritten).

The reference implementations are in those exercise files. You can read them, as you can read
the answers at the back of a book; you learn more if you do not.
"""

from .checker import check, grade
from .core import Case, Exercise, Output, Probe
# Each function shadows its module as an attribute of the package; import the module's other
# names with `from sgdlib.grading.progress import ...`, which is unaffected.
from .progress import progress
from .try_it import try_it
from .registry import all_exercises, get_exercise
from .report import CheckFailed, Report

__all__ = ["check", "grade", "try_it", "progress", "Case", "CheckFailed", "Exercise", "Output", "Probe",
           "Report", "all_exercises", "get_exercise"]
