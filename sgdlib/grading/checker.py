"""``check(exercise_id, fn)``: immediate feedback on a graded exercise.

The checks run in a fixed order and stop at the first failure, so the learner sees one problem
at a time, the most basic first:

1. it runs at all (``NotImplementedError`` -> "not attempted"; an exception, an endless loop or
   a flood of printed output each get their own verdict),
2. the return type, 3. the shape, 4. the values (expected vs got on the smallest failing case),
5. intermediate state (where the exercise has some), 6. the inputs were not changed in place.

When something fails, the exercise's diagnostic probes compare the function with known wrong
implementations and turn each match into a targeted hint.
"""

from __future__ import annotations

import contextlib
import numbers
from typing import Any, Callable, Iterator

import numpy as np

from .core import Case, Exercise, Probe
from .registry import get_exercise
from .report import CheckLine, Report
from .sandbox import Outcome, call

__all__ = ["check", "grade", "try_it"]

_CHECK_NAMES = ("runs", "return type", "shape", "values", "intermediate state", "inputs unchanged")
TIMEOUT = 3.0  # seconds per call: generous for these small inputs, short enough to wait for
OUTPUT_LIMIT = 10_000  # characters one call may print before it is stopped


def _fmt(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, separator=", ")
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.8g}"
    if callable(value):
        return getattr(value, "__name__", "a function")
    return repr(value)


def _describe(exercise: Exercise, case: Case) -> str:
    lines = [f"Smallest failing case: {case.label}"] if case.label else ["Smallest failing case:"]
    for name, arg in zip(exercise.arg_names, case.args):
        if not callable(arg):
            lines.append(f"  {name} = {_fmt(arg)}".replace("\n", "\n" + " " * (len(name) + 5)))
    return "\n".join(lines)


def _close(a: Any, b: Any, rtol: float, atol: float) -> bool:
    """Structure-aware ``allclose`` that never raises (a mismatch is simply ``False``)."""
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_close(x, y, rtol, atol) for x, y in zip(a, b))
    try:
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or a.dtype == object or b.dtype == object:
            return False
        return bool(np.allclose(a, b, rtol=rtol, atol=atol))
    except Exception:
        return False


def _parts(exercise: Exercise, value: Any) -> tuple:
    return tuple(value) if len(exercise.returns) > 1 else (value,)


def _type_problem(exercise: Exercise, value: Any) -> str | None:
    names = ", ".join(o.name for o in exercise.returns)
    if value is None:
        return "returned None: did you forget the `return` statement?"
    if len(exercise.returns) > 1:
        if not isinstance(value, (tuple, list)) or len(value) != len(exercise.returns):
            return f"returned {type(value).__name__}; expected a tuple ({names})"
    for out, part in zip(exercise.returns, _parts(exercise, value)):
        kind = type(part).__name__
        if out.kind == "float":
            if isinstance(part, np.ndarray) and part.ndim == 0:
                part = part[()]
            if isinstance(part, (complex, np.complexfloating)):
                return f"{out.name} is the complex number {part}; expected a real float"
            if isinstance(part, (bool, np.bool_)) or not isinstance(part, numbers.Real):
                return f"{out.name} is a {kind}; expected a float"
        else:
            if not isinstance(part, np.ndarray):
                return f"{out.name} is a {kind}; expected a NumPy array (wrap it in np.array(...))"
            if part.dtype.kind == "c":
                return f"{out.name} is a complex array; expected a real one"
            if part.dtype.kind not in "fiu":
                return f"{out.name} has dtype {part.dtype}; expected floats"
    return None


def _not_finite(value: Any) -> bool:
    try:
        return not bool(np.all(np.isfinite(np.asarray(value, dtype=complex))))
    except Exception:
        return False


def _fired_probes(
    exercise: Exercise, fn: Callable, cached: dict[int, Outcome], rng: np.random.Generator
) -> list[str]:
    hints = []
    for probe in exercise.probes:
        own = probe.cases is not None
        cases = list(probe.cases(rng)) if own else exercise.cases()
        if _probe_matches(exercise, probe, fn, cases, None if own else cached):
            hints.append(probe.hint)
    return hints


def _probe_matches(
    exercise: Exercise, probe: Probe, fn: Callable, cases: list[Case], cached: dict | None
) -> bool:
    pick = (lambda v: v) if probe.part is None else (lambda v: _parts(exercise, v)[probe.part])
    for mistake in probe.mistakes:
        matches_all, differs_somewhere = True, False
        for i, case in enumerate(cases):
            got = cached[i] if cached is not None and i in cached else call(fn, case.args, TIMEOUT)
            wrong = call(mistake, case.args, TIMEOUT)
            right = call(exercise.reference, case.args, TIMEOUT)
            if got.status != "ok" or wrong.status != "ok":
                matches_all = False
                break
            try:
                if not _close(pick(got.value), pick(wrong.value), exercise.rtol, exercise.atol):
                    matches_all = False
                    break
                if not _close(pick(wrong.value), pick(right.value), exercise.rtol, exercise.atol):
                    differs_somewhere = True
            except Exception:
                matches_all = False
                break
        if matches_all and differs_somewhere:
            return True
    return False


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

    def finish(verdict: str, summary: str, detail: str = "", probe: bool = True) -> Report:
        done = {line.name for line in lines}
        lines.extend(CheckLine(n, "skip", "not checked yet") for n in _CHECK_NAMES if n not in done)
        hints = []
        if verdict == "failed" and probe:
            hints = _fired_probes(exercise, fn, outcomes, np.random.default_rng(exercise.seed + 1))
            if not hints:
                hints = ["No common mistake recognised: compare your code line by line with the "
                         "formula above, using the smallest failing case."]
        return Report(exercise.id, exercise.title, verdict, summary, lines, detail, hints, printed)

    # 1. it runs at all
    for i, case in enumerate(cases):
        out = call(fn, case.args, TIMEOUT, output_limit=OUTPUT_LIMIT)
        outcomes[i] = out
        printed = printed or out.printed
        if out.status == "not_attempted":
            return Report(exercise.id, exercise.title, "not_attempted",
                          f"not attempted yet: write your code in `{exercise.function_name}` "
                          "(in place of `raise NotImplementedError()`), run that cell, then this one.")
        if out.status == "timeout":
            lines.append(CheckLine("runs", "fail", f"did not finish within {TIMEOUT:g} s"))
            return finish("failed", f"runs: did not finish within {TIMEOUT:g} s: is there a loop "
                          "that never ends (check the loop condition and counter)?",
                          _describe(exercise, case), probe=False)
        if out.status == "too_much_output":
            lines.append(CheckLine("runs", "fail", "printed too much"))
            return finish("failed", f"runs: printed more than {OUTPUT_LIMIT:,} characters in "
                          "one call: remove print() calls from inside loops.",
                          _describe(exercise, case), probe=False)
        if out.status == "raised":
            err = f"{type(out.error).__name__}: {out.error}"
            lines.append(CheckLine("runs", "fail", f"raised {err}"))
            return finish("failed", f"runs: raised {err}", _describe(exercise, case))
        expected[i] = call(exercise.reference, case.args, TIMEOUT).value
    lines.append(CheckLine("runs", "pass"))

    # 2. return type
    for i, case in enumerate(cases):
        problem = _type_problem(exercise, outcomes[i].value)
        if problem:
            lines.append(CheckLine("return type", "fail", problem))
            return finish("failed", f"return type: {problem}", _describe(exercise, case))
    lines.append(CheckLine("return type", "pass"))

    # 3. shape
    for i, case in enumerate(cases):
        got, want = _parts(exercise, outcomes[i].value), _parts(exercise, expected[i])
        for out, g, w in zip(exercise.returns, got, want):
            if np.shape(g) != np.shape(w):
                msg = f"{out.name} has shape {np.shape(g)}, expected {np.shape(w)}"
                lines.append(CheckLine("shape", "fail", msg))
                return finish("failed", f"shape: {msg}", _describe(exercise, case))
    lines.append(CheckLine("shape", "pass"))

    # 4. values
    select = exercise.value_part or (lambda v: v)
    for i, case in enumerate(cases):
        got = _parts(exercise, select(outcomes[i].value)) if exercise.value_part is None \
            else (select(outcomes[i].value),)
        want = _parts(exercise, select(expected[i])) if exercise.value_part is None \
            else (select(expected[i]),)
        names = [o.name for o in exercise.returns] if exercise.value_part is None else [exercise.value_name]
        for name, g, w in zip(names, got, want):
            if _not_finite(g):
                msg = f"{name} contains NaN or inf"
            elif not _close(g, w, exercise.rtol, exercise.atol):
                msg = f"wrong value of {name}"
            else:
                continue
            detail = (f"{_describe(exercise, case)}\n{name}:\n  expected {_fmt(np.asarray(w)[()])}"
                      f"\n  got      {_fmt(np.asarray(g)[()])}")
            if np.shape(g) == np.shape(w) and not _not_finite(g):
                gap = np.max(np.abs(np.asarray(g, dtype=complex) - np.asarray(w, dtype=complex)))
                detail += f"\n  largest difference {gap:.3g}"
            lines.append(CheckLine("values", "fail", msg))
            return finish("failed", f"values: {msg}", detail)
    lines.append(CheckLine("values", "pass"))

    # 5. intermediate state
    if exercise.intermediate is not None:
        for i, case in enumerate(cases):
            msg = exercise.intermediate(case, outcomes[i].value, expected[i])
            if msg:
                lines.append(CheckLine("intermediate state", "fail", msg))
                return finish("failed", f"intermediate state: {msg}", _describe(exercise, case))
        lines.append(CheckLine("intermediate state", "pass"))
    else:
        lines.append(CheckLine("intermediate state", "pass", "nothing to check here"))

    # 6. inputs unchanged
    for i, case in enumerate(cases):
        for name, before, after in zip(exercise.arg_names, case.args, outcomes[i].args_after):
            if isinstance(before, np.ndarray) and not np.array_equal(before, after, equal_nan=True):
                msg = (f"your function changed its input `{name}` in place; work on a copy "
                       f"(e.g. `{name} = np.array({name}, dtype=float)`) or restore it exactly")
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
    AssertionError
        When the exercise is not (yet) fully correct; nbgrader then gives the cell 0 points.

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
      ✓ intermediate state: nothing to check here
      ✓ inputs unchanged
    """
    __tracebackhide__ = True  # pytest and IPython hide this frame from the learner's traceback
    report = grade(exercise_id, fn)
    if _in_jupyter():
        from IPython.display import display

        display(report)
    else:
        print(report)
    if not report.passed:
        raise AssertionError(f"{exercise_id}: {report.summary}")


@contextlib.contextmanager
def try_it() -> Iterator[None]:
    """Run a "try it" cell, or say politely that it needs a function you have not written yet.

    Only ``NotImplementedError`` (the stub nbgrader leaves in an exercise) is caught; any other
    error is yours to see.

    Examples
    --------
    >>> def todo():
    ...     raise NotImplementedError()
    >>> with try_it():
    ...     todo()
    `todo` is not written yet: this cell will work once it is.
    """
    try:
        yield
    except NotImplementedError as exc:
        tb = exc.__traceback__
        while tb.tb_next is not None:
            tb = tb.tb_next
        print(f"`{tb.tb_frame.f_code.co_name}` is not written yet: this cell will work once it is.")
