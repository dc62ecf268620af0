"""Exercise 1.3: the mean squared error of linear regression and its gradient.

    r = X theta - y,    f(theta) = (1/n) r^T r,    grad f(theta) = (2/n) X^T r

with X of shape (n, d), one example a row. ``mse_loss_and_grad(theta, X, y)`` returns the tuple
(loss, grad): a float and a float array of shape (d,).
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "mse_loss_and_grad"]


def mse_loss_and_grad(theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Reference: the loss and its gradient with respect to theta."""
    n = X.shape[0]
    r = X @ theta - y
    return float(r @ r / n), 2.0 / n * (X.T @ r)


# ---------------------------------------------------------------------------------------------
# Inputs

FIXED_CASES = (
    Case((np.array([1.0, -1.0]), np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 2.0]]),
          np.array([1.0, 2.0, 3.0, 4.0])), "4 examples, 2 features"),
    Case((np.array([0.5]), np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 1.0, 2.0])),
         "3 examples, 1 feature"),
    # More features than examples (n < d): X is wide, and n and d must not be mixed up.
    Case((np.array([0.5, -1.0, 2.0]), np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0]]),
          np.array([1.0, 0.0])), "2 examples, 3 features (n < d)"),
    # Integers everywhere: the loss 14/3 and the gradient (2/3) X^T r are not whole numbers.
    Case((np.array([1, -1]), np.array([[1, 2], [3, 4], [5, 7]]), np.array([1, 0, 1])),
         "3 examples, 2 features, integer arrays"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for n, d in ((5, 1), (8, 3), (20, 4), (3, 6)):
        X = rng.normal(size=(n, d))
        cases.append(Case((rng.normal(size=d), X, rng.normal(size=n)), f"random X ({n}x{d})"))
    return cases


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _no_mean_loss(theta, X, y):
    r = X @ theta - y
    return float(r @ r), 2.0 / len(y) * (X.T @ r)


LOSS_MISSING_MEAN = Probe(
    "loss_missing_mean",
    "Your loss is n times too large: the MSE is the mean, (1/n) * sum of squared residuals.",
    (_no_mean_loss,), part=0)


def _half_convention(theta, X, y):
    r = X @ theta - y
    return float(0.5 * r @ r / len(y)), X.T @ r / len(y)


HALF_CONVENTION = Probe(
    "half_convention",
    "You used f = 1/(2n) r^T r (a common convention, whose gradient is (1/n) X^T r); here "
    "f = (1/n) r^T r, so the loss is twice yours and the gradient is (2/n) X^T r.",
    (_half_convention,))

def _square_of_mean(theta, X, y):
    r = X @ theta - y
    return float(np.mean(r) ** 2), 2.0 / len(y) * (X.T @ r)


LOSS_SQUARE_OF_MEAN = Probe(
    "loss_square_of_mean",
    "Your loss is the square of the mean residual, (mean of r)^2: square each residual first, "
    "then take the mean, (1/n) * sum of r_i^2 (`np.mean(r**2)`, not `np.mean(r)**2`).",
    (_square_of_mean,), part=0)


def _mean_absolute(theta, X, y):
    r = X @ theta - y
    return float(np.mean(np.abs(r))), 2.0 / len(y) * (X.T @ r)


LOSS_MEAN_ABSOLUTE = Probe(
    "loss_mean_absolute",
    "Your loss is the mean absolute residual, (1/n) * sum of |r_i|: the MSE squares each "
    "residual, (1/n) * sum of r_i^2.",
    (_mean_absolute,), part=0)


def _norm_not_squared(theta, X, y):
    r = X @ theta - y
    return float(np.linalg.norm(r) / len(y)), 2.0 / len(y) * (X.T @ r)


LOSS_NORM_NOT_SQUARED = Probe(
    "loss_norm_not_squared",
    "Your loss is ||r|| / n: the norm is the square root of r^T r, and the MSE uses its square, "
    "(1/n) ||r||^2 = r @ r / n.",
    (_norm_not_squared,), part=0)

# The gradient probes below compare the whole (loss, grad) tuple: their mistakes have the right
# loss, so they only fire when the learner's loss is right as well.


def _no_mean_grad(theta, X, y):
    r = X @ theta - y
    return float(r @ r / len(y)), 2.0 * (X.T @ r)


GRAD_MISSING_MEAN = Probe(
    "grad_missing_mean",
    "Your gradient is n times too large: it has the factor 1/n of the mean, "
    "(2/n) X^T (X theta - y).",
    (_no_mean_grad,))


def _no_two(theta, X, y):
    r = X @ theta - y
    return float(r @ r / len(y)), X.T @ r / len(y)


GRAD_MISSING_TWO = Probe(
    "grad_missing_two",
    "Your gradient is half the right one: d/dr r^2 = 2r, so the gradient is "
    "(2/n) X^T (X theta - y).",
    (_no_two,))


def _wrong_sign(theta, X, y):
    r = X @ theta - y
    return float(r @ r / len(y)), 2.0 / len(y) * (X.T @ -r)


GRAD_WRONG_SIGN = Probe(
    "grad_wrong_sign",
    "Your gradient has the wrong sign: with the residual r = X theta - y it is +(2/n) X^T r (it "
    "points uphill; gradient descent subtracts it).",
    (_wrong_sign,))


def _times_X(theta, X, y):
    r = X @ theta - y
    return float(r @ r / len(y)), 2.0 / len(y) * (X @ r)


def _square_cases(rng: np.random.Generator) -> list[Case]:
    # X @ r instead of X.T @ r only runs when X is square; a non-symmetric X tells them apart.
    out = []
    for d in (2, 3):
        X = rng.normal(size=(d, d))
        out.append(Case((rng.normal(size=d), X, rng.normal(size=d)), f"square random X ({d}x{d})"))
    return out


GRAD_TRANSPOSED = Probe(
    "grad_transposed",
    "You multiply by X instead of X^T: the gradient has one entry per feature, "
    "(2/n) X^T (X theta - y), shape (d,).",
    (_times_X,), cases=_square_cases)


def _no_y(theta, X, y):
    r = X @ theta - y
    return float(r @ r / len(y)), 2.0 / len(y) * (X.T @ (X @ theta))


GRAD_MISSING_Y = Probe(
    "grad_missing_y",
    "Your gradient is (2/n) X^T X theta: the y is missing. It is (2/n) X^T r with the residual "
    "r = X theta - y, the same r as in the loss.",
    (_no_y,))


def _last_example_only(theta, X, y):
    r = X @ theta - y
    return float(r @ r / len(y)), 2.0 / len(y) * X[-1] * r[-1]


GRAD_LAST_EXAMPLE_ONLY = Probe(
    "grad_last_example_only",
    "Your gradient holds only the last example's term, (2/n) r_n x_n: each example's term must "
    "be added to it (`grad += ...` in the loop, not `grad = ...`), or use (2/n) X^T r.",
    (_last_example_only,))


EXERCISE = Exercise(
    id="ch01_mse_loss_and_grad",
    number=3,
    title="MSE loss and gradient of linear regression",
    function_name="mse_loss_and_grad",
    arg_names=("theta", "X", "y"),
    reference=mse_loss_and_grad,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("loss", "float"), Output("grad", "array")),
    probes=(LOSS_MISSING_MEAN, LOSS_SQUARE_OF_MEAN, LOSS_MEAN_ABSOLUTE, LOSS_NORM_NOT_SQUARED,
            HALF_CONVENTION, GRAD_MISSING_MEAN, GRAD_MISSING_TWO, GRAD_WRONG_SIGN, GRAD_MISSING_Y,
            GRAD_LAST_EXAMPLE_ONLY, GRAD_TRANSPOSED),
)
