"""Tests of sgdlib.problems.online: Reddi, Kale and Kumar's online problem (ICLR 2018, Section 3)."""

import math

import numpy as np
import pytest

from sgdlib.optim import SGD, Adam
from sgdlib.problems import ReddiOnline


def test_gradients_are_C_once_then_minus_one_twice_counting_steps_from_one():
    problem = ReddiOnline(C=5.0)
    g = problem.gradients(9)
    np.testing.assert_array_equal(g, [5, -1, -1, 5, -1, -1, 5, -1, -1])   # f_t = C x if t mod 3 = 1, else -x
    assert problem.grad(1) == 5.0 and problem.grad(3) == -1.0 and problem.grad(4) == 5.0
    assert problem.gradients(0).shape == (0,)


def test_the_best_fixed_point_is_minus_one():
    problem = ReddiOnline(C=3.0)
    xs = np.linspace(-1, 1, 21)
    period = problem.gradients(3).sum() * xs                      # the linear losses add up to (C - 2) x
    np.testing.assert_allclose(period, (3.0 - 2.0) * xs)
    assert xs[np.argmin(period)] == problem.optimum == -1.0


def test_beta2_is_one_over_one_plus_C_squared_as_in_theorem_1():
    assert ReddiOnline(C=3.0).adam_beta2 == pytest.approx(0.1)
    assert ReddiOnline(C=10.0).adam_beta2 == pytest.approx(1 / 101)


def test_regret_of_a_fixed_point_is_k_times_C_minus_2_times_its_distance_from_the_optimum():
    problem = ReddiOnline(C=4.0)
    for x in (-1.0, 0.0, 0.3, 1.0):
        assert problem.regret(np.full(30, x)) == pytest.approx(10 * (4.0 - 2.0) * (x + 1.0))
    runs = np.stack([np.full(6, 1.0), np.full(6, -1.0)], axis=1)   # (T, runs): one regret per run
    np.testing.assert_allclose(problem.regret(runs), [2 * 2.0 * 2.0, 0.0])


@pytest.mark.parametrize("C", [2.0, 1.0, -3.0])
def test_C_must_exceed_two(C):
    with pytest.raises(ValueError, match="C must be > 2"):
        ReddiOnline(C=C)


def test_bad_arguments_are_refused_with_their_names():
    with pytest.raises(TypeError, match="C"):
        ReddiOnline(C="3")
    with pytest.raises(ValueError, match="t must be >= 1"):
        ReddiOnline().grad(0)
    with pytest.raises(TypeError, match="t"):
        ReddiOnline().grad(1.5)
    with pytest.raises(ValueError, match="steps"):
        ReddiOnline().gradients(-1)
    with pytest.raises(ValueError, match="xs"):
        ReddiOnline().regret(0.5)


def _projected_run(problem, make_optimizer, steps=3000, eta=0.1):
    x = np.zeros(1)
    opt = make_optimizer([x])
    for t, g in enumerate(problem.gradients(steps), start=1):
        opt.lr = eta / math.sqrt(t)
        opt.step([np.array([g])])
        np.clip(x, -1.0, 1.0, out=x)
    return float(x[0])


def test_adam_with_theorem_1s_betas_ends_at_plus_one_while_amsgrad_and_sgd_end_near_minus_one():
    # Reddi et al. 2018, Theorem 1: with beta1 = 0, beta2 = 1/(1 + C^2) Adam converges to x = +1.
    problem = ReddiOnline(C=3.0)
    betas = (0.0, problem.adam_beta2)
    assert _projected_run(problem, lambda p: Adam(p, betas=betas)) > 0.99
    assert _projected_run(problem, lambda p: Adam(p, betas=betas, amsgrad=True)) < -0.9
    assert _projected_run(problem, lambda p: SGD(p, lr=0.1)) < -0.9
    assert _projected_run(problem, lambda p: Adam(p)) < -0.99       # default betas: fine here
