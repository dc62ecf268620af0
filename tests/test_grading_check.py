"""check()/grade(): every verdict, in the documented order, with its specific message.

The exercise-specific tests use chapter 1; the generic ones run over every registered exercise,
so a new chapter module is tested as soon as it exists.
"""

from __future__ import annotations

import numpy as np
import pytest

from sgdlib.grading import all_exercises, check, get_exercise, grade, try_it
from sgdlib.grading import checker
from sgdlib.grading.sandbox import time_limit_available

EXERCISES = list(all_exercises().values())
PROBES = [(ex.id, probe, mistake) for ex in EXERCISES for probe in ex.probes for mistake in probe.mistakes]


# --- generic, over the registry -----------------------------------------------------------


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_reference_passes_every_check(exercise):
    report = grade(exercise.id, exercise.reference)
    assert report.verdict == "passed", str(report)
    assert [c.status for c in report.checks] == ["pass"] * 6


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_exercise_has_at_least_three_probes_and_unique_id(exercise):
    assert len(exercise.probes) >= 3
    assert exercise.id.startswith(f"ch{exercise.chapter:02d}_")


@pytest.mark.parametrize("exercise_id, probe, mistake", PROBES,
                         ids=[f"{e}-{p.name}-{m.__name__}" for e, p, m in PROBES])
def test_each_probed_mistake_fails_and_gets_its_own_hint(exercise_id, probe, mistake):
    report = grade(exercise_id, mistake)
    assert report.verdict == "failed"
    assert probe.hint in report.hints, str(report)
    # The hint is targeted: a mistake does not trigger every other probe's hint as well.
    assert len(report.hints) <= 2, report.hints


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_slightly_wrong_answer_never_passes(exercise):
    # Scale every returned number by 1 + 1e-3: a wrong answer close to the right one.
    def nearly(*args):
        out = exercise.reference(*args)
        if isinstance(out, tuple):
            return tuple(o * (1 + 1e-3) for o in out)
        return out * (1 + 1e-3)

    report = grade(exercise.id, nearly)
    assert report.verdict == "failed"
    assert report.summary.startswith("values:")


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_stub_is_not_attempted(exercise):
    def stub(*args):
        # YOUR CODE HERE
        raise NotImplementedError()

    report = grade(exercise.id, stub)
    assert report.verdict == "not_attempted"
    assert "not attempted" in report.summary and exercise.function_name in report.summary
    with pytest.raises(AssertionError, match="not attempted"):
        check(exercise.id, stub)


# --- failure modes every learner can hit (chapter 1's functions as the example) -----------


def _raises(f, x, h=1e-5):
    return 1 / 0


def _returns_none(f, x, h=1e-5):
    grad = np.zeros_like(x)  # computed, then forgot to return


def _returns_nan(f, x, h=1e-5):
    return np.full(len(x), np.nan)


def _returns_list(f, x, h=1e-5):
    return list(get_exercise("ch01_numerical_gradient").reference(f, x, h))


def _wrong_shape(f, x, h=1e-5):
    return get_exercise("ch01_numerical_gradient").reference(f, x, h)[:, None]


def _mutates_x(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(len(x)):
        x[i] += h  # perturbs in place ...
        up = f(x)
        x[i] -= 2 * h
        grad[i] = (up - f(x)) / (2 * h)
        x[i] += h  # ... and "restores" by arithmetic: off by round-off, so x has changed
    return grad


def _loops_forever(f, x, h=1e-5):
    while True:
        try:  # a broad except must not swallow the time limit
            pass
        except Exception:
            pass


def _prints_a_lot(f, x, h=1e-5):
    while True:
        print("debugging", x)


def _prints_a_little(f, x, h=1e-5):
    print("computing the gradient")
    return get_exercise("ch01_numerical_gradient").reference(f, x, h)


@pytest.mark.parametrize("candidate, verdict_message", [
    (_raises, "runs: raised ZeroDivisionError: division by zero"),
    (_returns_none, "return type: returned None: did you forget the `return` statement?"),
    (_returns_nan, "values: gradient contains NaN or inf"),
    (_returns_list, "return type: gradient is a list; expected a NumPy array"),
    (_wrong_shape, "shape: gradient has shape (1, 1), expected (1,)"),
    (_mutates_x, "inputs unchanged: your function changed its input `x` in place"),
    (_prints_a_lot, "runs: printed more than 10,000 characters in one call"),
], ids=lambda v: getattr(v, "__name__", "msg"))
def test_failure_modes_get_their_specific_verdict(candidate, verdict_message):
    report = grade("ch01_numerical_gradient", candidate)
    assert report.verdict == "failed"
    assert report.summary.startswith(verdict_message), report.summary
    with pytest.raises(AssertionError, match="ch01_numerical_gradient"):
        check("ch01_numerical_gradient", candidate)


@pytest.mark.skipif(not time_limit_available(), reason="needs signal.setitimer in the main thread")
def test_endless_loop_is_stopped_and_python_keeps_working(monkeypatch):
    monkeypatch.setattr(checker, "TIMEOUT", 0.5)
    report = grade("ch01_numerical_gradient", _loops_forever)
    assert report.summary.startswith("runs: did not finish within 0.5 s")
    # The alarm is disarmed afterwards: a correct function still passes.
    assert grade("ch01_numerical_gradient", get_exercise("ch01_numerical_gradient").reference).passed


@pytest.mark.skipif(not time_limit_available(), reason="needs signal.setitimer in the main thread")
def test_time_limit_restores_an_outer_alarm():
    import signal

    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *a: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30.0)
        assert grade("ch01_largest_stable_lr", get_exercise("ch01_largest_stable_lr").reference).passed
        remaining, _ = signal.setitimer(signal.ITIMER_REAL, 0)
        assert 0 < remaining <= 30.0 and not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_correct_function_that_prints_a_little_passes_and_shows_the_output():
    report = grade("ch01_numerical_gradient", _prints_a_little)
    assert report.passed
    assert "computing the gradient" in str(report)


def test_value_failure_shows_expected_and_got_on_the_smallest_case():
    report = grade("ch01_gradient_descent", lambda grad, x0, lr, n: get_exercise(
        "ch01_gradient_descent").reference(grad, x0, 2 * lr, n))
    assert report.summary == "values: wrong value of the final point (last row)"
    # Smallest case: 0 steps has no error, so the first failure is the 3-step diag(1, 10) case.
    assert "diag(1, 10) x, 3 steps" in report.detail
    assert "expected" in report.detail and "got" in report.detail


# --- chapter 1: correct implementations written differently pass ---------------------------


def ng_in_place_restored(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    grad = np.empty_like(x)
    for i in range(x.size):
        old = x[i]
        x[i] = old + h
        up = f(x)
        x[i] = old - h
        down = f(x)
        x[i] = old  # restored exactly
        grad[i] = (up - down) / (2 * h)
    return grad


def ng_unit_vectors(f, x, h=1e-5):
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(len(x))])


def gd_preallocated(grad, x0, lr, n_steps):
    trajectory = np.empty((n_steps + 1, len(x0)))
    trajectory[0] = x0
    for k in range(n_steps):
        trajectory[k + 1] = trajectory[k] - lr * grad(trajectory[k])
    return trajectory


def gd_in_place_with_copies(grad, x0, lr, n_steps):
    x = x0.astype(float)  # astype copies
    points = [x.copy()]
    for _ in range(n_steps):
        x -= lr * grad(x)
        points.append(x.copy())
    return np.stack(points)


def mse_with_mean(w, X, y):
    r = X @ w - y
    return np.mean(r**2), 2 * X.T @ r / len(y)


def mse_with_sums(w, X, y):
    n, d = X.shape
    r = [sum(X[i, j] * w[j] for j in range(d)) - y[i] for i in range(n)]
    grad = np.array([2 / n * sum(X[i, j] * r[i] for i in range(n)) for j in range(d)])
    return sum(ri * ri for ri in r) / n, grad


def lr_spectral_norm(A):
    # For a positive definite H the spectral norm is the largest eigenvalue.
    return 2 / np.linalg.norm(0.5 * (A + A.T), 2)


def lr_eigh_max(A):
    return 2.0 / np.max(np.linalg.eigh((A + A.T) / 2)[0])


@pytest.mark.parametrize("exercise_id, candidate", [
    ("ch01_numerical_gradient", ng_in_place_restored),
    ("ch01_numerical_gradient", ng_unit_vectors),
    ("ch01_gradient_descent", gd_preallocated),
    ("ch01_gradient_descent", gd_in_place_with_copies),
    ("ch01_mse_loss_and_grad", mse_with_mean),
    ("ch01_mse_loss_and_grad", mse_with_sums),
    ("ch01_largest_stable_lr", lr_spectral_norm),
    ("ch01_largest_stable_lr", lr_eigh_max),
], ids=lambda v: getattr(v, "__name__", v))
def test_correct_implementation_written_differently_passes(exercise_id, candidate):
    report = grade(exercise_id, candidate)
    assert report.passed, str(report)


# --- chapter 1: wrong implementations, one per probe, with the intended verdict -------------


def gd_same_array(grad, x0, lr, n_steps):
    x = np.array(x0, dtype=float)
    points = [x]
    for _ in range(n_steps):
        x -= lr * grad(x)  # in place: every stored row is this same array
        points.append(x)
    return np.array(points)


def gd_mutates_x0(grad, x0, lr, n_steps):
    x = x0  # not a copy
    points = [x.copy()]
    for _ in range(n_steps):
        x -= lr * grad(x)
        points.append(x.copy())
    return np.array(points)


def gd_updates_copy(grad, x0, lr, n_steps):
    x = np.array(x0, dtype=float)
    points = [x.copy()]
    for _ in range(n_steps):
        new_x = x.copy()
        new_x -= lr * grad(x)  # ... but x is never updated
        points.append(x.copy())
    return np.array(points)


def lr_complex(A):
    return 2 / np.max(np.linalg.eigvals(A))


def mse_transposed(w, X, y):
    r = X @ w - y
    return r @ r / len(y), 2 / len(y) * X @ r


@pytest.mark.parametrize("exercise_id, candidate, summary, hint", [
    ("ch01_gradient_descent", gd_same_array, "intermediate state: row 0 of the trajectory should be x0",
     "Append a copy"),
    ("ch01_gradient_descent", gd_mutates_x0, "inputs unchanged: your function changed its input `x0`", None),
    ("ch01_gradient_descent", gd_updates_copy, "values:", "updating a copy"),
    ("ch01_largest_stable_lr", lr_complex, "return type: lr_max is the complex number", "not symmetric"),
    ("ch01_mse_loss_and_grad", mse_transposed, "runs: raised ValueError", "instead of X^T"),
], ids=lambda v: getattr(v, "__name__", None))
def test_realistic_mistakes_get_verdict_and_hint(exercise_id, candidate, summary, hint):
    report = grade(exercise_id, candidate)
    assert report.summary.startswith(summary), report.summary
    if hint:
        assert any(hint in h for h in report.hints), report.hints


# --- the report ---------------------------------------------------------------------------


def test_report_renders_text_outside_jupyter(capsys):
    check("ch01_largest_stable_lr", lr_eigh_max)
    out = capsys.readouterr().out
    assert out.startswith("PASSED  ch01_largest_stable_lr")
    assert "<" not in out


def test_report_html_marks_checks_and_escapes_text():
    report = grade("ch01_numerical_gradient", lambda f, x, h=1e-5: "not an array")
    page = report._repr_html_()
    assert page.startswith('<div class="sgdlib-check"') and page.endswith("</div>")
    assert "✓ runs" in page and "✗ return type: gradient is a str; expected a NumPy array" in page
    report.hints = ["x < y & <script>"]
    assert "x &lt; y &amp; &lt;script&gt;" in report._repr_html_()


def test_check_displays_the_report_object_in_a_jupyter_kernel(monkeypatch, capsys):
    shown = []
    monkeypatch.setattr(checker, "_in_jupyter", lambda: True)
    monkeypatch.setattr("IPython.display.display", shown.append)
    with pytest.raises(AssertionError, match="values: wrong value of lr_max"):
        check("ch01_largest_stable_lr", lambda A: 1.0)
    assert capsys.readouterr().out == ""  # displayed (HTML + text), not printed
    assert len(shown) == 1 and "<div" in shown[0]._repr_html_()


def test_check_rejects_non_function_and_unknown_id():
    with pytest.raises(TypeError, match="fn must be your function"):
        check("ch01_numerical_gradient", 3)
    with pytest.raises(KeyError, match="known ids: ch01_numerical_gradient"):
        check("ch01_nope", lambda: None)


def test_try_it_swallows_only_not_implemented(capsys):
    def todo():
        raise NotImplementedError()

    with try_it():
        todo()
    assert "`todo` is not written yet" in capsys.readouterr().out
    with pytest.raises(ZeroDivisionError):
        with try_it():
            1 / 0
