"""Exercise 5.5: Adam on Reddi, Kale & Kumar's (2018) online counter-example, and AMSGrad.

The online problem: f_t(x) = C x when t % 3 == 1, else -x, for x in [-1, 1] (C > 2). Its best
fixed point is x = -1. Projected Adam, with beta1 = 0, beta2 = 1 / (1 + C^2), eps = 1e-8 and the
step size eta_t = lr / sqrt(t), from x_0 = 0, for t = 1, ..., T:

    g_t   = C if t % 3 == 1 else -1
    m     = g_t                                       (beta1 = 0: m_hat = m)
    v     <- beta2 v + (1 - beta2) g_t^2               (v_max <- max(v_max, v), used as v, if amsgrad)
    x_t   = clip(x_{t-1} - eta_t * m / (sqrt(v / (1 - beta2^t)) + eps), -1, 1)

``reddi_adam(C, n_steps, lr=0.1, amsgrad=False)`` returns the float array (x_0, ..., x_T) of
shape (n_steps + 1,). Adam drifts to +1 (the worst point); AMSGrad goes to -1.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "reddi_adam"]


def reddi_adam(C: float, n_steps: int, lr: float = 0.1, amsgrad: bool = False) -> np.ndarray:
    """Reference: projected Adam (torch semantics, beta1 = 0) on the Reddi et al. problem."""
    if not isinstance(C, Real) or not C > 0 or not math.isfinite(C):
        raise ValueError(f"C must be a finite number > 0, got {C!r}")
    if isinstance(n_steps, bool) or not isinstance(n_steps, (int, np.integer)) or n_steps < 0:
        raise ValueError(f"n_steps must be an integer >= 0, got {n_steps!r}")
    if not isinstance(lr, Real) or not lr > 0 or not math.isfinite(lr):
        raise ValueError(f"lr must be a finite number > 0, got {lr!r}")
    beta2, eps = 1 / (1 + C**2), 1e-8
    x, v, v_max = 0.0, 0.0, 0.0
    xs = [x]
    for t in range(1, n_steps + 1):
        g = C if t % 3 == 1 else -1.0
        v = beta2 * v + (1 - beta2) * g * g
        v_max = max(v_max, v)
        v_hat = (v_max if amsgrad else v) / (1 - beta2**t)
        x = x - lr / math.sqrt(t) * g / (math.sqrt(v_hat) + eps)  # m_hat = g when beta1 = 0
        x = min(max(x, -1.0), 1.0)
        xs.append(x)
    return np.array(xs)


# ---------------------------------------------------------------------------------------------
# Inputs: (C, n_steps, lr, amsgrad)

FIXED_CASES = (
    Case((3, 6, 0.1, False), "C = 3 (an integer), 6 steps: two rounds of (C, -1, -1)"),
    Case((3, 6, 0.1, True), "C = 3, 6 steps, amsgrad"),
    Case((3.0, 0, 0.1, False), "0 steps: just x_0 = 0"),
    Case((3.0, 1, 0.1, False), "one step: the gradient C, then the projection"),
    Case((3.0, 300, 0.1, False), "C = 3, 300 steps: Adam drifts towards +1"),
    Case((3.0, 300, 0.1, True), "C = 3, 300 steps, amsgrad: it heads for -1"),
    Case((2.5, 60, 1, False), "lr = 1: steps large enough for the projection to act"),
    Case((10.0, 45, 0.5, True), "C = 10, amsgrad, lr = 0.5"),
    Case((1.5, 40, 0.2, False), "C = 1.5 < 2 (outside the theorem's range)"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for n_steps, amsgrad in ((20, False), (50, True), (90, False), (120, True)):
        C, lr = float(rng.uniform(2.1, 6.0)), float(rng.uniform(0.05, 0.8))
        cases.append(Case((C, n_steps, lr, amsgrad), f"random C = {C:.3f}, lr = {lr:.3f}, {n_steps} steps, amsgrad = {amsgrad}"))
    return cases


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _run(*, project="after", rate=lambda lr, t: lr / math.sqrt(t), phase=lambda t: t % 3 == 1,
         correct_v=True, max_of_corrected=False, ignore_amsgrad=False, betas=None, shift=0, eps_at="after"):
    """Projected Adam on the problem with one mistake switched on. ``project``: "after" (right),
    "never", "before" the step, "upper" or "lower" bound only, "stored" (the stored x is
    projected, the next step starts from the unprojected one). ``eps_at``: "after" the root
    (right), "inside" it, or "none"."""
    def mistake(C, n_steps, lr=0.1, amsgrad=False):
        beta1, beta2 = betas(C) if betas else (0.0, 1 / (1 + C**2))
        x, m, v, v_max, eps = 0.0, 0.0, 0.0, 0.0, 1e-8
        xs = [x]
        with np.errstate(divide="ignore", invalid="ignore"):  # 1 - beta2**0 = 0 when shift = -1
            for t in range(1, n_steps + 1):
                g = C if phase(t) else -1.0
                if project == "before":
                    x = min(max(x, -1.0), 1.0)
                m = beta1 * m + (1 - beta1) * g
                v = beta2 * v + (1 - beta2) * g * g
                c2 = (1 - np.float64(beta2) ** (t + shift)) if correct_v else 1.0  # shift -1: inf at t = 1
                if amsgrad and not ignore_amsgrad:
                    v_max = max(v_max, v / c2) if max_of_corrected else max(v_max, v)
                    v_hat = v_max if max_of_corrected else v_max / c2
                else:
                    v_hat = v / c2
                root = math.sqrt(v_hat + eps) if eps_at == "inside" else math.sqrt(v_hat) + (eps if eps_at == "after" else 0.0)
                x = x - rate(lr, t) * (m / (1 - beta1**t)) / root
                if project == "after":
                    x = min(max(x, -1.0), 1.0)
                elif project in ("upper", "lower"):
                    x = min(x, 1.0) if project == "upper" else max(x, -1.0)
                xs.append(min(max(x, -1.0), 1.0) if project == "stored" else x)
        return np.array(xs)

    return mistake


def _outside(value, error) -> bool:
    """Some returned x lies outside [-1, 1]: whatever else is wrong, the projection is."""
    return value is not None and bool(np.any(np.abs(np.asarray(value, dtype=float)) > 1 + 1e-9))


NO_PROJECTION = Probe(
    "no_projection",
    "Some x_t lies outside [-1, 1]: the projection is missing, bounds one side only, or comes "
    "before the step (so the x you store is not projected). Reddi et al.'s Adam is projected: "
    "after every step put x back into the feasible set, x = np.clip(x, -1, 1) (both bounds), "
    "and store that x.",
    (_run(project="never"), _run(project="upper"), _run(project="lower"), _run(project="before")),
    symptom=_outside)

UNPROJECTED_KEPT = Probe(
    "unprojected_iterate_kept",
    "The x you store is projected, but your next step starts from the unprojected x. Projected "
    "Adam steps from the projected point: x = np.clip(x - eta_t * m_hat / (sqrt(v_hat) + eps), -1, 1), "
    "then store that x and take the next step from it.",
    (_run(project="stored"),))

CONSTANT_STEP = Probe(
    "constant_step_size",
    "Your step size is constant. Reddi et al.'s Adam uses eta_t = lr / sqrt(t), t = 1, 2, ...: "
    "the step shrinks, and still Adam goes the wrong way.",
    (_run(rate=lambda lr, t: lr),))

ONE_OVER_T = Probe(
    "step_size_one_over_t",
    "Your step size shrinks like 1/t (lr / t), not like 1/sqrt(t). Reddi et al.'s Adam uses "
    "eta_t = lr / sqrt(t) (lr / math.sqrt(t)), t = 1, 2, ...",
    (_run(rate=lambda lr, t: lr / t),))

WRONG_PHASE = Probe(
    "wrong_gradient_phase",
    "Your gradients come in the wrong order. With t = 1, 2, 3, ... the gradient is C when "
    "t % 3 == 1 (t = 1, 4, 7, ...: the first gradient is C) and -1 otherwise.",
    (_run(phase=lambda t: t % 3 == 0), _run(phase=lambda t: t % 3 == 2)))

STEP_FROM_ZERO = Probe(
    "step_counter_off_by_one",
    "Your step counter is off by one: the step size uses t + 1 (lr / sqrt(t + 1)), or the bias "
    "correction t - 1, or t starts at 0 (then lr / sqrt(0) or 1 - beta2**0 = 0 divides by zero: a "
    "ZeroDivisionError on the first step). The first step is t = 1: eta_1 = lr / sqrt(1) and "
    "v_hat = v / (1 - beta2**1).",
    (_run(rate=lambda lr, t: lr / math.sqrt(t + 1)), _run(shift=-1)),
    symptom=lambda value, error: error is not None and error.type_name == "ZeroDivisionError")

NO_BIAS_CORRECTION = Probe(
    "no_bias_correction",
    "v is not bias-corrected. Adam here follows torch: v_hat = v / (1 - beta2**t) "
    "(m needs no correction when beta1 = 0: 1 - 0**t = 1).",
    (_run(correct_v=False),))

MAX_OF_CORRECTED = Probe(
    "amsgrad_max_of_corrected_v",
    "Your AMSGrad keeps the maximum of the bias-corrected v. torch keeps the maximum of the raw v, "
    "v_max = max(v_max, v), and bias-corrects it afterwards: v_hat = v_max / (1 - beta2**t).",
    (_run(max_of_corrected=True),))

AMSGRAD_IGNORED = Probe(
    "amsgrad_ignored",
    "With amsgrad=True your run is plain Adam: divide by the root of the running maximum of v, "
    "v_max = max(v_max, v) (kept across steps), not of v.",
    (_run(ignore_amsgrad=True),))

WRONG_BETAS = Probe(
    "wrong_betas",
    "One of your betas, or both, is not the counter-example's. It needs beta1 = 0 (m = g, no "
    "momentum) and beta2 = 1 / (1 + C**2), not Adam's defaults 0.9 and 0.999: with the defaults, "
    "or with momentum, Adam does fine here.",
    (_run(betas=lambda C: (0.9, 0.999)), _run(betas=lambda C: (0.0, 0.999)), _run(betas=lambda C: (0.9, 1 / (1 + C**2)))))

BETA2_FORMULA = Probe(
    "beta2_formula",
    "beta1 = 0 is right, but your beta2 is not 1 / (1 + C**2): C is squared, and 1 + C**2 is the "
    "denominator (1 / (1 + C), 1 / C**2 or C**2 / (1 + C**2) are other numbers). With C = 3, beta2 = 0.1.",
    (_run(betas=lambda C: (0.0, 1 / (1 + C))), _run(betas=lambda C: (0.0, 1 / C**2)),
     _run(betas=lambda C: (0.0, C**2 / (1 + C**2)))))

EPS_INSIDE = Probe(
    "eps_inside_sqrt",
    "You added eps inside the square root, sqrt(v_hat + eps). As in torch (exercise 3) it goes "
    "after the root: eta_t * m_hat / (np.sqrt(v_hat) + eps), eps = 1e-8.",
    (_run(eps_at="inside"),))

NO_EPS = Probe(
    "no_eps",
    "eps is missing: the step is eta_t * m_hat / (np.sqrt(v_hat) + eps) with eps = 1e-8 (the "
    "problem fixes it; it is not an argument of reddi_adam).",
    (_run(eps_at="none"),))


EXERCISE = Exercise(
    id="ch05_reddi_adam",
    number=5,
    title="Adam on Reddi et al.'s counter-example, and AMSGrad",
    function_name="reddi_adam",
    arg_names=("C", "n_steps", "lr", "amsgrad"),
    reference=reddi_adam,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("xs", "array"),),
    probes=(NO_PROJECTION, UNPROJECTED_KEPT, CONSTANT_STEP, ONE_OVER_T, WRONG_PHASE, STEP_FROM_ZERO,
            NO_BIAS_CORRECTION, MAX_OF_CORRECTED, AMSGRAD_IGNORED, WRONG_BETAS, BETA2_FORMULA, EPS_INSIDE,
            NO_EPS),
    answer_keys=("sgdlib.optim.Adam",),
)
