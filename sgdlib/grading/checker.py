"""``check(exercise_id, fn)``: immediate feedback on a graded exercise.

The checks run in a fixed order and stop at the first failure, so the learner sees one problem
at a time, the most basic first:

1. it runs at all (``NotImplementedError`` -> "not attempted"; an exception, an endless loop or
   a flood of printed output each get their own verdict),
2. the return type, 3. the shape (of a list of index arrays: how many, then each one's length),
4. the values (expected vs got on the smallest failing case;
   an inf or a nan is right where the expected value has the same, as a diverging run overflows),
5. intermediate state (where the exercise has some), 6. the inputs were not changed in place.

Once every call has run (all of them do unless one hangs, floods or crashes), a changed input
is reported even when an earlier check failed: an input that drifts while the function works is
often *why* the values are wrong, and an in-place update that raises on an integer input has
changed the float inputs of the other calls.

When something fails, the exercise's diagnostic probes compare the function with known wrong
implementations (or look for a probe's ``symptom`` in what it returned or raised) and turn each
match into a targeted hint. With no match, the generic diagnoses
of :mod:`sgdlib.grading.diagnoses` read the wrong values (or the error message) for a pattern
that names the mistake. With none either, a value within a relative ``NEAR_MISS`` of the answer
gets the "close, but not within the tolerance" hint (shown with 12 significant digits), any
other wrong value the advice to compare line by line; failures that are precise already (an
exception, a list, ``None``, a changed input) get no generic hint.

The learner's function never runs in the kernel during a check: all its calls run in one
sandboxed batch (a forked child process on POSIX, see :mod:`sgdlib.grading.sandbox`), so an
endless loop ends with "did not finish within N s" whatever it catches. The exercise's
``answer_keys`` (the library's own implementation, ``sgdlib.optim.Adam``) are switched off in that
child process (on the thread fallback, in the worker thread only), so a function that only wraps
them fails with a message that says so. The
reference and the known mistakes are the course's own code and run in the kernel.

Randomness. An exercise whose function takes a ``numpy.random.Generator`` declares it as a
:class:`~sgdlib.grading.core.Fresh` argument: every call (the learner's, the reference's, each
mistake's) gets its own generator in the same seeded state, so they draw the same numbers, and
an advanced generator is not a changed input. numpy's global random state is seeded the same way
for every call (and left as it was in the kernel), so a mistake that uses it is reproducible; a
failing function that gives other results when only the global seed changes is told to draw
from its ``rng``.

``try_it``, which runs the "try it" cells, and the hint for a ``NameError`` of an exercise's function
are in ``sgdlib/grading/try_it.py``.
"""

from __future__ import annotations

import numbers
from typing import Any, Callable

import numpy as np

from .answer_keys import key_messages
from .core import Case, Exercise, Fresh, Output, Probe
from .diagnoses import diagnose, diagnose_error
from .formatting import fmt as _fmt
from .inputs import changed_input, returned_input
from .registry import get_exercise
from .report import CheckFailed, CheckLine, Report
from .sandbox import GLOBAL_SEED, Outcome, Unsendable, run, run_trusted

__all__ = ["check", "grade"]

_CHECK_NAMES = ("runs", "return type", "shape", "values", "intermediate state", "inputs unchanged")
TIMEOUT = 3.0  # seconds per call: generous for these small inputs, short enough to wait for
OUTPUT_LIMIT = 10_000  # characters one call may print before it is stopped
NEAR_MISS = 1e-5  # relative gap under which a wrong value is "close": float32, rounding, iterations
NEAR_MISS_DIGITS = 12  # significant digits shown for a near miss, so the two values differ visibly

LOOP_ADVICE = "is there a loop that never ends (check the loop condition and counter)?"
PRINT_ADVICE = "remove print() calls from inside loops."
NEAR_MISS_HINT = ("close, but not within the tolerance: a small term added or missing (an `eps` or "
                  "`1e-6` where the formula has none), a count off by one (`n - 1` for `n`, "
                  "`t + 1` for `t`), rounding, or too few iterations of an iterative method? "
                  "Compare your code with the formula term by term on the failing case.")
NEAR_MISS_FLOAT32_HINT = ("close, but not within the tolerance, and your numbers are float32 "
                          "(about 7 significant digits): compute in float64 (np.zeros(d) or "
                          "dtype=float, not float32).")


def _near_miss_hint(got: Any) -> str:
    """The near-miss hint: float32's when ``got`` holds float32 numbers, the general one otherwise."""
    try:
        a = np.asarray(got)
        if a.dtype == np.float32 or isinstance(got, np.float32):
            return NEAR_MISS_FLOAT32_HINT
    except Exception:
        pass
    return NEAR_MISS_HINT
DRIFT_HINT = ("Your function changes its input while it works, so later evaluations see a moved "
              "point: that may be why the values are wrong. Fix the inputs-unchanged problem first.")
OTHER_RANDOMNESS_HINT = (
    "Your function's result changes when numpy's global random state changes: it draws random "
    "numbers from somewhere other than the generator `rng` it is given - numpy's global state "
    "(np.random.permutation, np.random.shuffle, np.random.randint, ...) or a generator made inside "
    "it (np.random.default_rng()). Draw every random number from `rng` (rng.permutation(n)), so "
    "that the caller's seed decides the run.")
NO_MATCH_HINT = ("No common mistake recognised: compare your code line by line with the formula "
                 "above, using the smallest failing case.")


def _describe(exercise: Exercise, case: Case) -> str:
    lines = [f"Smallest failing case: {case.label}"] if case.label else ["Smallest failing case:"]
    for name, arg in zip(exercise.arg_names, case.args):
        if not callable(arg):
            lines.append(f"  {name} = {_fmt(arg)}".replace("\n", "\n" + " " * (len(name) + 5)))
    return "\n".join(lines)


def _parts(exercise: Exercise, value: Any) -> tuple:
    return tuple(value) if len(exercise.returns) > 1 else (value,)


def _type_problem(exercise: Exercise, value: Any, expected: Any = None) -> str | None:
    """What is wrong with the type of the returned ``value``, or ``None``. A state whose keys
    differ from the ``expected`` one's is left to the shape check, which names the keys."""
    names = ", ".join(o.name for o in exercise.returns)
    if isinstance(value, Unsendable):
        wanted = (f"a tuple ({names})" if len(exercise.returns) > 1
                  else _WANTED[exercise.returns[0].kind])
        return (f"returned {_a(value.type_name)} that could not be passed back to the checker "
                f"({value.reason}); return {wanted}")
    if value is None:
        return "returned None: did you forget the `return` statement?"
    if len(exercise.returns) > 1:
        if not isinstance(value, (tuple, list)):
            return (f"returned {type(value).__name__}; expected a tuple ({names}) of "
                    f"{len(exercise.returns)} values: `return {names}` (a list also works)")
        if len(value) != len(exercise.returns):
            return (f"returned a {type(value).__name__} of length {len(value)}; expected a tuple "
                    f"({names}) of length {len(exercise.returns)}")
    parts = _parts(exercise, value)
    wants = _parts(exercise, expected) if expected is not None else (None,) * len(parts)
    problems = [_kind_problem(out, part, want) for out, part, want in zip(exercise.returns, parts, wants)]
    problem = next((p for p in problems if p), None)
    if problem and len(problems) == 2 and not any(
            _kind_problem(out, part) for out, part in zip(exercise.returns, parts[::-1])):
        return f"the two values look swapped ({problem}): return them in the order ({names})"
    return problem


_WANTED = {"float": "a float", "array": "a NumPy array",
           "index arrays": "a list of NumPy integer arrays", "arrays": "a list of NumPy arrays",
           "state": "a dict of the optimizer's state"}
_LISTS = ("index arrays", "arrays")  # kinds that are a list of arrays, checked one by one


def _a(type_name: str) -> str:
    """The type name with its article: ``_a("int")`` -> ``"an int"``, ``_a("float")`` -> ``"a float"``."""
    return f"{'an' if type_name[:1].lower() in 'aeiou' else 'a'} {type_name}"


def _kind_problem(out: Output, part: Any, want: Any = None) -> str | None:
    """What is wrong with the type of one returned value ``part``, declared as ``out`` (``want``:
    the expected value, if known; a state with other keys than it passes here).

    Examples
    --------
    >>> _kind_problem(Output("new_state", "state"), {"step": "1"})
    "new_state['step'] is a str; expected the number of steps taken, a number such as 3 (an int, or a float)"
    >>> _kind_problem(Output("new_state", "state"), {"t": 1}, {"step": 1}) is None
    True
    """
    kind = _a(type(part).__name__)
    if out.kind == "state":
        if not isinstance(part, dict):
            return f"{out.name} is {kind}; expected a dict of the optimizer's state under torch's keys"
        if isinstance(want, dict) and sorted(part, key=str) != sorted(want, key=str):
            return None  # the shape check names the keys
        for key, item in part.items():
            if key == "step":
                if isinstance(item, np.ndarray) and item.ndim == 0 and item.dtype.kind in "fiu":
                    continue  # a 0-d array, as np.copy(state["step"]) makes: compared by value
                if isinstance(item, (bool, np.bool_)) or not isinstance(item, numbers.Real):
                    return f"{out.name}['step'] is {_a(type(item).__name__)}; expected the number of steps taken, a number such as 3 (an int, or a float)"
            elif not isinstance(item, np.ndarray) or item.dtype.kind not in "fiu":
                what = f"has dtype {item.dtype}" if isinstance(item, np.ndarray) else f"is {_a(type(item).__name__)}"
                return f"{out.name}[{key!r}] {what}; expected a NumPy array of floats, theta's shape"
        return None
    if out.kind == "arrays":
        if not isinstance(part, (list, tuple)):
            return f"{out.name} is {kind}; expected a list of NumPy arrays, one per input array"
        for k, item in enumerate(part):
            if not isinstance(item, np.ndarray) or item.dtype.kind not in "fiu":
                what = f"has dtype {item.dtype}" if isinstance(item, np.ndarray) else f"is {_a(type(item).__name__)}"
                return f"{out.name}[{k}] {what}; expected a NumPy array of floats"
        return None
    if out.kind == "index arrays":
        if isinstance(part, np.ndarray):
            return (f"{out.name} is one {part.ndim}-D array; expected a list of 1-D integer arrays, "
                    "one per batch (an array cannot hold batches of different lengths)")
        if not isinstance(part, (list, tuple)):
            return f"{out.name} is {kind}; expected a list of 1-D integer arrays, one per batch"
        for k, item in enumerate(part):
            if not isinstance(item, np.ndarray):
                return (f"{out.name}[{k}] is {_a(type(item).__name__)}; expected a NumPy integer "
                        "array (slice the array of indices, or wrap it in np.array(...))")
            if item.ndim != 1:
                return f"{out.name}[{k}] is a {item.ndim}-D array; expected a 1-D array of indices"
            if item.dtype.kind not in "iu":
                return (f"{out.name}[{k}] has dtype {item.dtype}; expected integers: indices "
                        "select rows, X[idx], only when they are integers")
        return None
    if out.kind == "float":
        if isinstance(part, np.ndarray) and part.ndim == 0:
            part = part[()]
        if isinstance(part, (complex, np.complexfloating)):
            return f"{out.name} is the complex number {part}; expected a real float"
        if isinstance(part, (bool, np.bool_)) or not isinstance(part, numbers.Real):
            return f"{out.name} is {kind}; expected a float"
    else:
        if not isinstance(part, np.ndarray):
            return f"{out.name} is {kind}; expected a NumPy array (wrap it in np.array(...))"
        if part.dtype.kind == "c":
            return f"{out.name} is a complex array; expected a real one"
        if part.dtype.kind not in "fiu":
            return f"{out.name} has dtype {part.dtype}; expected floats"
    return None


def _shape_problem(out: Output, got: Any, want: Any) -> str | None:
    """What is wrong with the shape of one returned value (of index arrays: their count, then
    each one's length; of a state: its keys, then each entry's shape), or ``None``."""
    if out.kind == "state":
        if sorted(got, key=str) != sorted(want, key=str):
            return f"{out.name} has the keys {sorted(got, key=str)}, expected {sorted(want, key=str)} (torch's names)"
        for key in want:
            if np.shape(got[key]) != np.shape(want[key]):
                return f"{out.name}[{key!r}] has shape {np.shape(got[key])}, expected {np.shape(want[key])}"
        return None
    if out.kind not in _LISTS:
        if np.shape(got) != np.shape(want):
            return f"{out.name} has shape {np.shape(got)}, expected {np.shape(want)}"
        return None
    if len(got) != len(want):
        size, sizes = (len, "lengths") if out.kind == "index arrays" else (np.shape, "shapes")
        return (f"{out.name} holds {len(got)} arrays of {sizes} {[size(g) for g in got]}, expected "
                f"{len(want)} of {sizes} {[size(w) for w in want]}")
    for k, (g, w) in enumerate(zip(got, want)):
        if np.shape(g) != np.shape(w):
            return f"{out.name}[{k}] has shape {np.shape(g)}, expected {np.shape(w)}"
    return None


def _compared(outs: tuple[Output, ...], got: tuple, want: tuple) -> list[tuple[str, Any, Any]]:
    """The (name, got, expected) values the values check compares, in order: each returned
    value, and each array of index arrays on its own (``batches[2]``)."""
    compared = []
    for out, g, w in zip(outs, got, want):
        if out.kind in _LISTS:
            compared.extend((f"{out.name}[{k}]", gk, wk) for k, (gk, wk) in enumerate(zip(g, w)))
        elif out.kind == "state":
            compared.extend((f"{out.name}[{k!r}]", g[k], w[k]) for k in w)
        else:
            compared.append((out.name, g, w))
    return compared


def _not_finite(value: Any) -> bool:
    try:
        return not bool(np.all(np.isfinite(np.asarray(value, dtype=complex))))
    except Exception:
        return False


def _fired_probes(exercise: Exercise, fn: Callable, cases: list[Case], cached: dict[int, Outcome],
                  rng: np.random.Generator) -> list[str]:
    """The hints of the probes whose mistake ``fn`` makes. The calls of ``fn`` on the probes'
    own cases (drawn in probe order from ``rng``) run in one sandboxed batch; on the exercise's
    cases the calls already made (``cached``) are reused."""
    plans = [(probe, None if probe.cases is None else list(probe.cases(rng))) for probe in exercise.probes]
    extra = [case for _, own in plans if own is not None for case in own]
    ran: list[Outcome | None] = list(run(fn, [case.call_args() for case in extra], TIMEOUT,
                                         output_limit=OUTPUT_LIMIT, answer_keys=key_messages(exercise.answer_keys)))
    ran += [None] * (len(extra) - len(ran))  # not run: an earlier call timed out
    hints, start = [], 0
    for probe, own in plans:
        if own is None:
            pairs = [(case, cached.get(i)) for i, case in enumerate(cases)]
        else:
            pairs = list(zip(own, ran[start:start + len(own)]))
            start += len(own)
        if _symptom_shows(probe, pairs) or _probe_matches(exercise, probe, pairs):
            hints.append(probe.hint)
    return hints


def _symptom_shows(probe: Probe, pairs: list[tuple[Case, Outcome | None]]) -> bool:
    """Whether the probe's ``symptom`` shows in what the learner's function returned or raised
    on any of the cases (``False`` for a probe without one); never raises."""
    if probe.symptom is None:
        return False
    for _, got in pairs:
        if got is None or got.status not in ("ok", "raised"):
            continue
        try:
            if probe.symptom(got.value if got.status == "ok" else None, got.error):
                return True
        except Exception:
            continue
    return False


def _probe_matches(exercise: Exercise, probe: Probe, pairs: list[tuple[Case, Outcome | None]]) -> bool:
    """True when, on every case, the learner's outcome agrees with one of the probe's mistakes,
    and that mistake differs from the reference on at least one case."""
    if any(got is None or got.status != "ok" for _, got in pairs):
        return False
    pick = (lambda v: v) if probe.part is None else (lambda v: _parts(exercise, v)[probe.part])
    right: dict[int, Any] = {}  # the reference's value on case k: the same for every mistake
    for mistake in probe.mistakes:
        matches_all, differs_somewhere = True, False
        for k, (case, got) in enumerate(pairs):
            wrong = run_trusted(mistake, case.call_args())
            if wrong.status != "ok":
                matches_all = False
                break
            if k not in right:
                right[k] = run_trusted(exercise.reference, case.call_args()).value
            try:
                if not exercise.close(pick(got.value), pick(wrong.value)):
                    matches_all = False
                    break
                if not exercise.close(pick(wrong.value), pick(right[k])):
                    differs_somewhere = True
            except Exception:
                matches_all = False
                break
        if matches_all and differs_somewhere:
            return True
    return False


def _uses_other_randomness(exercise: Exercise, fn: Callable, cases: list[Case],
                           outcomes: dict[int, Outcome]) -> bool:
    """Whether ``fn``, given a random generator, still gives other results when only numpy's
    global random state differs: one more sandboxed batch, seeded otherwise, compared with the
    first. ``False`` for an exercise whose inputs have no :class:`Fresh` argument."""
    if not any(isinstance(a, Fresh) for case in cases for a in case.args):
        return False
    again = run(fn, [case.call_args() for case in cases], TIMEOUT, output_limit=OUTPUT_LIMIT,
                global_seed=GLOBAL_SEED + 1, answer_keys=key_messages(exercise.answer_keys))
    return any(i in outcomes and outcomes[i].status == out.status == "ok"
               and not _identical(outcomes[i].value, out.value) for i, out in enumerate(again))


def _identical(a: Any, b: Any) -> bool:
    """Whether two returned values are equal to the last bit (NaN equal to NaN), a list or
    tuple of arrays (the batches of an epoch) item by item; ``True`` when they cannot be
    compared as numbers, so no hint is given on them.

    Examples
    --------
    >>> _identical([np.array([2, 0]), np.array([1])], [np.array([2, 0]), np.array([1])])
    True
    >>> _identical([np.array([2, 0]), np.array([1])], [np.array([0, 2]), np.array([1])])
    False
    """
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_identical(x, y) for x, y in zip(a, b))
    try:
        return bool(np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float), equal_nan=True))
    except Exception:
        return True


def _relative_gap(got: Any, want: Any) -> float:
    """Largest difference relative to the largest expected magnitude (inf when not comparable)."""
    try:
        g, w = np.asarray(got, dtype=complex), np.asarray(want, dtype=complex)
        if g.shape != w.shape or g.size == 0 or _not_finite(g) or _not_finite(w):
            return np.inf
        scale = float(np.max(np.abs(w)))
        gap = float(np.max(np.abs(g - w)))
        return gap / scale if scale > 0 else np.inf
    except Exception:
        return np.inf


def grade(exercise_id: str, fn: Callable) -> Report:
    """Check ``fn`` against the reference of exercise ``exercise_id`` and return the report.

    Unlike :func:`check` this neither displays anything nor raises; use it in tests and tools.

    Examples
    --------
    >>> import numpy as np
    >>> def lr(A):
    ...     H = (A + A.T) / 2
    ...     return 2 / np.linalg.eigvalsh(H).max()
    >>> grade("ch01_largest_stable_lr", lr).verdict
    'passed'
    >>> grade("ch01_largest_stable_lr", lambda A: 1 / np.linalg.eigvalsh((A + A.T) / 2).max()).summary
    'values: wrong value of lr_max'
    """
    if not callable(fn):
        raise TypeError(
            f"fn must be your function, e.g. check({exercise_id!r}, my_function); "
            f"got {type(fn).__name__}"
        )
    exercise = get_exercise(exercise_id)
    cases = exercise.cases()
    lines: list[CheckLine] = []
    outcomes: dict[int, Outcome] = {}
    expected: dict[int, Any] = {}
    printed = ""
    near_value: list[Any] = []  # the value of a near miss, for its hint
    check_names = [n for n in _CHECK_NAMES
                   if n != "intermediate state" or exercise.intermediate is not None]

    def finish(verdict: str, summary: str, detail: str = "", probe: bool = True,
               near_miss: bool = False, raised: tuple[Case, str, str] | None = None,
               shown: Case | None = None) -> Report:
        """The report of a failure at the last line so far; ``raised`` is the case, the error
        message and its traceback when a call raised, ``shown`` the failing case the report shows."""
        failed_at = lines[-1].name if lines else ""
        hints: list[str] = []
        if verdict == "failed" and failed_at != "inputs unchanged" and len(outcomes) == len(cases):
            # Every call ran, so whether an input was changed is known: say so now, since a
            # drifting input is often *why* the values are wrong.
            changed = changed_input(exercise, cases, outcomes)
            if changed is not None:
                lines.append(CheckLine("inputs unchanged", "fail", changed[0]))
        done = {line.name for line in lines}
        lines.extend(CheckLine(n, "skip", "not checked yet") for n in check_names if n not in done)
        lines.sort(key=lambda line: check_names.index(line.name))
        input_changed = any(line.name == "inputs unchanged" and line.status == "fail" for line in lines)
        if verdict == "failed" and probe:
            hints = _fired_probes(exercise, fn, cases, outcomes, np.random.default_rng(exercise.seed + 1))
            if not hints and failed_at in ("shape", "values", "intermediate state") and \
                    _uses_other_randomness(exercise, fn, cases, outcomes):
                hints = [OTHER_RANDOMNESS_HINT]
            # No probe named the mistake: look for a pattern any wrong answer or error can show.
            if not hints and raised is not None:
                hints = diagnose_error(exercise, *raised)
            if not hints and failed_at in ("shape", "values", "intermediate state"):
                with np.errstate(all="ignore"):  # an overflowing run's inf and nan are expected
                    hints = diagnose(exercise, cases, {i: out.value for i, out in outcomes.items()},
                                     expected, drifted=input_changed, shown=shown)
            if not hints and near_miss:
                hints = [_near_miss_hint(near_value[0] if near_value else None)]
            elif not hints and failed_at in ("values", "intermediate state"):
                hints = [DRIFT_HINT if input_changed else NO_MATCH_HINT]
        return Report(exercise.id, exercise.title, verdict, summary, lines, detail, hints, printed)

    # 1. it runs at all (every call in one sandboxed batch, which ends after a call that hangs)
    ran = run(fn, [case.call_args() for case in cases], TIMEOUT, output_limit=OUTPUT_LIMIT,
              answer_keys=key_messages(exercise.answer_keys))
    outcomes.update(enumerate(ran))
    for i, (case, out) in enumerate(zip(cases, ran)):
        printed = printed or out.printed
        if out.status == "not_attempted":
            return Report(exercise.id, exercise.title, "not_attempted",
                          f"not attempted yet: write your code in `{exercise.function_name}` "
                          "(in place of `raise NotImplementedError()`), run that cell, then this one.")
        if out.status == "timeout":
            msg = f"did not finish within {TIMEOUT:g} s: {LOOP_ADVICE}"
            lines.append(CheckLine("runs", "fail", msg))
            note = f"\n({out.reason})" if out.reason else ""
            return finish("failed", f"runs: {msg}", _describe(exercise, case) + note, probe=False)
        if out.status == "crashed":
            msg = f"stopped without returning: {out.reason}"
            lines.append(CheckLine("runs", "fail", msg))
            return finish("failed", f"runs: {msg}", _describe(exercise, case), probe=False)
        if out.status == "too_much_output":
            msg = f"printed more than {OUTPUT_LIMIT:,} characters in one call: {PRINT_ADVICE}"
            lines.append(CheckLine("runs", "fail", msg))
            return finish("failed", f"runs: {msg}", _describe(exercise, case), probe=False)
        if out.status == "raised":
            err = str(out.error)
            lines.append(CheckLine("runs", "fail", f"raised {err}"))
            return finish("failed", f"runs: raised {err}", _describe(exercise, case),
                          raised=(case, out.error.message, out.error.traceback))
        expected[i] = run_trusted(exercise.reference, case.call_args()).value
    lines.append(CheckLine("runs", "pass"))

    # 2. return type
    for i, case in enumerate(cases):
        problem = _type_problem(exercise, outcomes[i].value, expected[i])
        if problem:
            lines.append(CheckLine("return type", "fail", problem))
            return finish("failed", f"return type: {problem}", _describe(exercise, case))
    lines.append(CheckLine("return type", "pass"))

    # 3. shape
    for i, case in enumerate(cases):
        got, want = _parts(exercise, outcomes[i].value), _parts(exercise, expected[i])
        for out, g, w in zip(exercise.returns, got, want):
            msg = _shape_problem(out, g, w)
            if msg:
                lines.append(CheckLine("shape", "fail", msg))
                return finish("failed", f"shape: {msg}", _describe(exercise, case), shown=case)
    lines.append(CheckLine("shape", "pass"))

    # 4. values (of the part the exercise's value_part selects, when it has one)
    if exercise.value_part is None:
        outs, compared_parts = exercise.returns, (lambda v: _parts(exercise, v))
    else:
        outs, compared_parts = (Output(exercise.value_name, "array"),), (lambda v: (exercise.value_part(v),))
    for i, case in enumerate(cases):
        for name, g, w in _compared(outs, compared_parts(outcomes[i].value), compared_parts(expected[i])):
            if exercise.close(g, w):
                continue
            msg = f"{name} contains NaN or inf" if _not_finite(g) else f"wrong value of {name}"
            near = _relative_gap(g, w) < NEAR_MISS
            digits = NEAR_MISS_DIGITS if near else 8
            detail = (f"{_describe(exercise, case)}\n{name}:"
                      f"\n  expected {_fmt(np.asarray(w)[()], digits)}"
                      f"\n  got      {_fmt(np.asarray(g)[()], digits)}")
            if np.shape(g) == np.shape(w) and not _not_finite(g) and not _not_finite(w):
                gap = np.max(np.abs(np.asarray(g, dtype=complex) - np.asarray(w, dtype=complex)))
                detail += f"\n  largest difference {gap:.3g}"
            if near:
                msg += " (close, but not within the tolerance)"
                near_value.append(g)
            lines.append(CheckLine("values", "fail", msg))
            return finish("failed", f"values: {msg}", detail, near_miss=near, shown=case)
    lines.append(CheckLine("values", "pass"))

    # 5. intermediate state
    if exercise.intermediate is not None:
        for i, case in enumerate(cases):
            msg = exercise.intermediate(case, outcomes[i].value, expected[i])
            if msg:
                lines.append(CheckLine("intermediate state", "fail", msg))
                return finish("failed", f"intermediate state: {msg}", _describe(exercise, case),
                              shown=case)
        lines.append(CheckLine("intermediate state", "pass"))

    # 6. inputs unchanged
    changed = changed_input(exercise, cases, outcomes) or returned_input(exercise, cases, outcomes)
    if changed is not None:
        msg, case = changed
        lines.append(CheckLine("inputs unchanged", "fail", msg))
        return finish("failed", f"inputs unchanged: {msg}", _describe(exercise, case))
    lines.append(CheckLine("inputs unchanged", "pass"))

    return Report(exercise.id, exercise.title, "passed",
                  f"all checks passed on {len(cases)} cases.", lines, printed=printed)


def _in_jupyter() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def check(exercise_id: str, fn: Callable) -> None:
    """Check your function for a graded exercise, show a short report, fail if it is not right.

    Parameters
    ----------
    exercise_id : str
        The id written in the graded cell, e.g. ``"ch01_numerical_gradient"``.
    fn : callable
        Your function.

    Raises
    ------
    CheckFailed
        An ``AssertionError``, when the exercise is not (yet) fully correct: nbgrader then
        gives the cell 0 points. In Jupyter it shows as one line under the report.

    Examples
    --------
    >>> import numpy as np
    >>> check("ch01_largest_stable_lr", lambda A: 2 / np.linalg.eigvalsh((A + A.T) / 2).max())
    PASSED  ch01_largest_stable_lr: Largest stable learning rate of a quadratic
      all checks passed on 8 cases.
      ✓ runs
      ✓ return type
      ✓ shape
      ✓ values
      ✓ inputs unchanged
    """
    __tracebackhide__ = True  # pytest hides this frame; IPython shows CheckFailed as one line
    report = grade(exercise_id, fn)
    if _in_jupyter():
        from IPython.display import display

        display(report)
    else:
        print(report)
    if not report.passed:
        raise CheckFailed(f"{exercise_id}: {report.summary}")
