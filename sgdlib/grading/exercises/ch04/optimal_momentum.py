"""Exercise 4.3: the best learning rate and momentum for a quadratic (Polyak 1964).

For f(x) = 0.5 x^T H x with H symmetric positive definite, L and mu its largest and smallest
eigenvalues and kappa = L / mu, the heavy ball converges fastest with

    eta*  = (2 / (sqrt(L) + sqrt(mu)))^2
    beta* = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))^2

(Polyak 1964; Goh 2017, "Why Momentum Really Works", Distill, on the optimal parameters,
which writes alpha for eta and lambda_1, lambda_n for mu, L.) Then every eigen-component
contracts by sqrt(beta*) = (sqrt(kappa) - 1) / (sqrt(kappa) + 1) per step. Example: mu = 0.01,
L = 1 give eta* = (2 / 1.1)^2 = 3.3058 and beta* = (9 / 11)^2 = 0.6694.

``optimal_momentum(H)`` returns ``(lr, momentum)`` as two floats. The eigenvalues are those of H
itself, which need not be diagonal (np.linalg.eigvalsh). The reference refuses a matrix that is
not square, not symmetric, not positive definite or not finite with a ValueError naming H; the
graded cases give only valid matrices (``check`` cannot ask for an exception).
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "optimal_momentum"]


def _eigenvalues(H) -> np.ndarray:
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or H.shape[0] != H.shape[1] or H.size == 0:
        raise ValueError(f"H must be a square matrix, got shape {H.shape}")
    if not np.all(np.isfinite(H)):
        raise ValueError("H must hold finite numbers, got NaN or inf")
    if not np.allclose(H, H.T, rtol=1e-10, atol=1e-12 * np.abs(H).max()):
        raise ValueError("H must be symmetric (a Hessian is), got H != H.T")
    h = np.linalg.eigvalsh(H)
    if h[0] <= 0:
        raise ValueError(f"H must be positive definite, got smallest eigenvalue {h[0]:g}")
    return h


def optimal_momentum(H: np.ndarray) -> tuple[float, float]:
    """Reference: eta* = (2/(sqrt L + sqrt mu))^2, beta* = ((sqrt kappa - 1)/(sqrt kappa + 1))^2."""
    h = _eigenvalues(H)
    L, mu = h[-1], h[0]
    lr = (2 / (np.sqrt(L) + np.sqrt(mu))) ** 2
    root_kappa = np.sqrt(L / mu)
    momentum = ((root_kappa - 1) / (root_kappa + 1)) ** 2
    return float(lr), float(momentum)


# ---------------------------------------------------------------------------------------------
# Inputs


def _rotated(h, angle):
    c, s = np.cos(angle), np.sin(angle)
    Q = np.array([[c, -s], [s, c]])
    return Q @ np.diag(h) @ Q.T


FIXED_CASES = (
    Case((np.diag([0.01, 1.0]),), "mu = 0.01, L = 1 (Goh 2017's example): eta* = 3.306, beta* = 0.669"),
    Case((np.array([[2, 0], [0, 8]]),), "H an integer matrix, kappa = 4"),
    Case((np.array([[2.0, 1.0], [1.0, 2.0]]),), "non-diagonal H, eigenvalues 1 and 3 (its diagonal is 2, 2)"),
    Case((np.array([[4.0]]),), "one dimension (kappa = 1): eta* = 1 / L, beta* = 0"),
    Case((np.eye(3),), "H = I: kappa = 1, eta* = 1, beta* = 0"),
    Case((np.diag([9.0, 1.0, 4.0]),), "diagonal, the eigenvalues not in order"),
    Case((_rotated([0.1, 10.0], np.pi / 6),), "H rotated by 30 degrees, eigenvalues 0.1 and 10"),
    Case((np.array([[5.0, 2.0, 0.0], [2.0, 5.0, 2.0], [0.0, 2.0, 5.0]]),),
         "non-diagonal 3 x 3, eigenvalues 5 - 2 sqrt 2, 5, 5 + 2 sqrt 2"),
    Case((np.diag([1e-4, 1.0]),), "kappa = 10^4: beta* close to 1"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for d, log_kappa in ((2, 1.0), (4, 2.0), (6, 3.0)):
        Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
        h = np.exp(rng.uniform(-1, 1)) * np.logspace(0, log_kappa, d)
        H = Q @ np.diag(rng.permutation(h)) @ Q.T
        cases.append(Case(((H + H.T) / 2,), f"random rotated H ({d}x{d}), kappa = 10^{log_kappa:g}"))
    return cases


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint. Each takes L and mu as the eigenvalues of the wrong matrix,
# or applies a wrong formula to the right ones.


def _from(L, mu, lr_formula="polyak", squared=True):
    if lr_formula == "gd":
        lr = 2 / (L + mu)
    elif lr_formula == "two_over":
        lr = 2 / (np.sqrt(L) + np.sqrt(mu)) ** 2
    else:
        lr = (2 / (np.sqrt(L) + np.sqrt(mu))) ** 2
    r = (np.sqrt(L / mu) - 1) / (np.sqrt(L / mu) + 1)
    return float(lr), float(r**2 if squared else r)


def _extremes(H):
    h = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    return h[-1], h[0]


def _beta_not_squared(H):
    return _from(*_extremes(H), squared=False)


def _beta_not_squared_swapped(H):
    L, mu = _extremes(H)
    return _from(mu, L, squared=False)  # kappa < 1: a negative "momentum"


BETA_NOT_SQUARED = Probe(
    "beta_not_squared",
    "Your momentum is (sqrt(kappa) - 1) / (sqrt(kappa) + 1), the convergence *rate*; the optimal "
    "momentum is its square, beta* = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))**2 (the rate in the "
    "complex-root region is sqrt(beta), so rate = sqrt(beta*)). With kappa = L / mu >= 1 it is "
    "never negative.",
    (_beta_not_squared, _beta_not_squared_swapped))


def _gd_lr(H):
    return _from(*_extremes(H), lr_formula="gd")


def _gd_lr_unsquared(H):
    return _from(*_extremes(H), lr_formula="gd", squared=False)


GD_LR = Probe(
    "gradient_descent_lr",
    "Your learning rate is 2 / (L + mu), gradient descent's best step without momentum. With "
    "momentum the best step is larger: eta* = (2 / (sqrt(L) + sqrt(mu)))**2, square roots of the "
    "eigenvalues inside, the whole fraction squared.",
    (_gd_lr, _gd_lr_unsquared))


def _diagonal(H):
    d = np.diag(np.asarray(H, dtype=float))
    return _from(d.max(), d.min())


def _unsorted_eigvals(H):
    h = np.linalg.eigvals(np.asarray(H, dtype=float)).real
    return _from(h[0], h[-1])  # eigvals does not sort: the first is not the largest


WRONG_EIGENVALUES = Probe(
    "wrong_eigenvalues",
    "Your L and mu are not the largest and smallest eigenvalues of H: the diagonal of H is not "
    "its eigenvalues unless H is diagonal, and np.linalg.eigvals returns the eigenvalues in no "
    "particular order. Use `h = np.linalg.eigvalsh(H)` (sorted ascending for a "
    "symmetric matrix), then L = h[-1] = h.max(), mu = h[0] = h.min().",
    (_diagonal, _unsorted_eigvals))


def _squared_eigenvalues(H):
    L, mu = _extremes(H)
    return _from(L**2, mu**2)


def _no_sqrt_in_lr(H):
    L, mu = _extremes(H)
    return float((2 / (L + mu)) ** 2), _from(L, mu)[1]


def _no_sqrt_in_kappa(H):
    L, mu = _extremes(H)
    return _from(L, mu)[0], float(((L / mu - 1) / (L / mu + 1)) ** 2)


SQRT_MISSING = Probe(
    "sqrt_missing",
    "A square root is missing: your numbers are what the formulas give with L and mu (or kappa) "
    "in place of their square roots - or with the eigenvalues of H @ H.T (or H @ H), which are h**2. "
    "Take the eigenvalues of H itself and their roots: "
    "eta* = (2 / (np.sqrt(L) + np.sqrt(mu)))**2, beta* = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1))**2.",
    (_squared_eigenvalues, _no_sqrt_in_lr, _no_sqrt_in_kappa))


def _two_not_squared(H):
    return _from(*_extremes(H), lr_formula="two_over")


TWO_NOT_SQUARED = Probe(
    "two_not_squared",
    "Your learning rate is half the right one: 2 / (sqrt(L) + sqrt(mu))**2, where the square "
    "applies to the whole fraction, numerator included: (2 / (sqrt(L) + sqrt(mu)))**2 = "
    "4 / (sqrt(L) + sqrt(mu))**2. (The eigenvalues of H + H.T, which are 2 h, give the same "
    "half: symmetrising needs (H + H.T) / 2, and H is symmetric already.)",
    (_two_not_squared,))


def _swapped(H):
    lr, momentum = optimal_momentum(H)
    return momentum, lr


SWAPPED = Probe(
    "swapped",
    "You return the two numbers in the wrong order: return (lr, momentum), the learning rate "
    "first.",
    (_swapped,))


def _kappa_as_difference(H):
    L, mu = _extremes(H)
    r = (np.sqrt(L - mu) - 1) / (np.sqrt(L - mu) + 1)
    return _from(L, mu)[0], float(r**2)


def _kappa_from_trace(H):
    L, mu = _extremes(H)
    kappa = np.trace(np.asarray(H, dtype=float)) / mu  # the sum of the eigenvalues, not the largest
    return _from(L, mu)[0], float(((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2)


KAPPA = Probe(
    "kappa_wrong",
    "Your momentum does not use kappa = L / mu, the ratio of the largest to the smallest "
    "eigenvalue (a difference L - mu, or the trace of H, the sum of all eigenvalues, in place "
    "of L). beta* = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))**2, "
    "which equals ((sqrt(L) - sqrt(mu)) / (sqrt(L) + sqrt(mu)))**2: square the fraction.",
    (_kappa_as_difference, _kappa_from_trace))


EXERCISE = Exercise(
    id="ch04_optimal_momentum",
    number=3,
    title="The optimal learning rate and momentum of a quadratic",
    function_name="optimal_momentum",
    arg_names=("H",),
    reference=optimal_momentum,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("lr", "float"), Output("momentum", "float")),
    probes=(BETA_NOT_SQUARED, GD_LR, WRONG_EIGENVALUES, SQRT_MISSING, TWO_NOT_SQUARED, SWAPPED, KAPPA),
    answer_keys=("sgdlib.problems.momentum_theory._polyak_optimum",),
)
