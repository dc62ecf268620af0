r"""Learning-rate schedules: the learning rate as a function of the step ``t``.

Each schedule is a small object you call with a step number (an ``int``, or a numpy array of
them to get a whole curve at once for a plot) and that returns the learning rate:

>>> import numpy as np
>>> from sgdlib.schedules import CosineAnnealing
>>> schedule = CosineAnnealing(lr=0.1, T_max=100)
>>> schedule(0), schedule(50), schedule(100)
(0.1, 0.05, 0.0)
>>> curve = schedule(np.arange(10_000))         # vectorised: cheap to plot

Steps are counted like torch's ``LRScheduler``: ``schedule(t)`` is the learning rate torch's
scheduler gives after ``t`` calls of ``scheduler.step()`` (``t = 0`` is the rate before the
first step). :class:`Scheduler` applies a schedule to an optimizer in a training loop.

=================  ==============================================  =========================
schedule           learning rate at step t                         torch.optim.lr_scheduler
=================  ==============================================  =========================
Constant           lr                                              (none needed)
StepDecay          lr * gamma^floor(t / step_size)                 StepLR
Exponential        lr * gamma^t                                    ExponentialLR
InverseTime        lr / (1 + decay * t)                            (Adagrad's ``lr_decay``)
Polynomial         lr * (1 - min(t, T) / T)^power                  PolynomialLR
CosineAnnealing    eta_min + (lr - eta_min) (1 + cos(pi t / T))/2  CosineAnnealingLR
WarmupCosine       linear warm-up, then CosineAnnealing            LinearLR + CosineAnnealingLR
OneCycle           warm up to max_lr, then anneal far below        OneCycleLR
=================  ==============================================  =========================

References
----------
Loshchilov and Hutter, "SGDR: stochastic gradient descent with warm restarts", ICLR 2017
(cosine annealing). Goyal et al., "Accurate, large minibatch SGD: training ImageNet in 1 hour",
2017 (linear warm-up). Smith and Topin, "Super-convergence: very fast training of neural
networks using large learning rates", 2019 (one-cycle).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._checks import check_bool, check_int, check_number
from .optim.base import Optimizer

__all__ = [
    "Schedule", "Constant", "StepDecay", "Exponential", "InverseTime", "Polynomial",
    "CosineAnnealing", "WarmupCosine", "OneCycle", "Scheduler", "check_schedule_covers",
]


def _as_steps(step) -> tuple[np.ndarray, bool]:
    """``step`` as a float array of whole numbers >= 0, and whether it was a single number."""
    if isinstance(step, (bool, np.bool_)):
        raise TypeError(f"step must be an integer or an array of integers, got {step!r}")
    if isinstance(step, (int, np.integer)):
        if step < 0:
            raise ValueError(f"step must be >= 0, got {step}")
        return np.array(float(step)), True
    arr = np.asarray(step)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"step must be an integer or an array of integers, got {arr.dtype} {step!r}"[:200])
    if arr.size and arr.min() < 0:
        raise ValueError(f"step must be >= 0, got {arr.min()}")
    return arr.astype(np.float64), False


class Schedule:
    """Base class: ``schedule(step)`` checks ``step`` and evaluates :meth:`_lr` on it."""

    def __call__(self, step: int | np.ndarray) -> float | np.ndarray:
        """The learning rate after ``step`` scheduler steps (a float, or an array for an array)."""
        t, scalar = _as_steps(step)
        lr = self._lr(t)
        return float(lr) if scalar else np.asarray(lr, dtype=np.float64)

    def _lr(self, t: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError


@dataclass(frozen=True)
class Constant(Schedule):
    """The same learning rate at every step: ``lr_t = lr``.

    Examples
    --------
    >>> Constant(0.1)(1000)
    0.1
    """

    lr: float

    def __post_init__(self):
        check_number("lr", self.lr, low=0.0)

    def _lr(self, t):
        return np.full_like(t, self.lr)


@dataclass(frozen=True)
class StepDecay(Schedule):
    r"""Multiply the learning rate by ``gamma`` every ``step_size`` steps (torch ``StepLR``).

    .. math:: \eta_t = \eta_0 \, \gamma^{\lfloor t / s \rfloor}

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\eta_0`, >= 0.
    step_size : int
        Number of steps :math:`s` between two decays, >= 1.
    gamma : float, default 0.1
        Factor of each decay, > 0.

    Examples
    --------
    >>> s = StepDecay(lr=0.1, step_size=10, gamma=0.5)
    >>> s(9), s(10), s(25)
    (0.1, 0.05, 0.025)
    """

    lr: float
    step_size: int
    gamma: float = 0.1

    def __post_init__(self):
        check_number("lr", self.lr, low=0.0)
        check_int("step_size", self.step_size, low=1)
        check_number("gamma", self.gamma, low=0.0, low_open=True)

    def _lr(self, t):
        return self.lr * self.gamma ** np.floor(t / self.step_size)


@dataclass(frozen=True)
class Exponential(Schedule):
    r"""Multiply the learning rate by ``gamma`` at every step (torch ``ExponentialLR``).

    .. math:: \eta_t = \eta_0 \, \gamma^t

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\eta_0`, >= 0.
    gamma : float
        Factor per step, > 0 (below 1 to decay; above 1 grows, as in a learning-rate range test).

    Examples
    --------
    >>> Exponential(lr=1.0, gamma=0.5)(3)
    0.125
    """

    lr: float
    gamma: float

    def __post_init__(self):
        check_number("lr", self.lr, low=0.0)
        check_number("gamma", self.gamma, low=0.0, low_open=True)

    def _lr(self, t):
        return self.lr * self.gamma**t


@dataclass(frozen=True)
class InverseTime(Schedule):
    r"""The classic ``1/t`` decay of stochastic approximation.

    .. math:: \eta_t = \frac{\eta_0}{1 + d\,t}

    Step sizes like this (their sum diverges, the sum of their squares converges) are the
    Robbins-Monro conditions under which SGD converges. ``Adagrad(lr_decay=d)`` uses the same
    factor: its learning rate at its ``t``-th step (counting from 1) is ``InverseTime(lr, d)(t - 1)``.

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\eta_0`, >= 0.
    decay : float
        Decay rate :math:`d`, >= 0: the learning rate halves at ``t = 1/d``.

    Examples
    --------
    >>> s = InverseTime(lr=0.1, decay=0.01)
    >>> s(0), s(100), s(300)
    (0.1, 0.05, 0.025)

    References
    ----------
    Robbins and Monro, "A stochastic approximation method", Ann. Math. Statist. 22, 1951.
    """

    lr: float
    decay: float

    def __post_init__(self):
        check_number("lr", self.lr, low=0.0)
        check_number("decay", self.decay, low=0.0)

    def _lr(self, t):
        return self.lr / (1.0 + self.decay * t)


@dataclass(frozen=True)
class Polynomial(Schedule):
    r"""Decay polynomially to zero in ``total_iters`` steps, then stay at zero (torch ``PolynomialLR``).

    .. math:: \eta_t = \eta_0 \left(1 - \frac{\min(t, T)}{T}\right)^p

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\eta_0`, >= 0.
    total_iters : int
        Number of steps :math:`T` to reach zero, >= 1.
    power : float, default 1.0
        The exponent :math:`p` > 0 (1 is a straight line).

    Examples
    --------
    >>> s = Polynomial(lr=0.1, total_iters=10, power=2.0)
    >>> s(0), s(5), s(10), s(20)
    (0.1, 0.025, 0.0, 0.0)
    """

    lr: float
    total_iters: int
    power: float = 1.0

    def __post_init__(self):
        check_number("lr", self.lr, low=0.0)
        check_int("total_iters", self.total_iters, low=1)
        check_number("power", self.power, low=0.0, low_open=True)

    def _lr(self, t):
        return self.lr * (1.0 - np.minimum(t, self.total_iters) / self.total_iters) ** self.power


@dataclass(frozen=True)
class CosineAnnealing(Schedule):
    r"""Half a cosine from ``lr`` down to ``eta_min`` in ``T_max`` steps (torch ``CosineAnnealingLR``).

    .. math:: \eta_t = \eta_{min} + (\eta_0 - \eta_{min})\,\frac{1 + \cos(\pi t / T)}{2}

    Like torch's scheduler, the formula keeps going after ``T_max``: the learning rate climbs
    back to ``lr`` at ``2 T_max`` (a warm restart in slow motion). Stop training at ``T_max``,
    or use :class:`WarmupCosine` / :class:`OneCycle`, if you do not want that.

    Parameters
    ----------
    lr : float
        Initial (largest) learning rate :math:`\eta_0`, >= 0.
    T_max : int
        Number of steps :math:`T` of the half period, >= 1.
    eta_min : float, default 0.0
        Learning rate reached at ``T_max``, >= 0.

    Examples
    --------
    >>> s = CosineAnnealing(lr=1.0, T_max=4, eta_min=0.0)
    >>> [round(s(t), 4) for t in range(5)]
    [1.0, 0.8536, 0.5, 0.1464, 0.0]

    References
    ----------
    Loshchilov and Hutter, "SGDR: stochastic gradient descent with warm restarts", ICLR 2017,
    eq. (5).
    """

    lr: float
    T_max: int
    eta_min: float = 0.0

    def __post_init__(self):
        check_number("lr", self.lr, low=0.0)
        check_int("T_max", self.T_max, low=1)
        check_number("eta_min", self.eta_min, low=0.0)

    def _lr(self, t):
        return self.eta_min + (self.lr - self.eta_min) * (1.0 + np.cos(math.pi * t / self.T_max)) / 2.0


@dataclass(frozen=True)
class WarmupCosine(Schedule):
    r"""A linear warm-up over ``warmup_steps`` steps, then cosine annealing over ``T_max`` steps.

    .. math::

        \eta_t = \begin{cases}
            \eta_0 \left(f + (1 - f)\,\dfrac{t}{W}\right) & t < W \\[1ex]
            \eta_{min} + (\eta_0 - \eta_{min})\,\dfrac{1 + \cos(\pi (t - W) / T)}{2} & t \ge W
        \end{cases}

    This is torch's ``SequentialLR([LinearLR(start_factor=f, total_iters=W),
    CosineAnnealingLR(T_max=T, eta_min=eta_min)], milestones=[W])``. Starting small lets the
    adaptive statistics (Adam's ``v``) settle before the large steps come.

    Parameters
    ----------
    lr : float
        Peak learning rate :math:`\eta_0`, reached at step ``warmup_steps``, >= 0.
    warmup_steps : int
        Length :math:`W` of the warm-up, >= 0 (0: no warm-up).
    T_max : int
        Length :math:`T` of the cosine part, >= 1; it ends at step ``warmup_steps + T_max``.
    start_factor : float, default 0.01
        The warm-up starts at ``start_factor * lr``; in (0, 1].
    eta_min : float, default 0.0
        Learning rate at the end of the cosine, >= 0.

    Examples
    --------
    >>> s = WarmupCosine(lr=0.1, warmup_steps=10, T_max=90, start_factor=0.1)
    >>> s(0), s(5), s(10), s(55), s(100)
    (0.01, 0.055, 0.1, 0.05, 0.0)

    References
    ----------
    Goyal et al., "Accurate, large minibatch SGD: training ImageNet in 1 hour", 2017, sec. 2.2.
    """

    lr: float
    warmup_steps: int
    T_max: int
    start_factor: float = 0.01
    eta_min: float = 0.0

    def __post_init__(self):
        check_number("lr", self.lr, low=0.0)
        check_int("warmup_steps", self.warmup_steps, low=0)
        check_int("T_max", self.T_max, low=1)
        check_number("start_factor", self.start_factor, low=0.0, high=1.0, low_open=True)
        check_number("eta_min", self.eta_min, low=0.0)

    def _lr(self, t):
        w = self.warmup_steps
        warm = self.lr * (self.start_factor + (1.0 - self.start_factor) * t / max(w, 1))
        cos = CosineAnnealing(self.lr, self.T_max, self.eta_min)._lr(t - w)
        return np.where(t < w, warm, cos)


@dataclass(frozen=True)
class OneCycle(Schedule):
    r"""The one-cycle policy: warm up to ``max_lr``, then anneal far below the start (torch ``OneCycleLR``).

    The learning rate starts at :math:`\eta_{start} = \eta_{max} / \text{div\_factor}`, rises
    to :math:`\eta_{max}` at step :math:`p N - 1` (``p = pct_start``, ``N = total_steps``) and
    falls to :math:`\eta_{end} = \eta_{start} / \text{final\_div\_factor}` at step
    :math:`N - 1`. Inside each phase from ``a`` to ``b`` over steps ``[s0, s1]``, with
    :math:`u = (t - s_0) / (s_1 - s_0)`:

    .. math::

        \eta_t = b + (a - b)\,\frac{1 + \cos(\pi u)}{2} \quad\text{(cos)}
        \qquad\text{or}\qquad \eta_t = a + (b - a)\,u \quad\text{(linear)}

    With ``three_phase=True`` the second phase goes back down to :math:`\eta_{start}` at
    step :math:`2 p N - 2` and a third phase anneals to :math:`\eta_{end}`.

    As in torch, the schedule is defined for ``0 <= t <= total_steps`` and a larger step is an
    error. At ``t = total_steps`` (one past the end of the cycle) torch extrapolates the last
    phase, which with ``anneal_strategy="linear"`` can give a *negative* learning rate; here
    the final learning rate is held instead. At every other step the *learning rate* equals
    torch's. Only the learning rate: torch's ``OneCycleLR`` also cycles the momentum (or
    Adam's ``beta1``) by default (``cycle_momentum=True``), which this schedule does not do.

    Parameters
    ----------
    max_lr : float
        Peak learning rate, > 0.
    total_steps : int
        Number of steps in the cycle, >= 2.
    pct_start : float, default 0.3
        Fraction of the cycle spent increasing the learning rate, in (0, 1).
    anneal_strategy : {"cos", "linear"}, default "cos"
    div_factor : float, default 25.0
        ``max_lr / div_factor`` is the starting learning rate; > 0.
    final_div_factor : float, default 1e4
        The final learning rate is the starting one divided by this; > 0.
    three_phase : bool, default False

    Examples
    --------
    >>> s = OneCycle(max_lr=1.0, total_steps=10, pct_start=0.5, div_factor=10.0,
    ...              final_div_factor=100.0, anneal_strategy="linear")
    >>> [round(s(t), 4) for t in (0, 2, 4, 9)]          # peak at 0.5*10 - 1, end at 10 - 1
    [0.1, 0.55, 1.0, 0.001]

    References
    ----------
    Smith and Topin, "Super-convergence: very fast training of neural networks using large
    learning rates", 2019.
    """

    max_lr: float
    total_steps: int
    pct_start: float = 0.3
    anneal_strategy: str = "cos"
    div_factor: float = 25.0
    final_div_factor: float = 1e4
    three_phase: bool = False

    def __post_init__(self):
        check_number("max_lr", self.max_lr, low=0.0, low_open=True)
        check_int("total_steps", self.total_steps, low=2)
        check_number("pct_start", self.pct_start, low=0.0, high=1.0, low_open=True, high_open=True)
        if self.anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"anneal_strategy must be 'cos' or 'linear', got {self.anneal_strategy!r}")
        check_number("div_factor", self.div_factor, low=0.0, low_open=True)
        check_number("final_div_factor", self.final_div_factor, low=0.0, low_open=True)
        check_bool("three_phase", self.three_phase)
        ends = [end for end, _, _ in self._phases()]
        if not all(b > a for a, b in zip([0.0, *ends], ends)):
            raise ValueError(
                f"pct_start={self.pct_start} and total_steps={self.total_steps} leave a phase "
                "with no steps; use more total_steps or a pct_start further from 0 and 1"
            )

    def _phases(self) -> list[tuple[float, float, float]]:
        """(end step, start lr, end lr) of each phase, with torch's step boundaries."""
        start = self.max_lr / self.div_factor
        end = start / self.final_div_factor
        up = float(self.pct_start * self.total_steps) - 1
        if self.three_phase:
            down = float(2 * self.pct_start * self.total_steps) - 2
            return [(up, start, self.max_lr), (down, self.max_lr, start), (self.total_steps - 1, start, end)]
        return [(up, start, self.max_lr), (self.total_steps - 1, self.max_lr, end)]

    def _lr(self, t):
        if t.size and t.max() > self.total_steps:
            raise ValueError(f"step must be <= total_steps={self.total_steps}, got {int(t.max())}")
        out = np.empty_like(t)
        s0, done = 0.0, np.zeros(t.shape, dtype=bool)
        phases = self._phases()
        for i, (s1, a, b) in enumerate(phases):
            # Like torch: the first phase whose end is >= t, and the last phase for anything after.
            here = ~done & ((t <= s1) | (i == len(phases) - 1))
            # u <= 1 except at t = total_steps, where torch extrapolates the last phase past its
            # end (below zero with "linear"); we hold the final learning rate instead.
            u = np.minimum((t[here] - s0) / (s1 - s0), 1.0)
            if self.anneal_strategy == "cos":
                out[here] = b + (a - b) / 2.0 * (np.cos(math.pi * u) + 1)
            else:
                out[here] = (b - a) * u + a
            done |= here
            s0 = s1
        return out


def check_schedule_covers(schedule: Callable[[int], float], n_steps: int, *, what: str = "the run") -> None:
    """Check, before a run starts, that ``schedule`` is defined at its last step ``n_steps - 1``.

    A schedule shorter than the run (``OneCycle(total_steps=58)`` for 87 steps) would otherwise
    fail in the middle of training; this evaluates it once at the last step and, if that fails
    or gives something that is not a learning rate >= 0, raises a ``ValueError`` naming the
    schedule and the length of the run.

    Examples
    --------
    >>> check_schedule_covers(OneCycle(max_lr=0.1, total_steps=100), 100)
    >>> check_schedule_covers(OneCycle(max_lr=0.1, total_steps=58), 87)   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: the schedule OneCycle(max_lr=0.1, total_steps=58, ...) does not cover the run: ...
    """
    n_steps = check_int("n_steps", n_steps, low=0)
    if n_steps == 0:
        return
    last = n_steps - 1
    try:
        lr = schedule(last)
        check_number("lr", lr, low=0.0)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"the schedule {schedule!r} does not cover {what}: {what} takes {n_steps} steps "
            f"(0 to {last}) but schedule({last}) failed: {exc}"
            + (f"; e.g. use total_steps={n_steps}" if hasattr(schedule, "total_steps") else "")
        ) from exc


class Scheduler:
    """Set an optimizer's learning rate from a schedule, one :meth:`step` at a time.

    The torch pattern: create it after the optimizer (it sets ``optimizer.lr = schedule(0)``),
    and call :meth:`step` once after each ``optimizer.step(...)``; after ``t`` calls the
    optimizer's ``lr`` is ``schedule(t)``.

    Parameters
    ----------
    optimizer : sgdlib.optim.Optimizer
        Its ``lr`` is overwritten.
    schedule : callable int -> float
        A :class:`Schedule`, or any function of the step returning a learning rate >= 0.

    Attributes
    ----------
    t : int
        Number of :meth:`step` calls so far (torch's ``last_epoch``).

    Examples
    --------
    >>> import numpy as np
    >>> from sgdlib.optim import SGD
    >>> w = np.array([1.0])
    >>> opt = SGD([w], lr=123.0)                  # the schedule decides the lr from now on
    >>> sched = Scheduler(opt, StepDecay(lr=0.1, step_size=2, gamma=0.5))
    >>> lrs = []
    >>> for _ in range(5):
    ...     lrs.append(opt.lr)
    ...     opt.step([2 * w])
    ...     sched.step()
    >>> lrs
    [0.1, 0.1, 0.05, 0.05, 0.025]
    """

    def __init__(self, optimizer: Optimizer, schedule: Schedule | Callable[[int], float]):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"optimizer must be an sgdlib.optim optimizer, got {type(optimizer).__name__}")
        if not callable(schedule):
            raise TypeError(f"schedule must be a schedule (a function of the step), got {type(schedule).__name__}")
        self.optimizer = optimizer
        self.schedule = schedule
        self.t = 0
        optimizer.lr = schedule(0)  # the optimizer's lr setter checks the value

    def step(self) -> None:
        """Advance one step and set ``optimizer.lr = schedule(t)``."""
        self.t += 1
        self.optimizer.lr = self.schedule(self.t)

    def get_last_lr(self) -> float:
        """The learning rate the optimizer uses now (torch's name)."""
        return self.optimizer.lr

    def __repr__(self) -> str:
        return f"Scheduler({self.schedule!r}, t={self.t}, lr={self.optimizer.lr!r})"
