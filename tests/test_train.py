"""Tests of sgdlib.train: it learns, records a faithful history, and stops cleanly on divergence."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from sgdlib.data import digits_split, load_digits, make_blobs, make_linear_regression, standardize
from sgdlib.models import MLP, LinearRegression, LogisticRegression, SoftmaxRegression
from sgdlib.optim import SGD, Adam
from sgdlib.train import DivergenceError, History, _Progress, _progress_default, train


@pytest.fixture(scope="module")
def digits():
    return digits_split()


# -- it learns ------------------------------------------------------------------------------------

def test_softmax_regression_on_digits_generalises(digits):
    X_tr, X_te, y_tr, y_te = digits
    model = SoftmaxRegression(64, 10)
    chance = 0.1
    h = train(model, SGD(model.params, lr=0.5, momentum=0.9), X_tr, y_tr, epochs=5, batch_size=32,
              rng=0, X_val=X_te, y_val=y_te, progress=False)
    # a linear classifier separates most digits: far above chance on held-out data, and the
    # per-epoch test accuracy recorded in the history is the model's
    assert h.epoch_val_accuracy[-1] > 0.9 > chance
    assert h.epoch_val_accuracy[-1] == model.accuracy(X_te, y_te)
    assert h.epoch_val_loss[-1] == pytest.approx(model.loss(X_te, y_te))
    assert h.epoch_train_loss[-1] < h.epoch_train_loss[0] < np.log(10)


def test_mlp_on_digits_beats_chance_by_far_and_fits_training_data(digits):
    X_tr, X_te, y_tr, y_te = digits
    model = MLP([64, 64, 10], rng=0)
    h = train(model, Adam(model.params, lr=3e-3), X_tr, y_tr, epochs=8, batch_size=32, rng=1,
              X_val=X_te, y_val=y_te, progress=False)
    assert h.epoch_train_accuracy[-1] > 0.97
    assert h.epoch_val_accuracy[-1] > 0.9


def test_logistic_regression_separates_two_far_blobs():
    X, y = make_blobs(400, n_classes=2, cluster_std=0.5, center_box=(-6.0, 6.0), rng=3)
    model = LogisticRegression(2)
    h = train(model, SGD(model.params, lr=0.1), X, y, epochs=5, batch_size=16, rng=0, progress=False)
    assert h.epoch_train_accuracy[-1] > 0.97
    assert h.epoch_val_accuracy.size == 0 and h.epoch_val_loss.size == 0


def test_linear_regression_reaches_the_noise_floor_and_scaling_helps():
    # with standardized features SGD gets near the irreducible error noise^2 = 0.01
    X, y, _ = make_linear_regression(1000, 3, rng=0, noise=0.1, scales=[1.0, 10.0, 100.0])
    Z, _ = standardize(X, X)
    scaled = LinearRegression(3)
    h = train(scaled, SGD(scaled.params, lr=0.05), Z, y, epochs=10, batch_size=20, rng=0, progress=False)
    assert scaled.loss(Z, y) < 0.02
    assert h.epoch_train_accuracy.size == 0             # regression: no accuracy
    raw = LinearRegression(3)                           # same lr on raw features: largest scale
    with pytest.raises(DivergenceError):                # 100 makes lr*2*100^2 >> 2: it diverges
        train(raw, SGD(raw.params, lr=0.05), X, y, epochs=10, batch_size=20, rng=0, progress=False)


# -- the history ---------------------------------------------------------------------------------

def test_history_records_every_step_and_epoch_consistently():
    X, y = make_blobs(100, n_classes=3, rng=0)
    model = SoftmaxRegression(2, 3)
    schedule = lambda t: 0.1 / (1 + t)                  # noqa: E731
    h = train(model, SGD(model.params, lr=0.1), X, y, epochs=3, batch_size=32, rng=0,
              schedule=schedule, X_val=X[:10], y_val=y[:10], progress=False)
    assert isinstance(h, History)
    assert h.steps == 12 and h.epochs == 3              # ceil(100 / 32) = 4 steps per epoch
    for arr in (h.step_loss, h.step_time, h.step_lr):
        assert arr.shape == (12,) and np.isfinite(arr).all()
    for arr in (h.epoch_train_loss, h.epoch_train_accuracy, h.epoch_val_loss, h.epoch_val_accuracy):
        assert arr.shape == (3,)
    np.testing.assert_allclose(h.step_lr, 0.1 / (1 + np.arange(12)))         # schedule(step)
    np.testing.assert_allclose(h.epoch_train_loss, h.step_loss.reshape(3, 4).mean(axis=1))
    assert (np.diff(h.step_time) >= 0).all() and h.step_time[0] > 0
    assert h.total_time >= h.step_time[-1]
    assert h.step_loss[0] == pytest.approx(np.log(3))  # the first loss is at the zero start
    assert "3 epochs, 12 steps" in repr(h)


def test_the_same_seed_gives_the_same_run_and_drop_last_is_passed_on():
    X, y = make_blobs(100, n_classes=2, rng=0)

    def run(seed, drop_last=False):
        model = LogisticRegression(2)
        return train(model, SGD(model.params, lr=0.1), X, y, epochs=2, batch_size=30, rng=seed,
                     drop_last=drop_last, progress=False)

    a, b, c = run(5), run(np.random.default_rng(5)), run(6)
    np.testing.assert_array_equal(a.step_loss, b.step_loss)
    assert not np.array_equal(a.step_loss, c.step_loss)
    assert a.steps == 8 and run(5, drop_last=True).steps == 6


# -- divergence ----------------------------------------------------------------------------------

@pytest.mark.parametrize("make_model, X, y, lr", [
    # least squares: each step multiplies the error by about |1 - 2 lr lambda| >> 1, up to inf
    (lambda: LinearRegression(2), *make_linear_regression(200, 2, rng=0)[:2], 1e6),
    # cross-entropy gradients are bounded, so only an absurd lr overflows a ReLU net (the
    # weights of successive layers multiply); with a merely too-large lr the loss stays finite
    (lambda: MLP([2, 16, 16, 3], activation="relu", rng=0), *make_blobs(200, n_classes=3, rng=0), 1e50),
    (lambda: MLP([64, 32, 10], activation="relu", rng=0), *load_digits(), 1e100),
])
def test_huge_learning_rate_raises_divergence_error_naming_the_step_without_warnings(make_model, X, y, lr):
    model = make_model()
    with warnings.catch_warnings():
        warnings.simplefilter("error")                  # any RuntimeWarning would fail here
        with pytest.raises(DivergenceError) as info:
            train(model, SGD(model.params, lr=lr, momentum=0.9), X, y, epochs=50, batch_size=10,
                  rng=0, progress=False)
    err = info.value
    assert isinstance(err, FloatingPointError)
    msg = str(err)
    assert f"step {err.step}" in msg and "epoch" in msg and "smaller learning rate" in msg
    # err.step counts from 1 (was: from 0); the history holds the steps before the failing one
    assert err.lr == lr and err.history.steps == err.step - 1
    assert np.isfinite(err.history.step_loss).all()


# -- bad input -----------------------------------------------------------------------------------

def _args(**over):
    X, y = make_blobs(20, rng=0)
    model = LogisticRegression(2)
    args = {"model": model, "optimizer": SGD(model.params, lr=0.1), "X": X, "y": y, "epochs": 1,
            "batch_size": 4, "rng": 0, "progress": False}
    args.update(over)
    return args


@pytest.mark.parametrize("over, exc, match", [
    ({"epochs": 0}, ValueError, "epochs must be >= 1"),
    ({"epochs": 1.5}, TypeError, "epochs must be an integer"),
    ({"batch_size": 0}, ValueError, "batch_size must be >= 1"),
    ({"batch_size": "32"}, TypeError, "batch_size must be an integer"),
    ({"rng": None}, TypeError, "rng must be"),
    ({"X": np.zeros((20, 3))}, ValueError, "X must have 2 columns"),
    ({"X": np.full((20, 2), np.nan)}, ValueError, "X contains NaN"),
    ({"y": np.zeros(19, dtype=int)}, ValueError, "same number of rows"),
    ({"X": np.zeros((0, 2)), "y": np.zeros(0, dtype=int)}, ValueError, "empty"),
    ({"X_val": np.zeros((3, 2))}, ValueError, "both X_val and y_val"),
    ({"schedule": 0.1}, TypeError, "schedule must be a callable"),
    ({"progress": "yes"}, TypeError, "progress must be True or False"),
    ({"optimizer": SGD([np.zeros(2)], lr=0.1)}, ValueError, "built on model.params"),
    ({"model": "logistic"}, TypeError, "model must be an sgdlib model"),
    ({"optimizer": "sgd"}, TypeError, "optimizer must be"),
])
def test_train_rejects_bad_input_naming_the_argument(over, exc, match):
    with pytest.raises(exc, match=match):
        args = _args(**over)
        train(args.pop("model"), args.pop("optimizer"), args.pop("X"), args.pop("y"), **args)


def test_a_schedule_returning_a_negative_lr_is_refused():
    args = _args(schedule=lambda t: -0.1)
    with pytest.raises(ValueError, match="lr must be >= 0"):
        train(args.pop("model"), args.pop("optimizer"), args.pop("X"), args.pop("y"), **args)


# -- progress display ----------------------------------------------------------------------------

def test_progress_is_off_under_pytest_and_on_ci(monkeypatch):
    assert _progress_default() is False                  # we are under pytest
    monkeypatch.setenv("CI", "true")
    assert _progress_default() is False


def test_progress_line_is_one_rewritten_line_and_silent_when_disabled(capsys):
    p = _Progress(100, 2, enabled=True, after=0.0, every=0.0)
    p.update(10, 0, 1.5)
    p.update(60, 1, 0.5)
    p.update(100, 1, 0.25, final=True)
    p.close()
    err = capsys.readouterr().err
    assert err.count("\r") == 3 and err.endswith("\n") and err.count("\n") == 1
    assert "epoch 2/2" in err and "step 60/100" in err and "step 100/100" in err
    q = _Progress(100, 2, enabled=False, after=0.0, every=0.0)
    q.update(10, 0, 1.5)
    q.update(100, 1, 0.25, final=True)
    q.close()
    late = _Progress(100, 2, enabled=True, after=60.0, every=0.0)   # a short run: never shown
    late.update(100, 1, 0.25)
    late.update(100, 1, 0.25, final=True)
    late.close()
    assert capsys.readouterr().err == ""


def test_train_with_progress_false_prints_nothing(capsys):
    args = _args()
    train(args.pop("model"), args.pop("optimizer"), args.pop("X"), args.pop("y"), **args)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


# -- optimizer structure, schedules, rng, divergence message ---------------------------------------

@pytest.mark.parametrize("build", [
    lambda m: SGD(list(m.params.values()), lr=0.1, momentum=0.9),
    lambda m: SGD({f"p{i}": p for i, p in enumerate(m.params.values())}, lr=0.1, momentum=0.9),
    lambda m: SGD({k: p.copy() for k, p in m.params.items()}, lr=0.1, momentum=0.9),
], ids=["list_of_the_same_arrays", "dict_other_names", "dict_of_copies"])
def test_optimizer_not_built_on_model_params_is_refused_before_training(build):
    # the loop hands the model's gradient dict to optimizer.step as it is, so the optimizer
    # must hold model.params itself: the same arrays under the same names
    X, y = make_blobs(40, n_classes=3, rng=0)
    model = MLP([2, 8, 3], rng=0)
    before = {k: p.copy() for k, p in model.params.items()}
    with pytest.raises(ValueError, match=r"optimizer must be built on model.params, e.g. SGD\(model.params"):
        train(model, build(model), X, y, epochs=1, batch_size=8, rng=0, progress=False)
    for k, p in model.params.items():
        np.testing.assert_array_equal(p, before[k])


class _PublicOnlyLeastSquares:
    """A model with nothing but the public interface train() documents (no private methods)."""

    def __init__(self):
        self.params = {"w": np.zeros(2)}
        self.batches = 0

    def loss(self, X, y):
        r = X @ self.params["w"] - y
        return float(r @ r) / len(y)

    def loss_and_grads(self, X, y):
        self.batches += 1
        r = X @ self.params["w"] - y
        return float(r @ r) / len(y), {"w": 2 * X.T @ r / len(y)}


def test_train_runs_any_model_through_its_public_loss_and_grads():
    X, y = make_linear_regression(60, 2, rng=0)[:2]
    model = _PublicOnlyLeastSquares()
    h = train(model, SGD(model.params, lr=0.05), X, y, epochs=3, batch_size=20, shuffle=False, progress=False)
    assert model.batches == h.steps == 9                 # one loss_and_grads call per step
    w = np.zeros(2)                                      # the same run by hand
    for _ in range(3):
        for i in range(0, 60, 20):
            Xb, yb = X[i:i + 20], y[i:i + 20]
            w -= 0.05 * 2 * Xb.T @ (Xb @ w - yb) / 20
    np.testing.assert_allclose(model.params["w"], w, rtol=1e-12)
    assert h.epoch_train_accuracy.size == 0              # no accuracy method: not a classifier


def test_optimizer_on_only_some_of_the_models_arrays_is_refused():
    model = MLP([2, 8, 3], rng=0)
    X, y = make_blobs(20, n_classes=3, rng=0)
    with pytest.raises(ValueError, match="built on model.params"):
        train(model, SGD(list(model.params.values())[:2], lr=0.1), X, y, epochs=1, batch_size=4,
              rng=0, progress=False)


def test_a_schedule_shorter_than_the_run_is_refused_before_training_naming_both():
    from sgdlib.schedules import OneCycle
    X, y = make_blobs(100, n_classes=2, rng=0)       # 100 / 32 -> 4 steps per epoch, 3 epochs: 12
    model = LogisticRegression(2)
    before = {k: p.copy() for k, p in model.params.items()}
    with pytest.raises(ValueError, match=r"OneCycle\(max_lr=0.1, total_steps=8.*12 steps"):
        train(model, SGD(model.params, lr=0.1), X, y, epochs=3, batch_size=32, rng=0,
              schedule=OneCycle(max_lr=0.1, total_steps=8), progress=False)
    for k, p in model.params.items():                # refused before the first step
        np.testing.assert_array_equal(p, before[k])
    h = train(model, SGD(model.params, lr=0.1), X, y, epochs=3, batch_size=32, rng=0,
              schedule=OneCycle(max_lr=0.1, total_steps=12), progress=False)
    assert h.steps == 12


def test_train_without_rng_works_when_not_shuffling_and_visits_rows_in_order():
    X, y = make_blobs(40, n_classes=2, rng=0)
    a, b = LogisticRegression(2), LogisticRegression(2)
    h = train(a, SGD(a.params, lr=0.1), X, y, epochs=2, batch_size=10, shuffle=False, progress=False)
    # the same run by hand: batches in row order, one SGD step each
    for _ in range(2):
        for i in range(0, 40, 10):
            _, grads = b.loss_and_grads(X[i:i + 10], y[i:i + 10])
            for k in b.params:
                b.params[k] -= 0.1 * grads[k]
    for k in a.params:
        np.testing.assert_allclose(a.params[k], b.params[k], rtol=1e-12)
    assert h.steps == 8
    with pytest.raises(TypeError, match="rng is required when shuffle=True"):
        train(a, SGD(a.params, lr=0.1), X, y, epochs=1, batch_size=10, progress=False)


def test_divergence_message_counts_step_and_epoch_from_one_with_totals():
    # least squares with lr = 1e6 overflows within the first epochs (see the test above)
    X, y = make_linear_regression(200, 2, rng=0)[:2]
    model = LinearRegression(2)
    with pytest.raises(DivergenceError) as info:
        train(model, SGD(model.params, lr=1e6), X, y, epochs=50, batch_size=10, rng=0, progress=False)
    err = info.value
    per_epoch = 20
    assert f"at step {err.step} of {50 * per_epoch}, epoch {err.epoch} of 50" in str(err)
    assert err.epoch == (err.step - 1) // per_epoch + 1          # both counted from 1
    assert "counting from 0" not in str(err)


def test_divergence_is_detected_by_the_exception_class_not_the_message(monkeypatch):
    # an optimizer error that merely mentions "NaN or inf" is not divergence: it propagates as is
    from sgdlib.optim import NonFiniteGradientError
    X, y = make_blobs(20, n_classes=2, rng=0)
    model = LogisticRegression(2)
    opt = SGD(model.params, lr=0.1)

    def bad_step(grads):
        raise ValueError("some other problem mentioning NaN or inf")
    monkeypatch.setattr(opt, "step", bad_step)
    with pytest.raises(ValueError, match="some other problem") as info:
        train(model, opt, X, y, epochs=1, batch_size=4, rng=0, progress=False)
    assert not isinstance(info.value, DivergenceError)

    def nonfinite_step(grads):
        raise NonFiniteGradientError("grads['w'] is bad")
    monkeypatch.setattr(opt, "step", nonfinite_step)
    with pytest.raises(DivergenceError, match="a gradient is NaN or infinite"):
        train(model, opt, X, y, epochs=1, batch_size=4, rng=0, progress=False)
