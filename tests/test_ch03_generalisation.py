"""Tests of benchmarks/ch03_generalisation.py, the precomputed study of chapter 3, on tiny settings."""

import numpy as np
import pytest

from benchmarks import ch03_generalisation as study
from sgdlib.data import digits_split


@pytest.fixture(scope="module")
def data():
    X_train, _, y_train, _ = digits_split()
    return X_train[:200], y_train[:200]


def test_the_split_is_the_lessons():
    X_train, X_test, y_train, y_test = digits_split()
    assert (len(y_train), len(y_test)) == (1347, 450)
    assert np.bincount(y_test).min() >= 43                  # stratified: every digit is in the test set


def test_training_stops_at_the_first_epoch_whose_loss_reaches_the_target(data):
    X, y = data
    model, steps = study.train_to_target(X, y, batch_size=32, lr=0.4, seed=0, target=0.3, max_steps=2000)
    assert model.loss(X, y) <= 0.3
    assert steps % 7 == 0                                     # whole epochs of ceil(200 / 32) = 7 steps
    shorter, _ = study.train_to_target(X, y, batch_size=32, lr=0.4, seed=0, target=0.3, max_steps=steps - 7)
    assert shorter.loss(X, y) > 0.3                           # one epoch less had not reached it


def test_sharpness_is_zero_without_perturbation_and_leaves_the_weights_unchanged(data):
    X, y = data
    model, _ = study.train_to_target(X, y, batch_size=32, lr=0.4, seed=1, target=0.3, max_steps=2000)
    before = {k: v.copy() for k, v in model.params.items()}
    assert study.sharpness(model, X, y, r=0.0, n_directions=3, rng=np.random.default_rng(0)) == 0.0
    rises = [study.sharpness(model, X, y, r, 10, np.random.default_rng(0)) for r in (0.02, 0.1)]
    assert 0 < rises[0] < rises[1]                            # near a minimum: larger moves cost more
    for k, v in model.params.items():
        np.testing.assert_array_equal(v, before[k])
