"""What the diagnoses compare: a :class:`Pair` (the learner's value next to the expected one on
one case), the tolerances a pattern holds within, and small helpers the patterns share."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Sequence

import numpy as np

from ..core import Case, Exercise
from ..formatting import fmt

PATTERN_RTOL = 1e-6  # a pattern holds within this, relative to the case's largest expected magnitude
# A float32 answer: float32 alone is off by this much at most (its rounding, 6e-8, grows to about
# 6e-8 / h ~ 1e-2 relative in a finite difference with h = 1e-5), so a pattern in float32 numbers
# holds within it; a gap larger than it is a mistake besides float32.
FLOAT32_RTOL = 1e-2
# float32 loses what lies below its rounding of the numbers of order 1 it computes with (1 - s for a
# sigmoid s near 1 is 0 in float32): differences under this are float32's too, whatever the result.
FLOAT32_ATOL = 1e-6
APPROXIMATE = 0.05  # "approximately right": every value within 5 % (relative) of the expected
ROUNDING_DIGITS = range(1, 13)  # "rounded to k decimals" is tried for these k (k = 0 is whole numbers)
SHOWN = 4  # how many per-case numbers a hint lists


@dataclass(frozen=True)
class Pair:
    """What the learner's function returned for one case (one returned value of it), next to
    the expected value.

    ``got`` keeps the dtype the learner returned (float32 and integer arrays are evidence);
    ``want`` is the reference's value as a float array. ``right`` means within the exercise's
    tolerance (:meth:`Exercise.close`), as ``check`` judges it.
    """

    case: Case
    got: np.ndarray
    want: np.ndarray
    right: bool

    @cached_property
    def scale(self) -> float:
        """The largest finite expected magnitude (1 when all are 0)."""
        finite = np.abs(self.want[np.isfinite(self.want)])
        largest = float(finite.max()) if finite.size else 0.0
        return largest if largest > 0 else 1.0

    @property
    def same_shape(self) -> bool:
        return self.got.shape == self.want.shape

    def gaps(self, got: np.ndarray, pattern: np.ndarray) -> np.ndarray:
        """``|got - pattern|`` relative to the pattern's magnitude: that of its whole row for a
        2-D array (a trajectory's first rows and last rows may be 1e19 apart), of the whole
        array otherwise; a row of zeros is measured against ``1e-9`` of the smallest nonzero
        row, so it must be zero to rounding. Only finite entries set a magnitude; an inf or nan
        in the pattern is matched by the same inf or a nan only."""
        got, pattern = np.asarray(got, dtype=float), np.asarray(pattern, dtype=float)
        with np.errstate(all="ignore"):
            magnitude = np.where(np.isfinite(pattern), np.abs(pattern), 0.0)
            if pattern.ndim >= 2:
                magnitude = magnitude.max(axis=tuple(range(1, pattern.ndim)), keepdims=True)
            elif pattern.size:
                magnitude = magnitude.max()
            positive = magnitude[np.isfinite(magnitude) & (magnitude > 0)]
            floor = 1e-9 * (positive.min() if positive.size else self.scale)
            gap = np.abs(got - pattern) / np.maximum(magnitude, floor)
            same = (got == pattern) | (np.isnan(got) & np.isnan(pattern))
        return np.where(same, 0.0, np.where(np.isnan(gap), np.inf, gap))

    @property
    def rtol(self) -> float:
        """How near a pattern must be: :data:`PATTERN_RTOL`, or :data:`FLOAT32_RTOL` when the
        learner returned float32 numbers (a mistake in float32 is the pattern to float32's
        precision)."""
        return FLOAT32_RTOL if self.got.dtype == np.float32 else PATTERN_RTOL

    def near(self, got: np.ndarray, pattern: np.ndarray) -> bool:
        """Whether ``got`` equals ``pattern`` within :attr:`rtol` (see :meth:`gaps`)."""
        got, pattern = np.asarray(got), np.asarray(pattern)
        return got.shape == pattern.shape and bool(np.all(self.gaps(got, pattern) <= self.rtol))

    def matches(self, pattern: np.ndarray) -> bool:
        """Whether the learner's value is ``pattern`` (of the expected value) on this case."""
        return self.near(self.got, pattern)


Diagnosis = Callable[[Sequence[Pair], Exercise], "str | None"]


def _wrong(pairs: Sequence[Pair]) -> list[Pair]:
    return [p for p in pairs if not p.right]


def _whole(a: np.ndarray) -> bool:
    a = np.asarray(a, dtype=float)
    return bool(np.all(np.isfinite(a)) and np.all(a == np.round(a)))


def _float32_exact(a: np.ndarray) -> bool:
    a = np.asarray(a, dtype=float)
    with np.errstate(all="ignore"):
        return bool(np.all(np.isfinite(a)) and np.all(a.astype(np.float32).astype(float) == a))


def _items(pair: Pair) -> str:
    """What the first axis of this value holds, for messages: rows of a 2-D array, else entries."""
    return "rows" if pair.want.ndim >= 2 else "entries"


def _example(pair: Pair) -> str:
    """A short "(e.g. expected 0.2, got 0.0)" when the value is a single number, else ""."""
    if pair.want.size == 1 and pair.got.size == 1:
        return f" (e.g. expected {fmt(pair.want.ravel()[0], 6)}, got {fmt(pair.got.ravel()[0], 6)})"
    return ""
