"""Chapter 3's generalisation study: small against large batches for the digits MLP, many seeds.

The lesson ``notebooks/03_mini_batches.ipynb`` loads the results this script writes to
``notebooks/data/ch03_generalisation.npz`` and runs a smaller version live. The study:

1. The digits split of the lesson (75 % train, 25 % test, stratified, ``rng=0``); the MLP
   ``[64, 64, 10]`` (ReLU) of :class:`sgdlib.models.MLP`, plain SGD from :mod:`sgdlib.optim`,
   mini-batches from :class:`sgdlib.data.DataLoader`.
2. Every run trains until its training loss is at most :data:`TARGET_LOSS` (checked after every
   epoch) or until :data:`MAX_STEPS` steps, so small and large batches are compared at the same
   training loss.
3. Tuning: for each batch size, every learning rate of :data:`LR_GRID` on a validation split
   (20 % of the training set, ``rng=1``) over :data:`TUNE_SEEDS` seeds; the rate with the lowest
   mean validation loss wins (accuracy on 269 images ties too often to choose; runs that miss the
   target count with their loss at the end).
4. The final runs: the tuned rate on the whole training set over :data:`SEEDS` seeds (each seed
   draws the initial weights and the batch order). For each run: train and test accuracy, the
   training loss, the steps taken, and the *sharpness*: the mean increase of the training loss
   when every weight array ``W`` is moved by ``r * |W| * u / |u|`` (``u`` Gaussian, ``|.|``
   the Frobenius norm) over :data:`N_DIRECTIONS` random directions, for each relative size ``r``
   in :data:`PERTURBATION_SIZES` (the biases are moved the same way). The lesson writes ``r``:
   the course's notation gives rho to Adadelta.

Run it (a few minutes on one core)::

    .venv/bin/python -m benchmarks.ch03_generalisation

References
----------
Keskar, Mudigere, Nocedal, Smelyanskiy, Tang, "On large-batch training for deep learning:
generalization gap and sharp minima", ICLR 2017 (the perturbation measure of sharpness is a
simpler, random-direction cousin of their Metric 2.1).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from sgdlib.data import DataLoader, digits_split, train_test_split
from sgdlib.models import MLP
from sgdlib.optim import SGD

OUT = Path(__file__).resolve().parent.parent / "notebooks" / "data" / "ch03_generalisation.npz"
#: The two batch sizes compared: a small one, and the whole training set (full-batch gradient descent).
SMALL_BATCH = 16
LAYERS = [64, 64, 10]
TARGET_LOSS = 0.01
MAX_STEPS = 10_000
LR_GRID = (0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4)
TUNE_SEEDS = 3
SEEDS = 12
PERTURBATION_SIZES = (0.02, 0.05, 0.1)
N_DIRECTIONS = 20


def train_to_target(X, y, batch_size, lr, seed, target=TARGET_LOSS, max_steps=MAX_STEPS):
    """Train a fresh MLP with SGD until the training loss is <= target (checked every epoch)."""
    model = MLP(LAYERS, rng=np.random.default_rng(seed))
    opt = SGD(model.params, lr=lr)
    loader = DataLoader(X, y, batch_size=batch_size, rng=np.random.default_rng(1000 + seed))
    steps = 0
    while steps < max_steps:
        for Xb, yb in loader:
            _, grads = model.loss_and_grads(Xb, yb)
            opt.step(grads)
            steps += 1
        loss = model.loss(X, y)
        if not np.isfinite(loss) or loss <= target:
            break
    return model, steps


def sharpness(model, X, y, r, n_directions, rng):
    """Mean increase of the loss over random perturbations of relative size r per array."""
    base = model.loss(X, y)
    saved = {k: v.copy() for k, v in model.params.items()}
    rises = []
    for _ in range(n_directions):
        for k, v in model.params.items():
            u = rng.standard_normal(v.shape)
            v += r * np.linalg.norm(saved[k]) * u / np.linalg.norm(u)
        rises.append(model.loss(X, y) - base)
        for k, v in model.params.items():
            v[...] = saved[k]
    return float(np.mean(rises))


def main(seeds: int = SEEDS, tune_seeds: int = TUNE_SEEDS, out: Path = OUT) -> dict:
    X_train, X_test, y_train, y_test = digits_split()
    X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.2, rng=1, stratify=True)
    batches = {"small": SMALL_BATCH, "large": len(y_train)}
    results: dict[str, np.ndarray] = {"lr_grid": np.array(LR_GRID), "perturbation_sizes": np.array(PERTURBATION_SIZES),
                                      "target_loss": np.array(TARGET_LOSS)}
    for name, batch in batches.items():
        fit_batch = min(batch, len(y_fit))
        val_loss, val_acc = np.zeros((len(LR_GRID), tune_seeds)), np.zeros((len(LR_GRID), tune_seeds))
        for a, lr in enumerate(LR_GRID):
            for s in range(tune_seeds):
                model, _ = train_to_target(X_fit, y_fit, fit_batch, lr, seed=100 + s)
                val_loss[a, s], val_acc[a, s] = model.loss(X_val, y_val), model.accuracy(X_val, y_val)
        best = int(np.argmin(val_loss.mean(axis=1)))
        lr = LR_GRID[best]
        rows = []
        for s in range(seeds):
            model, steps = train_to_target(X_train, y_train, batch, lr, seed=s)
            rng = np.random.default_rng(2000 + s)
            sharp = [sharpness(model, X_train, y_train, r, N_DIRECTIONS, rng) for r in PERTURBATION_SIZES]
            rows.append([model.accuracy(X_train, y_train), model.accuracy(X_test, y_test),
                         model.loss(X_train, y_train), steps, *sharp])
        rows = np.array(rows)
        results.update({
            f"{name}_batch": np.array(batch), f"{name}_val_loss": val_loss, f"{name}_val_acc": val_acc, f"{name}_lr": np.array(lr),
            f"{name}_train_acc": rows[:, 0], f"{name}_test_acc": rows[:, 1], f"{name}_train_loss": rows[:, 2],
            f"{name}_steps": rows[:, 3].astype(int), f"{name}_sharpness": rows[:, 4:],
        })
        print(f"{name} (B = {batch}): tuned lr {lr} (validation loss by lr: "
              f"{np.round(val_loss.mean(axis=1), 4).tolist()}); test accuracy "
              f"{rows[:, 1].mean():.4f} [{rows[:, 1].min():.4f}, {rows[:, 1].max():.4f}], "
              f"sharpness at r = {PERTURBATION_SIZES[1]}: {rows[:, 5].mean():.4f}")
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, **results)
    print(f"wrote {out}")
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=SEEDS)
    parser.add_argument("--tune-seeds", type=int, default=TUNE_SEEDS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    main(args.seeds, args.tune_seeds, args.out)
