"""Patterns in the numbers returned: zeros, whole numbers, float32, rounding, a constant or
size-dependent factor, a reciprocal, a power, wrong signs, a near miss, a wrong scalar per row.

Each pattern takes the pairs of one returned value (every case) and returns the hint's text
after "`name`: ", or None when the pattern does not hold.
"""

from __future__ import annotations

import itertools
from typing import Iterator, Sequence

import numpy as np

from ..core import Exercise
from ..formatting import fmt
from .pair import (APPROXIMATE, FLOAT32_ATOL, FLOAT32_RTOL, PATTERN_RTOL, ROUNDING_DIGITS, SHOWN, Pair,
                   _example, _float32_exact, _whole, _wrong)



def _finite_where_expected(pairs: Sequence[Pair]) -> bool:
    """Every wrong value is finite wherever the expected one is: a ratio, product or sign of a
    nan or inf says nothing about the formula (a nan is its own mistake)."""
    with np.errstate(all="ignore"):
        return all(p.same_shape and bool(np.all(np.isfinite(p.got.astype(float)) | ~np.isfinite(p.want)))
                   for p in _wrong(pairs))


def _zeros(pairs: Sequence[Pair], exercise: Exercise) -> str | None:
    # Zero up to rounding: a mean of deviations from the mean is 1e-17, not 0.
    if all(p.same_shape and np.all(np.abs(p.got) <= PATTERN_RTOL * p.scale) for p in pairs) and \
            any(np.any(p.want) for p in pairs):
        return ("zero everywhere, where the expected values are not: a quantity that is 0 by "
                "construction (the mean of deviations from the mean, `mean(x - mean(x))`, is 0), "
                "a factor that is 0 (integer division such as `2 // n` is 0 once n > 2), or "
                "nothing written into the result (a loop that never runs, an update to a copy "
                "that is then dropped).")
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
    if all(p.matches(p.want) for p in wrong) or not _finite_where_expected(pairs):
        return None  # a factor of 1: a near miss (another diagnosis); or a nan
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
    if not all(p.same_shape and np.all(p.want != 0) and np.all(p.got != 0) for p in wrong) or \
            not _finite_where_expected(pairs):
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
    if not all(p.same_shape and np.all(p.want > 0) and np.all(np.isfinite(p.want)) for p in wrong) or \
            not _finite_where_expected(pairs):
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
        if p.right:
            return True
        if not p.same_shape:
            return False
        # A zero where the expected value is not is a missing term, not a flipped sign.
        tiny = PATTERN_RTOL * p.scale
        with np.errstate(all="ignore"):
            zeroed = (np.abs(p.got.astype(float)) <= tiny) & (np.abs(p.want) > tiny)
        return not np.any(zeroed) and p.matches(np.abs(p.want) * np.sign(p.got))

    wrong = _wrong(pairs)
    if all(p.matches(p.want) for p in wrong) or not _finite_where_expected(pairs):
        return None  # close in sign and size: a near miss (another diagnosis); or a nan
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
