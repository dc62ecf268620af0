r"""The course's figures: one colour per optimizer, contour plots, trajectories and loss curves.

Every ``plot_*`` function draws on a matplotlib ``Axes`` you pass (``ax=``) or on a new one, and
returns that ``Axes``; nothing here keeps state between calls. Every figure gets a title,
labelled axes and a legend.

The explorers (:mod:`sgdlib.explorers`) redraw one figure at every slider move with the pieces
underneath: :func:`draw_contours` and :func:`trajectory_lines` return the artists they draw,
:func:`until_floor` ends a loss curve where it reaches 0, :func:`fit_loss_axis` scales its axis.

Colours come from :data:`COLORS` (one per optimizer, the same in every lesson, from the
Okabe-Ito palette) and, for curves that are not optimizers (say, four learning rates), from
:data:`CYCLE` (Paul Tol's colour-blind-safe "muted" scheme), which shares no colour with
:data:`COLORS`, so such a curve never looks like an optimizer. Both stay distinguishable under
the common forms of colour blindness.

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
Tol, "Colour schemes", SRON technical note SRON/EPS/TN/09-002, 2021,
https://personal.sron.nl/~pault/.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, LogNorm
from matplotlib.lines import Line2D
from matplotlib.ticker import LogFormatterSciNotation, LogLocator, NullLocator
from numpy.typing import ArrayLike

from ._checks import check_int
from .optim.base import Optimizer
from .problems import Problem, Trajectory

__all__ = [
    "COLORS", "CYCLE", "MINIMUM_STYLE", "LOSS_FLOOR", "color_for", "contour_grid", "draw_contours",
    "plot_contours", "trajectory_lines", "plot_trajectory", "plot_trajectories", "plot_loss",
    "spans_decades", "until_floor", "fit_loss_axis",
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

#: Colours for curves that are not optimizers (learning rates, seeds, ...), in order: Paul Tol's
#: "muted" scheme without its wine (AdamW's), so none equals an optimizer's colour.
CYCLE: tuple[str, ...] = ("#332288", "#117733", "#CC6677", "#999933", "#AA4499", "#44AA99", "#DDCC77")

# A light background for contour fills, so that every colour above stays readable on top.
_BACKGROUND = LinearSegmentedColormap.from_list("sgdlib_background", ["#f7f7f7", "#bdbdbd"])

#: How a problem's known minima are marked: a yellow star with a black edge, above the paths.
MINIMUM_STYLE: dict[str, object] = {"marker": "*", "color": "#F0E442", "markeredgecolor": "k",
                                    "markersize": 13, "linestyle": "none", "zorder": 5}

#: Below this a loss of order 1 is 0 to machine precision (float64 keeps about 16 digits). A log
#: axis cannot show 0, so :func:`until_floor` ends a loss curve here.
LOSS_FLOOR = 1e-16

#: A log loss axis reaches this factor below the smallest and above the largest value shown.
LOG_AXIS_MARGIN = 3.0
#: A linear loss axis reaches this fraction of the values' range below and above them.
LINEAR_AXIS_MARGIN = 0.08


def optimizer_key(label: str) -> str | None:
    """The key of :data:`COLORS` a label names, or ``None``: the longest key that starts it.

    The match ignores case and needs the key to end at a word boundary, so "Adam (lr=1e-3)"
    and "adam" are Adam, "AdamW, wd=0.1" is AdamW, "SGD+momentum 0.9" is SGD+momentum, but
    "Adamax" or "GDP" are not optimizers of the course.

    Examples
    --------
    >>> optimizer_key("Adam (lr=1e-3)"), optimizer_key("sgd"), optimizer_key("lr = 0.1")
    ('Adam', 'SGD', None)
    """
    low = label.lower()
    best = None
    for key in COLORS:
        k = key.lower()
        if low.startswith(k) and (len(low) == len(k) or not low[len(k)].isalnum()):
            if best is None or len(key) > len(best):
                best = key
    return best


def color_for(name: str | type | Optimizer, index: int = 0) -> str:
    """The course colour of an optimizer, or ``CYCLE[index]`` for anything else.

    ``name`` may be a label naming an optimizer (see :func:`optimizer_key`: "Adam (lr=1e-3)"
    gets Adam's colour), an optimizer class or an optimizer instance (an ``SGD`` with momentum
    gets "SGD+momentum" or "Nesterov"). Any other label gets ``CYCLE[index % len(CYCLE)]``;
    the plotting functions number those labels among themselves, so that the non-optimizer
    curves of one figure all get different colours.

    Examples
    --------
    >>> color_for("Adam"), color_for("adam, lr=0.01")
    ('#D55E00', '#D55E00')
    >>> color_for("lr = 0.1", index=1)
    '#117733'
    """
    if not isinstance(name, str):
        obj = name
        name = obj.__name__ if isinstance(obj, type) else type(obj).__name__
        if name == "SGD" and getattr(obj, "momentum", 0):
            name = "Nesterov" if getattr(obj, "nesterov", False) else "SGD+momentum"
    key = optimizer_key(name)
    return COLORS[key] if key is not None else CYCLE[index % len(CYCLE)]


def _colors(labels: Sequence[str]) -> list[str]:
    """One colour per curve of a figure: the optimizer's, else the next unused CYCLE colour."""
    out, others = [], 0
    for label in labels:
        if optimizer_key(label) is not None:
            out.append(color_for(label))
        else:
            out.append(CYCLE[others % len(CYCLE)])
            others += 1
    return out


def spans_decades(values: ArrayLike, decades: float = 2.0) -> bool:
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


def contour_grid(problem: Problem, n: int = 150) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The problem's values on an ``n`` x ``n`` grid over its window: ``(X, Y, Z)``.

    Compute it once and pass it to :func:`plot_contours` (``grid=``) when you redraw often.

    Examples
    --------
    >>> from sgdlib.problems import Himmelblau
    >>> X, Y, Z = contour_grid(Himmelblau(), n=50)
    >>> X.shape, Z.shape
    ((50, 50), (50, 50))
    """
    _check_problem(problem)
    n = check_int("n", n, low=2)
    X, Y = np.meshgrid(np.linspace(*problem.xlim, n), np.linspace(*problem.ylim, n))
    return X, Y, problem.value(np.stack([X, Y], axis=-1))


def _check_problem(problem: object) -> None:
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be an sgdlib.problems.Problem (e.g. Quadratic()), got {type(problem).__name__}")


def draw_contours(
    problem: Problem,
    ax: Axes,
    *,
    levels: int = 20,
    log: bool | None = None,
    grid: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> list[Artist]:
    """Filled contours of a 2-D problem with thin lines between the levels, and nothing else.

    The contours of :func:`plot_contours`, without its minima, limits, labels, title and legend.
    ``levels``, ``log`` and ``grid`` are as there. Returns the two contour sets (filled, lines),
    so that an explorer can ``remove()`` them when the problem changes.
    """
    _check_problem(problem)
    levels = check_int("levels", levels, low=2)
    X, Y, Z = contour_grid(problem) if grid is None else grid
    log = problem.log_levels if log is None else log
    if log:
        # Shift so the lowest value is a small positive number: log levels need Z > 0.
        gap = Z - problem.min_value
        floor = max(float(np.nanmax(gap)) * 1e-6, 1e-12)
        lv = np.geomspace(max(float(np.nanmin(gap)), floor), float(np.nanmax(gap)), levels)
        filled = ax.contourf(X, Y, gap + floor, levels=lv, cmap=_BACKGROUND, norm=LogNorm(), extend="both")
        lines = ax.contour(X, Y, gap + floor, levels=lv, colors="#969696", linewidths=0.5)
    else:
        lv = np.linspace(float(np.nanmin(Z)), float(np.nanmax(Z)), levels)
        filled = ax.contourf(X, Y, Z, levels=lv, cmap=_BACKGROUND)
        lines = ax.contour(X, Y, Z, levels=lv, colors="#969696", linewidths=0.5)
    return [filled, lines]


def plot_contours(
    problem: Problem,
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
        Number of contour levels, >= 2.
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
    _check_problem(problem)
    levels = check_int("levels", levels, low=2)
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 4.5))
    draw_contours(problem, ax, levels=levels, log=log, grid=grid)
    if mark_minima:
        m = problem.minima
        ax.plot(m[:, 0], m[:, 1], label="minimum" if len(m) == 1 else "minima", **MINIMUM_STYLE)
    ax.set_xlim(problem.xlim)
    ax.set_ylim(problem.ylim)
    ax.set_aspect("equal")
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_title(problem.name if title is None else title)
    ax.legend(loc="upper right", fontsize="small")
    return ax


def _points(traj: Trajectory | ArrayLike) -> np.ndarray:
    pts = np.asarray(getattr(traj, "points", traj), dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise ValueError(f"a trajectory must have shape (n, 2), got {pts.shape}")
    if len(pts) == 0:
        raise ValueError("a trajectory must have at least one point (its start), got none")
    return pts


def trajectory_lines(ax: Axes, points: ArrayLike, *, color: str, label: str,
                     start_label: str = "_nolegend_") -> tuple[Line2D, Line2D]:
    """Draw a path on ``ax`` and return its two lines: the path and its start.

    The iterates (``points``, shape ``(n, 2)``, possibly empty) are dots joined by lines; the
    start is a larger hollow circle on top. An explorer moves both with ``set_data`` at every
    slider move. ``start_label`` names the start in a legend (by default it has no entry).
    """
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    (path,) = ax.plot(pts[:, 0], pts[:, 1], "-o", color=color, markersize=3, linewidth=1.5,
                      label=label, zorder=3)
    (start,) = ax.plot(pts[:1, 0], pts[:1, 1], "o", color=color, markerfacecolor="white",
                       markersize=8, label=start_label, zorder=4)
    return path, start


def plot_trajectory(ax: Axes, trajectory: Trajectory | ArrayLike, *, label: str,
                    color: str | None = None, index: int = 0) -> Axes:
    """Draw one trajectory (array ``(n, 2)`` or a :class:`~sgdlib.problems.Trajectory`) on ``ax``.

    The iterates are dots joined by lines; the start is a larger hollow circle. ``color`` defaults
    to :func:`color_for` ``(label, index)``.
    """
    pts = _points(trajectory)
    color = color_for(label, index) if color is None else color
    trajectory_lines(ax, pts, color=color, label=label)
    ax.legend(loc="upper right", fontsize="small")
    return ax


def plot_trajectories(
    problem: Problem,
    trajectories: Mapping[str, Trajectory | ArrayLike],
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
    _check_problem(problem)
    if not isinstance(trajectories, Mapping):
        raise TypeError(f"trajectories must be a dict label -> trajectory, got {type(trajectories).__name__}")
    points = {str(label): _points(traj) for label, traj in trajectories.items()}   # check all first
    title = f"Optimizer paths on the {problem.name}" if title is None else title
    ax = plot_contours(problem, ax, grid=grid, title=title)
    for (label, pts), color in zip(points.items(), _colors(list(points))):
        plot_trajectory(ax, pts, label=label, color=color)
    return ax


_X_LABELS = {"step": "step", "time": "wall-clock time (s)", "epoch": "epoch"}


def _curve(obj: object, x: str) -> tuple[np.ndarray, np.ndarray]:
    """(x values, losses) of one curve: an array, an (x, loss) pair, a Trajectory or a History."""
    if isinstance(obj, tuple) and len(obj) == 2:
        xs, loss = (np.asarray(a, dtype=float) for a in obj)
        if xs.shape != loss.shape:
            raise ValueError(f"an (x, loss) pair needs equal shapes, got {xs.shape} and {loss.shape}")
        return xs, loss
    if isinstance(obj, Trajectory):            # one loss per iterate, theta_0 included
        loss = np.asarray(obj.losses, dtype=float)
        if x == "epoch":
            raise ValueError("x='epoch' needs curves with a .epoch_train_loss attribute (a training History), "
                             "got a Trajectory: plot it against x='step' or x='time'")
        xs = np.asarray(obj.step_time, dtype=float) if x == "time" else np.arange(len(loss))
        if xs.shape != loss.shape:
            raise ValueError(f"the Trajectory's step_time has shape {xs.shape} but its losses have {loss.shape}")
        return xs, loss
    if x == "epoch":
        if hasattr(obj, "epoch_train_loss"):
            loss = np.asarray(obj.epoch_train_loss, dtype=float)
        elif hasattr(obj, "step_loss"):
            raise ValueError("x='epoch' needs curves with a .epoch_train_loss attribute (a training History), "
                             f"got {type(obj).__name__}")
        else:
            loss = _losses(obj)                      # a plain array: one loss per epoch
        return np.arange(1, len(loss) + 1), loss      # epochs counted from 1, as train() does
    if hasattr(obj, "step_loss"):
        loss = np.asarray(obj.step_loss, dtype=float)
        if x == "time":
            if not hasattr(obj, "step_time"):
                raise ValueError("x='time' needs curves with a .step_time attribute or (time, loss) pairs")
            xs = np.asarray(obj.step_time, dtype=float)
            if xs.shape != loss.shape:
                raise ValueError(f"step_time has shape {xs.shape} but step_loss has {loss.shape}")
            return xs, loss
        return np.arange(len(loss)), loss
    if x == "time":
        raise ValueError("x='time' needs curves with a .step_time attribute or (time, loss) pairs")
    loss = _losses(obj)
    return np.arange(len(loss)), loss


def _losses(obj: object) -> np.ndarray:
    loss = np.asarray(obj, dtype=float)
    if loss.ndim != 1:
        raise ValueError(f"a loss curve must be 1-D, got shape {loss.shape}")
    return loss


def plot_loss(
    curves: Mapping[str, object],
    ax: Axes | None = None,
    *,
    x: str = "step",
    log: bool | None = None,
    title: str | None = None,
    ylabel: str = "loss",
) -> Axes:
    """Loss curves against steps, wall-clock time or epochs.

    Parameters
    ----------
    curves : dict label -> curve
        At least one curve. A curve is a 1-D array of losses (one per step, or per epoch for
        ``x="epoch"``), an ``(x, losses)`` pair, a :class:`sgdlib.problems.Trajectory` (its
        ``losses``, against steps or its ``step_time``), or a :class:`sgdlib.train.History`
        (any object with ``.step_loss``; ``.step_time``, seconds since the start, for
        ``x="time"``; ``.epoch_train_loss`` for ``x="epoch"``).
        Labels naming an optimizer get its course colour (see :func:`color_for`); the other
        curves get distinct colours that no optimizer uses.
    ax : Axes, optional
    x : {"step", "time", "epoch"}
        What the horizontal axis shows; epochs are counted from 1 (the mean training loss of
        each epoch, as recorded by :func:`sgdlib.train.train`).
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
    >>> plot_loss({"batch 32": [2.0, 1.0, 0.7]}, x="epoch").get_xlabel()
    'epoch'
    >>> plt.close("all")
    """
    if not isinstance(curves, Mapping):
        raise TypeError(f"curves must be a dict label -> losses, got {type(curves).__name__}")
    if not curves:
        raise ValueError("curves is empty: give at least one curve, e.g. plot_loss({'SGD': losses})")
    if x not in _X_LABELS:
        raise ValueError(f"x must be 'step', 'time' or 'epoch', got {x!r}")
    data = {str(label): _curve(obj, x) for label, obj in curves.items()}   # check all first
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.8))
    for (label, (xs, loss)), color in zip(data.items(), _colors(list(data))):
        ax.plot(xs, loss, color=color, label=label, linewidth=1.8)
    if log is None:
        log = spans_decades(np.concatenate([loss for _, loss in data.values()]))
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(_X_LABELS[x])
    ax.set_ylabel(ylabel + (" (log scale)" if log else ""))
    ax.set_title(title if title is not None else f"Loss against {x if x == 'time' else x + 's'}")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def until_floor(values: ArrayLike, floor: float = LOSS_FLOOR) -> tuple[np.ndarray, int | None]:
    """``values`` as a curve a log axis can show: it ends at the first value below ``floor``.

    That value is drawn at ``floor`` and the later ones are NaN (not drawn): a log axis cannot
    show 0, and a plateau at ``floor`` would hide what else is drawn there (a bound). Also
    returns the index of that value (``None`` if none), where a marker can say "0 from here".

    Examples
    --------
    >>> curve, k = until_floor([1.0, 1e-3, 0.0, 0.0])
    >>> curve.tolist(), k
    ([1.0, 0.001, 1e-16, nan], 2)
    >>> until_floor([3.0, 2.0])[1] is None
    True
    """
    y = np.array(values, dtype=float)              # a copy: the caller's losses stay as they are
    below = np.flatnonzero(y < floor)
    if below.size == 0:
        return y, None
    k = int(below[0])
    y[k] = floor
    y[k + 1:] = np.nan
    return y, k


def fit_loss_axis(ax: Axes, values: ArrayLike, *, label: str = "loss", decades: float = 1.0) -> bool:
    """Fit the y axis of ``ax`` to the positive finite ``values``; return whether it is log.

    Log (a tick at each power of ten, no minor ticks) when the values span ``decades`` powers of
    ten or more, else linear: a log axis over less than a decade shows a single tick label. The
    axis is labelled ``label``, with " (log scale)" added on a log axis.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plt.figure().add_subplot()
    >>> fit_loss_axis(ax, [10.0, 1e-3, 0.0]), ax.get_ylabel()
    (True, 'loss (log scale)')
    >>> fit_loss_axis(ax, [3.0, 2.0]), ax.get_yscale()
    (False, 'linear')
    >>> plt.close("all")
    """
    v = np.asarray(values, dtype=float).ravel()
    v = v[np.isfinite(v) & (v > 0)]
    log = spans_decades(v, decades)
    if log:
        if ax.get_yscale() != "log":             # switching the scale resets the tickers
            ax.set_yscale("log")
            ax.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
            ax.yaxis.set_major_formatter(LogFormatterSciNotation())
            ax.yaxis.set_minor_locator(NullLocator())
        ax.set_ylim(v.min() / LOG_AXIS_MARGIN, v.max() * LOG_AXIS_MARGIN)
    else:
        if ax.get_yscale() != "linear":
            ax.set_yscale("linear")
        lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 1.0)
        pad = LINEAR_AXIS_MARGIN * ((hi - lo) if hi > lo else hi)
        ax.set_ylim(max(lo - pad, 0.0), hi + pad)
    ax.set_ylabel(f"{label} (log scale)" if log else label)
    return log
