"""Exercise 6.3: a linear warm-up, then cosine decay (``sgdlib.schedules.WarmupCosine``).

With the peak rate eta_0 = lr, W = warmup_steps, T = T_max, f = start_factor, the rate at step t:

    eta_t = lr * (f + (1 - f) * t / W)                                  for t < W
    eta_t = eta_min + (lr - eta_min) * (1 + cos(pi * (t - W) / T)) / 2   for t >= W,   t = 0, 1, ...

This is torch's ``SequentialLR([LinearLR(start_factor=f, total_iters=W),
CosineAnnealingLR(T_max=T, eta_min=eta_min)], milestones=[W])``: the first rate is f * lr, the
peak lr is reached at step t = W exactly (where the cosine starts, with its clock at t - W = 0),
and eta_min at t = W + T. Like torch's cosine, the formula is not cut off after W + T (the rate
climbs back). ``W = 0`` means no warm-up. Unlike exercise 3.3's warm-up, which reaches its target
at t = W - 1 with (t + 1) / W, torch's LinearLR starts at f * lr and reaches lr at t = W.
``warmup_cosine_lr(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0)`` returns eta_t as
a float.
"""

from __future__ import annotations

import math

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "warmup_cosine_lr"]


def warmup_cosine_lr(t: int, lr: float, warmup_steps: int, T_max: int, start_factor: float = 0.01,
                     eta_min: float = 0.0) -> float:
    """Reference: the rate of WarmupCosine at step t."""
    if t < warmup_steps:
        return lr * (start_factor + (1.0 - start_factor) * t / warmup_steps)
    return eta_min + (lr - eta_min) * (1.0 + math.cos(math.pi * (t - warmup_steps) / T_max)) / 2.0


# ---------------------------------------------------------------------------------------------
# Inputs: (t, lr, warmup_steps, T_max, start_factor, eta_min)

FIXED_CASES = (
    Case((0, 0.1, 10, 90, 0.1, 0.0), "t = 0: the first rate, start_factor * lr = 0.01"),
    Case((5, 0.1, 10, 90, 0.1, 0.0), "t = 5, half-way through a warm-up of W = 10"),
    Case((9, 0.1, 10, 90, 0.1, 0.0), "t = W - 1 = 9: the last warm-up step, still below the peak"),
    Case((10, 0.1, 10, 90, 0.1, 0.0), "t = W = 10: the peak lr = 0.1, where the cosine starts"),
    Case((11, 0.1, 10, 90, 0.1, 0.0), "t = W + 1: the first step of the cosine after the peak"),
    Case((55, 0.1, 10, 90, 0.1, 0.0), "t = W + T/2 = 55: half-way down the cosine, (lr + eta_min) / 2"),
    Case((100, 0.1, 10, 90, 0.1, 0.0), "t = W + T = 100: the end of the cosine, eta_min"),
    Case((3, 0.5, 4, 8, 0.01, 0.05), "eta_min = 0.05 > 0, the default start_factor, t = 3 of W = 4"),
    Case((8, 0.5, 4, 8, 0.01, 0.05), "eta_min = 0.05 > 0, t = W + T/2 = 8"),
    Case((0, 0.2, 0, 5, 0.01, 0.0), "warmup_steps = 0: no warm-up, the cosine starts at t = 0 with lr"),
    Case((2, 0.2, 0, 5, 0.01, 0.0), "warmup_steps = 0, t = 2 of T = 5"),
    Case((1, 1, 2, 4, 0.5, 0), "integers lr = 1, eta_min = 0, start_factor = 0.5, t = 1 of W = 2"),
    Case((2, 0.3, 5, 6, 1.0, 0.0), "start_factor = 1: no ramp, lr during the warm-up"),
    Case((14, 0.1, 4, 8, 0.1, 0.0), "t = 14 > W + T = 12: the cosine climbs back, as torch's does"),
    Case((1, 0.1, 1, 3, 0.25, 0.0), "W = 1: one warm-up step at start_factor * lr, then the peak at t = 1"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for _ in range(12):
        W = int(rng.integers(0, 20))
        T = W + int(rng.integers(1, 60))  # a cosine longer than the warm-up, as in practice
        t = int(rng.integers(0, W + T + 1))
        f = float(rng.choice([0.01, 0.1, float(rng.uniform(0.05, 1.0))]))
        lr = float(rng.uniform(0.01, 1.0))
        eta_min = float(rng.choice([0.0, lr * float(rng.uniform(0.0, 0.5))]))
        cases.append(Case((t, lr, W, T, f, eta_min), f"random schedule, W = {W}, T_max = {T}, t = {t}"))
    return cases


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _warm(t, lr, W, f, start, span):
    """lr * (f + (1 - f) * (t + start) / span)."""
    return lr * (f + (1.0 - f) * (t + start) / max(span, 1))


def _cos(t, lr, T, eta_min, clock):
    return eta_min + (lr - eta_min) * (1.0 + math.cos(math.pi * clock / T)) / 2.0


def _t_plus_one(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return _warm(t, lr, warmup_steps, start_factor, 1, warmup_steps)
    return _cos(t, lr, T_max, eta_min, t - warmup_steps)


def _peak_at_w_minus_one(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return _warm(t, lr, warmup_steps, start_factor, 0, warmup_steps - 1)
    return _cos(t, lr, T_max, eta_min, t - warmup_steps)


def _cosine_one_step_late(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t <= warmup_steps:
        return _warm(t, lr, warmup_steps, start_factor, 0, warmup_steps) if warmup_steps else lr
    return _cos(t, lr, T_max, eta_min, t - warmup_steps - 1)


WARMUP_OFF_BY_ONE = Probe(
    "warmup_off_by_one",
    "Your schedule is off by one step around the warm-up. torch's LinearLR (unlike exercise 3.3's "
    "ramp) starts at t = 0 with start_factor * lr and reaches lr at t = W exactly: "
    "eta_t = lr * (f + (1 - f) * t / W) for t < W, with t, not t + 1, and W, not W - 1; the "
    "cosine then starts at t = W with its clock at t - W = 0. Check t = 0, W - 1 and W by hand.",
    (_t_plus_one, _peak_at_w_minus_one, _cosine_one_step_late))


def _cosine_from_t(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return _warm(t, lr, warmup_steps, start_factor, 0, warmup_steps)
    return _cos(t, lr, T_max, eta_min, t)


COSINE_FROM_T = Probe(
    "cosine_clock_from_t",
    "Your cosine runs on the step t itself, so it has already gone down by W steps when the "
    "warm-up ends and the rate jumps down at t = W. The cosine starts when the warm-up ends: "
    "use t - W in it, cos(pi * (t - W) / T_max), so that eta_W = lr.",
    (_cosine_from_t,))


def _cosine_over_t_max_minus_w(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return _warm(t, lr, warmup_steps, start_factor, 0, warmup_steps)
    return _cos(t, lr, T_max - warmup_steps, eta_min, t - warmup_steps)


def _cosine_over_t_max_minus_1(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return _warm(t, lr, warmup_steps, start_factor, 0, warmup_steps)
    return _cos(t, lr, max(T_max - 1, 1), eta_min, t - warmup_steps)


COSINE_OFF_BY_ONE = Probe(
    "cosine_length_off_by_one",
    "Your cosine lasts T_max - 1 steps: it reaches eta_min one step early. It runs from t = W to "
    "t = W + T_max (T_max steps, like torch's CosineAnnealingLR): cos(pi * (t - W) / T_max), "
    "with T_max, not T_max - 1. Check t = W + T_max by hand: the rate there is eta_min.",
    (_cosine_over_t_max_minus_1,))


COSINE_LENGTH = Probe(
    "cosine_length_includes_warmup",
    "Your cosine lasts T_max - W steps, as if T_max counted from step 0. Here (as in torch's "
    "SequentialLR) T_max is the length of the cosine part alone: it runs from t = W to t = W + T_max, "
    "cos(pi * (t - W) / T_max).",
    (_cosine_over_t_max_minus_w,))


def _from_zero(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return lr * t / warmup_steps
    return _cos(t, lr, T_max, eta_min, t - warmup_steps)


START_AT_ZERO = Probe(
    "warmup_starts_at_zero",
    "Your warm-up starts at 0 (lr * t / W): start_factor is not used. It starts at start_factor * lr "
    "and climbs linearly to lr: eta_t = lr * (f + (1 - f) * t / W), with f = start_factor.",
    (_from_zero,))


def _no_half(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return _warm(t, lr, warmup_steps, start_factor, 0, warmup_steps)
    return eta_min + (lr - eta_min) * math.cos(math.pi * (t - warmup_steps) / T_max)


def _no_over_two(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return _warm(t, lr, warmup_steps, start_factor, 0, warmup_steps)
    return eta_min + (lr - eta_min) * (1.0 + math.cos(math.pi * (t - warmup_steps) / T_max))


def _cos_half_angle(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return _warm(t, lr, warmup_steps, start_factor, 0, warmup_steps)
    return eta_min + (lr - eta_min) * math.cos(math.pi * (t - warmup_steps) / (2 * T_max))


NO_ONE_PLUS_COS = Probe(
    "cosine_without_one_plus_cos_over_two",
    "Your decay's factor is not (1 + cos) / 2: cos itself goes below 0, 1 + cos without the / 2 "
    "starts at twice the peak (2 * lr at t = W), and a quarter period falls along a different "
    "curve. The cosine schedule maps the half-turn cos from 1 to -1 onto 1 to 0: the factor is "
    "(1 + cos(pi * (t - W) / T_max)) / 2.",
    (_no_half, _cos_half_angle, _no_over_two))


def _overshoot(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return lr * (start_factor + t / warmup_steps)
    return _cos(t, lr, T_max, eta_min, t - warmup_steps)


def _start_factor_as_rate(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return start_factor + (lr - start_factor) * t / warmup_steps
    return _cos(t, lr, T_max, eta_min, t - warmup_steps)


def _factor_for_rate(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return lr * start_factor + (lr - start_factor) * t / warmup_steps  # f where f * lr belongs
    return _cos(t, lr, T_max, eta_min, t - warmup_steps)


WRONG_PEAK = Probe(
    "warmup_to_wrong_peak",
    "Your warm-up starts or climbs wrong, so the rate jumps at t = W: it would reach lr * (1 + f) "
    "(start_factor * lr + lr * t / W), or start_factor is used as a rate (f + (lr - f) * t / W "
    "starts at f, not f * lr). start_factor is a fraction of lr: the ramp goes from f * lr to lr "
    "exactly, lr * (f + (1 - f) * t / W).",
    (_overshoot, _factor_for_rate, _start_factor_as_rate))


def _linear_decay(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return _warm(t, lr, warmup_steps, start_factor, 0, warmup_steps)
    return eta_min + (lr - eta_min) * (1.0 - (t - warmup_steps) / T_max)


LINEAR_DECAY = Probe(
    "linear_decay",
    "After the warm-up your rate falls along a straight line. The cosine schedule falls slowly at "
    "first, fastest half-way, and slowly again near eta_min: "
    "eta_min + (lr - eta_min) * (1 + cos(pi * (t - W) / T_max)) / 2.",
    (_linear_decay,))


def _floor_division(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return lr * (start_factor + (1.0 - start_factor) * (t // warmup_steps))
    return _cos(t, lr, T_max, eta_min, t - warmup_steps)


def _floor_division_both(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return lr * (start_factor + (1.0 - start_factor) * (t // warmup_steps))
    return eta_min + (lr - eta_min) * (1.0 + math.cos(math.pi * (t - warmup_steps) // T_max)) / 2.0


def _floor_division_cosine(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return _warm(t, lr, warmup_steps, start_factor, 0, warmup_steps)
    return eta_min + (lr - eta_min) * (1.0 + math.cos(math.pi * (t - warmup_steps) // T_max)) / 2.0


FLOOR_DIVISION = Probe(
    "floor_division_in_warmup",
    "You use floor division `//`, which rounds down to a whole number: `t // W` is 0 for every "
    "t < W (the warm-up stays at start_factor * lr, then jumps to lr), and `pi * (t - W) // T` "
    "moves the cosine in whole steps. Use true division `/` everywhere: "
    "lr * (f + (1 - f) * t / W) and cos(pi * (t - W) / T_max).",
    (_floor_division, _floor_division_both, _floor_division_cosine))


def _degrees(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return _warm(t, lr, warmup_steps, start_factor, 0, warmup_steps)
    return eta_min + (lr - eta_min) * (1.0 + math.cos(180 * (t - warmup_steps) / T_max)) / 2.0


DEGREES = Probe(
    "cosine_in_degrees",
    "Your cosine's angle is in degrees, 180 * (t - W) / T_max: math.cos and np.cos take radians, "
    "where a half-turn is pi. Use math.pi: cos(math.pi * (t - W) / T_max).",
    (_degrees,))


def _eta_min_ignored(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    return warmup_cosine_lr(t, lr, warmup_steps, T_max, start_factor, 0.0)


def _eta_min_added(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return _warm(t, lr, warmup_steps, start_factor, 0, warmup_steps)
    return eta_min + lr * (1.0 + math.cos(math.pi * (t - warmup_steps) / T_max)) / 2.0


ETA_MIN = Probe(
    "eta_min_wrong",
    "Your cosine does not end at eta_min: eta_min is left out, or added on top of the full "
    "amplitude (the peak becomes lr + eta_min). The cosine goes from lr down to eta_min: "
    "eta_min + (lr - eta_min) * (1 + cos(pi * (t - W) / T_max)) / 2.",
    (_eta_min_ignored, _eta_min_added))


def _stops_at_eta_min(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t >= warmup_steps + T_max:
        return eta_min
    return warmup_cosine_lr(t, lr, warmup_steps, T_max, start_factor, eta_min)


STOPS_AT_END = Probe(
    "clamped_after_t_max",
    "After t = W + T_max your rate stays at eta_min. WarmupCosine, like torch's CosineAnnealingLR, "
    "keeps the formula for every t >= W, so the rate climbs back up after W + T_max: do not "
    "special-case the end, use eta_min + (lr - eta_min) * (1 + cos(pi * (t - W) / T_max)) / 2.",
    (_stops_at_eta_min,))


EXERCISE = Exercise(
    id="ch06_warmup_cosine_lr",
    number=3,
    title="A linear warm-up, then cosine decay",
    function_name="warmup_cosine_lr",
    arg_names=("t", "lr", "warmup_steps", "T_max", "start_factor", "eta_min"),
    reference=warmup_cosine_lr,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("lr_t", "float"),),
    probes=(WARMUP_OFF_BY_ONE, COSINE_FROM_T, COSINE_LENGTH, START_AT_ZERO, NO_ONE_PLUS_COS, WRONG_PEAK,
            ETA_MIN, STOPS_AT_END, LINEAR_DECAY, FLOOR_DIVISION, COSINE_OFF_BY_ONE, DEGREES),
    answer_keys=("sgdlib.schedules.WarmupCosine", "sgdlib.schedules.CosineAnnealing"),
)
