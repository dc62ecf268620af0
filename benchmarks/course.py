"""Benchmark 3: the course itself.

* Every lesson and solution notebook (``notebooks/*.ipynb``, ``solutions/*.ipynb``) executed
  top to bottom in a fresh kernel with ``nbclient`` (in-process, kernel = this Python): its total
  time (kernel start included) and its slowest cell.
* Every explorer in ``sgdlib.explorers`` (each subclass of ``Explorer``): the time of one slider
  move, i.e. ``update(**settings)`` (the pure part) plus ``render_png()`` (what the browser
  receives), for a one-step move of each slider, each other choice of a menu and a flip of each
  checkbox; median and max over the moves. An explorer that declares ``redraw_only`` (the names
  of the controls that only redraw, e.g. chapter 6's ``TrainingExplorer``; its other controls
  train, by design) gets two rows: its redraw-only moves, held to the 100 ms target, and its
  training moves, held to the few seconds that a move with a progress bar may take.

Targets: every cell < 3 s, every explorer update (redraw) < 100 ms median, every training move
< 5 s median, the whole course < 2 minutes on 2 cores.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from ._common import RESULTS, Table, optional

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIRS = ("notebooks", "solutions")
CELL_TARGET_S, UPDATE_TARGET_MS, COURSE_TARGET_S = 3.0, 100.0, 120.0
TRAINING_MOVE_TARGET_MS = 5000.0  # a control that retrains (shown with a progress bar), not a redraw
QUICK = {"repeats": 1, "max_moves": 2}  # the smoke test passes its own tiny notebook list too


def course_notebooks(root: Path = ROOT) -> list[Path]:
    return [p for d in NOTEBOOK_DIRS for p in sorted((root / d).glob("*.ipynb"))]


def time_notebook(path: Path, timeout: int = 600) -> tuple[float, float, int, int]:
    """Execute ``path`` in a fresh kernel; return (total s, slowest cell s, its index, code cells)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    starts: dict[int, float] = {}
    cell_times: dict[int, float] = {}

    def on_start(cell, cell_index):
        starts[cell_index] = time.perf_counter()

    def on_done(cell, cell_index, execute_reply):
        cell_times[cell_index] = time.perf_counter() - starts[cell_index]

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(path.parent)}},
                            on_cell_execute=on_start, on_cell_executed=on_done)
    t0 = time.perf_counter()
    client.execute()
    total = time.perf_counter() - t0
    slowest = max(cell_times, key=cell_times.get, default=-1)
    return total, cell_times.get(slowest, 0.0), slowest, len(cell_times)


def explorer_classes() -> list[type]:
    """Every ``Explorer`` subclass in ``sgdlib.explorers`` (found, not listed: the package imports
    every explorer module)."""
    from sgdlib import explorers

    found, todo = [], list(explorers.Explorer.__subclasses__())
    while todo:
        cls = todo.pop(0)
        found.append(cls)
        todo += cls.__subclasses__()
    return found


def _moves(control, max_moves: int) -> list:
    """Values one slider step away from the default, up (or down at the top of the range); for a
    menu (a ``Dropdown`` of plain values, e.g. chapter 2's schedule), its other choices."""
    options = getattr(control, "options", None)
    if options is not None:
        return [option for option in options if option != control.value][:max_moves]
    value, step = control.value, getattr(control, "step", None)
    if isinstance(value, bool):  # a Checkbox: its one other state
        return [not value]
    if step is None or not isinstance(value, (int, float)):
        return []
    out = []
    for k in range(1, max_moves + 1):
        up = value + k * step
        if hasattr(control, "base"):  # FloatLogSlider: step is in the exponent
            import math

            up = control.base ** (math.log(value, control.base) + k * step)
            hi = control.base ** control.max
        else:
            hi = control.max
        out.append(up if up <= hi else value - k * step)
    return out


#: Batch sizes of the grid that chapter 3's explorer is timed on: it computes every run of its
#: sliders' grid when built (seconds with its default 12 batch sizes); a move only draws, at the
#: same cost on this smaller grid.
BATCH_SIZE_EXPLORER_GRID = (1, 8, 64, 512, 1347)


def explorer_kwargs(cls: type) -> dict:
    """Arguments to build ``cls`` for timing (none, except for chapter 3's explorer)."""
    if cls.__name__ == "BatchSizeExplorer":
        from sgdlib.explorers.batch_size import batch_size_grid

        return {"grid": batch_size_grid(batch_sizes=BATCH_SIZE_EXPLORER_GRID)}
    return {}


def time_explorer(cls: type, max_moves: int = 3) -> tuple[list[float], list[float], list[bool]]:
    """(update-only seconds, update + render seconds, redraw-only?) for moves of every control.

    The third list says, move by move, whether the control is one of ``cls.redraw_only`` (an
    explorer's declaration of the controls that only redraw); without that attribute every move
    counts as a redraw."""
    ex = cls(**explorer_kwargs(cls))
    controls = ex._make_controls()
    base = {name: w.value for name, w in controls.items()}
    ex.update(**base)
    ex.render_png()  # warm up fonts and caches, as the first display in the notebook does
    declared = getattr(cls, "redraw_only", None)
    pure, full, redraw = [], [], []
    for name, w in controls.items():
        for v in _moves(w, max_moves):
            settings = {**base, name: v}
            t0 = time.perf_counter()
            ex.update(**settings)
            t1 = time.perf_counter()
            ex.render_png()
            t2 = time.perf_counter()
            pure.append(t1 - t0)
            full.append(t2 - t0)
            redraw.append(declared is None or name in declared)
    return pure, full, redraw


def run(notebooks: list[Path] | None = None, repeats: int = 1, max_moves: int = 3,
        out_dir: Path | str | None = RESULTS) -> Table:
    notebooks = course_notebooks() if notebooks is None else notebooks
    table = Table("course", "The course: notebooks (fresh kernel, nbclient) and explorer updates",
                  ["item", "kind", "total s", "slowest cell s", "slowest cell #", "median update ms",
                   "max update ms", "meets target"])
    course_total = 0.0
    hint = "pip install nbclient ipykernel (the test extra has both)"
    if notebooks and optional("nbclient", hint) is None:
        table.notes.append("nbclient not installed: notebooks not timed.")
        notebooks = []
    for path in notebooks:
        runs = [time_notebook(path) for _ in range(repeats)]
        total = statistics.median(r[0] for r in runs)
        slow = max(runs, key=lambda r: r[1])
        course_total += total
        table.add(f"{path.parent.name}/{path.name}", "notebook", total, slow[1], slow[2], "-", "-",
                  "yes" if slow[1] < CELL_TARGET_S else "NO")
    if not notebooks:
        table.notes.append("No notebooks found in notebooks/ or solutions/.")
    try:
        classes = explorer_classes()
    except ImportError as exc:
        classes = []
        table.notes.append(f"sgdlib.explorers not available ({exc}): no explorer timed.")
    for cls in classes:
        pure_all, full_all, redraw = time_explorer(cls, max_moves)
        full = [t for t, r in zip(full_all, redraw) if r]
        pure = [t for t, r in zip(pure_all, redraw) if r]
        training = [t for t, r in zip(full_all, redraw) if not r]
        if full:
            med = 1e3 * statistics.median(full)
            table.add(cls.__name__, "explorer (update + render)", "-", "-", "-", med, 1e3 * max(full),
                      "yes" if med < UPDATE_TARGET_MS else "NO")
            table.add(cls.__name__, "explorer (update only)", "-", "-", "-",
                      1e3 * statistics.median(pure), 1e3 * max(pure), "-")
        if training:
            med = 1e3 * statistics.median(training)
            table.add(cls.__name__, "explorer (training moves)", "-", "-", "-", med, 1e3 * max(training),
                      "yes" if med < TRAINING_MOVE_TARGET_MS else "NO")
            table.notes.append(f"{cls.__name__}: only {', '.join(cls.redraw_only)} redraw (the "
                               f"{UPDATE_TARGET_MS:g} ms target); its other controls train, timed "
                               f"as training moves (target < {TRAINING_MOVE_TARGET_MS / 1e3:g} s median).")
    table.add("whole course", "all notebooks", course_total, "-", "-", "-", "-",
              "yes" if course_total < COURSE_TARGET_S else "NO")
    table.notes += [f"Targets: every cell < {CELL_TARGET_S:g} s, explorer update < {UPDATE_TARGET_MS:g} ms "
                    f"median (training moves < {TRAINING_MOVE_TARGET_MS / 1e3:g} s), whole course < {COURSE_TARGET_S:g} s on 2 cores.",
                    "Notebook total includes starting the kernel; a slider move = update(**settings) "
                    "+ render_png(), one slider step from the default, every slider."]
    if out_dir is not None:
        table.save(out_dir)
    return table
