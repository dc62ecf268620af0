"""Exercise 6.5: the pick of a learning-rate range test (Smith 2017; fastai's ``lr_find``).

A range test records the loss f_k at the rates eta_k = lrs[k], k = 0, ..., K - 1, rising
geometrically. The noisy losses are smoothed by a bias-corrected exponential moving average with
s = smoothing (as Adam corrects m_t),

    a_k = s a_{k-1} + (1 - s) f_k,   a_{-1} = 0,        fbar_k = a_k / (1 - s^(k+1)),

and the pick is a tenth of the rate where the smoothed loss is lowest: lrs[argmin_k fbar_k] / 10
(the minimum itself is already at the edge of divergence). A loss that is inf or NaN (the run
diverged) counts as +inf, and so does every smoothed value from there on: the pick comes from the
steps before it. The first minimum wins a tie. ``lr_range_pick(lrs, losses, smoothing=0.98)``
returns the pick as a float; it is the rule of ``sgdlib.lr_finder.pick_lr``.
"""

from __future__ import annotations

import math

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "lr_range_pick"]


def lr_range_pick(lrs: np.ndarray, losses: np.ndarray, smoothing: float = 0.98) -> float:
    """Reference: a tenth of the rate with the lowest bias-corrected smoothed loss.

    Raises ValueError for lrs and losses of different lengths, no loss, a rate <= 0, or a first
    loss that is already inf or NaN (nothing to pick from).
    """
    lrs, losses = np.asarray(lrs, dtype=float), np.asarray(losses, dtype=float)
    if lrs.shape != losses.shape or lrs.ndim != 1:
        raise ValueError(f"lrs and losses must be 1-D arrays of the same length, got shapes {lrs.shape} and {losses.shape}")
    if len(lrs) == 0:
        raise ValueError("lrs and losses are empty: a range test records at least one step")
    if not np.all(lrs > 0):
        raise ValueError(f"every learning rate must be > 0, got {lrs.min()}")
    if not math.isfinite(losses[0]):
        raise ValueError("the first loss is already inf or NaN: there is no rate to pick from")
    s = smoothing
    avg, best, best_k = 0.0, math.inf, 0
    for k, loss in enumerate(losses):
        if not math.isfinite(loss):  # diverged: +inf from here on
            break
        avg = s * avg + (1 - s) * loss
        smoothed = avg / (1 - s ** (k + 1))
        if smoothed < best:
            best, best_k = smoothed, k
    return float(lrs[best_k] / 10)


# ---------------------------------------------------------------------------------------------
# Inputs: (lrs, losses, smoothing)

_LRS6 = np.geomspace(1e-4, 10.0, 6)  # 1e-4, 1e-3, ..., 10


def _curve(lrs: np.ndarray, centre: float, noise: np.ndarray, diverge: str = "") -> np.ndarray:
    """A range test's loss: flat, falling, lowest near 10**centre, then rising fast."""
    x = np.log10(lrs) - centre
    losses = 2.3 - 1.8 / (1 + np.exp(-3 * (x + 1))) + 0.05 * np.exp(3 * x) + noise
    if diverge:
        losses[-max(len(lrs) // 8, 1):] = np.inf if diverge == "inf" else np.nan
    return losses


FIXED_CASES = (
    Case((_LRS6, np.array([2.3, 2.3, 2.2, 1.0, 0.8, 9.0]), 0.0),
         "no smoothing (s = 0): the lowest loss 0.8 at lr = 1, the pick 0.1"),
    Case((_LRS6, np.array([2.3, 2.3, 2.2, 1.0, 0.8, 9.0]), 0.5), "the same losses, s = 0.5"),
    Case((np.array([0.01, 0.1, 1.0]), np.array([1.0, 3.0, 2.0]), 0.5),
         "s = 0.5: smoothed 1, 2.33, 2.14, the first is lowest (a tenth of lr = 0.01)"),
    Case((_LRS6, np.array([2.3, 2.0, 1.5, 1.2, np.inf, np.inf]), 0.0),
         "the run diverged: inf losses count as +inf, pick before them"),
    Case((_LRS6, np.array([2.3, 2.0, 1.5, 1.2, np.nan, 0.1]), 0.0),
         "a NaN loss, then a (meaningless) low one: everything from the NaN on counts as +inf"),
    Case((np.array([1, 2, 4, 8]), np.array([3, 2, 2, 5]), 0.0),
         "integer rates and losses, a tie (2 and 2): the first minimum wins"),
    Case((np.array([0.5]), np.array([1.7]), 0.98), "one step only: its rate, divided by 10"),
    Case((np.array([0.1, 1.0, 10.0]), np.array([1.0, 0.9, 5.0]), 0.5),
         "s = 0.5: smoothed 1, 0.933, 3.26 (the second divided by 1 - 0.5**2 = 0.75), pick 1 / 10"),
    Case((np.geomspace(1e-5, 10, 60), _curve(np.geomspace(1e-5, 10, 60), -1.5, np.zeros(60)), 0.9),
         "a smooth curve of 60 steps, lowest near lr = 0.03, s = 0.9"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for K, s, diverge in ((100, 0.98, ""), (200, 0.98, "inf"), (150, 0.9, "nan"), (120, 0.98, "nan"), (80, 0.0, "")):
        lrs = np.geomspace(1e-5, 10.0, K)
        centre = float(rng.uniform(-3.0, -1.0))
        losses = _curve(lrs, centre, 0.15 * rng.normal(size=K), diverge)
        cases.append(Case((lrs, losses, s), f"a noisy range test of {K} steps, s = {s:g}"
                                            + (f", ending in {diverge}" if diverge else "")))
    return cases


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _smoothed(losses, s, correct=lambda s, k: 1 - s ** (k + 1), swap=False):
    """The moving average of the losses, NaN/inf left to propagate, corrected by ``correct``."""
    out, avg = [], 0.0
    with np.errstate(all="ignore"):
        for k, loss in enumerate(np.asarray(losses, dtype=float)):
            avg = (1 - s) * avg + s * loss if swap else s * avg + (1 - s) * loss
            out.append(np.float64(avg) / np.float64(correct(s, k)))
    return np.array(out)


def _finite_argmin(values):
    values = np.asarray(values, dtype=float)
    return int(np.argmin(np.where(np.isnan(values), np.inf, values)))


def _no_bias_correction(lrs, losses, smoothing=0.98):
    return float(np.asarray(lrs, dtype=float)[_finite_argmin(_smoothed(losses, smoothing, lambda s, k: 1.0))] / 10)


NO_BIAS_CORRECTION = Probe(
    "no_bias_correction",
    "Your smoothed curve is not bias-corrected: started from a_{-1} = 0, the average a_k is far too "
    "small for the first steps (a_0 = (1 - s) f_0 = 0.02 f_0), so its minimum sits at the very "
    "start. Divide by 1 - s**(k + 1), with k counted from 0: fbar_k = a_k / (1 - s**(k + 1)).",
    (_no_bias_correction,))


def _minimum_itself(lrs, losses, smoothing=0.98):
    return lr_range_pick(lrs, losses, smoothing) * 10


NOT_DIVIDED = Probe(
    "minimum_not_divided_by_10",
    "You return the rate at the minimum of the smoothed loss. At that rate the loss is about to "
    "blow up; the pick is a tenth of it, safely on the falling part of the curve: "
    "`lrs[k_min] / 10`.",
    (_minimum_itself,))


def _raw_argmin(lrs, losses, smoothing=0.98):
    losses = np.asarray(losses, dtype=float)
    bad = np.flatnonzero(~np.isfinite(losses))
    end = bad[0] if len(bad) else len(losses)
    return float(np.asarray(lrs, dtype=float)[int(np.argmin(losses[:end]))] / 10)


def _raw_nanargmin(lrs, losses, smoothing=0.98):
    losses = np.asarray(losses, dtype=float)
    return float(np.asarray(lrs, dtype=float)[int(np.nanargmin(np.where(np.isfinite(losses), losses, np.nan)))] / 10)


RAW_ARGMIN = Probe(
    "argmin_of_raw_losses",
    "You took the minimum of the raw losses: smoothing is not used, so one lucky noisy step "
    "decides the pick. Smooth first, a_k = s a_{k-1} + (1 - s) f_k and fbar_k = a_k / (1 - s**(k + 1)), "
    "then take the argmin of fbar.",
    (_raw_argmin, _raw_nanargmin))


def _swapped(lrs, losses, smoothing=0.98):
    return float(np.asarray(lrs, dtype=float)[_finite_argmin(_smoothed(losses, smoothing, swap=True))] / 10)


def _swapped_both(lrs, losses, smoothing=0.98):
    values = _smoothed(losses, smoothing, lambda s, k: 1 - (1 - s) ** (k + 1), swap=True)
    return float(np.asarray(lrs, dtype=float)[_finite_argmin(values)] / 10)


SWAPPED = Probe(
    "smoothing_weights_swapped",
    "Your average weighs the new loss by s and the old average by 1 - s: with s = 0.98 that "
    "barely smooths at all. s is the weight of the past: a_k = s * a_{k-1} + (1 - s) * f_k "
    "(and the correction 1 - s**(k + 1)).",
    (_swapped, _swapped_both))


def _last(lrs, losses, smoothing=0.98):
    return float(np.asarray(lrs, dtype=float)[-1] / 10)


LAST_LR = Probe(
    "last_rate",
    "Your pick is a tenth of the LAST rate of the test, whatever the losses say: the index of "
    "the minimum is lost (a loop variable used after the loop?). Keep k_min, the index where the "
    "smoothed loss is lowest, and return lrs[k_min] / 10.",
    (_last,))


def _argmin_with_nan(lrs, losses, smoothing=0.98):
    return float(np.asarray(lrs, dtype=float)[int(np.argmin(_smoothed(losses, smoothing)))] / 10)


NAN_PICKED = Probe(
    "nan_picked_as_minimum",
    "Your pick is the rate where the run diverged: once a loss is NaN the smoothed curve is NaN "
    "from there on, and np.argmin returns the position of the first NaN. Count a NaN (or inf) "
    "loss, and every smoothed value after it, as +inf: e.g. `np.nanargmin`, or replace NaN by "
    "np.inf before the argmin, or stop at the first non-finite loss.",
    (_argmin_with_nan,))


def _step_before(lrs, losses, smoothing=0.98):
    k = int(np.flatnonzero(np.isclose(np.asarray(lrs, dtype=float), 10 * lr_range_pick(lrs, losses, smoothing)))[0])
    return float(np.asarray(lrs, dtype=float)[max(k - 1, 0)])


def _step_before_over_10(lrs, losses, smoothing=0.98):
    return _step_before(lrs, losses, smoothing) / 10


STEP_BEFORE = Probe(
    "one_step_before_the_minimum",
    "You return a rate one step before the minimum, lrs[k_min - 1]. 'A little before the "
    "minimum' means a factor of 10 below it here, however far apart the recorded rates are: "
    "return lrs[k_min] / 10.",
    (_step_before, _step_before_over_10))


def _exponent_k(lrs, losses, smoothing=0.98):
    values = _smoothed(losses, smoothing, lambda s, k: 1 - s ** k)  # inf at k = 0
    values[0] = values[0] if np.isfinite(values[0]) else np.inf
    return float(np.asarray(lrs, dtype=float)[_finite_argmin(values)] / 10)


def _exponent_k_plus_2(lrs, losses, smoothing=0.98):
    values = _smoothed(losses, smoothing, lambda s, k: 1 - s ** (k + 2))
    return float(np.asarray(lrs, dtype=float)[_finite_argmin(values)] / 10)


def _exponent_at_least_1(lrs, losses, smoothing=0.98):
    values = _smoothed(losses, smoothing, lambda s, k: 1 - s ** max(k, 1))
    return float(np.asarray(lrs, dtype=float)[_finite_argmin(values)] / 10)


CORRECTION_OFF_BY_ONE = Probe(
    "bias_correction_off_by_one",
    "Your bias correction uses the wrong power of s: with k counted from 0, step k has seen k + 1 "
    "losses, so fbar_k = a_k / (1 - s**(k + 1)) (s**k divides by 0 at k = 0). Check k = 0: "
    "fbar_0 must equal f_0.",
    (_exponent_k, _exponent_k_plus_2, _exponent_at_least_1))


def _inf_then_smoothed(lrs, losses, smoothing=0.98):
    losses = np.asarray(losses, dtype=float)
    values = _smoothed(np.where(np.isfinite(losses), losses, np.inf), smoothing)  # 0 * inf = nan at s = 0
    return float(np.asarray(lrs, dtype=float)[int(np.argmin(values))] / 10)


def _skipped_and_continued(lrs, losses, smoothing=0.98):
    losses, s = np.asarray(losses, dtype=float), smoothing
    avg, values = 0.0, []
    for k, loss in enumerate(losses):
        if not math.isfinite(loss):
            values.append(np.inf)
            continue
        avg = s * avg + (1 - s) * loss
        values.append(avg / (1 - s ** (k + 1)))
    return float(np.asarray(lrs, dtype=float)[int(np.argmin(values))] / 10)


def _non_finite_dropped(lrs, losses, smoothing=0.98):
    losses = np.asarray(losses, dtype=float)
    kept = np.isfinite(losses)
    values = _smoothed(losses[kept], smoothing)
    return float(np.asarray(lrs, dtype=float)[kept][int(np.argmin(values))] / 10)


PICKED_AFTER_DIVERGENCE = Probe(
    "picked_after_divergence",
    "Your pick comes from the first inf or NaN loss or a step after it: the run had diverged "
    "there, and every smoothed value from the first non-finite loss on must count as +inf. "
    "Skipping or dropping that loss and carrying on lets a meaningless later loss win; setting it "
    "to inf and smoothing on gives NaN where s = 0 (0 * inf is NaN), and np.argmin picks the "
    "first NaN. Stop at the first non-finite loss (`break`), or cut the losses there "
    "(`losses[:k_bad]`) before smoothing.",
    (_inf_then_smoothed, _skipped_and_continued, _non_finite_dropped))


def _started_at_first_loss(lrs, losses, smoothing=0.98):
    losses, s = np.asarray(losses, dtype=float), smoothing
    values, avg = [], None
    for loss in losses:
        if not math.isfinite(loss):
            break
        avg = loss if avg is None else s * avg + (1 - s) * loss
        values.append(avg)
    return float(np.asarray(lrs, dtype=float)[int(np.argmin(values))] / 10)


def _started_at_first_loss_corrected(lrs, losses, smoothing=0.98):
    losses, s = np.asarray(losses, dtype=float), smoothing
    values, avg = [], None
    for k, loss in enumerate(losses):
        if not math.isfinite(loss):
            break
        avg = loss if avg is None else s * avg + (1 - s) * loss
        values.append(avg / (1 - s ** (k + 1)))
    return float(np.asarray(lrs, dtype=float)[int(np.argmin(values))] / 10)


STARTED_AT_FIRST_LOSS = Probe(
    "average_started_at_first_loss",
    "Your average starts at the first loss, a_0 = f_0 (pandas' ewm(adjust=False)), so the first "
    "losses weigh far more than the formula gives them (and a bias correction on top divides a "
    "value that has no bias). The exercise's average starts at a_{-1} = 0, "
    "a_k = s a_{k-1} + (1 - s) f_k, and is bias-corrected: fbar_k = a_k / (1 - s**(k + 1)).",
    (_started_at_first_loss, _started_at_first_loss_corrected))


EXERCISE = Exercise(
    id="ch06_lr_range_pick",
    number=5,
    title="The pick of a learning-rate range test",
    function_name="lr_range_pick",
    arg_names=("lrs", "losses", "smoothing"),
    reference=lr_range_pick,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("lr", "float"),),
    probes=(NO_BIAS_CORRECTION, NOT_DIVIDED, RAW_ARGMIN, SWAPPED, LAST_LR, NAN_PICKED, STEP_BEFORE,
            CORRECTION_OFF_BY_ONE, PICKED_AFTER_DIVERGENCE, STARTED_AT_FIRST_LOSS),
    answer_keys=("sgdlib.lr_finder.pick_lr", "sgdlib.lr_finder.smoothed_losses"),
)
