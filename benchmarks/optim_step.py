"""Benchmark 1: one optimizer step on one large array.

For SGD with momentum, RMSprop and Adam, in float32 and float64, the median time of one
``step`` of

* ``sgdlib`` (in-place updates with one reused work array, see ``Optimizer._scratch``);
* the same rule written naively in numpy, a new array on every line (the way a learner first
  writes it);
* ``torch.optim`` with ``foreach=True`` and with ``fused=True`` on the CPU, one thread (torch has
  no fused RMSprop);

and the memory-bandwidth bound: the bytes the rule must read and write per step (parameter,
gradient and state, each once) divided by the bandwidth of ``np.copyto`` on an array of the same
size, measured on the spot.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from sgdlib.optim import SGD, Adam, RMSprop

from ._common import RESULTS, TORCH_HINT, Table, interleaved_medians, median_seconds, optional

# name -> (sgdlib class, torch class name, hyperparameters, arrays read + written per step).
# SGD+momentum reads p, g, b and writes p, b; RMSprop reads p, g, v, writes p, v; Adam reads
# p, g, m, v and writes p, m, v.
RULES = {
    "SGD+momentum": (SGD, "SGD", {"lr": 1e-3, "momentum": 0.9}, 5),
    "RMSprop": (RMSprop, "RMSprop", {"lr": 1e-3, "alpha": 0.99, "eps": 1e-8}, 5),
    "Adam": (Adam, "Adam", {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8}, 7),
}
TARGET_VS_FOREACH = 1.2
TARGET_VS_NAIVE = 3.0
QUICK = {"n": 1000, "repeats": 2, "number": 2}  # the smoke test's size


def naive_step(rule: str, hp: dict, p, g, state: dict):
    """The rule as a learner first writes it: every line makes new arrays. Returns the new p."""
    if rule == "SGD+momentum":
        b = state.get("b")
        state["b"] = b = g if b is None else hp["momentum"] * b + g
        return p - hp["lr"] * b
    if rule == "RMSprop":
        a = hp["alpha"]
        state["v"] = v = a * state.get("v", 0.0) + (1 - a) * g**2
        return p - hp["lr"] * g / (np.sqrt(v) + hp["eps"])
    b1, b2 = hp["betas"]
    state["t"] = t = state.get("t", 0) + 1
    state["m"] = m = b1 * state.get("m", 0.0) + (1 - b1) * g
    state["v"] = v = b2 * state.get("v", 0.0) + (1 - b2) * g**2
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    return p - hp["lr"] * m_hat / (np.sqrt(v_hat) + hp["eps"])


def _methods(rule: str, dtype, n: int, torch, rng) -> dict:
    cls, torch_name, hp, _ = RULES[rule]
    p0 = rng.standard_normal(n).astype(dtype)
    g = (1e-3 * rng.standard_normal(n)).astype(dtype)
    fns = {}

    p = p0.copy()
    opt = cls([p], **hp)
    fns["sgdlib"] = lambda: opt.step([g])

    naive = {"p": p0.copy(), "state": {}}

    def naive_fn():
        naive["p"] = naive_step(rule, hp, naive["p"], g, naive["state"])

    fns["naive numpy"] = naive_fn

    if torch is not None:
        for flavour in ("foreach", "fused"):
            if flavour == "fused" and torch_name == "RMSprop":
                continue  # torch 2.13 has no fused RMSprop
            tp = torch.from_numpy(p0.copy()).requires_grad_(True)
            tp.grad = torch.from_numpy(g.copy())
            topt = getattr(torch.optim, torch_name)([tp], **hp, **{flavour: True})
            fns[f"torch {flavour}"] = topt.step
    return fns


def run(n: int = 1_000_000, repeats: int = 11, number: int | None = None, seed: int = 0,
        out_dir: Path | str | None = RESULTS) -> Table:
    """Time every method; return (and save unless ``out_dir`` is None) the table."""
    torch = optional("torch", TORCH_HINT)
    number = number or max(1, min(50, 20_000_000 // n))
    rng = np.random.default_rng(seed)
    table = Table(
        "optim_step",
        f"Optimizer step on one {n:,}-element array (median of {repeats} x {number} steps, one thread)",
        ["rule", "dtype", "method", "ms/step", "time / sgdlib"],
    )
    summary = []
    for dtype in (np.float32, np.float64):
        src = rng.standard_normal(n).astype(dtype)
        dst = np.empty_like(src)
        copy_s = median_seconds(lambda: np.copyto(dst, src), repeats, number, warmup=2)
        bandwidth = 2 * src.nbytes / copy_s  # a copy reads and writes every byte once
        for rule, (_, _, _, arrays) in RULES.items():
            times = interleaved_medians(_methods(rule, dtype, n, torch, rng), repeats, number)
            bound = arrays * src.nbytes / bandwidth
            base = times["sgdlib"]
            name = np.dtype(dtype).name
            for method, t in times.items():
                table.add(rule, name, method, 1e3 * t, t / base)
            table.add(rule, name, f"bandwidth bound ({arrays} arrays at {bandwidth / 1e9:.0f} GB/s)",
                      1e3 * bound, bound / base)
            line = f"{rule} {name}: naive/sgdlib = {times['naive numpy'] / base:.2f}x"
            if "torch foreach" in times:
                line += (f", sgdlib/foreach = {base / times['torch foreach']:.2f}x"
                         f" (naive/foreach = {times['naive numpy'] / times['torch foreach']:.2f}x)")
            if "torch fused" in times:
                line += f", sgdlib/fused = {base / times['torch fused']:.2f}x"
            line += f", sgdlib/bound = {base / bound:.2f}x"
            summary.append(line)
    table.notes = [
        f"Targets: sgdlib <= {TARGET_VS_FOREACH}x torch foreach; naive numpy >= {TARGET_VS_NAIVE}x sgdlib.",
        "Bandwidth bound = (arrays read + written per step) x array bytes / np.copyto bandwidth "
        "(2 x bytes / copy time) on an array of the same size.",
        *summary,
    ]
    if out_dir is not None:
        table.save(out_dir)
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=11)
    args = parser.parse_args(argv)
    run(n=args.n, repeats=args.repeats)


if __name__ == "__main__":
    main()
