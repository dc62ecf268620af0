"""Exercise 5.3: one Adam step (Kingma & Ba 2015), with AMSGrad (Reddi et al. 2018), exactly as
torch.optim.Adam takes it.

    t     <- t + 1                                   (state["step"], 0 before the first step)
    m     <- beta1 * m + (1 - beta1) * g             (state["exp_avg"])
    v     <- beta2 * v + (1 - beta2) * g^2           (state["exp_avg_sq"])
    v_max <- max(v_max, v)        if amsgrad         (state["max_exp_avg_sq"]; v_max replaces v below)
    m_hat =  m / (1 - beta1^t),   v_hat = v / (1 - beta2^t)
    theta <- theta - lr * m_hat / (sqrt(v_hat) + eps)

The maximum is taken over the raw v, and bias-corrected afterwards, as torch does.
``adam_step(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False)`` returns
``(new_theta, new_state)``; on the first call ``state`` is ``{}``. Nothing it is given is changed.
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe
from ._steps import adam_like, after_steps, first_call_probe

__all__ = ["EXERCISE", "adam_step"]


def adam_step(theta: np.ndarray, grad: np.ndarray, state: dict, lr: float = 1e-3,
              betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
              amsgrad: bool = False) -> tuple[np.ndarray, dict]:
    """Reference: torch.optim.Adam's step in new arrays, the textbook m_hat / (sqrt(v_hat) + eps)."""
    beta1, beta2 = betas
    theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
    t = state.get("step", 0) + 1
    m = beta1 * state.get("exp_avg", np.zeros_like(theta)) + (1 - beta1) * grad
    v = beta2 * state.get("exp_avg_sq", np.zeros_like(theta)) + (1 - beta2) * grad * grad
    new_state = {"step": t, "exp_avg": m, "exp_avg_sq": v}
    if amsgrad:
        v = np.maximum(state.get("max_exp_avg_sq", np.zeros_like(theta)), v)
        new_state["max_exp_avg_sq"] = v
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), new_state


# ---------------------------------------------------------------------------------------------
# Inputs: (theta, grad, state, lr, betas, eps, amsgrad)

D = (0.9, 0.999)


def _mid_run(theta, grads, lr=1e-3, betas=D, eps=1e-8, amsgrad=False):
    return after_steps(adam_step, np.asarray(theta, dtype=float), grads, lr, betas, eps, amsgrad)


_THETA3, _STATE3 = _mid_run([1.0, -1.0], [[2.0, 0.5], [1.0, -0.5], [-3.0, 0.25]], 0.1)
_THETA_2D, _STATE_2D = _mid_run(np.arange(6.0).reshape(2, 3), [np.ones((2, 3)), [[0.5, -1, 2], [0, 1, -0.5]]],
                                0.05, (0.8, 0.95))
# Large gradients, then small ones: v falls below its maximum, which AMSGrad keeps.
_BIG_THEN_SMALL = [[4.0, -3.0, 1.0], [3.0, 2.0, -1.0]] + [[0.2, -0.1, 0.5], [0.1, 0.1, -0.2]] * 5
_THETA_AMS, _STATE_AMS = _mid_run([0.5, 0.5, 0.5], _BIG_THEN_SMALL, 0.1, (0.9, 0.9), 1e-8, True)

FIXED_CASES = (
    Case((np.array([1.0, -1.0]), np.array([5.0, -0.001]), {}, 0.1, D, 1e-8, False),
         "the first step (state = {}): about lr * sign(g), whatever |g|"),
    Case((np.array([1, 2, 3]), np.array([1, 0, -2]), {}, 1, D, 1e-8, False),
         "theta, grad and lr integers, a first step, one zero coordinate"),
    Case((_THETA3, np.array([0.5, 1.0]), _STATE3, 0.1, D, 1e-8, False), "step 4, after 3 steps chained through the state"),
    Case((_THETA3, np.zeros(2), _STATE3, 0.1, D, 1e-8, False), "a zero gradient after 3 steps: m still moves theta"),
    Case((_THETA_2D, np.array([[1.0, -2.0, 0.5], [4.0, 0.0, -1.0]]), _STATE_2D, 0.05, (0.8, 0.95), 1e-8, False),
         "a 2-D theta (2 x 3), step 3, betas = (0.8, 0.95)"),
    Case((np.array([1.0, 1.0]), np.array([1e-6, 1e-3]), {}, 0.1, D, 1e-3, False),
         "a large eps (1e-3) next to tiny gradients: eps caps the step"),
    Case((np.array([1.0, -1.0]), np.array([2.0, -0.5]), {}, 0.1, D, 1e-8, True), "amsgrad, the first step"),
    Case((_THETA_AMS, np.array([0.1, -0.1, 0.0]), _STATE_AMS, 0.1, (0.9, 0.9), 1e-8, True),
         "amsgrad at step 13, after large then small gradients: the maximum is above v"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for d, k, amsgrad in ((3, 2, False), (5, 7, True), (4, 12, False), (3, 9, True)):
        lr, betas = float(rng.uniform(0.01, 0.3)), (float(rng.uniform(0.5, 0.95)), float(rng.uniform(0.8, 0.999)))
        scale = np.linspace(3.0, 0.1, k)[:, None]  # shrinking gradients, so AMSGrad's maximum matters
        theta, state = _mid_run(rng.normal(size=d), rng.normal(size=(k, d)) * scale, lr, betas, 1e-8, amsgrad)
        cases.append(Case((theta, 0.1 * rng.normal(size=d), state, lr, betas, 1e-8, amsgrad),
                          f"random, d = {d}, step {k + 1}, amsgrad = {amsgrad}"))
    return cases


def _mid_run_only(rng: np.random.Generator) -> list[Case]:
    """Cases with t >= 2 only: a counter read before it is incremented gives t - 1 there, not 0,
    so the mistake computes finite numbers even when the learner's function divides by 0 at t = 0."""
    return [c for c in FIXED_CASES + tuple(random_cases(rng)) if c.args[2]]


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _adam(**switches):
    def mistake(theta, grad, state, lr=1e-3, betas=D, eps=1e-8, amsgrad=False):
        return adam_like(theta, grad, state, lr, betas, eps, amsgrad, **switches)

    return mistake


NO_BIAS_CORRECTION = Probe(
    "no_bias_correction",
    "No bias correction: m and v start at 0, so in the first steps they are far too small. "
    "Divide them by 1 - beta1**t and 1 - beta2**t (t = 1 on the first step): "
    "m_hat = m / (1 - beta1**t), v_hat = v / (1 - beta2**t), then step with m_hat / (sqrt(v_hat) + eps).",
    (_adam(correct_m=False, correct_v=False),))

M_ONLY = Probe(
    "bias_correction_m_only",
    "You corrected m but not v. Without v_hat = v / (1 - beta2**t) the first step is "
    "lr / sqrt(1 - beta2), about 31.6 lr at beta2 = 0.999 (fastbook's pseudocode makes this "
    "mistake). Correct both: m_hat = m / (1 - beta1**t) and v_hat = v / (1 - beta2**t).",
    (_adam(correct_v=False),))

V_ONLY = Probe(
    "bias_correction_v_only",
    "You corrected v but not m: the first steps are (1 - beta1) = 10 times too short at beta1 = 0.9. "
    "Correct both: m_hat = m / (1 - beta1**t) and v_hat = v / (1 - beta2**t).",
    (_adam(correct_m=False),))

EPS_INSIDE = Probe(
    "eps_inside_sqrt",
    "You added eps inside the square root, sqrt(v_hat + eps). torch adds it after: "
    "m_hat / (np.sqrt(v_hat) + eps). The two differ where v_hat is small (sqrt(1e-8) = 1e-4, not 1e-8).",
    (_adam(eps_inside=True),))

STEP_FROM_ZERO = Probe(
    "step_counter_from_zero",
    "Your bias correction uses the step counter before it is incremented: t = 0 on the first step "
    "(1 - beta**0 = 0, a division by zero), t - 1 later. t counts the steps taken including this "
    "one: t = state.get('step', 0) + 1, then 1 - beta1**t and 1 - beta2**t.",
    (_adam(t_shift=-1),), cases=_mid_run_only)

STEP_NOT_COUNTED = Probe(
    "step_not_counted",
    "Your state['step'] is wrong: it counts the steps taken, 0 before the first, so the state "
    "you return holds t = state.get('step', 0) + 1, the t of the bias correction.",
    (_adam(count=0), _adam(count=2)), part=1)

NOT_SQUARED = Probe(
    "gradient_not_squared",
    "Your v averages the gradient, or |g|, not its square: v <- beta2 * v + (1 - beta2) * g**2. "
    "m averages g, v averages g**2.",
    (_adam(square=lambda g: g), _adam(square=np.abs)))

BETAS_SWAPPED = Probe(
    "betas_swapped",
    "beta1 and beta2 are swapped: betas = (beta1, beta2) = (0.9, 0.999), beta1 for m (the gradient's "
    "average) and beta2 for v (the squared gradient's). Unpack them in that order: beta1, beta2 = betas.",
    (_adam(swap_betas=True),))

MAX_OF_CORRECTED = Probe(
    "amsgrad_max_of_corrected_v",
    "Your AMSGrad takes the maximum over bias-corrected values (v_hat, or the old maximum "
    "re-corrected with t - 1 against the new v_hat). torch keeps the maximum of the raw v, "
    "state['max_exp_avg_sq'] = max(old, v), and bias-corrects it afterwards: "
    "v_hat = v_max / (1 - beta2**t). The orders differ in the first steps, where the correction "
    "is large; the exercise asks for torch's, so that your steps and state are torch.optim.Adam's.",
    (_adam(max_of_corrected=True), _adam(max_recorrected=True)))

MAX_OF_OLD_V = Probe(
    "amsgrad_max_of_old_v",
    "Your state['max_exp_avg_sq'] is the maximum over the old v, taken before this step's update, "
    "so it lags one step behind. torch updates v first, then takes "
    "v_max = np.maximum(state.get('max_exp_avg_sq', 0), v) with the new v, stores it and divides "
    "by it: the exercise asks for that order so that the state you return is the one "
    "torch.optim.Adam holds, and a run can go on with either.",
    (_adam(max_of_old_v=True),))

AMSGRAD_UNCORRECTED = Probe(
    "amsgrad_without_bias_correction",
    "With amsgrad=True you leave out the bias correction, as Reddi et al.'s paper writes AMSGrad "
    "(its algorithm has none). torch's Adam(amsgrad=True), which this exercise follows, keeps "
    "Adam's corrections and only puts the running maximum in place of v: "
    "m_hat = m / (1 - beta1**t), v_hat = v_max / (1 - beta2**t). Then amsgrad=True changes one "
    "thing only, and your numbers are torch.optim.Adam's.",
    (_adam(amsgrad_uncorrected=("v",)), _adam(amsgrad_uncorrected=("m", "v"))))

EFFICIENT_FORM = Probe(
    "kingma_ba_efficient_form",
    "You used Kingma & Ba's \"efficient\" form (end of their Section 2): "
    "lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t) and eps added to the raw sqrt(v). It is not "
    "quite the same step: there eps acts as eps * sqrt(1 - beta2**t) next to sqrt(v_hat), which "
    "shows where eps matters (the case with eps = 1e-3). The exercise asks for torch's placement, "
    "eps added to sqrt(v_hat): theta - lr * m_hat / (np.sqrt(v_hat) + eps), so that your numbers "
    "are torch.optim.Adam's, and an eps chosen for torch means the same here.",
    (_adam(efficient=True),))


def _reads_state(theta, grad, state, lr=1e-3, betas=D, eps=1e-8, amsgrad=False):
    return adam_like(theta, grad, {"step": state["step"], "exp_avg": state["exp_avg"],
                                   "exp_avg_sq": state["exp_avg_sq"]}, lr, betas, eps)


FIRST_CALL = first_call_probe(("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"), "exp_avg", _reads_state)

AMSGRAD_IGNORED = Probe(
    "amsgrad_ignored",
    "With amsgrad=True your step divides by sqrt of v itself, not of its running maximum. Keep "
    "v_max = np.maximum(state.get('max_exp_avg_sq', 0), v) in the state under 'max_exp_avg_sq' "
    "and use v_max in place of v in the step.",
    (_adam(ignore_amsgrad=True),), part=0)

MAX_STORED_AS_V = Probe(
    "amsgrad_max_stored_as_v",
    "Your state['exp_avg_sq'] holds AMSGrad's maximum, so v itself is lost: the next step's v starts "
    "from the maximum. torch keeps both: 'exp_avg_sq' is v, updated as usual, and 'max_exp_avg_sq' "
    "is max(old maximum, v), used in the step.",
    (_adam(max_stored_as_v=True),))

EPS_ON_THETA = Probe(
    "eps_added_to_theta",
    "You added eps to theta, not to the denominator (d2l's TensorFlow Adam does this): "
    "theta - lr * m_hat / (np.sqrt(v_hat) + eps).",
    (_adam(eps_on_theta=True),))

NO_SQRT = Probe(
    "no_square_root",
    "You divided by v_hat itself, not by its square root: m_hat / (np.sqrt(v_hat) + eps).",
    (_adam(no_sqrt=True),))


EXERCISE = Exercise(
    id="ch05_adam_step",
    number=3,
    title="One Adam step, with AMSGrad",
    function_name="adam_step",
    arg_names=("theta", "grad", "state", "lr", "betas", "eps", "amsgrad"),
    reference=adam_step,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("new_theta", "array"), Output("new_state", "state")),
    probes=(NO_BIAS_CORRECTION, M_ONLY, V_ONLY, EPS_INSIDE, STEP_FROM_ZERO, STEP_NOT_COUNTED, NOT_SQUARED,
            BETAS_SWAPPED, MAX_OF_CORRECTED, MAX_OF_OLD_V, AMSGRAD_UNCORRECTED, AMSGRAD_IGNORED,
            MAX_STORED_AS_V, EPS_ON_THETA, NO_SQRT, EFFICIENT_FORM, FIRST_CALL),
    answer_keys=("sgdlib.optim.Adam",),
)
