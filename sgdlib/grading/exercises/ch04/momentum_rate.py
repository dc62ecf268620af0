"""Exercise 4.4: the convergence rate of the heavy ball along one eigen-direction.

Along an eigenvector of H with eigenvalue (curvature) h, the heavy ball with learning rate eta
and momentum beta moves the error x_t by a linear recurrence, x_{t+1} = (1 + beta - eta h) x_t
- beta x_{t-1}, that is

    (x_{t+1}, x_t) = M (x_t, x_{t-1}),     M = [[1 + beta - eta*h, -beta],
                                                [1,                 0   ]]

The error shrinks like rate^t, where the rate is the spectral radius of M, the largest
*modulus* of its two eigenvalues, the roots of z^2 - (1 + beta - eta h) z + beta = 0:

    real roots    (1 + beta - eta h)^2 >= 4 beta:  max |(a +- sqrt(a^2 - 4 beta)) / 2|, a = 1 + beta - eta h
    complex roots (1 + beta - eta h)^2 <  4 beta:  sqrt(beta)   (their product is beta)

Goh (2017), "Why Momentum Really Works", prints 2 sqrt(beta) for the complex case; the product
of two conjugate roots is their squared modulus, so it is sqrt(beta). A rate >= 1 means no
convergence; that happens when eta h >= 2 + 2 beta (for 0 <= beta < 1).

``momentum_rate(lr, momentum, h)`` takes three real numbers and returns the rate as a float.
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "momentum_rate"]


def momentum_rate(lr: float, momentum: float, h: float) -> float:
    """Reference: the largest modulus of the roots of z^2 - (1 + beta - eta h) z + beta."""
    a = 1 + momentum - lr * h
    disc = a * a - 4 * momentum
    if disc < 0:  # complex pair: |z|^2 = z * conj(z) = beta
        return float(np.sqrt(momentum))
    return float(max(abs(a + np.sqrt(disc)), abs(a - np.sqrt(disc))) / 2)


# ---------------------------------------------------------------------------------------------
# Inputs. For lr = 1 and h = 1 the rate follows at once; the others come from the two formulas.

FIXED_CASES = (
    Case((0.5, 0.0, 1.0), "momentum = 0: gradient descent, rate |1 - eta h| = 0.5"),
    Case((1.5, 0.0, 1.0), "momentum = 0, eta h = 1.5: rate |1 - 1.5| = 0.5, the root is negative"),
    Case((1.0, 0.5, 1.0), "complex roots (a^2 = 0.25 < 4 beta = 2): rate sqrt(0.5)"),
    Case((0.1, 0.1, 1.0), "real roots, little momentum: rate close to 1 - eta h"),
    Case((0.25, 0.25, 1.0), "critical damping, beta = (1 - sqrt(eta h))^2: one double root 1 - sqrt(eta h) = 0.5"),
    Case((3.0, 0.2, 1.0), "diverging: eta h = 3 > 2 + 2 beta = 2.4, rate > 1"),
    Case((2.4, 0.2, 1.0), "on the boundary eta h = 2 + 2 beta: a root at -1, rate 1"),
    Case((3.3057851239669422, 0.6694214876033058, 0.01),
         "Goh's example at mu = 0.01, with eta* and beta* for L = 1: rate sqrt(beta*) = 9/11"),
    Case((3.3057851239669422, 0.6694214876033058, 1.0), "the same at L = 1"),
    Case((0.01, 0.9, 100.0), "complex roots at a large curvature h = 100"),
    Case((0.05, 0.9, 0.0), "h = 0, a flat direction: a root at 1, rate 1"),
    Case((1, 0, 1), "integers: lr = 1, momentum = 0, h = 1, one step to the minimum, rate 0"),
    Case((1, 1, 1), "integers: beta = 1, complex roots on the unit circle, rate 1"),
    Case((0.1, 0.5, -2.0), "h < 0, a saddle direction: a root above 1"),
    Case((0.1, 0.99, 1.0), "beta = 0.99: rate sqrt(0.99), no faster however small eta h is"),
    Case((1.9, 0.95, 1.0), "complex roots with eta h near 2"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    return [Case((float(rng.uniform(0.0, 4.0)), float(rng.uniform(0.0, 1.0)), float(rng.uniform(0.0, 1.5))),
                 "random lr, momentum and h") for _ in range(12)]


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _roots(lr, momentum, h, a=None):
    a = 1 + momentum - lr * h if a is None else a
    return np.roots([1.0, -a, momentum])


def _closed_form(complex_rate):
    def mistake(lr, momentum, h):
        a = 1 + momentum - lr * h
        disc = a * a - 4 * momentum
        if disc < 0:
            return float(complex_rate(momentum))
        return float(max(abs(a + np.sqrt(disc)), abs(a - np.sqrt(disc))) / 2)

    return mistake


TWO_SQRT_BETA = Probe(
    "two_sqrt_beta",
    "Where the two roots are complex your rate is 2 sqrt(beta): the misprint in Goh's \"Why "
    "Momentum Really Works\". Two conjugate roots z and conj(z) multiply to |z|^2, and their "
    "product is the constant term beta of z^2 - (1 + beta - eta h) z + beta, so |z| = sqrt(beta).",
    (_closed_form(lambda b: 2 * np.sqrt(b)),))


BETA_NOT_ROOT = Probe(
    "beta_not_sqrt",
    "Where the two roots are complex your rate is beta; it is sqrt(beta): the roots multiply to "
    "beta, and a complex pair has equal moduli, so each has modulus sqrt(beta).",
    (_closed_form(lambda b: b),))


def _largest_real_part(lr, momentum, h):
    return float(np.max(_roots(lr, momentum, h).real))


def _modulus_of_largest_real(lr, momentum, h):
    z = _roots(lr, momentum, h)
    return float(np.abs(z[np.argmax(z.real)]))


def _no_abs_real_roots(lr, momentum, h):
    a = 1 + momentum - lr * h
    disc = a * a - 4 * momentum
    if disc < 0:
        return float(np.sqrt(momentum))
    return float((a + np.sqrt(disc)) / 2)


NOT_MODULUS = Probe(
    "not_modulus",
    "You took the largest eigenvalue by its signed value (or its real part), not by its modulus. "
    "A root at -0.9 shrinks the error as slowly as one at 0.9 (flipping its sign each step), and "
    "a complex root's size is its modulus. Take the largest absolute value: "
    "`np.max(np.abs(np.linalg.eigvals(M)))`.",
    (_largest_real_part, _modulus_of_largest_real, _no_abs_real_roots))


def _matrix_rate(M):
    return float(np.max(np.abs(np.linalg.eigvals(np.array(M, dtype=float)))))


def _minus_beta(lr, momentum, h):
    return _matrix_rate([[1 - momentum - lr * h, -momentum], [1, 0]])


def _plus_beta_corner(lr, momentum, h):
    return _matrix_rate([[1 + momentum - lr * h, momentum], [1, 0]])


def _beta_times_lr(lr, momentum, h):
    return _matrix_rate([[1 + momentum - lr * h, -momentum * lr], [1, 0]])


WRONG_MATRIX = Probe(
    "wrong_matrix",
    "Your iteration matrix is not the heavy ball's. From x_{t+1} = x_t - eta h x_t + beta "
    "(x_t - x_{t-1}) = (1 + beta - eta h) x_t - beta x_{t-1}: "
    "M = [[1 + beta - eta*h, -beta], [1, 0]] (plus beta on the diagonal, minus beta in the corner).",
    (_minus_beta, _plus_beta_corner, _beta_times_lr))


def _gd_rate(lr, momentum, h):
    return float(abs(1 - lr * h))


def _gd_rate_times_beta(lr, momentum, h):
    return float(abs(1 - lr * h + momentum))


GD_RATE = Probe(
    "gradient_descent_rate",
    "Your rate does not depend on beta the way the heavy ball's does: |1 - eta h| is gradient "
    "descent's (beta = 0). With momentum the error obeys a two-step recurrence, so the rate is "
    "the largest modulus of the two eigenvalues of M = [[1 + beta - eta*h, -beta], [1, 0]].",
    (_gd_rate, _gd_rate_times_beta))


def _always_sqrt_beta(lr, momentum, h):
    return float(np.sqrt(momentum))


ALWAYS_SQRT_BETA = Probe(
    "always_sqrt_beta",
    "You return sqrt(beta) everywhere; that is the rate only where the two roots are complex, "
    "(1 + beta - eta h)^2 < 4 beta. Where they are real (little momentum, or eta h near 0 or "
    "beyond 2), the rate is the larger modulus of the two real roots "
    "(a +- sqrt(a^2 - 4 beta)) / 2, a = 1 + beta - eta h.",
    (_always_sqrt_beta,))


def _critical_everywhere(lr, momentum, h):
    return float(abs(1 - np.sqrt(abs(lr * h))))


def _critical_everywhere_nan(lr, momentum, h):
    return float(abs(1 - np.sqrt(lr * h)))  # nan where lr * h < 0


def _max_of_both(lr, momentum, h):
    return float(max(np.sqrt(abs(momentum)), abs(1 - lr * h)))


SHORTCUT = Probe(
    "shortcut_formula",
    "You used a shortcut formula where the rate needs the roots: |1 - sqrt(eta h)| holds only at "
    "critical damping, and max(sqrt(beta), |1 - eta h|) is neither root. Compute the spectral "
    "radius of M = [[1 + beta - eta*h, -beta], [1, 0]] itself.",
    (_critical_everywhere, _critical_everywhere_nan, _max_of_both))


def _spectral_norm(lr, momentum, h):
    return float(np.linalg.norm(np.array([[1 + momentum - lr * h, -momentum], [1.0, 0.0]]), 2))


SINGULAR_VALUE = Probe(
    "singular_value",
    "You computed the largest singular value of M (np.linalg.norm(M, 2), or np.linalg.svd), its "
    "spectral *norm*: how much one step can stretch a vector. For a matrix that is not symmetric, "
    "like M, it is larger than the spectral radius, which decides the rate over many steps. "
    "Take the largest modulus of the eigenvalues: `np.max(np.abs(np.linalg.eigvals(M)))`.",
    (_spectral_norm,))


def _real_sqrt(lr, momentum, h):
    a = 1 + momentum - lr * h
    with np.errstate(invalid="ignore"):
        root = np.sqrt(a * a - 4 * momentum)  # nan for a negative discriminant
    return float(max(abs(a + root), abs(a - root)) / 2)


def _real_sqrt_math(lr, momentum, h):
    a = 1 + momentum - lr * h
    root = np.sqrt(complex(a * a - 4 * momentum)).real  # the imaginary part dropped
    return float(max(abs(a + root), abs(a - root)) / 2)


REAL_SQRT = Probe(
    "real_sqrt_of_negative",
    "Where the discriminant a^2 - 4 beta is negative the roots are complex, and np.sqrt of a "
    "negative float is nan (or, with .real, you dropped their imaginary parts). Take the "
    "complex roots' modulus: use cmath.sqrt (or np.sqrt(complex(disc))) and abs() of each root, "
    "or np.abs(np.linalg.eigvals(M)).max(), or the branch `if disc < 0: rate = sqrt(beta)`.",
    (_real_sqrt, _real_sqrt_math))


EXERCISE = Exercise(
    id="ch04_momentum_rate",
    number=4,
    title="The heavy ball's convergence rate along one eigen-direction",
    function_name="momentum_rate",
    arg_names=("lr", "momentum", "h"),
    reference=momentum_rate,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("rate", "float"),),
    probes=(TWO_SQRT_BETA, BETA_NOT_ROOT, NOT_MODULUS, WRONG_MATRIX, GD_RATE, ALWAYS_SQRT_BETA, SHORTCUT,
            SINGULAR_VALUE, REAL_SQRT),
    answer_keys=("sgdlib.problems.momentum_theory._convergence_rate",
                 "sgdlib.problems.momentum_theory._iteration_matrix"),
    # A learner's np.linalg.eigvals meets the double root of critical damping with an error of
    # about sqrt(machine epsilon) ~ 1e-8; the closed form is exact there.
    rtol=1e-6,
    atol=1e-9,
)
