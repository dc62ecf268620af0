"""``with try_it(): ...``: a "try it" cell that waits politely for its exercise, and stops on time.

A "try it" cell calls the learner's exercise functions for real, in the kernel, to plot or print
what they do. :func:`try_it` keeps such a cell working before the exercise is written (the stub's
``NotImplementedError`` becomes one friendly line) and stops it after ``check``'s time limit when
a function never returns (each call is tried first in ``check``'s sandbox, see
:mod:`sgdlib.grading.sandbox`); the rest of the cell runs under
:func:`~sgdlib.grading.alarm.time_limit`, a repeating alarm on the process's CPU time.

Importing this module in IPython (``sgdlib.grading`` does) also makes a ``NameError`` for an
exercise's function name say which cell to run first (a graded cell run before the cell that
defines the function).
"""

from __future__ import annotations

import functools
import inspect
import sys
from types import TracebackType
from typing import Any, Callable

from . import checker
from .checker import LOOP_ADVICE, OUTPUT_LIMIT, PRINT_ADVICE
from .registry import all_exercises
from .alarm import GRADING_DIR, HeldAlarm, TimeUp, time_limit
from .sandbox import Outcome, in_sandbox, run

__all__ = ["try_it"]

FIRST_LINE_SHOWN = 100  # characters of a print flood's first line quoted when it stops a cell


# --- try_it ---------------------------------------------------------------------------------


def _close_new_figures(before: set[int]) -> None:
    """Close the matplotlib figures opened since ``before``, so a half-drawn plot is not shown."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        for number in set(plt.get_fignums()) - before:
            plt.close(number)


def _innermost_function(tb: TracebackType | None) -> str:
    """Name of the deepest function in a traceback that is not this package's own code."""
    name = "?"
    while tb is not None:
        code = tb.tb_frame.f_code
        if not code.co_filename.startswith(GRADING_DIR):
            name = code.co_name
        tb = tb.tb_next
    return name


class _CellStopped(BaseException):
    """Stops a "try it" cell whose exercise function hung, flooded or crashed in its trial run;
    the message says which and why."""


def _stop_message(trial: Outcome, name: str, function: str, limit: float) -> str:
    """Why the trial run of the exercise function ``name`` (defined as ``function``) stops the
    cell, or "" when it returned or raised (then it runs for real)."""
    if trial.status == "timeout":
        return f"This cell did not finish within {limit:g} s (stopped in `{name}`): {LOOP_ADVICE}"
    if trial.status == "too_much_output":
        printer = trial.reason  # the function whose print() hit the limit
        via = f" (through `{printer}`, which it calls)" if printer not in ("", function) else ""
        lines = trial.printed.splitlines()
        first = lines[0] if lines else ""
        if len(first) > FIRST_LINE_SHOWN:
            first = first[:FIRST_LINE_SHOWN] + " ..."
        return (f"This cell stopped: `{name}` printed more than {OUTPUT_LIMIT:,} characters in one "
                f"call{via}: {PRINT_ADVICE}\nIts first line: {first}")
    if trial.status == "crashed":
        return f"This cell stopped: `{name}` did not return ({trial.reason})."
    return ""


class _TryIt:
    """The context manager behind :func:`try_it`."""

    def __init__(self, limit: float, namespace: dict[str, Any]):
        self.limit, self.namespace = limit, namespace
        self.depth = 0  # > 0 while a guarded function runs for real: nested calls are not tried again
        self.figures: set[int] = set()
        self.swapped: dict[str, tuple[Callable, Callable]] = {}
        self.alarm = time_limit(limit)

    def __enter__(self) -> None:
        plt = sys.modules.get("matplotlib.pyplot")
        self.figures = set(plt.get_fignums()) if plt is not None else set()
        for name in {exercise.function_name for exercise in all_exercises().values()}:
            fn = self.namespace.get(name)
            if inspect.isfunction(fn):
                self.swapped[name] = (fn, self._guard(fn, name))
                self.namespace[name] = self.swapped[name][1]
        self.alarm.__enter__()

    def _guard(self, fn: Callable, name: str) -> Callable:
        """``fn``, tried first in the sandbox (``self.limit`` seconds), then run for real here."""
        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if self.depth or in_sandbox():
                return fn(*args, **kwargs)
            with HeldAlarm():  # the cell's alarm stops the learner's code, never the trial's machinery
                trial = run(lambda *a: fn(*a, **kwargs), [args], self.limit, output_limit=OUTPUT_LIMIT)[0]
                stopped = _stop_message(trial, name, fn.__name__, self.limit)
                if stopped:
                    raise _CellStopped(stopped)
            self.depth += 1
            try:  # for real: its prints, figures and errors show as usual
                return fn(*args, **kwargs)
            finally:
                self.depth -= 1

        return guarded

    def __exit__(self, etype: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> bool:
        with HeldAlarm():  # stopping the alarm runs contextlib's code, which it must not stop
            self.alarm.__exit__(None, None, None)
        for name, (fn, guarded) in self.swapped.items():
            if self.namespace.get(name) is guarded:  # not redefined inside the block
                self.namespace[name] = fn
        if etype is None:
            return False
        if issubclass(etype, NotImplementedError):
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            where = tb.tb_frame.f_code.co_name if tb is not None else "?"
            message = f"`{where}` is not written yet: this cell will work once it is."
        elif issubclass(etype, TimeUp):
            message = (f"This cell did not finish within {self.limit:g} s (stopped in "
                       f"`{_innermost_function(tb)}`): {LOOP_ADVICE}")
        elif issubclass(etype, _CellStopped):
            message = str(exc)
        else:
            return False  # any other error is the learner's to see, with its traceback
        _close_new_figures(self.figures)
        print(message)
        return True


def try_it(seconds: float | None = None) -> _TryIt:
    """Run a "try it" cell: politely skip it until your function exists, stop it if it hangs.

    Use it as ``with try_it(): ...``. ``NotImplementedError`` (the stub nbgrader leaves in an
    exercise) prints a friendly line instead of a traceback. A call that does not finish
    within ``seconds`` (default ``checker.TIMEOUT``, as in ``check``) stops the cell with a
    message instead of hanging the notebook. Either way, a figure the cell had started is
    closed, not shown half drawn. Any other error is yours to see.

    What is guaranteed: inside the block, every call of an exercise function defined in the
    notebook (by its registered name, e.g. ``gradient_descent``) is first tried in the
    sandbox of ``check``, a child process killed after ``seconds``, and runs for real in the
    kernel (its prints, figures and errors as usual) only once the trial has finished. So such
    a function that never ends, whatever it catches, stops the cell on time (POSIX, tested on
    Linux only; on Windows the trial runs in a thread, which stops the cell on time but may
    keep running in the background until the kernel restarts). The rest of the block runs in
    the kernel under :func:`~sgdlib.grading.alarm.time_limit`, a repeating alarm after
    ``seconds`` of CPU time (POSIX main thread; none on Windows): it stops any loop that does
    not swallow the alarm at every turn, never this package's own machinery; a loop that does
    swallow it can still hang (then use the stop button). Each trial costs a few milliseconds (a fork).

    Examples
    --------
    >>> def todo():
    ...     raise NotImplementedError()
    >>> with try_it():
    ...     todo()
    `todo` is not written yet: this cell will work once it is.
    >>> def spin():
    ...     while True:
    ...         pass
    >>> with try_it(seconds=0.2):
    ...     spin()
    This cell did not finish within 0.2 s (stopped in `spin`): is there a loop that never ends (check the loop condition and counter)?
    """
    namespace = sys._getframe(1).f_globals  # the cell's: where its exercise functions live
    return _TryIt(checker.TIMEOUT if seconds is None else seconds, namespace)


def _explain_missing_function(shell: Any, etype: type[BaseException], value: BaseException,
                              tb: TracebackType | None, tb_offset: int | None = None) -> None:
    """IPython's handler for a ``NameError``: when the missing name is an exercise's function,
    say which cell to run first; otherwise show the usual traceback. Either way the cell
    ends in an error (nbgrader records it as failed)."""
    name = getattr(value, "name", None)
    exercise = next((e for e in all_exercises().values() if e.function_name == name), None)
    if exercise is None:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return
    shell._showtraceback(etype, value, [
        f"NameError: `{name}` is not defined yet: run the cell that defines it first (Exercise "
        f"{exercise.number} of chapter {exercise.chapter}, the cell starting `def {name}`), "
        "then this one."])


def _install_name_error_hint() -> None:
    """In IPython, let :func:`_explain_missing_function` handle ``NameError`` (unless another
    custom handler is installed already)."""
    ipython = sys.modules.get("IPython")  # not imported: not running in IPython
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None and not shell.custom_exceptions:
        shell.set_custom_exc((NameError,), _explain_missing_function)


_install_name_error_hint()
