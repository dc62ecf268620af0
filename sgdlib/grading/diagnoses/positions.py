"""Patterns in where the returned items sit: transposed, reshaped, reversed or permuted, a loop
that stopped early or skipped indices, rows shifted by one, running totals, items that go wrong
after the first few.

Each pattern takes the pairs of one returned value (every case) and returns the hint's text
after "`name`: ", or None when the pattern does not hold.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..core import Exercise
from ..formatting import fmt
from .pair import SHOWN, Pair, _items, _wrong


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


def _same_array(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    """Every row the same, equal to the expected *last* row, while the expected rows move: one
    array stored again and again, then changed in place, so each stored row shows its final
    value."""
    def holds(p: Pair) -> bool:
        if p.right:
            return True
        if not p.same_shape or p.got.ndim < 2 or len(p.got) < 2:
            return False
        return p.near(p.got, np.broadcast_to(p.want[-1], p.want.shape)) and \
            not p.near(p.want, np.broadcast_to(p.want[-1], p.want.shape))

    if all(holds(p) for p in pairs):
        return ("every row is the same, the expected last row: you stored the same array at every "
                "step and then changed it in place (`x -= ...` after `trajectory.append(x)`), so "
                "every stored row shows its final value. Store a copy, "
                "`trajectory.append(x.copy())`, or make a new array each step, `x = x - ...`.")
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
    return (f"{start}: what you compute agrees with the formula on the first {_items(p)} only. "
            "A power of the index where a multiple belongs does that (`t * t` or `(1 + a)**t` "
            "equal `t` and `1 + a * t` at t = 0 and 1), and so does, in a loop, a variable that is "
            "not updated (or not reset) from one iteration to the next, or a condition that "
            "changes what the loop computes.")
