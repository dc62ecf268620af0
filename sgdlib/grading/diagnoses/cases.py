"""Patterns over whole cases: which cases fail says what is wrong (integer inputs only, large
inputs only)."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..core import Case, Exercise
from ..formatting import fmt

# Patterns over whole cases: which cases fail says what is wrong.


def _integer_args(case: Case, exercise: Exercise) -> dict[str, np.ndarray]:
    return {name: arg for name, arg in zip(exercise.arg_names, case.args)
            if isinstance(arg, np.ndarray) and arg.dtype.kind in "iu"}


def _integer_inputs(cases: Sequence[tuple[Case, bool]], exercise: Exercise) -> str | None:
    """Right on every float input, wrong on some integer one."""
    wrong = [case for case, right in cases if not right]
    if wrong and all(_integer_args(case, exercise) for case in wrong) and any(
            right and not _integer_args(case, exercise) for case, right in cases):
        integers = _integer_args(wrong[0], exercise)
        shown = "; ".join(f"{name} = {fmt(arg)}" for name, arg in integers.items()).replace("\n", "")
        name = next(iter(integers))
        return (f"Your function is right on every float input but wrong when an input holds "
                f"integers ({shown}): an integer array stores only whole numbers, so a float "
                f"written into an array made from it (`np.zeros_like({name})`, `{name}.copy()`, "
                f"`dtype={name}.dtype`) is cut off. "
                f"Start from a float copy: `{name} = np.array({name}, dtype=float)` (a copy, so "
                "it also leaves the caller's array unchanged).")
    return None


def _largest_dimension(case: Case) -> int:
    return max((max(a.shape) for a in case.args if isinstance(a, np.ndarray) and a.ndim), default=0)


MIN_RIGHT_CASES = 2  # one right case, often a trivial one, is no evidence of a size limit


def _small_inputs_only(cases: Sequence[tuple[Case, bool]], exercise: Exercise) -> str | None:
    """Right on every input up to some size (at least 2, and on at least
    :data:`MIN_RIGHT_CASES` cases), wrong on larger ones.

    Examples
    --------
    >>> from sgdlib.grading import get_exercise
    >>> ex = get_exercise("ch01_numerical_gradient")
    >>> small, medium, large = (Case((None, np.zeros(k))) for k in (2, 3, 5))
    >>> _small_inputs_only([(small, True), (medium, True), (large, False)], ex)[:48]
    'Your function is right on every input of size 3 '
    >>> _small_inputs_only([(small, True), (medium, False), (large, False)], ex) is None
    True
    """
    right = [_largest_dimension(c) for c, ok in cases if ok]
    wrong = [_largest_dimension(c) for c, ok in cases if not ok]
    if len(right) >= MIN_RIGHT_CASES and wrong and min(wrong) > max(right) >= 2:
        return (f"Your function is right on every input of size {max(right)} or less and wrong on "
                "larger ones: a size is fixed somewhere (an index such as `[1]` for the last "
                "entry, or `range(2)`). Use `[-1]`, `len(...)` or `.shape`.")
    return None
