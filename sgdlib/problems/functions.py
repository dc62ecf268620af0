"""The two-dimensional test functions of the lessons: a quadratic bowl and five classics.

Every problem is an object with

* ``value(theta)`` and ``grad(theta)`` (also ``problem(theta)``), vectorised over points of
  shape ``(..., 2)``: a single point ``(2,)`` gives a scalar and a ``(2,)`` gradient, a contour
  grid ``(ny, nx, 2)`` gives ``(ny, nx)`` values and ``(ny, nx, 2)`` gradients;
* ``minima`` - the known local minima, shape ``(k, 2)``, the global one first - and ``min_value``;
* ``xlim``, ``ylim`` - a window that shows the interesting part, and ``start`` - a default start;
* ``log_levels`` - whether contour levels should be log-spaced (values spanning decades).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_number

__all__ = ["Problem", "Quadratic", "Rosenbrock", "Beale", "Himmelblau", "Saddle", "TwoBasins", "PROBLEMS"]


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
        # Problems with arguments (Quadratic, Rosenbrock, TwoBasins) show them in their own.
        return f"{type(self).__name__}()"

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
        return f"Quadratic(condition_number={self.condition_number!r}, angle_deg={self.angle_deg!r}, L={self.L!r})"

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
    >>> Rosenbrock(a=2)
    Rosenbrock(a=2.0, b=100.0)

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

    def __repr__(self) -> str:
        return f"Rosenbrock(a={self.a!r}, b={self.b!r})"

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
    TwoBasins(tilt=1.0, curvature=2.0)
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

    def __repr__(self) -> str:
        return f"TwoBasins(tilt={self.tilt!r}, curvature={self.curvature!r})"

    def _value(self, x, y):
        return (x * x - 1) ** 2 + self.tilt * x + 0.5 * self.curvature * y * y

    def _grad(self, x, y):
        return 4 * x * (x * x - 1) + self.tilt, self.curvature * y


#: Every problem class by name.
PROBLEMS: dict[str, type[Problem]] = {
    "quadratic": Quadratic, "rosenbrock": Rosenbrock, "beale": Beale, "himmelblau": Himmelblau,
    "saddle": Saddle, "two_basins": TwoBasins,
}
