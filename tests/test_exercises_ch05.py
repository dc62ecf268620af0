"""Chapter 5's exercise notebook and checkers, and the "state" kind of returned value.

What tests/test_exercises_ch01.py checks for every exercise notebook (the committed exercises
equal a fresh generation, progress and its CLI, learners' answers surviving regeneration, a hang
or a print flood) is not repeated here. This file checks what is chapter 5's own: its notebook
declares its five exercises, runs blank with "not attempted" everywhere, every probe rejects its
mistake with its own hint, the notebook's solutions pass, the step references agree with torch
(the stored trajectories of tests/reference/, torch 2.13.0) and with ``sgdlib.optim`` on the same
gradients, the Reddi et al. (2018) run behaves as the paper's Theorem 1 says, and ``check``
reports a returned state dict (its keys, each entry) and a state changed in place. The notebook's
checks are the ones every chapter shares (tests/exercise_helpers.py), with one notebook execution.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgdlib.grading import get_exercise, grade
from sgdlib.optim import Adagrad, Adam, AdamW, RMSprop
from exercise_helpers import REPO, ExerciseNotebookChecks, reddi_adam_via_sgdlib

ADAGRAD = get_exercise("ch05_adagrad_step")
RMSPROP = get_exercise("ch05_rmsprop_step")
ADAM = get_exercise("ch05_adam_step")
ADAMW = get_exercise("ch05_adamw_step")
REDDI = get_exercise("ch05_reddi_adam")


class TestNotebook(ExerciseNotebookChecks):
    CHAPTER = 5
    NOTEBOOK = "05_exercises_adaptive_methods.ipynb"
    SIGNATURE_END = None  # every function has several defaults: compare the argument names
    EXERCISES = 5


# ---------------------------------------------------------------------------------------------
# The step references against torch (stored trajectories) and sgdlib.optim

INPUTS = np.load(REPO / "tests" / "reference" / "optim_inputs.npz")
# (exercise, torch reference file, case in it, the step's keyword arguments for that case)
TORCH_CASES = [
    (ADAGRAD, "adagrad", "plain", dict(lr=0.1)),
    (RMSPROP, "rmsprop", "plain", dict(lr=0.01)),
    (ADAM, "adam", "plain", dict(lr=0.01)),
    (ADAM, "adam", "amsgrad", dict(lr=0.01, amsgrad=True)),
    (ADAMW, "adamw", "default_weight_decay", dict(lr=0.01)),
]


@pytest.mark.parametrize("exercise, name, case, kwargs", TORCH_CASES, ids=[f"{n}-{c}" for _, n, c, _ in TORCH_CASES])
def test_the_step_references_reproduce_torchs_stored_trajectories(exercise, name, case, kwargs):
    torch = np.load(REPO / "tests" / "reference" / f"optim_{name}.npz")
    for i in (0, 1):  # a (2, 3) array and a (4,) array whose gradients span 1e-4 .. 1e3
        theta, state = INPUTS[f"init{i}"], {}
        for t, g in enumerate(INPUTS[f"grads{i}"]):
            theta, state = exercise.reference(theta, g, state, **kwargs)
            want = torch[f"{case}/float64/fixed/params{i}"][t]
            np.testing.assert_allclose(theta, want, rtol=1e-10, atol=1e-12 * np.abs(want).max())
        prefix = f"{case}/float64/fixed/state{i}/"
        keys = {k[len(prefix):] for k in torch.files if k.startswith(prefix)}
        assert set(state) == keys
        assert state["step"] == int(torch[prefix + "step"]) == len(INPUTS[f"grads{i}"])
        for key in keys - {"step"}:
            np.testing.assert_allclose(state[key], torch[prefix + key], rtol=1e-10, atol=1e-300)


def _run_optimizer(opt_class, theta0, grads, **kwargs):
    w = np.array(theta0, dtype=float)
    opt = opt_class([w], **kwargs)
    for g in grads:
        opt.step([g])
    return w, opt.state[0]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16), n_steps=st.integers(1, 15), lr=st.floats(1e-3, 0.5),
       beta1=st.floats(0.0, 0.99), beta2=st.floats(0.5, 0.9999), weight_decay=st.floats(0.0, 1.0),
       amsgrad=st.booleans())
def test_the_step_references_chained_match_sgdlib_optim(seed, n_steps, lr, beta1, beta2, weight_decay, amsgrad):
    rng = np.random.default_rng(seed)
    theta0 = rng.normal(size=(2, 3))
    grads = rng.normal(size=(n_steps, 2, 3)) * rng.uniform(0.01, 10, size=(n_steps, 1, 1))
    runs = [
        (ADAGRAD, Adagrad, dict(lr=lr)),
        (RMSPROP, RMSprop, dict(lr=lr, alpha=beta2)),
        (ADAM, Adam, dict(lr=lr, betas=(beta1, beta2), amsgrad=amsgrad)),
        (ADAMW, AdamW, dict(lr=lr, betas=(beta1, beta2), weight_decay=weight_decay)),
    ]
    for exercise, opt_class, kwargs in runs:
        theta, state = theta0, {}
        for g in grads:
            before = {k: np.copy(v) for k, v in state.items()}
            new_theta, new_state = exercise.reference(theta, g, state, **kwargs)
            # Nothing given is changed: the old state is intact (no shared arrays written to).
            assert all(np.array_equal(before[k], state[k]) for k in before)
            theta, state = new_theta, new_state
        w, opt_state = _run_optimizer(opt_class, theta0, grads, **kwargs)
        np.testing.assert_allclose(theta, w, rtol=1e-10, atol=1e-12)
        assert set(state) == set(opt_state) and state["step"] == opt_state["step"] == n_steps
        for key in set(state) - {"step"}:
            np.testing.assert_allclose(state[key], opt_state[key], rtol=1e-10, atol=1e-300)


def test_the_first_adam_step_is_lr_times_the_sign_and_without_v_correction_31_6_lr():
    # Kingma & Ba: with bias correction the first step is lr * sign(g) (up to eps), whatever |g|.
    theta, _ = ADAM.reference(np.zeros(3), np.array([1e-3, -5.0, 200.0]), {}, 0.1)
    np.testing.assert_allclose(theta, [-0.1, 0.1, -0.1], rtol=1e-4)
    # The probe's "m corrected, v not": lr / sqrt(1 - beta2) = 31.6 lr at beta2 = 0.999 (issue 13).
    m_only = next(p for p in ADAM.probes if p.name == "bias_correction_m_only").mistakes[0]
    theta, _ = m_only(np.zeros(1), np.array([2.0]), {}, 0.1)
    assert math.isclose(-theta[0], 0.1 / math.sqrt(1 - 0.999), rel_tol=1e-6) and 31.6 < -theta[0] / 0.1 < 31.7


def test_adamw_is_adam_on_the_decayed_parameters_and_differs_from_l2():
    rng = np.random.default_rng(3)
    theta, g = rng.normal(size=4), rng.normal(size=4)
    state = ADAM.reference(theta, rng.normal(size=4), {}, 0.1)[1]
    new, _ = ADAMW.reference(theta, g, state, 0.1, (0.9, 0.999), 1e-8, 0.5)
    np.testing.assert_allclose(new, ADAM.reference(theta * (1 - 0.05), g, state, 0.1)[0], rtol=1e-12)
    w, _ = _run_optimizer(Adam, theta, [g], lr=0.1, weight_decay=0.5)  # L2: the decay inside g
    assert not np.allclose(ADAMW.reference(theta, g, {}, 0.1, (0.9, 0.999), 1e-8, 0.5)[0], w)


# ---------------------------------------------------------------------------------------------
# Reddi, Kale & Kumar (2018), Theorem 1's online problem


@pytest.mark.parametrize("C, lr, amsgrad", [(3.0, 0.1, False), (3.0, 0.1, True), (2.5, 1.0, False), (10.0, 0.5, True)])
def test_reddi_adam_is_sgdlibs_adam_projected_with_a_decaying_step(C, lr, amsgrad):
    np.testing.assert_allclose(REDDI.reference(C, 200, lr, amsgrad), reddi_adam_via_sgdlib(C, 200, lr, amsgrad),
                               rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("C", [2.5, 3.0, 5.0])
def test_on_reddis_problem_adam_goes_to_plus_one_and_amsgrad_towards_minus_one(C):
    # Theorem 1: for C > 2, beta1 = 0, beta2 = 1 / (1 + C^2), Adam converges to x = +1, the worst
    # point (the regret of a round is (C - 2) x); AMSGrad does not (Section 4).
    adam, amsgrad = REDDI.reference(C, 3000), REDDI.reference(C, 3000, amsgrad=True)
    assert adam[-1] == 1.0 and np.all(adam[-300:] > 0.99)
    assert amsgrad[-1] < -0.8 and np.all(np.abs(amsgrad) <= 1)


def test_reddi_adam_starts_at_zero_and_refuses_bad_arguments():
    assert np.array_equal(REDDI.reference(3.0, 0), [0.0])
    # Step 1: g = C, v_hat = C^2, so x_1 = -lr * C / (C + eps).
    assert math.isclose(REDDI.reference(3.0, 1, 0.2)[1], -0.2 * 3 / (3 + 1e-8), rel_tol=1e-12)
    for args, name in [((0.0, 5), "C"), ((-1.0, 5), "C"), ((3.0, -1), "n_steps"), ((3.0, 2.5), "n_steps"),
                       ((3.0, 5, 0.0), "lr"), ((3.0, 5, float("nan")), "lr")]:
        with pytest.raises(ValueError, match=name):
            REDDI.reference(*args)


# ---------------------------------------------------------------------------------------------
# The "state" kind of returned value


def _adagrad(transform_state=None, mutate=False):
    def adagrad_step(theta, grad, state, lr=0.01, eps=1e-10):
        if mutate:
            state.setdefault("sum", np.zeros(np.shape(theta)))
            state["sum"] += np.square(grad)
            state["step"] = state.get("step", 0) + 1
            return theta - lr * grad / (np.sqrt(state["sum"]) + eps), state
        new_theta, new_state = ADAGRAD.reference(theta, grad, state, lr, eps)
        return new_theta, transform_state(new_state)

    return adagrad_step


@pytest.mark.parametrize("transform, check, message", [
    (lambda s: [s["step"], s["sum"]], "return type", "new_state is a list; expected a dict"),
    (lambda s: {**s, "sum": s["sum"].tolist()}, "return type", "new_state['sum'] is a list; expected a NumPy array"),
    (lambda s: {**s, "step": np.array([s["step"]])}, "return type", "new_state['step'] is a ndarray; expected the number of steps"),
    (lambda s: {"step": s["step"], "G": s["sum"]}, "shape", "new_state has the keys ['G', 'step'], expected ['step', 'sum']"),
    (lambda s: {**s, "sum": s["sum"].ravel()[:1]}, "shape", "new_state['sum'] has shape (1,), expected (2,)"),
    (lambda s: {**s, "step": s["step"] + 1}, "values", "wrong value of new_state['step']"),
    (lambda s: {**s, "sum": 2 * s["sum"]}, "values", "wrong value of new_state['sum']"),
])
def test_a_state_is_checked_by_its_keys_then_entry_by_entry(transform, check, message):
    report = grade(ADAGRAD.id, _adagrad(transform))
    failed = [c for c in report.checks if c.status == "fail"]
    assert report.verdict == "failed" and failed[0].name == check, report
    assert message in failed[0].message, report


def test_a_state_changed_in_place_is_reported_with_its_fix():
    report = grade(ADAGRAD.id, _adagrad(mutate=True))
    failed = [c for c in report.checks if c.status == "fail"]
    assert report.verdict == "failed" and [c.name for c in failed] == ["inputs unchanged"], report
    assert "changed its input `state` in place (its keys)" in failed[0].message  # the first step: {}
    assert "return a new dict holding new arrays" in failed[0].message
    assert "state = {}" in report.detail


def test_a_state_whose_arrays_are_shared_and_updated_is_reported():
    def adagrad_step(theta, grad, state, lr=0.01, eps=1e-10):
        new_state = state.copy() if state else {"step": 0, "sum": np.zeros(np.shape(theta))}
        new_state["step"] += 1
        new_state["sum"] += np.square(grad)  # the caller's array, shared by the shallow copy
        return theta - lr * grad / (np.sqrt(new_state["sum"]) + eps), new_state

    report = grade(ADAGRAD.id, adagrad_step)
    assert report.verdict == "failed", report
    assert "changed its input `state` in place (its entry 'sum')" in report.checks[-1].message, report


def test_a_shallow_copy_given_new_arrays_passes_and_the_message_says_why():
    def adagrad_step(theta, grad, state, lr=0.01, eps=1e-10):
        new_state = state.copy()  # a new dict sharing the caller's arrays ...
        new_state["sum"] = state.get("sum", 0.0) + np.square(grad)  # ... given a new array: fine
        new_state["step"] = float(state.get("step", 0) + 1)  # a float count is accepted too
        return theta - lr * grad / (np.sqrt(new_state["sum"]) + eps), new_state

    assert grade(ADAGRAD.id, adagrad_step).passed
    report = grade(ADAGRAD.id, _adagrad(mutate=True))
    message = next(c.message for c in report.checks if c.name == "inputs unchanged")
    assert "assigning new arrays to it is fine" in message and "`new[key] += x`" in message


def test_no_probes_symptom_shows_on_the_reference():
    # A symptom fires whatever else is right, so the reference must never show it (core.Probe).
    for exercise in (ADAGRAD, RMSPROP, ADAM, ADAMW, REDDI):
        for probe in exercise.probes:
            if probe.symptom is not None:
                for case in exercise.cases():
                    assert not probe.symptom(exercise.reference(*case.call_args()), None), (exercise.id, probe.name)


@pytest.mark.parametrize("exercise, probe_name", [(ADAGRAD, "state_read_before_it_exists"),
                                                  (REDDI, "step_counter_off_by_one")])
def test_an_error_that_names_the_mistake_gets_its_probes_hint(exercise, probe_name):
    probe = next(p for p in exercise.probes if p.name == probe_name)
    mistake = probe.mistakes[0] if exercise is ADAGRAD else _reddi_t_from_zero
    report = grade(exercise.id, mistake)
    assert report.checks[0].name == "runs" and report.checks[0].status == "fail", report
    assert report.hints == [probe.hint], report


def _reddi_t_from_zero(C, n_steps, lr=0.1, amsgrad=False):
    x, v, xs = 0.0, 0.0, [0.0]
    for t in range(n_steps):  # t from 0: lr / math.sqrt(0) raises ZeroDivisionError
        v = v / (1 + C**2) + (1 - 1 / (1 + C**2)) * (C if t % 3 == 0 else -1.0) ** 2
        xs.append(x - lr / math.sqrt(t) * C)
    return np.array(xs)
