"""Tests of sgdlib.problems.momentum_theory: closed forms against numpy's eigenvalues and real SGD runs.

References: the 2x2 iteration matrix and Polyak's optimum (Polyak 1964; Goh, "Why Momentum Really
Works", Distill 2017, with the complex-root rate corrected to sqrt(beta)); the runs are
``sgdlib.optim.SGD``, whose equations are torch.optim.SGD's (tests/test_optim_parity.py).
"""

import numpy as np
import pytest

from sgdlib.optim import SGD
import sgdlib.problems
from sgdlib.problems import REGIMES, Quadratic, momentum_quadratic_runs, momentum_regime, run
from sgdlib.problems.momentum_theory import _convergence_rate as convergence_rate
from sgdlib.problems.momentum_theory import _iteration_matrix as iteration_matrix
from sgdlib.problems.momentum_theory import _polyak_optimum as polyak_optimum


def test_the_rate_and_the_optimum_are_not_public_because_they_are_graded_exercises():
    # Chapter 4's exercises polyak_optimum(H) and momentum_rate(lr, momentum, h) must not be one call away.
    public = set(sgdlib.problems.__all__) | set(dir(sgdlib.problems))
    for name in ["convergence_rate", "optimal_momentum", "iteration_matrix", "momentum_rate"]:
        assert name not in public


def sgd_1d(lr, momentum, h, steps, nesterov=False, x0=1.0):
    """|x_t| of real sgdlib.optim.SGD runs on f(x) = h x^2 / 2."""
    x = np.array([x0])
    opt = SGD([x], lr=lr, momentum=momentum, nesterov=nesterov)
    out = [abs(x[0])]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            opt.step([h * x])
            out.append(abs(x[0]))
    return np.array(out)


def envelope_rate(errors, first, last):
    """Per-step rate of the envelope (the largest |x| from each step on), so oscillation does not count."""
    env = np.maximum.accumulate(errors[::-1])[::-1]
    return (env[last] / env[first]) ** (1 / (last - first))


# -- the issue's numbers (mu = 0.01, L = 1), from the closed forms of Polyak (1964) ---------------------------

def test_optimal_momentum_gives_the_issue_numbers_for_mu_001_and_L_1():
    eta, beta, rate = polyak_optimum(L=1.0, mu=0.01)
    assert eta == pytest.approx(4 / 1.1 ** 2) and round(eta, 3) == 3.306     # (2 / (sqrt L + sqrt mu))^2
    assert beta == pytest.approx((9 / 11) ** 2) and round(beta, 3) == 0.669  # ((sqrt k - 1)/(sqrt k + 1))^2
    assert rate == pytest.approx(9 / 11) and round(rate, 3) == 0.818
    gd = convergence_rate(2 / 1.01, 0.0, [0.01, 1.0]).max()                   # GD at its best step 2/(L + mu)
    assert gd == pytest.approx(99 / 101) and round(gd, 3) == 0.980


def test_optimal_momentum_rate_is_reached_on_the_whole_spectrum_and_beaten_by_no_grid_point():
    eta, beta, rate = polyak_optimum(1.0, 0.01)
    spectrum = np.linspace(0.01, 1.0, 101)
    np.testing.assert_allclose(convergence_rate(eta, beta, spectrum), rate, atol=1e-6)   # every component at r*
    grid = convergence_rate(np.linspace(0.01, 4, 300)[None, :, None], np.linspace(0, 0.99, 200)[:, None, None],
                            [0.01, 1.0]).max(axis=-1)                        # the bowl's rate: its slower end
    assert grid.min() >= rate - 1e-9


def test_measured_convergence_of_sgd_at_the_optimum_matches_the_closed_form():
    eta, beta, rate = polyak_optimum(1.0, 0.01)
    bowl = Quadratic(condition_number=100.0, angle_deg=30.0)
    traj = run(bowl, SGD, options={"lr": eta, "momentum": beta}, steps=400)
    r = np.linalg.norm(traj.points, axis=1)
    # A double root decays like t r^t: over steps a..b that adds (b/a)^(1/(b-a)).
    assert (r[400] / r[200]) ** (1 / 200) == pytest.approx(rate * 2 ** (1 / 200), rel=2e-4)
    gd = run(bowl, SGD, options={"lr": 2 / 1.01}, steps=600)
    g = np.linalg.norm(gd.points, axis=1)
    assert (g[600] / g[300]) ** (1 / 300) == pytest.approx(99 / 101, rel=1e-4)


def test_optimal_momentum_refuses_bad_eigenvalues():
    with pytest.raises(ValueError, match="mu must be <= L"):
        polyak_optimum(0.1, 1.0)
    with pytest.raises(ValueError, match="mu must be > 0"):
        polyak_optimum(1.0, 0.0)
    with pytest.raises(TypeError, match="L must be a real number"):
        polyak_optimum("1", 0.1)


# -- the iteration matrix and its spectral radius -------------------------------------------------------------

@pytest.mark.parametrize("nesterov", [False, True])
def test_iteration_matrix_is_one_step_of_sgdlib_sgd(nesterov):
    rng = np.random.default_rng(0)
    for _ in range(20):
        lr, beta, h = rng.uniform(0, 3), rng.uniform(0.05, 0.99), rng.uniform(0.01, 2)
        x = np.array([rng.standard_normal()])
        opt = SGD([x], lr=lr, momentum=beta, nesterov=nesterov)
        opt.step([h * x])                                    # first step: the buffer becomes g
        b, x1 = opt.state[0]["momentum_buffer"][0], x[0]
        opt.step([h * x])
        expected = iteration_matrix(lr, beta, h, nesterov=nesterov) @ np.array([b, x1])
        np.testing.assert_allclose([opt.state[0]["momentum_buffer"][0], x[0]], expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("nesterov", [False, True])
def test_convergence_rate_is_the_spectral_radius_by_numpy(nesterov):
    rng = np.random.default_rng(1)
    lr, beta, h = rng.uniform(0, 4.5, 2000), rng.uniform(0, 0.999, 2000), rng.uniform(0.001, 1.5, 2000)
    numpy_r = np.abs(np.linalg.eigvals(iteration_matrix(lr, beta, h, nesterov=nesterov))).max(axis=-1)
    np.testing.assert_allclose(convergence_rate(lr, beta, h, nesterov=nesterov), numpy_r,
                               rtol=1e-6, atol=1e-7)   # a double root is only known to ~sqrt(eps)


@pytest.mark.parametrize("nesterov", [False, True])
def test_convergence_rate_is_elementwise_like_the_iteration_matrix(nesterov):
    # The review's item 2: an array h is one eigenvalue per setting, never reduced over an axis.
    lr, beta, h = np.array([[0.5], [2.0]]), np.array([0.0, 0.8, 0.3]), np.array([[[0.1]], [[1.0]]])
    r = convergence_rate(lr, beta, h, nesterov=nesterov)
    assert r.shape == (2, 2, 3) == iteration_matrix(lr, beta, h).shape[:-2]
    for idx in np.ndindex(r.shape):
        one = convergence_rate(lr[idx[1], 0], beta[idx[2]], h[idx[0], 0, 0], nesterov=nesterov)
        assert isinstance(one, float) and r[idx] == pytest.approx(one)
    assert convergence_rate(1.0, 0.5, [0.1, 1.0]).shape == (2,)      # two components, two rates


@pytest.mark.parametrize("nesterov", [False, True])
def test_measured_rates_of_real_sgd_runs_match_the_closed_form_in_every_region(nesterov):
    rng = np.random.default_rng(2)
    checked = 0
    while checked < 12:
        lr, beta, h = rng.uniform(0.05, 3.9), rng.uniform(0.05, 0.95), 1.0
        r = convergence_rate(lr, beta, h, nesterov=nesterov)
        if not 0.3 < r < 0.985:             # measurable over a few hundred steps, and converging
            continue
        errors = sgd_1d(lr, beta, h, 600, nesterov=nesterov)
        first = 50
        last = int(min(600, first + np.log(1e-120) / np.log(r)))
        assert envelope_rate(errors, first, last) == pytest.approx(r, rel=2e-2), (lr, beta)
        checked += 1


def test_complex_roots_have_modulus_sqrt_beta_whatever_the_learning_rate():
    beta = 0.81
    for eta_h in [0.05, 0.5, 1.0, 2.0, 3.0, 3.5]:                        # (1 + beta - eta h)^2 < 4 beta
        assert (1 + beta - eta_h) ** 2 < 4 * beta
        assert convergence_rate(eta_h, beta, 1.0) == pytest.approx(np.sqrt(beta))    # not 2 sqrt(beta) = 1.8
        assert envelope_rate(sgd_1d(eta_h, beta, 1.0, 800), 100, 700) == pytest.approx(0.9, abs=2e-3)
        assert REGIMES[int(momentum_regime(eta_h, beta, 1.0))] == "complex"


def test_no_setting_beats_sqrt_beta():
    betas = np.linspace(0, 0.99, 100)
    rates = convergence_rate(np.linspace(0.001, 4.5, 2000)[:, None], betas[None, :], 1.0)
    assert (rates.min(axis=0) >= np.sqrt(betas) - 1e-7).all()


@pytest.mark.parametrize("beta", [0.0, 0.3, 0.6, 0.9, 0.95])
def test_heavy_ball_diverges_from_eta_h_two_plus_two_beta_and_not_before(beta):
    edge = 2 + 2 * beta
    below, above = sgd_1d(edge - 0.02, beta, 1.0, 3000), sgd_1d(edge + 0.02, beta, 1.0, 3000)
    assert below[-1] < 1e-3 * below[0] and not above[-1] < above[0]
    assert convergence_rate(edge, beta, 1.0) == pytest.approx(1.0)
    assert REGIMES[int(momentum_regime(edge, beta, 1.0))] == "divergent"
    if beta > 0:
        assert sgd_1d(2.1, beta, 1.0, 3000)[-1] < 1e-3        # d2l's "eta lambda > 2 diverges" does not hold


@pytest.mark.parametrize("beta", [0.3, 0.6, 0.9])
def test_nesterov_diverges_from_its_own_edge(beta):
    edge = 2 * (1 + beta) / (1 + 2 * beta)
    assert convergence_rate(edge, beta, 1.0, nesterov=True) == pytest.approx(1.0)
    assert sgd_1d(edge - 0.02, beta, 1.0, 3000, nesterov=True)[-1] < 1e-3
    assert not sgd_1d(edge + 0.02, beta, 1.0, 3000, nesterov=True)[-1] < 1.0


@pytest.mark.parametrize("eta_h", [0.01, 0.04, 0.25, 0.5])
def test_critical_damping_is_the_fastest_beta_at_a_given_eta_and_has_rate_one_minus_sqrt_eta_h(eta_h):
    b_crit = (1 - np.sqrt(eta_h)) ** 2
    assert convergence_rate(eta_h, b_crit, 1.0) == pytest.approx(1 - np.sqrt(eta_h), abs=1e-7)
    betas = np.linspace(0, 0.99, 991)
    assert betas[np.argmin(convergence_rate(eta_h, betas, 1.0))] == pytest.approx(b_crit, abs=2e-3)


def test_regimes_follow_the_roots():
    rng = np.random.default_rng(3)
    lr, beta = rng.uniform(0, 4.2, 5000), rng.uniform(0, 0.99, 5000)
    regime = momentum_regime(lr, beta, 1.0)
    roots = np.linalg.eigvals(iteration_matrix(lr, beta, 1.0))
    r = np.abs(roots).max(axis=-1)
    complex_ = np.abs(roots.imag).max(axis=-1) > 1e-9
    ok = np.abs(r - 1) > 1e-6                            # away from the boundaries' rounding
    assert ((regime == 3) == (r >= 1))[ok].all()
    assert ((regime == 1) == (complex_ & (r < 1)))[ok].all()
    real = ~complex_ & (r < 1) & ok
    assert ((regime[real] == 0) == (roots[real].real.min(axis=-1) > 0)).all()


@pytest.mark.parametrize("beta, eta_h, root, regime", [
    (0.25, 0.25, 0.5, "monotone"),        # eta h = (1 - sqrt(beta))^2: the double root +sqrt(beta)
    (0.25, 2.25, -0.5, "oscillating"),    # eta h = (1 + sqrt(beta))^2: the double root -sqrt(beta)
    (0.0, 1.0, 0.0, "monotone"),          # gradient descent at eta = 1/h: the root 0, one step to the minimum
])
def test_a_double_root_is_labelled_by_its_sign(beta, eta_h, root, regime):
    # The review's item 1: critical damping is the edge of the monotone region, not "oscillating".
    roots = np.roots([1.0, -(1 + beta - eta_h), beta])
    np.testing.assert_allclose(roots, [root, root] if beta else [root, 0.0], atol=1e-7)
    assert REGIMES[int(momentum_regime(eta_h, beta, 1.0))] == regime
    assert REGIMES[int(momentum_regime(eta_h / 2, beta, 2.0))] == regime    # only eta h matters


def test_regime_refuses_a_negative_eigenvalue():
    assert convergence_rate(1.0, 0.5, -0.1) > 1                        # every lr > 0 diverges on h < 0
    with pytest.raises(ValueError, match="h must be >= 0"):
        momentum_regime(1.0, 0.5, [1.0, -0.1])


# -- the vectorised runs --------------------------------------------------------------------------------------

@pytest.mark.parametrize("nesterov", [False, True])
def test_vectorised_runs_equal_sgdlib_sgd_runs_without_noise(nesterov):
    h = np.array([0.1, 1.0])
    lrs, betas = np.array([0.3, 1.0, 1.6]), np.array([0.5, 0.9])
    th = momentum_quadratic_runs(h, [2.0, -1.0], lrs[:, None], betas[None, :], steps=40, nesterov=nesterov)
    assert th.shape == (41, 3, 2, 1, 2)
    bowl = Quadratic(condition_number=10.0)
    for i, lr in enumerate(lrs):
        for j, b in enumerate(betas):
            traj = run(bowl, SGD, options={"lr": lr, "momentum": b, "nesterov": nesterov}, steps=40, start=[2.0, -1.0])
            n = len(traj.points)                     # run() stops a diverging run at |theta| > 1e6
            assert n == 41 or np.linalg.norm(th[n, i, j, 0]) > 1e6
            np.testing.assert_allclose(th[:n, i, j, 0], traj.points, rtol=1e-10, atol=1e-12)


def test_noisy_runs_are_reproducible_and_the_seeds_differ():
    a = momentum_quadratic_runs([1.0], [1.0], 0.1, 0.9, 50, noise_std=0.5, n_seeds=4, rng=7)
    b = momentum_quadratic_runs([1.0], [1.0], 0.1, 0.9, 50, noise_std=0.5, n_seeds=4, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    assert a.shape == (51, 4, 1) and len(np.unique(a[-1, :, 0])) == 4


def test_noise_floor_matches_the_stationary_variance_of_the_2x2_system():
    # E f = sigma^2 eta (1 + beta) / (2 (1 - beta) (2 (1 + beta) - eta h)): the Lyapunov equation of M with noise
    lr, beta = np.array([0.05, 0.5, 2.0]), 0.5
    th = momentum_quadratic_runs([1.0], [0.0], lr, beta, 2000, noise_std=1.0, n_seeds=300, rng=0)
    floor = 0.5 * (th[500:, ..., 0] ** 2).mean(axis=(0, 2))
    predicted = lr * (1 + beta) / (2 * (1 - beta) * (2 * (1 + beta) - lr))
    np.testing.assert_allclose(floor, predicted, rtol=0.08)


@pytest.mark.parametrize("kwargs, exc, match", [
    (dict(lr=-0.1), ValueError, "lr must be >= 0"),
    (dict(momentum=-0.5), ValueError, "momentum must be >= 0"),
    (dict(lr="fast"), TypeError, "lr must be a real number"),
    (dict(momentum=True), TypeError, "momentum must be a real number"),
    (dict(h=[np.nan]), ValueError, "h must be finite"),
])
def test_bad_arguments_are_refused_with_their_names(kwargs, exc, match):
    args = dict(lr=0.1, momentum=0.5, h=1.0)
    with pytest.raises(exc, match=match):
        convergence_rate(**{**args, **kwargs})


def test_vectorised_runs_take_runs_argument_names():
    a = momentum_quadratic_runs(h=[1.0], start=[1.0], lr=0.5, momentum=0.5, steps=3)
    x = run(Quadratic(condition_number=1.0), SGD, options={"lr": 0.5, "momentum": 0.5}, steps=3, start=[1.0, 1.0])
    np.testing.assert_allclose(a[:, 0, 0], x.points[:, 0])


@pytest.mark.parametrize("kwargs, exc, match", [
    (dict(h=[1.0, 2.0]), ValueError, r"start must have the shape of h, \(2,\), got \(1,\)"),
    (dict(h=[]), ValueError, "h must have at least 1 rows"),
    (dict(h=[[1.0]], start=[[1.0]]), ValueError, "h must be 1-D"),
    (dict(h=["a"]), TypeError, "h must be a numeric array"),
    (dict(h=[np.inf]), ValueError, "h contains NaN or inf"),
    (dict(start=None), TypeError, "start must be a numpy array"),
    (dict(start=[np.nan]), ValueError, "start contains NaN or inf"),
    (dict(steps=2.5), TypeError, "steps must be an integer"),
    (dict(noise_std=1.0), TypeError, "rng is required when noise_std > 0"),
    (dict(rng="seed"), TypeError, "rng must be a numpy.random.Generator"),     # checked even without noise
    (dict(rng=-1), ValueError, "rng must be a seed >= 0"),
])
def test_vectorised_runs_refuse_bad_arguments_with_their_names(kwargs, exc, match):
    args = dict(h=[1.0], start=[1.0], lr=0.1, momentum=0.5, steps=5)
    with pytest.raises(exc, match=match):
        momentum_quadratic_runs(**{**args, **kwargs})


def test_iteration_matrix_refuses_a_non_bool_nesterov():
    with pytest.raises(TypeError, match="nesterov must be"):
        iteration_matrix(0.1, 0.5, 1.0, nesterov="yes")
