"""Tests of sgdlib.gradcheck: the numerical gradient and the checker must catch wrong gradients."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from sgdlib.gradcheck import check_gradient, check_loss_and_grads, check_model, numerical_gradient
from sgdlib.models import MLP


def test_numerical_gradient_of_a_quadratic_is_exact_up_to_rounding():
    # f(x) = x^T A x / 2 has gradient A x (symmetric A); central differences are exact for
    # quadratics except for rounding
    rng = np.random.default_rng(0)
    B = rng.standard_normal((4, 4))
    A = B + B.T
    x = rng.standard_normal(4)
    np.testing.assert_allclose(numerical_gradient(lambda v: 0.5 * v @ A @ v, x), A @ x, atol=1e-8)


def test_numerical_gradient_has_the_course_signature_with_h_positional_and_default_1e_5():
    # One signature everywhere (lesson, exercise, library): numerical_gradient(f, x, h=1e-5)
    params = inspect.signature(numerical_gradient).parameters
    assert list(params) == ["f", "x", "h"]
    assert params["h"].default == 1e-5 and params["h"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    # For f = x^3 the central difference is exactly 3x^2 + h^2, so the result shows which h ran:
    # the default gives 3 + 1e-10 (up to ~3e-11 of rounding), h = 1e-3 (positional) gives 3 + 1e-6.
    cube = lambda v: float(np.sum(v ** 3))                       # noqa: E731
    x = np.array([1.0])
    assert numerical_gradient(cube, x)[0] - 3.0 == pytest.approx(1e-10, rel=0.5)
    assert numerical_gradient(cube, x, 1e-3)[0] - 3.0 == pytest.approx(1e-6, rel=1e-6)
    np.testing.assert_array_equal(numerical_gradient(cube, x, 1e-3), numerical_gradient(cube, x, h=1e-3))


def test_numerical_gradient_restores_x_bit_for_bit_and_handles_any_shape():
    x = np.random.default_rng(1).standard_normal((3, 2))
    before = x.copy()
    g = numerical_gradient(lambda v: float(np.sum(np.sin(v))), x)
    np.testing.assert_array_equal(x, before)
    assert g.shape == (3, 2)
    np.testing.assert_allclose(g, np.cos(x), atol=1e-9)


def test_check_gradient_passes_a_right_gradient_and_names_a_wrong_entry():
    f = lambda x: float(np.sum(np.exp(x)) + x[0] * x[1])      # noqa: E731
    right = lambda x: np.exp(x) + np.array([x[1], x[0], 0.0])   # noqa: E731

    def wrong(x):                                              # a bug in entry 2 only
        g = right(x)
        g[2] *= 1.01
        return g

    x = np.array([0.3, -0.7, 1.2])
    ok = check_gradient(f, right, x)
    assert ok.passed and ok.max_rel_error < 1e-8
    bad = check_gradient(f, wrong, x)
    assert not bad.passed
    assert bad.worst == "x[2]"
    assert bad.max_rel_error == pytest.approx(0.01 / 2.01, rel=1e-3)   # |1.01a - a| / (2.01|a|)
    assert bad.analytic == pytest.approx(1.01 * np.exp(1.2))
    assert bad.numerical == pytest.approx(np.exp(1.2), rel=1e-8)
    assert "FAILED" in str(bad) and "x[2]" in str(bad)


def test_check_model_catches_a_backward_pass_bug_and_names_the_parameter():
    rng = np.random.default_rng(2)
    model = MLP([3, 4, 2], rng=rng)
    X, y = rng.standard_normal((5, 3)), rng.integers(0, 2, 5)
    assert check_model(model, X, y).passed

    class Buggy(MLP):                              # forgets the bias gradient of layer 1
        def _loss_and_grads(self, X, y):
            loss, grads = super()._loss_and_grads(X, y)
            grads["b1"] = np.zeros_like(grads["b1"])
            return loss, grads

    buggy = Buggy([3, 4, 2], rng=np.random.default_rng(2))
    result = check_model(buggy, X, y)
    assert not result.passed
    assert result.worst.startswith("b1[") and result.max_rel_error == pytest.approx(1.0)


def test_check_loss_and_grads_works_on_any_closure_over_params():
    params = {"a": np.array([1.0, 2.0]), "B": np.array([[0.5, -1.0], [2.0, 0.0]])}

    def fn():
        a, B = params["a"], params["B"]
        return float(a @ B @ a), {"a": (B + B.T) @ a, "B": np.outer(a, a)}

    assert check_loss_and_grads(fn, params).passed
    np.testing.assert_array_equal(params["a"], [1.0, 2.0])        # restored


def test_a_nan_gradient_fails_the_check():
    result = check_gradient(lambda x: float(x @ x), lambda x: np.full_like(x, np.nan), np.ones(2))
    assert not result.passed and result.max_rel_error == np.inf


@pytest.mark.parametrize("call, exc, match", [
    (lambda: numerical_gradient(lambda x: 0.0, np.ones(2, dtype=np.float32)), TypeError, "float64"),
    (lambda: numerical_gradient(lambda x: 0.0, [1.0, 2.0]), TypeError, "float64 numpy array"),
    (lambda: numerical_gradient(lambda x: 0.0, np.ones(2), h=0), ValueError, "h must be > 0"),
    (lambda: check_gradient(lambda x: 0.0, lambda x: np.ones(3), np.ones(2)), ValueError, "shape of x"),
    (lambda: check_gradient(lambda x: 0.0, lambda x: x, np.ones(2), tol=-1), ValueError, "tol must be > 0"),
    (lambda: check_loss_and_grads(lambda: (0.0, {}), {"w": np.ones(2)}), ValueError, r"keys \['w'\]"),
    (lambda: check_loss_and_grads(lambda: (0.0, {"w": np.ones(3)}), {"w": np.ones(2)}), ValueError,
     r"grads\['w'\] has shape \(3,\)"),
    (lambda: check_loss_and_grads(lambda: (0.0, {}), [np.ones(2)]), TypeError, "params must be a dict"),
])
def test_gradcheck_rejects_bad_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_bad_tol_and_floor_are_refused_before_any_gradient_is_computed():
    calls = []

    def f(x):
        calls.append(1)
        return float(x @ x)

    for kwargs, match in (({"tol": 0.0}, "tol must be > 0"), ({"floor": -1.0}, "floor must be > 0"),
                          ({"h": 0.0}, "h must be > 0")):
        with pytest.raises(ValueError, match=match):
            check_gradient(f, lambda x: 2 * x, np.ones(50), **kwargs)
        with pytest.raises(ValueError, match=match):
            check_loss_and_grads(lambda: (f(np.ones(2)), {"w": np.ones(2)}), {"w": np.ones(2)}, **kwargs)
    assert calls == []                                  # refused before f ran even once


@pytest.mark.parametrize("call", [
    lambda: check_gradient(lambda x: x ** 2, lambda x: 2 * x, np.ones(3)),
    lambda: numerical_gradient(lambda x: x ** 2, np.ones(3)),
    lambda: check_loss_and_grads(lambda: (np.ones(2), {"w": np.ones(2)}), {"w": np.ones(2)}),
], ids=["check_gradient", "numerical_gradient", "check_loss_and_grads"])
def test_a_function_returning_an_array_is_told_to_return_a_scalar(call):
    with pytest.raises(TypeError, match=r"must return a scalar.*shape"):
        call()


def test_numerical_gradient_restores_x_even_when_f_fails():
    x = np.array([1.0, 2.0])
    with pytest.raises(TypeError, match="f must return a scalar"):
        numerical_gradient(lambda v: v * 1.0, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])
