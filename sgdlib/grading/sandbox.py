"""Run a learner's function safely: a time limit, captured output, no warning spam.

A learner's function may loop forever, print in a loop, or raise anything. ``call`` turns each
of those into an :class:`Outcome` so the checker can give a clear verdict while the notebook
and its kernel keep working.
"""

from __future__ import annotations

import contextlib
import copy
import io
import signal
import threading
import time
import warnings
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

__all__ = ["Outcome", "TimeUp", "call", "time_limit", "time_limit_available"]


class TimeUp(BaseException):
    """Raised by the alarm; a BaseException so that ``except Exception`` cannot swallow it."""


class _TooMuchOutput(BaseException):
    """Raised by the capped stream; stops a function that prints in an endless loop."""


class _CappedStream(io.TextIOBase):
    """A text stream that keeps the first ``keep`` characters and stops the caller at ``limit``."""

    def __init__(self, keep: int, limit: int):
        self.keep, self.limit = keep, limit
        self.parts: list[str] = []
        self.kept = 0
        self.total = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.total += len(text)
        if self.kept < self.keep:
            piece = text[: self.keep - self.kept]
            self.parts.append(piece)
            self.kept += len(piece)
        if self.total > self.limit:
            raise _TooMuchOutput
        return len(text)

    def getvalue(self) -> str:
        return "".join(self.parts)


@dataclass
class Outcome:
    """What one call of a learner's function did.

    ``status`` is one of ``"ok"``, ``"not_attempted"`` (raised ``NotImplementedError``),
    ``"raised"``, ``"timeout"``, ``"too_much_output"``.
    """

    status: str
    value: Any = None
    error: BaseException | None = None
    printed: str = ""
    printed_chars: int = 0
    args_after: tuple = ()


def time_limit_available() -> bool:
    """True where ``call`` can stop a function after a time limit (POSIX, main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise :class:`TimeUp` in the ``with`` block after ``seconds`` (where available, see
    :func:`time_limit_available`; elsewhere the block runs unlimited)."""
    if not time_limit_available():
        # Windows or a worker thread: no portable way to interrupt Python code; run unlimited.
        yield
        return

    def on_alarm(signum, frame):
        raise TimeUp

    previous = signal.signal(signal.SIGALRM, on_alarm)
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay > 0:  # someone else's alarm (e.g. pytest-timeout) was pending: re-arm it
            left = max(outer_delay - (time.monotonic() - started), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)


def call(
    fn: Callable[..., Any],
    args: tuple,
    timeout: float = 3.0,
    keep_output: int = 500,
    output_limit: int = 10_000,
) -> Outcome:
    """Call ``fn(*copy_of_args)`` under a time limit, capturing what it prints.

    The arguments are deep-copied first, so the caller's inputs stay intact and
    ``Outcome.args_after`` shows whether ``fn`` changed its own copies in place.

    Examples
    --------
    >>> call(lambda x: x + 1, (1,)).value
    2
    >>> call(lambda: 1 / 0, ()).status
    'raised'
    """
    args = copy.deepcopy(args)
    stream = _CappedStream(keep_output, output_limit)
    try:
        with time_limit(timeout), contextlib.redirect_stdout(stream), \
                contextlib.redirect_stderr(stream), warnings.catch_warnings(), \
                np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            value = fn(*args)
        status, error = "ok", None
    except TimeUp as exc:
        status, value, error = "timeout", None, exc
    except _TooMuchOutput as exc:
        status, value, error = "too_much_output", None, exc
    except NotImplementedError as exc:
        status, value, error = "not_attempted", None, exc
    except Exception as exc:  # the learner's bug, reported to them, never re-raised
        status, value, error = "raised", None, exc
    return Outcome(status, value, error, stream.getvalue(), stream.total, args)
