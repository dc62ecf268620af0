"""No hang, ever: check() and try_it() end on time whatever the learner's code catches.

The hanging functions are the ones learners wrote (issue 9): a loop whose body sits in a bare
``try/except`` and never advances its counter, a power iteration that never converges inside a
bare ``try/except``, and a "retry until it works" loop that catches ``BaseException``. After each
one the same process must still grade correctly: a right answer passes, a changed input, a print
flood and a stub are still reported. The time limit is made short (``LIMIT``) to keep this fast.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import threading
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from sgdlib.grading import alarm, checker, get_exercise, grade, sandbox, try_it
from sgdlib.grading.progress import execute_notebook

TRY_IT = importlib.import_module("sgdlib.grading.try_it")  # the module: `try_it` is its function
LIMIT = 0.5  # seconds per call in these tests (checker.TIMEOUT is 3 s)
SLACK = 2.0  # seconds a check may take beyond LIMIT on a busy 2-core machine
POSIX_ONLY = pytest.mark.skipif(not sandbox.FORK_AVAILABLE, reason="needs os.fork (POSIX)")
LINUX_ONLY = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")


@pytest.fixture(autouse=True)
def short_limit(monkeypatch):
    monkeypatch.setattr(checker, "TIMEOUT", LIMIT)


# --- what learners wrote ----------------------------------------------------------------------


def ng_bare_except_forgets_increment(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    grad = np.zeros(len(x))
    i = 0
    while i < len(x):
        try:
            step = np.zeros(len(x))
            step[i] = h
            grad[i] = (f(x + step) - f(x - step)) / (2 * h)
        except:  # noqa: E722  (the bare except swallows anything raised to stop the loop)
            pass
        # forgot: i += 1
    return grad


def lr_power_iteration_in_bare_try(H):
    v = np.ones(len(H)) / np.sqrt(len(H))
    err = 1.0
    while err > 1e-12:
        try:
            w = H @ v
            err = np.linalg.norm(w - v)  # compares H v with v: only converges when h_max = 1
            v = w / np.linalg.norm(w)
        except:  # noqa: E722
            pass
    return 2 / (v @ H @ v)


def gd_retries_until_it_works(grad, x0, lr, n_steps):
    while True:  # "retry until it works": swallows everything, the time limit too
        try:
            x = np.array(x0, dtype=float)
            points = [x]
            for _ in range(n_steps):
                x = x - lr * grad(x)
                points.append(x)
            trajectory = np.array(points)
            assert trajectory.shape == (n_steps, len(x))  # wrong (n_steps + 1 rows): retried forever
            return trajectory
        except BaseException:
            continue


HANGS = [("ch01_numerical_gradient", ng_bare_except_forgets_increment),
         ("ch01_largest_stable_lr", lr_power_iteration_in_bare_try),
         ("ch01_gradient_descent", gd_retries_until_it_works)]


def ng_mutates_x(f, x, h=1e-5):
    grad = np.zeros(len(x))
    for i in range(len(x)):
        x[i] += h
        up = f(x)
        x[i] -= 2 * h
        grad[i] = (up - f(x)) / (2 * h)
        x[i] += h  # "restored" by arithmetic: off by round-off
    return grad


def ng_prints_and_swallows(f, x, h=1e-5):
    while True:
        try:
            print("debugging", x)
        except BaseException:  # not even the output limit stops it: the child process ends
            pass


def ng_stub(f, x, h=1e-5):
    raise NotImplementedError()


def _after_a_hang_the_checker_still_works():
    reference = get_exercise("ch01_numerical_gradient").reference
    assert grade("ch01_numerical_gradient", reference).passed
    # Integer inputs would make an in-place change show up as wrong values first: use floats.
    assert "changed its input `x` in place" in " ".join(
        c.message for c in grade("ch01_numerical_gradient", ng_mutates_x).checks)
    assert grade("ch01_numerical_gradient", ng_prints_and_swallows).summary.startswith(
        "runs: printed more than 10,000 characters in one call")
    assert grade("ch01_numerical_gradient", ng_stub).verdict == "not_attempted"


# --- check --------------------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id, hang", HANGS, ids=[h.__name__ for _, h in HANGS])
def test_check_stops_a_hang_that_catches_everything_and_keeps_working(exercise_id, hang):
    started = time.monotonic()
    report = grade(exercise_id, hang)
    elapsed = time.monotonic() - started
    assert report.summary == f"runs: did not finish within {LIMIT:g} s: {checker.LOOP_ADVICE}"
    assert LIMIT <= elapsed < LIMIT + SLACK, elapsed
    _after_a_hang_the_checker_still_works()


def test_check_raises_check_failed_for_a_hang():
    with pytest.raises(AssertionError, match="did not finish within 0.5 s"):
        checker.check("ch01_numerical_gradient", ng_bare_except_forgets_increment)


@POSIX_ONLY
def test_print_loop_that_swallows_the_stop_is_a_print_flood_not_a_timeout():
    started = time.monotonic()
    report = grade("ch01_numerical_gradient", ng_prints_and_swallows)
    assert report.summary.startswith("runs: printed more than 10,000 characters in one call")
    assert time.monotonic() - started < LIMIT  # ended by the output limit, not by the clock
    assert "debugging" in report.printed


_SCALE = 2.0  # a global the learner's function reads: the child sees it without pickling


def test_closures_and_globals_reach_the_sandbox_without_pickling():
    reference = get_exercise("ch01_largest_stable_lr").reference
    half = 0.5

    def via_closure(H):  # a closure over a local and a module global, passing lambdas around
        factor = lambda: half * _SCALE  # noqa: E731
        return factor() * reference(H)

    assert grade("ch01_largest_stable_lr", via_closure).passed


def test_unpicklable_return_value_is_reported_clearly():
    def returns_a_generator(f, x, h=1e-5):
        return ((f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(len(x)))

    report = grade("ch01_numerical_gradient", returns_a_generator)
    message = ("return type: returned a generator that could not be passed back to the checker"
               if sandbox.FORK_AVAILABLE else "return type: gradient is a generator")
    assert report.summary.startswith(message), report.summary
    if sandbox.FORK_AVAILABLE:
        assert report.summary.endswith("cannot pickle 'generator' object); return a NumPy array")


@POSIX_ONLY
@pytest.mark.parametrize("ending, reason", [
    ("os._exit(3)", "the process running it exited with code 3"),
    ("os.kill(os.getpid(), signal.SIGSEGV)", "the process running it was ended by signal 11 (SIGSEGV)"),
])
def test_a_function_that_kills_its_process_gets_a_verdict_and_the_kernel_lives(ending, reason):
    def ends_its_process(H):
        eval(ending)

    report = grade("ch01_largest_stable_lr", ends_its_process)
    assert report.summary == f"runs: stopped without returning: {reason}"
    assert grade("ch01_largest_stable_lr", get_exercise("ch01_largest_stable_lr").reference).passed


def test_sys_exit_is_reported_as_raised_not_obeyed():
    report = grade("ch01_largest_stable_lr", lambda H: sys.exit(2))
    assert report.summary == "runs: raised SystemExit: 2"


# --- the sandbox itself -----------------------------------------------------------------------


def test_run_returns_outcomes_in_order_and_stops_after_a_timeout():
    def maybe_spin(n):
        while n == 2:
            pass
        return n * 10

    outcomes = sandbox.run(maybe_spin, [(1,), (2,), (3,)], timeout=0.3)
    assert [o.status for o in outcomes] == ["ok", "timeout"]
    assert outcomes[0].value == 10


def test_raised_keeps_type_message_and_the_learners_traceback_lines():
    def buggy(x):
        return x["key"]

    (outcome,) = sandbox.run(buggy, [({},)], timeout=3)
    assert outcome.status == "raised"
    assert (outcome.error.type_name, outcome.error.message) == ("KeyError", "'key'")
    assert 'return x["key"]' in outcome.error.traceback and "in buggy" in outcome.error.traceback


def test_changes_made_by_the_call_come_back_but_stay_out_of_this_process():
    state = {"calls": 0}

    def changes_things(a):
        a[0] = 7.0
        state["calls"] += 1
        return a.sum()

    a = np.zeros(2)
    (outcome,) = sandbox.run(changes_things, [(a,)], timeout=3)
    assert outcome.value == 7.0
    np.testing.assert_array_equal(outcome.args_after[0], [7.0, 0.0])
    np.testing.assert_array_equal(a, [0.0, 0.0])
    if sandbox.FORK_AVAILABLE:
        assert state["calls"] == 0  # the child's memory is its own


def _stat_fields(stat: Path) -> list[str]:
    """The fields of a /proc/<pid>/stat file after the command name: state, parent pid, ..."""
    return stat.read_text().rsplit(")", 1)[1].split()


def _children(state: str | None = None) -> list[str]:
    """This process's child processes, read from /proc: all of them, or those in ``state``
    ("Z" for zombies)."""
    mine = str(os.getpid())
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = _stat_fields(stat)
        except OSError:
            continue
        if fields[1] == mine and state in (None, fields[0]):
            found.append(stat.parent.name)
    return found


@LINUX_ONLY
def test_no_child_process_is_left_behind():
    # Other tests of a full run (kernels, a lab server) may have children of their own: compare.
    zombies_before = set(_children("Z"))
    sandbox.run(ng_bare_except_forgets_increment, [(np.sum, np.ones(2))], timeout=0.2)
    sandbox.run(lambda: os._exit(1), [()], timeout=3)
    sandbox.run(len, [((1, 2),)], timeout=3)
    assert set(_children("Z")) <= zombies_before


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists and has not ended (a zombie has ended)."""
    try:
        return _stat_fields(Path(f"/proc/{pid}/stat"))[0] != "Z"
    except OSError:
        return False


@POSIX_ONLY
def test_a_right_answer_passes_and_a_crash_is_reported_when_sigchld_is_ignored():
    # With SIGCHLD ignored the system reaps the child itself, and waitpid finds none to reap.
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert grade("ch01_largest_stable_lr", get_exercise("ch01_largest_stable_lr").reference).passed
        report = grade("ch01_largest_stable_lr", lambda H: os._exit(3))
    finally:
        signal.signal(signal.SIGCHLD, previous)
    assert report.summary == ("runs: stopped without returning: the process running it ended "
                              "without an answer")


@LINUX_ONLY
def test_a_failed_fork_falls_back_to_a_thread_without_leaking_the_pipe(monkeypatch):
    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    open_fds = len(os.listdir("/proc/self/fd"))
    with pytest.warns(RuntimeWarning, match="could not start a process .* runs your function in a thread"):
        report = grade("ch01_largest_stable_lr", get_exercise("ch01_largest_stable_lr").reference)
    assert report.passed
    assert len(os.listdir("/proc/self/fd")) == open_fds


@LINUX_ONLY
def test_processes_the_function_started_end_with_it(tmp_path):
    # A learner's subprocess (or multiprocessing worker) is killed with the child that started it.
    pid_file = tmp_path / "grandchild.pid"

    def starts_a_process_and_hangs():
        import subprocess

        pid_file.write_text(str(subprocess.Popen(["sleep", "60"]).pid))
        while True:
            pass

    (outcome,) = sandbox.run(starts_a_process_and_hangs, [()], timeout=0.5)
    assert outcome.status == "timeout"
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _running(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(grandchild)


@POSIX_ONLY
@pytest.mark.parametrize("reads, message", [
    (lambda H: float(input("L? ")), "input() is not available inside check; give your function its "
                                    "values as arguments"),
    (lambda H: float(sys.stdin.readline()), "input() is not available inside check"),
    (lambda H: breakpoint(), "breakpoint() and debuggers are not available inside check"),
], ids=["input()", "sys.stdin", "breakpoint()"])
def test_reading_input_is_refused_at_once_with_a_clear_message(reads, message):
    # In a kernel, the inherited input channel would wait for an answer that never comes.
    started = time.monotonic()
    report = grade("ch01_largest_stable_lr", reads)
    assert time.monotonic() - started < LIMIT  # an answer, not the time limit
    assert report.summary.startswith(f"runs: raised RuntimeError: {message}")


@LINUX_ONLY
@pytest.mark.skipif(not alarm.time_limit_available(), reason="needs setitimer in the main thread")
def test_an_alarm_right_after_the_fork_leaves_no_child_or_pipe_behind(monkeypatch):
    # try_it's alarm may come at any moment once its time is up: here, in the parent, as soon as
    # os.fork returns (outside this package's code). run() holds it until the child is reaped.
    real_fork = os.fork

    def fork_then_alarm():
        pid = real_fork()
        if pid:
            signal.raise_signal(signal.SIGVTALRM)
        return pid

    monkeypatch.setattr(os, "fork", fork_then_alarm)
    open_fds = len(os.listdir("/proc/self/fd"))
    children_before = set(_children())  # a full run's other tests may have children (kernels)
    with alarm.time_limit(60.0):  # its handler, without its timer
        (outcome,) = sandbox.run(sum, [((1.0, 2.0),)], timeout=3)
    assert outcome.value == 3.0
    assert set(_children()) <= children_before and len(os.listdir("/proc/self/fd")) == open_fds


@POSIX_ONLY
def test_display_in_the_child_is_collected_not_sent_through_the_parents_shell(monkeypatch):
    import types

    import IPython

    # The kernel's display publisher writes to sockets that belong to the parent process.
    shell = types.SimpleNamespace(display_pub="the kernel's publisher")
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    (outcome,) = sandbox.run(lambda: type(shell.display_pub).__name__, [()], timeout=3)
    assert outcome.value == "CapturingDisplayPublisher"
    assert shell.display_pub == "the kernel's publisher"


def _join_workers() -> list[threading.Thread]:
    """Wait for the sandbox's worker threads to end; return those still alive after 5 s."""
    workers = [t for t in threading.enumerate() if t.name == "sgdlib-check"]
    for worker in workers:
        worker.join(5)
    return [t for t in workers if t.is_alive()]


def test_thread_route_without_fork_stops_waiting_on_time(monkeypatch):
    # What Windows gets: the same verdicts from a worker thread, which cannot be killed.
    monkeypatch.setattr(sandbox, "FORK_AVAILABLE", False)
    stdout = sys.stdout

    def loops_but_lets_time_up_through(n):
        while True:
            try:
                n += 1
            except Exception:  # TimeUp is a BaseException: it ends this loop
                pass

    started = time.monotonic()
    (outcome,) = sandbox.run(loops_but_lets_time_up_through, [(0,)], timeout=0.3)
    assert outcome.status == "timeout"
    assert time.monotonic() - started < 0.3 + SLACK
    assert sys.stdout is stdout
    assert _join_workers() == []  # asked to stop, it stopped

    release = threading.Event()

    def swallows_everything(n):
        while not release.is_set():
            try:  # the one TimeUp sent to stop it lands in here, and is swallowed
                while not release.is_set():
                    n += 1
            except BaseException:
                pass

    (outcome,) = sandbox.run(swallows_everything, [(0,)], timeout=0.3)
    assert outcome.status == "timeout" and "still running in the background" in outcome.reason
    assert sys.stdout is stdout
    release.set()  # let the test's stuck thread end before the next run redirects the output
    assert _join_workers() == []
    report_lines = [o.status for o in sandbox.run(lambda x: print("x" * 20_000), [(1,)], timeout=3)]
    assert report_lines == ["too_much_output"]
    assert sandbox.run(lambda x: x + 1, [(1,), (2,)], timeout=3)[1].value == 3


# --- try_it's time_limit: the repeating alarm for code that runs in the kernel ---------------------------


@pytest.mark.skipif(not alarm.time_limit_available(), reason="needs setitimer in the main thread")
def test_time_limit_repeats_until_a_loop_that_swallows_the_first_alarm_ends():
    def retries(n):
        while True:
            try:
                n = sum(range(100))
            except BaseException:
                continue

    started = time.monotonic()
    with pytest.raises(sandbox.TimeUp):
        with alarm.time_limit(0.2):
            retries(0)
    assert time.monotonic() - started < 0.2 + 5.0  # CPU time: slower when the machine is busy


@pytest.mark.skipif(not alarm.time_limit_available(), reason="needs setitimer in the main thread")
def test_time_limit_puts_back_the_outer_timers_and_handlers():
    fired = []

    def outer_handler(*args):
        fired.append(True)

    previous = signal.signal(signal.SIGVTALRM, outer_handler)
    try:
        signal.setitimer(signal.ITIMER_REAL, 30.0)  # e.g. pytest-timeout: never touched
        signal.setitimer(signal.ITIMER_VIRTUAL, 20.0)
        with alarm.time_limit(5.0):
            pass
        assert 0 < signal.setitimer(signal.ITIMER_REAL, 0)[0] <= 30.0
        assert 19.0 < signal.setitimer(signal.ITIMER_VIRTUAL, 0)[0] <= 20.1  # kernel ticks round up
        assert signal.getsignal(signal.SIGVTALRM) is outer_handler and not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def test_check_sets_no_alarm():
    outer = signal.getsignal(signal.SIGALRM), signal.getsignal(signal.SIGVTALRM)
    assert grade("ch01_numerical_gradient", ng_bare_except_forgets_increment).verdict == "failed"
    assert (signal.getsignal(signal.SIGALRM), signal.getsignal(signal.SIGVTALRM)) == outer
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)


# --- try_it -------------------------------------------------------------------------------------


@pytest.fixture
def notebook_functions(monkeypatch):
    """Put functions into this module's globals under exercise names, as a notebook cell would."""
    def define(**functions):
        for name, fn in functions.items():
            monkeypatch.setitem(globals(), name, fn)
    return define


@pytest.mark.parametrize("exercise_id, hang", HANGS, ids=[h.__name__ for _, h in HANGS])
def test_try_it_stops_each_hang_on_time_and_puts_the_function_back(notebook_functions, capsys,
                                                                     exercise_id, hang):
    name = get_exercise(exercise_id).function_name
    notebook_functions(**{name: hang})
    calls = {
        "numerical_gradient": lambda: numerical_gradient(lambda v: float(v @ v), np.ones(3)),  # noqa: F821
        "largest_stable_lr": lambda: largest_stable_lr(np.diag([1.0, 10.0])),  # noqa: F821
        "gradient_descent": lambda: gradient_descent(lambda x: x, np.ones(2), 0.1, 3),  # noqa: F821
    }
    started = time.monotonic()
    with try_it(seconds=LIMIT):
        calls[name]()
    assert time.monotonic() - started < LIMIT + SLACK
    out = capsys.readouterr().out
    assert out == (f"This cell did not finish within {LIMIT:g} s (stopped in `{name}`): "
                   f"{checker.LOOP_ADVICE}\n")
    assert globals()[name] is hang  # the guard is gone after the cell
    _after_a_hang_the_checker_still_works()


_CALLS: list[int] = []  # what the functions below did in this process


def _mse_that_counts(theta, X, y):
    _CALLS.append(1)  # a side effect: it happens once per call made for real
    print("mse called")
    r = X @ theta - y
    return float(r @ r / len(y)), 2 / len(y) * X.T @ r


def _gd(grad, x0, lr, n_steps):
    x = np.array(x0, dtype=float)
    points = [x]
    for _ in range(n_steps):
        x = x - lr * grad(x)
        points.append(x)
    return np.array(points)


@POSIX_ONLY  # with threads (Windows) the trial runs in this process: its side effects show
def test_try_it_runs_a_working_function_once_for_real(notebook_functions, capsys, monkeypatch):
    trials = []
    real_run = TRY_IT.run
    monkeypatch.setattr(TRY_IT, "run", lambda *a, **k: trials.append(1) or real_run(*a, **k))
    monkeypatch.setattr(sys.modules[__name__], "_CALLS", [])
    notebook_functions(mse_loss_and_grad=_mse_that_counts, gradient_descent=_gd)
    X, y = np.eye(2), np.array([1.0, 2.0])
    with try_it(seconds=LIMIT):
        # gradient_descent calls the (guarded) mse_loss_and_grad inside: no trial of its own.
        path = gradient_descent(lambda w: mse_loss_and_grad(w, X, y)[1], np.zeros(2), 1.0, 4)  # noqa: F821
        loss, _ = mse_loss_and_grad(path[-1], X, y)  # noqa: F821
    # X = I, n = 2: the gradient is theta - y and L = 1, so lr = 1/L reaches y in one step.
    np.testing.assert_allclose(path[-1], [1.0, 2.0])
    assert loss == 0.0
    assert len(trials) == 2  # one trial per call the cell made
    assert len(_CALLS) == 5 and capsys.readouterr().out == "mse called\n" * 5


def test_try_it_reports_a_print_flood_and_a_stub(notebook_functions, capsys):
    notebook_functions(numerical_gradient=ng_prints_and_swallows)
    with try_it(seconds=LIMIT):
        numerical_gradient(np.sum, np.ones(2))  # noqa: F821
    out = capsys.readouterr().out
    assert out.startswith("This cell stopped: `numerical_gradient` printed more than 10,000 characters")
    # Its first line is quoted, as check's report shows what was printed; the flood stayed in the
    # sandbox.
    assert out.endswith("\nIts first line: debugging [1. 1.]\n") and out.count("debugging") == 1

    notebook_functions(numerical_gradient=ng_stub)
    with try_it(seconds=LIMIT):
        numerical_gradient(np.sum, np.ones(2))  # noqa: F821
    assert capsys.readouterr().out == "`ng_stub` is not written yet: this cell will work once it is.\n"


def test_try_it_shows_other_errors_with_their_real_traceback(notebook_functions):
    def largest_stable_lr(H):
        return 2 / np.linalg.eigvalsh(H).max() + undefined_variable  # noqa: F821

    notebook_functions(largest_stable_lr=largest_stable_lr)
    with pytest.raises(NameError, match="undefined_variable") as info:
        with try_it(seconds=LIMIT):
            largest_stable_lr(np.eye(2))  # noqa: F821
    assert info.traceback[-1].name == "largest_stable_lr"  # raised here, not in a sandbox


# --- in a real kernel -----------------------------------------------------------------------------


def _code(fn) -> str:
    import inspect

    return inspect.getsource(fn)


def test_hangs_end_on_time_in_a_real_jupyter_kernel(tmp_path):
    cells = [
        "import time\nimport numpy as np\nimport matplotlib.pyplot as plt\n"
        f"from sgdlib.grading import check, checker, try_it\nchecker.TIMEOUT = {LIMIT}",
        _code(ng_bare_except_forgets_increment).replace("ng_bare_except_forgets_increment",
                                                          "numerical_gradient"),
        "started = time.monotonic()\ncheck('ch01_numerical_gradient', numerical_gradient)",
        "print(round(time.monotonic() - started, 1))",
        _code(lr_power_iteration_in_bare_try)
        + "\ncheck('ch01_largest_stable_lr', lr_power_iteration_in_bare_try)",
        _code(gd_retries_until_it_works) + "\ncheck('ch01_gradient_descent', gd_retries_until_it_works)",
        f"with try_it(seconds={LIMIT}):\n    numerical_gradient(lambda v: float(v @ v), np.ones(3))",
        # A correct function that plots and shows: display() in the sandbox must not disturb the kernel.
        "def largest_stable_lr(H):\n    plt.plot([0, 1])\n    plt.show()\n"
        "    return 2 / np.linalg.eigvalsh(H).max()\ncheck('ch01_largest_stable_lr', largest_stable_lr)",
        "print('still alive')",
    ]
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    started = time.monotonic()
    assert execute_notebook(nb, tmp_path, cell_timeout=30) == ""
    assert time.monotonic() - started < 60
    errors = {i: o for i, c in enumerate(nb.cells) for o in c.outputs if o.output_type == "error"}
    assert sorted(errors) == [2, 4, 5], errors
    for i in errors:
        assert errors[i].ename == "CheckFailed"
        assert f"did not finish within {LIMIT:g} s" in errors[i].evalue
    assert float(nb.cells[3].outputs[0].text) < LIMIT + SLACK
    assert nb.cells[6].outputs[0].text.startswith(f"This cell did not finish within {LIMIT:g} s "
                                                  "(stopped in `numerical_gradient`)")
    report = nb.cells[7].outputs[-1].data["text/plain"]
    assert report.startswith("PASSED  ch01_largest_stable_lr")
    assert nb.cells[8].outputs[0].text == "still alive\n"


def test_a_worker_thread_that_ends_after_its_time_limit_leaves_the_global_random_state(monkeypatch):
    # The thread route (Windows, or a failed fork): the stuck call ends later, and must not
    # write the random state it saw at its start back into the kernel then.
    monkeypatch.setattr(sandbox, "FORK_AVAILABLE", False)
    release = threading.Event()

    def swallows_time_up_until_released():
        while not release.is_set():
            try:
                time.sleep(0.01)
            except BaseException:
                pass

    np.random.seed(1)
    (outcome,) = sandbox.run(swallows_time_up_until_released, [()], timeout=0.3)
    assert outcome.status == "timeout"
    np.random.seed(2)  # the kernel goes on, with a random state of its own
    ours = np.random.get_state()[1].copy()
    release.set()
    assert _join_workers() == []
    assert np.array_equal(np.random.get_state()[1], ours)


@pytest.mark.parametrize("forked", [True, False])
def test_a_returned_array_that_is_an_input_or_a_view_of_one_is_recorded(forked, monkeypatch):
    # Pickling the value loses what it shares, so the call's own process records it.
    if not forked:
        monkeypatch.setattr(sandbox, "FORK_AVAILABLE", False)

    def returns_inputs(a, arrays):
        return a[1:], a + 1, [arrays[1], arrays[0].copy()]

    a = np.arange(3.0)
    (outcome,) = sandbox.run(returns_inputs, [(a, [np.zeros(2), np.ones(2)])], timeout=3)
    assert outcome.status == "ok" and sorted(outcome.shared) == [((0,), (0,)), ((2, 0), (1, 1))]
    (outcome,) = sandbox.run(lambda a: a * 2, [(a,)], timeout=3)
    assert outcome.shared == ()
