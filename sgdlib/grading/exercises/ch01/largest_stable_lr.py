"""Exercise 1.4: the largest stable learning rate of a quadratic.

For f(x) = x^T H x / 2 with a symmetric positive semi-definite Hessian H, whose eigenvalues are
h_1 <= ... <= h_d = L, gradient descent converges for every lr < 2 / L and diverges above:

    lr_max = 2 / L,    L = max_i h_i

``largest_stable_lr(H)`` returns lr_max as a float.
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "largest_stable_lr"]


def largest_stable_lr(H: np.ndarray) -> float:
    """Reference: 2 over the largest eigenvalue of the symmetric matrix H."""
    return 2.0 / float(np.linalg.eigvalsh(H)[-1])


# ---------------------------------------------------------------------------------------------
# Inputs

SINGULAR = Case((np.array([[1.0, 1.0], [1.0, 1.0]]),),
                "H = [[1, 1], [1, 1]] (h = 0 and 2: semi-definite)")
DEFINITE_CASES = (
    Case((np.diag([1.0, 10.0]),), "H = diag(1, 10)"),
    Case((np.array([[2.0, 1.0], [1.0, 2.0]]),), "H = [[2, 1], [1, 2]]"),
    Case((np.array([[4, -1], [-1, 2]]),), "H = [[4, -1], [-1, 2]], an integer array"),
    # Small curvature: lr_max = 6.67 > 1, so whole-number arithmetic (2 // L) shows.
    Case((np.array([[0.3]]),), "H = [[0.3]] (one dimension)"),
)


def _random_psd(rng: np.random.Generator, d: int, low: float = 0.5, high: float = 10.0) -> np.ndarray:
    Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    H = Q @ np.diag(rng.uniform(low, high, size=d)) @ Q.T
    return (H + H.T) / 2  # exactly symmetric


def random_cases(rng: np.random.Generator) -> list[Case]:
    return [Case((_random_psd(rng, d),), f"random symmetric positive definite H ({d}x{d})")
            for d in (3, 4, 5)]


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _max_diagonal(H):
    return 2.0 / float(np.max(np.diag(H)))


MAX_DIAGONAL = Probe(
    "max_diagonal",
    "You used the largest diagonal entry of H. The curvature that matters is the largest "
    "eigenvalue L of H, which is larger unless H is diagonal.",
    (_max_diagonal,))


def _one_over_l(H):
    return 1.0 / float(np.linalg.eigvalsh(H)[-1])


ONE_OVER_L = Probe(
    "one_over_L",
    "Your learning rate is 1/L, half the limit: 1/L is a classic safe step, but gradient descent "
    "on a quadratic converges for every lr < 2/L. The limit asked for is 2/L.",
    (_one_over_l,))


def _smallest(H):
    return 2.0 / float(np.linalg.eigvalsh(H)[0])


def _smallest_cases(rng: np.random.Generator) -> list[Case]:
    # Without the semi-definite case: 2 / h_min is 2 / 0 there, and rounding decides its sign.
    return list(DEFINITE_CASES) + random_cases(rng)


SMALLEST_EIGENVALUE = Probe(
    "smallest_eigenvalue",
    "You used the smallest eigenvalue (np.linalg.eigvalsh sorts them in ascending order, so "
    "[0] is the smallest). The step must be stable along the steepest direction: use the "
    "largest, L = eigvalsh(H)[-1].",
    (_smallest,), cases=_smallest_cases)


def _first_of_eigvals(H):
    return 2.0 / float(np.linalg.eigvals(H)[0].real)


def _first_of_eig(H):
    return 2.0 / float(np.linalg.eig(H)[0][0].real)


UNSORTED = Probe(
    "eigvals_unsorted",
    "You took the first eigenvalue that np.linalg.eigvals (or eig) returned, but they come in no "
    "particular order. Take the largest: `np.linalg.eigvals(H).max()`, or `eigvalsh(H)[-1]` "
    "(eigvalsh sorts them).",
    (_first_of_eigvals, _first_of_eig))


def _optimal_step(H):
    h = np.linalg.eigvalsh(H)
    return 2.0 / float(h[0] + h[-1])


OPTIMAL_STEP = Probe(
    "optimal_step",
    "You computed 2 / (mu + L), the best constant step of lesson 1. This exercise asks for the "
    "stability limit, the largest lr for which gradient descent still converges: 2 / L.",
    (_optimal_step,))


def _trace(H):
    return 2.0 / float(np.trace(H))


TRACE = Probe(
    "trace",
    "You divided by the trace of H, the sum of all its eigenvalues h_i. The limit depends on the "
    "largest one only: 2 / L with L = max_i h_i.",
    (_trace,))


def _frobenius(H):
    return 2.0 / float(np.linalg.norm(H))


FROBENIUS_NORM = Probe(
    "frobenius_norm",
    "np.linalg.norm(H) is the Frobenius norm, sqrt(sum of h_i^2), larger than L unless one "
    "eigenvalue only is nonzero. The spectral norm np.linalg.norm(H, 2) equals L for a symmetric "
    "positive semi-definite H; eigvalsh(H)[-1] is L directly.",
    (_frobenius,))


EXERCISE = Exercise(
    id="ch01_largest_stable_lr",
    number=4,
    title="Largest stable learning rate of a quadratic",
    function_name="largest_stable_lr",
    arg_names=("H",),
    reference=largest_stable_lr,
    fixed_cases=(*DEFINITE_CASES, SINGULAR),
    random_cases=random_cases,
    returns=(Output("lr_max", "float"),),
    probes=(MAX_DIAGONAL, ONE_OVER_L, SMALLEST_EIGENVALUE, UNSORTED, OPTIMAL_STEP, TRACE,
            FROBENIUS_NORM),
)
