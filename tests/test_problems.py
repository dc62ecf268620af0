"""Tests of sgdlib.problems: gradients, minima, the quadratic's shape, vectorisation, the runner."""

import math
import warnings

import numpy as np
import pytest

from sgdlib.optim import SGD, Adam
from sgdlib.problems import (PROBLEMS, Beale, Himmelblau, Quadratic, Rosenbrock, Saddle,
                             TwoBasins, run)

ALL_PROBLEMS = [
    Quadratic(), Quadratic(condition_number=50.0, angle_deg=30.0, L=3.0), Rosenbrock(),
    Rosenbrock(a=0.5, b=10.0), Beale(), Himmelblau(), Saddle(), TwoBasins(), TwoBasins(tilt=1.0),
]
IDS = [repr(p) if isinstance(p, Quadratic) else f"{type(p).__name__}{i}" for i, p in enumerate(ALL_PROBLEMS)]


def central_difference(f, theta, h=1e-6):
    """The textbook (f(x + h e_i) - f(x - h e_i)) / 2h, one coordinate at a time."""
    g = np.zeros(2)
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        g[i] = (f(theta + e) - f(theta - e)) / (2 * h)
    return g


@pytest.mark.parametrize("problem", ALL_PROBLEMS, ids=IDS)
def test_gradient_matches_central_differences_at_random_points(problem):
    rng = np.random.default_rng(0)
    lo = np.array([problem.xlim[0], problem.ylim[0]])
    hi = np.array([problem.xlim[1], problem.ylim[1]])
    for theta in rng.uniform(lo, hi, size=(20, 2)):
        numeric = central_difference(problem.value, theta)
        scale = max(1.0, np.abs(numeric).max())
        np.testing.assert_allclose(problem.grad(theta), numeric, rtol=1e-6, atol=1e-6 * scale)


@pytest.mark.parametrize("problem", ALL_PROBLEMS, ids=IDS)
def test_minima_have_zero_gradient_and_are_local_minima(problem):
    rng = np.random.default_rng(1)
    for m in problem.minima:
        np.testing.assert_allclose(problem.grad(m), 0.0, atol=1e-10)
        # every nearby point is higher: a minimum, not a saddle or maximum
        nearby = m + 1e-3 * rng.standard_normal((200, 2))
        assert (problem.value(nearby) > problem.value(m)).all()
    assert problem.min_value == pytest.approx(min(problem.value(m) for m in problem.minima))
    assert problem.min_value == problem.value(problem.minima[0])


def test_known_minimum_values_from_the_literature():
    # Rosenbrock 1960, Beale 1958, Himmelblau 1972: all global minima have value 0.
    assert Rosenbrock().min_value == 0.0 and tuple(Rosenbrock().minima[0]) == (1.0, 1.0)
    assert Beale().min_value == 0.0 and tuple(Beale().minima[0]) == (3.0, 0.5)
    np.testing.assert_allclose(Himmelblau().value(Himmelblau().minima), 0.0, atol=1e-25)
    assert Saddle().min_value == -0.25


def test_saddle_point_is_a_stationary_point_but_not_a_minimum():
    s = Saddle()
    np.testing.assert_array_equal(s.grad(s.saddle_point), [0.0, 0.0])
    assert s.value([0.0, 0.1]) < s.value(s.saddle_point) < s.value([0.1, 0.0])


def test_two_basins_has_a_deep_and_a_shallow_basin_with_a_ridge_between():
    tb = TwoBasins()
    deep, shallow = tb.minima
    assert deep[0] < tb.ridge[0] < shallow[0]
    assert tb.value(deep) < tb.value(shallow) < tb.value(tb.ridge)
    np.testing.assert_allclose(tb.grad(tb.ridge), 0.0, atol=1e-12)
    # Plain GD from the default start falls into the shallow basin (the chapter-2 story).
    traj = run(tb, SGD, options={"lr": 0.05}, steps=500)
    np.testing.assert_allclose(traj.points[-1], shallow, atol=1e-6)


@pytest.mark.parametrize("kappa", [1.0, 7.5, 100.0])
@pytest.mark.parametrize("angle", [0.0, 30.0, 45.0, 120.0])
def test_quadratic_has_the_requested_eigenvalues_and_rotation(kappa, angle):
    bowl = Quadratic(condition_number=kappa, angle_deg=angle, L=2.0)
    eig, vec = np.linalg.eigh(bowl.hessian)
    np.testing.assert_allclose(eig, [2.0 / kappa, 2.0], rtol=1e-12)
    assert bowl.L == 2.0 and bowl.mu == pytest.approx(2.0 / kappa)
    assert eig[1] / eig[0] == pytest.approx(kappa) == bowl.condition_number
    np.testing.assert_allclose(bowl.hessian, bowl.hessian.T)
    # The long axis (eigenvalue mu) points at `angle` degrees (up to sign), when kappa > 1.
    if kappa > 1:
        a = math.radians(angle)
        assert abs(vec[:, 0] @ [math.cos(a), math.sin(a)]) == pytest.approx(1.0)
    # The gradient is H theta, and the value 1/2 theta^T H theta.
    theta = np.array([0.3, -1.7])
    np.testing.assert_allclose(bowl.grad(theta), bowl.hessian @ theta)
    assert bowl.value(theta) == pytest.approx(0.5 * theta @ bowl.hessian @ theta)


def test_quadratic_rejects_bad_arguments():
    with pytest.raises(ValueError, match="condition_number"):
        Quadratic(condition_number=0.5)
    with pytest.raises(TypeError, match="angle_deg"):
        Quadratic(angle_deg="45")
    with pytest.raises(ValueError, match="L"):
        Quadratic(L=0.0)


@pytest.mark.parametrize("problem", ALL_PROBLEMS, ids=IDS)
def test_value_and_grad_are_vectorised_over_leading_dimensions(problem):
    rng = np.random.default_rng(2)
    pts = rng.uniform(-1, 1, size=(3, 4, 2))
    v, g = problem.value(pts), problem.grad(pts)
    assert v.shape == (3, 4) and g.shape == (3, 4, 2)
    for i in range(3):
        for j in range(4):
            assert v[i, j] == pytest.approx(problem.value(pts[i, j]), rel=1e-14)
            np.testing.assert_allclose(g[i, j], problem.grad(pts[i, j]), rtol=1e-14)
    assert isinstance(problem.value(pts[0, 0]), float)
    assert problem.grad([0.5, 0.5]).shape == (2,)
    assert problem(pts).shape == (3, 4)


def test_points_must_have_two_coordinates():
    with pytest.raises(ValueError, match=r"\(\.\.\., 2\)"):
        Rosenbrock().value(np.zeros(3))
    with pytest.raises(TypeError, match="theta"):
        Rosenbrock().grad("1, 2")


def test_registry_names_every_problem_class():
    assert set(PROBLEMS.values()) == {Quadratic, Rosenbrock, Beale, Himmelblau, Saddle, TwoBasins}
    for cls in PROBLEMS.values():
        p = cls()
        assert p.start.shape == (2,) and p.xlim[0] < p.xlim[1] and p.ylim[0] < p.ylim[1]


# -- the runner --------------------------------------------------------------------------------

@pytest.mark.parametrize("problem", [Quadratic(20.0, 45.0), Rosenbrock(), Himmelblau()], ids=repr)
def test_run_equals_a_hand_written_gradient_descent_loop(problem):
    lr, steps = 1e-3, 40
    theta = problem.start.copy()
    expected = [theta.copy()]
    for _ in range(steps):
        theta = theta - lr * problem.grad(theta)          # theta <- theta - eta * grad f(theta)
        expected.append(theta.copy())
    traj = run(problem, SGD, options={"lr": lr}, steps=steps)
    np.testing.assert_allclose(traj.points, np.array(expected), rtol=1e-13)
    np.testing.assert_allclose(traj.losses, problem.value(np.array(expected)), rtol=1e-13)
    assert not traj.diverged and traj.message == ""


def test_run_accepts_a_factory_and_does_not_touch_the_start():
    bowl = Quadratic(5.0)
    start = np.array([1.0, 2.0])
    a = run(bowl, Adam, options={"lr": 0.1}, steps=10, start=start)
    b = run(bowl, lambda params: Adam(params, lr=0.1), steps=10, start=start)
    np.testing.assert_array_equal(a.points, b.points)
    np.testing.assert_array_equal(start, [1.0, 2.0])
    np.testing.assert_array_equal(a.points[0], start)


def test_run_with_noise_is_reproducible_and_equals_a_hand_written_noisy_loop():
    bowl, lr, sigma = Quadratic(4.0), 0.2, 0.5
    traj = run(bowl, SGD, options={"lr": lr}, steps=30, noise_std=sigma, rng=7)
    again = run(bowl, SGD, options={"lr": lr}, steps=30, noise_std=sigma, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(traj.points, again.points)
    rng = np.random.default_rng(7)
    theta = bowl.start.copy()
    for t in range(30):
        theta = theta - lr * (bowl.grad(theta) + sigma * rng.standard_normal(2))
    np.testing.assert_allclose(traj.points[-1], theta, rtol=1e-12)
    with pytest.raises(TypeError, match="rng is required when noise_std > 0"):  # was ValueError: now
        run(bowl, SGD, options={"lr": lr}, noise_std=0.1)                     # TypeError, like DataLoader


def test_run_applies_a_schedule_before_each_step():
    bowl = Quadratic(1.0)   # H = I: theta_{t+1} = (1 - lr_t) theta_t
    traj = run(bowl, SGD, steps=3, start=[1.0, 0.0], schedule=lambda t: 0.5 / (t + 1))
    np.testing.assert_allclose(traj.points[:, 0], [1.0, 0.5, 0.5 * 0.75, 0.5 * 0.75 * (1 - 0.5 / 3)])


@pytest.mark.parametrize("lr", [2.01, 3.0, 50.0])
def test_divergence_stops_quietly_with_a_message(lr):
    bowl = Quadratic(10.0)       # L = 1: gradient descent diverges for lr > 2/L = 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # no overflow warnings allowed
        traj = run(bowl, SGD, options={"lr": lr}, steps=100_000)
    assert traj.diverged
    assert "smaller learning rate" in traj.message
    assert len(traj.points) == len(traj.losses) < 100_001
    assert np.isfinite(traj.points).all() and np.isfinite(traj.losses).all()
    assert np.abs(traj.points).max() <= 1e6


def test_divergence_on_rosenbrock_overflow_is_detected_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = run(Rosenbrock(), SGD, options={"lr": 0.1}, steps=1000, max_norm=1e200)
    assert traj.diverged and np.isfinite(traj.points).all()


def test_just_below_the_stability_limit_converges():
    traj = run(Quadratic(10.0), SGD, options={"lr": 1.99}, steps=3000)
    assert not traj.diverged and traj.losses[-1] < 1e-10


def test_run_rejects_bad_arguments():
    bowl = Quadratic()
    with pytest.raises(TypeError, match="problem"):
        run("bowl", SGD)
    with pytest.raises(ValueError, match="steps"):
        run(bowl, SGD, steps=-1)
    with pytest.raises(ValueError, match="start"):
        run(bowl, SGD, start=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="start"):
        run(bowl, SGD, start=[np.nan, 0.0])
    with pytest.raises(ValueError, match="lr"):
        run(bowl, SGD, options={"lr": -0.1})
    with pytest.raises(TypeError, match="options"):
        run(bowl, SGD, options=0.1)


# -- the run records its learning rates and times; bad factories and schedules ---------------------

def test_run_records_step_lr_and_step_time_like_a_training_history():
    from sgdlib.schedules import StepDecay
    bowl = Quadratic(4.0)
    schedule = StepDecay(lr=0.5, step_size=5, gamma=0.5)
    traj = run(bowl, SGD, options={"lr": 0.1}, steps=12, schedule=schedule)
    np.testing.assert_array_equal(traj.step_lr, schedule(np.arange(12)))   # the lr each step used
    assert traj.step_time.shape == traj.losses.shape == (13,)
    assert not hasattr(traj, "step_loss")      # one name for the losses: Trajectory.losses
    assert traj.step_time[0] == 0 and np.all(np.diff(traj.step_time) >= 0)
    plain = run(bowl, SGD, options={"lr": 0.1}, steps=5)
    np.testing.assert_array_equal(plain.step_lr, np.full(5, 0.1))
    diverged = run(bowl, SGD, options={"lr": 2.5}, steps=100)             # stops early: aligned
    assert len(diverged.step_lr) == len(diverged) - 1 and len(diverged.step_time) == len(diverged)


def test_run_refuses_a_factory_that_does_not_return_an_optimizer():
    with pytest.raises(TypeError, match=r"optimizer\(\[theta\]\) returned int"):
        run(Quadratic(), lambda params: 3, steps=3)


def test_run_refuses_a_schedule_shorter_than_the_run_before_starting():
    from sgdlib.schedules import OneCycle
    with pytest.raises(ValueError, match=r"OneCycle\(.*total_steps=10.*takes 30 steps"):
        run(Quadratic(), SGD, options={"lr": 0.1}, steps=30, schedule=OneCycle(max_lr=0.1, total_steps=10))


@pytest.mark.parametrize(("problem", "text"), [
    (Rosenbrock(a=2), "Rosenbrock(a=2.0, b=100.0)"), (Rosenbrock(b=10), "Rosenbrock(a=1.0, b=10.0)"),
    (TwoBasins(curvature=3.0, tilt=0.2), "TwoBasins(tilt=0.2, curvature=3.0)"),
    (Quadratic(12.5, 30.0, L=2.0), "Quadratic(condition_number=12.5, angle_deg=30.0, L=2.0)"),
    (Quadratic(10.000001), "Quadratic(condition_number=10.000001, angle_deg=0.0, L=1.0)"),
    (Beale(), "Beale()"), (Himmelblau(), "Himmelblau()"), (Saddle(), "Saddle()"),
])
def test_repr_is_the_call_that_rebuilds_the_problem(problem, text):
    assert repr(problem) == text
    from sgdlib import problems
    rebuilt = eval(text, vars(problems))             # the repr is valid Python for the same problem
    assert type(rebuilt) is type(problem) and repr(rebuilt) == text
    np.testing.assert_array_equal(rebuilt.grad([0.3, -0.7]), problem.grad([0.3, -0.7]))
