"""Tests of sgdlib.data: mini-batches, synthetic data, the digits, splits and scaling."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sgdlib.data as data_pkg
from sgdlib.data import (DataLoader, Standardizer, digits_split, load_digits, make_blobs,
                         make_linear_regression, make_moons, standardize, train_test_split)


def epoch_labels(loader):
    return [yb.copy() for _, yb in loader]


# -- DataLoader -----------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 60), batch_size=st.integers(1, 70), seed=st.integers(0, 2**32 - 1),
       shuffle=st.booleans())
def test_one_epoch_of_minibatches_partitions_the_data(n, batch_size, seed, shuffle):
    X = np.arange(n * 3, dtype=float).reshape(n, 3)
    y = np.arange(n)
    loader = DataLoader(X, y, batch_size=batch_size, rng=np.random.default_rng(seed), shuffle=shuffle)
    batches = list(loader)
    assert len(batches) == len(loader) == -(-n // batch_size)
    seen = np.concatenate([yb for _, yb in batches])
    np.testing.assert_array_equal(np.sort(seen), y)            # every sample exactly once
    for Xb, yb in batches:
        np.testing.assert_array_equal(Xb, X[yb])               # rows stay paired with labels
        assert 1 <= len(yb) <= batch_size
    assert all(len(yb) == batch_size for _, yb in batches[:-1])  # only the last may be short


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 60), batch_size=st.integers(1, 60), seed=st.integers(0, 1000))
def test_drop_last_drops_exactly_the_remainder(n, batch_size, seed):
    if batch_size > n:
        with pytest.raises(ValueError, match="drop_last"):
            DataLoader(np.zeros((n, 1)), np.arange(n), batch_size=batch_size, rng=seed, drop_last=True)
        return
    loader = DataLoader(np.zeros((n, 1)), np.arange(n), batch_size=batch_size, rng=seed, drop_last=True)
    sizes = [len(yb) for _, yb in loader]
    assert sizes == [batch_size] * (n // batch_size) == [batch_size] * len(loader)
    seen = np.concatenate([yb for _, yb in loader])
    assert len(np.unique(seen)) == n - n % batch_size             # no repeats, remainder dropped


def test_shuffling_differs_between_epochs_but_is_reproducible_from_the_seed():
    X, y = np.zeros((100, 2)), np.arange(100)
    a = DataLoader(X, y, batch_size=10, rng=np.random.default_rng(7))
    b = DataLoader(X, y, batch_size=10, rng=np.random.default_rng(7))
    a1, a2 = np.concatenate(epoch_labels(a)), np.concatenate(epoch_labels(a))
    b1, b2 = np.concatenate(epoch_labels(b)), np.concatenate(epoch_labels(b))
    assert not np.array_equal(a1, a2)                    # a new order every epoch
    np.testing.assert_array_equal(a1, b1)                # the same seed: the same epochs
    np.testing.assert_array_equal(a2, b2)
    c1 = np.concatenate(epoch_labels(DataLoader(X, y, batch_size=10, rng=np.random.default_rng(8))))
    assert not np.array_equal(a1, c1)                    # another seed: another order
    assert not np.array_equal(a1, y)                     # and it is actually shuffled


def test_no_shuffle_keeps_the_order_and_needs_no_rng():
    X, y = np.arange(14.0).reshape(7, 2), np.arange(7)
    batches = epoch_labels(DataLoader(X, y, batch_size=3, shuffle=False))
    assert [b.tolist() for b in batches] == [[0, 1, 2], [3, 4, 5], [6]]


def test_dataloader_does_not_modify_the_callers_arrays():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    X0, y0 = X.copy(), y.copy()
    for Xb, _ in DataLoader(X, y, batch_size=4, rng=0):
        Xb += 1.0                                         # a learner scribbling on a batch
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"batch_size": 0}, ValueError, "batch_size must be >= 1"),
    ({"batch_size": -3}, ValueError, "batch_size must be >= 1"),
    ({"batch_size": 2.5}, TypeError, "batch_size must be an integer"),
    ({"batch_size": "32"}, TypeError, "batch_size must be an integer"),
    ({"batch_size": True}, TypeError, "batch_size must be an integer"),
    ({"batch_size": 11, "drop_last": True}, ValueError, "larger than the 10 samples"),
    ({"batch_size": 2, "rng": None}, TypeError, "rng is required"),
    ({"batch_size": 2, "rng": "seed"}, TypeError, "rng must be a numpy.random.Generator"),
    ({"batch_size": 2, "drop_last": 1}, TypeError, "drop_last must be True or False"),
    ({"batch_size": 2, "y": np.arange(9)}, ValueError, "same number of samples.*10 and 9"),
    ({"batch_size": 2, "X": np.zeros((0, 2)), "y": np.zeros(0)}, ValueError, "X is empty"),
    ({"batch_size": 2, "X": np.full((10, 2), np.nan)}, ValueError, "X contains NaN"),
    ({"batch_size": 2, "X": "data"}, TypeError, "X must be a numpy array"),
    ({"batch_size": 2, "y": np.zeros((10, 1))}, ValueError, "y must be 1-D"),
])
def test_dataloader_rejects_bad_input_with_a_clear_message(kwargs, exc, match):
    args = {"X": np.zeros((10, 2)), "y": np.arange(10), "rng": 0, **kwargs}
    with pytest.raises(exc, match=match):
        DataLoader(args.pop("X"), args.pop("y"), **args)


# -- synthetic data -------------------------------------------------------------------------------

def test_linear_regression_data_follows_the_model_with_the_given_noise():
    X, y, w = make_linear_regression(20_000, 3, rng=0, noise=0.5, bias=2.0)
    residual = y - X @ w - 2.0
    assert abs(residual.std() - 0.5) < 0.02               # sd of the mean of 20k: 0.0025
    assert abs(residual.mean()) < 0.02
    # least squares recovers w (closed form: the normal equations)
    A = np.c_[X, np.ones(len(X))]
    coef = np.linalg.lstsq(A, y, rcond=None)[0]
    np.testing.assert_allclose(coef, [*w, 2.0], atol=0.02)


def test_feature_scales_make_the_least_squares_problem_ill_conditioned():
    Xs, _, ws = make_linear_regression(2000, 2, rng=1, scales=[1.0, 30.0])
    Xu, _, _ = make_linear_regression(2000, 2, rng=1)
    cond_scaled = np.linalg.cond(Xs.T @ Xs)
    cond_unit = np.linalg.cond(Xu.T @ Xu)
    assert cond_unit < 1.5 and cond_scaled > 500          # ~30^2 = 900 versus ~1
    Zs, _ = standardize(Xs, Xs)
    assert np.linalg.cond(Zs.T @ Zs) < 1.5               # scaling fixes it


def test_makers_are_reproducible_from_the_seed_and_differ_across_seeds():
    for make in (lambda r: make_linear_regression(50, 2, rng=r)[:2], lambda r: make_blobs(50, rng=r),
                 lambda r: make_moons(50, rng=r)):
        a, b, c = make(np.random.default_rng(3)), make(np.random.default_rng(3)), make(4)
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
        assert not np.array_equal(a[0], c[0])


def test_blobs_have_balanced_classes_around_their_centres():
    X, y = make_blobs(3001, n_classes=3, n_features=4, cluster_std=0.5, rng=0)
    assert X.shape == (3001, 4) and y.dtype.kind == "i"
    assert np.bincount(y).tolist() == [1001, 1000, 1000]
    for k in range(3):
        assert abs(X[y == k].std(axis=0).mean() - 0.5) < 0.03   # each blob has sd cluster_std
    assert not np.array_equal(y[:10], np.arange(10) % 3)       # labels come shuffled


def test_noiseless_moons_lie_on_their_half_circles():
    X, y = make_moons(400, noise=0.0, rng=0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert (upper[:, 1] >= 0).all() and (lower[:, 1] <= 0.5).all()
    assert np.bincount(y).tolist() == [200, 200]


@pytest.mark.parametrize("call, exc, match", [
    (lambda: make_linear_regression(0, rng=0), ValueError, "n_samples must be >= 1"),
    (lambda: make_linear_regression(10, 2, rng=0, scales=[1.0]), ValueError, r"scales must have shape \(2,\)"),
    (lambda: make_linear_regression(10, 2, rng=0, scales=[1.0, -1.0]), ValueError, "positive"),
    (lambda: make_linear_regression(10, rng=0, noise=-1), ValueError, "noise must be >= 0"),
    (lambda: make_linear_regression(10, rng=None), TypeError, "rng must be"),
    (lambda: make_blobs(10, n_classes=1, rng=0), ValueError, "n_classes must be >= 2"),
    (lambda: make_blobs(2, n_classes=3, rng=0), ValueError, "n_samples must be >= n_classes"),
    (lambda: make_blobs(10, cluster_std=0, rng=0), ValueError, "cluster_std must be > 0"),
    (lambda: make_blobs("10", rng=0), TypeError, "n_samples must be an integer"),
    (lambda: make_moons(10, noise="a lot", rng=0), TypeError, "noise must be a real number"),
])
def test_makers_reject_bad_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# -- digits ---------------------------------------------------------------------------------------

def test_digits_are_shipped_small_and_load_offline_scaled_to_unit_interval():
    path = Path(data_pkg.__file__).parent / "digits.npz"
    assert path.stat().st_size < 300_000
    assert (path.parent / "DIGITS_LICENSE.md").read_text().count("CC BY 4.0") >= 1
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64 and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    np.testing.assert_array_equal(X * 16, np.round(X * 16))   # counts 0..16, divided by 16
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    images, y2 = load_digits(flatten=False)
    assert images.shape == (1797, 8, 8)
    np.testing.assert_array_equal(images.reshape(1797, 64), X)
    np.testing.assert_array_equal(y, y2)


def test_digits_split_is_the_lessons_stratified_three_to_one_split_and_the_same_every_time():
    assert "digits_split" in data_pkg.__all__
    X_train, X_test, y_train, y_test = digits_split()
    X, y = load_digits()
    expected = train_test_split(X, y, test_size=0.25, rng=0, stratify=True)
    for got, want in zip((X_train, X_test, y_train, y_test), expected):
        np.testing.assert_array_equal(got, want)
    assert len(y_test) == 450 and np.abs(np.bincount(y_test) / 450 - np.bincount(y) / 1797).max() < 0.01
    np.testing.assert_array_equal(digits_split()[3], y_test)


def test_digits_equal_scikit_learns_copy():
    datasets = pytest.importorskip("sklearn.datasets")   # the source the file was made from
    Xs, ys = datasets.load_digits(return_X_y=True)
    X, y = load_digits()
    np.testing.assert_array_equal(X * 16, Xs)
    np.testing.assert_array_equal(y, ys)


# -- split and scaling ----------------------------------------------------------------------------

def test_split_is_a_seeded_partition():
    X, y = np.arange(200.0).reshape(100, 2), np.arange(100)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, rng=0)
    assert len(y_te) == 30 and len(y_tr) == 70
    np.testing.assert_array_equal(np.sort(np.r_[y_tr, y_te]), y)
    np.testing.assert_array_equal(X_tr, X[y_tr])
    again = train_test_split(X, y, test_size=0.3, rng=0)
    np.testing.assert_array_equal(again[3], y_te)
    assert not np.array_equal(train_test_split(X, y, test_size=0.3, rng=1)[3], y_te)


def test_stratified_split_keeps_class_proportions():
    X, y = load_digits()
    _, _, y_tr, y_te = train_test_split(X, y, test_size=0.2, rng=0, stratify=True)
    counts = np.bincount(y)
    np.testing.assert_array_equal(np.bincount(y_te), np.round(0.2 * counts).astype(int))
    np.testing.assert_array_equal(np.bincount(y_tr) + np.bincount(y_te), counts)


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"test_size": 0.0}, ValueError, "test_size must be > 0"),
    ({"test_size": 1.0}, ValueError, "test_size must be < 1"),
    ({"test_size": "0.2"}, TypeError, "test_size must be a real number"),
    ({"stratify": True, "y": np.linspace(0, 1, 10)}, TypeError, "integer class labels"),
    ({"y": np.arange(9)}, ValueError, "same number of samples"),
])
def test_split_rejects_bad_arguments(kwargs, exc, match):
    args = {"X": np.zeros((10, 2)), "y": np.arange(10), "rng": 0, **kwargs}
    with pytest.raises(exc, match=match):
        train_test_split(args.pop("X"), args.pop("y"), **args)


def test_standardize_fits_on_train_and_applies_the_same_map_to_test():
    rng = np.random.default_rng(0)
    X_tr = rng.normal([5.0, -3.0, 0.0], [10.0, 0.1, 0.0], size=(500, 3))   # last column constant
    X_te = rng.normal([5.0, -3.0, 0.0], [10.0, 0.1, 0.0], size=(50, 3))
    before = X_tr.copy(), X_te.copy()
    Z_tr, Z_te = standardize(X_tr, X_te)
    np.testing.assert_allclose(Z_tr.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z_tr.std(axis=0), [1.0, 1.0, 0.0], atol=1e-12)
    mu, sd = X_tr.mean(axis=0), X_tr.std(axis=0)
    np.testing.assert_allclose(Z_te[:, :2], (X_te[:, :2] - mu[:2]) / sd[:2])   # train statistics
    np.testing.assert_array_equal(X_tr, before[0])                             # inputs untouched
    np.testing.assert_array_equal(X_te, before[1])
    with pytest.raises(RuntimeError, match="fit"):
        Standardizer().transform(X_te)
    with pytest.raises(ValueError, match="3 columns"):
        Standardizer().fit(X_tr).transform(X_te[:, :2])


# -- seeds and missing rngs ------------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda: make_blobs(10, rng=-1),
    lambda: DataLoader(np.zeros((4, 2)), np.zeros(4), batch_size=2, rng=-1),
], ids=["make_blobs", "DataLoader"])
def test_a_negative_seed_is_refused_naming_rng(call):
    # numpy's own error ("expected non-negative integer") does not say which argument
    with pytest.raises(ValueError, match=r"rng must be a seed >= 0.*got -1"):
        call()


def test_a_missing_rng_gives_the_same_type_error_in_dataloader_and_run():
    from sgdlib.optim import SGD
    from sgdlib.problems import Quadratic, run
    with pytest.raises(TypeError, match=r"rng is required when shuffle=True: rng must be") as loader:
        DataLoader(np.zeros((4, 2)), np.zeros(4), batch_size=2)
    with pytest.raises(TypeError, match=r"rng is required when noise_std > 0: rng must be") as runner:
        run(Quadratic(), SGD, options={"lr": 0.1}, noise_std=0.1)
    assert str(loader.value).split(": ", 1)[1] == str(runner.value).split(": ", 1)[1]
