"""Run a learner's function safely: a time limit nothing can catch, captured output.

A learner's function may loop forever (even inside a bare ``except:``, which swallows any
exception raised to stop it), print in a loop, crash the process, or raise anything.
:func:`run` turns each of those into an :class:`Outcome`, so the checker gives a clear verdict
while the notebook and its kernel keep working.

Where the time limit comes from:

* **POSIX: a child process** (tested on Linux only: on macOS, numpy with Apple's Accelerate is
  not known to be safe after a fork). :func:`run` forks once per batch of calls. The
  child inherits the function, its closures and globals as they are (nothing is pickled on the
  way in), runs the calls one after the other and sends each outcome back through a pipe as
  soon as it is ready (pickled; a value that cannot be pickled comes back as
  :class:`Unsendable`). When a call overruns the limit, the parent kills the child with
  ``SIGKILL``, together with any process the learner's code started (the child leads its own
  process group): no ``except`` in the learner's code can prevent that, and the kernel itself
  runs none of the learner's code. A call that prints too much ends the child at once, so an
  ``except BaseException`` cannot keep a print loop going either. The child gets only its own
  copy of memory: whatever the call changes (its inputs, globals, figures) stays in the child;
  the changed inputs are sent back for the checker to compare. It has no input: ``input()``,
  ``sys.stdin`` and ``breakpoint()`` raise a ``RuntimeError`` that says so (the kernel's input
  channel belongs to the parent, and would wait for ever; see :mod:`sgdlib.grading.child_io`).
  If the fork fails (too many processes, no memory), the calls run in a worker thread, as on
  Windows, with a warning. The answer keys are switched off in the child (their code replaced).
* **Windows (no fork): a worker thread.** The calls run in a thread of this process and the
  caller stops waiting at the limit, so the verdict still comes on time and the kernel keeps
  working. A thread cannot be killed: the stuck call is asked to stop (``TimeUp`` is raised
  inside it), but a loop that swallows every exception keeps running in the background, using
  one core, until the kernel is restarted; the timeout's ``reason`` says so. The kernel's
  numpy global random state is put back when the waiting ends, not by the worker, so a call
  that ends later cannot overwrite it (it may still draw from it while it runs). The answer
  keys stay as they are (the kernel uses them too): a trace function set in the worker thread
  alone makes a call into one of them raise there.

For code that must run in the kernel itself (a "try it" cell), :mod:`sgdlib.grading.alarm` has
a weaker tool, a repeating alarm on the process's CPU time; :func:`run` and the rest of this
package's machinery hold it (:class:`~sgdlib.grading.alarm.HeldAlarm`), so that it stops only
the learner's code.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import faulthandler
import gc
import io
import os
import pickle
import queue
import select
import signal
import struct
import sys
import threading
import time
import traceback
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from .alarm import GRADING_DIR, HeldAlarm, TimeUp
from .answer_keys import functions, switching_off, tracer
from .child_io import cut_off_from_kernel
from .inputs import sharing

__all__ = ["FORK_AVAILABLE", "GLOBAL_SEED", "Outcome", "Raised", "Unsendable",
           "in_sandbox", "run", "run_trusted"]

FORK_AVAILABLE = hasattr(os, "fork")
THREAD_STOP_WAIT = 0.2  # seconds a stuck worker thread gets to stop before it is reported running
TRACEBACK_FRAMES = 3  # innermost frames kept in a Raised's traceback text
# numpy's global random state at the start of every call: a function that uses it (instead of the
# generator it is given) then gives the same numbers in every call, as does a mistake that uses it.
GLOBAL_SEED = 0
_HEADER = struct.Struct("!Q")  # length prefix of each message the child sends
_in_child = False  # True inside the child process of `run`


class _TooMuchOutput(BaseException):
    """Raised by the capped stream; stops a function that prints in an endless loop."""


@dataclass(frozen=True)
class Raised:
    """An exception the learner's function raised, as text (the exception object itself may
    not survive pickling): its type name, message and innermost traceback lines."""

    type_name: str
    message: str
    traceback: str = ""

    def __str__(self) -> str:
        return f"{self.type_name}: {self.message}" if self.message else self.type_name


@dataclass(frozen=True)
class Unsendable:
    """Stands for a returned value that could not be sent back from the child process."""

    type_name: str
    reason: str


@dataclass
class Outcome:
    """What one call of a learner's function did.

    ``status`` is one of ``"ok"``, ``"not_attempted"`` (raised ``NotImplementedError``),
    ``"raised"``, ``"timeout"``, ``"too_much_output"``, ``"crashed"`` (the child process ended
    without an answer, e.g. a segfault or ``os._exit``). ``reason`` explains a timeout or a
    crash, or names the function that printed too much; ``args_after`` holds the call's own
    copies of its arguments after the call. ``shared`` lists each returned array that shares
    memory with an argument, as ``(where in the value, where in the arguments)`` index paths
    (``((1,), (2,))``: the second returned value is the third argument, or a view of it); it is
    found in the process that ran the call, since pickling the value loses what it shares.
    """

    status: str
    value: Any = None
    error: Raised | None = None
    printed: str = ""
    printed_chars: int = 0
    args_after: tuple = ()
    reason: str = ""
    shared: tuple = ()


class _CappedStream(io.TextIOBase):
    """A text stream that keeps the first ``keep`` characters and stops the caller at ``limit``:
    it calls ``on_limit(self)`` (which may end the process), then raises ``_TooMuchOutput``."""

    def __init__(self, keep: int, limit: int, on_limit: Callable[[_CappedStream], None] | None):
        self.keep, self.limit, self.on_limit = keep, limit, on_limit
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
            if self.on_limit is not None:
                self.on_limit(self)
            raise _TooMuchOutput
        return len(text)

    def getvalue(self) -> str:
        return "".join(self.parts)


def _raised(exc: BaseException) -> Raised:
    frames = traceback.format_tb(exc.__traceback__)[-TRACEBACK_FRAMES:]
    return Raised(type(exc).__name__, str(exc), "".join(frames))


def _call(fn: Callable, args: tuple, keep_output: int, output_limit: int,
          on_limit: Callable[[_CappedStream], None] | None = None, global_seed: int = GLOBAL_SEED) -> Outcome:
    """``fn(*deep copy of args)`` in this process, with its output captured and numpy's global
    random state seeded with ``global_seed``; never raises. The caller puts the random state
    back, not this call: in a worker thread it may outlive its time limit, and would then
    write a stale state into the kernel whenever it ended."""
    stream = _CappedStream(keep_output, output_limit, on_limit)
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = stream
    value, error, shared = None, None, ()
    try:
        args = copy.deepcopy(args)
        np.random.seed(global_seed)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            value = fn(*args)
        status = "ok"
        shared = sharing(value, args)
    except _TooMuchOutput:
        status = "too_much_output"
    except NotImplementedError as exc:
        status, error = "not_attempted", _raised(exc)
    except BaseException as exc:  # the learner's bug (even SystemExit), reported, never re-raised
        status, error = "raised", _raised(exc)
    finally:
        sys.stdout, sys.stderr = saved
    return Outcome(status, value, error, stream.getvalue(), stream.total, args, shared=shared)


def run_trusted(fn: Callable, args: tuple, global_seed: int = GLOBAL_SEED) -> Outcome:
    """Call the course's own code (a reference or a known mistake) in this process, quietly:
    no time limit, an exception becomes a ``"raised"`` outcome. numpy's global random state is
    seeded with ``global_seed`` for the call, as in :func:`run`, and put back afterwards.

    Examples
    --------
    >>> run_trusted(lambda x: x + 1, (1,)).value
    2
    >>> run_trusted(lambda: np.random.randint(1000), ()).value == run(lambda: np.random.randint(1000), [()], 3)[0].value
    True
    """
    random_state = np.random.get_state()
    try:
        return _call(fn, args, keep_output=0, output_limit=sys.maxsize, global_seed=global_seed)
    finally:
        np.random.set_state(random_state)


def in_sandbox() -> bool:
    """True while running inside the child process of :func:`run`."""
    return _in_child


def run(fn: Callable, calls: Sequence[tuple], timeout: float, keep_output: int = 500,
        output_limit: int = 10_000, global_seed: int = GLOBAL_SEED,
        answer_keys: Sequence[tuple[str, str]] = ()) -> list[Outcome]:
    """Call ``fn(*args)`` for each ``args`` in ``calls``, in order, away from this process.

    Each call gets deep copies of its arguments, at most ``timeout`` seconds, and a captured
    output of which the first ``keep_output`` characters are kept; printing more than
    ``output_limit`` characters stops it. numpy's global random state is seeded with
    ``global_seed`` at the start of each call, so a call that uses it is repeatable (and this
    process's global state is left as it was). The list has one :class:`Outcome` per call that
    ran: it ends early after a call that timed out, printed too much or crashed.

    ``answer_keys`` holds ``(dotted name, message)`` pairs, such as
    ``("sgdlib.optim.Adam", "...")``: while ``fn`` runs, each named function, or every function a
    named class defines, raises ``RuntimeError(message)`` when called, so that ``fn`` cannot hand
    its work to them (the names are looked up here; one that is not a Python function or class
    raises ``ValueError``). In the child process their code is replaced (only the child's copy);
    on the thread fallback a trace function in the worker thread alone raises instead; this
    process's library is never changed (see :mod:`sgdlib.grading.answer_keys`).

    Examples
    --------
    >>> [o.value for o in run(lambda x: x + 1, [(1,), (2,)], timeout=3)]
    [2, 3]
    >>> print(run(lambda: 1 / 0, [()], timeout=3)[0].error)
    ZeroDivisionError: division by zero
    >>> def spin():
    ...     while True:
    ...         try:
    ...             pass
    ...         except BaseException:  # catches anything raised to stop it ...
    ...             pass
    >>> run(spin, [()], timeout=0.2)[0].status  # ... but not the end of its process
    'timeout'
    """
    if not calls:
        return []
    targets = [(f, message) for name, message in answer_keys for f in functions(name)]
    trace = tracer(targets) if targets else None
    if targets:
        fn = switching_off(fn, targets, in_sandbox)
    with HeldAlarm():  # the waiting has its own deadline: the alarm must not leave a child behind
        if FORK_AVAILABLE:
            return _run_forked(fn, list(calls), timeout, keep_output, output_limit, global_seed, trace)
        return _run_threaded(fn, list(calls), timeout, keep_output, output_limit, global_seed, trace)


# --- POSIX: a forked child ------------------------------------------------------------------


def _pack(outcome: Outcome) -> bytes:
    """The outcome as bytes; the value and the arguments are pickled one by one, so that one
    that cannot be pickled becomes :class:`Unsendable` instead of losing the whole outcome."""
    def blob(item: Any) -> bytes | Unsendable:
        try:
            return pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            return Unsendable(type(item).__name__, f"{type(exc).__name__}: {exc}")

    value = blob(outcome.value) if outcome.status == "ok" else None
    args = tuple(blob(a) for a in outcome.args_after)
    fields = (outcome.status, value, outcome.error, outcome.printed, outcome.printed_chars, args,
              outcome.reason, outcome.shared)
    data = pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


def _unpack(data: bytes) -> Outcome:
    status, value, error, printed, chars, args, reason, shared = pickle.loads(data)

    def load(item: bytes | Unsendable | None, type_name: str) -> Any:
        if not isinstance(item, bytes):
            return item
        try:
            return pickle.loads(item)
        except Exception as exc:  # e.g. a class that exists only in the child
            return Unsendable(type_name, f"{type(exc).__name__}: {exc}")

    return Outcome(status, load(value, "value"), error, printed, chars,
                   tuple(load(a, "argument") for a in args), reason, shared)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _child(fn: Callable, calls: list[tuple], keep_output: int, output_limit: int, global_seed: int,
           fd: int) -> None:
    """The child's whole life: run the calls, send each outcome, and return (to ``os._exit``)."""
    global _in_child
    _in_child = True
    with contextlib.suppress(OSError):  # lead a process group, so that _end also ends its children
        os.setpgid(0, 0)
    gc.freeze()  # the parent's objects are never collected here: no finalizer of theirs runs
    faulthandler.disable()  # a crash is reported as the verdict, not dumped into the parent's log
    cut_off_from_kernel()

    def flood(stream: _CappedStream) -> None:  # a print loop ends here, whatever it catches
        _write_all(fd, _pack(Outcome("too_much_output", printed=stream.getvalue(),
                                     printed_chars=stream.total, reason=_printing_function())))
        os._exit(0)

    for args in calls:
        _write_all(fd, _pack(_call(fn, args, keep_output, output_limit, flood, global_seed)))


def _printing_function() -> str:
    """Name of the innermost function on the stack that is not this package's code: the one
    whose print() is being written (a function called by the checked one, maybe)."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(GRADING_DIR):
        frame = frame.f_back
    return frame.f_code.co_name if frame is not None else ""


def _end(pid: int) -> int | None:
    """Kill the child (if it still runs) and the processes it started, reap it; return its wait
    status, or ``None`` when the system reaped it already (this process ignores ``SIGCHLD``).

    The child leads process group ``pid`` (unless ``setpgid`` failed, and then there is no such
    group: a pid in use, as the unreaped child's is, is no other group's id), so ``killpg`` ends
    it with its children and grandchildren.
    """
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:  # SIGCHLD is ignored: the child was reaped when it ended
        return None


def _describe_end(status: int | None) -> str:
    if status is None:
        return "the process running it ended without an answer"
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = "unknown signal"
        return f"the process running it was ended by signal {number} ({name})"
    return f"the process running it exited with code {os.waitstatus_to_exitcode(status)}"


class _Frames:
    """Reads the child's length-prefixed messages from the pipe, with a deadline per message."""

    TIMED_OUT, ENDED = object(), object()

    def __init__(self, fd: int):
        self.fd, self.buffer = fd, bytearray()

    def next(self, seconds: float) -> bytes | object:
        deadline = time.monotonic() + seconds
        while True:
            if len(self.buffer) >= _HEADER.size:
                (size,) = _HEADER.unpack_from(self.buffer)
                end = _HEADER.size + size
                if len(self.buffer) >= end:
                    data = bytes(self.buffer[_HEADER.size:end])
                    del self.buffer[:end]
                    return data
            left = deadline - time.monotonic()
            if left <= 0:
                return self.TIMED_OUT
            if select.select([self.fd], [], [], left)[0]:
                chunk = os.read(self.fd, 1 << 20)
                if not chunk:
                    return self.ENDED
                self.buffer += chunk


def _fork() -> int:
    with warnings.catch_warnings():  # Python 3.12+ warns when a process with threads forks
        warnings.simplefilter("ignore", DeprecationWarning)
        return os.fork()


def _run_forked(fn: Callable, calls: list[tuple], timeout: float, keep_output: int,
                output_limit: int, global_seed: int, trace: Callable | None = None) -> list[Outcome]:
    outcomes: list[Outcome] = []
    reaped = False
    read_fd, write_fd = os.pipe()
    try:
        pid = _fork()
    except OSError as exc:  # EAGAIN (too many processes), ENOMEM
        os.close(read_fd)
        os.close(write_fd)
        warnings.warn(f"check could not start a process ({exc}); it runs your function in a thread "
                      "instead, which it cannot stop if it never returns", RuntimeWarning, stacklevel=3)
        return _run_threaded(fn, calls, timeout, keep_output, output_limit, global_seed, trace)
    if pid == 0:  # the child: it must never return into the caller's code
        try:
            os.close(read_fd)
            _child(fn, calls, keep_output, output_limit, global_seed, write_fd)
        finally:
            os._exit(0)
    try:  # at once: from here on, the child is reaped and the pipe closed whatever happens
        os.close(write_fd)
        with contextlib.suppress(OSError):  # as the child does: whichever of the two runs first
            os.setpgid(pid, pid)
        frames = _Frames(read_fd)
        for args in calls:
            data = frames.next(timeout)
            if data is _Frames.TIMED_OUT:
                outcomes.append(Outcome("timeout"))
                break
            if data is _Frames.ENDED:
                status, reaped = _end(pid), True
                outcomes.append(Outcome("crashed", reason=_describe_end(status)))
                break
            outcome = _unpack(data)
            # An argument that cannot be pickled (a function, say) is not compared: keep ours.
            outcome.args_after = tuple(ours if isinstance(sent, Unsendable) else sent
                                       for ours, sent in zip(args, outcome.args_after))
            outcomes.append(outcome)
            if outcome.status == "too_much_output":
                break
    finally:  # also on KeyboardInterrupt (the kernel's stop button) while waiting
        os.close(read_fd)
        if not reaped:
            _end(pid)
    return outcomes


# --- Windows: a worker thread ---------------------------------------------------------------


def _stop(worker: threading.Thread, stop: threading.Event) -> str:
    """Ask the worker to stop: no further calls, and TimeUp raised inside the running one (which
    may catch it). Return a note for the learner when it is still running."""
    stop.set()
    if worker.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident), ctypes.py_object(TimeUp))
    worker.join(THREAD_STOP_WAIT)
    if not worker.is_alive():
        return ""
    return ("it is still running in the background and uses one core: restart the kernel "
            "(Kernel > Restart Kernel) to stop it")


def _run_threaded(fn: Callable, calls: list[tuple], timeout: float, keep_output: int,
                  output_limit: int, global_seed: int, trace: Callable | None = None) -> list[Outcome]:
    """The calls in a worker thread; ``tracer`` (see :func:`~sgdlib.grading.answer_keys.tracer`), if given, is this
    thread's trace function during each call, so the answer keys raise there and nowhere else."""
    results: queue.SimpleQueue[Outcome] = queue.SimpleQueue()
    stop = threading.Event()

    def work() -> None:
        with contextlib.suppress(TimeUp):  # asked to stop between two calls
            for args in calls:
                if stop.is_set():
                    return
                sys.settrace(trace)  # again for each call: Python unsets a tracer that raised
                try:
                    outcome = _call(fn, args, keep_output, output_limit, global_seed=global_seed)
                finally:
                    sys.settrace(None)
                results.put(outcome)
                if outcome.status == "too_much_output":
                    return

    saved = sys.stdout, sys.stderr
    random_state = np.random.get_state()  # put back here, not by the worker (see _call)
    worker = threading.Thread(target=work, name="sgdlib-check", daemon=True)
    worker.start()
    outcomes: list[Outcome] = []
    try:
        for _ in calls:
            try:
                outcomes.append(results.get(timeout=timeout))
            except queue.Empty:
                outcomes.append(Outcome("timeout", reason=_stop(worker, stop)))
                break
            if outcomes[-1].status == "too_much_output":
                break
    except BaseException:  # e.g. KeyboardInterrupt (the kernel's stop button) while waiting
        _stop(worker, stop)
        raise
    finally:
        sys.stdout, sys.stderr = saved  # a call still running had redirected them
        np.random.set_state(random_state)
    return outcomes
