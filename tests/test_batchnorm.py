"""Tests of sgdlib.models.BatchNormMLP: gradients, normalisation, running statistics, modes, checks."""

import numpy as np
import pytest

from sgdlib.gradcheck import check_model
from sgdlib.models import MLP, BatchNormMLP


def data(n=12, d=5, k=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(2.0, 3.0, (n, d)), np.arange(n) % k


@pytest.mark.parametrize("sizes", [[5, 7, 3], [5, 6, 4, 3], [5, 4, 4, 4, 3]])
def test_gradients_pass_the_gradient_check_in_training_mode(sizes):
    X, y = data()
    model = BatchNormMLP(sizes, rng=1)
    rng = np.random.default_rng(2)
    for k in model.params:                       # move scale and shift off 1 and 0, so their terms matter
        if k.startswith(("scale", "shift", "b")):
            model.params[k] += rng.normal(0, 0.5, model.params[k].shape)
    result = check_model(model, X, y, h=1e-5, tol=1e-6, floor=1e-5)   # floor: entries ~1e-6 are rounding-limited
    assert result.passed, result


def test_gradients_pass_the_gradient_check_in_evaluation_mode():
    X, y = data()
    model = BatchNormMLP([5, 6, 4, 3], rng=3)
    for _ in range(5):
        model.loss_and_grads(X, y)               # some running statistics
    model.eval()
    result = check_model(model, X, y, h=1e-5, tol=1e-6, floor=1e-5)   # floor: entries ~1e-6 are rounding-limited
    assert result.passed, result


def test_a_wrong_backward_that_ignores_the_batch_statistics_fails_the_check():
    # The check can fail: treating batch_mean and batch_var as constants (the evaluation-mode backward) in
    # training mode is a realistic mistake, and the gradient check must reject it.
    X, y = data()
    model = BatchNormMLP([5, 6, 3], rng=4)
    def wrong():
        model.training = False
        saved = model.running_mean[0].copy(), model.running_var[0].copy()
        z = X @ model.params["W1"]
        model.running_mean[0], model.running_var[0] = z.mean(axis=0), z.var(axis=0)
        out = model.loss_and_grads(X, y)
        model.running_mean[0], model.running_var[0] = saved
        model.training = True
        return out
    from sgdlib.gradcheck import check_loss_and_grads
    assert not check_loss_and_grads(wrong, model.params).passed


def test_training_mode_normalises_every_hidden_feature():
    X, y = data(n=64)
    model = BatchNormMLP([5, 8, 3], rng=0)
    z = X @ model.params["W1"]
    zhat = (z - z.mean(0)) / np.sqrt(z.var(0) + model.eps)
    np.testing.assert_allclose(zhat.mean(0), 0, atol=1e-12)
    np.testing.assert_allclose(zhat.var(0), 1, atol=1e-4)
    # with scale = 1, shift = 0 the first hidden layer is relu(zhat): check the logits through it
    expected = np.maximum(zhat, 0) @ model.params["W2"] + model.params["b2"]
    np.testing.assert_allclose(model._logits(X), expected, rtol=1e-12)


def test_running_statistics_follow_torchs_documented_update():
    # torch.nn.BatchNorm1d docs: x_new = (1 - momentum) * x + momentum * x_t, with the unbiased
    # variance for running_var; defaults momentum = 0.1, eps = 1e-5, start at 0 and 1.
    X, y = data(n=10)
    model = BatchNormMLP([5, 6, 3], rng=0)
    mean, var = np.zeros(6), np.ones(6)
    rng = np.random.default_rng(5)
    for _ in range(3):
        Xb = X[rng.permutation(10)[:7]]
        yb = np.arange(7) % 3
        z = Xb @ model.params["W1"]               # the statistics of the weights used this step
        model.loss_and_grads(Xb, yb)
        mean = 0.9 * mean + 0.1 * z.mean(axis=0)
        var = 0.9 * var + 0.1 * z.var(axis=0, ddof=1)
        np.testing.assert_allclose(model.running_mean[0], mean, rtol=1e-12)
        np.testing.assert_allclose(model.running_var[0], var, rtol=1e-12)


def test_loss_predict_and_accuracy_do_not_update_running_statistics():
    X, y = data()
    model = BatchNormMLP([5, 6, 3], rng=0)
    model.loss(X, y), model.predict(X), model.accuracy(X, y)
    np.testing.assert_array_equal(model.running_mean[0], 0)
    np.testing.assert_array_equal(model.running_var[0], 1)


def test_evaluation_mode_uses_running_statistics_so_rows_are_independent():
    X, y = data(n=20)
    model = BatchNormMLP([5, 6, 3], rng=0)
    for _ in range(30):
        model.loss_and_grads(X, y)
    model.eval()
    together = model._logits(X)
    alone = np.vstack([model._logits(X[i:i + 1]) for i in range(len(X))])
    np.testing.assert_allclose(together, alone, rtol=1e-12)
    running_mean, running_var = model.running_mean[0], model.running_var[0]
    h = np.maximum((X @ model.params["W1"] - running_mean) / np.sqrt(running_var + 1e-5), 0)
    np.testing.assert_allclose(together, h @ model.params["W2"] + model.params["b2"], rtol=1e-12)
    model.train()
    assert not np.allclose(model._logits(X[:2]), together[:2])   # batch statistics of 2 rows differ


def test_output_is_invariant_to_scaling_hidden_weights_in_training_mode():
    # The property behind batch norm's effect on conditioning: z -> c z leaves zhat unchanged
    # (up to eps), so the loss does not depend on the scale of W1, and its gradient shrinks as 1/c.
    X, y = data(n=32)
    model = BatchNormMLP([5, 8, 3], rng=0, eps=1e-12)
    loss1, g1 = model.loss_and_grads(X, y)
    model.params["W1"] *= 10.0
    loss10, g10 = model.loss_and_grads(X, y)
    assert loss10 == pytest.approx(loss1, rel=1e-9)
    np.testing.assert_allclose(g10["W1"], g1["W1"] / 10.0, rtol=1e-6, atol=1e-15)


def test_same_seed_same_weights_as_the_mlp_he_init():
    a, b = BatchNormMLP([64, 32, 10], rng=7), MLP([64, 32, 10], rng=7)
    np.testing.assert_array_equal(a.params["W1"], b.params["W1"])
    assert list(a.params) == ["W1", "scale1", "shift1", "W2", "b2"]


@pytest.mark.parametrize("kwargs, error", [
    ({"layer_sizes": [5, 3]}, ValueError), ({"layer_sizes": "5,3"}, TypeError),
    ({"layer_sizes": [5, 4, 1]}, ValueError), ({"layer_sizes": [5, 0, 3]}, ValueError),
    ({"momentum": 1.5}, ValueError), ({"eps": 0.0}, ValueError), ({"rng": "x"}, TypeError),
])
def test_bad_arguments_are_refused(kwargs, error):
    args = {"layer_sizes": [5, 4, 3], "rng": 0, **kwargs}
    with pytest.raises(error):
        BatchNormMLP(args.pop("layer_sizes"), **args)


def test_one_row_batch_in_training_mode_is_refused_with_advice():
    model = BatchNormMLP([5, 4, 3], rng=0)
    with pytest.raises(ValueError, match="at least 2 rows"):
        model.loss_and_grads(np.ones((1, 5)), np.array([0]))
    model.eval().loss_and_grads(np.ones((1, 5)), np.array([0]))      # fine in evaluation mode
