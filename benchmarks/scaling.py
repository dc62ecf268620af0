"""Benchmark 4: how sgdlib's step and epoch times grow with parameter count and data size.

* Step: one ``SGD(momentum=0.9)`` and one ``Adam`` step on a float64 array of n parameters,
  n from 10^3 to 10^7.
* Epoch: one epoch of the digits MLP (64-64-10, batch 32) on n samples (the digits tiled to
  reach n).

Both are plotted on log-log axes (``results/scaling.png``); a straight line of slope 1 means
time proportional to size. The slope is fitted by least squares on log10(time) against
log10(size) over the three largest sizes, and printed. For the step that is the regime where
the arrays no longer fit in the last-level cache and every step streams from memory; below
it, the fixed per-call overhead (small n) and the move from cache to memory (around the L3
size) bend the curve, which the plot shows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sgdlib.optim import SGD, Adam

from ._common import RESULTS, Table, median_seconds
from .training import epoch_timer

QUICK = {"param_counts": (100, 1000), "data_sizes": (64, 128), "repeats": 2}


def fit_slope(sizes, times) -> float:
    """Slope of log10(time) against log10(size): 1 means linear growth."""
    return float(np.polyfit(np.log10(sizes), np.log10(times), 1)[0])


def step_times(param_counts, repeats: int, seed: int = 0) -> dict[str, list[float]]:
    rng = np.random.default_rng(seed)
    out: dict[str, list[float]] = {"SGD+momentum step": [], "Adam step": []}
    for n in param_counts:
        g = rng.standard_normal(n)
        for label, cls, hp in (("SGD+momentum step", SGD, {"lr": 1e-3, "momentum": 0.9}),
                               ("Adam step", Adam, {"lr": 1e-3})):
            opt = cls([rng.standard_normal(n)], **hp)
            number = max(1, min(200, 2_000_000 // n))
            out[label].append(median_seconds(lambda: opt.step([g]), repeats, number, warmup=2))
            del opt  # free the state of the largest sizes before the next
    return out


FIT_POINTS = 3


def _slope(sizes, times) -> float:
    return fit_slope(sizes[-FIT_POINTS:], times[-FIT_POINTS:])


def run(param_counts=(10**3, 4 * 10**3, 16 * 10**3, 64 * 10**3, 256 * 10**3, 10**6, 4 * 10**6,
                      8 * 10**6, 16 * 10**6),
        data_sizes=(1_000, 2_000, 4_000, 8_000, 16_000, 32_000), repeats: int = 5,
        out_dir: Path | str | None = RESULTS) -> Table:
    table = Table("scaling", "Scaling of sgdlib: step time vs parameter count, epoch time vs samples",
                  ["series", "size", "seconds", f"log-log slope (largest {FIT_POINTS} sizes)"])
    series: dict[str, tuple[list, list]] = {}
    for label, times in step_times(param_counts, repeats).items():
        series[label] = (list(param_counts), times)
    epoch = epoch_timer()
    times = [epoch(n, repeats=max(1, repeats // 2)) for n in data_sizes]
    series["MLP epoch (SGD+momentum)"] = (list(data_sizes), times)
    for label, (sizes, times) in series.items():
        slope = _slope(sizes, times)
        for i, (n, t) in enumerate(zip(sizes, times)):
            table.add(label, n, t, slope if i == len(sizes) - 1 else "")
        table.notes.append(f"{label}: slope {slope:.2f} over sizes {sizes[-FIT_POINTS:][0]:,}..{sizes[-1]:,}")
        print(f"[scaling] {label}: fitted slope {slope:.2f}")
    if out_dir is not None:
        table.save(out_dir)
        plot(series, Path(out_dir) / "scaling.png")
    return table


def plot(series: dict, path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 4.2))
    FigureCanvasAgg(fig)
    ax_step, ax_epoch = fig.subplots(1, 2)
    for label, (sizes, times) in series.items():
        ax = ax_epoch if "epoch" in label else ax_step
        sizes, times = np.asarray(sizes, float), np.asarray(times, float)
        slope = _slope(sizes, times)
        ax.loglog(sizes, times, "o-", label=f"{label} (slope {slope:.2f})")
    for ax in (ax_step, ax_epoch):  # a slope-1 guide through the last point of the first series
        lines = ax.get_lines()
        if lines:
            x, y = lines[0].get_xdata(), lines[0].get_ydata()
            ax.loglog(x, y[-1] * x / x[-1], "k:", label="linear (slope 1)")
            ax.legend(fontsize="small")
        ax.grid(True, which="both", alpha=0.3)
    ax_step.set(title="One optimizer step (float64)", xlabel="parameters", ylabel="seconds per step")
    ax_epoch.set(title="One training epoch, MLP 64-64-10, batch 32", xlabel="training samples",
                 ylabel="seconds per epoch")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
