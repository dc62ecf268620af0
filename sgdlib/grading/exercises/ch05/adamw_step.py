"""Exercise 5.4: one AdamW step (Loshchilov & Hutter 2019), exactly as torch.optim.AdamW takes it.

    theta <- theta * (1 - lr * weight_decay)         decoupled weight decay, first
    then the Adam step of exercise 3 on the decayed theta, with the gradient g as given:
    t <- t + 1,  m <- beta1 m + (1 - beta1) g,  v <- beta2 v + (1 - beta2) g^2,
    theta <- theta - lr * m_hat / (sqrt(v_hat) + eps)

The decay never enters m or v (that would be L2 regularisation, torch's Adam with
weight_decay). ``adamw_step(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
weight_decay=1e-2)`` returns ``(new_theta, new_state)`` with the keys ``step``, ``exp_avg`` and
``exp_avg_sq``; on the first call ``state`` is ``{}``. Nothing it is given is changed.
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe
from ._steps import adam_like, after_steps, first_call_probe

__all__ = ["EXERCISE", "adamw_step"]


def adamw_step(theta: np.ndarray, grad: np.ndarray, state: dict, lr: float = 1e-3,
               betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
               weight_decay: float = 1e-2) -> tuple[np.ndarray, dict]:
    """Reference: torch.optim.AdamW's step in new arrays: decay theta, then Adam."""
    beta1, beta2 = betas
    theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
    decayed = theta * (1 - lr * weight_decay)
    t = state.get("step", 0) + 1
    m = beta1 * state.get("exp_avg", np.zeros_like(theta)) + (1 - beta1) * grad
    v = beta2 * state.get("exp_avg_sq", np.zeros_like(theta)) + (1 - beta2) * grad * grad
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return decayed - lr * m_hat / (np.sqrt(v_hat) + eps), {"step": t, "exp_avg": m, "exp_avg_sq": v}


# ---------------------------------------------------------------------------------------------
# Inputs: (theta, grad, state, lr, betas, eps, weight_decay). lr * weight_decay is large in most
# cases (0.1 * 0.5), so that where and how the decay acts shows in the numbers.

D = (0.9, 0.999)


def _mid_run(theta, grads, lr=1e-3, betas=D, eps=1e-8, weight_decay=1e-2):
    return after_steps(adamw_step, np.asarray(theta, dtype=float), grads, lr, betas, eps, weight_decay)


_THETA3, _STATE3 = _mid_run([1.0, -1.0], [[2.0, 0.5], [1.0, -0.5], [-3.0, 0.25]], 0.1, D, 1e-8, 0.5)
_THETA_2D, _STATE_2D = _mid_run(np.arange(6.0).reshape(2, 3), [np.ones((2, 3)), [[0.5, -1, 2], [0, 1, -0.5]]],
                                0.05, (0.8, 0.95), 1e-8, 1.0)

FIXED_CASES = (
    Case((np.array([2.0, -1.0]), np.array([5.0, -0.001]), {}, 0.1, D, 1e-8, 0.5),
         "the first step (state = {}), lr * weight_decay = 0.05"),
    Case((np.array([1, 2, 3]), np.array([1, 0, -2]), {}, 1, D, 1e-8, 0),
         "theta, grad, lr and weight_decay integers, weight_decay = 0 (plain Adam), a first step"),
    Case((np.array([3.0, -2.0]), np.zeros(2), {}, 0.1, D, 1e-8, 0.5),
         "a zero gradient on the first step: only the decay acts, theta * (1 - lr * weight_decay)"),
    Case((_THETA3, np.array([0.5, 1.0]), _STATE3, 0.1, D, 1e-8, 0.5), "step 4, after 3 steps chained through the state"),
    Case((_THETA_2D, np.array([[1.0, -2.0, 0.5], [4.0, 0.0, -1.0]]), _STATE_2D, 0.05, (0.8, 0.95), 1e-8, 1.0),
         "a 2-D theta (2 x 3), step 3, betas = (0.8, 0.95), weight_decay = 1"),
    Case((np.array([1.0, -1.0]), np.array([0.3, 0.2]), {}, 1e-3, D, 1e-8, 1e-2), "the defaults, a first step"),
    Case((np.array([4.0, 4.0]), np.array([1e-6, 1e-3]), {}, 0.1, D, 1e-3, 0.5),
         "a large eps (1e-3) next to tiny gradients"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for d, k in ((3, 2), (5, 7), (4, 12)):
        lr, wd = float(rng.uniform(0.02, 0.3)), float(rng.uniform(0.1, 1.0))
        betas = (float(rng.uniform(0.5, 0.95)), float(rng.uniform(0.8, 0.999)))
        theta, state = _mid_run(3 * rng.normal(size=d), rng.normal(size=(k, d)), lr, betas, 1e-8, wd)
        cases.append(Case((theta, rng.normal(size=d), state, lr, betas, 1e-8, wd),
                          f"random, d = {d}, step {k + 1}, weight_decay = {wd:.3f}"))
    return cases


def _mid_run_only(rng: np.random.Generator) -> list[Case]:
    """Cases with t >= 2 only (see adam_step.py): a counter read before it is incremented is t - 1."""
    return [c for c in FIXED_CASES + tuple(random_cases(rng)) if c.args[2]]


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _adamw(decoupled=True, **switches):
    def mistake(theta, grad, state, lr=1e-3, betas=D, eps=1e-8, weight_decay=1e-2):
        return adam_like(theta, grad, state, lr, betas, eps, False, weight_decay, decoupled, **switches)

    return mistake


def _adam(theta, grad, state, lr=1e-3, betas=D, eps=1e-8, weight_decay=1e-2):
    return adam_like(theta, grad, state, lr, betas, eps)


L2_NOT_DECOUPLED = Probe(
    "l2_in_the_gradient",
    "You added the decay to the gradient, g + weight_decay * theta: that is L2 regularisation "
    "(torch's Adam with weight_decay), where the division by sqrt(v_hat) rescales the decay. AdamW "
    "decouples it: first theta = theta * (1 - lr * weight_decay), then the Adam step with g as given.",
    (_adamw(decoupled=False), _adamw(decoupled=False, l2_in_m_only=True)))

DECAYED_TWICE = Probe(
    "decay_decoupled_and_in_the_gradient",
    "You decay theta, theta * (1 - lr * weight_decay), as AdamW does, and you ALSO added it to g, "
    "g + weight_decay * theta (L2 regularisation, torch's Adam with weight_decay): the decay then "
    "acts twice. Keep the decoupled decay only and give m and v the gradient as it is given.",
    (_adamw(l2_too=True),))

DECAY_AFTER = Probe(
    "decay_after_the_step",
    "You decayed theta after the Adam step, (theta - step) * (1 - lr * weight_decay). torch decays "
    "first and steps from there: theta * (1 - lr * weight_decay) - lr * m_hat / (sqrt(v_hat) + eps).",
    (_adamw(decay_after=True),))

DECAY_WITHOUT_LR = Probe(
    "decay_not_times_lr",
    "Your decay is theta * (1 - weight_decay): torch multiplies weight_decay by the learning rate, "
    "theta * (1 - lr * weight_decay), so the decay follows lr's schedule.",
    (_adamw(decay_lr=False), _adamw(decay_lr=False, decay_after=True)))

NO_DECAY = Probe(
    "no_decay",
    "Your step has no weight decay at all: that is Adam. AdamW first shrinks theta, "
    "theta = theta * (1 - lr * weight_decay), then takes the Adam step.",
    (_adam,))

DECAY_GROWS = Probe(
    "decay_sign",
    "Your decay makes theta larger: theta * (1 + lr * weight_decay). Weight decay shrinks it, "
    "theta * (1 - lr * weight_decay).",
    (_adamw(decay_sign=-1),))

NO_BIAS_CORRECTION = Probe(
    "no_bias_correction",
    "No bias correction: m and v start at 0, so in the first steps they are far too small. "
    "Divide them by 1 - beta1**t and 1 - beta2**t (t = 1 on the first step) before the step.",
    (_adamw(correct_m=False, correct_v=False),))

M_ONLY = Probe(
    "bias_correction_m_only",
    "You corrected m but not v: without v_hat = v / (1 - beta2**t) the first step is "
    "lr / sqrt(1 - beta2), about 31.6 lr at beta2 = 0.999. Correct both m and v.",
    (_adamw(correct_v=False),))

EPS_INSIDE = Probe(
    "eps_inside_sqrt",
    "You added eps inside the square root, sqrt(v_hat + eps). torch adds it after: "
    "m_hat / (np.sqrt(v_hat) + eps).",
    (_adamw(eps_inside=True),))

STEP_FROM_ZERO = Probe(
    "step_counter_from_zero",
    "Your bias correction uses the step counter before it is incremented: t = 0 on the first step "
    "(a division by zero), t - 1 later. Use t = state.get('step', 0) + 1 in 1 - beta1**t and 1 - beta2**t.",
    (_adamw(t_shift=-1),), cases=_mid_run_only)

STEP_NOT_COUNTED = Probe(
    "step_not_counted",
    "Your state['step'] is wrong: it counts the steps taken, 0 before the first, so the state "
    "you return holds t = state.get('step', 0) + 1.",
    (_adamw(count=0), _adamw(count=2)), part=1)

NOT_SQUARED = Probe(
    "gradient_not_squared",
    "Your v averages the gradient, or |g|, not its square: v <- beta2 * v + (1 - beta2) * g**2.",
    (_adamw(square=lambda g: g), _adamw(square=np.abs)))


def _reads_state(theta, grad, state, lr=1e-3, betas=D, eps=1e-8, weight_decay=1e-2):
    return adam_like(theta, grad, {"step": state["step"], "exp_avg": state["exp_avg"],
                                   "exp_avg_sq": state["exp_avg_sq"]}, lr, betas, eps, False, weight_decay, True)


FIRST_CALL = first_call_probe(("step", "exp_avg", "exp_avg_sq"), "exp_avg", _reads_state)


EXERCISE = Exercise(
    id="ch05_adamw_step",
    number=4,
    title="One AdamW step: decoupled weight decay",
    function_name="adamw_step",
    arg_names=("theta", "grad", "state", "lr", "betas", "eps", "weight_decay"),
    reference=adamw_step,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("new_theta", "array"), Output("new_state", "state")),
    probes=(L2_NOT_DECOUPLED, DECAYED_TWICE, DECAY_AFTER, DECAY_WITHOUT_LR, NO_DECAY, DECAY_GROWS, NO_BIAS_CORRECTION, M_ONLY, EPS_INSIDE,
            STEP_FROM_ZERO, STEP_NOT_COUNTED, NOT_SQUARED, FIRST_CALL),
    answer_keys=("sgdlib.optim.AdamW", "sgdlib.optim.Adam"),
)
