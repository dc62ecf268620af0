"""Chapter 6's tuning study: SGD, SGD with momentum, Adam and AdamW, each tuned with the same budget.

The lesson ``notebooks/06_training_a_network.ipynb`` loads the results this script writes to
``notebooks/data/ch06_tuning.npz`` and re-runs a few of the final runs live. The study:

1. The lesson's three parts (:func:`sgdlib.explorers.training.digits_train_val`): 1010 images
   to train on, 337 to validate (every choice is made on these), and
   :func:`sgdlib.data.digits_split`'s 450 test images, looked at once, for the final verdict.
   The MLP ``[64, 64, 10]`` (ReLU) of :class:`sgdlib.models.MLP`; :data:`EPOCHS` epochs of
   mini-batches of :data:`BATCH_SIZE` (the last, smaller batch dropped), constant rate, trained by
   :func:`sgdlib.train.train`.
2. The same budget for every optimizer: :data:`N_TRIALS` trials of random search, every
   hyperparameter drawn log-uniformly from its range in :data:`SEARCH`; each trial trains on the
   training part with :data:`TUNE_SEEDS` seeds and is scored on the validation part by its mean
   accuracy (ties broken by the lower mean validation loss). Every optimizer uses the same
   uniform draws (common random numbers), each mapped onto its own ranges, so no optimizer gets
   luckier draws than another. A trial that diverges (:class:`~sgdlib.train.DivergenceError`)
   scores accuracy 0.
3. The final runs: the best trial's setting, trained on the same training part, over
   :data:`SEEDS` seeds (each seed draws the initial weights and the batch order); test accuracy
   of each run.

Run it (about a minute on one core; measured 65 s with another script running on 2 cores)::

    .venv/bin/python -m benchmarks.ch06_tuning

References
----------
Wilson, Roelofs, Stern, Srebro, Recht, "The marginal value of adaptive gradient methods in
machine learning", NeurIPS 2017 (section 4: tune every method, then compare). Bergstra and
Bengio, "Random search for hyper-parameter optimization", JMLR 2012.
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
from sgdlib.models import MLP
from sgdlib.optim import SGD, Adam, AdamW
from sgdlib.train import DivergenceError, train

OUT = Path(__file__).resolve().parent.parent / "notebooks" / "data" / "ch06_tuning.npz"
LAYERS = [64, 64, 10]
EPOCHS = 30
BATCH_SIZE = 32
N_TRIALS = 30
TUNE_SEEDS = 3
SEEDS = 20
#: name -> (optimizer class, fixed arguments, {hyperparameter: (low, high)} searched on a log scale).
SEARCH = {
    "SGD": (SGD, {}, {"lr": (3e-3, 3.0)}),
    "SGD+momentum": (SGD, {"momentum": 0.9}, {"lr": (3e-4, 3e-1)}),
    "Adam": (Adam, {}, {"lr": (1e-4, 1e-1)}),
    "AdamW": (AdamW, {}, {"lr": (1e-4, 1e-1), "weight_decay": (1e-4, 1.0)}),
}


def sample_trials(n_trials: int, rng: np.random.Generator) -> np.ndarray:
    """Uniform draws in [0, 1), shape ``(n_trials, k)``: one column per hyperparameter, ``k`` the
    most that any optimizer of :data:`SEARCH` searches (each uses its first columns)."""
    return rng.random((n_trials, max(len(space) for _, _, space in SEARCH.values())))


def log_uniform(u: np.ndarray, low: float, high: float) -> np.ndarray:
    """Map uniform draws ``u`` in [0, 1) onto [low, high) evenly on a log scale."""
    return np.exp(np.log(low) + u * (np.log(high) - np.log(low)))


def settings_for(name: str, u: np.ndarray) -> list[dict]:
    """The optimizer arguments of every trial: fixed ones plus the searched ones mapped from ``u``."""
    _, fixed, space = SEARCH[name]
    out = []
    for row in u:
        s = dict(fixed)
        for j, (key, (low, high)) in enumerate(space.items()):
            s[key] = float(log_uniform(row[j], low, high))
        out.append(s)
    return out


def train_run(name: str, setting: dict, X, y, seed: int, epochs: int = EPOCHS,
              batch_size: int = BATCH_SIZE) -> MLP | None:
    """Train a fresh MLP (weights from ``seed``, batch order from ``1000 + seed``) with
    :func:`sgdlib.train.train` (``drop_last=True``); return it, or None if training diverged."""
    cls = SEARCH[name][0]
    model = MLP(LAYERS, rng=np.random.default_rng(seed))
    try:
        train(model, cls(model.params, **setting), X, y, epochs=epochs, batch_size=batch_size,
              rng=1000 + seed, drop_last=True, progress=False)
    except DivergenceError:
        return None
    return model


def score(model: MLP | None, X, y) -> tuple[float, float]:
    """Accuracy and loss on ``(X, y)``; a diverged model (None, or not finite) scores 0 and inf."""
    if model is None:
        return 0.0, float("inf")
    with np.errstate(all="ignore"):
        loss = model.loss(X, y)
        if not np.isfinite(loss) or not all(np.isfinite(p).all() for p in model.params.values()):
            return 0.0, float("inf")
        return model.accuracy(X, y), loss


def main(n_trials: int = N_TRIALS, tune_seeds: int = TUNE_SEEDS, seeds: int = SEEDS,
         epochs: int = EPOCHS, out: Path | None = OUT) -> dict:
    start = time.perf_counter()
    X_train, X_val, y_train, y_val = digits_train_val()     # the lesson's 1010 / 337
    _, X_test, _, y_test = digits_split()                      # 450 images, used once at the end
    u = sample_trials(n_trials, np.random.default_rng(6))
    results: dict[str, np.ndarray] = {
        "names": np.array(list(SEARCH)), "epochs": np.array(epochs), "batch_size": np.array(BATCH_SIZE),
        "n_trials": np.array(n_trials), "tune_seeds": np.array(tune_seeds), "layers": np.array(LAYERS),
    }
    for name, (_, _, space) in SEARCH.items():
        settings = settings_for(name, u)
        val_acc = np.zeros((n_trials, tune_seeds))
        val_loss = np.zeros((n_trials, tune_seeds))
        for t, s in enumerate(settings):
            for k in range(tune_seeds):
                model = train_run(name, s, X_train, y_train, seed=100 + k, epochs=epochs)
                val_acc[t, k], val_loss[t, k] = score(model, X_val, y_val)
        order = np.lexsort((val_loss.mean(axis=1), -val_acc.mean(axis=1)))   # accuracy first, then loss
        best = settings[int(order[0])]
        test_acc = np.array([score(train_run(name, best, X_train, y_train, seed=s, epochs=epochs),
                                   X_test, y_test)[0] for s in range(seeds)])
        for key in space:
            results[f"{name}/trial_{key}"] = np.array([s[key] for s in settings])
            results[f"{name}/best_{key}"] = np.array(best[key])
        results[f"{name}/ranges"] = np.array([space[k] for k in space])
        results[f"{name}/val_acc"] = val_acc
        results[f"{name}/val_loss"] = val_loss
        results[f"{name}/test_acc"] = test_acc
        shown = ", ".join(f"{k} = {best[k]:.3g}" for k in space)
        print(f"{name:13s} best {shown}: validation accuracy {val_acc.mean(axis=1).max():.4f}; "
              f"test accuracy over {seeds} seeds {test_acc.mean():.4f} "
              f"[{test_acc.min():.4f}, {test_acc.max():.4f}]", flush=True)
    save_npz(out, results, start)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=N_TRIALS)
    parser.add_argument("--tune-seeds", type=int, default=TUNE_SEEDS)
    parser.add_argument("--seeds", type=int, default=SEEDS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    main(args.trials, args.tune_seeds, args.seeds, out=args.out)
