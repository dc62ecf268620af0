"""Tests of benchmarks/ch06_tuning.py, the precomputed tuning study of chapter 6, on a tiny budget."""

import numpy as np
import pytest

from benchmarks import ch06_tuning as study
from sgdlib.data import digits_split


@pytest.fixture(scope="module")
def data():
    X_train, X_test, y_train, y_test = digits_split()
    return X_train[:200], y_train[:200], X_test[:100], y_test[:100]


def test_log_uniform_maps_the_unit_interval_onto_the_range_evenly_in_log():
    u = np.array([0.0, 0.5, 1.0])
    np.testing.assert_allclose(study.log_uniform(u, 1e-4, 1e-2), [1e-4, 1e-3, 1e-2])


def test_every_optimizer_gets_the_same_draws_and_the_same_number_of_trials():
    u = study.sample_trials(8, np.random.default_rng(0))
    settings = {name: study.settings_for(name, u) for name in study.SEARCH}
    assert {len(s) for s in settings.values()} == {8}
    for name, (_, fixed, space) in study.SEARCH.items():
        (low, high), = [space["lr"]]
        lrs = np.array([s["lr"] for s in settings[name]])
        assert np.all((lrs >= low) & (lrs < high))
        # the same quantile of each range: the position on the log scale is the draw u[:, 0]
        np.testing.assert_allclose((np.log(lrs) - np.log(low)) / (np.log(high) - np.log(low)), u[:, 0])
        for key, value in fixed.items():
            assert all(s[key] == value for s in settings[name])
    # every learning-rate range spans the same width on the log scale (three decades)
    for _, _, space in study.SEARCH.values():
        low, high = space["lr"]
        assert np.log10(high / low) == pytest.approx(3.0)


def test_a_run_is_deterministic_and_a_diverged_run_scores_zero(data):
    X, y, Xt, yt = data
    a = study.score(study.train_run("Adam", {"lr": 3e-3}, X, y, seed=0, epochs=3), Xt, yt)
    b = study.score(study.train_run("Adam", {"lr": 3e-3}, X, y, seed=0, epochs=3), Xt, yt)
    assert a == b and a[0] > 0.5                               # learns something in 3 epochs
    broken = study.train_run("SGD", {"lr": 0.1}, X, y, seed=0, epochs=1)
    broken.params["W1"][0, 0] = np.nan                          # what an overflowing run leaves
    assert study.score(broken, Xt, yt) == (0.0, float("inf"))


def test_a_run_that_raises_divergence_is_recorded_as_failed_not_fatal(data, monkeypatch):
    X, y, Xt, yt = data

    def diverge(*args, **kwargs):                              # what train() raises on a NaN gradient
        raise study.DivergenceError("training diverged at step 1", step=1, epoch=1, lr=1.0, history=None)

    monkeypatch.setattr(study, "train", diverge)
    assert study.train_run("SGD", {"lr": 1.0}, X, y, seed=0, epochs=1) is None
    assert study.score(None, Xt, yt) == (0.0, float("inf"))


def test_sample_trials_has_one_column_per_hyperparameter_of_the_widest_search(monkeypatch):
    assert study.sample_trials(4, np.random.default_rng(0)).shape == (4, 2)    # AdamW: lr, weight_decay
    wide = dict(study.SEARCH, Wide=(study.SGD, {}, {"lr": (1e-3, 1.0), "momentum": (0.1, 0.9),
                                                   "weight_decay": (1e-4, 1.0)}))
    monkeypatch.setattr(study, "SEARCH", wide)
    u = study.sample_trials(4, np.random.default_rng(0))
    assert u.shape == (4, 3)
    assert study.settings_for("Wide", u)[0]["weight_decay"] == pytest.approx(study.log_uniform(u[0, 2], 1e-4, 1.0))


def test_main_on_a_tiny_budget_picks_the_best_validation_trial(tmp_path, monkeypatch):
    monkeypatch.setattr(study, "SEARCH", {k: study.SEARCH[k] for k in ("SGD", "AdamW")})
    out = tmp_path / "tuning.npz"
    res = study.main(n_trials=3, tune_seeds=1, seeds=2, epochs=2, out=out)
    saved = np.load(out)
    for name in ("SGD", "AdamW"):
        val = saved[f"{name}/val_acc"].mean(axis=1)
        best = int(np.argmax(val))                              # ties broken by loss: check the value
        assert saved[f"{name}/best_lr"] in saved[f"{name}/trial_lr"]
        chosen = int(np.flatnonzero(saved[f"{name}/trial_lr"] == saved[f"{name}/best_lr"])[0])
        assert val[chosen] == val[best]
        assert saved[f"{name}/test_acc"].shape == (2,)
    assert "AdamW/best_weight_decay" in saved and "SGD/best_weight_decay" not in saved
    assert set(res) == set(saved.files)
