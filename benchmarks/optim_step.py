"""Benchmark 1: one optimizer step, sgdlib against torch.optim, at two sizes.

For every sgdlib optimizer (SGD with momentum, Adagrad, RMSprop, Adadelta, Adam, AdamW), the
median time of one ``step`` of

* ``sgdlib.optim`` (each rule one readable numpy line per equation, see ``sgdlib/optim``);
* ``torch.optim`` with ``foreach=True`` and with ``fused=True`` on the CPU, one thread (torch
  2.13 has no fused RMSprop or Adadelta);

on two sets of arrays:

* the digits MLP's parameters (``MLP([64, 64, 10])``: W1 64x64, b1 64, W2 64x10, b2 10,
  float64), where the course lives: here the per-call machinery, not the arithmetic, sets the
  time;
* one 1,000,000-element float32 array, where memory traffic and ``sqrt``/division set it.
  Beside it, the memory-traffic bound: the bytes the rule must read and write once per step
  (parameter, gradient and state) divided by the bandwidth of ``np.copyto`` on an array of
  the same size, measured on the spot.

Targets (issue 8): at the MLP's sizes every sgdlib step takes <= 0.6x torch foreach's time;
at 1,000,000 elements <= 1.6x.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from sgdlib.models import MLP
from sgdlib.optim import OPTIMIZERS

from ._common import RESULTS, TORCH_HINT, Table, interleaved_medians, median_seconds, optional

# optimizer -> (hyperparameters for both libraries, arrays read + written per step: the
# parameter, the gradient and each state array are read once; the parameter and the state
# written once).
RULES = {
    "SGD": ({"lr": 1e-3, "momentum": 0.9}, 5),          # p, g, b read; p, b written
    "Adagrad": ({"lr": 1e-2}, 5),                        # p, g, sum read; p, sum written
    "RMSprop": ({"lr": 1e-3}, 5),                        # p, g, v read; p, v written
    "Adadelta": ({"lr": 1.0}, 7),                        # p, g, v, u read; p, v, u written
    "Adam": ({"lr": 1e-3}, 7),                           # p, g, m, v read; p, m, v written
    "AdamW": ({"lr": 1e-3}, 7),
}
MLP_LAYERS = [64, 64, 10]
LARGE_N = 1_000_000
TARGET = {"mlp": 0.6, "large": 1.6}     # sgdlib time / torch foreach time, at most
# Short timed blocks (a few ms) and many interleaved repeats: on a shared machine a block is then
# rarely preempted, and the median ignores the ones that are.
STEPS_PER_SIZE = {"mlp": 50, "large": 5}
QUICK = {"n": 1000, "repeats": 2, "number": 2}  # the smoke test's size


def mlp_arrays() -> list[np.ndarray]:
    """The parameter arrays of the course's digits MLP, float64."""
    return list(MLP(MLP_LAYERS, rng=0).params.values())


def _methods(name: str, params: list[np.ndarray], grads: list[np.ndarray], torch) -> dict:
    """name -> a function doing one step of that method, each on its own copy of ``params``."""
    hp, _ = RULES[name]
    opt = OPTIMIZERS[name]([p.copy() for p in params], **hp)
    fns = {"sgdlib": lambda: opt.step(grads)}
    if torch is None:
        return fns
    for flavour in ("foreach", "fused"):
        # torch.tensor copies into memory torch allocates: on torch.from_numpy views of numpy's small
        # arrays its foreach step was bimodal (67 or 150 us for AdamW from run to run).
        tensors = [torch.tensor(p, requires_grad=True) for p in params]
        for t, g in zip(tensors, grads):
            t.grad = torch.tensor(g)
        try:
            topt = getattr(torch.optim, name)(tensors, **hp, **{flavour: True})
        except (TypeError, RuntimeError):   # torch 2.13: no fused RMSprop or Adadelta
            continue
        fns[f"torch {flavour}"] = topt.step
    return fns


def run(n: int = LARGE_N, repeats: int = 41, number: int | None = None, seed: int = 0,
        out_dir: Path | str | None = RESULTS) -> Table:
    """Time every optimizer at both sizes; return (and save unless ``out_dir`` is None) the table."""
    torch = optional("torch", TORCH_HINT)
    rng = np.random.default_rng(seed)
    mlp = mlp_arrays()
    large = [rng.standard_normal(n).astype(np.float32)]
    sizes = {
        "mlp": (f"MLP {'-'.join(map(str, MLP_LAYERS))} ({len(mlp)} arrays, "
                f"{sum(p.size for p in mlp):,} float64)", mlp),
        "large": (f"{n:,} float32", large),
    }
    table = Table(
        "optim_step",
        f"Optimizer step, sgdlib vs torch.optim (median of {repeats} interleaved repeats, one thread)",
        ["size", "optimizer", "sgdlib us", "torch foreach us", "torch fused us", "sgdlib / foreach",
         "target", "memory-traffic bound us"],
    )
    src = large[0]
    dst = np.empty_like(src)
    copy_seconds = median_seconds(lambda: np.copyto(dst, src), repeats, number or STEPS_PER_SIZE["large"], warmup=2)
    bandwidth = 2 * src.nbytes / copy_seconds  # a copy reads and writes every byte once
    summary = []
    for size, (label, params) in sizes.items():
        for name, (_, arrays) in RULES.items():
            grads = [(1e-3 * rng.standard_normal(p.shape)).astype(p.dtype) for p in params]
            times = interleaved_medians(_methods(name, params, grads, torch), repeats,
                                        number or STEPS_PER_SIZE[size])
            ours, foreach, fused = times["sgdlib"], times.get("torch foreach"), times.get("torch fused")
            ratio = ours / foreach if foreach else None
            bound = arrays * src.nbytes / bandwidth if size == "large" else None
            table.add(label, name, 1e6 * ours, _us(foreach), _us(fused), ratio,
                      f"<= {TARGET[size]}x", _us(bound))
            if ratio is not None:
                verdict = "met" if ratio <= TARGET[size] else "MISSED"
                summary.append(f"{name}, {label}: sgdlib / torch foreach = {ratio:.2f}x "
                               f"(target <= {TARGET[size]}x: {verdict})"
                               + (f", sgdlib / bound = {ours / bound:.1f}x" if bound else ""))
    table.notes = [
        f"Memory-traffic bound (1M row only) = (arrays read + written per step) x {src.nbytes / 1e6:.0f} MB "
        f"/ np.copyto bandwidth ({bandwidth / 1e9:.0f} GB/s here: 2 x bytes / copy time, same array size).",
        "Hyperparameters: " + "; ".join(f"{k}: {', '.join(f'{a}={v}' for a, v in hp.items())}"
                                        for k, (hp, _) in RULES.items()) + "; the rest at torch's defaults.",
        *summary,
    ]
    if out_dir is not None:
        table.save(out_dir)
    return table


def _us(seconds: float | None) -> float | None:
    return None if seconds is None else 1e6 * seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=LARGE_N)
    parser.add_argument("--repeats", type=int, default=41)
    args = parser.parse_args(argv)
    run(n=args.n, repeats=args.repeats)


if __name__ == "__main__":
    main()
