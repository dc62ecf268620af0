"""Patterns in a list of index arrays (the mini-batches of an epoch): a batch missing, one
example short or too many, batches sorted, indices shifted, examples used twice, another random
order, batches of the wrong sizes.

Each pattern takes the :class:`Batches` of every case and returns the hint's text after
"`name`: ", or None when the pattern does not hold. As for the other diagnoses, a pattern
holds on *every* case (a right case holds trivially) and the function is wrong on some.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ..core import Case

__all__ = ["Batches", "BATCH_DIAGNOSES", "diagnose_batches"]

SHOWN_EXAMPLES = 4  # how many example indices a hint lists


@dataclass(frozen=True)
class Batches:
    """The learner's batches for one case next to the expected ones; ``right`` as ``check``
    judges it; ``batch_size`` the case's ``batch_size`` argument (``None`` when it has none)."""

    case: Case
    got: list[np.ndarray]
    want: list[np.ndarray]
    right: bool
    batch_size: int | None = None

    @property
    def got_lengths(self) -> list[int]:
        return [len(b) for b in self.got]

    @property
    def want_lengths(self) -> list[int]:
        return [len(b) for b in self.want]


BatchDiagnosis = Callable[[Sequence[Batches]], "str | None"]


def _equal(a: np.ndarray, b: np.ndarray) -> bool:
    return len(a) == len(b) and bool(np.array_equal(a, b))


def _same_batches(got: Sequence[np.ndarray], want: Sequence[np.ndarray]) -> bool:
    return len(got) == len(want) and all(_equal(g, w) for g, w in zip(got, want))


def _all(batches: Sequence[Batches], holds: Callable[[Batches], bool]) -> bool:
    return all(b.right or holds(b) for b in batches)


def _sorted(batches: Sequence[Batches]) -> str | None:
    def holds(b: Batches) -> bool:
        return _same_batches(b.got, [np.sort(w) for w in b.want])

    if _all(batches, holds):
        return ("each batch holds the right examples, but sorted (np.sort, sorted(...)): the order "
                "inside a batch is part of the answer. Return the slices of the permutation as "
                "they are, `order[start:start + batch_size]`.")
    return None


def _last_missing(batches: Sequence[Batches]) -> str | None:
    def holds(b: Batches) -> bool:
        return len(b.want) >= 1 and _same_batches(b.got, b.want[:-1])

    if not _all(batches, holds):
        return None
    wrong = [b for b in batches if not b.right]
    full = [b for b in wrong if b.batch_size is not None and len(b.want[-1]) == b.batch_size]
    if len(full) == len(wrong):
        return ("the expected batches without the last one, which is a full batch here: you drop "
                "the last batch even when batch_size divides n (`batches[:-1]`, `batches.pop()`). "
                "Leave out only a *smaller* last batch, and only with drop_last: "
                "`if drop_last and len(batches[-1]) < batch_size`.")
    return ("the expected batches without the last, smaller one: your count of batches rounds "
            "down (`n // batch_size`, `round(n / batch_size)`, `int(...)`). Without drop_last "
            "there are ceil(n / B) batches: `range(0, n, batch_size)` starts one at every "
            "multiple of B below n.")


def _each_short(batches: Sequence[Batches]) -> str | None:
    """Every batch a prefix of the expected one, some shorter: a slice that ends too early."""
    def holds(b: Batches) -> bool:
        return len(b.got) == len(b.want) and all(
            len(g) <= len(w) and _equal(g, w[:len(g)]) for g, w in zip(b.got, b.want))

    if _all(batches, holds):
        b = next(b for b in batches if not b.right)
        return (f"each batch is the start of the expected one, but shorter (lengths {b.got_lengths} "
                f"where {b.want_lengths} are expected): a slice ends before its stop, so "
                "`order[start:start + batch_size - 1]` holds B - 1 examples. Slice "
                "`order[start:start + batch_size]`.")
    return None


def _last_extended(batches: Sequence[Batches]) -> str | None:
    """All batches right but the last, which starts as expected and goes on: filled up."""
    def holds(b: Batches) -> bool:
        return (len(b.got) == len(b.want) >= 1 and _same_batches(b.got[:-1], b.want[:-1])
                and len(b.got[-1]) > len(b.want[-1]) and _equal(b.got[-1][:len(b.want[-1])], b.want[-1]))

    if _all(batches, holds):
        return ("your last batch starts with the right examples and then goes on: you filled it up "
                "to batch_size (with examples from the start, or from beyond n). The last batch "
                "keeps the n % B examples that are left, no more: it is simply smaller.")
    return None


def _duplicates(got: Sequence[np.ndarray]) -> np.ndarray:
    values, counts = np.unique(np.concatenate([np.asarray(g, dtype=int) for g in got] or [np.zeros(0, int)]),
                               return_counts=True)
    return values[counts > 1]


def _shifted_indices(batches: Sequence[Batches]) -> str | None:
    """Every index one more (or less) than expected: counted from 1, or shifted."""
    def shift(b: Batches) -> int | None:
        if b.right:
            return 0
        if b.got_lengths != b.want_lengths or not b.got or not len(np.concatenate(b.got)):
            return None
        gaps = np.concatenate(b.got).astype(int) - np.concatenate(b.want).astype(int)
        return int(gaps[0]) if np.all(gaps == gaps[0]) and gaps[0] != 0 else None

    shifts = [shift(b) for b in batches]
    wrong = {s for s, b in zip(shifts, batches) if not b.right}
    if None in shifts or len(wrong) != 1:
        return None
    step = wrong.pop()
    return (f"every index is {abs(step)} {'more' if step > 0 else 'less'} than expected: the "
            "examples are numbered 0, 1, ..., n - 1, as Python counts (row i of X is example i). "
            "Use `rng.permutation(n)` as it is, without adding or subtracting.")


def _other_order(batches: Sequence[Batches]) -> str | None:
    """Batches of the right lengths, no example twice, other examples: another random order."""
    def holds(b: Batches) -> bool:
        return b.got_lengths == b.want_lengths and _duplicates(b.got).size == 0

    if _all(batches, holds):
        return ("batches of the right sizes, no example twice, but other examples than expected: "
                "a different random order. The order must be `rng.permutation(n)` drawn from the "
                "`rng` you are given, once, before anything else is drawn from it "
                "(np.argsort(rng.random(n)), rng.choice, or a generator of your own seeded from rng "
                "are random too, but give another order).")
    return None


def _repeated_examples(batches: Sequence[Batches]) -> str | None:
    """Some example in two batches (or twice in one) on every wrong case."""
    def holds(b: Batches) -> bool:
        return _duplicates(b.got).size > 0

    if _all(batches, holds):
        b = next(b for b in batches if not b.right)
        twice = _duplicates(b.got)
        shown = ", ".join(str(int(k)) for k in twice[:SHOWN_EXAMPLES]) + (
            ", ..." if twice.size > SHOWN_EXAMPLES else "")
        return (f"example{'s' if twice.size > 1 else ''} {shown} appear{'' if twice.size > 1 else 's'} "
                "more than once in one epoch (in the case shown), so others are missed: the "
                "batches must partition the examples. Draw one permutation, "
                "`order = rng.permutation(n)`, and cut every batch from it without overlap, "
                "`order[start:start + batch_size]` with start = 0, B, 2B, ...")
    return None


def _wrong_sizes(batches: Sequence[Batches]) -> str | None:
    """Batches of other lengths than expected (in the case shown) - the last resort."""
    b = next(b for b in batches if not b.right)
    if b.got_lengths == b.want_lengths:
        return None
    return (f"your batches have lengths {b.got_lengths} where {b.want_lengths} are expected (in "
            f"the case shown): every batch but the last is B consecutive examples of the one "
            "permutation, `order[k * B:(k + 1) * B]`, and the last holds the n % B left over "
            "(left out with drop_last). Nearly equal parts (np.array_split(order, k)) or every "
            "k-th example (order[k::m]) give other sizes.")


BATCH_DIAGNOSES: tuple[BatchDiagnosis, ...] = (
    _sorted, _last_missing, _each_short, _last_extended, _shifted_indices, _other_order, _repeated_examples,
    _wrong_sizes,
)


def _as_batches(value: object) -> list[np.ndarray] | None:
    if not isinstance(value, (list, tuple)):
        return None
    out = []
    for item in value:
        if not isinstance(item, np.ndarray) or item.ndim != 1 or item.dtype.kind not in "iu":
            return None
        out.append(item)
    return out


def diagnose_batches(name: str, cases: Sequence[Case], got: Sequence[object],
                     want: Sequence[object], right: Sequence[bool],
                     arg_names: Sequence[str] = ()) -> list[str]:
    """Hints for one returned list of index arrays named ``name``: ``got``, ``want`` and
    ``right`` hold, per case (the case shown first), the learner's batches, the expected ones
    and whether they are right; ``arg_names`` names the cases' arguments (the one named
    ``batch_size`` tells a full last batch from a smaller one). [] when no pattern holds.

    Examples
    --------
    >>> want = [np.array([3, 0, 2]), np.array([1, 4])]
    >>> got = [np.array([0, 2, 3]), np.array([1, 4])]
    >>> diagnose_batches("batches", [Case(())], [got], [want], [False])[0][:58]
    '`batches`: each batch holds the right examples, but sorted'
    """
    pairs = []
    for case, g, w, ok in zip(cases, got, want, right):
        g, w = _as_batches(g), _as_batches(w)
        if g is None or w is None:
            return []
        size = dict(zip(arg_names, case.args)).get("batch_size")
        pairs.append(Batches(case, g, w, ok, size if isinstance(size, numbers.Integral) else None))
    if all(p.right for p in pairs):
        return []
    text = next((t for t in (d(pairs) for d in BATCH_DIAGNOSES) if t), None)
    return [f"`{name}`: {text}"] if text else []

