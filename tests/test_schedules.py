"""sgdlib.schedules reproduces torch.optim.lr_scheduler, and refuses bad arguments.

Reference values: torch 2.13.0's schedulers, the optimizer's ``lr`` after ``t`` calls of
``scheduler.step()`` for t = 0..N, stored in ``tests/reference/schedules.npz`` by
``tests/reference/generate_torch_references.py`` (see ``tests/reference/README.md``).

Tolerance: ``rtol=1e-12``. sgdlib evaluates each schedule in closed form; torch's ``step()``
mostly uses a *recursive* form (multiply the previous lr by a ratio), which accumulates a few
ulp per step: we measured at most 1.6e-15 relative over these runs (ExponentialLR, 200 steps:
9e-16; CosineAnnealingLR, 150 steps: 1.6e-15). Where the lr is exactly 0 (PolynomialLR after
``total_iters``, cosine with ``eta_min=0`` at ``T_max``) torch's recursion can leave ~1e-17,
hence ``atol = 1e-15 * lr``. The closed forms that torch also exposes
(``_get_closed_form_lr``) are matched to 1e-14.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from sgdlib.optim import SGD, Adam
from sgdlib.schedules import (
    Constant, CosineAnnealing, Exponential, InverseTime, OneCycle, Polynomial, Scheduler,
    StepDecay, WarmupCosine,
)

REF = np.load(Path(__file__).resolve().parent / "reference" / "schedules.npz")
META = json.loads(str(REF["__cases__"]))


def make_schedule(name: str):
    """The sgdlib schedule equivalent to the torch scheduler of reference case ``name``."""
    m = META[name]
    kind, lr, kw = m["torch"], m["lr"], m["kwargs"]
    if kind == "StepLR":
        return StepDecay(lr, **kw)
    if kind == "ExponentialLR":
        return Exponential(lr, **kw)
    if kind == "PolynomialLR":
        return Polynomial(lr, **kw)
    if kind == "CosineAnnealingLR":
        return CosineAnnealing(lr, **kw)
    if kind == "SequentialLR":  # LinearLR warm-up then CosineAnnealingLR
        return WarmupCosine(lr, **kw)
    if kind == "OneCycleLR":
        return OneCycle(**kw)
    raise AssertionError(kind)


def _scale(name: str) -> float:
    return META[name]["lr"] or META[name]["kwargs"]["max_lr"]


def _comparable(name: str, values: np.ndarray) -> np.ndarray:
    """All steps, except OneCycle's t = total_steps where sgdlib deliberately differs: torch
    extrapolates the last phase one step past the cycle (a negative lr for the linear
    three-phase case), sgdlib holds the final lr (see OneCycle's docstring)."""
    return values[:-1] if META[name]["torch"] == "OneCycleLR" else values


@pytest.mark.parametrize("name", sorted(META))
def test_schedule_matches_torch_scheduler(name):
    want = REF[f"{name}/lr"]
    t = np.arange(len(want))
    got = make_schedule(name)(t)
    np.testing.assert_allclose(_comparable(name, got), _comparable(name, want), rtol=1e-12,
                               atol=1e-15 * _scale(name))
    if META[name]["torch"] == "OneCycleLR":  # held, not extrapolated
        assert got[-1] == got[-2]


@pytest.mark.parametrize("name", sorted(n for n in META if np.isfinite(REF[f"{n}/closed_form"]).any()))
def test_schedule_matches_torch_closed_form_where_torch_has_one(name):
    # torch's SequentialLR and OneCycleLR have no _get_closed_form_lr: nothing stored for them.
    want = REF[f"{name}/closed_form"]
    t = np.arange(len(want))
    has = np.isfinite(want)  # NaN at t = 0, where the generator did not ask
    np.testing.assert_allclose(make_schedule(name)(t[has]), want[has], rtol=1e-14, atol=1e-16 * _scale(name))


@pytest.mark.parametrize("name", sorted(META))
def test_scheduler_drives_the_optimizer_like_torch(name):
    """Scheduler(opt, schedule): after t calls of .step(), opt.lr is torch's lr after t calls."""
    want = REF[f"{name}/lr"]
    w = np.zeros(2)
    opt = SGD([w], lr=99.0)
    sched = Scheduler(opt, make_schedule(name))
    seen = [opt.lr]
    for _ in range(len(want) - 1):
        opt.step([np.ones(2)])
        sched.step()
        seen.append(sched.get_last_lr())
    assert sched.t == len(want) - 1
    np.testing.assert_allclose(_comparable(name, np.array(seen)), _comparable(name, want), rtol=1e-12,
                               atol=1e-15 * _scale(name))


ALL = [
    Constant(0.1),
    StepDecay(0.1, step_size=30, gamma=0.3),
    Exponential(0.1, gamma=0.999),
    InverseTime(0.1, decay=0.01),
    Polynomial(0.1, total_iters=5000, power=0.5),
    CosineAnnealing(0.1, T_max=10_000, eta_min=1e-4),
    WarmupCosine(0.1, warmup_steps=500, T_max=9500),
    OneCycle(0.1, total_steps=10_000, three_phase=True),
]


@pytest.mark.parametrize("schedule", ALL, ids=lambda s: type(s).__name__)
def test_array_of_steps_gives_the_same_values_as_one_step_at_a_time(schedule):
    t = np.arange(10_000)  # a plot's worth of steps in one call
    curve = schedule(t)
    assert curve.shape == t.shape and curve.dtype == np.float64
    assert np.isfinite(curve).all() and (curve >= 0).all()
    for i in (0, 1, 499, 500, 2999, 5000, 9999):
        value = schedule(i)
        assert isinstance(value, float)
        assert value == curve[i]
    assert schedule(np.int64(7)) == schedule(7)
    np.testing.assert_array_equal(schedule(t.reshape(100, 100)), curve.reshape(100, 100))


@pytest.mark.parametrize("schedule", ALL[1:6], ids=lambda s: type(s).__name__)
def test_decaying_schedules_start_at_lr_and_never_increase(schedule):
    curve = schedule(np.arange(5001))
    assert curve[0] == schedule.lr
    assert (np.diff(curve) <= 0).all()


def test_inverse_time_closed_form():
    # lr / (1 + d t): halves at t = 1/d, a third at t = 2/d.
    s = InverseTime(lr=0.3, decay=0.1)
    assert s(0) == 0.3
    assert math.isclose(s(10), 0.15, rel_tol=1e-15)
    assert math.isclose(s(20), 0.1, rel_tol=1e-15)


def test_inverse_time_is_adagrads_lr_decay():
    # torch.optim.Adagrad's "clr = lr / (1 + (step - 1) * lr_decay)": with a constant gradient g
    # and initial_accumulator_value a, step k moves by clr_k * g / sqrt(a + k g^2) (eps ~ 0:
    # sgdlib refuses eps = 0, and sqrt(1 + k) + 1e-300 == sqrt(1 + k) exactly in float64).
    from sgdlib.optim import Adagrad

    w = np.zeros(1)
    opt = Adagrad([w], lr=0.5, lr_decay=0.2, initial_accumulator_value=1.0, eps=1e-300)
    s = InverseTime(lr=0.5, decay=0.2)
    expected = 0.0
    for k in range(1, 8):
        opt.step([np.ones(1)])
        expected -= s(k - 1) / math.sqrt(1.0 + k)
    assert math.isclose(w[0], expected, rel_tol=1e-14)


def test_warmup_rises_linearly_then_cosine_takes_over():
    s = WarmupCosine(lr=0.2, warmup_steps=100, T_max=900, start_factor=0.05, eta_min=0.01)
    warm = s(np.arange(101))
    np.testing.assert_allclose(np.diff(warm), 0.2 * 0.95 / 100, rtol=1e-9)
    assert s(0) == pytest.approx(0.01) and s(100) == 0.2 and s(1000) == pytest.approx(0.01)
    assert WarmupCosine(0.2, warmup_steps=0, T_max=50)(np.arange(60)).tolist() == \
        CosineAnnealing(0.2, T_max=50)(np.arange(60)).tolist()


def test_one_cycle_peaks_at_max_lr_and_ends_at_its_floor():
    s = OneCycle(max_lr=0.8, total_steps=100, pct_start=0.3, div_factor=20.0, final_div_factor=50.0)
    curve = s(np.arange(101))
    assert curve[0] == pytest.approx(0.8 / 20)
    assert curve.argmax() == 29 and curve[29] == 0.8  # peak at pct_start * N - 1
    assert curve[99] == pytest.approx(0.8 / 20 / 50)
    assert curve[100] == curve[99]  # one past the cycle: held (torch extrapolates)
    with pytest.raises(ValueError, match=r"step must be <= total_steps=100"):
        s(101)
    with pytest.raises(ValueError, match=r"total_steps=100"):
        s(np.arange(102))


def test_scheduler_sets_lr_at_once_and_repr_is_friendly():
    opt = Adam([np.zeros(3)], lr=1.0)
    sched = Scheduler(opt, Exponential(lr=0.1, gamma=0.5))
    assert opt.lr == 0.1
    sched.step()
    sched.step()
    assert opt.lr == 0.025 and sched.t == 2
    assert repr(sched) == "Scheduler(Exponential(lr=0.1, gamma=0.5), t=2, lr=0.025)"
    assert repr(CosineAnnealing(0.1, T_max=10)) == "CosineAnnealing(lr=0.1, T_max=10, eta_min=0.0)"


BAD = [
    ("negative_lr", lambda: StepDecay(-0.1, step_size=3), ValueError, r"lr must be >= 0"),
    ("string_lr", lambda: Exponential("0.1", gamma=0.9), TypeError, r"lr must be a real number"),
    ("nan_lr", lambda: Constant(float("nan")), ValueError, r"lr must be a finite"),
    ("step_size_zero", lambda: StepDecay(0.1, step_size=0), ValueError, r"step_size must be >= 1"),
    ("step_size_float", lambda: StepDecay(0.1, step_size=2.5), TypeError, r"step_size must be an integer"),
    ("gamma_zero", lambda: Exponential(0.1, gamma=0.0), ValueError, r"gamma must be > 0"),
    ("negative_decay", lambda: InverseTime(0.1, decay=-1.0), ValueError, r"decay must be >= 0"),
    ("total_iters_zero", lambda: Polynomial(0.1, total_iters=0), ValueError, r"total_iters must be >= 1"),
    ("power_zero", lambda: Polynomial(0.1, total_iters=10, power=0.0), ValueError, r"power must be > 0"),
    ("T_max_zero", lambda: CosineAnnealing(0.1, T_max=0), ValueError, r"T_max must be >= 1"),
    ("T_max_float", lambda: CosineAnnealing(0.1, T_max=100.0), TypeError, r"T_max must be an integer"),
    ("negative_eta_min", lambda: CosineAnnealing(0.1, T_max=10, eta_min=-0.01), ValueError, r"eta_min must be >= 0"),
    ("negative_warmup", lambda: WarmupCosine(0.1, warmup_steps=-1, T_max=10), ValueError, r"warmup_steps must be >= 0"),
    ("start_factor_zero", lambda: WarmupCosine(0.1, warmup_steps=5, T_max=10, start_factor=0.0), ValueError,
     r"start_factor must be > 0"),
    ("start_factor_above_1", lambda: WarmupCosine(0.1, warmup_steps=5, T_max=10, start_factor=1.5), ValueError,
     r"start_factor must be <= 1"),
    ("max_lr_zero", lambda: OneCycle(0.0, total_steps=100), ValueError, r"max_lr must be > 0"),
    ("total_steps_one", lambda: OneCycle(0.1, total_steps=1), ValueError, r"total_steps must be >= 2"),
    ("pct_start_one", lambda: OneCycle(0.1, total_steps=100, pct_start=1.0), ValueError, r"pct_start must be < 1"),
    ("empty_phase", lambda: OneCycle(0.1, total_steps=10, pct_start=0.05), ValueError, r"pct_start=0.05.*total_steps=10"),
    ("bad_strategy", lambda: OneCycle(0.1, total_steps=100, anneal_strategy="cosine"), ValueError,
     r"anneal_strategy must be 'cos' or 'linear'"),
    ("three_phase_int", lambda: OneCycle(0.1, total_steps=100, three_phase=1), TypeError, r"three_phase must be True or False"),
    ("negative_step", lambda: Constant(0.1)(-1), ValueError, r"step must be >= 0"),
    ("float_step", lambda: Constant(0.1)(1.5), TypeError, r"step must be an integer"),
    ("bool_step", lambda: Constant(0.1)(True), TypeError, r"step must be an integer"),
    ("float_array_step", lambda: Constant(0.1)(np.linspace(0, 1, 3)), TypeError, r"step must be an integer"),
    ("negative_array_step", lambda: Constant(0.1)(np.array([0, -2])), ValueError, r"step must be >= 0, got -2"),
    ("string_step", lambda: Constant(0.1)("3"), TypeError, r"step must be an integer"),
    ("scheduler_without_optimizer", lambda: Scheduler([np.zeros(1)], Constant(0.1)), TypeError,
     r"optimizer must be an sgdlib.optim optimizer"),
    ("scheduler_with_a_number", lambda: Scheduler(SGD([np.zeros(1)]), 0.1), TypeError, r"schedule must be a schedule"),
    ("schedule_giving_negative_lr", lambda: Scheduler(SGD([np.zeros(1)]), lambda t: -0.1), ValueError, r"lr must be >= 0"),
]


@pytest.mark.parametrize(("make", "exc", "match"), [pytest.param(*c[1:], id=c[0]) for c in BAD])
def test_bad_schedule_argument_is_refused_with_its_name(make, exc, match):
    with pytest.raises(exc, match=match):
        make()


def test_schedules_are_immutable():
    s = CosineAnnealing(0.1, T_max=10)
    with pytest.raises(AttributeError):
        s.lr = 0.2


def test_scheduler_refuses_a_negative_lr_at_the_step_that_gives_it():
    opt = SGD([np.zeros(1)], lr=0.1)
    sched = Scheduler(opt, lambda t: 0.1 - 0.06 * t)     # 0.1, 0.04, then -0.02
    sched.step()
    assert opt.lr == pytest.approx(0.04)
    with pytest.raises(ValueError, match="lr must be >= 0"):
        sched.step()
