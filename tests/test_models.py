"""Tests of sgdlib.models: gradients (by gradient checking), closed forms, stability, checks."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from sgdlib.gradcheck import check_model
from sgdlib.models import MLP, LinearRegression, LogisticRegression, SoftmaxRegression, log_softmax, sigmoid


def randomize(model, rng, scale=1.0):
    """Move a model away from its (zero) initial point so every gradient entry is exercised."""
    for p in model.params.values():
        p[...] = scale * rng.standard_normal(p.shape)
    return model


# -- gradients: every model, several shapes, float64 --------------------------------------------

@pytest.mark.parametrize("n, d", [(1, 1), (5, 3), (17, 8)])
def test_linear_regression_gradient_matches_central_differences(n, d):
    rng = np.random.default_rng(n * 100 + d)
    model = randomize(LinearRegression(d), rng)
    result = check_model(model, rng.standard_normal((n, d)), rng.standard_normal(n))
    assert result.passed, str(result)


@pytest.mark.parametrize("n, d", [(1, 1), (6, 3), (20, 7)])
def test_logistic_regression_gradient_matches_central_differences(n, d):
    rng = np.random.default_rng(n * 100 + d)
    model = randomize(LogisticRegression(d), rng)
    result = check_model(model, rng.standard_normal((n, d)), rng.integers(0, 2, n))
    assert result.passed, str(result)


@pytest.mark.parametrize("n, d, k", [(1, 1, 2), (6, 4, 3), (20, 5, 10)])
def test_softmax_regression_gradient_matches_central_differences(n, d, k):
    rng = np.random.default_rng(n * 100 + d * 10 + k)
    model = randomize(SoftmaxRegression(d, k), rng)
    result = check_model(model, rng.standard_normal((n, d)), rng.integers(0, k, n))
    assert result.passed, str(result)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
@pytest.mark.parametrize("sizes, n", [([3, 2], 4), ([4, 6, 3], 5), ([5, 7, 6, 4], 9), ([2, 3, 3, 3, 2], 3)])
def test_mlp_gradient_matches_central_differences(sizes, n, activation):
    rng = np.random.default_rng(len(sizes) * 10 + n)
    model = MLP(sizes, activation=activation, rng=rng)
    for k, p in model.params.items():          # non-zero biases, so every gradient path matters
        if k.startswith("b"):
            p[...] = 0.1 * rng.standard_normal(p.shape)
    result = check_model(model, rng.standard_normal((n, sizes[0])), rng.integers(0, sizes[-1], n))
    assert result.passed, str(result)
    assert result.max_rel_error < 1e-6


def test_gradients_have_the_structure_of_params_and_do_not_touch_the_inputs():
    rng = np.random.default_rng(0)
    model = MLP([4, 5, 3], rng=rng)
    X, y = rng.standard_normal((6, 4)), np.array([0, 1, 2, 0, 1, 2])
    X0, params0 = X.copy(), {k: v.copy() for k, v in model.params.items()}
    loss, grads = model.loss_and_grads(X, y)
    assert isinstance(loss, float)
    assert list(grads) == list(model.params)
    assert all(grads[k].shape == p.shape and grads[k].dtype == np.float64 for k, p in model.params.items())
    np.testing.assert_array_equal(X, X0)
    for k in params0:
        np.testing.assert_array_equal(model.params[k], params0[k])
    assert loss == pytest.approx(model.loss(X, y), rel=1e-12)   # loss() agrees with loss_and_grads


# -- closed forms and equivalences ---------------------------------------------------------------

def test_linear_regression_gradient_vanishes_at_the_least_squares_solution():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((30, 3)), rng.standard_normal(30)
    coef = np.linalg.lstsq(np.c_[X, np.ones(30)], y, rcond=None)[0]   # normal equations
    model = LinearRegression(3)
    model.params["W"][:], model.params["b"][:] = coef[:3], coef[3]
    loss, grads = model.loss_and_grads(X, y)
    np.testing.assert_allclose(grads["W"], 0.0, atol=1e-12)
    np.testing.assert_allclose(grads["b"], 0.0, atol=1e-12)
    assert loss == pytest.approx(np.mean((X @ coef[:3] + coef[3] - y) ** 2))
    np.testing.assert_allclose(model.predict(X), X @ coef[:3] + coef[3])


def test_zero_initialised_classifiers_start_at_log_k():
    X = np.random.default_rng(0).standard_normal((7, 3))
    assert LogisticRegression(3).loss(X, np.arange(7) % 2) == pytest.approx(np.log(2))
    assert SoftmaxRegression(3, 5).loss(X, np.arange(7) % 5) == pytest.approx(np.log(5))


def test_two_class_softmax_equals_logistic_regression_on_the_logit_difference():
    # softmax([z0, z1])[1] = sigmoid(z1 - z0): the same model, so the same loss
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((9, 4)), rng.integers(0, 2, 9)
    soft = randomize(SoftmaxRegression(4, 2), rng)
    logi = LogisticRegression(4)
    logi.params["W"][:] = soft.params["W"][:, 1] - soft.params["W"][:, 0]
    logi.params["b"][:] = soft.params["b"][1] - soft.params["b"][0]
    assert logi.loss(X, y) == pytest.approx(soft.loss(X, y), rel=1e-12)
    np.testing.assert_allclose(logi.predict_proba(X), soft.predict_proba(X)[:, 1], rtol=1e-12)
    np.testing.assert_array_equal(logi.predict(X), soft.predict(X))


def test_mlp_without_hidden_layers_is_softmax_regression():
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((8, 5)), rng.integers(0, 3, 8)
    mlp, soft = MLP([5, 3], rng=rng), SoftmaxRegression(5, 3)
    soft.params["W"][:], soft.params["b"][:] = mlp.params["W1"], mlp.params["b1"]
    (l1, g1), (l2, g2) = mlp.loss_and_grads(X, y), soft.loss_and_grads(X, y)
    assert l1 == pytest.approx(l2, rel=1e-12)
    np.testing.assert_allclose(g1["W1"], g2["W"], rtol=1e-12)
    np.testing.assert_allclose(g1["b1"], g2["b"], rtol=1e-12)


def test_probabilities_sum_to_one_and_predictions_are_their_argmax():
    rng = np.random.default_rng(4)
    model = MLP([3, 8, 4], activation="tanh", rng=rng)
    X = rng.standard_normal((10, 3))
    P = model.predict_proba(X)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.predict(X), P.argmax(axis=1))
    y = model.predict(X)
    assert model.accuracy(X, y) == 1.0
    assert model.accuracy(X, (y + 1) % 4) == 0.0


# -- initialisation -------------------------------------------------------------------------------

def test_mlp_initialisation_is_he_for_relu_and_glorot_for_tanh_and_seeded():
    relu = MLP([400, 300, 10], activation="relu", rng=0)
    assert relu.params["W1"].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)   # He et al. 2015
    assert relu.params["W2"].std() == pytest.approx(np.sqrt(2 / 300), rel=0.05)
    tanh = MLP([400, 300, 10], activation="tanh", rng=0)
    a = np.sqrt(6 / 700)                                                          # Glorot & Bengio 2010
    assert np.abs(tanh.params["W1"]).max() <= a
    assert tanh.params["W1"].std() == pytest.approx(a / np.sqrt(3), rel=0.02)     # sd of U(-a, a)
    assert all((p == 0).all() for k, p in relu.params.items() if k.startswith("b"))
    again = MLP([400, 300, 10], activation="relu", rng=np.random.default_rng(0))
    np.testing.assert_array_equal(again.params["W1"], relu.params["W1"])
    assert not np.array_equal(MLP([400, 300, 10], rng=1).params["W1"], relu.params["W1"])


# -- numerical stability --------------------------------------------------------------------------

def test_huge_logits_give_finite_losses_and_gradients_without_warnings():
    X = np.array([[1.0, -1.0], [-2.0, 3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")                     # any RuntimeWarning fails the test
        logi = LogisticRegression(2)
        logi.params["W"][:] = [1e5, -1e5]                  # logits of +-2e5 and -5e5
        loss, grads = logi.loss_and_grads(X, np.array([0, 1]))
        assert loss == pytest.approx((2e5 + 5e5) / 2)      # -log sigmoid(-z) = z for huge z
        assert np.isfinite(grads["W"]).all()
        soft = SoftmaxRegression(2, 3)
        soft.params["W"][:] = 1e6 * np.array([[1.0, 0.0, -1.0], [0.0, 1.0, 0.0]])
        loss, grads = soft.loss_and_grads(X, np.array([0, 2]))
        assert np.isfinite(loss) and all(np.isfinite(g).all() for g in grads.values())
        assert sigmoid(np.array([-1e4]))[0] == 0.0 and sigmoid(np.array([1e4]))[0] == 1.0
        np.testing.assert_allclose(log_softmax(np.array([[1e308, 1e308]])), np.log(0.5))


# -- bad input ------------------------------------------------------------------------------------

SOFT = SoftmaxRegression(3, 4)
X_OK, Y_OK = np.zeros((5, 3)), np.array([0, 1, 2, 3, 0])


@pytest.mark.parametrize("X, y, exc, match", [
    (np.zeros((5, 2)), Y_OK, ValueError, r"X must have 3 columns"),
    (np.zeros(3), Y_OK, ValueError, "X must be 2-D"),
    (np.full((5, 3), np.nan), Y_OK, ValueError, "X contains NaN"),
    ("pixels", Y_OK, TypeError, "X must be a numpy array"),
    (X_OK, np.array([0, 1, 2]), ValueError, "same number of rows, got 5 and 3"),
    (X_OK, np.array([0, 1, 2, 4, 0]), ValueError, r"class labels 0..3"),
    (X_OK, np.array([0, 1, 2, -1, 0]), ValueError, r"class labels 0..3"),
    # was "y must be a numeric array" (wrong: float64 is numeric): now it says what is expected
    (X_OK, np.array([0.0, 1.0, 2.0, 3.0, 0.0]), TypeError, r"y must hold integer class labels 0..3, got dtype float64"),
    (np.zeros((0, 3)), np.zeros(0, dtype=int), ValueError, "empty"),
])
def test_models_reject_bad_inputs_naming_the_argument(X, y, exc, match):
    with pytest.raises(exc, match=match):
        SOFT.loss_and_grads(X, y)


@pytest.mark.parametrize("make, exc, match", [
    (lambda: MLP([64, 10], activation="sigmoid", rng=0), ValueError, "activation must be one of"),
    (lambda: MLP([64], rng=0), ValueError, "at least"),
    (lambda: MLP([64, 0, 10], rng=0), ValueError, r"layer_sizes\[1\] must be >= 1"),
    (lambda: MLP([64, 32, 1], rng=0), ValueError, "number of classes"),
    (lambda: MLP("64-64-10", rng=0), TypeError, "layer_sizes must be a list"),
    (lambda: MLP([64, 10.0], rng=0), TypeError, r"layer_sizes\[1\] must be an integer"),
    (lambda: MLP([64, 10], rng=None), TypeError, "rng must be"),
    (lambda: SoftmaxRegression(3, 1), ValueError, "n_classes must be >= 2"),
    (lambda: LinearRegression("3"), TypeError, "n_features must be an integer"),
])
def test_constructors_reject_bad_arguments(make, exc, match):
    with pytest.raises(exc, match=match):
        make()


def test_regression_accepts_real_targets_and_classifiers_accept_bool_labels():
    X = np.ones((3, 2))
    assert LinearRegression(2).loss(X, np.array([0.5, 1.5, 2.5])) == pytest.approx((0.25 + 2.25 + 6.25) / 3)
    assert LogisticRegression(2).loss(X, np.array([True, False, True])) == pytest.approx(np.log(2))


@pytest.mark.parametrize(("call", "exc", "match"), [
    (lambda: sigmoid("z"), TypeError, "z must be a numpy array"),
    (lambda: sigmoid(None), TypeError, "z must be a numpy array"),
    (lambda: sigmoid(np.array(["a"])), TypeError, "z must be a numeric array"),
    (lambda: log_softmax(np.zeros(3)), ValueError, "logits must be 2-D"),
    (lambda: log_softmax(np.zeros((2, 0))), ValueError, "at least one column"),
    (lambda: log_softmax([[0.0, np.nan]]), ValueError, "logits contains NaN"),
    (lambda: log_softmax("logits"), TypeError, "logits must be a numpy array"),
])
def test_public_building_blocks_reject_bad_input_naming_the_argument(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_public_building_blocks_accept_lists_and_integers():
    # closed forms: sigmoid(0) = 1/2; log softmax of equal scores is -log(k)
    np.testing.assert_array_equal(sigmoid([0, 0]), [0.5, 0.5])
    np.testing.assert_allclose(log_softmax([[1, 1, 1]]), -np.log(3) * np.ones((1, 3)))
    assert sigmoid(np.inf) == 1.0                       # inf is a valid limit, not refused
