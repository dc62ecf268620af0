"""Benchmark 2: training the digits MLP (64-64-10, ReLU, batch 32).

With SGD+momentum and with Adam: the median time per epoch and the test accuracy after a fixed
number of epochs, for

* sgdlib (``sgdlib.models`` + ``sgdlib.train`` + ``sgdlib.optim``);
* scikit-learn's ``MLPClassifier`` with the same architecture, batch size, solver and
  hyperparameters (``alpha=0``, no early stopping, no tolerance-based stopping);
* the same model in torch (``nn.Sequential``, a plain minibatch loop, one thread).

All three train on the same seeded, stratified 80/20 split of ``sgdlib.data.load_digits``
(pixels in [0, 1]) and report the accuracy on the 20 % held out. Target: sgdlib's time per epoch
<= 0.7x scikit-learn's, at equal test accuracy.
"""

from __future__ import annotations

import statistics
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ._common import RESULTS, SKLEARN_HINT, TORCH_HINT, Table, optional

HIDDEN, BATCH = 64, 32
SETTINGS = {  # solver -> hyperparameters, shared by every implementation
    "SGD+momentum": {"lr": 0.1, "momentum": 0.9},
    "Adam": {"lr": 3e-3, "betas": (0.9, 0.999), "eps": 1e-8},
}
EPOCHS = 30
TARGET_VS_SKLEARN = 0.7   # sgdlib's time per epoch / scikit-learn's, at most (issue 8)
QUICK = {"epochs": 1, "repeats": 1}


def digits(seed: int = 0):
    """(X_train, y_train, X_test, y_test): the 1797 digits in [0, 1], a seeded stratified 80/20 split."""
    from sgdlib.data import load_digits, train_test_split

    X, y = load_digits()
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, rng=seed, stratify=True)
    return X_tr, y_tr, X_te, y_te


# -- the three implementations: each returns (seconds per epoch list, test accuracy) ------------

def train_sklearn(solver, hp, data, epochs, seed=0):
    neural = optional("sklearn.neural_network", SKLEARN_HINT)
    if neural is None:
        return None
    from sklearn.exceptions import ConvergenceWarning

    Xtr, ytr, Xte, yte = data
    common = dict(hidden_layer_sizes=(HIDDEN,), activation="relu", batch_size=BATCH, alpha=0.0,
                  learning_rate_init=hp["lr"], early_stopping=False, shuffle=True,
                  random_state=seed, max_iter=epochs, tol=0.0, n_iter_no_change=epochs + 1)
    if solver == "Adam":
        clf = neural.MLPClassifier(solver="adam", beta_1=hp["betas"][0], beta_2=hp["betas"][1],
                                   epsilon=hp["eps"], **common)
    else:
        clf = neural.MLPClassifier(solver="sgd", momentum=hp["momentum"], nesterovs_momentum=False,
                                   learning_rate="constant", **common)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        clf.fit(Xtr, ytr)
        per_epoch = (time.perf_counter() - start) / clf.n_iter_
    return [per_epoch], float((clf.predict(Xte) == yte).mean())


def train_torch(solver, hp, data, epochs, seed=0):
    torch = optional("torch", TORCH_HINT)
    if torch is None:
        return None
    Xtr, ytr, Xte, yte = data
    torch.manual_seed(seed)
    X, y = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(ytr, dtype=torch.long)
    model = torch.nn.Sequential(torch.nn.Linear(X.shape[1], HIDDEN), torch.nn.ReLU(),
                                torch.nn.Linear(HIDDEN, 10))
    if solver == "Adam":
        opt = torch.optim.Adam(model.parameters(), lr=hp["lr"], betas=hp["betas"], eps=hp["eps"])
    else:
        opt = torch.optim.SGD(model.parameters(), lr=hp["lr"], momentum=hp["momentum"])
    loss_fn = torch.nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(seed)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(len(y), generator=gen)
        for i in range(0, len(y), BATCH):
            idx = order[i:i + BATCH]
            opt.zero_grad()
            loss_fn(model(X[idx]), y[idx]).backward()
            opt.step()
        times.append(time.perf_counter() - start)
    with torch.no_grad():
        pred = model(torch.tensor(Xte, dtype=torch.float32)).argmax(1).numpy()
    return times, float((pred == yte).mean())


def train_sgdlib(solver, hp, data, epochs, seed=0):
    """``sgdlib.train.train`` on sgdlib's MLP; seconds per epoch = its whole wall time / epochs."""
    from sgdlib.models import MLP
    from sgdlib.optim import SGD, Adam
    from sgdlib.train import train

    Xtr, ytr, Xte, yte = data
    model = MLP([Xtr.shape[1], HIDDEN, 10], activation="relu", rng=seed)
    opt = (Adam if solver == "Adam" else SGD)(model.params, **hp)
    history = train(model, opt, Xtr, ytr, epochs=epochs, batch_size=BATCH, rng=seed, progress=False)
    # The whole call per epoch, including the training-set accuracy that train() evaluates
    # after every epoch (the peers do not): the conservative number.
    return [history.total_time / epochs], model.accuracy(Xte, yte)


IMPLEMENTATIONS: dict[str, Callable] = {"sgdlib": train_sgdlib, "scikit-learn": train_sklearn,
                                        "torch": train_torch}


def epoch_timer():
    """For the scaling benchmark: a function n -> seconds of one sgdlib epoch on n samples."""
    Xtr, ytr, Xte, yte = digits()

    def epoch_seconds(n: int, repeats: int = 1) -> float:
        reps = -(-n // len(ytr))
        data = (np.tile(Xtr, (reps, 1))[:n], np.tile(ytr, reps)[:n], Xte, yte)
        times, _ = train_sgdlib("SGD+momentum", SETTINGS["SGD+momentum"], data, max(1, repeats))
        return statistics.median(times)

    return epoch_seconds


def run(epochs: int = EPOCHS, repeats: int = 11, seed: int = 0,
        out_dir: Path | str | None = RESULTS) -> Table:
    """Train every (solver, implementation) ``repeats`` times; repeat r uses seed ``seed + r``
    for both the train/test split and the initial weights, the same for every implementation.
    Within each repeat the implementations run one after another, so that a slow spell of the
    shared machine hits all of them alike."""
    splits = [digits(seed + r) for r in range(repeats)]
    table = Table("training",
                  f"Digits MLP 64-{HIDDEN}-10 (ReLU), batch {BATCH}, {epochs} epochs, one thread",
                  ["solver", "implementation", "ms/epoch (median)", "test accuracy (median)",
                   "accuracy range", "epoch time / sgdlib"])
    notes = []
    for solver, hp in SETTINGS.items():
        runs: dict[str, list] = {name: [] for name in IMPLEMENTATIONS}
        for r, data in enumerate(splits):
            for name, train in IMPLEMENTATIONS.items():
                out = train(solver, hp, data, epochs, seed + r)
                if out is not None:
                    runs[name].append(out)
        results = {}
        for name, outs in runs.items():
            if not outs:
                table.add(solver, name, "not available", "-", "-", "-")
                continue
            per_epoch = statistics.median(t for times, _ in outs for t in times)
            accs = [acc for _, acc in outs]
            results[name] = (per_epoch, statistics.median(accs), f"{min(accs):.3f}-{max(accs):.3f}")
        base = results.get("sgdlib", (None,))[0]
        for name, (per_epoch, acc, spread) in results.items():
            table.add(solver, name, 1e3 * per_epoch, acc, spread, per_epoch / base if base else "-")
        if base and "scikit-learn" in results:
            ratio = base / results["scikit-learn"][0]
            notes.append(f"{solver}: sgdlib/scikit-learn epoch time = {ratio:.2f}x (target <= {TARGET_VS_SKLEARN}x: "
                         f"{'met' if ratio <= TARGET_VS_SKLEARN else 'MISSED'}) at median test accuracy "
                         f"{results['sgdlib'][1]:.3f} vs {results['scikit-learn'][1]:.3f}")
    hp_text = "; ".join(f"{s}: {', '.join(f'{k}={v}' for k, v in hp.items())}" for s, hp in SETTINGS.items())
    table.notes = [f"Hyperparameters: {hp_text}; no L2 (alpha=0), no early stopping. Data: 1797 digits, "
                   f"stratified split {len(splits[0][1])}/{len(splits[0][3])}; medians over {repeats} seeds "
                   "(each seed: its own split and initial weights).",
                   "sgdlib: sgdlib.train.train(MLP([64, 64, 10]), optimizer, ...), time = its wall time / epochs "
                   "(including its per-epoch training-accuracy evaluation); scikit-learn: "
                   "MLPClassifier(hidden_layer_sizes=(64,)), time = fit time / epochs; torch: "
                   "nn.Sequential, float32, index-sliced minibatches.",
                   *notes]
    if out_dir is not None:
        table.save(out_dir)
    return table
