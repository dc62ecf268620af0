"""Generic diagnoses: mistakes recognisable in any answer, whatever the exercise.

When a learner's function fails and none of the exercise's own probes recognises the mistake,
:func:`diagnose` lays what the function returned next to the expected value on every case and
looks for a pattern that names the mistake: a constant factor, float32 precision, rounding, a
loop that stopped early, rows shifted by one, a transposed result, and so on. Each pattern gives
a one-line hint. When the function raised instead, :func:`diagnose_error` reads the error
message for a mistake it names. Nothing here runs the learner's code: it reads the values and
errors ``check`` already has.

A pattern is recognised only when it holds on *every* case (a case the function gets right
counts against a pattern that would change it) and the function is wrong on at least one, as a
probe is. The patterns are tried in the order of :data:`DIAGNOSES`, most specific first; the
first one that holds gives the hint. An exercise's probes are tried before all of them, so a
probe's hint, which names its mistake in the exercise's own terms, wins where both match.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Iterator, Mapping, Sequence

import numpy as np

from .core import Case, Exercise
from .formatting import fmt

__all__ = ["diagnose", "diagnose_error", "DIAGNOSES", "Pair", "PATTERN_RTOL", "FLOAT32_RTOL", "APPROXIMATE"]

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


# ---------------------------------------------------------------------------------------------
# The patterns, in the order they are tried. Each takes the pairs of one returned value (every
# case) and returns the hint's text after "`name`: ", or None when the pattern does not hold.


def _zeros(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    # Zero up to rounding: a mean of deviations from the mean is 1e-17, not 0.
    if all(p.same_shape and np.all(np.abs(p.got) <= PATTERN_RTOL * p.scale) for p in pairs) and \
            any(np.any(p.want) for p in pairs):
        return ("zero everywhere, where the expected values are not: nothing is written into the "
                "result (a loop that never runs, an update to a copy that is then dropped), or a "
                "factor is 0 - integer division such as `2 // n` is 0 once n > 2.")
    return None


def _whole_numbers(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    def holds(p: Pair) -> bool:
        if p.right:
            return True
        if not p.same_shape:
            return False
        if p.got.dtype.kind in "iu":
            return True
        return _whole(p.got) and bool(np.all(np.abs(p.got - p.want) < 1 + 1e-9))

    wrong = _wrong(pairs)
    if all(holds(p) for p in pairs) and any(not _whole(p.want) for p in wrong):
        p = wrong[0]
        dtype = f" (an array of dtype {p.got.dtype})" if p.got.dtype.kind in "iu" else _example(p)
        return (f"whole numbers where the expected values have fractions{dtype}: something cuts the "
                "fraction off - integer division `//`, `int(...)`, or an integer array "
                "(`np.zeros_like`, `.copy()` or `dtype=` of an integer input, `dtype=int`). Use `/` "
                "and float arrays (`dtype=float`).")
    return None


def _float32(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    """float32 numbers, off by no more than float32 arithmetic explains: within
    :data:`FLOAT32_RTOL` relative or :data:`FLOAT32_ATOL` absolute, or anything where the
    expected value is beyond float32's range (where float32 overflows). A float32 answer that
    is further off has another mistake, which the later patterns name."""
    def holds(p: Pair) -> bool:
        if p.right:
            return True
        if not p.same_shape or not (p.got.dtype == np.float32 or (
                p.got.dtype.kind == "f" and _float32_exact(p.got))):
            return False
        with np.errstate(invalid="ignore"):
            beyond = ~(np.abs(p.want) <= np.finfo(np.float32).max)
            small = np.abs(p.got.astype(float) - p.want) <= FLOAT32_ATOL
        return bool(np.all((p.gaps(p.got, p.want) <= FLOAT32_RTOL) | small | beyond))

    if all(holds(p) for p in pairs) and any(
            not _float32_exact(p.want) and not _whole(p.got) for p in _wrong(pairs)):
        return ("float32 precision (about 7 significant digits; a finite difference or a long loop "
                "loses more): some of your numbers are float32 (`dtype=np.float32`, "
                "`.astype(np.float32)`). Compute in float64, NumPy's default.")
    return None


def _rounded(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    for k in ROUNDING_DIGITS:
        def holds(p: Pair) -> bool:
            return p.right or (p.same_shape and bool(np.allclose(
                p.got.astype(float), np.round(p.want, k), rtol=1e-12, atol=10.0 ** -(k + 4))))

        if all(holds(p) for p in pairs):
            return (f"the expected value rounded to {k} decimal{'s' if k > 1 else ''}"
                    f"{_example(_wrong(pairs)[0])}: return it unrounded (round only what you print).")
    return None


def _transposed(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    def holds(p: Pair) -> bool:
        return p.right or (p.got.ndim == 2 and p.want.ndim == 2 and p.matches(p.want.T))

    if all(holds(p) for p in pairs):
        p = _wrong(pairs)[0]
        return (f"transposed: the right numbers, but shape {p.got.shape} where {p.want.shape} is "
                "expected (in the smallest failing case). Drop the `.T`, or build the array from a "
                "list of rows (`np.array(rows)`, not `np.column_stack`).")
    return None


def _reshaped(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    def holds(p: Pair) -> bool:
        return p.right or (p.got.size == p.want.size and not p.same_shape
                           and p.matches(p.want.reshape(p.got.shape)))

    if all(holds(p) for p in pairs):
        p = _wrong(pairs)[0]
        return (f"the right numbers in the wrong shape: {p.got.shape} where {p.want.shape} is "
                "expected (in the smallest failing case). Drop the extra brackets or `[:, None]`, "
                "or reshape the result.")
    return None


def _permuted(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    def reversed_(p: Pair) -> bool:
        return p.right or p.matches(p.want[::-1])

    def permuted(p: Pair) -> bool:
        return p.right or (p.same_shape and p.near(np.sort(p.got.ravel()), np.sort(p.want.ravel())))

    wrong = _wrong(pairs)
    # Values close to the expected ones in their own order are a near miss (another diagnosis).
    if not all(p.want.ndim >= 1 for p in wrong) or all(p.matches(p.want) for p in wrong):
        return None
    if all(reversed_(p) for p in pairs):
        items = _items(wrong[0])
        return (f"the expected {items} in reverse order: check the direction of your loop and of "
                "your indexing (`[::-1]`, a `range` that counts down).")
    if all(permuted(p) for p in pairs):
        return ("the right numbers, in a different order: an index mix-up (`i` and `j` swapped, "
                "an index computed wrongly, or a sort).")
    return None


def _stalled(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    """The first k items right, then item k - 1 repeated exactly to the end while the expected
    items move on: a loop stopped by a test, its last value filling the rest."""
    def first_repeat(p: Pair) -> int:
        """k with items k.. exact copies of item k - 1 and items ..k - 1 right; 0 when none."""
        if not p.same_shape or p.got.ndim == 0 or len(p.got) < 2:
            return 0
        k = len(p.got) - 1
        while k > 0 and np.array_equal(p.got[k - 1], p.got[-1], equal_nan=True):
            k -= 1
        k += 1  # items k.. repeat item k - 1
        if k >= len(p.got):
            return 0
        rest = p.want[k:]
        if np.array_equal(rest, np.broadcast_to(p.want[k - 1], rest.shape), equal_nan=True):
            return 0  # the expected items stand still there too
        return k if exercise.close(p.got[:k], p.want[:k]) else 0

    wrong = _wrong(pairs)
    ks = [first_repeat(p) for p in wrong]
    # A repeat from item 1 on in every case is a point never updated (another diagnosis): a stop
    # shows where it comes later, after two or more right steps.
    if all(ks) and max(ks) >= 3:
        p, k = wrong[0], ks[0]
        item = "row" if p.want.ndim >= 2 else "entry"
        head = (f"the first {k} {_items(p)} are right, then {item} {k - 1} repeats" if k > 1
                else f"only {item} 0 is right, then it repeats")
        return (f"{head} to the end (in the case shown): your loop ends too early - a stopping "
                "test (a `break` when the values barely change, grow very large or stop being "
                "finite) ends it and its last value fills the rest. Compute every one, even when "
                "the values stop changing or overflow to inf or nan.")
    return None


def _shifted(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    def holds(p: Pair, lead: int) -> bool:
        """Whether your item k is expected item k + lead wherever both exist. An empty result is
        not shifted (the shape message says what is missing)."""
        if p.right:
            return True
        if p.got.ndim == 0 or p.want.ndim == 0 or p.got.shape[1:] != p.want.shape[1:]:
            return False
        start, stop = max(0, -lead), min(len(p.got), len(p.want) - lead)
        if stop <= start:  # nothing to compare (one row each): no evidence either way
            return len(p.got) > 0
        return p.near(p.got[start:stop], p.want[start + lead:stop + lead])

    wrong = _wrong(pairs)
    # Evidence: on some wrong case the expected value changes from one item to the next.
    if not any(p.want.ndim >= 1 and len(p.want) > 1 and not p.near(p.want[1:], p.want[:-1])
               for p in wrong):
        return None
    item = "row" if wrong[0].want.ndim >= 2 else "entry"
    for lead, where in ((1, "k + 1 (everything moved up by one)"),
                        (-1, "k - 1 (everything moved down by one)")):
        if all(holds(p, lead) for p in pairs):
            return (f"your {item} k holds the expected {item} {where}: check the index you store at, "
                    f"and that {item} 0 is stored before the loop changes anything.")
    return None


def _running_total(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    def holds(p: Pair) -> bool:
        return p.right or (p.want.ndim >= 1 and p.matches(np.cumsum(p.want, axis=0)))

    if all(holds(p) for p in pairs):
        items = _items(_wrong(pairs)[0])
        return (f"each of your {items} is the running total of the expected ones up to it: something "
                "that should start afresh in each iteration keeps its value from the previous one. "
                "Reset it inside the loop (e.g. set a unit vector's entry back to 0, or make a new "
                "`np.zeros(d)` each time).")
    return None


def _unfilled(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    """The right values where the function wrote any, zeros or nothing elsewhere."""
    def bad_items(p: Pair) -> np.ndarray | None:
        """Indices (first axis) of the items that are zero instead of right; None: other mistake."""
        if p.got.ndim == 0 or p.got.shape[1:] != p.want.shape[1:] or len(p.got) > len(p.want):
            return None
        want = p.want[:len(p.got)]
        bad = [k for k in range(len(p.got)) if not p.near(p.got[k], want[k])]
        if any(np.any(p.got[k]) or not np.any(want[k]) for k in bad):
            return None
        return np.array(bad + list(range(len(p.got), len(p.want))), dtype=int)

    wrong = _wrong(pairs)
    found = [bad_items(p) for p in wrong]
    if any(b is None or b.size == 0 for b in found):
        return None
    # Evidence that the function does write values: somewhere a nonzero expected item is right.
    written = [(p, b) for p, b in zip(wrong, found) if b.size < len(p.want)]
    if not written:
        return None
    if all(np.array_equal(b, np.arange(b[0], len(p.want))) for p, b in zip(wrong, found)):
        p, bad = written[0]
        rest = "missing" if len(p.got) < len(p.want) else "still zero"
        short = {len(q.want) - b[0] for q, b in zip(wrong, found)}
        if short == {1}:
            where = (f"in every failing case only the last {'row' if p.want.ndim >= 2 else 'entry'} "
                     f"is wrong: it is {rest}")
        else:
            case = "the case shown" if p is wrong[0] else f'the case "{p.case.label}"'
            where = (f"only the first {bad[0]} of {len(p.want)} {_items(p)} are right in {case}, "
                     f"the rest are {rest}")
        if p.want.ndim >= 2:
            return (f"{where}: your loop ends too early - check its `range(...)` and any `break` (a "
                    "stopping test or a divergence guard). Every row must be computed, even when "
                    "the values stop changing, grow very large or overflow to inf and nan.")
        return (f"{where}: your loop ends too early - check its `range(...)`: it must visit every "
                "index, `range(len(x))`.")
    p, bad = written[0]
    item = "row" if p.want.ndim >= 2 else "entry"
    shown = ", ".join(str(k) for k in bad[:SHOWN]) + (", ..." if bad.size > SHOWN else "")
    which = f"{item} {shown} is" if bad.size == 1 else f"{_items(p)} {shown} are"
    return (f"{which} still zero while the others are right (in a failing case): your loop skips "
            "some indices. Does it visit every index, starting at 0 (`range(len(x))`)?")


def _first_wrong(p: Pair) -> int:
    """How many leading items (first axis) of the learner's value are right; 0 when its items are
    not shaped like the expected ones."""
    if p.got.ndim == 0 or p.got.shape[1:] != p.want.shape[1:]:
        return 0
    k = 0
    while k < min(len(p.got), len(p.want)) and p.near(p.got[k], p.want[k]):
        k += 1
    return k


def _goes_wrong(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    """The first k >= 2 items right, then wrong values: something in the loop is not updated."""
    wrong = _wrong(pairs)
    ks = [_first_wrong(p) for p in wrong]
    if not all(2 <= k < min(len(p.got), len(p.want)) for k, p in zip(ks, wrong)):
        return None
    p, k = wrong[0], ks[0]
    item = "row" if p.want.ndim >= 2 else "entry"
    start = (f"the first {k} {_items(p)} are right, then they go wrong (from {item} {k} on, in the "
             "case shown)")
    with np.errstate(all="ignore"):
        # Evidence of a value reused from before the loop: each of your steps is the same.
        steps = [np.diff(q.got.astype(float), axis=0) for q in wrong]
        if all(q.got.ndim >= 2 and np.all(np.isfinite(d))
               and q.near(d, np.broadcast_to(d[0], d.shape)) for q, d in zip(wrong, steps)):
            return (f"{start}, and every step you take is the same: a value computed once before "
                    "the loop and reused (the gradient at the start point?) - compute it again at "
                    "each new point, inside the loop.")

        # Evidence of a cap: it goes wrong where the expected values reach a new largest
        # magnitude, and yours stay smaller.
        def largest(a: np.ndarray) -> float:
            return float(np.max(np.abs(a))) if a.size else 0.0

        if all(largest(q.want[j]) > largest(q.want[:j]) and largest(q.got[j]) < largest(q.want[j])
               for q, j in zip(wrong, ks)):
            return (f"{start}, where the expected values grow past {fmt(largest(p.want[:k]), 3)} "
                    "and yours stay smaller: something caps large values (`np.clip`, "
                    "`np.nan_to_num`, a limit on the step). Let them grow: a diverging run must "
                    "show its divergence, up to inf and nan.")
    return (f"{start}: look at what changes from one iteration of your loop to the next - a "
            "variable that is not updated or not reset, or a condition that changes what the loop "
            "computes.")


def _sizes(exercise: Exercise, pairs: Sequence[Pair]) -> dict[str, list[float]]:
    """Each size of the inputs (``X.shape[0]``, ``len(x)``, an integer argument) on every case.

    Two names with the same value on every case are one size; the first name is kept, looking at
    matrices before vectors, so ``X.shape[1]`` is preferred to ``len(theta)``.
    """
    named: list[tuple[int, str, list[float]]] = []  # (-ndim, name, values)
    for index, name in enumerate(exercise.arg_names):
        args = [p.case.args[index] if index < len(p.case.args) else None for p in pairs]
        if all(isinstance(a, np.ndarray) for a in args):
            ndims = {a.ndim for a in args}
            if len(ndims) == 1 and (ndim := ndims.pop()) >= 1:
                for axis in range(ndim):
                    label = f"len({name})" if ndim == 1 else f"{name}.shape[{axis}]"
                    named.append((-ndim, label, [float(a.shape[axis]) for a in args]))
        elif all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in args):
            named.append((0, name, [float(a) for a in args]))
    sizes: dict[str, list[float]] = {}
    for _, label, values in sorted(named, key=lambda item: item[0]):
        if values not in sizes.values():
            sizes[label] = values
    return sizes


def _size_factors(sizes: dict[str, list[float]]) -> Iterator[tuple[str, np.ndarray, str]]:
    """Factors built from the sizes: (the factor as written, its value on every case, what a
    result that many times the expected one says about the code)."""
    with np.errstate(all="ignore"):
        for s, v in sizes.items():
            x = np.array(v)
            yield s, x, f"a division by {s} is missing (a sum where the mean belongs?)"
            yield f"1 / {s}", 1 / x, f"an extra division by {s} (a mean where a sum belongs?)"
            yield f"{s} / ({s} - 1)", x / (x - 1), f"you divided by {s} - 1 where {s} belongs"
        for (a, va), (b, vb) in itertools.permutations(sizes.items(), 2):
            yield (f"{a} / {b}", np.array(va) / np.array(vb),
                   f"you divided by {b} where {a} belongs (is {b} the size you meant?)")
        for s, v in sizes.items():
            x = np.array(v)
            for written, values in ((f"2 * {s}", 2 * x), (f"{s} / 2", x / 2), (f"2 / {s}", 2 / x),
                                    (f"1 / (2 * {s})", 1 / (2 * x)), (f"{s}**2", x * x),
                                    (f"{s}**2 / 2", x * x / 2), (f"1 / {s}**2", 1 / (x * x))):
                yield (written, values, "a factor that depends on the size of the input is wrong - "
                       "check each `*` and `/` by a size (`a / 2*n` means (a / 2) * n)")


def _factor(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    def ratio(p: Pair) -> float | None:
        """c with got = c * want on this case (1 where it is right), None when no factor fits."""
        if p.right:
            return 1.0
        if not p.same_shape or not np.any(p.want) or not np.all(np.isfinite(p.want)):
            return None
        c = float(np.sum(p.got.astype(float) * p.want) / np.sum(p.want * p.want))
        return c if p.matches(c * p.want) else None

    wrong = _wrong(pairs)
    if all(p.matches(p.want) for p in wrong):
        return None  # a factor of 1: a near miss (another diagnosis)
    ratios = [ratio(p) for p in pairs if not p.right or np.any(p.want)]  # a factor shows where want != 0
    if any(c is None for c in ratios) or all(c == 0 for c in ratios):
        return None  # not a multiple, or zero everywhere (another diagnosis)
    # A single number is always a multiple of another: only several cases make a factor evidence.
    scalar = all(p.want.size == 1 for p in wrong)
    if scalar and len({round(float(p.want.ravel()[0]), 12) for p in wrong}) < 2:
        return None

    def fits(factors: Sequence[float]) -> bool:
        return all(p.matches(f * p.want) for p, f in zip(pairs, factors))

    c = ratio(wrong[0])
    if fits([float(f"{c:.3g}")] * len(pairs)):  # a float32 answer's ratio, 2.0027, is 2
        c = float(f"{c:.3g}")
    if fits([c] * len(pairs)):
        if np.isclose(c, -1.0):
            return ("the negative of the expected value in every case: a sign is flipped (a "
                    "difference taken the wrong way round, or + where - belongs).")
        name = {2.0: "twice", 0.5: "half"}.get(round(c, 9), f"{fmt(c, 6)} times")
        return (f"{name} the expected value in every case (ratio {fmt(c, 6)}): a constant factor "
                "is wrong - check each constant of the formula (a 2, a 1/2), and the parentheses "
                "around a division (`a / 2*h` means (a / 2) * h).")
    for written, values, meaning in _size_factors(_sizes(exercise, pairs)):
        if fits(values):
            return f"{written} times the expected value in every case: {meaning}."
    if scalar:
        return None
    shown = ", ".join(fmt(c, 4) for c in ratios[:SHOWN]) + (", ..." if len(ratios) > SHOWN else "")
    return (f"a multiple of the expected value, but by a factor that changes from case to case "
            f"({shown}): a factor that depends on the input is wrong - a size (n, d, a number of "
            "steps) or integer division (`2 // n` is 0 once n > 2).")


def _reciprocal(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    wrong = _wrong(pairs)
    if not all(p.same_shape and np.all(p.want != 0) and np.all(p.got != 0) for p in wrong):
        return None
    wants = np.concatenate([np.abs(p.want).ravel() for p in wrong])
    if np.ptp(wants) <= PATTERN_RTOL * wants.max():
        return None  # one value only: any number is a constant over it
    product = float((wrong[0].got.astype(float) * wrong[0].want).ravel()[0])
    if all(p.right or p.matches(product / p.want) for p in pairs):
        if np.isclose(product, 1.0):
            return ("the reciprocal of the expected value (1 / value) in every case: a fraction is "
                    "upside down (`b / a` for `a / b`).")
        return (f"{fmt(product, 6)} divided by the expected value in every case (yours times the "
                f"expected is {fmt(product, 6)}): a fraction is upside down (`b / a` or `a * b` "
                "for `a / b`).")
    return None


def _power(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    wrong = _wrong(pairs)
    if not all(p.same_shape and np.all(p.want > 0) and np.all(np.isfinite(p.want)) for p in wrong):
        return None
    wants = np.concatenate([p.want.ravel() for p in wrong])
    if np.ptp(np.log(wants)) <= PATTERN_RTOL:
        return None  # one value only: any number is a constant times a power of it
    for power, what, advice in (
            (0.5, "the square root", "a root where none belongs (a root-mean-square where the mean "
                                     "square is asked, a norm for a squared norm)"),
            (2.0, "the square", "one square too many (`** 2` applied twice, a squared norm or "
                                "`H @ H` where the plain one is asked)")):
        p = wrong[0]
        c = float(p.got.ravel()[0]) / float(p.want.ravel()[0]) ** power
        if all(p.right or p.matches(c * p.want ** power) for p in pairs):
            scaled = "" if np.isclose(c, 1.0) else f"{fmt(c, 6)} times "
            return f"{scaled}{what} of the expected value in every case: {advice}."
    return None


def _sign_pattern(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    def holds(p: Pair) -> bool:
        return p.right or (p.same_shape and p.matches(np.abs(p.want) * np.sign(p.got)))

    wrong = _wrong(pairs)
    if all(p.matches(p.want) for p in wrong):
        return None  # close in sign and size: a near miss (another diagnosis)
    if all(holds(p) for p in pairs) and any(p.want.size > 1 for p in wrong):
        p = wrong[0]
        flipped = int(np.sum(p.gaps(p.got, p.want) > p.rtol))
        return (f"the right magnitudes, but {flipped} of {p.want.size} signs are wrong (in the "
                "smallest failing case): a sign error in one term or one branch (a difference "
                "taken the wrong way round for some entries, or an `abs()`).")
    return None


def _approximate(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    def gap(p: Pair) -> float:
        return float(np.max(p.gaps(p.got, p.want))) if p.same_shape and p.want.size else np.inf

    gaps = [gap(p) for p in _wrong(pairs)]
    if max(gaps) < APPROXIMATE:
        return (f"close, not exact: within {fmt(100 * max(gaps), 2)}% of the expected values, but "
                "not within the tolerance - an approximation where the exact value is asked (a "
                "finite difference in place of the exact formula, too few iterations, another "
                "step size), a small term added or missing, or float32 arithmetic. Compare it "
                "with the formula term by term.")
    return None


def _row_factors(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    """Every row of a 2-D result is the expected row times its own number: the right direction
    per row (an example's x_i, say), a wrong scalar in front of it."""
    def factors(p: Pair) -> np.ndarray | None:
        """c with got row k = c_k * want row k, for every k; None when some row is not a multiple."""
        if p.want.ndim != 2 or not p.same_shape:
            return None
        got, want = p.got.astype(float), p.want
        with np.errstate(all="ignore"):
            c = np.sum(got * want, axis=1) / np.sum(want * want, axis=1)
        c = np.where(np.any(want, axis=1), c, 0.0)
        return c if p.matches(c[:, None] * want) else None

    wrong = _wrong(pairs)
    found = [factors(p) for p in wrong]
    if any(c is None for c in found) or not any(np.ptp(c) > PATTERN_RTOL * np.max(np.abs(c)) for c in found):
        return None
    shown = ", ".join(fmt(c, 4) for c in found[0][:SHOWN]) + (", ..." if found[0].size > SHOWN else "")
    return (f"each of your rows is the expected row times its own number ({shown} in a failing "
            "case): every row points the right way, but the scalar in front of it is wrong. Check "
            "the factor computed for each row (each example) against the formula.")


DIAGNOSES: tuple[Diagnosis, ...] = (
    _zeros, _whole_numbers, _float32, _rounded, _transposed, _reshaped, _stalled, _shifted,
    _permuted, _running_total, _unfilled, _goes_wrong, _factor, _reciprocal, _power, _sign_pattern,
    _approximate, _row_factors,
)


# ---------------------------------------------------------------------------------------------
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


def _small_inputs_only(cases: Sequence[tuple[Case, bool]], exercise: Exercise) -> str | None:
    """Right on every input up to some size (at least 2), wrong on larger ones."""
    right = [_largest_dimension(c) for c, ok in cases if ok]
    wrong = [_largest_dimension(c) for c, ok in cases if not ok]
    if right and wrong and min(wrong) > max(right) >= 2:
        return (f"Your function is right on every input of size {max(right)} or less and wrong on "
                "larger ones: a size is fixed somewhere (an index such as `[1]` for the last "
                "entry, or `range(2)`). Use `[-1]`, `len(...)` or `.shape`.")
    return None


def _as_array(value: Any) -> np.ndarray | None:
    try:
        a = np.asarray(value)
    except Exception:
        return None
    return a if a.dtype.kind in "fiub" else None


def diagnose(exercise: Exercise, cases: Sequence[Case], got: Mapping[int, Any],
             expected: Mapping[int, Any], drifted: bool = False,
             shown: Case | None = None) -> list[str]:
    """Hints for the mistakes recognisable in ``got`` against ``expected``; [] when none.

    Parameters
    ----------
    exercise : Exercise
        The exercise (its returned values, argument names and tolerance).
    cases : sequence of Case
        The cases, indexed as ``got`` and ``expected``.
    got, expected : mapping of case index to returned value
        What the learner's function and the reference returned; cases missing from either are
        left out.
    drifted : bool
        The function changed an input in place, so a later evaluation inside it may have seen a
        moved point and its values say little. Only the pattern read from *which* cases fail is
        looked for then: wrong on integer inputs only.
    shown : Case or None
        The failing case the report shows: a hint that quotes one case quotes this one when it
        can (the smallest failing case otherwise).

    Examples
    --------
    >>> from sgdlib.grading import get_exercise
    >>> ex = get_exercise("ch01_mse_loss_and_grad")
    >>> cases = ex.cases()
    >>> def twice(theta, X, y):
    ...     loss, grad = ex.reference(theta, X, y)
    ...     return loss, 2 * grad
    >>> got = {i: twice(*c.args) for i, c in enumerate(cases)}
    >>> want = {i: ex.reference(*c.args) for i, c in enumerate(cases)}
    >>> diagnose(ex, cases, got, want)[0][:50]
    '`grad`: twice the expected value in every case (ra'
    """
    indices = [i for i in range(len(cases)) if i in got and i in expected]
    indices.sort(key=lambda i: cases[i] is not shown)  # the case shown first, the order kept otherwise
    many = len(exercise.returns) > 1
    parts: list[list[Pair]] = []
    for k in range(len(exercise.returns)):
        pairs = []
        for i in indices:
            try:
                g, w = (got[i][k], expected[i][k]) if many else (got[i], expected[i])
            except (TypeError, IndexError, KeyError):
                return []
            g, w = _as_array(g), _as_array(w)
            if g is None or w is None:
                return []
            w = w.astype(float)
            pairs.append(Pair(cases[i], g, w, exercise.close(g, w)))
        parts.append(pairs)
    whole = [(cases[i], all(part[n].right for part in parts)) for n, i in enumerate(indices)]
    if all(right for _, right in whole):
        return []

    hint = _integer_inputs(whole, exercise)
    if hint or drifted:
        return [hint] if hint else []
    found: dict[str, list[str]] = {}  # hint text -> the returned values it describes
    right = [f"`{out.name}`" for out, pairs in zip(exercise.returns, parts)
             if all(p.right for p in pairs)]
    for out, pairs in zip(exercise.returns, parts):
        if all(p.right for p in pairs):
            continue
        text = next((t for t in (d(pairs, exercise) for d in DIAGNOSES) if t), None)
        if text is None and right:
            # No pattern, but the other values are right: that narrows where the mistake is.
            text = (f"wrong, while {' and '.join(right)} {'is' if len(right) == 1 else 'are'} right "
                    f"on every case: the mistake is in the lines that compute `{out.name}` only. "
                    "Compare them with its formula, term by term.")
        if text:
            found.setdefault(text, []).append(f"`{out.name}`")
    if found:
        return [f"{' and '.join(names)}: {text}" for text, names in found.items()]
    hint = _small_inputs_only(whole, exercise)
    return [hint] if hint else []


# ---------------------------------------------------------------------------------------------
# Patterns in an error message: the mistake an exception names.

# NumPy's error for `x -= lr * g` when x holds integers: an in-place update keeps x's dtype.
_IN_PLACE_INTO_INTEGERS = re.compile(
    r"Cannot cast ufunc '(\w+)' output from dtype\('(?:float|complex)\w*'\) to dtype\('u?int\w*'\)")
_IN_PLACE_OPERATOR = {"add": "+=", "subtract": "-=", "multiply": "*=", "divide": "/="}


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
    """
    match = _IN_PLACE_INTO_INTEGERS.search(message)
    if match is None:
        return []
    operator = _IN_PLACE_OPERATOR.get(match.group(1))
    update = f"`{operator}` updates" if operator else "an in-place operation updates"
    why = ("in place, NumPy keeps the array's dtype, and an integer array cannot hold the float "
           "result: that is what \"Cannot cast ufunc ... output\" means.")
    integers = _integer_args(case, exercise)
    if not integers:
        return [f"{update[0].upper()}{update[1:]} an integer array (one made with `dtype=int`, or "
                f"from whole numbers such as `np.array([0, 0])`): {why} Make it a float array "
                "(`dtype=float`)."]
    name, arg = next(iter(integers.items()))
    return [f"`{name}` is an integer array here ({name} = {fmt(arg)}), and {update} an array made "
            f"from it (`x = {name}`, `{name}.copy()`, `np.zeros_like({name})`): {why} Start from a "
            f"float copy, `x = np.array({name}, dtype=float)`: being a copy, it also leaves the "
            f"caller's `{name}` unchanged."]
