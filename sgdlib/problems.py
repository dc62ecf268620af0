"""Two-dimensional test functions for the lessons, and a runner that optimises them.

Every problem is an object with

* ``value(theta)`` and ``grad(theta)`` (also ``problem(theta)``), vectorised over points of
  shape ``(..., 2)``: a single point ``(2,)`` gives a scalar and a ``(2,)`` gradient, a contour
  grid ``(ny, nx, 2)`` gives ``(ny, nx)`` values and ``(ny, nx, 2)`` gradients;
* ``minima`` - the known local minima, shape ``(k, 2)``, the global one first - and ``min_value``;
* ``xlim``, ``ylim`` - a window that shows the interesting part, and ``start`` - a default start;
* ``log_levels`` - whether contour levels should be log-spaced (values spanning decades).

:func:`run` runs an :mod:`sgdlib.optim` optimizer on a problem and returns a :class:`Trajectory`.
Diverging on purpose is part of the lessons, so :func:`run` stops quietly when the iterate blows
up and says so in ``Trajectory.diverged`` / ``Trajectory.message``.

Examples
--------
>>> import numpy as np
>>> from sgdlib.problems import Quadratic, run
>>> from sgdlib.optim import SGD
>>> bowl = Quadratic(condition_number=10.0)
>>> bowl.L, bowl.mu, bowl.condition_number
(1.0, 0.1, 10.0)
>>> traj = run(bowl, SGD, options={"lr": 1.0}, steps=50)
>>> traj.points.shape, traj.diverged
((51, 2), False)
>>> bool(traj.losses[-1] < 1e-2 * traj.losses[0])
True
"""

from __future__ import annotations

import inspect
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from ._checks import check_array, check_int, check_number, require_rng
from .optim.base import NonFiniteGradientError, Optimizer
from .schedules import check_schedule_covers

__all__ = [
    "Problem", "Quadratic", "Rosenbrock", "Beale", "Himmelblau", "Saddle", "TwoBasins",
    "PROBLEMS", "Trajectory", "run",
]


def _xy(theta: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Split points of shape (..., 2) into their two coordinates (as float arrays)."""
    if isinstance(theta, (str, bytes)) or theta is None:
        raise TypeError(f"theta must be an array of points of shape (..., 2), got {type(theta).__name__}")
    t = np.asarray(theta, dtype=float)
    if t.ndim == 0 or t.shape[-1] != 2:
        raise ValueError(f"theta must have shape (..., 2) (points in the plane), got shape {t.shape}")
    return t[..., 0], t[..., 1]


class Problem:
    """Base class of the 2-D test functions: subclasses write ``_value`` and ``_grad``.

    Attributes
    ----------
    name : str
        A short name for titles and legends.
    minima : ndarray, shape (k, 2)
        Known local minima; the global minimum first.
    min_value : float
        The value at the global minimum.
    xlim, ylim : tuple of float
        The plotting window.
    start : ndarray, shape (2,)
        A default starting point that shows the problem's character.
    log_levels : bool
        True when values span decades, so contour levels should be log-spaced.
    """

    name = "problem"
    log_levels = False

    def __init__(self, minima, xlim, ylim, start):
        self.minima = np.atleast_2d(np.asarray(minima, dtype=float))
        self.min_value = float(self._value(self.minima[0, 0], self.minima[0, 1]))
        self.xlim = (float(xlim[0]), float(xlim[1]))
        self.ylim = (float(ylim[0]), float(ylim[1]))
        self.start = np.asarray(start, dtype=float)

    def value(self, theta: ArrayLike) -> np.ndarray | float:
        """The function value at ``theta`` (shape ``(..., 2)``); a float for a single point."""
        v = self._value(*_xy(theta))
        return float(v) if np.ndim(v) == 0 else v

    def grad(self, theta: ArrayLike) -> np.ndarray:
        """The gradient at ``theta``: same shape as ``theta``, ``(..., 2)``."""
        x, y = _xy(theta)
        gx, gy = self._grad(x, y)
        return np.stack(np.broadcast_arrays(gx, gy), axis=-1)

    def __call__(self, theta: ArrayLike) -> np.ndarray | float:
        return self.value(theta)

    def __repr__(self) -> str:
        """The class and the constructor arguments that differ from their defaults."""
        args = [
            f"{name}={getattr(self, name)!r}"
            for name, param in inspect.signature(type(self).__init__).parameters.items()
            if name != "self" and hasattr(self, name) and getattr(self, name) != param.default
        ]
        return f"{type(self).__name__}({', '.join(args)})"

    def _value(self, x, y):  # pragma: no cover - subclasses
        raise NotImplementedError

    def _grad(self, x, y):  # pragma: no cover - subclasses
        raise NotImplementedError


class Quadratic(Problem):
    r"""A quadratic bowl :math:`f(\theta) = \tfrac12 \theta^\top H \theta` with a chosen shape.

    The Hessian :math:`H = R\,\mathrm{diag}(\mu, L)\,R^\top` has eigenvalues :math:`\mu`
    (along the direction at ``angle_deg`` from the :math:`\theta_1` axis: the long axis of
    the elliptic contours) and :math:`L` (perpendicular to it: the steep direction), so its
    condition number is :math:`\kappa = L/\mu`. The minimum is the origin.

    Parameters
    ----------
    condition_number : float, default 10
        :math:`\kappa = L/\mu \ge 1`.
    angle_deg : float, default 0
        Rotation of the bowl in degrees (0: axes aligned with the coordinates).
    L : float, default 1
        The largest eigenvalue of :math:`H` (the curvature of the steep direction).

    Examples
    --------
    >>> bowl = Quadratic(condition_number=4.0, angle_deg=45.0)
    >>> np.round(bowl.hessian, 3)
    array([[ 0.625, -0.375],
           [-0.375,  0.625]])
    >>> bowl.value([1.0, 1.0]), bowl.grad([1.0, 1.0])
    (0.25, array([0.25, 0.25]))

    References
    ----------
    Nocedal and Wright, *Numerical Optimization*, 2nd ed., Section 3.3 (2006).
    """

    name = "quadratic bowl"

    def __init__(self, condition_number: float = 10.0, angle_deg: float = 0.0, L: float = 1.0):
        self.condition_number = check_number("condition_number", condition_number, low=1.0)
        self.angle_deg = check_number("angle_deg", angle_deg)
        self.L = check_number("L", L, low=0.0, low_open=True)
        self.mu = self.L / self.condition_number
        a = math.radians(self.angle_deg)
        #: Columns: the unit eigenvector of mu (long axis), then the one of L (steep axis).
        self.eigenvectors = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
        self.eigenvalues = np.array([self.mu, self.L])
        self.hessian = self.eigenvectors @ np.diag(self.eigenvalues) @ self.eigenvectors.T
        # Start on the long axis, a little off it, so gradient descent shows the zig-zag.
        start = self.eigenvectors @ np.array([-4.0, 1.5])
        super().__init__(minima=[[0.0, 0.0]], xlim=(-5, 5), ylim=(-5, 5), start=start)
        self.name = f"quadratic bowl (kappa={self.condition_number:g}" + (
            f", rotated {self.angle_deg:g} deg)" if self.angle_deg else ")")

    def __repr__(self) -> str:
        return f"Quadratic(condition_number={self.condition_number:g}, angle_deg={self.angle_deg:g}, L={self.L:g})"

    def _value(self, x, y):
        (a, b), (_, c) = self.hessian
        return 0.5 * (a * x * x + 2 * b * x * y + c * y * y)

    def _grad(self, x, y):
        (a, b), (_, c) = self.hessian
        return a * x + b * y, b * x + c * y                  # H @ theta


class Rosenbrock(Problem):
    r"""Rosenbrock's banana valley :math:`f = (a - x)^2 + b\,(y - x^2)^2`, minimum at :math:`(a, a^2)`.

    Examples
    --------
    >>> Rosenbrock().value([1.0, 1.0]), Rosenbrock().grad([1.0, 1.0])
    (0.0, array([0., 0.]))
    >>> Rosenbrock(a=2)                 # the repr shows the arguments that are not the default
    Rosenbrock(a=2.0)

    References
    ----------
    Rosenbrock, "An automatic method for finding the greatest or least value of a function",
    The Computer Journal 3(3), 1960.
    """

    name = "Rosenbrock function"
    log_levels = True

    def __init__(self, a: float = 1.0, b: float = 100.0):
        self.a = check_number("a", a)
        self.b = check_number("b", b, low=0.0, low_open=True)
        super().__init__(minima=[[self.a, self.a**2]], xlim=(-2, 2), ylim=(-1, 3), start=(-1.2, 1.0))

    def _value(self, x, y):
        return (self.a - x) ** 2 + self.b * (y - x * x) ** 2

    def _grad(self, x, y):
        r = y - x * x
        return -2 * (self.a - x) - 4 * self.b * x * r, 2 * self.b * r


class Beale(Problem):
    r"""Beale's function :math:`\sum_{i=1}^3 (c_i - x + x y^i)^2`, :math:`c = (1.5, 2.25, 2.625)`.

    Global minimum 0 at :math:`(3, 0.5)`; flat plateaus and steep walls.

    Examples
    --------
    >>> Beale().value([3.0, 0.5])
    0.0

    References
    ----------
    Beale, "On an iterative method for finding a local minimum of a function of more than one
    variable", Technical Report 25, Princeton University, 1958.
    """

    name = "Beale function"
    log_levels = True
    _c = (1.5, 2.25, 2.625)

    def __init__(self):
        super().__init__(minima=[[3.0, 0.5]], xlim=(-4.5, 4.5), ylim=(-4.5, 4.5), start=(1.0, 1.5))

    def _value(self, x, y):
        return sum((c - x + x * y ** (i + 1)) ** 2 for i, c in enumerate(self._c))

    def _grad(self, x, y):
        gx = gy = 0.0
        for i, c in enumerate(self._c):
            k = i + 1
            r = c - x + x * y**k
            gx = gx + 2 * r * (y**k - 1)
            gy = gy + 2 * r * k * x * y ** (k - 1)
        return gx, gy


class Himmelblau(Problem):
    r"""Himmelblau's function :math:`(x^2 + y - 11)^2 + (x + y^2 - 7)^2`: four equal minima (value 0).

    Which minimum gradient descent finds depends on where it starts.

    Examples
    --------
    >>> Himmelblau().value([3.0, 2.0])
    0.0
    >>> len(Himmelblau().minima)
    4

    References
    ----------
    Himmelblau, *Applied Nonlinear Programming*, McGraw-Hill (1972).
    """

    name = "Himmelblau function"
    log_levels = True

    def __init__(self):
        # (3, 2) is exact; the other three are roots of a quartic, given to double precision.
        minima = [
            [3.0, 2.0],
            [-2.805118086952745, 3.131312518250573],
            [-3.779310253377747, -3.283185991286170],
            [3.584428340330492, -1.848126526964404],
        ]
        super().__init__(minima=minima, xlim=(-5, 5), ylim=(-5, 5), start=(0.0, 0.0))

    def _value(self, x, y):
        return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2

    def _grad(self, x, y):
        a, b = x * x + y - 11, x + y * y - 7
        return 4 * a * x + 2 * b, 2 * a + 4 * b * y


class Saddle(Problem):
    r"""A saddle between two minima: :math:`f = \tfrac12 x^2 + \tfrac14 y^4 - \tfrac12 y^2`.

    The origin is a saddle point (``saddle_point``): a minimum along :math:`x`, a maximum along
    :math:`y`. The minima are :math:`(0, \pm 1)` with value :math:`-1/4`. Started exactly on the
    :math:`x` axis (the default ``start``), plain gradient descent walks into the saddle and
    stays there; a little gradient noise pushes it off.

    Examples
    --------
    >>> s = Saddle()
    >>> s.grad(s.saddle_point), s.min_value
    (array([0., 0.]), -0.25)
    """

    name = "saddle"

    def __init__(self):
        self.saddle_point = np.zeros(2)
        super().__init__(minima=[[0.0, 1.0], [0.0, -1.0]], xlim=(-2.5, 2.5), ylim=(-2, 2),
                         start=(2.0, 0.0))

    def _value(self, x, y):
        return 0.5 * x * x + 0.25 * y**4 - 0.5 * y * y

    def _grad(self, x, y):
        return x, y**3 - y


class TwoBasins(Problem):
    r"""A shallow and a deep basin: :math:`f = (x^2 - 1)^2 + t\,x + \tfrac{c}{2} y^2`.

    A double well tilted by ``tilt`` :math:`t > 0`: the basin near :math:`x = -1` is deep (the
    global minimum), the one near :math:`x = +1` is shallow (a local minimum), separated by a
    ridge near :math:`x = 0`. The default ``start`` lies above the shallow basin, where plain
    gradient descent gets stuck; gradient noise can carry it over the ridge.

    Parameters
    ----------
    tilt : float, default 0.5
        How much deeper the left basin is; must be in (0, 1.5) so that both basins exist.
    curvature : float, default 2
        :math:`c`, the curvature along :math:`y`.

    Examples
    --------
    >>> tb = TwoBasins()
    >>> np.round(tb.minima, 4)
    array([[-1.0575,  0.    ],
           [ 0.9304,  0.    ]])
    >>> bool(tb.value(tb.minima[0]) < tb.value(tb.minima[1]))
    True
    >>> TwoBasins(tilt=1.0)
    TwoBasins(tilt=1.0)
    """

    name = "two-basin landscape"

    def __init__(self, tilt: float = 0.5, curvature: float = 2.0):
        # 4x(x^2-1) + t = 0 has three real roots only while t < 8/(3*sqrt(3)) ~ 1.54.
        self.tilt = check_number("tilt", tilt, low=0.0, high=1.5, low_open=True)
        self.curvature = check_number("curvature", curvature, low=0.0, low_open=True)
        roots = np.sort(np.roots([4.0, 0.0, -4.0, self.tilt]).real)   # left min, ridge, right min
        self.ridge = np.array([roots[1], 0.0])
        super().__init__(minima=[[roots[0], 0.0], [roots[2], 0.0]], xlim=(-2, 2), ylim=(-1.5, 1.5),
                         start=(1.7, 1.0))

    def _value(self, x, y):
        return (x * x - 1) ** 2 + self.tilt * x + 0.5 * self.curvature * y * y

    def _grad(self, x, y):
        return 4 * x * (x * x - 1) + self.tilt, self.curvature * y


#: Every problem class by name.
PROBLEMS: dict[str, type[Problem]] = {
    "quadratic": Quadratic, "rosenbrock": Rosenbrock, "beale": Beale, "himmelblau": Himmelblau,
    "saddle": Saddle, "two_basins": TwoBasins,
}


@dataclass
class Trajectory:
    """What :func:`run` returns.

    Attributes
    ----------
    points : ndarray, shape (n + 1, 2)
        The iterates :math:`\\theta_0, \\dots, \\theta_n` (fewer rows if the run diverged).
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
        with ``losses``/``step_loss``, for ``plot_loss(..., x="time")``.
    """

    points: np.ndarray
    losses: np.ndarray
    diverged: bool = False
    message: str = ""
    step_lr: np.ndarray = field(default_factory=lambda: np.empty(0))
    step_time: np.ndarray = field(default_factory=lambda: np.empty(0))

    @property
    def step_loss(self) -> np.ndarray:
        """The losses, under the name :mod:`sgdlib.plotting` looks for."""
        return self.losses

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
