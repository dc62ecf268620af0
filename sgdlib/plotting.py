r"""The course's figures: one colour per optimizer, contour plots, trajectories and loss curves.

Every function draws on a matplotlib ``Axes`` you pass (``ax=``) or on a new one, and returns
that ``Axes``; nothing here keeps state between calls. Every figure gets a title, labelled axes
and a legend.

Colours come from :data:`COLORS` (one per optimizer, the same in every lesson) and, for curves
that are not optimizers (say, four learning rates), from :data:`CYCLE`. Both use the
Okabe-Ito palette, which stays distinguishable under the common forms of colour blindness.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> from sgdlib.problems import Quadratic, run
>>> from sgdlib.optim import SGD
>>> bowl = Quadratic(condition_number=10.0)
>>> traj = run(bowl, SGD, options={"lr": 1.0}, steps=30)
>>> ax = plot_trajectories(bowl, {"SGD": traj})
>>> ax.get_title(), ax.get_xlabel()
('Optimizer paths on the quadratic bowl (kappa=10)', '$\\theta_1$')
>>> plt.close("all")

References
----------
Okabe and Ito, "Color Universal Design (CUD): how to make figures and presentations that are
friendly to colorblind people", 2008, https://jfly.uni-koeln.de/color/.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, LogNorm

from ._checks import check_int

__all__ = [
    "COLORS", "CYCLE", "color_for", "contour_grid", "plot_contours", "plot_trajectory",
    "plot_trajectories", "plot_loss", "spans_decades",
]

#: One colour per optimizer, used in every lesson (Okabe-Ito palette; AdamW gets a wine red).
COLORS: dict[str, str] = {
    "GD": "#0072B2",            # blue: plain (full-batch) gradient descent is SGD's colour
    "SGD": "#0072B2",           # blue
    "SGD+momentum": "#56B4E9",  # sky blue
    "Nesterov": "#009E73",      # bluish green
    "Adagrad": "#E69F00",       # orange
    "RMSprop": "#CC79A7",       # reddish purple
    "Adadelta": "#000000",      # black
    "Adam": "#D55E00",          # vermillion
    "AdamW": "#882255",         # wine
}

#: Colours for curves that are not optimizers (learning rates, seeds, ...), in order.
CYCLE: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")

# A light background for contour fills, so that every colour above stays readable on top.
_BACKGROUND = LinearSegmentedColormap.from_list("sgdlib_background", ["#f7f7f7", "#bdbdbd"])


def color_for(name, index: int = 0) -> str:
    """The course colour of an optimizer, or ``CYCLE[index]`` for anything else.

    ``name`` may be a key of :data:`COLORS`, an optimizer class or an optimizer instance (an
    ``SGD`` with momentum gets "SGD+momentum" or "Nesterov").

    Examples
    --------
    >>> color_for("Adam")
    '#D55E00'
    >>> color_for("lr = 0.1", index=1)
    '#E69F00'
    """
    if not isinstance(name, str):
        obj = name
        name = obj.__name__ if isinstance(obj, type) else type(obj).__name__
        if name == "SGD" and getattr(obj, "momentum", 0):
            name = "Nesterov" if getattr(obj, "nesterov", False) else "SGD+momentum"
    return COLORS.get(name, CYCLE[index % len(CYCLE)])


def spans_decades(values, decades: float = 2.0) -> bool:
    """True when the positive ``values`` span at least ``decades`` powers of ten (log scale helps).

    Examples
    --------
    >>> spans_decades([100.0, 1.0, 0.01]), spans_decades([3.0, 2.0]), spans_decades([1.0, -1.0])
    (True, False, False)
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0 or (v <= 0).any():
        return False
    return bool(np.log10(v.max() / v.min()) >= decades)


def contour_grid(problem, n: int = 150) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The problem's values on an ``n`` x ``n`` grid over its window: ``(X, Y, Z)``.

    Compute it once and pass it to :func:`plot_contours` (``grid=``) when you redraw often.

    Examples
    --------
    >>> from sgdlib.problems import Himmelblau
    >>> X, Y, Z = contour_grid(Himmelblau(), n=50)
    >>> X.shape, Z.shape
    ((50, 50), (50, 50))
    """
    n = check_int("n", n, low=2)
    X, Y = np.meshgrid(np.linspace(*problem.xlim, n), np.linspace(*problem.ylim, n))
    return X, Y, problem.value(np.stack([X, Y], axis=-1))


def plot_contours(
    problem,
    ax: Axes | None = None,
    *,
    levels: int = 20,
    log: bool | None = None,
    grid: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    mark_minima: bool = True,
    title: str | None = None,
) -> Axes:
    """Filled contours of a 2-D problem over its window, with its minima marked.

    Parameters
    ----------
    problem : sgdlib.problems.Problem
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    levels : int, default 20
        Number of contour levels.
    log : bool, optional
        Log-spaced levels (for values spanning decades); default ``problem.log_levels``.
    grid : (X, Y, Z), optional
        A precomputed :func:`contour_grid`.
    mark_minima : bool, default True
        Mark ``problem.minima`` with stars (labelled "minimum" in the legend).
    title : str, optional
        Default: the problem's name.

    Returns
    -------
    Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 4.5))
    X, Y, Z = contour_grid(problem) if grid is None else grid
    log = problem.log_levels if log is None else log
    if log:
        # Shift so the lowest value is a small positive number: log levels need Z > 0.
        gap = Z - problem.min_value
        floor = max(float(np.nanmax(gap)) * 1e-6, 1e-12)
        lv = np.geomspace(max(float(np.nanmin(gap)), floor), float(np.nanmax(gap)), levels)
        ax.contourf(X, Y, gap + floor, levels=lv, cmap=_BACKGROUND, norm=LogNorm(), extend="both")
        ax.contour(X, Y, gap + floor, levels=lv, colors="#969696", linewidths=0.5)
    else:
        lv = np.linspace(float(np.nanmin(Z)), float(np.nanmax(Z)), levels)
        ax.contourf(X, Y, Z, levels=lv, cmap=_BACKGROUND)
        ax.contour(X, Y, Z, levels=lv, colors="#969696", linewidths=0.5)
    if mark_minima:
        m = problem.minima
        ax.plot(m[:, 0], m[:, 1], "*", color="#F0E442", markeredgecolor="k", markersize=13,
                linestyle="none", label="minimum" if len(m) == 1 else "minima", zorder=5)
    ax.set_xlim(problem.xlim)
    ax.set_ylim(problem.ylim)
    ax.set_aspect("equal")
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_title(problem.name if title is None else title)
    ax.legend(loc="upper right", fontsize="small")
    return ax


def _points(traj) -> np.ndarray:
    pts = np.asarray(getattr(traj, "points", traj), dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise ValueError(f"a trajectory must have shape (n, 2), got {pts.shape}")
    return pts


def plot_trajectory(ax: Axes, trajectory, *, label: str, color: str | None = None,
                    index: int = 0) -> Axes:
    """Draw one trajectory (array ``(n, 2)`` or a :class:`~sgdlib.problems.Trajectory`) on ``ax``.

    The iterates are dots joined by lines; the start is a larger hollow circle. ``color`` defaults
    to :func:`color_for` ``(label, index)``.
    """
    pts = _points(trajectory)
    color = color_for(label, index) if color is None else color
    ax.plot(pts[:, 0], pts[:, 1], "-o", color=color, markersize=3, linewidth=1.5, label=label, zorder=3)
    ax.plot(pts[0, 0], pts[0, 1], "o", color=color, markerfacecolor="white", markersize=8, zorder=4)
    ax.legend(loc="upper right", fontsize="small")
    return ax


def plot_trajectories(
    problem,
    trajectories: Mapping[str, object],
    ax: Axes | None = None,
    *,
    title: str | None = None,
    grid: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> Axes:
    """Contours of ``problem`` with several labelled trajectories on top.

    Parameters
    ----------
    problem : sgdlib.problems.Problem
    trajectories : dict label -> array (n, 2) or Trajectory
        Labels that are optimizer names (keys of :data:`COLORS`) get the course colour.
    ax : Axes, optional
    title : str, optional
        Default: "Optimizer paths on the <problem name>".
    grid : (X, Y, Z), optional
        A precomputed :func:`contour_grid`.
    """
    if not isinstance(trajectories, Mapping):
        raise TypeError(f"trajectories must be a dict label -> trajectory, got {type(trajectories).__name__}")
    title = f"Optimizer paths on the {problem.name}" if title is None else title
    ax = plot_contours(problem, ax, grid=grid, title=title)
    for i, (label, traj) in enumerate(trajectories.items()):
        plot_trajectory(ax, traj, label=str(label), index=i)
    return ax


def _curve(obj, x: str) -> tuple[np.ndarray, np.ndarray]:
    """(x values, losses) of one curve given as an array, an (x, loss) pair or a History."""
    if hasattr(obj, "step_loss"):
        loss = np.asarray(obj.step_loss, dtype=float)
        if x == "time":
            if not hasattr(obj, "step_time"):
                raise ValueError("x='time' needs curves with a .step_time attribute or (time, loss) pairs")
            return np.asarray(obj.step_time, dtype=float), loss
        return np.arange(len(loss)), loss
    if isinstance(obj, tuple) and len(obj) == 2:
        xs, loss = (np.asarray(a, dtype=float) for a in obj)
        if xs.shape != loss.shape:
            raise ValueError(f"an (x, loss) pair needs equal shapes, got {xs.shape} and {loss.shape}")
        return xs, loss
    if x == "time":
        raise ValueError("x='time' needs curves with a .step_time attribute or (time, loss) pairs")
    loss = np.asarray(obj, dtype=float)
    if loss.ndim != 1:
        raise ValueError(f"a loss curve must be 1-D, got shape {loss.shape}")
    return np.arange(len(loss)), loss


def plot_loss(
    curves: Mapping[str, object],
    ax: Axes | None = None,
    *,
    x: str = "step",
    log: bool | None = None,
    title: str | None = None,
    ylabel: str = "loss",
) -> Axes:
    """Loss curves against steps or wall-clock time.

    Parameters
    ----------
    curves : dict label -> curve
        A curve is a 1-D array of losses (one per step), an ``(x, losses)`` pair, or an object
        with ``.step_loss`` (and ``.step_time``, seconds since the start, for ``x="time"``),
        like :class:`sgdlib.problems.Trajectory` or a training history.
    ax : Axes, optional
    x : {"step", "time"}
        What the horizontal axis shows.
    log : bool, optional
        Log-scale the loss axis; default: when the losses are positive and span two decades.
    title : str, optional
    ylabel : str, default "loss"

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_loss({"SGD": [1.0, 0.1, 0.01, 0.001]})
    >>> ax.get_yscale(), ax.get_xlabel()
    ('log', 'step')
    >>> plt.close("all")
    """
    if not isinstance(curves, Mapping):
        raise TypeError(f"curves must be a dict label -> losses, got {type(curves).__name__}")
    if x not in ("step", "time"):
        raise ValueError(f"x must be 'step' or 'time', got {x!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.8))
    all_losses = []
    for i, (label, obj) in enumerate(curves.items()):
        xs, loss = _curve(obj, x)
        ax.plot(xs, loss, color=color_for(str(label), i), label=str(label), linewidth=1.8)
        all_losses.append(loss)
    if log is None:
        log = bool(all_losses) and spans_decades(np.concatenate(all_losses))
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("step" if x == "step" else "wall-clock time (s)")
    ax.set_ylabel(ylabel + (" (log scale)" if log else ""))
    ax.set_title(title if title is not None else f"Loss against {'steps' if x == 'step' else 'time'}")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small")
    return ax
