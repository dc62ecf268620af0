"""Patterns in an error message: the mistake an exception names."""

from __future__ import annotations

import re

from ..core import Case, Exercise
from ..formatting import fmt
from .cases import _integer_args


# NumPy's error for `x -= lr * g` when x holds integers: an in-place update keeps x's dtype.
_IN_PLACE_INTO_INTEGERS = re.compile(
    r"Cannot cast ufunc '(\w+)' output from dtype\('(?:float|complex)\w*'\) to dtype\('u?int\w*'\)")
_IN_PLACE_OPERATOR = {"add": "+=", "subtract": "-=", "multiply": "*=", "divide": "/="}


# NumPy's error for `v * X` with v of shape (n,) and X of shape (n, d): v lines up with X's last axis.
_NOT_BROADCAST = re.compile(
    r"operands could not be broadcast together with shapes \((\d+),\) \((\d+),(\d+)\)")


def diagnose_error(exercise: Exercise, case: Case, message: str) -> list[str]:
    """Hints for the mistake named by the error ``message`` the function raised on ``case``;
    [] when none is recognised.

    Examples
    --------
    >>> import numpy as np
    >>> from sgdlib.grading import get_exercise
    >>> ex = get_exercise("ch01_gradient_descent")
    >>> case = Case((None, np.array([4, -2]), 0.05, 3))
    >>> message = ("Cannot cast ufunc 'subtract' output from dtype('float64') to dtype('int64') "
    ...            "with casting rule 'same_kind'")
    >>> diagnose_error(ex, case, message)[0][:62]
    '`x0` is an integer array here (x0 = [4, -2]), and `-=` updates'
    >>> diagnose_error(ex, case, "operands could not be broadcast together with shapes (4,) (4,2) ")[0][:58]
    'A vector of shape (4,) meets an array of shape (4, 2): Num'
    """
    hints = [_in_place_into_integers(exercise, case, message), _vector_against_rows(message)]
    return [hint for hint in hints if hint]


def _in_place_into_integers(exercise: Exercise, case: Case, message: str) -> str | None:
    match = _IN_PLACE_INTO_INTEGERS.search(message)
    if match is None:
        return None
    operator = _IN_PLACE_OPERATOR.get(match.group(1))
    update = f"`{operator}` updates" if operator else "an in-place operation updates"
    why = ("in place, NumPy keeps the array's dtype, and an integer array cannot hold the float "
           "result: that is what \"Cannot cast ufunc ... output\" means.")
    integers = _integer_args(case, exercise)
    if not integers:
        return (f"{update[0].upper()}{update[1:]} an integer array (one made with `dtype=int`, or "
                f"from whole numbers such as `np.array([0, 0])`): {why} Make it a float array "
                "(`dtype=float`).")
    name, arg = next(iter(integers.items()))
    return (f"`{name}` is an integer array here ({name} = {fmt(arg)}), and {update} an array made "
            f"from it (`x = {name}`, `{name}.copy()`, `np.zeros_like({name})`): {why} Start from a "
            f"float copy, `x = np.array({name}, dtype=float)`: being a copy, it also leaves the "
            f"caller's `{name}` unchanged.")


def _vector_against_rows(message: str) -> str | None:
    """A vector with one entry per row of a matrix, multiplied (or added) without a new axis."""
    match = _NOT_BROADCAST.search(message)
    if match is None:
        return None
    n, rows, columns = (int(g) for g in match.groups())
    if n != rows or n == columns:
        return None
    return (f"A vector of shape ({n},) meets an array of shape ({rows}, {columns}): NumPy lines a "
            "vector up with the *last* axis of an array, its columns, so they do not fit - and "
            "where they happen to (a square array), the vector scales the columns, not the rows. "
            "To scale row i by v[i], give the vector an axis: `v[:, None] * X`.")
