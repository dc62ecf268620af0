"""Tests of sgdlib.problems.noisy: gradient descent with gradient noise, seeds as an array axis."""

import re
import warnings

import numpy as np
import pytest

from sgdlib.problems import Quadratic, TwoBasins, noisy_gradient_descent


def test_without_noise_every_seed_follows_the_hand_written_gradient_descent_loop():
    bowl = Quadratic(condition_number=10.0, angle_deg=30.0)
    points = noisy_gradient_descent(bowl.grad, [-4.0, 2.0], lr=1.5, n_steps=40, noise_std=0.0,
                                    n_seeds=3, rng=0)
    x = np.array([-4.0, 2.0])
    expected = [x]
    for _ in range(40):
        x = x - 1.5 * bowl.hessian @ x                     # theta <- theta - eta H theta
        expected.append(x)
    assert points.shape == (41, 3, 2)
    for s in range(3):
        np.testing.assert_allclose(points[:, s], np.array(expected), rtol=1e-12, atol=1e-14)


def test_a_schedule_gives_each_step_its_own_rate():
    # On f(x) = x^2 / 2 each step multiplies x by (1 - eta_t): closed form prod(1 - eta_t).
    lrs = 0.1 * np.exp(-0.1 * np.arange(1, 31))
    points = noisy_gradient_descent(lambda x: x, [1.0], lrs, 30, noise_std=0.0, n_seeds=1, rng=0)
    np.testing.assert_allclose(points[1:, 0, 0], np.cumprod(1 - lrs), rtol=1e-13)


def test_one_noisy_step_from_the_minimum_has_spread_lr_times_sigma_and_mean_zero():
    # At the minimum of f(x) = x^2 / 2 the gradient is 0, so x_1 = -eta sigma xi ~ N(0, (eta sigma)^2).
    points = noisy_gradient_descent(lambda x: x, [0.0, 0.0], lr=0.5, n_steps=1, noise_std=2.0,
                                    n_seeds=20_000, rng=1)
    x1 = points[1]
    assert abs(x1.std() - 1.0) < 0.02                     # eta sigma = 1; std error ~ 0.005
    assert np.abs(x1.mean(axis=0)).max() < 0.03            # std error 1/sqrt(20000) ~ 0.007
    assert abs(np.corrcoef(x1[:, 0], x1[:, 1])[0, 1]) < 0.03   # coordinates independent


def test_the_same_seed_gives_the_same_runs_and_the_seeds_differ_from_each_other():
    tb = TwoBasins()
    a = noisy_gradient_descent(tb.grad, tb.minima[1], 0.05, 50, noise_std=1.0, n_seeds=4, rng=7)
    b = noisy_gradient_descent(tb.grad, tb.minima[1], 0.05, 50, noise_std=1.0, n_seeds=4,
                               rng=np.random.default_rng(7))
    c = noisy_gradient_descent(tb.grad, tb.minima[1], 0.05, 50, noise_std=1.0, n_seeds=4, rng=8)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert len({tuple(p) for p in a[-1]}) == 4             # four different runs


def test_zero_steps_return_only_the_start_and_the_start_is_copied():
    x0 = np.array([1, 2])                                  # integers are accepted, output is float
    points = noisy_gradient_descent(lambda x: x, x0, 0.1, 0, noise_std=1.0, n_seeds=2, rng=0)
    assert points.shape == (1, 2, 2) and points.dtype == float
    np.testing.assert_array_equal(points[0], [[1.0, 2.0], [1.0, 2.0]])


def test_a_run_that_blows_up_holds_inf_or_nan_without_a_warning_and_the_others_are_untouched():
    tb = TwoBasins()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        points = noisy_gradient_descent(tb.grad, tb.minima[1], 0.15, 500, noise_std=3.0, n_seeds=50, rng=0)
    finite = np.isfinite(points).all(axis=(0, 2))
    assert 0 < finite.sum() < 50                           # some runs blew up, some did not
    assert np.abs(points[:, finite]).max() < 10            # those that did not stay near the basins


@pytest.mark.parametrize("grad", [lambda x: x.sum(axis=1), lambda x: x[0], lambda x: x.sum()],
                         ids=["per_seed_number", "one_seed_only", "a_number"])
def test_a_gradient_of_the_wrong_shape_is_refused_naming_grad_and_both_shapes(grad):
    returned = np.shape(grad(np.ones((3, 2))))
    with pytest.raises(ValueError, match=rf"grad must return an array of shape \(n_seeds, d\) = \(3, 2\).*"
                                         rf"got shape {re.escape(str(returned))}"):
        noisy_gradient_descent(grad, [1.0, 2.0], 0.1, 5, noise_std=0.0, n_seeds=3, rng=0)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"lr": np.ones(3)}, ValueError, r"lr must be a number or an array of shape \(5,\)"),
    ({"lr": -0.1}, ValueError, "lr must be >= 0"),
    ({"lr": np.array([0.1, 0.1, -0.1, 0.1, 0.1])}, ValueError, "lr must be >= 0 at every step"),
    ({"noise_std": -1.0}, ValueError, "noise_std"),
    ({"n_seeds": 0}, ValueError, "n_seeds"),
    ({"n_steps": 2.5}, TypeError, "n_steps"),
    ({"x0": [True, False]}, TypeError, "x0"),
    ({"x0": [[1.0, 2.0]]}, ValueError, "x0"),
    ({"rng": None}, TypeError, "rng"),
])
def test_bad_arguments_are_refused_with_their_name(kwargs, error, match):
    args = {"grad": lambda x: x, "x0": [1.0, 2.0], "lr": 0.1, "n_steps": 5, "noise_std": 1.0,
            "n_seeds": 2, "rng": 0, **kwargs}
    with pytest.raises(error, match=match):
        noisy_gradient_descent(**args)
