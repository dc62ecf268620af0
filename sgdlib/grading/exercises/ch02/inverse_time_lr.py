"""Exercise 2.3: the inverse-time learning-rate schedule.

    eta_t = lr0 / (1 + decay * t),    t = 0, 1, ..., n_steps - 1

The step counter t starts at 0, as torch's schedulers count, so eta_0 = lr0.
``inverse_time_lr(lr0, decay, n_steps)`` returns the float array (eta_0, ..., eta_{n_steps - 1}).
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "inverse_time_lr"]


def inverse_time_lr(lr0: float, decay: float, n_steps: int) -> np.ndarray:
    """Reference: lr0 / (1 + decay * t) for t = 0, ..., n_steps - 1."""
    t = np.arange(n_steps)
    return lr0 / (1 + decay * t)


# ---------------------------------------------------------------------------------------------
# Inputs

FIXED_CASES = (
    Case((0.1, 0.5, 5), "lr0 = 0.1, decay = 0.5, 5 steps"),
    Case((1, 1, 4), "lr0 = 1 and decay = 1, integers, 4 steps"),
    Case((0.5, 0.0, 3), "decay = 0: a constant learning rate, 3 steps"),
    Case((0.3, 0.2, 1), "one step: just eta_0 = lr0"),
    Case((0.3, 0.2, 0), "0 steps: an empty array"),
    Case((2.0, 10.0, 6), "fast decay, lr0 = 2, decay = 10, 6 steps"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    return [Case((float(rng.uniform(0.01, 1.0)), float(rng.uniform(0.01, 2.0)), n), f"random lr0 and decay, {n} steps")
            for n in (7, 20, 50)]


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _counter_from_one(lr0, decay, n_steps):
    return lr0 / (1 + decay * np.arange(1, n_steps + 1))


COUNTER_FROM_ONE = Probe(
    "counter_from_one",
    "Your step counter starts at 1, so your first rate is already decayed, lr0 / (1 + decay). "
    "Count from t = 0 (`np.arange(n_steps)`, `range(n_steps)`): eta_0 = lr0.",
    (_counter_from_one,))


def _one_too_many(lr0, decay, n_steps):
    return inverse_time_lr(lr0, decay, n_steps + 1)


ONE_RATE_TOO_MANY = Probe(
    "one_rate_too_many",
    "You return n_steps + 1 rates: t runs over 0, 1, ..., n_steps - 1, one rate per step "
    "(`np.arange(n_steps)`).",
    (_one_too_many,))


def _no_one(lr0, decay, n_steps):
    return lr0 / (decay * np.arange(1, n_steps + 1))


def _no_one_from_zero(lr0, decay, n_steps):
    return lr0 / (decay * np.arange(n_steps))


NO_ONE = Probe(
    "missing_one",
    "You dropped the 1 in the denominator: lr0 / (decay * t) is infinite at t = 0 (and for "
    "decay = 0) and too large early on. Use lr0 / (1 + decay * t).",
    (_no_one, _no_one_from_zero))


def _precedence(lr0, decay, n_steps):
    return lr0 / 1 + decay * np.arange(n_steps)


PRECEDENCE = Probe(
    "precedence",
    "Your rates grow: `lr0 / 1 + decay * t` divides lr0 by 1 only and then adds decay * t. Put "
    "the denominator in parentheses, lr0 / (1 + decay * t).",
    (_precedence,))


def _sqrt(lr0, decay, n_steps):
    return lr0 / np.sqrt(1 + decay * np.arange(n_steps))


SQRT_DECAY = Probe(
    "sqrt_decay",
    "You divided by sqrt(1 + decay * t): that is the inverse-square-root schedule, which decays "
    "more slowly. The inverse-time schedule divides by 1 + decay * t itself.",
    (_sqrt,))


def _squared(lr0, decay, n_steps):
    return lr0 / (1 + decay * np.arange(n_steps)) ** 2


def _t_squared(lr0, decay, n_steps):
    t = np.arange(n_steps)
    return lr0 / (1 + decay * t * t)


SQUARED_DECAY = Probe(
    "squared_decay",
    "You divided by a square ((1 + decay * t)**2, or 1 + decay * t**2): that decays faster than "
    "asked. The inverse-time schedule divides by 1 + decay * t, which grows linearly in t.",
    (_squared, _t_squared))


def _multiplied(lr0, decay, n_steps):
    return lr0 * (1 + decay * np.arange(n_steps))


def _linear(lr0, decay, n_steps):
    return lr0 * (1 - decay * np.arange(n_steps))


MULTIPLIED = Probe(
    "multiplied",
    "You multiplied lr0 by 1 + decay * t (or by 1 - decay * t, a linear decay that turns "
    "negative): inverse-time decay divides, eta_t = lr0 / (1 + decay * t).",
    (_multiplied, _linear))


def _linspace(lr0, decay, n_steps):
    return lr0 / (1 + decay * np.linspace(0, n_steps, n_steps))


LINSPACE = Probe(
    "linspace",
    "Your t is np.linspace(0, n_steps, n_steps): n_steps points from 0 to n_steps, spaced "
    "n_steps / (n_steps - 1) apart, not the steps 0, 1, ..., n_steps - 1. Use `np.arange(n_steps)`.",
    (_linspace,))


def _exponential(lr0, decay, n_steps):
    return lr0 * np.exp(-decay * np.arange(n_steps))


def _geometric(lr0, decay, n_steps):
    return lr0 * (1 - decay) ** np.arange(n_steps)


def _divided_each_step(lr0, decay, n_steps):
    # Also what dividing by 1 + decay at every step gives: eta_{t+1} = eta_t / (1 + decay).
    return lr0 / (1 + decay) ** np.arange(n_steps)


EXPONENTIAL_DECAY = Probe(
    "exponential_decay",
    "You decay exponentially: lr0 / (1 + decay)**t (which dividing the rate by 1 + decay at "
    "every step, eta /= 1 + decay, also gives), lr0 * exp(-decay * t) or lr0 * (1 - decay)**t. "
    "Those rates shrink by the same factor every step, so they sum to a finite total and can "
    "stall before the minimum (lesson 2). Inverse-time decay divides lr0 by 1 + decay * t, "
    "computed from t itself: eta_t = lr0 / (1 + decay * t).",
    (_exponential, _geometric, _divided_each_step))


EXERCISE = Exercise(
    id="ch02_inverse_time_lr",
    number=3,
    title="Inverse-time learning-rate schedule",
    function_name="inverse_time_lr",
    arg_names=("lr0", "decay", "n_steps"),
    reference=inverse_time_lr,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("rates", "array"),),
    probes=(COUNTER_FROM_ONE, ONE_RATE_TOO_MANY, NO_ONE, PRECEDENCE, SQRT_DECAY, EXPONENTIAL_DECAY,
            SQUARED_DECAY, MULTIPLIED, LINSPACE),
)
