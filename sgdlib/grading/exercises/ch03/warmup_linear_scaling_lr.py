"""Exercise 3.3: the linear scaling rule with a linear warm-up (Goyal et al. 2017).

    target = base_lr * batch_size / base_batch_size
    eta_t  = target * (t + 1) / warmup_steps   for t < warmup_steps
    eta_t  = target                            for t >= warmup_steps,      t = 0, ..., n_steps - 1

The step counter t starts at 0, so the first rate is target / warmup_steps and the last warm-up
step, t = warmup_steps - 1, reaches the target. ``warmup_steps = 0`` means no warm-up (every rate
is the target); ``warmup_steps > n_steps`` means the run ends while still warming up (it never
reaches the target). ``warmup_linear_scaling_lr(base_lr, batch_size, base_batch_size,
warmup_steps, n_steps)`` returns the float array (eta_0, ..., eta_{n_steps - 1}).
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "warmup_linear_scaling_lr"]


def warmup_linear_scaling_lr(base_lr: float, batch_size: int, base_batch_size: int,
                             warmup_steps: int, n_steps: int) -> np.ndarray:
    """Reference: the target rate, ramped up linearly over the first warmup_steps steps."""
    target = base_lr * batch_size / base_batch_size
    t = np.arange(n_steps)
    rates = np.full(n_steps, float(target))
    warming = t < warmup_steps
    rates[warming] = target * (t[warming] + 1) / warmup_steps
    return rates


# ---------------------------------------------------------------------------------------------
# Inputs: (base_lr, batch_size, base_batch_size, warmup_steps, n_steps)

FIXED_CASES = (
    Case((0.1, 64, 32, 4, 8), "base_lr = 0.1, B = 64 = 2 x 32 (target 0.2), warm-up 4 of 8 steps"),
    Case((1, 48, 32, 2, 5), "integers, B / B_base = 48 / 32 = 1.5 (target 1.5), warm-up 2 of 5 steps"),
    Case((0.4, 16, 64, 3, 6), "a smaller batch, B = 16 of 64 (target 0.1), warm-up 3 of 6 steps"),
    Case((0.1, 256, 32, 0, 5), "warmup_steps = 0: no warm-up, the target 0.8 at every step"),
    Case((0.1, 256, 32, 1, 4), "warmup_steps = 1: the first step already at the target 0.8"),
    Case((0.05, 128, 32, 10, 6), "warmup_steps = 10 > n_steps = 6: the run ends during the warm-up"),
    Case((0.5, 32, 32, 5, 5), "B = B_base (target = base_lr), warmup_steps = n_steps = 5"),
    Case((0.1, 64, 32, 3, 1), "one step (n_steps = 1): target / warmup_steps"),
    Case((0.1, 64, 32, 3, 0), "0 steps: an empty array"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for n_steps in (12, 30, 50):
        base_batch_size = int(rng.choice([16, 32, 64]))
        batch_size = int(rng.integers(1, 17)) * 8
        warmup_steps = int(rng.integers(1, n_steps))
        cases.append(Case((float(rng.uniform(0.01, 0.5)), batch_size, base_batch_size, warmup_steps, n_steps),
                          f"random base_lr, B = {batch_size}, B_base = {base_batch_size}, "
                          f"warm-up {warmup_steps} of {n_steps} steps"))
    return cases


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _ramp(target, warmup_steps, n_steps, first, denominator, last_warm):
    """target * (t + first) / (warmup_steps + denominator) while t <= last_warm, then target."""
    t = np.arange(n_steps)
    ramp = target * (t + first) / max(warmup_steps + denominator, 1)
    return np.where(t <= last_warm, ramp, float(target))


def _target(base_lr, batch_size, base_batch_size):
    return base_lr * batch_size / base_batch_size


def _from_zero(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    return _ramp(_target(base_lr, batch_size, base_batch_size), warmup_steps, n_steps, 0, 0, warmup_steps - 1)


def _over_w_plus_one(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    return _ramp(_target(base_lr, batch_size, base_batch_size), warmup_steps, n_steps, 1, 1, warmup_steps - 1)


def _one_step_too_long(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    return _ramp(_target(base_lr, batch_size, base_batch_size), warmup_steps, n_steps, 1, 0, warmup_steps)


def _from_zero_to_target(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    return _ramp(_target(base_lr, batch_size, base_batch_size), warmup_steps, n_steps, 0, -1, warmup_steps - 1)


WARMUP_OFF_BY_ONE = Probe(
    "warmup_off_by_one",
    "Your warm-up is off by one step. Step t = 0, 1, ... warms up while t < warmup_steps and has "
    "the rate target * (t + 1) / warmup_steps: the first rate is target / warmup_steps (not 0), "
    "the last warm-up step t = warmup_steps - 1 reaches the target exactly, and no rate is ever "
    "above it. Check t = 0 and t = warmup_steps - 1 by hand.",
    (_from_zero, _over_w_plus_one, _one_step_too_long, _from_zero_to_target))


def _unscaled(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    return warmup_linear_scaling_lr(base_lr, base_batch_size, base_batch_size, warmup_steps, n_steps)


NOT_SCALED = Probe(
    "not_scaled",
    "Your rates ramp up to base_lr itself: the linear scaling is missing. The batch is "
    "batch_size / base_batch_size times the base batch, so the target rate is that many times "
    "base_lr: target = base_lr * batch_size / base_batch_size.",
    (_unscaled,))


def _inverted(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    return warmup_linear_scaling_lr(base_lr, base_batch_size, batch_size, warmup_steps, n_steps)


INVERTED_RATIO = Probe(
    "inverted_ratio",
    "Your target shrinks when the batch grows: the ratio is upside down. A k times larger batch "
    "gets a k times larger rate: target = base_lr * batch_size / base_batch_size.",
    (_inverted,))


def _sqrt(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * np.sqrt(batch_size / base_batch_size)
    return warmup_linear_scaling_lr(target, 1, 1, warmup_steps, n_steps)


SQRT_SCALING = Probe(
    "square_root_scaling",
    "You scaled the rate by the square root of batch_size / base_batch_size: that is the "
    "square-root scaling rule (it keeps the noise of the step the same). Asked for is the linear "
    "rule of Goyal et al.: target = base_lr * batch_size / base_batch_size.",
    (_sqrt,))


def _floor_ratio(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    return warmup_linear_scaling_lr(base_lr * (batch_size // base_batch_size), 1, 1, warmup_steps, n_steps)


INTEGER_RATIO = Probe(
    "integer_ratio",
    "You divided the batch sizes with `//`, which rounds down to a whole number: 48 // 32 is 1, "
    "not 1.5, and 16 // 64 is 0. Use `/`: target = base_lr * batch_size / base_batch_size.",
    (_floor_ratio,))


def _constant(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    return warmup_linear_scaling_lr(base_lr, batch_size, base_batch_size, 0, n_steps)


NO_WARMUP = Probe(
    "no_warmup",
    "Every one of your rates is the target: the warm-up is missing. For t < warmup_steps the rate "
    "ramps up linearly, eta_t = target * (t + 1) / warmup_steps; from t = warmup_steps on it is the target.",
    (_constant,))


def _from_base_lr(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = _target(base_lr, batch_size, base_batch_size)
    t = np.arange(n_steps)
    ramp = base_lr + (target - base_lr) * (t + 1) / max(warmup_steps, 1)
    return np.where(t < warmup_steps, ramp, float(target))


def _from_base_lr_at_zero(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = _target(base_lr, batch_size, base_batch_size)
    t = np.arange(n_steps)
    ramp = base_lr + (target - base_lr) * t / max(warmup_steps, 1)
    return np.where(t < warmup_steps, ramp, float(target))


RAMP_FROM_BASE_LR = Probe(
    "ramp_from_base_lr",
    "Your warm-up starts near base_lr and climbs from there to the target (Goyal et al.'s "
    "'gradual warm-up' does that). Asked for here is a ramp from 0: eta_t = target * (t + 1) / "
    "warmup_steps, so the first rate is target / warmup_steps.",
    (_from_base_lr, _from_base_lr_at_zero))


def _over_n_steps(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = _target(base_lr, batch_size, base_batch_size)
    t = np.arange(n_steps)
    return np.where(t < warmup_steps, target * (t + 1) / max(n_steps, 1), float(target))


RAMP_OVER_N_STEPS = Probe(
    "ramp_over_n_steps",
    "Your warm-up divides by n_steps, so it climbs too slowly and jumps to the target at the end "
    "of the warm-up. The ramp spans the warm-up only: target * (t + 1) / warmup_steps.",
    (_over_n_steps,))


def _decay_after(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = _target(base_lr, batch_size, base_batch_size)
    t = np.arange(n_steps)
    decay = target * (n_steps - t) / max(n_steps - warmup_steps, 1)
    return np.where(t < warmup_steps, target * (t + 1) / max(warmup_steps, 1), decay)


DECAYS_AFTER_WARMUP = Probe(
    "decays_after_warmup",
    "After the warm-up your rates fall again (a linear decay towards 0). Here the rate stays at "
    "the target from t = warmup_steps to the end of the run: no decay is asked for.",
    (_decay_after,))


def _exponential(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = _target(base_lr, batch_size, base_batch_size)
    return target * (1 - np.exp(-(np.arange(n_steps) + 1) / max(warmup_steps, 1e-12)))


NOT_LINEAR = Probe(
    "exponential_warmup",
    "Your warm-up approaches the target exponentially, target * (1 - exp(-(t + 1) / W)), and "
    "never quite reaches it. The warm-up asked for is linear and ends exactly at the target: "
    "target * (t + 1) / warmup_steps for t < warmup_steps, then target.",
    (_exponential,))


def _one_rate_too_many(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    return warmup_linear_scaling_lr(base_lr, batch_size, base_batch_size, warmup_steps, n_steps + 1)


def _one_rate_too_few(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    return warmup_linear_scaling_lr(base_lr, batch_size, base_batch_size, warmup_steps, max(n_steps - 1, 0))


RATE_COUNT = Probe(
    "rate_count_off_by_one",
    "You return one rate too many or too few: there is one rate per step, t = 0, 1, ..., "
    "n_steps - 1, so n_steps of them - `np.arange(n_steps)`, `range(n_steps)`.",
    (_one_rate_too_many, _one_rate_too_few))


def _ramp_to_base_lr(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    return np.where(np.arange(n_steps) < warmup_steps,
                    warmup_linear_scaling_lr(base_lr, 1, 1, warmup_steps, n_steps),
                    float(_target(base_lr, batch_size, base_batch_size)))


RAMP_TO_BASE_LR = Probe(
    "ramp_to_base_lr",
    "Your warm-up ramps up to base_lr and then jumps to the scaled rate: the scaling is missing "
    "inside the ramp. The ramp climbs to the target itself, "
    "target * (t + 1) / warmup_steps with target = base_lr * batch_size / base_batch_size.",
    (_ramp_to_base_lr,))


EXERCISE = Exercise(
    id="ch03_warmup_linear_scaling_lr",
    number=3,
    title="Linear scaling of the learning rate, with warm-up",
    function_name="warmup_linear_scaling_lr",
    arg_names=("base_lr", "batch_size", "base_batch_size", "warmup_steps", "n_steps"),
    reference=warmup_linear_scaling_lr,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("rates", "array"),),
    probes=(WARMUP_OFF_BY_ONE, NOT_SCALED, INVERTED_RATIO, SQRT_SCALING, INTEGER_RATIO, NO_WARMUP,
            RAMP_FROM_BASE_LR, RAMP_OVER_N_STEPS, DECAYS_AFTER_WARMUP, NOT_LINEAR, RATE_COUNT,
            RAMP_TO_BASE_LR),
)
