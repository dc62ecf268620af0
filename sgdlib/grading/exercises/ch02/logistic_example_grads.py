"""Exercise 2.2: the per-example gradients of the logistic loss.

With s_i = sigmoid(x_i . theta) = 1 / (1 + exp(-x_i . theta)) and labels y_i in {0, 1}, example
i's loss and its gradient are

    f_i(theta) = -[y_i log s_i + (1 - y_i) log(1 - s_i)],    grad f_i(theta) = (s_i - y_i) x_i

``logistic_example_grads(theta, X, y)`` returns the float array of shape (n, d) whose row i is
grad f_i(theta).
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "logistic_example_grads"]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def logistic_example_grads(theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Reference: row i is (s_i - y_i) x_i."""
    X = np.asarray(X, dtype=float)
    s = _sigmoid(X @ theta)
    return (s - y)[:, None] * X


# ---------------------------------------------------------------------------------------------
# Inputs

FIXED_CASES = (
    Case((np.zeros(2), np.array([[1.0, 2.0], [-1.0, 0.5]]), np.array([0.0, 1.0])),
         "theta = 0 (every s_i = 1/2), n = 2, d = 2"),
    Case((np.array([0.5, -1.0]), np.array([[1, 2], [3, -1], [0, 1], [-2, -2]]), np.array([1, 0, 0, 1])),
         "X and y integer arrays, n = 4, d = 2"),
    Case((np.array([0.2, -0.1, 0.3]), np.array([[1.0, -2.0, 0.5]]), np.array([1.0])),
         "one example (n = 1), d = 3"),
    Case((np.array([0.1, 0.2, -0.3, 0.4]), np.array([[1.0, 0.0, 2.0, -1.0], [0.5, 1.0, -1.0, 1.0]]),
          np.array([0.0, 1.0])), "more features than examples: X is 2 x 4"),
    # Confident predictions: x . theta = +-20. Right labels give gradients near 0, wrong ones
    # near x_i itself (s_i - y_i = +-1).
    Case((np.array([10.0]), np.array([[2.0], [-2.0], [2.0], [-2.0]]), np.array([1.0, 0.0, 0.0, 1.0])),
         "confident predictions x . theta = +-20, two right labels and two wrong"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for n, d in ((5, 2), (8, 3), (12, 4)):
        X = rng.normal(size=(n, d))
        y = rng.integers(0, 2, size=n).astype(float)
        y[:2] = (0.0, 1.0)  # both classes, always
        cases.append(Case((rng.normal(size=d), X, y), f"random X ({n}x{d}), random labels"))
    return cases


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _flipped(theta, X, y):
    return -logistic_example_grads(theta, X, y)


WRONG_SIGN = Probe(
    "wrong_sign",
    "Your gradients have the wrong sign: (y_i - s_i) x_i is the gradient of the log-likelihood, "
    "which you maximise. The loss f_i is its negative, so its gradient is (s_i - y_i) x_i.",
    (_flipped,))


def _no_sigmoid(theta, X, y):
    X = np.asarray(X, dtype=float)
    return (X @ theta - y)[:, None] * X


NO_SIGMOID = Probe(
    "no_sigmoid",
    "You used the score z_i = x_i . theta itself where the predicted probability "
    "s_i = sigmoid(z_i) = 1 / (1 + exp(-z_i)) belongs: (z_i - y_i) x_i is linear regression's "
    "gradient (up to a 2). Put z_i through the sigmoid first.",
    (_no_sigmoid,))


def _sigmoid_of_minus_z(theta, X, y):
    X = np.asarray(X, dtype=float)
    return (_sigmoid(-(X @ theta)) - y)[:, None] * X


SIGMOID_SIGN = Probe(
    "sigmoid_sign",
    "Your sigmoid is 1 / (1 + exp(z)), which is 1 - s_i: the minus sign in exp(-z) is missing. "
    "sigmoid(z) = 1 / (1 + np.exp(-z)) tends to 1 for large z.",
    (_sigmoid_of_minus_z,))


def _plus_minus_one_labels(theta, X, y):
    X = np.asarray(X, dtype=float)
    return (-y * _sigmoid(-y * (X @ theta)))[:, None] * X


PLUS_MINUS_ONE_LABELS = Probe(
    "labels_plus_minus_one",
    "You used the formula for labels in {-1, +1}, -y_i sigmoid(-y_i z_i) x_i: with y_i = 0 it "
    "gives 0, so every example labelled 0 gets a zero gradient. Here y_i is 0 or 1: use "
    "(s_i - y_i) x_i (or convert the labels, 2 y_i - 1, first).",
    (_plus_minus_one_labels,))


def _averaged(theta, X, y):
    return logistic_example_grads(theta, X, y).mean(axis=0)


def _summed(theta, X, y):
    return logistic_example_grads(theta, X, y).sum(axis=0)


AVERAGED = Probe(
    "averaged",
    "You returned the full gradient, one vector of shape (d,), the mean (or sum) over the "
    "examples. Asked for is one gradient per example, a row each: shape (n, d), row i = "
    "(s_i - y_i) x_i. Leave out the mean over i (and any X.T @ ...).",
    (_averaged, _summed))


def _divided_by_n(theta, X, y):
    return logistic_example_grads(theta, X, y) / len(y)


DIVIDED_BY_N = Probe(
    "divided_by_n",
    "Each of your rows is divided by n. The 1/n belongs to the average loss over all examples; "
    "one example's loss f_i has no 1/n, so its gradient is (s_i - y_i) x_i.",
    (_divided_by_n,))


def _sigmoid_derivative_too(theta, X, y):
    X = np.asarray(X, dtype=float)
    s = _sigmoid(X @ theta)
    return ((s - y) * s * (1 - s))[:, None] * X


SIGMOID_DERIVATIVE_TOO = Probe(
    "sigmoid_derivative_too",
    "Your rows carry an extra factor s_i (1 - s_i), the sigmoid's derivative: (s_i - y_i) "
    "s_i (1 - s_i) x_i is the gradient of the squared error (s_i - y_i)^2 / 2 through the "
    "sigmoid. The log loss's derivative with respect to s_i, (s_i - y_i) / (s_i (1 - s_i)), "
    "cancels that factor: grad f_i(theta) = (s_i - y_i) x_i, nothing more.",
    (_sigmoid_derivative_too,))


def _columns_scaled(theta, X, y):
    X = np.asarray(X, dtype=float)
    return (_sigmoid(X @ theta) - y) * X


def _square_X(rng: np.random.Generator) -> list[Case]:
    # (s - y) * X runs only when n = d: on other shapes it raises a broadcast error, and these
    # cases let the hint reach that learner.
    cases = []
    for n in (2, 3, 4):
        y = rng.integers(0, 2, size=n).astype(float)
        y[:2] = (0.0, 1.0)
        cases.append(Case((rng.normal(size=n), rng.normal(size=(n, n)), y), f"random square X ({n}x{n})"))
    return cases


COLUMNS_SCALED = Probe(
    "columns_scaled",
    "`(s - y) * X` scales the columns of X, not its rows: NumPy lines the vector s - y up with "
    "X's last axis, so column j is multiplied by s_j - y_j (and when X is not square the shapes "
    "do not fit: \"operands could not be broadcast together\"). Give the vector an axis so that "
    "row i is scaled by s_i - y_i: `(s - y)[:, None] * X`.",
    (_columns_scaled,),
    cases=_square_X)


def _no_x(theta, X, y):
    X = np.asarray(X, dtype=float)
    return _sigmoid(X @ theta) - y


MISSING_X = Probe(
    "missing_x",
    "You returned s_i - y_i, the derivative with respect to the score z_i = x_i . theta. The "
    "chain rule multiplies it by dz_i/dtheta = x_i: row i is (s_i - y_i) x_i, shape (n, d) "
    "(`(s - y)[:, None] * X`).",
    (_no_x,))


EXERCISE = Exercise(
    id="ch02_logistic_example_grads",
    number=2,
    title="Per-example gradients of the logistic loss",
    function_name="logistic_example_grads",
    arg_names=("theta", "X", "y"),
    reference=logistic_example_grads,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("grads", "array"),),
    probes=(WRONG_SIGN, NO_SIGMOID, SIGMOID_SIGN, PLUS_MINUS_ONE_LABELS, AVERAGED, DIVIDED_BY_N,
            SIGMOID_DERIVATIVE_TOO, COLUMNS_SCALED, MISSING_X),
)
