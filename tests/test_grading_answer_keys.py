"""An exercise's answer keys (``Exercise.answer_keys``) are switched off while ``check`` runs the
learner's function: a function that hands its work to the library's own implementation
(``sgdlib.optim.Adam`` inside ``adam_step``) is rejected with a message that says so, whether it
reaches the library through a module or through a name bound by ``from ... import``; the
reference and a numpy solution still pass, and the kernel's own library is never changed.
"""

from __future__ import annotations

import inspect
import sys

import numpy as np
import pytest

import sgdlib.optim
from sgdlib.grading import answer_keys, get_exercise, grade, sandbox
from sgdlib.grading.registry import all_exercises
from sgdlib.clipping import clip_grad_norm_ as library_clip_grad_norm_
from sgdlib.optim import SGD, Adam, AdamW  # bound here before any check: these names are caught too
from exercise_helpers import reddi_adam_via_sgdlib

ADAM = get_exercise("ch05_adam_step")
ADAMW = get_exercise("ch05_adamw_step")
REDDI = get_exercise("ch05_reddi_adam")
SWITCHED_OFF = "is the answer key and is switched off inside check"


def adam_via_the_library(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    w = np.array(theta, dtype=float)
    opt = Adam([w], lr=lr, betas=betas, eps=eps, amsgrad=amsgrad)
    if state:
        opt.state[0] = {k: np.copy(v) for k, v in state.items()}
    opt.step([np.asarray(grad, dtype=float)])
    return w, opt.state[0]


def adamw_via_the_module(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    w = np.array(theta, dtype=float)
    opt = sgdlib.optim.AdamW([w], lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
    if state:
        opt.state[0] = {k: np.copy(v) for k, v in state.items()}
    opt.step([np.asarray(grad, dtype=float)])
    return w, opt.state[0]


def heavy_ball_via_the_library(theta, buf, grad, lr, momentum):
    w = np.array(theta, dtype=float)
    opt = SGD([w], lr=lr, momentum=momentum)
    if buf is not None:
        opt.state[0] = {"momentum_buffer": np.array(buf, dtype=float)}
    opt.step([np.asarray(grad, dtype=float)])
    return w, opt.state[0]["momentum_buffer"].copy()


def clip_via_the_library(grads, max_norm):
    copies = [np.array(g, dtype=float) for g in grads]
    return copies, library_clip_grad_norm_(copies, max_norm)


def momentum_rate_via_the_library(lr, momentum, h):
    from sgdlib.problems.momentum_theory import _convergence_rate
    return float(_convergence_rate(lr, momentum, h))


def momentum_rate_via_the_matrix(lr, momentum, h):
    from sgdlib.problems.momentum_theory import _iteration_matrix
    return float(np.abs(np.linalg.eigvals(_iteration_matrix(lr, momentum, h))).max())


def optimal_momentum_via_the_library(H):
    from sgdlib.problems.momentum_theory import _polyak_optimum
    h = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    return _polyak_optimum(h[-1], h[0])[:2]


def softmax_via_log_softmax(logits, y):
    from sgdlib.models import log_softmax  # shown in lesson 6, section 2.1
    log_p = log_softmax(np.asarray(logits, dtype=float))
    rows = np.arange(len(y))
    d = np.exp(log_p)
    d[rows, y] -= 1.0
    return float(-log_p[rows, y].mean()), d / len(y)


def softmax_via_the_library_loss(logits, y):
    from sgdlib.models.functional import _softmax_cross_entropy
    return _softmax_cross_entropy(np.array(logits, dtype=float), np.asarray(y))


def adam_with_numpy(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    beta1, beta2 = betas
    zeros = np.zeros(np.shape(theta))
    t = state.get("step", 0) + 1
    m = beta1 * state.get("exp_avg", zeros) + (1 - beta1) * np.asarray(grad, dtype=float)
    v = beta2 * state.get("exp_avg_sq", zeros) + (1 - beta2) * np.square(grad)
    new_state = {"step": t, "exp_avg": m, "exp_avg_sq": v}
    if amsgrad:
        v = new_state["max_exp_avg_sq"] = np.maximum(state.get("max_exp_avg_sq", zeros), v)
    return theta - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps), new_state


@pytest.mark.skipif(not sandbox.FORK_AVAILABLE, reason="answer keys are switched off in a forked child only")
@pytest.mark.parametrize("exercise, fn, key", [
    (ADAM, adam_via_the_library, "sgdlib.optim.Adam"),
    (ADAMW, adamw_via_the_module, "sgdlib.optim.AdamW"),
    (REDDI, reddi_adam_via_sgdlib, "sgdlib.optim.Adam"),
    (get_exercise("ch04_heavy_ball_step"), heavy_ball_via_the_library, "sgdlib.optim.SGD"),
    (get_exercise("ch06_clip_grad_norm"), clip_via_the_library, "sgdlib.clipping.clip_grad_norm_"),
    (get_exercise("ch06_softmax_cross_entropy"), softmax_via_log_softmax, "sgdlib.models.functional.log_softmax"),
    (get_exercise("ch06_softmax_cross_entropy"), softmax_via_the_library_loss,
     "sgdlib.models.functional._softmax_cross_entropy"),
    (get_exercise("ch04_momentum_rate"), momentum_rate_via_the_library,
     "sgdlib.problems.momentum_theory._convergence_rate"),
    (get_exercise("ch04_momentum_rate"), momentum_rate_via_the_matrix,
     "sgdlib.problems.momentum_theory._iteration_matrix"),
    (get_exercise("ch04_optimal_momentum"), optimal_momentum_via_the_library,
     "sgdlib.problems.momentum_theory._polyak_optimum"),
], ids=["adam", "adamw", "reddi", "heavy_ball", "clip_grad_norm", "softmax_log_softmax", "softmax_library_loss",
        "momentum_rate", "momentum_rate_matrix", "optimal_momentum"])
def test_a_wrapper_around_the_library_is_rejected_with_the_answer_keys_message(exercise, fn, key):
    # Outside check the wrapper gives the right numbers: only the switch rejects it.
    case = exercise.cases()[-1]
    assert exercise.close(fn(*case.call_args()), exercise.reference(*case.call_args()))
    report = grade(exercise.id, fn)
    assert report.verdict == "failed", report
    assert report.checks[0].name == "runs" and report.checks[0].status == "fail", report
    assert f"RuntimeError: this exercise asks you to write the computation yourself, with numpy: `{key}` " \
           f"{SWITCHED_OFF}" in report.checks[0].message, report


def test_the_reference_and_a_numpy_solution_pass_and_the_kernels_library_still_works():
    codes = {f: f.__code__ for f in (Adam.__init__, AdamW.__init__, sgdlib.optim.base.Optimizer.step)}
    assert grade(ADAM.id, adam_via_the_library).verdict == "failed"
    assert grade(ADAM.id, ADAM.reference).passed and grade(ADAM.id, adam_with_numpy).passed
    assert grade(ADAMW.id, ADAMW.reference).passed and grade(REDDI.id, REDDI.reference).passed
    assert all(f.__code__ is code for f, code in codes.items())  # nothing changed in this process
    theta, state = np.array([1.0, -2.0]), {}
    for g in ([0.5, 1.0], [-1.0, 2.0], [3.0, 0.1]):
        want, state_want = ADAM.reference(theta, np.array(g), state, 0.1, (0.9, 0.99), 1e-8, True)
        got, state_got = adam_via_the_library(theta, np.array(g), state, 0.1, (0.9, 0.99), 1e-8, True)
        np.testing.assert_allclose(got, want, rtol=1e-12)
        theta, state = want, state_want


def test_run_switches_off_functions_and_classes_in_the_child_only(monkeypatch):
    def uses_step(x):
        w = np.zeros(1)
        sgdlib.optim.SGD([w], lr=0.5).step([np.array([x])])
        return w[0]

    message = "write it with numpy"
    off = [("sgdlib.optim.base.Optimizer.step", message)]
    if sandbox.FORK_AVAILABLE:
        outcome = sandbox.run(uses_step, [(2.0,)], timeout=3, answer_keys=off)[0]
        assert outcome.status == "raised" and str(outcome.error) == f"RuntimeError: {message}"
    assert uses_step(2.0) == -1.0  # the kernel's own Optimizer.step
    # The thread fallback (no fork) runs in the kernel's process: a trace function in the worker
    # thread raises there, for every call of the batch, and the kernel's thread is left alone.
    monkeypatch.setattr(sandbox, "FORK_AVAILABLE", False)
    outcomes = sandbox.run(uses_step, [(2.0,), (3.0,)], timeout=3, answer_keys=off)
    assert [str(o.error) for o in outcomes] == [f"RuntimeError: {message}"] * 2
    assert uses_step(2.0) == -1.0 and sys.gettrace() is None
    assert sandbox.run(uses_step, [(2.0,)], timeout=3)[0].value == -1.0  # no keys: no tracer


@pytest.mark.parametrize("exercise, fn, key", [
    (ADAM, adam_via_the_library, "sgdlib.optim.Adam"),
    (get_exercise("ch04_heavy_ball_step"), heavy_ball_via_the_library, "sgdlib.optim.SGD"),
], ids=["adam", "heavy_ball"])
def test_the_thread_fallback_rejects_a_wrapper_too(monkeypatch, exercise, fn, key):
    monkeypatch.setattr(sandbox, "FORK_AVAILABLE", False)
    report = grade(exercise.id, fn)
    assert report.verdict == "failed" and report.checks[0].status == "fail", report
    assert f"`{key}` {SWITCHED_OFF}" in report.checks[0].message, report
    assert grade(exercise.id, exercise.reference).passed
    assert grade(ADAM.id, adam_with_numpy).passed


def test_answer_keys_name_python_functions_or_classes():
    names = [f.__qualname__ for f in answer_keys.functions("sgdlib.optim.Adam")]
    assert "Adam.__init__" in names and "Adam._update" in names
    for bad in ("sgdlib.optim.NoSuchOptimizer", "no_such_module.f", "numpy.clip"):
        with pytest.raises(ValueError, match="names|not a Python function"):
            answer_keys.functions(bad)
    for exercise in all_exercises().values():  # every declared key resolves
        for key in exercise.answer_keys:
            assert answer_keys.functions(key), (exercise.id, key)


def _calling(function, reference):
    """A wrapper that calls ``function`` (with placeholder arguments: a switched-off function
    raises before it reads them) and returns the reference's answer."""
    params = inspect.signature(function).parameters.values()
    positional = [None for p in params if p.default is p.empty
                  and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    keywords = {p.name: None for p in params if p.default is p.empty and p.kind == p.KEYWORD_ONLY}

    def wrapper(*args):
        function(*positional, **keywords)
        return reference(*args)

    return wrapper


KEYS = [(exercise, key) for exercise in all_exercises().values() for key in exercise.answer_keys]


@pytest.mark.parametrize("fork", [True, False], ids=["fork", "thread"])
@pytest.mark.parametrize("exercise, key", KEYS, ids=[f"{e.id}:{k.rsplit('.', 1)[-1]}" for e, k in KEYS])
def test_every_declared_answer_key_is_switched_off_on_both_paths(monkeypatch, fork, exercise, key):
    if fork and not sandbox.FORK_AVAILABLE:
        pytest.skip("needs os.fork (POSIX)")
    monkeypatch.setattr(sandbox, "FORK_AVAILABLE", fork)
    function = answer_keys.functions(key)[0]
    report = grade(exercise.id, _calling(function, exercise.reference))
    assert report.verdict == "failed" and report.checks[0].status == "fail", report
    assert f"`{key}` {SWITCHED_OFF}" in report.checks[0].message, report
