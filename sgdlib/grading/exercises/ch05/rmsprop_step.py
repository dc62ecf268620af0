"""Exercise 5.2: one RMSprop step (Tieleman & Hinton 2012), torch.optim.RMSprop semantics.

    t   <- t + 1                                     (state["step"], 0 before the first step)
    v   <- alpha * v + (1 - alpha) * g^2             (state["square_avg"], zeros at first)
    theta <- theta - lr * g / (sqrt(v) + eps)

No bias correction (torch's RMSprop has none). ``rmsprop_step(theta, grad, state, lr=0.01,
alpha=0.99, eps=1e-8)`` returns ``(new_theta, new_state)``, a float array of theta's shape and a
new dict ``{"step": t, "square_avg": v}``; on the first call ``state`` is ``{}``. Nothing it is
given is changed.
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe
from ._steps import after_steps, first_call_probe

__all__ = ["EXERCISE", "rmsprop_step"]


def rmsprop_step(theta: np.ndarray, grad: np.ndarray, state: dict, lr: float = 0.01, alpha: float = 0.99,
                 eps: float = 1e-8) -> tuple[np.ndarray, dict]:
    """Reference: v <- alpha v + (1 - alpha) g^2, theta <- theta - lr g / (sqrt(v) + eps)."""
    theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
    square_avg = alpha * state.get("square_avg", np.zeros_like(theta)) + (1 - alpha) * grad * grad
    new_theta = theta - lr * grad / (np.sqrt(square_avg) + eps)
    return new_theta, {"step": state.get("step", 0) + 1, "square_avg": square_avg}


# ---------------------------------------------------------------------------------------------
# Inputs: (theta, grad, state, lr, alpha, eps)


def _mid_run(theta, grads, lr=0.01, alpha=0.99, eps=1e-8):
    return after_steps(rmsprop_step, np.asarray(theta, dtype=float), grads, lr, alpha, eps)


_THETA3, _STATE3 = _mid_run([1.0, -1.0], [[2.0, 0.5], [1.0, -0.5], [-3.0, 0.25]], 0.1, 0.9)
_THETA_2D, _STATE_2D = _mid_run(np.arange(6.0).reshape(2, 3), [np.ones((2, 3)), [[0.5, -1, 2], [0, 1, -0.5]]], 0.05, 0.8)

FIXED_CASES = (
    Case((np.array([1.0, -2.0]), np.array([2.0, -0.5]), {}, 0.01, 0.99, 1e-8),
         "the first step at the defaults (state = {}): a step of lr / sqrt(1 - alpha) = 10 lr"),
    Case((np.array([1, 2]), np.array([2, -1]), {}, 1, 0.9, 1e-8), "theta, grad and lr integers, a first step, alpha = 0.9"),
    Case((_THETA3, np.array([0.5, 1.0]), _STATE3, 0.1, 0.9, 1e-8), "step 4, after 3 steps chained through the state, alpha = 0.9"),
    Case((_THETA3, np.zeros(2), _STATE3, 0.1, 0.9, 1e-8), "a zero gradient after 3 steps: theta stays, v decays"),
    Case((np.array([0.5, 0.5, 0.5]), np.array([1.0, 0.0, -2.0]), {}, 0.01, 0.99, 1e-8),
         "a first step with one zero coordinate: 0 / (0 + eps) = 0 there"),
    Case((_THETA_2D, np.array([[1.0, -2.0, 0.5], [4.0, 0.0, -1.0]]), _STATE_2D, 0.05, 0.8, 1e-8),
         "a 2-D theta (2 x 3), step 3, alpha = 0.8"),
    Case((np.array([1.0, 1.0]), np.array([1e-6, 1e-3]), {}, 0.1, 0.5, 1e-3),
         "a large eps (1e-3) next to tiny gradients: eps shows"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for d, k in ((3, 2), (5, 6), (4, 12)):
        lr, alpha = float(rng.uniform(0.01, 0.3)), float(rng.uniform(0.5, 0.99))
        theta, state = _mid_run(rng.normal(size=d), rng.normal(size=(k, d)) * rng.uniform(0.1, 5.0, size=d), lr, alpha)
        cases.append(Case((theta, rng.normal(size=d), state, lr, alpha, 1e-8),
                          f"random, d = {d}, step {k + 1}, alpha = {alpha:.3f}"))
    return cases


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _rmsprop(*, weights=lambda a: (a, 1 - a), square=np.square, root=np.sqrt, eps_inside=False,
             old_v=False, bias_correct=False):
    def mistake(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
        theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
        keep, add = weights(alpha)
        t = state.get("step", 0) + 1
        previous = state.get("square_avg", np.zeros_like(theta))
        v = keep * previous + add * square(grad)
        with np.errstate(all="ignore"):
            used = (previous if old_v else v) / ((1 - alpha**t) if bias_correct else 1.0)
            denom = root(used + eps) if eps_inside else root(used) + eps
            return theta - lr * grad / denom, {"step": t, "square_avg": v}

    return mistake


ALPHA_SWAPPED = Probe(
    "alpha_swapped",
    "alpha and 1 - alpha are swapped: alpha weighs the old average, v <- alpha * v + (1 - alpha) * g**2, "
    "so with alpha = 0.99 v changes slowly (it averages over about 1 / (1 - alpha) = 100 steps).",
    (_rmsprop(weights=lambda a: (1 - a, a)),))

NOT_SQUARED = Probe(
    "gradient_not_squared",
    "Your running average is of the gradient itself, or of |g|, not of its square: "
    "v <- alpha * v + (1 - alpha) * g**2 (g * g). Its square root is then the root mean square of g.",
    (_rmsprop(square=lambda g: g), _rmsprop(square=np.abs)))

EPS_INSIDE = Probe(
    "eps_inside_sqrt",
    "You added eps inside the square root, sqrt(v + eps). torch adds it after the root: "
    "lr * g / (np.sqrt(v) + eps). With eps = 1e-8, sqrt(eps) = 1e-4 caps the step far earlier.",
    (_rmsprop(eps_inside=True),))

NO_SQRT = Probe(
    "no_square_root",
    "You divided by the average of the squares itself, not by its square root: divide by np.sqrt(v) + eps.",
    (_rmsprop(root=lambda v: v),))

OLD_AVERAGE = Probe(
    "average_updated_after_the_step",
    "You divided by the old average, before this step's g**2 is in it (on the first step that is "
    "g / eps, an enormous step). Update v first, then take the step with the new v.",
    (_rmsprop(old_v=True),))

BIAS_CORRECTED = Probe(
    "bias_corrected",
    "You divided v by 1 - alpha**t, Adam's bias correction. torch's RMSprop has none: the first "
    "steps are larger, lr * g / sqrt((1 - alpha) g**2) = lr / sqrt(1 - alpha) in size. Use v as it is.",
    (_rmsprop(bias_correct=True),))

NO_ONE_MINUS_ALPHA = Probe(
    "no_one_minus_alpha",
    "You add the whole g**2 to the decayed average, v <- alpha * v + g**2: that is a leaky sum, "
    "not an average. Weigh the new square by 1 - alpha: v <- alpha * v + (1 - alpha) * g**2.",
    (_rmsprop(weights=lambda a: (a, 1.0)),))


def _step_count(count):
    def mistake(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
        new_theta, new_state = rmsprop_step(theta, grad, state, lr, alpha, eps)
        return new_theta, {**new_state, "step": count(state.get("step", 0))}

    return mistake


STEP_NOT_COUNTED = Probe(
    "step_not_counted",
    "Your state['step'] is wrong: it counts the steps taken, 0 before the first, so the state "
    "you return after a step holds state.get('step', 0) + 1.",
    (_step_count(lambda t: t), _step_count(lambda t: 1), _step_count(lambda t: t + 2)), part=1)


def _reads_state(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    return rmsprop_step(theta, grad, {"step": state["step"], "square_avg": state["square_avg"]}, lr, alpha, eps)


FIRST_CALL = first_call_probe(("step", "square_avg"), "square_avg", _reads_state)


EXERCISE = Exercise(
    id="ch05_rmsprop_step",
    number=2,
    title="One RMSprop step",
    function_name="rmsprop_step",
    arg_names=("theta", "grad", "state", "lr", "alpha", "eps"),
    reference=rmsprop_step,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("new_theta", "array"), Output("new_state", "state")),
    probes=(ALPHA_SWAPPED, NOT_SQUARED, EPS_INSIDE, NO_SQRT, OLD_AVERAGE, BIAS_CORRECTED,
            NO_ONE_MINUS_ALPHA, STEP_NOT_COUNTED, FIRST_CALL),
    answer_keys=("sgdlib.optim.RMSprop",),
)
