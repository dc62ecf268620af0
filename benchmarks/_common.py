"""What every benchmark shares: timing by median, the machine description and the result table."""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import math
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
TORCH_HINT = "pip install torch==2.13.0 (the CPU wheel; an unpinned torch pulls a multi-GB CUDA build)"
SKLEARN_HINT = "pip install scikit-learn (or run `make bench`, which installs the bench extra)"


def one_blas_thread() -> None:
    """Set every variable of :data:`THREAD_VARIABLES` to 1 unless it is set: call it before numpy is imported."""
    for var in THREAD_VARIABLES:
        os.environ.setdefault(var, "1")


def save_npz(out: Path | None, results: dict, start: float) -> None:
    """Store the run time (since ``start``, a ``perf_counter``) in ``results`` and write them to ``out``."""
    import numpy as np

    results["seconds"] = np.array(time.perf_counter() - start)
    if out is not None:
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        np.savez(out, **results)
        print(f"wrote {out} in {float(results['seconds']):.0f} s")


@functools.cache  # say it once per run, not once per row
def optional(module: str, hint: str):
    """Import a peer library, or return None after saying that its rows are skipped and why."""
    try:
        mod = importlib.import_module(module)
    except ImportError:
        print(f"[skip] {module} is not installed: its rows are skipped. To include them: {hint}")
        return None
    if module == "torch":
        mod.set_num_threads(1)  # the same single thread as numpy's BLAS, for fairness
    return mod


def median_seconds(fn: Callable[[], object], repeats: int, number: int = 1, warmup: int = 1) -> float:
    """Median over ``repeats`` of the mean time of ``number`` calls of ``fn`` (seconds per call)."""
    return interleaved_medians({"fn": fn}, repeats, number, warmup)["fn"]


def interleaved_medians(fns: dict[str, Callable[[], object]], repeats: int, number: int = 1,
                        warmup: int = 2) -> dict[str, float]:
    """:func:`median_seconds` for several methods, alternating them in every repeat so that
    a slow spell of the machine hits all of them alike."""
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            for _ in range(number):
                fn()
            times[name].append((time.perf_counter() - start) / number)
    return {name: statistics.median(t) for name, t in times.items()}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def blas_name() -> str:
    import numpy as np

    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # older numpy without mode="dicts": the name is not worth failing over
        return "unknown"


def machine() -> str:
    """One paragraph naming the CPU, cores, library versions, BLAS and thread settings."""
    import numpy as np

    versions = [f"python {platform.python_version()}", f"numpy {np.__version__}"]
    for name in ("torch", "scikit-learn"):  # read from the metadata: importing them takes seconds
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} not installed")
    threads = ", ".join(f"{v}={os.environ.get(v, 'unset')}" for v in THREAD_VARIABLES)
    openblas = ", ".join(f"{v}={os.environ.get(v, 'unset')}" for v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"))
    caches = {}  # level -> size, as Linux reports it (the VM may hide the CPU's exact model)
    for index in sorted(Path("/sys/devices/system/cpu/cpu0/cache").glob("index*")):
        try:
            level, size = (index / "level").read_text().strip(), (index / "size").read_text().strip()
        except OSError:
            continue
        if level in ("2", "3"):
            caches[f"L{level}"] = size
    cache = f" ({', '.join(f'{k} {v}' for k, v in caches.items())})" if caches else ""
    return (f"{cpu_model()}{cache}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
            f"{', '.join(versions)}; BLAS {blas_name()}; {threads}; {openblas}")


def fmt(x: float | str | None, digits: int = 3) -> str:
    """A number with ``digits`` significant digits; '-' for a missing value."""
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    return f"{x:.{digits}g}" if isinstance(x, float) else str(x)


@dataclass
class Table:
    """A result table: printed, written as Markdown to ``results/<name>.md`` and quoted by the README."""

    name: str
    title: str
    columns: Sequence[str]
    rows: list[list] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *row) -> None:
        if len(row) != len(self.columns):
            raise ValueError(f"row {row} has {len(row)} cells, table {self.name} has {len(self.columns)} columns")
        self.rows.append(list(row))

    def column(self, name: str) -> list:
        i = list(self.columns).index(name)
        return [r[i] for r in self.rows]

    def markdown(self) -> str:
        lines = [f"### {self.title}", "", "| " + " | ".join(self.columns) + " |",
                 "|" + "|".join("---" for _ in self.columns) + "|"]
        lines += ["| " + " | ".join(fmt(c) for c in row) + " |" for row in self.rows]
        if self.notes:
            lines += [""] + [f"- {n}" for n in self.notes]
        return "\n".join(lines) + "\n"

    def save(self, out_dir: Path | str = RESULTS, header: str | None = None) -> Path:
        """Print the table and write it (with the machine line) to ``out_dir/<name>.md``."""
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        text = self.markdown()
        print("\n" + text)
        path = out_dir / f"{self.name}.md"
        path.write_text(text + f"\nMachine: {header or machine()}\n")
        return path
