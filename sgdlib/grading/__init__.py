"""Graded exercises: immediate feedback for self-study, nbgrader for classes.

* :func:`check` - ``check("<exercise id>", fn)`` in a graded cell: a short report, and an
  ``AssertionError`` (0 points in nbgrader) unless the function is fully correct.
* :func:`grade` - the same checks, returning the :class:`Report` without showing or raising.
* :func:`try_it` - wraps a "try it" cell so it keeps working before the exercise is done, and
  stops it after ``check``'s time limit when a function never returns.
* :func:`get_exercise`, :func:`all_exercises` - the registry; chapter ``N`` declares its
  exercises in ``sgdlib/grading/chNN.py`` (see :mod:`sgdlib.grading.core`).
* ``python -m sgdlib.grading.generate`` - regenerate ``exercises/`` from ``solutions/``.
* ``python -m sgdlib progress`` - run your exercise notebooks and print a progress table.

The reference implementations are in the chapter modules. You can read them, as you can read
the answers at the back of a book; you learn more if you do not.
"""

from .checker import check, grade, try_it
from .core import Case, Exercise, Output, Probe
from .registry import all_exercises, get_exercise
from .report import Report

__all__ = ["check", "grade", "try_it", "Case", "Exercise", "Output", "Probe", "Report",
           "all_exercises", "get_exercise"]
