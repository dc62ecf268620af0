"""Tests of sgdlib.problems.wilson: Wilson et al.'s (2017, section 3.3) construction and its lemma."""

import numpy as np
import pytest

from sgdlib.optim import Adagrad, Adam
from sgdlib.problems import wilson_construction


@pytest.mark.parametrize("seed", range(5))
def test_rows_follow_the_papers_definition(seed):
    # Reference: the paper's definition, x_i1 = y_i, x_i2 = x_i3 = 1, and ones at features
    # j = 4 + 5(i-1), ..., 4 + 5(i-1) + 2(1 - y_i) (1-based), written here feature by feature.
    n = 7
    X, y = wilson_construction(n, 0.6, rng=seed)
    assert X.shape == (n, 3 + 5 * n) and y.shape == (n,)
    assert set(np.unique(y)) <= {-1.0, 1.0}
    for i in range(1, n + 1):                       # 1-based, as in the paper
        yi = y[i - 1]
        expected = np.zeros(3 + 5 * n)
        expected[0], expected[1], expected[2] = yi, 1, 1
        for j in range(4 + 5 * (i - 1), 4 + 5 * (i - 1) + int(2 * (1 - yi)) + 1):
            expected[j - 1] = 1
        np.testing.assert_array_equal(X[i - 1], expected)


def test_blocks_are_private_one_feature_for_plus_five_for_minus():
    X, y = wilson_construction(40, 0.7, rng=3)
    blocks = X[:, 3:]
    assert np.all(blocks.sum(axis=0) <= 1)           # no block feature is shared by two examples
    np.testing.assert_array_equal(blocks.sum(axis=1), np.where(y > 0, 1, 5))


def test_label_frequency_matches_p():
    rng = np.random.default_rng(0)                   # X has n x (3 + 5n) entries: keep n small
    y = np.concatenate([wilson_construction(50, 0.7, rng=rng)[1] for _ in range(200)])
    assert abs(np.mean(y > 0) - 0.7) < 0.02          # 10,000 labels: binomial sd 0.0046
    _, y1 = wilson_construction(50, 1.0, rng=0)
    assert np.all(y1 == 1)


def test_same_seed_same_data_and_generator_accepted():
    a = wilson_construction(10, 0.6, rng=5)
    b = wilson_construction(10, 0.6, rng=np.random.default_rng(5))
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)


@pytest.mark.parametrize("seed", range(10))
def test_x_sign_xty_is_4y_when_most_labels_are_positive(seed):
    # Closed form: (X s)_i = y_i + 2 + (block size) y_i = 4 y_i if sum(y) > 0. Seeds 0-9 with
    # n = 30, p = 0.75 all draw more +1 than -1 labels; assert it, so no seed is skipped silently.
    X, y = wilson_construction(30, 0.75, rng=seed)
    assert y.sum() > 0
    np.testing.assert_array_equal(X @ np.sign(X.T @ y), 4 * y)


def test_identity_fails_when_most_labels_are_negative():
    X, y = wilson_construction(3, 0.7, rng=4)         # y = (-1, 1, -1)
    assert y.sum() < 0
    assert not np.array_equal(X @ np.sign(X.T @ y), 4 * y)


@pytest.mark.parametrize("cls, lr", [(Adagrad, 0.05), (Adam, 0.01)])
def test_adaptive_iterates_stay_on_the_sign_line_and_gd_generalises(cls, lr):
    # Wilson et al., Lemma 3.1: from zero, AdaGrad/Adam iterates are multiples of sign(X^T y),
    # ending at sign(X^T y)/4; they then predict +1 for new examples, while the minimum-norm
    # solution (where gradient descent from zero ends) classifies them correctly.
    X, y = wilson_construction(60, 0.7, rng=1)
    Xtr, ytr, Xte, yte = X[:30, :153], y[:30], X[30:, :153], y[30:]
    s = np.sign(Xtr.T @ ytr)
    w = np.zeros(153)
    opt = cls([w], lr=lr, eps=1e-300)
    for _ in range(2000):
        opt.step([Xtr.T @ (Xtr @ w - ytr) / 30])
        lam = w @ s / (s @ s)
        assert np.linalg.norm(w - lam * s) <= 1e-12 * np.linalg.norm(w)
    np.testing.assert_allclose(w, s / 4, atol=1e-6)
    np.testing.assert_array_equal(np.sign(Xte @ w), np.ones(30))
    w_min_norm = np.linalg.pinv(Xtr) @ ytr
    np.testing.assert_array_equal(np.sign(Xte @ w_min_norm), yte)


@pytest.mark.parametrize("n, p, rng, error, name", [
    (0, 0.7, 0, ValueError, "n"), (2.5, 0.7, 0, TypeError, "n"), (5, 0.5, 0, ValueError, "p"),
    (5, 1.2, 0, ValueError, "p"), (5, float("nan"), 0, ValueError, "p"), (5, 0.7, -1, ValueError, "rng"),
    (5, 0.7, "seed", TypeError, "rng"),
])
def test_bad_arguments_are_refused_with_their_name(n, p, rng, error, name):
    with pytest.raises(error, match=rf"^{name} must be"):   # the message starts with the bad argument's name
        wilson_construction(n, p, rng=rng)
