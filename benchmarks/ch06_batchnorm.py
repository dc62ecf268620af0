"""Chapter 6's batch-normalisation study: the digits MLP with and without batch norm, many rates and seeds.

The lesson ``notebooks/06_training_a_network.ipynb`` loads the results this script writes to
``notebooks/data/ch06_batchnorm.npz`` and re-runs a few of the runs live. The study:

1. The lesson's three parts (:func:`sgdlib.explorers.training.digits_train_val`): 1010 images
   to train on, 337 to validate (the lesson chooses the rate on these), and
   :func:`sgdlib.data.digits_split`'s 450 test images (read only at the chosen rate).
2. Two networks with the same layer sizes :data:`LAYERS` and the same He-initialised weights
   for a given seed: :class:`sgdlib.models.MLP` (ReLU) and :class:`sgdlib.models.BatchNormMLP`
   (batch norm before every hidden ReLU).
3. Plain SGD at every learning rate of :data:`LR_GRID` (constant), :data:`EPOCHS` epochs of
   mini-batches of :data:`BATCH_SIZE` (the last, smaller batch of each epoch dropped), trained
   by :func:`sgdlib.train.train`, over :data:`SEEDS` seeds (each seed draws the initial
   weights and the batch order). For each run: the mean training loss of each epoch (mean of
   that epoch's mini-batch losses; NaN once a loss is not finite) and the validation and test
   accuracy at the end (batch norm in evaluation mode, with its running statistics; a diverged
   run scores 0).

Run it (well under a minute on one core; measured 37 s with another script running on 2 cores)::

    .venv/bin/python -m benchmarks.ch06_batchnorm

References
----------
Ioffe and Szegedy, "Batch normalization: accelerating deep network training by reducing internal
covariate shift", ICML 2015 (section 3.3: batch norm enables higher learning rates).
"""

from __future__ import annotations

from benchmarks._common import one_blas_thread, save_npz

one_blas_thread()   # before numpy: one BLAS thread, the same sums in the same order as the lesson

import argparse
import time
from pathlib import Path

import numpy as np

from sgdlib.data import digits_split
from sgdlib.explorers.training import digits_train_val
from sgdlib.models import MLP, BatchNormMLP
from sgdlib.optim import SGD
from sgdlib.train import DivergenceError, train

OUT = Path(__file__).resolve().parent.parent / "notebooks" / "data" / "ch06_batchnorm.npz"
LAYERS = [64, 64, 64, 10]
LR_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
EPOCHS = 8
BATCH_SIZE = 32
SEEDS = 20
MODELS = {"plain": MLP, "batch norm": BatchNormMLP}


def train_run(model_name: str, lr: float, seed: int, X, y, evals, epochs: int = EPOCHS,
              batch_size: int = BATCH_SIZE) -> tuple[np.ndarray, list[float]]:
    """Per-epoch mean training loss (NaN after divergence) and the final accuracy on each
    ``(X_eval, y_eval)`` of ``evals`` of one run.

    :func:`sgdlib.train.train` with ``drop_last=True`` for both models: a small last batch
    (3 rows of 1347, 18 of 1010) has noisy statistics, which move batch norm's running averages
    by 10 % just before evaluation. A run that raises :class:`~sgdlib.train.DivergenceError`
    scores accuracy 0.
    """
    model = MODELS[model_name](LAYERS, rng=np.random.default_rng(seed))
    curve = np.full(epochs, np.nan)
    try:
        history = train(model, SGD(model.params, lr=lr), X, y, epochs=epochs, batch_size=batch_size,
                        rng=1000 + seed, drop_last=True, progress=False)
    except DivergenceError as err:
        done = err.history.epoch_train_loss
        curve[:len(done)] = done
        return curve, [0.0] * len(evals)
    curve[:] = history.epoch_train_loss
    if isinstance(model, BatchNormMLP):
        model.eval()
    with np.errstate(all="ignore"):
        if not all(np.isfinite(p).all() for p in model.params.values()):
            return curve, [0.0] * len(evals)
        return curve, [model.accuracy(Xe, ye) for Xe, ye in evals]


def main(seeds: int = SEEDS, out: Path | None = OUT) -> dict:
    start = time.perf_counter()
    X_train, X_val, y_train, y_val = digits_train_val()     # the lesson's 1010 / 337
    _, X_test, _, y_test = digits_split()
    results: dict[str, np.ndarray] = {"lr_grid": np.array(LR_GRID), "layers": np.array(LAYERS),
                                      "epochs": np.array(EPOCHS), "batch_size": np.array(BATCH_SIZE)}
    for name in MODELS:
        curves = np.zeros((len(LR_GRID), seeds, EPOCHS))
        acc = np.zeros((2, len(LR_GRID), seeds))               # validation, test
        for a, lr in enumerate(LR_GRID):
            for s in range(seeds):
                curves[a, s], acc[:, a, s] = train_run(name, lr, s, X_train, y_train,
                                                       [(X_val, y_val), (X_test, y_test)])
            print(f"{name:10s} lr {lr:5g}: validation accuracy {acc[0, a].mean():.3f} mean "
                  f"[{acc[0, a].min():.3f}, {acc[0, a].max():.3f}]", flush=True)
        key = name.replace(" ", "_")
        results[f"{key}/loss_curves"] = curves
        results[f"{key}/val_acc"] = acc[0]
        results[f"{key}/test_acc"] = acc[1]
    save_npz(out, results, start)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=SEEDS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    main(args.seeds, args.out)
