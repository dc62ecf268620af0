"""Schedules in a training loop: :class:`Scheduler` sets an optimizer's learning rate step by
step, and :func:`check_schedule_covers` checks a schedule lasts the whole run before it starts."""

from __future__ import annotations

from collections.abc import Callable

from .._checks import check_int, check_number
from ..optim.base import Optimizer
from .base import Schedule

__all__ = ["Scheduler", "check_schedule_covers"]


def check_schedule_covers(schedule: Callable[[int], float], n_steps: int, *, what: str = "the run") -> None:
    """Check, before a run starts, that ``schedule`` is defined at its last step ``n_steps - 1``.

    A schedule shorter than the run (``OneCycle(total_steps=58)`` for 87 steps) would otherwise
    fail in the middle of training; this evaluates it once at the last step and, if that fails
    or gives something that is not a learning rate >= 0, raises a ``ValueError`` naming the
    schedule and the length of the run.

    Examples
    --------
    >>> from sgdlib.schedules import OneCycle
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
    >>> from sgdlib.schedules import StepDecay
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
        # Checked here, so that a schedule giving a bad lr fails at the step that gave it.
        optimizer.lr = check_number("lr", schedule(0), low=0.0)

    def step(self) -> None:
        """Advance one step and set ``optimizer.lr = schedule(t)``."""
        self.t += 1
        self.optimizer.lr = check_number("lr", self.schedule(self.t), low=0.0)

    def get_last_lr(self) -> float:
        """The learning rate the optimizer uses now (torch's name)."""
        return self.optimizer.lr

    def __repr__(self) -> str:
        return f"Scheduler({self.schedule!r}, t={self.t}, lr={self.optimizer.lr!r})"
