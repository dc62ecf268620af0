"""The alarm of a "try it" cell: a repeating alarm on the process's CPU time.

A "try it" cell runs the learner's code in the kernel itself, where the sandbox's child process
(:mod:`sgdlib.grading.sandbox`) cannot help: :func:`time_limit` raises :class:`TimeUp` in it once
its time is used up, and again and again until the cell ends. This package's own machinery must
not be stopped half way: the alarm spares its frames (those in :data:`GRADING_DIR`), and code of
others that the machinery calls runs under :class:`HeldAlarm`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from typing import Any, Iterator

__all__ = ["GRADING_DIR", "REPEAT", "HeldAlarm", "TimeUp", "time_limit", "time_limit_available"]

GRADING_DIR = os.path.dirname(os.path.abspath(__file__))  # this package: the alarm spares its code
REPEAT = 0.01  # CPU seconds between the alarms of `time_limit` once its limit has passed


class TimeUp(BaseException):
    """The time limit has passed; a BaseException, so ``except Exception`` does not swallow it."""


class HeldAlarm:
    """``with HeldAlarm(): ...`` - the repeating alarm of :func:`time_limit` raises nothing in
    the block: for this package's machinery, which calls code outside this package that must
    not be interrupted half way (between a fork and the reaping of its child, say). An alarm
    that comes meanwhile is dropped; the next repeat raises as usual. ``HeldAlarm.depth``
    counts the holds.

    A class, not a generator: its ``__enter__`` and ``__exit__`` are frames of this package,
    which the alarm spares, so no ``TimeUp`` can come between taking the hold and the block.
    (Blocking the signal would not do: a process-directed signal goes to another thread, and
    Python runs its handler in the main thread all the same.)

    Examples
    --------
    >>> with HeldAlarm():
    ...     HeldAlarm.depth
    1
    >>> HeldAlarm.depth
    0
    """

    depth = 0

    def __enter__(self) -> None:
        HeldAlarm.depth += 1

    def __exit__(self, *exc_info: Any) -> None:
        HeldAlarm.depth -= 1


def time_limit_available() -> bool:
    """True where :func:`time_limit` can interrupt code (POSIX, main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeUp` in the ``with`` block once it has used ``seconds`` of CPU time,
    and again every :data:`REPEAT` CPU seconds until the block has ended (where
    :func:`time_limit_available`; elsewhere the block runs unlimited).

    CPU time (``ITIMER_VIRTUAL``: this process's user time) rather than wall-clock time, so
    that waiting for the sandbox's child processes, and other programs on a busy machine, do
    not count; an endless loop uses CPU time at the rate of the clock. The repeats end a loop
    that catches the first ``TimeUp`` (``except:`` inside it), unless the loop catches it at
    every point where Python can deliver it: only the sandbox is certain. This package's own
    machinery is not interrupted: its frames are spared, and while it calls other code
    (numpy, pickle, a fork and the wait for the child, whose own deadline ends it) it holds
    the alarm with :class:`HeldAlarm`. The timer and handler that were set before the block
    are put back afterwards.
    """
    if not time_limit_available():
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        spared = frame is not None and frame.f_code.co_filename.startswith(GRADING_DIR)
        if not HeldAlarm.depth and not spared:
            raise TimeUp

    previous = signal.signal(signal.SIGVTALRM, on_alarm)
    outer = signal.setitimer(signal.ITIMER_VIRTUAL, seconds, REPEAT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)
        if outer[0] > 0:  # an outer CPU-time alarm was pending: put it back (a little late)
            signal.setitimer(signal.ITIMER_VIRTUAL, *outer)
