"""check()/grade(): every verdict, in the documented order, with its specific message.

The exercise-specific tests use chapter 1; the generic ones run over every registered exercise,
so a new chapter module is tested as soon as it exists.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

from sgdlib.grading import all_exercises, check, get_exercise, grade, try_it
from sgdlib.grading import checker
from sgdlib.grading.exercises.ch01 import numerical_gradient

EXERCISES = list(all_exercises().values())
PROBES = [(ex.id, probe, mistake) for ex in EXERCISES for probe in ex.probes for mistake in probe.mistakes]


# --- generic, over the registry -----------------------------------------------------------


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_reference_passes_every_check(exercise):
    report = grade(exercise.id, exercise.reference)
    assert report.verdict == "passed", str(report)
    names = ["runs", "return type", "shape", "values", "intermediate state", "inputs unchanged"]
    if exercise.intermediate is None:  # no "nothing to check here" noise line
        names.remove("intermediate state")
    assert [(c.name, c.status) for c in report.checks] == [(n, "pass") for n in names]


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
    # Scale every returned number by 1 + 1e-3: a wrong answer close to the right one. Index
    # arrays (the batches of an epoch) have no nearby numbers: reverse each batch instead.
    def nearly(*args):
        out = exercise.reference(*args)
        if exercise.returns[0].kind == "index arrays":
            return [batch[::-1] for batch in out]
        if isinstance(out, tuple):  # a list of arrays (clipped gradients) scaled array by array
            return tuple([a * (1 + 1e-3) for a in o] if isinstance(o, list)
                         else {k: a * (1 + 1e-3) for k, a in o.items()} if isinstance(o, dict)  # a state
                         else o * (1 + 1e-3) for o in out)
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
    x = np.asarray(x, dtype=float)  # a float copy of an integer x, but a float x itself
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


def test_endless_loop_is_stopped_and_python_keeps_working(monkeypatch):
    # More hangs (bare except, BaseException, in a real kernel) are in test_grading_sandbox.py.
    monkeypatch.setattr(checker, "TIMEOUT", 0.5)
    report = grade("ch01_numerical_gradient", _loops_forever)
    assert report.summary.startswith("runs: did not finish within 0.5 s")
    assert grade("ch01_numerical_gradient", get_exercise("ch01_numerical_gradient").reference).passed


def test_correct_function_that_prints_a_little_passes_and_shows_the_output():
    report = grade("ch01_numerical_gradient", _prints_a_little)
    assert report.passed
    assert "computing the gradient" in str(report)


def test_value_failure_shows_expected_and_got_on_the_smallest_case():
    report = grade("ch01_gradient_descent", lambda grad, x0, lr, n: get_exercise(
        "ch01_gradient_descent").reference(grad, x0, 2 * lr, n))
    assert report.summary == "values: wrong value of the final point (last row)"
    # The smallest case is the one-dimensional one, d = 1: with lr = 2 * (1/L) = 2/L each step
    # multiplies x - 1.5 by 1 - lr L = -1, so x0 = -2 jumps to 5 and back: 5 after 3 steps.
    assert report.detail.startswith("Smallest failing case: f(x) = 2 (x - 1.5)^2")
    assert "expected [1.5]\n  got      [5.0]" in report.detail


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


def lr_eigvals_max(H):
    # eigvals (the general routine) of a symmetric H: real eigenvalues, a float array.
    return 2 / np.max(np.linalg.eigvals(H))


def gd_asarray_on_integers(grad, x0, lr, n_steps):
    x = np.asarray(x0, dtype=float)  # converts an integer x0, but is x0 itself when it is float
    points = [x.copy()]
    for _ in range(n_steps):
        x -= lr * grad(x)
        points.append(x.copy())
    return np.array(points)


@pytest.mark.parametrize("exercise_id, candidate", [
    ("ch01_numerical_gradient", ng_in_place_restored),
    ("ch01_numerical_gradient", ng_unit_vectors),
    ("ch01_gradient_descent", gd_preallocated),
    ("ch01_gradient_descent", gd_in_place_with_copies),
    ("ch01_mse_loss_and_grad", mse_with_mean),
    ("ch01_mse_loss_and_grad", mse_with_sums),
    ("ch01_largest_stable_lr", lr_spectral_norm),
    ("ch01_largest_stable_lr", lr_eigh_max),
    ("ch01_largest_stable_lr", lr_eigvals_max),
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


def lr_complex(H):
    # The eigenvalues of a complex matrix are complex numbers, even with imaginary parts 0.
    return 2 / np.max(np.linalg.eigvals(H.astype(complex)))


def mse_transposed(w, X, y):
    r = X @ w - y
    return r @ r / len(y), 2 / len(y) * X @ r


@pytest.mark.parametrize("exercise_id, candidate, summary, hint", [
    ("ch01_gradient_descent", gd_same_array, "intermediate state: row 0 of the trajectory should be x0",
     "Append a copy"),
    ("ch01_gradient_descent", gd_asarray_on_integers,
     "inputs unchanged: your function changed its input `x0`", None),
    ("ch01_gradient_descent", gd_updates_copy, "values:", "updating a copy"),
    ("ch01_largest_stable_lr", lr_complex,
     "return type: lr_max is the complex number (6.666666666666667+0j); expected a real float", None),
    ("ch01_mse_loss_and_grad", mse_transposed, "runs: raised ValueError", "instead of X^T"),
], ids=lambda v: getattr(v, "__name__", None))
def test_realistic_mistakes_get_verdict_and_hint(exercise_id, candidate, summary, hint):
    report = grade(exercise_id, candidate)
    assert report.summary.startswith(summary), report.summary
    if hint:
        assert any(hint in h for h in report.hints), report.hints


def test_in_place_update_of_an_integer_input_is_explained_and_its_mutation_reported():
    # `x -= ...` on x = x0: raises on the integer x0 (NumPy cannot store floats in it in place)
    # and changes every float x0. Both are reported, with the one fix for both.
    report = grade("ch01_gradient_descent", gd_mutates_x0)
    assert report.summary.startswith("runs: raised UFuncTypeError: Cannot cast ufunc 'subtract'")
    assert "x0 = [4, -2]" in report.detail
    (line,) = [c for c in report.checks if c.name == "inputs unchanged"]
    assert line.status == "fail" and "changed its input `x0` in place" in line.message
    (hint,) = report.hints
    assert hint.startswith("`x0` is an integer array here (x0 = [4, -2]), and `-=` updates")
    assert "`x = np.array(x0, dtype=float)`" in hint


def mse_integer_accumulator(theta, X, y):
    grad = np.zeros(X.shape[1], dtype=int)  # integers, whatever the inputs hold
    r = X @ theta - y
    grad += 2 / len(y) * (X.T @ r)
    return r @ r / len(y), grad


def test_in_place_update_of_an_integer_array_made_in_the_function_is_explained():
    report = grade("ch01_mse_loss_and_grad", mse_integer_accumulator)
    assert report.summary.startswith("runs: raised UFuncTypeError: Cannot cast ufunc 'add'")
    assert report.hints == [
        "`+=` updates an integer array (one made with `dtype=int`, or from whole numbers such as "
        "`np.array([0, 0])`): in place, NumPy keeps the array's dtype, and an integer array cannot "
        "hold the float result: that is what \"Cannot cast ufunc ... output\" means. Make it a float "
        "array (`dtype=float`)."]


def test_an_exception_that_names_no_known_mistake_gets_no_hint():
    report = grade("ch01_numerical_gradient", _raises)
    assert report.hints == []
    assert [c.status for c in report.checks] == ["fail", "skip", "skip", "skip", "skip"]


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


# --- learner review: near misses, precise hints, no misleading fallback --------------------


def lr_float32(A):
    return np.float32(2 / np.linalg.eigvalsh((A + A.T) / 2).max())


def lr_power_iteration(A, iterations=50):
    H = (A + A.T) / 2
    v = np.ones(len(A))
    for _ in range(iterations):  # a fixed count: not converged when two eigenvalues are close
        v = H @ v
        v /= np.linalg.norm(v)
    return 2 / (v @ H @ v)


def lr_close_on_one_dimension_only(H):
    L = np.linalg.eigvalsh(H)[-1]
    return 2 / L * (1 + 1e-7) if len(H) == 1 else 2 / (L + 1)  # far off on every larger H


@pytest.mark.parametrize("candidate, hint", [
    (lr_float32, "`lr_max`: float32 precision"),
    # 50 iterations from v = (1, ..., 1): at most 0.18 % off on these cases, all over 1e-9.
    (lr_power_iteration, "`lr_max`: close, not exact: within 0.18% of the expected values"),
    (lr_close_on_one_dimension_only, checker.NEAR_MISS_HINT),  # no pattern over all cases
], ids=lambda v: getattr(v, "__name__", "hint"))
def test_near_miss_gets_the_close_message_and_enough_digits(candidate, hint):
    report = grade("ch01_largest_stable_lr", candidate)
    assert report.summary == "values: wrong value of lr_max (close, but not within the tolerance)"
    (found,) = report.hints
    assert found.startswith(hint)
    expected, got = [line.split()[1] for line in report.detail.splitlines()
                     if line.strip().startswith(("expected", "got"))]
    assert expected != got  # 12 significant digits show the difference


def test_near_miss_float32_shows_the_float32_digits():
    report = grade("ch01_largest_stable_lr", lr_float32)
    # Smallest case H = [[0.3]]: 2 / 0.3 = 6.666..., float32(2 / 0.3) = 6.666666507720947
    # (IEEE 754 single precision, 24-bit significand)
    assert "expected 6.66666666667\n  got      6.66666650772\n" in report.detail


def test_far_miss_is_not_called_close():
    report = grade("ch01_largest_stable_lr", lambda A: 0.3)
    assert "close" not in report.summary and report.hints == [checker.NO_MATCH_HINT]


def gd_list_missing_start(grad, x0, lr, n_steps):
    x = np.array(x0, dtype=float)
    points = []  # x0 never stored: at n_steps = 0 this is np.array([]), shape (0,)
    for _ in range(n_steps):
        x = x - lr * grad(x)
        points.append(x)
    return np.array(points)


def gd_range_minus_one(grad, x0, lr, n_steps):
    x = np.array(x0, dtype=float)
    points = [x]
    for _ in range(n_steps - 1):
        x = x - lr * grad(x)
        points.append(x)
    return np.array(points)


def gd_transposed(grad, x0, lr, n_steps):
    x = np.array(x0, dtype=float)
    points = [x]
    for _ in range(n_steps):
        x = x - lr * grad(x)
        points.append(x)
    return np.array(points).T


def ng_precedence(f, x, h=1e-5):
    grad = np.zeros(len(x))
    for i in range(len(x)):
        step = np.zeros(len(x))
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / 2*h  # divides by 2, then multiplies by h
    return grad


def ng_wrong_sign(f, x, h=1e-5):
    grad = np.zeros(len(x))
    for i in range(len(x)):
        step = np.zeros(len(x))
        step[i] = h
        grad[i] = (f(x - step) - f(x + step)) / (2 * h)
    return grad


def lr_forgot_half(A):
    # Symmetrises the (already symmetric) H without the 1/2: the eigenvalues of 2 H, so 1/L.
    return 2 / np.linalg.eigvalsh(A + A.T).max()


def mse_half_convention(w, X, y):
    r = X @ w - y
    return 0.5 * r @ r / len(y), X.T @ r / len(y)


def mse_half_grad_wrong_loss(w, X, y):
    r = X @ w - y
    return r @ r, X.T @ r / len(y)  # loss without the mean, gradient without the 2


@pytest.mark.parametrize("exercise_id, candidate, summary, hint", [
    ("ch01_gradient_descent", gd_list_missing_start, "shape:", "missing its first row"),
    ("ch01_gradient_descent", gd_range_minus_one, "shape:", "stops one step early"),
    ("ch01_gradient_descent", gd_transposed, "shape: trajectory has shape (1, 4), expected (4, 1)",
     "transposed"),
    ("ch01_numerical_gradient", ng_precedence, "values:", "`/ 2*h` divides by 2"),
    ("ch01_numerical_gradient", ng_wrong_sign, "values:", "wrong sign"),
    ("ch01_largest_stable_lr", lr_forgot_half, "values:", "Your learning rate is 1/L, half the limit"),
    ("ch01_mse_loss_and_grad", mse_half_convention, "values: wrong value of loss",
     "You used f = 1/(2n) r^T r"),
], ids=lambda v: getattr(v, "__name__", None))
def test_review_mistakes_get_their_new_hint(exercise_id, candidate, summary, hint):
    report = grade(exercise_id, candidate)
    assert report.summary.startswith(summary), report.summary
    assert any(hint in h for h in report.hints), report.hints
    assert checker.NO_MATCH_HINT not in report.hints


def test_gradient_half_hint_only_when_the_loss_is_right():
    assert not any("half the right one" in h for h in grade("ch01_mse_loss_and_grad", mse_half_convention).hints)
    assert not any("half the right one" in h for h in grade("ch01_mse_loss_and_grad", mse_half_grad_wrong_loss).hints)

    def half_grad_right_loss(w, X, y):
        r = X @ w - y
        return r @ r / len(y), X.T @ r / len(y)

    assert any("half the right one" in h for h in grade("ch01_mse_loss_and_grad", half_grad_right_loss).hints)


def ng_drifts_x(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    grad = np.zeros(len(x))
    for i in range(len(x)):
        x[i] += h
        up = f(x)
        x[i] -= 2 * h  # never put back: x drifts by -h per coordinate
        grad[i] = (up - f(x)) / (2 * h)
    return grad


def ng_restores_half_way(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    grad = np.zeros(len(x))
    for i in range(len(x)):
        x[i] += h
        up = f(x)
        x[i] -= 2 * h
        grad[i] = (up - f(x)) / (2 * h)
        x[i] += h / 2  # half way back: x drifts by -h/2 per coordinate
    return grad


def test_values_failure_also_reports_a_changed_input():
    report = grade("ch01_numerical_gradient", ng_restores_half_way)
    assert report.summary.startswith("values:")
    (line,) = [c for c in report.checks if c.name == "inputs unchanged"]
    assert line.status == "fail" and "changed its input `x` in place" in line.message
    assert report.hints == [checker.DRIFT_HINT]
    assert [c.name for c in report.checks] == ["runs", "return type", "shape", "values", "inputs unchanged"]


def test_a_coordinate_never_put_back_is_named_by_its_probe():
    # The input drifts too (it is reported), but the probe names why: x[i] is left at x_i - h.
    report = grade("ch01_numerical_gradient", ng_drifts_x)
    assert report.hints == [numerical_gradient.NOT_RESTORED.hint]
    assert any(c.name == "inputs unchanged" and c.status == "fail" for c in report.checks)


def test_restore_exactly_message_says_even_round_off_counts():
    report = grade("ch01_numerical_gradient", _mutates_x)
    assert "(even a 1e-16 change counts; save the old value and put it back)" in report.summary


def _mutates_integer_x(f, x, h=1e-5):
    grad = np.zeros_like(x)  # an integer array when x is one
    for i in range(len(x)):
        x[i] += h  # on an integer x the step is cut off; on a float x it is undone only to round-off
        up = f(x)
        x[i] -= 2 * h
        grad[i] = (up - f(x)) / (2 * h)
        x[i] += h
    return grad


def test_wrong_only_on_integer_inputs_blames_the_integers_even_when_x_drifts():
    # The float x drifts by round-off only (those values are right): the integers are the cause.
    report = grade("ch01_numerical_gradient", _mutates_integer_x)
    assert report.summary == "values: wrong value of gradient"
    assert "x = [1, -2]" in report.detail
    (line,) = [c for c in report.checks if c.name == "inputs unchanged"]
    assert line.status == "fail" and "changed its input `x` in place" in line.message
    (hint,) = report.hints
    assert hint.startswith("Your function is right on every float input but wrong when an input "
                           "holds integers (x = [1, -2])")


def _name_error(f, x, h=1e-5):
    return gradient  # noqa: F821  (a typo: the learner's variable is called grad)


@pytest.mark.parametrize("candidate", [_returns_list, _returns_none, _name_error, _mutates_x, _wrong_shape],
                         ids=lambda f: f.__name__)
def test_no_generic_fallback_after_a_precise_failure(candidate):
    report = grade("ch01_numerical_gradient", candidate)
    assert report.verdict == "failed"
    assert checker.NO_MATCH_HINT not in report.hints, str(report)


@pytest.mark.parametrize("candidate, advice", [(_loops_forever, checker.LOOP_ADVICE),
                                               (_prints_a_lot, checker.PRINT_ADVICE)],
                         ids=["timeout", "print_flood"])
def test_timeout_and_print_flood_advice_is_in_the_report_line(monkeypatch, candidate, advice):
    monkeypatch.setattr(checker, "TIMEOUT", 0.5)
    report = grade("ch01_numerical_gradient", candidate)
    (line,) = [c for c in report.checks if c.status == "fail"]
    assert line.name == "runs" and line.message.endswith(advice)
    assert advice in str(report) and advice in report._repr_html_()


def test_html_renders_backticks_as_code_and_one_array_format():
    report = grade("ch01_gradient_descent", gd_same_array)
    page = report._repr_html_()
    assert "`" not in page.split("<pre>")[0]  # no literal backticks outside the code block
    assert "<code>x</code>" in grade("ch01_numerical_gradient", _mutates_x)._repr_html_()
    # The trajectory's row message and the case block write arrays the same way.
    report = grade("ch01_gradient_descent", gd_same_array)
    message = [c.message for c in report.checks if c.status == "fail"][0]
    # Smallest case: x0 = -2 reaches the minimum 1.5 in one step, and every row is the final x.
    assert message.endswith("should be x0 = [-2.0], got [1.5]")
    assert "x0 = [-2.0]" in report.detail
    assert "nothing to check here" not in str(grade("ch01_largest_stable_lr", lr_eigh_max))


def test_try_it_stops_an_endless_loop_and_closes_a_half_drawn_figure(capsys):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def spin():
        while True:
            pass

    def todo():
        raise NotImplementedError()

    before = plt.get_fignums()
    for body in (spin, todo):
        with try_it(seconds=0.3):
            plt.plot([0, 1], [0, 1])  # drawn before the learner's function is called
            body()
        assert plt.get_fignums() == before
    out = capsys.readouterr().out
    assert "did not finish within 0.3 s (stopped in `spin`)" in out and checker.LOOP_ADVICE in out
    assert "`todo` is not written yet" in out


@pytest.mark.parametrize("module_name", ["ch01.gradient_descent", "ch02.sgd"])
def test_trajectory_rows_are_checked_with_the_exercises_own_tolerance(monkeypatch, module_name):
    # The intermediate check compares rows as the values check does: one tolerance, the exercise's.
    import importlib

    module = importlib.import_module(f"sgdlib.grading.exercises.{module_name}")
    case = module.EXERCISE.cases()[0]
    expected = module.EXERCISE.reference(*case.call_args())
    off = expected * (1 + 1e-6)  # outside rtol = 1e-9, inside 1e-3
    assert module._intermediate(case, off, expected) is not None
    monkeypatch.setattr(module, "EXERCISE", dataclasses.replace(module.EXERCISE, rtol=1e-3))
    assert module._intermediate(case, off, expected) is None


def test_a_tuple_in_the_wrong_order_is_called_swapped():
    def grad_then_loss(theta, X, y):
        r = X @ theta - y
        return 2 / len(y) * X.T @ r, float(r @ r / len(y))

    report = grade("ch01_mse_loss_and_grad", grad_then_loss)
    assert report.summary == ("return type: the two values look swapped (loss is a ndarray; expected "
                              "a float): return them in the order (loss, grad)")


def test_matching_inf_and_nan_are_right_and_a_finite_stand_in_is_not():
    # The overflowing case's expected trajectory ends in inf, then nan: the reference passes, and a
    # run that keeps its points finite fails on the values, with neither a flood of numpy warnings
    # nor a "largest difference inf" in the report.
    def clipped(grad, x0, lr, n_steps):
        x = np.array(x0, dtype=float)
        trajectory = [x]
        for _ in range(n_steps):
            x = np.clip(x - lr * grad(x), -1e300, 1e300)
            trajectory.append(x)
        return np.array(trajectory)

    exercise = get_exercise("ch01_gradient_descent")
    with np.errstate(all="ignore"):
        assert any(np.isnan(exercise.reference(*c.args)).any() for c in exercise.cases())
    assert grade("ch01_gradient_descent", exercise.reference).passed
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning from the checker's own arithmetic fails
        report = grade("ch01_gradient_descent", clipped)
    assert report.summary == "values: wrong value of the final point (last row)"
    assert "expected [nan, nan]" in report.detail and "largest difference" not in report.detail
    assert "something caps large values" in report.hints[0]


def test_try_it_says_a_print_flood_may_come_from_a_function_called_inside(monkeypatch, capsys):
    def mse_prints(theta, X, y):
        print("mse called with", theta)
        return 0.0, np.zeros_like(theta)

    def gd_never_ends(grad, x0, lr, n_steps):
        while True:
            grad(x0)

    # As a notebook cell defines them: module globals under the exercises' names.
    monkeypatch.setitem(globals(), "mse_loss_and_grad", mse_prints)
    monkeypatch.setitem(globals(), "gradient_descent", gd_never_ends)
    with try_it(seconds=2):
        gradient_descent(lambda w: mse_loss_and_grad(w, None, None)[1],  # noqa: F821
                         np.zeros(2), 0.1, 3)
    out = capsys.readouterr().out
    assert out.startswith("This cell stopped: `gradient_descent` printed more than 10,000 characters "
                          "in one call (through `mse_prints`, which it calls): ")
    assert out.endswith("\nIts first line: mse called with [0. 0.]\n")  # quoted once: the flood
    assert out.count("mse called") == 1  # stayed in the sandbox


def test_other_randomness_is_found_in_ragged_batches():
    # Only the cases whose last batch is smaller go wrong, and their batches are ragged lists:
    # compared item by item, they still show that numpy's global state changes the result.
    from sgdlib.grading.exercises.ch03.minibatch_indices import minibatch_indices

    def shuffles_the_last_batch_globally(n, batch_size, rng, drop_last=False):
        batches = minibatch_indices(n, batch_size, rng, drop_last)
        if len(batches) > 1 and len(batches[-1]) < batch_size:  # a ragged list: no 2-d array
            batches[-1] = np.random.permutation(batches[-1])
        return batches

    assert not checker._identical([np.array([2, 0]), np.array([1, 3, 4])],
                                  [np.array([2, 0]), np.array([3, 1, 4])])
    assert checker._identical([np.array([2, 0]), np.array([1])], [np.array([2, 0]), np.array([1])])
    report = grade("ch03_minibatch_indices", shuffles_the_last_batch_globally)
    assert report.hints == [checker.OTHER_RANDOMNESS_HINT]


def _clipped(grads, max_norm):
    total = float(np.sqrt(sum(np.sum(np.asarray(g, dtype=float) ** 2) for g in grads)))
    scale = min(1.0, max_norm / (total + 1e-6))
    return [np.asarray(g, dtype=float) * scale for g in grads], total, scale


def test_growing_or_shrinking_the_callers_list_is_a_changed_input():
    def appends(grads, max_norm):
        clipped, total, _ = _clipped(grads, max_norm)
        grads.append(np.zeros(1))  # right values returned, the caller's list grows
        return clipped, total

    def pops(grads, max_norm):
        clipped, total, _ = _clipped(grads, max_norm)
        grads.pop()
        return clipped, total

    for fn in (appends, pops):
        report = grade("ch06_clip_grad_norm", fn)
        assert report.summary.startswith("inputs unchanged: your function changed its input `grads` "
                                         "in place (its length)"), report.summary


def test_a_rebound_list_entry_is_told_to_build_a_new_list_not_to_copy_into_it():
    def rebinds(grads, max_norm):
        clipped, total, scale = _clipped(grads, max_norm)
        for k in range(len(grads)):
            grads[k] = np.asarray(grads[k], dtype=float) * scale
        return clipped, total

    report = grade("ch06_clip_grad_norm", rebinds)
    assert report.summary.startswith("inputs unchanged: your function changed its input `grads[0]` in place")
    assert "clipped = [np.array(g, dtype=float) * scale for g in grads]" in report.summary
    assert "grads[0] = np.array(grads[0]" not in report.summary


def test_a_state_under_other_keys_is_told_the_keys_not_a_type():
    from sgdlib.grading.exercises.ch05.adam_step import adam_step

    def t_m_v(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
        torch_state = {"step": state.get("t", 0), "exp_avg": state.get("m", np.zeros(np.shape(theta))),
                       "exp_avg_sq": state.get("v", np.zeros(np.shape(theta)))}
        new_theta, new = adam_step(theta, grad, torch_state, lr, betas, eps, amsgrad)
        return new_theta, {"t": new["step"], "m": new["exp_avg"], "v": new["exp_avg_sq"]}

    assert grade("ch05_adam_step", t_m_v).summary == (
        "shape: new_state has the keys ['m', 't', 'v'], expected ['exp_avg', 'exp_avg_sq', 'step'] (torch's names)")


def test_a_type_name_gets_its_article():
    assert checker._a("int") == "an int" and checker._a("float") == "a float"
    assert checker._kind_problem(checker.Output("rate", "float"), "0.5") == "rate is a str; expected a float"
    assert checker._kind_problem(checker.Output("rate", "float"), [1]).startswith("rate is a list")
    assert checker._kind_problem(checker.Output("new_state", "state"), {"step": "1"}).startswith(
        "new_state['step'] is a str")
    assert checker._kind_problem(checker.Output("x", "array"), object()).startswith("x is an object")
