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

The patterns live by idea: :mod:`.values` (what the numbers are), :mod:`.positions` (where the
items sit), :mod:`.cases` (which cases fail) and :mod:`.errors` (what an error message says);
:mod:`.pair` holds what they compare; :mod:`.batches` reads a returned list of index arrays
(the mini-batches of an epoch).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from ..core import Case, Exercise
from .batches import diagnose_batches
from .cases import _integer_inputs, _small_inputs_only
from .errors import diagnose_error
from .pair import APPROXIMATE, FLOAT32_RTOL, PATTERN_RTOL, Diagnosis, Pair
from .positions import (_goes_wrong, _permuted, _reshaped, _running_total, _same_array, _shifted,
                        _stalled, _transposed, _unfilled)
from .values import (_approximate, _factor, _float32, _power, _reciprocal, _rounded, _row_factors,
                     _sign_pattern, _whole_numbers, _zeros)

__all__ = ["diagnose", "diagnose_error", "DIAGNOSES", "Pair", "PATTERN_RTOL", "FLOAT32_RTOL", "APPROXIMATE"]

DIAGNOSES: tuple[Diagnosis, ...] = (
    _zeros, _whole_numbers, _float32, _rounded, _transposed, _reshaped, _same_array, _stalled,
    _shifted,
    _permuted, _running_total, _unfilled, _goes_wrong, _factor, _reciprocal, _power, _sign_pattern,
    _approximate, _row_factors,
)


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
    if not many and exercise.returns[0].kind == "index arrays":
        return diagnose_batches(exercise.returns[0].name, [cases[i] for i in indices],
                                [got[i] for i in indices], [expected[i] for i in indices],
                                [exercise.close(got[i], expected[i]) for i in indices],
                                exercise.arg_names)
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
