"""Exercise 5.1: one AdaGrad step (Duchi, Hazan & Singer 2011), torch.optim.Adagrad semantics.

    t   <- t + 1                                     (state["step"], 0 before the first step)
    s   <- s + g^2                                   (state["sum"], zeros before the first step)
    theta <- theta - lr * g / (sqrt(s) + eps)

``adagrad_step(theta, grad, state, lr=0.01, eps=1e-10)`` returns ``(new_theta, new_state)``, a
float array of theta's shape and a new dict ``{"step": t, "sum": s}``; on the first call ``state``
is ``{}``. Nothing it is given is changed: not theta, not grad, not the dict or its arrays.
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe
from ._steps import after_steps, first_call_probe

__all__ = ["EXERCISE", "adagrad_step"]


def adagrad_step(theta: np.ndarray, grad: np.ndarray, state: dict, lr: float = 0.01,
                 eps: float = 1e-10) -> tuple[np.ndarray, dict]:
    """Reference: s <- s + g^2, theta <- theta - lr g / (sqrt(s) + eps), in new arrays."""
    theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
    total = state.get("sum", np.zeros_like(theta)) + grad * grad
    new_theta = theta - lr * grad / (np.sqrt(total) + eps)
    return new_theta, {"step": state.get("step", 0) + 1, "sum": total}


# ---------------------------------------------------------------------------------------------
# Inputs: (theta, grad, state, lr, eps); a mid-run state comes from the reference's own steps


def _mid_run(theta, grads, lr=0.01, eps=1e-10):
    return after_steps(adagrad_step, np.asarray(theta, dtype=float), grads, lr, eps)


_THETA3, _STATE3 = _mid_run([1.0, -1.0], [[2.0, 0.5], [1.0, -0.5], [-3.0, 0.25]], 0.1)
_THETA_2D, _STATE_2D = _mid_run(np.arange(6.0).reshape(2, 3), [np.ones((2, 3)), [[0.5, -1, 2], [0, 1, -0.5]]], 0.05)

FIXED_CASES = (
    Case((np.array([1.0, -2.0]), np.array([3.0, -0.01]), {}, 0.5, 1e-10),
         "the first step (state = {}): every coordinate moves by about lr, whatever |g|"),
    Case((np.array([1, 2]), np.array([2, -1]), {}, 0.1, 1e-10), "theta and grad integer arrays, a first step"),
    Case((_THETA3, np.array([0.5, 1.0]), _STATE3, 0.1, 1e-10), "step 4, after 3 steps chained through the state"),
    Case((_THETA3, np.zeros(2), _STATE3, 0.1, 1e-10), "a zero gradient after 3 steps: theta stays, the sum too"),
    Case((np.array([0.5, 0.5, 0.5]), np.array([1.0, 0.0, -2.0]), {}, 0.01, 1e-10),
         "a first step with one zero coordinate: 0 / (0 + eps) = 0 there"),
    Case((_THETA_2D, np.array([[1.0, -2.0, 0.5], [4.0, 0.0, -1.0]]), _STATE_2D, 0.05, 1e-10),
         "a 2-D theta (2 x 3), step 3"),
    Case((np.array([1.0, 1.0]), np.array([1e-6, 1e-3]), {}, 0.1, 1e-3),
         "a large eps (1e-3) next to tiny gradients: eps shows"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for d, k in ((3, 2), (5, 6), (4, 10)):
        lr = float(rng.uniform(0.01, 0.5))
        theta, state = _mid_run(rng.normal(size=d), rng.normal(size=(k, d)) * rng.uniform(0.1, 5.0, size=d), lr)
        cases.append(Case((theta, rng.normal(size=d), state, lr, 1e-10), f"random, d = {d}, step {k + 1}"))
    return cases


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _accumulate(square):
    def mistake(theta, grad, state, lr=0.01, eps=1e-10):
        theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
        total = state.get("sum", np.zeros_like(theta)) + square(grad)
        with np.errstate(all="ignore"):
            return theta - lr * grad / (np.sqrt(total) + eps), {"step": state.get("step", 0) + 1, "sum": total}

    return mistake


NOT_SQUARED = Probe(
    "gradient_not_squared",
    "Your sum accumulates the gradient itself, or its absolute value |g|, not its square. "
    "AdaGrad's sum is of squared gradients, s <- s + g**2 (g * g), so that sqrt(s) has the units "
    "of g and the step lr * g / sqrt(s) is about lr on the first step.",
    (_accumulate(lambda g: g), _accumulate(np.abs)))


def _eps_inside(theta, grad, state, lr=0.01, eps=1e-10):
    theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
    total = state.get("sum", np.zeros_like(theta)) + grad * grad
    with np.errstate(all="ignore"):
        return theta - lr * grad / np.sqrt(total + eps), {"step": state.get("step", 0) + 1, "sum": total}


EPS_INSIDE = Probe(
    "eps_inside_sqrt",
    "You added eps inside the square root, sqrt(s + eps). torch adds it after the root: "
    "lr * g / (np.sqrt(s) + eps). The two differ where s is small (sqrt(eps) = 1e-5 is far larger than eps).",
    (_eps_inside,))


def _no_sqrt(theta, grad, state, lr=0.01, eps=1e-10):
    theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
    total = state.get("sum", np.zeros_like(theta)) + grad * grad
    with np.errstate(all="ignore"):
        return theta - lr * grad / (total + eps), {"step": state.get("step", 0) + 1, "sum": total}


NO_SQRT = Probe(
    "no_square_root",
    "You divided by the sum of squares itself, not by its square root: divide by np.sqrt(s) + eps.",
    (_no_sqrt,))


def _old_sum(theta, grad, state, lr=0.01, eps=1e-10):
    theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
    old = state.get("sum", np.zeros_like(theta))
    with np.errstate(all="ignore"):
        new_theta = theta - lr * grad / (np.sqrt(old) + eps)
    return new_theta, {"step": state.get("step", 0) + 1, "sum": old + grad * grad}


SUM_UPDATED_AFTER = Probe(
    "sum_updated_after_the_step",
    "You divided by the old sum, before adding this step's g**2 (on the first step that is "
    "g / eps, an enormous step). Update the sum first, s <- s + g**2, then take the step with the new s.",
    (_old_sum,))


def _forgets(theta, grad, state, lr=0.01, eps=1e-10):
    theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
    return theta - lr * grad / (np.abs(grad) + eps), {"step": state.get("step", 0) + 1, "sum": grad * grad}


SUM_NOT_KEPT = Probe(
    "sum_not_accumulated",
    "Your sum holds only this step's g**2: the sum of the earlier steps, state['sum'], is lost "
    "(every step is then lr * sign(g)). Add to it: s = state.get('sum', 0) + g**2.",
    (_forgets,))


def _step_count(count):
    def mistake(theta, grad, state, lr=0.01, eps=1e-10):
        new_theta, new_state = adagrad_step(theta, grad, state, lr, eps)
        return new_theta, {**new_state, "step": count(state.get("step", 0))}

    return mistake


STEP_NOT_COUNTED = Probe(
    "step_not_counted",
    "Your state['step'] is wrong: it counts the steps taken, 0 before the first, so the state "
    "you return after a step holds state.get('step', 0) + 1.",
    (_step_count(lambda t: t), _step_count(lambda t: 1), _step_count(lambda t: t + 2)), part=1)


def _mean(theta, grad, state, lr=0.01, eps=1e-10):
    theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
    t = state.get("step", 0) + 1
    total = state.get("sum", np.zeros_like(theta)) + grad * grad
    return theta - lr * grad / (np.sqrt(total / t) + eps), {"step": t, "sum": total}


MEAN_NOT_SUM = Probe(
    "mean_not_sum",
    "You divided by the root of the mean of the squared gradients, sqrt(s / t). AdaGrad divides by "
    "the root of their sum, sqrt(s): that is what makes its steps shrink like 1 / sqrt(t).",
    (_mean,))


def _lr_inside(theta, grad, state, lr=0.01, eps=1e-10):
    theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
    total = state.get("sum", np.zeros_like(theta)) + grad * grad
    with np.errstate(all="ignore"):
        return theta - lr * grad / (lr * np.sqrt(total) + eps), {"step": state.get("step", 0) + 1, "sum": total}


def _plus_sign(theta, grad, state, lr=0.01, eps=1e-10):
    new_theta, new_state = adagrad_step(theta, grad, state, lr, eps)
    return 2 * np.asarray(theta, dtype=float) - new_theta, new_state


def _eps_outside(theta, grad, state, lr=0.01, eps=1e-10):
    theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
    total = state.get("sum", np.zeros_like(theta)) + grad * grad
    with np.errstate(all="ignore"):
        return theta - lr * grad / np.sqrt(total) + eps, {"step": state.get("step", 0) + 1, "sum": total}


EPS_OUTSIDE = Probe(
    "eps_outside_the_division",
    "Your eps is added to theta, not to the denominator: `lr * g / np.sqrt(s) + eps` divides first "
    "(a missing parenthesis). Write lr * g / (np.sqrt(s) + eps).",
    (_eps_outside,))


def _no_eps(theta, grad, state, lr=0.01, eps=1e-10):
    theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
    total = state.get("sum", np.zeros_like(theta)) + grad * grad
    with np.errstate(all="ignore"):
        return theta - lr * grad / np.sqrt(total), {"step": state.get("step", 0) + 1, "sum": total}


NO_EPS = Probe(
    "no_eps",
    "eps is missing: where a coordinate's gradients have all been 0, s = 0 and g / sqrt(s) is "
    "0 / 0 = nan (and a large eps changes every step). Divide by np.sqrt(s) + eps.",
    (_no_eps,))


WRONG_STEP = Probe(
    "step_direction_or_size",
    "Your step is not theta - lr * g / (sqrt(s) + eps): it goes uphill (+ instead of -), or lr "
    "also divides (lr * sqrt(s)). Subtract lr * g / (np.sqrt(s) + eps) from theta.",
    (_plus_sign, _lr_inside))


def _reads_state(theta, grad, state, lr=0.01, eps=1e-10):
    return adagrad_step(theta, grad, {"step": state["step"], "sum": state["sum"]}, lr, eps)


FIRST_CALL = first_call_probe(("step", "sum"), "sum", _reads_state)


EXERCISE = Exercise(
    id="ch05_adagrad_step",
    number=1,
    title="One AdaGrad step",
    function_name="adagrad_step",
    arg_names=("theta", "grad", "state", "lr", "eps"),
    reference=adagrad_step,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("new_theta", "array"), Output("new_state", "state")),
    probes=(NOT_SQUARED, EPS_INSIDE, NO_SQRT, SUM_UPDATED_AFTER, SUM_NOT_KEPT, STEP_NOT_COUNTED,
            MEAN_NOT_SUM, WRONG_STEP, EPS_OUTSIDE, NO_EPS, FIRST_CALL),
    answer_keys=("sgdlib.optim.Adagrad",),
)
