"""Chapter 6's batch-normalisation study: the digits MLP with and without batch norm, many rates and seeds.

The lesson ``notebooks/06_training_a_network.ipynb`` loads the results this script writes to
``notebooks/data/ch06_batchnorm.npz`` and re-runs a few of the runs live. The study:

1. The digits split of the lessons (:func:`sgdlib.data.digits_split`, pixels scaled to [0, 1]).
2. Two networks with the same layer sizes :data:`LAYERS` and the same He-initialised weights
   for a given seed: :class:`sgdlib.models.MLP` (ReLU) and :class:`sgdlib.models.BatchNormMLP`
   (batch norm before every hidden ReLU).
3. Plain SGD at every learning rate of :data:`LR_GRID` (constant), :data:`EPOCHS` epochs of
   mini-batches of :data:`BATCH_SIZE`, over :data:`SEEDS` seeds (each seed draws the initial
   weights and the batch order). For each run: the mean training loss of each epoch (mean of
   that epoch's mini-batch losses; NaN once a loss is not finite) and the test accuracy at the
   end (batch norm in evaluation mode, with its running statistics; a diverged run scores 0).

Run it (about a minute on one core; measured 73 s on a busy machine)::

    .venv/bin/python -m benchmarks.ch06_batchnorm

References
----------
Ioffe and Szegedy, "Batch normalization: accelerating deep network training by reducing internal
covariate shift", ICML 2015 (section 3.3: batch norm enables higher learning rates).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")   # one BLAS thread: the same sums, in the same order, as the lesson

import argparse
import time
from pathlib import Path

import numpy as np

from sgdlib.data import DataLoader, digits_split
from sgdlib.models import MLP, BatchNormMLP
from sgdlib.optim import SGD

OUT = Path(__file__).resolve().parent.parent / "notebooks" / "data" / "ch06_batchnorm.npz"
LAYERS = [64, 64, 64, 10]
LR_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
EPOCHS = 8
BATCH_SIZE = 32
SEEDS = 20
MODELS = {"plain": MLP, "batch norm": BatchNormMLP}


def train_run(model_name: str, lr: float, seed: int, X, y, X_test, y_test, epochs: int = EPOCHS,
              batch_size: int = BATCH_SIZE) -> tuple[np.ndarray, float]:
    """Per-epoch mean training loss (NaN after divergence) and final test accuracy of one run."""
    model = MODELS[model_name](LAYERS, rng=np.random.default_rng(seed))
    opt = SGD(model.params, lr=lr)
    loader = DataLoader(X, y, batch_size=batch_size, rng=np.random.default_rng(1000 + seed))
    curve = np.full(epochs, np.nan)
    with np.errstate(all="ignore"):
        for e in range(epochs):
            losses = []
            for Xb, yb in loader:
                loss, grads = model.loss_and_grads(Xb, yb)
                if not np.isfinite(loss):
                    return curve, 0.0
                losses.append(loss)
                opt.step(grads)
            curve[e] = np.mean(losses)
        if isinstance(model, BatchNormMLP):
            model.eval()
        if not all(np.isfinite(p).all() for p in model.params.values()):
            return curve, 0.0
        return curve, model.accuracy(X_test, y_test)


def main(seeds: int = SEEDS, out: Path | None = OUT) -> dict:
    start = time.perf_counter()
    X_train, X_test, y_train, y_test = digits_split()
    results: dict[str, np.ndarray] = {"lr_grid": np.array(LR_GRID), "layers": np.array(LAYERS),
                                      "epochs": np.array(EPOCHS), "batch_size": np.array(BATCH_SIZE)}
    for name in MODELS:
        curves = np.zeros((len(LR_GRID), seeds, EPOCHS))
        acc = np.zeros((len(LR_GRID), seeds))
        for a, lr in enumerate(LR_GRID):
            for s in range(seeds):
                curves[a, s], acc[a, s] = train_run(name, lr, s, X_train, y_train, X_test, y_test)
            print(f"{name:10s} lr {lr:5g}: test accuracy {np.median(acc[a]):.3f} median "
                  f"[{acc[a].min():.3f}, {acc[a].max():.3f}]", flush=True)
        key = name.replace(" ", "_")
        results[f"{key}/loss_curves"] = curves
        results[f"{key}/test_acc"] = acc
    results["seconds"] = np.array(time.perf_counter() - start)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        np.savez(out, **results)
        print(f"wrote {out} in {float(results['seconds']):.0f} s")
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=SEEDS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    main(args.seeds, args.out)
