r"""Optimizer paths as an animation that plays in a saved notebook: :func:`animate_paths`.

Matplotlib's :class:`~matplotlib.animation.FuncAnimation` draws the frames; its ``to_jshtml()``
embeds them as PNG images in one piece of HTML with play, pause and step buttons, so the animation
plays wherever the notebook is opened (JupyterLab, a static HTML page, GitHub's viewer may not run
its JavaScript). Every frame is a whole image, so keep them few and small: :func:`animation_html`
stores them as JPEG, which makes 30 frames of a 480 x 300 pixel figure with filled contours about
0.8 MB (2.3 MB as PNG).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from sgdlib.problems import Quadratic, run
>>> from sgdlib.optim import SGD
>>> bowl = Quadratic(condition_number=10.0)
>>> paths = {"GD": run(bowl, SGD, options={"lr": 0.5}, steps=20)}
>>> anim = animate_paths(bowl, paths, frames=5)
>>> html = animation_html(anim)
>>> "<img" in html and html.count("data:image/jpeg;base64") >= 5
True
>>> import matplotlib.pyplot as plt; plt.close("all")
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation

from ._checks import check_int
from .plotting import color_for, plot_contours, trajectory_lines
from .problems import Problem, Trajectory

__all__ = ["animate_paths", "animation_html"]


def animate_paths(
    problem: Problem,
    trajectories: Mapping[str, Trajectory],
    *,
    frames: int = 30,
    size_px: tuple[int, int] = (480, 300),
    dpi: int = 72,
    interval_ms: int = 120,
    title: str = "",
    levels: int = 12,
) -> FuncAnimation:
    """The paths of ``trajectories`` (label -> :class:`~sgdlib.problems.Trajectory`) growing on the contours.

    Frame ``k`` of ``frames`` shows each path up to step ``round(k * n / (frames - 1))``, ``n``
    the longest run's steps (a run that diverged stops where it stopped). Colours follow
    :func:`sgdlib.plotting.color_for` (one per optimizer across the course).

    Parameters
    ----------
    problem : Problem
    trajectories : dict of str to Trajectory
    frames : int, default 30
    size_px : (int, int), default (480, 300)
        Width and height of each frame in pixels.
    dpi : int, default 72
    interval_ms : int, default 120
        Time between frames when played.
    title : str, optional
        Drawn above the frames, followed by the step shown.
    levels : int, default 12
        Contour levels (filled contours are most of the drawing time of a frame).

    Returns
    -------
    matplotlib.animation.FuncAnimation
        Show it with ``IPython.display.HTML(animation_html(anim))``. Its figure is closed
        (not shown a second time by the notebook).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sgdlib.problems import Quadratic, run
    >>> from sgdlib.optim import SGD
    >>> bowl = Quadratic()
    >>> anim = animate_paths(bowl, {"GD": run(bowl, SGD, options={"lr": 0.5}, steps=10)}, frames=3)
    >>> [len(line.get_xdata()) for line in anim._func(1)[:-1]]      # frame 1 of 3: steps 0 to 5
    [6]
    >>> "<img" in animation_html(anim)
    True
    """
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be an sgdlib.problems.Problem, got {type(problem).__name__}")
    if not isinstance(trajectories, Mapping) or not trajectories:
        raise ValueError("trajectories must be a non-empty dict of label -> Trajectory")
    frames = check_int("frames", frames, low=2)
    dpi = check_int("dpi", dpi, low=10)
    interval_ms = check_int("interval_ms", interval_ms, low=1)
    if isinstance(size_px, (str, bytes)) or not hasattr(size_px, "__len__") or len(size_px) != 2:
        raise TypeError(f"size_px must be a pair (width, height) of pixels, got {size_px!r}")
    width, height = (check_int("size_px[0]", size_px[0], low=50), check_int("size_px[1]", size_px[1], low=50))
    levels = check_int("levels", levels, low=2)
    fig, ax = plt.subplots(figsize=(width / dpi, height / dpi), dpi=dpi, layout="constrained")
    plt.close(fig)                  # the animation's HTML shows it; the notebook must not show it again
    plot_contours(problem, ax, levels=levels, title="")
    ax.set_aspect("auto")           # fill the frame (plot_contours draws at equal aspect)
    lines = {}
    for k, (label, traj) in enumerate(trajectories.items()):
        lines[label], _ = trajectory_lines(ax, np.asarray(traj.points)[:1], color=color_for(label, k), label=label)
        lines[label].set_markersize(2)
    ax.legend(loc="upper right", fontsize="small", framealpha=0.85)
    n = max(len(t.points) for t in trajectories.values()) - 1
    shown = np.round(np.linspace(0, n, frames)).astype(int)
    heading = ax.set_title("")

    def draw(k):
        for label, traj in trajectories.items():
            pts = np.asarray(traj.points)[: shown[k] + 1]
            lines[label].set_data(pts[:, 0], pts[:, 1])
        heading.set_text(f"{title + ': ' if title else ''}step {shown[k]}")
        return [*lines.values(), heading]

    return FuncAnimation(fig, draw, frames=frames, interval=interval_ms, blit=False)


def animation_html(animation: FuncAnimation, *, frame_format: str = "jpeg", default_mode: str = "once") -> str:
    """``animation.to_jshtml()`` with its frames stored as ``frame_format`` ("jpeg" or "png").

    Parameters
    ----------
    animation : matplotlib.animation.FuncAnimation
        For example from :func:`animate_paths`.
    frame_format : {"jpeg", "png"}, default "jpeg"
        How each frame is stored: JPEG is about three times smaller for filled contours.
    default_mode : {"once", "loop", "reflect"}, default "once"
        What the player does at the last frame.

    Returns
    -------
    str
        HTML with the frames and the player's buttons. It holds random element ids, so it differs
        from run to run even when the frames do not (a notebook cell showing it needs the
        ``nbval-ignore-output`` tag). Show it with ``IPython.display.HTML(animation_html(anim))``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sgdlib.problems import Quadratic, run
    >>> from sgdlib.optim import SGD
    >>> bowl = Quadratic()
    >>> anim = animate_paths(bowl, {"GD": run(bowl, SGD, options={"lr": 0.5}, steps=4)}, frames=2)
    >>> html = animation_html(anim, frame_format="png")
    >>> html.count("data:image/png;base64")
    2
    """
    if frame_format not in ("jpeg", "png"):
        raise ValueError(f"frame_format must be 'jpeg' or 'png', got {frame_format!r}")
    if default_mode not in ("once", "loop", "reflect"):
        raise ValueError(f"default_mode must be 'once', 'loop' or 'reflect', got {default_mode!r}")
    with mpl.rc_context({"animation.frame_format": frame_format}):
        return animation.to_jshtml(default_mode=default_mode)
