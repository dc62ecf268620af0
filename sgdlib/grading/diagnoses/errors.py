"""Patterns in an error message: the mistake an exception names."""

from __future__ import annotations

import os
import re
import sysconfig

import numpy as np

from ..core import Case, Exercise
from ..alarm import GRADING_DIR
from ..formatting import fmt
from ..sandbox import run_trusted
from .cases import _integer_args


# NumPy's error for `x -= lr * g` when x holds integers: an in-place update keeps x's dtype.
_IN_PLACE_INTO_INTEGERS = re.compile(
    r"Cannot cast ufunc '(\w+)' output from dtype\('(?:float|complex)\w*'\) to dtype\('u?int\w*'\)")
_IN_PLACE_OPERATOR = {"add": "+=", "subtract": "-=", "multiply": "*=", "divide": "/="}


# NumPy's error for `v * X` with v of shape (n,) and X of shape (n, d): v lines up with X's last axis.
_NOT_BROADCAST = re.compile(
    r"operands could not be broadcast together with shapes \((\d+),\) \((\d+),(\d+)\)")


def diagnose_error(exercise: Exercise, case: Case, message: str, traceback: str = "") -> list[str]:
    """Hints for the mistake named by the error ``message`` the function raised on ``case``;
    [] when none is recognised. ``traceback``, the innermost frames' text, may name the line
    that raised (which array an in-place update wrote into).

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
    >>> diagnose_error(ex, case, "'NoneType' object is not subscriptable")[0][:54]
    'A value you index, slice or loop over is None: a NumPy'
    """
    hints = [_in_place_into_integers(exercise, case, message, traceback), _vector_against_rows(message),
             _none_from_in_place(message), _division_by_zero(exercise, case, message, traceback),
             _negative_size(message), _matmul_of_numbers(message), _matrix_expected(message),
             _unequal_split(message), _slice_too_short(message), _truth_of_array(exercise, message)]
    return [hint for hint in hints if hint]


def _in_place_into_integers(exercise: Exercise, case: Case, message: str, traceback: str = "") -> str | None:
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
    # The line that raised may name the array the update writes into: `buf *= momentum`.
    targets = set(re.findall(r"(\w+)(?:\[[^\]]*\])?\s*(?:\*|\+|-|/|//)=(?!=)", _raising_line(traceback)))
    named = targets & set(integers)
    if len(named) == 1:
        integers = {name: integers[name] for name in named}
    elif len(integers) > 1 and len(targets) == 1:  # a local array, made from one of the inputs
        local = next(iter(targets))
        shown = "; ".join(f"{name} = {fmt(arg)}" for name, arg in integers.items()).replace("\n", "")
        return (f"`{local}` is an integer array here, made from an integer input ({shown}), and "
                f"{update} it: {why} Make it a float array: `{local} = np.zeros(..., dtype=float)`, "
                f"or `np.zeros_like(..., dtype=float)`, or `np.array(..., dtype=float)`.")
    if len(integers) > 1:  # which of them the update writes into, the message does not say
        names = " and ".join(f"`{name}`" for name in integers)
        shown = "; ".join(f"{name} = {fmt(arg)}" for name, arg in integers.items()).replace("\n", "")
        return (f"{names} are integer arrays here ({shown}), and {update} one of them, or an "
                "array made from one (`x = a`, `a.copy()`, `np.zeros_like(a)`): "
                f"{why} Compute a new float array instead (`new = 0.5 * a + b`, not `a *= 0.5`), "
                "or start from a float copy, `x = np.array(a, dtype=float)`: either also leaves "
                "the caller's arrays unchanged.")
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


# Python's messages for indexing, slicing or iterating over None.
_NONE_USED = re.compile(r"'NoneType' object is not (subscriptable|iterable)|object of type 'NoneType' has no len")


def _none_from_in_place(message: str) -> str | None:
    """A result of a method that works in place (and returns None) used as a value."""
    if _NONE_USED.search(message) is None:
        return None
    return ("A value you index, slice or loop over is None: a NumPy or Python method that works in "
            "place returns None (`rng.shuffle(a)`, `a.sort()`, `lst.append(x)`, `np.random.shuffle(a)`), "
            "so `order = rng.shuffle(a)` stores None. Call it on its own line and use `a` "
            "afterwards, or use the version that returns a new array (`rng.permutation(n)`, "
            "`np.sort(a)`).")


# Source that is not the learner's: the standard library, installed packages (numpy), sgdlib.
_NOT_LEARNERS = tuple(os.path.normcase(os.path.abspath(p)) for p in {
    sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"],
    sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"],
    os.path.dirname(GRADING_DIR)})
_FRAME = re.compile(r'^\s*File "([^"]*)", line \d+')


def _learners_file(path: str) -> bool:
    if path.startswith("<"):  # a notebook cell, <string>, <stdin>
        return True
    path = os.path.normcase(os.path.abspath(path))
    return not ("site-packages" in path or "dist-packages" in path
                or any(path.startswith(folder + os.sep) for folder in _NOT_LEARNERS))


def _raising_line(traceback: str) -> str:
    """The source line that raised in the innermost frame of the learner's code (not numpy's,
    the standard library's or sgdlib's), from a traceback's text; ``""`` when it has none.

    Examples
    --------
    >>> tb = ('  File "<cell>", line 3, in step\\n    return lr / momentum\\n'
    ...       f'  File "{np.__file__}", line 9, in mean\\n    return a / n\\n')
    >>> _raising_line(tb)
    'return lr / momentum'
    """
    frames: list[tuple[str, list[str]]] = []
    for line in traceback.splitlines():
        match = _FRAME.match(line)
        if match:
            frames.append((match.group(1), []))
        elif frames and line.strip() and set(line.strip()) - set("^~ "):
            frames[-1][1].append(line.strip())
    if not frames and traceback.strip():  # text without `File` lines: its last source line
        frames = [("<text>", [line.strip() for line in traceback.splitlines()
                              if line.strip() and set(line.strip()) - set("^~ ")])]
    for path, lines in reversed(frames):
        if _learners_file(path) and lines:
            return lines[-1]
    return ""


def _division_by_zero(exercise: Exercise, case: Case, message: str, traceback: str = "") -> str | None:
    """Python's `/` (on int or float, not on NumPy numbers) raising on a zero divisor, in a case
    made to have one: an argument that is 0, or an expected value that is inf or nan (a division
    by 0 in NumPy). A division by zero on an ordinary case is another mistake."""
    if "division by zero" not in message and "modulo by zero" not in message:
        return None
    zeros = [name for name, arg in zip(exercise.arg_names, case.args)
             if isinstance(arg, (int, float)) and not isinstance(arg, bool) and arg == 0]
    reference = run_trusted(exercise.reference, case.call_args())  # seeded as in every check
    if reference.status != "ok":
        return None
    expected = reference.value
    try:
        infinite = not np.all(np.isfinite(np.asarray(expected, dtype=float)))
    except (TypeError, ValueError):
        return None
    if not zeros and not infinite:
        return None
    # The divisor is named only when every division on the line is by a name standing alone
    # (not `/ (a - b)`, `/ b ** 2`, `/ b[k]` or `/ f(b)`) and one of them can be 0: a zero
    # argument, or a local name. Otherwise which quantity is 0 cannot be read from the line.
    line = _raising_line(traceback)
    alone = re.findall(r"(?<!/)//?\s*([A-Za-z_]\w*)\b(?!\s*(?:[\(\[.]|\*\*))", line)
    divisions = re.findall(r"(?<![/*])//?(?!=)", line)
    divisors = [name for name in dict.fromkeys(alone)
                if name in zeros or name not in exercise.arg_names]
    if len(divisors) == 1 and len(alone) == len(divisions):  # a zero divisor standing alone
        where = f"you divide by `{divisors[0]}`, which is 0 in this case"
    elif len(zeros) > 1:  # which one is the divisor, the message does not say
        where = f"{' and '.join(f'`{name}`' for name in zeros)} are 0 in this case (one is what you divide by)"
    else:
        where = f"`{zeros[0]}` is 0 in this case" if zeros else "a quantity you divide by is 0 in this case"
    return (f"ZeroDivisionError: {where}, and Python's `/` on plain numbers (an int, or a float "
            f"from `float(...)` or `len(...)`) raises where NumPy's would give inf or nan. The "
            f"expected result here is {fmt(expected)}: treat the zero on its own before dividing "
            "(an `if`), or divide only where the divisor is not 0 (`np.where`, or a loop that "
            "never reaches that division).")


def _negative_size(message: str) -> str | None:
    """An array made with a negative length: a difference of sizes that goes below 0."""
    if "negative dimensions are not allowed" not in message:
        return None
    return ("An array you make gets a negative length (np.zeros, np.full, np.ones): a difference "
            "of two sizes, such as `n_steps - warmup_steps`, is negative in this case. Clip it, "
            "`max(0, ...)`, or build the result at its full length first and fill parts of it "
            "(`rates = np.full(n_steps, ...)`, then `rates[:k] = ...`).")


# NumPy's message for `a @ b` where both are scalars (a mean or sum without its axis).
_MATMUL_OF_NUMBERS = re.compile(r"unsupported operand type\(s\) for @: '(?:numpy\.)?(?:float|int)\w*' "
                                r"and '(?:numpy\.)?(?:float|int)\w*'")


def _matmul_of_numbers(message: str) -> str | None:
    if _MATMUL_OF_NUMBERS.search(message) is None:
        return None
    return ("`@` was given single numbers, not arrays: a value you meant as a vector is one number, "
            "often a mean or sum taken without its axis (`G.mean()` averages every entry; "
            "`G.mean(axis=0)` gives one mean per column). Give the reduction its `axis=`.")


def _matrix_expected(message: str) -> str | None:
    """np.trace or np.diag of something that is not a matrix: np.cov's 0-d result, for one."""
    if "diag requires an array of at least two dimensions" not in message:
        return None
    return ("np.trace (or np.diag) got a single number, not a matrix. np.cov treats each *row* as "
            "one variable unless `rowvar=False`, and returns a single number when there is only "
            "one variable: for gradients stored one per row use `np.cov(G, rowvar=False, "
            "bias=True)` (wrapped in np.atleast_2d), or simply `np.var(G, axis=0)`.")


def _unequal_split(message: str) -> str | None:
    """np.split into a number of parts that does not divide the length."""
    if "array split does not result in an equal division" not in message:
        return None
    return ("np.split(a, k) cuts a into k *equal* parts and raises when len(a) is not a multiple "
            "of k. To cut at given positions pass them instead of a count, "
            "`np.split(order, range(batch_size, n, batch_size))` (then the last part may be "
            "smaller), or slice, `order[start:start + batch_size]`.")


# NumPy's error for `a[i:j] = values` with more values than the slice holds.
_SLICE_TOO_SHORT = re.compile(r"could not broadcast input array from shape \((\d+),\) into shape \((\d+),\)")


def _slice_too_short(message: str) -> str | None:
    match = _SLICE_TOO_SHORT.search(message)
    if match is None:
        return None
    values, room = (int(k) for k in match.groups())
    if values <= room:
        return None
    return (f"You assign {values} values to a slice that holds {room}: a slice such as `a[:k]` "
            "stops at the end of the array, so it is shorter than k when k > len(a). Make the "
            f"values as long as the slice: compute them for `np.arange(min(k, len(a)))`, or cut "
            "them to the slice's length.")


def _truth_of_array(exercise: Exercise, message: str) -> str | None:
    """An array used where Python wants one True or False: `if buf == None`, `if not buf`."""
    if "truth value of an array with more than one element is ambiguous" not in message:
        return None
    nones = [name for k, name in enumerate(exercise.arg_names)
             if any(len(case.args) > k and case.args[k] is None for case in exercise.fixed_cases)]
    none_test = (f" To test whether `{nones[0]}` is None, write `if {nones[0]} is None:`: "
                 f"`{nones[0]} == None` compares every entry of an array with None, and "
                 f"`not {nones[0]}` asks a whole array for one True or False.") if nones else ""
    return ("An `if`, `while`, `and`, `or` or `not` got an array with several entries, and an "
            "array is not one True or False: that is what \"truth value ... is ambiguous\" means."
            f"{none_test} To ask about the entries, say which question: `(a > 0).any()`, "
            "`(a > 0).all()`, or compute elementwise with `np.where(a > 0, x, y)`.")
