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
    probes=(LOSS_MISSING_MEAN, HALF_CONVENTION, GRAD_MISSING_MEAN, GRAD_MISSING_TWO,
            GRAD_WRONG_SIGN, GRAD_TRANSPOSED),
)
