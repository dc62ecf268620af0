"""Run an optimizer on a 2-D test function and record its path: :func:`run` and :class:`Trajectory`.

Diverging on purpose is part of the lessons, so :func:`run` stops quietly when the iterate blows
up and says so in ``Trajectory.diverged`` / ``Trajectory.message``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_array, check_int, check_number, require_rng
from ..optim.base import NonFiniteGradientError, Optimizer
from ..schedules import check_schedule_covers
from .functions import Problem

__all__ = ["Trajectory", "run"]


@dataclass
class Trajectory:
    r"""What :func:`run` returns.

    Attributes
    ----------
    points : ndarray, shape (n + 1, 2)
        The iterates :math:`\theta_0, \dots, \theta_n` (fewer rows if the run diverged).
    losses : ndarray, shape (n + 1,)
        The (noise-free) function value at each iterate.
    diverged : bool
        True when the run stopped early because the iterate blew up.
    message : str
        Empty, or why the run stopped early (with a hint).
    step_lr : ndarray, shape (n,)
        The learning rate of each step (from the schedule, if any), like
        :attr:`sgdlib.train.History.step_lr`; one entry per step, so one fewer than ``points``.
    step_time : ndarray, shape (n + 1,)
        Seconds since the start of the run at each iterate (0 for :math:`\theta_0`), aligned
        with ``losses``, for ``plot_loss(..., x="time")``.
    """

    points: np.ndarray
    losses: np.ndarray
    diverged: bool = False
    message: str = ""
    step_lr: np.ndarray = field(default_factory=lambda: np.empty(0))
    step_time: np.ndarray = field(default_factory=lambda: np.empty(0))

    def __len__(self) -> int:
        return len(self.points)


def run(
    problem: Problem,
    optimizer: type[Optimizer] | Callable[..., Optimizer],
    *,
    options: Mapping[str, object] | None = None,
    steps: int = 50,
    start: ArrayLike | None = None,
    noise_std: float = 0.0,
    rng: np.random.Generator | int | None = None,
    schedule: Callable[[int], float] | None = None,
    max_norm: float = 1e6,
) -> Trajectory:
    r"""Run an optimizer from ``start`` for ``steps`` steps on a 2-D problem.

    At each step :math:`t` the optimizer receives the gradient
    :math:`g_t = \nabla f(\theta_t) + \sigma \xi_t` with :math:`\xi_t \sim N(0, I)` (only when
    ``noise_std`` :math:`\sigma > 0`), then updates :math:`\theta`.

    Parameters
    ----------
    problem : Problem
        The function to minimise.
    optimizer : class or callable
        Called as ``optimizer([theta], **options)`` and must return an :mod:`sgdlib.optim`
        optimizer: an optimizer class with ``options`` (``run(p, SGD, options={"lr": 0.1})``)
        or a factory (``run(p, lambda params: SGD(params, lr=0.1))``).
    options : dict, optional
        Keyword arguments for ``optimizer`` (e.g. ``{"lr": 0.1, "momentum": 0.9}``).
    steps : int, default 50
        Number of optimizer steps :math:`n`.
    start : array of shape (2,), optional
        :math:`\theta_0`; default ``problem.start``.
    noise_std : float, default 0
        :math:`\sigma`, the standard deviation of Gaussian noise added to each gradient.
    rng : numpy.random.Generator or int, optional
        Source of the noise; required when ``noise_std > 0`` (for reproducible runs).
    schedule : callable, optional
        ``schedule(t)`` gives the learning rate of step ``t`` (0-based); it is set as
        ``opt.lr`` before the step. It must be defined for all ``steps`` steps (checked first).
    max_norm : float, default 1e6
        The run stops as diverged when :math:`\|\theta\|` exceeds this, or anything becomes
        NaN/inf.

    Returns
    -------
    Trajectory
        ``points`` (n + 1, 2), ``losses`` (n + 1,), ``diverged``, ``message``, and the
        ``step_lr`` (n,) and ``step_time`` (n + 1,) of the run.

    Examples
    --------
    >>> from sgdlib.optim import SGD
    >>> from sgdlib.problems import Quadratic
    >>> bowl = Quadratic(condition_number=10.0)
    >>> traj = run(bowl, SGD, options={"lr": 2.5}, steps=100)    # lr > 2/L = 2
    >>> traj.diverged, len(traj) < 101
    (True, True)
    >>> traj.message
    'diverged at step 34 (|theta| > 1e+06); try a smaller learning rate'
    """
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be an sgdlib.problems.Problem, got {type(problem).__name__}")
    if not callable(optimizer):
        raise TypeError(f"optimizer must be an optimizer class or a factory, got {type(optimizer).__name__}")
    if options is not None and not isinstance(options, Mapping):
        raise TypeError(f"options must be a dict of optimizer arguments, got {type(options).__name__}")
    steps = check_int("steps", steps, low=0)
    noise_std = check_number("noise_std", noise_std, low=0.0)
    max_norm = check_number("max_norm", max_norm, low=0.0, low_open=True)
    if noise_std > 0:
        rng = require_rng("rng", rng, when="noise_std > 0")
    theta0 = problem.start if start is None else start
    theta = check_array("start", theta0, ndim=1).astype(float)   # a fresh copy, updated in place
    if theta.shape != (2,):
        raise ValueError(f"start must have shape (2,), got {theta.shape}")

    if schedule is not None:
        if not callable(schedule):
            raise TypeError(f"schedule must be a callable step -> lr, got {type(schedule).__name__}")
        check_schedule_covers(schedule, steps)

    opt = optimizer([theta], **dict(options or {}))
    if not isinstance(opt, Optimizer):
        raise TypeError(
            f"optimizer must be an sgdlib.optim optimizer class or a factory returning one, but "
            f"optimizer([theta]) returned {type(opt).__name__}; e.g. run(p, SGD, options={{'lr': 0.1}})"
        )
    points = np.empty((steps + 1, 2))
    losses = np.empty(steps + 1)
    step_lr = np.empty(steps)
    step_time = np.zeros(steps + 1)
    points[0], losses[0] = theta, problem.value(theta)
    message = ""
    n = steps
    start_time = time.perf_counter()
    # A diverging run overflows on purpose: its end is detected below, without warnings.
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps):
            g = problem.grad(theta)
            if noise_std > 0:
                g = g + noise_std * rng.standard_normal(2)
            if schedule is not None:
                opt.lr = schedule(t)
            step_lr[t] = opt.lr
            try:
                opt.step([g])        # refuses a NaN/inf gradient before it changes anything
                diverged = not (np.isfinite(theta).all() and np.hypot(*theta) <= max_norm)
            except NonFiniteGradientError:
                diverged = True
            if diverged:
                n = t
                message = f"diverged at step {t + 1} (|theta| > {max_norm:g}); try a smaller learning rate"
                break
            points[t + 1], losses[t + 1] = theta, problem.value(theta)
            step_time[t + 1] = time.perf_counter() - start_time
    return Trajectory(points[: n + 1].copy(), losses[: n + 1].copy(), diverged=bool(message),
                      message=message, step_lr=step_lr[:n].copy(), step_time=step_time[: n + 1].copy())
