"""Chapter 4's exercise notebook and checkers.

What tests/test_exercises_ch01.py checks for every exercise notebook (the committed exercises
equal a fresh generation, progress and its CLI, learners' answers surviving regeneration) is not
repeated here. This file checks what is chapter 4's own: its notebook declares its four
exercises, runs blank with "not attempted" everywhere, every probe rejects its mistake with its
own hint, the notebook's solutions pass (tests/exercise_helpers.py, one notebook execution for
them all); the references agree with ``sgdlib.optim.SGD`` (itself matched to torch.optim.SGD step
by step in tests/test_optim_parity.py), with Polyak's closed form and Goh's numbers, and with
the eigenvalues of the iteration matrix; and a buffer that aliases the gradient is caught.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgdlib.grading import get_exercise, grade
from sgdlib.optim import SGD
from exercise_helpers import ExerciseNotebookChecks

HEAVY_BALL = get_exercise("ch04_heavy_ball_step")
NESTEROV = get_exercise("ch04_nesterov_step")
OPTIMAL = get_exercise("ch04_optimal_momentum")
RATE = get_exercise("ch04_momentum_rate")


class TestNotebook(ExerciseNotebookChecks):
    CHAPTER = 4
    NOTEBOOK = "04_exercises_momentum.ipynb"


# ---------------------------------------------------------------------------------------------
# The step references against sgdlib.optim.SGD (torch's equations)


@pytest.mark.parametrize("exercise, nesterov", [(HEAVY_BALL, False), (NESTEROV, True)])
@pytest.mark.parametrize("shape", [(3,), (2, 4)])
def test_five_steps_match_sgdlib_sgd_with_momentum(exercise, nesterov, shape):
    rng = np.random.default_rng(4)
    w = rng.normal(size=shape)
    opt = SGD([w], lr=0.07, momentum=0.8, nesterov=nesterov)
    theta, buf = w.copy(), None
    for _ in range(5):
        g = np.sin(3 * w) + w  # any gradient field will do
        theta, buf = exercise.reference(theta, buf, g, 0.07, 0.8)
        opt.step([g])
        assert np.allclose(theta, w, rtol=1e-13) and np.allclose(buf, opt.state[0]["momentum_buffer"], rtol=1e-13)


def test_the_two_forms_agree_for_a_constant_learning_rate():
    # Sutskever's v = -lr * b gives the same points (the lesson's claim, checked here on the reference).
    rng = np.random.default_rng(0)
    theta = x = rng.normal(size=4)
    buf, v = None, np.zeros(4)
    for _ in range(6):
        theta, buf = HEAVY_BALL.reference(theta, buf, 2 * theta, 0.1, 0.9)
        v = 0.9 * v - 0.1 * (2 * x)
        x = x + v
        assert np.allclose(theta, x) and np.allclose(v, -0.1 * buf)


@pytest.mark.parametrize("exercise", [HEAVY_BALL, NESTEROV], ids=lambda e: e.id)
def test_the_first_buffer_is_a_copy_of_the_gradient_and_no_input_changes(exercise):
    g = np.array([1.0, -2.0])
    theta, buf = exercise.reference(np.zeros(2), None, g, 0.1, 0.9)
    assert not np.shares_memory(buf, g)
    buf[:] = 0  # the caller's buffer, updated in place later ...
    assert np.array_equal(g, [1.0, -2.0])  # ... leaves the gradient alone
    old = np.array([0.5, 0.5])
    exercise.reference(np.zeros(2), old, g, 0.1, 0.9)
    assert np.array_equal(old, [0.5, 0.5]) and np.array_equal(g, [1.0, -2.0])


def _torch_style_in_place(theta, buf, grad, lr, momentum):
    """torch's own lines without its clone: `buf = grad`, then buf.mul_(momentum).add_(grad)."""
    if buf is None:
        buf = grad
    else:
        buf *= momentum
        buf += grad
    return theta - lr * buf, buf


def test_a_buffer_aliasing_the_gradient_is_caught_with_the_aliasing_hint():
    report = grade(HEAVY_BALL.id, _torch_style_in_place)
    assert report.verdict == "failed"
    assert any("second name" in h for h in report.hints), report
    assert any(c.name == "inputs unchanged" and c.status == "fail" for c in report.checks), report


# ---------------------------------------------------------------------------------------------
# optimal_momentum against Polyak's closed form and Goh's example


def test_goh_example_mu_001_L_1_gives_3306_and_0669_and_rate_0818():
    # Goh 2017 (Distill), on the optimal parameters: alpha* = (2 / (sqrt(l1) + sqrt(ln)))^2, beta* = ((sqrt(k) - 1) / (sqrt(k) + 1))^2.
    lr, momentum = OPTIMAL.reference(np.diag([0.01, 1.0]))
    assert round(lr, 3) == 3.306 and np.isclose(lr, (2 / 1.1) ** 2, rtol=1e-14)
    assert round(momentum, 3) == 0.669 and np.isclose(momentum, (9 / 11) ** 2, rtol=1e-14)
    rates = [RATE.reference(lr, momentum, h) for h in (0.01, 0.1, 0.5, 1.0)]
    assert np.allclose(rates, 9 / 11, rtol=1e-6)  # every curvature in [mu, L] at sqrt(beta*)
    assert round(9 / 11, 3) == 0.818 and round(99 / 101, 3) == 0.980  # GD's (kappa - 1) / (kappa + 1)


def test_the_optimum_is_rotation_invariant_and_minimises_the_worst_rate():
    rng = np.random.default_rng(2)
    h = np.array([0.05, 0.3, 2.0])
    Q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    lr, momentum = OPTIMAL.reference(Q @ np.diag(h) @ Q.T)
    assert np.allclose((lr, momentum), OPTIMAL.reference(np.diag(h)), rtol=1e-10)

    def worst(eta, beta):
        return max(RATE.reference(eta, beta, x) for x in np.linspace(h.min(), h.max(), 50))

    best = worst(lr, momentum)
    for d_lr, d_m in ((0.05, 0), (-0.05, 0), (0, 0.02), (0, -0.02)):  # nearby settings do worse
        assert worst(lr * (1 + d_lr), momentum + d_m) > best


@pytest.mark.parametrize("H, message", [
    (np.ones((2, 3)), "square"), (np.array([1.0, 2.0]), "square"),
    (np.array([[1.0, 0.5], [0.0, 1.0]]), "symmetric"),
    (np.array([[1.0, 0.0], [0.0, -1.0]]), "positive definite"),
    (np.array([[1.0, 2.0], [2.0, 1.0]]), "positive definite"),
    (np.array([[np.nan, 0.0], [0.0, 1.0]]), "finite"),
])
def test_optimal_momentum_refuses_bad_hessians_naming_H(H, message):
    with pytest.raises(ValueError, match=f"H must .*{message}"):
        OPTIMAL.reference(H)


# ---------------------------------------------------------------------------------------------
# momentum_rate against the eigenvalues of M and the regions of the rate map


@settings(max_examples=200, deadline=None)
@given(lr=st.floats(-1, 5), momentum=st.floats(-0.5, 1.5), h=st.floats(-2, 10))
def test_the_rate_is_the_spectral_radius_of_the_iteration_matrix(lr, momentum, h):
    M = np.array([[1 + momentum - lr * h, -momentum], [1.0, 0.0]])
    # A double root is found by eigvals only to about sqrt(machine epsilon).
    assert np.isclose(RATE.reference(lr, momentum, h), np.max(np.abs(np.linalg.eigvals(M))), rtol=1e-6, atol=1e-7)


def test_the_rate_regions_complex_critical_and_divergence():
    # Complex roots, (1 + beta - eta h)^2 < 4 beta: exactly sqrt(beta), not Goh's 2 sqrt(beta).
    assert RATE.reference(1.0, 0.5, 1.0) == np.sqrt(0.5)
    # Critical damping beta = (1 - sqrt(eta h))^2: the double root 1 - sqrt(eta h).
    assert np.isclose(RATE.reference(0.25, 0.25, 1.0), 0.5)
    # Divergence exactly from eta h = 2 + 2 beta on (d2l's eta h > 2 is the bound for beta = 0 only).
    for beta in (0.0, 0.3, 0.9):
        assert np.isclose(RATE.reference(2 + 2 * beta, beta, 1.0), 1.0)
        assert RATE.reference(2 + 2 * beta + 0.01, beta, 1.0) > 1 > RATE.reference(2 + 2 * beta - 0.01, beta, 1.0)
    # The rate never falls below sqrt(beta), whatever the learning rate.
    etas = np.linspace(0, 3.8, 400)
    assert min(RATE.reference(eta, 0.9, 1.0) for eta in etas) >= np.sqrt(0.9) - 1e-12


def test_the_checkers_own_cases_include_the_regions_they_name():
    regions = set()
    for case in RATE.cases():
        lr, beta, h = case.args
        a = 1 + beta - lr * h
        regions.add("complex" if a * a < 4 * beta else "real")
        regions.add("diverging" if RATE.reference(lr, beta, h) > 1 else "converging")
    assert regions == {"complex", "real", "diverging", "converging"}
    assert any(np.isclose(c.args[1], (1 - np.sqrt(c.args[0] * c.args[2])) ** 2) and c.args[1] > 0
               for c in RATE.cases())  # critical damping


# ---------------------------------------------------------------------------------------------
# Findings of the learner review (review_ex46): wrong answers that passed, misleading hints


def _grad_itself_first(theta, buf, grad, lr, momentum):
    b = grad if buf is None else momentum * buf + grad  # the caller's gradient as the new buffer
    return theta - lr * b, b


@pytest.mark.parametrize("exercise", [HEAVY_BALL, NESTEROV], ids=lambda e: e.id)
def test_returning_the_callers_gradient_as_the_buffer_fails_inputs_unchanged(exercise):
    def step(theta, buf, grad, lr, momentum):
        new_theta, new_buf = exercise.reference(theta, buf, grad, lr, momentum)
        return new_theta, (grad if buf is None else new_buf)

    report = grade(exercise.id, step)
    failed = [c for c in report.checks if c.status == "fail"]
    assert report.verdict == "failed" and [c.name for c in failed] == ["inputs unchanged"], report
    assert "returns `new_buf` as the caller's array `grad` itself" in failed[0].message, report


def test_momentum_times_buffer_plus_gradient_is_not_taken_for_the_aliased_buffer():
    def step(theta, buf, grad, lr, momentum):
        b = np.array(grad, dtype=float) if buf is None else momentum * (buf + grad)
        return theta - lr * b, b

    report = grade(HEAVY_BALL.id, step)
    assert not any("second name" in h for h in report.hints), report
    assert any("beta * (b + g)" in h for h in report.hints), report


def test_nesterov_first_step_as_plain_gradient_descent_is_named():
    def step(theta, buf, grad, lr, momentum):
        g = np.array(grad, dtype=float)
        if buf is None:
            return theta - lr * g, g
        b = momentum * buf + g
        return theta - lr * (g + momentum * b), b

    assert any("first step (buf is None) is plain gradient descent" in h for h in grade(NESTEROV.id, step).hints)


def test_an_in_place_update_into_an_integer_buffer_names_the_buffer():
    def step(theta, buf, grad, lr, momentum):
        if buf is None:
            buf = np.array(grad, dtype=float)
        else:
            buf *= momentum
            buf += grad
        return theta - lr * (grad + momentum * buf), buf

    report = grade(NESTEROV.id, step)
    assert any(h.startswith("`buf` is an integer array here") for h in report.hints), report


@pytest.mark.parametrize("test", ["buf == None", "not buf"])
def test_an_array_compared_with_none_gets_the_is_none_hint(test):
    namespace = {"np": np}
    exec(f"def step(theta, buf, grad, lr, momentum):\n"
         f"    b = np.array(grad, dtype=float) if {test} else momentum * buf + grad\n"
         f"    return theta - lr * b, b\n", namespace)
    report = grade(HEAVY_BALL.id, namespace["step"])
    assert any("`if buf is None:`" in h for h in report.hints), report


def test_a_real_square_root_of_a_negative_discriminant_gets_the_complex_roots_hint():
    def rate(lr, momentum, h):
        a = 1 + momentum - lr * h
        root = np.sqrt(a * a - 4 * momentum)  # nan where the roots are complex
        return float(max(abs(a + root), abs(a - root)) / 2)

    report = grade(RATE.id, rate)
    assert any("cmath.sqrt" in h for h in report.hints), report
    assert not any("divided by the expected value" in h for h in report.hints), report


def test_a_returned_tuple_of_the_wrong_length_says_so():
    report = grade(HEAVY_BALL.id, lambda *args: (*HEAVY_BALL.reference(*args), 0.1))
    assert "returned a tuple of length 3; expected a tuple (new_theta, new_buf) of length 2" in report.summary
