"""Exercise 3.2: the mini-batch gradient of the mean squared error, vectorised.

For the batch idx (B = len(idx) example indices), with X_b = X[idx] and y_b = y[idx],

    g = (2 / B) X_b^T (X_b theta - y_b)

the mean over the batch of the one-example gradients 2 (x_i . theta - y_i) x_i, i in idx.
``minibatch_grad(theta, X, y, idx)`` returns g, a float array of shape (d,). An index may occur
more than once in idx (a batch drawn with replacement): it then counts as often as it occurs.
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "minibatch_grad"]


def minibatch_grad(theta: np.ndarray, X: np.ndarray, y: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Reference: (2/B) X_b^T (X_b theta - y_b)."""
    X_b, y_b = np.asarray(X, dtype=float)[idx], np.asarray(y, dtype=float)[idx]
    return 2 / len(idx) * X_b.T @ (X_b @ theta - y_b)


# ---------------------------------------------------------------------------------------------
# Inputs

_X5 = np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.0], [-1.0, 1.0], [0.0, 3.0]])
_Y5 = np.array([1.0, 0.0, 2.0, -1.0, 0.5])

FIXED_CASES = (
    Case((np.array([0.5, -0.5]), _X5, _Y5, np.array([3, 0])), "n = 5, d = 2, a batch of B = 2 examples, idx = [3, 0]"),
    Case((np.array([0.5, -0.5]), _X5, _Y5, np.array([2])), "a batch of one example (B = 1)"),
    Case((np.array([0.5, -0.5]), _X5, _Y5, np.array([4, 1, 0, 3, 2])),
         "the whole data set, shuffled (B = n): the full gradient"),
    Case((np.array([0.5, -0.5]), _X5, _Y5, np.array([1, 1, 4])),
         "a batch drawn with replacement: example 1 twice, idx = [1, 1, 4]"),
    Case((np.array([1, -1]), np.array([[1, 2], [3, 0], [0, 1], [2, 2]]), np.array([1, 2, 0, 3]), np.array([2, 0, 3])),
         "theta, X and y integer arrays, B = 3 of n = 4"),
    Case((np.array([0.1, 0.2, -0.3, 0.4]), np.array([[1.0, 0.0, 2.0, -1.0], [0.5, 1.0, -1.0, 1.0], [2.0, 1.0, 0.0, 0.5]]),
          np.array([0.0, 1.0, 2.0]), np.array([2, 1])), "more features than examples: X is 3 x 4, B = 2"),
    Case((np.zeros(1), np.array([[1.0], [2.0], [3.0], [-1.0], [0.5], [2.5]]), np.array([1.0, 2.0, 3.0, 0.0, 1.0, -2.0]),
          np.array([1, 5])), "one feature (d = 1), theta = 0, B = 2 of n = 6"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for n, d, batch_size in ((12, 3, 5), (30, 4, 7), (50, 2, 16)):
        X = rng.normal(size=(n, d))
        y = X @ rng.normal(size=d) + 0.5 * rng.normal(size=n)
        idx = rng.permutation(n)[:batch_size]
        cases.append(Case((rng.normal(size=d), X, y, idx), f"random X ({n}x{d}), a random batch of B = {batch_size}"))
    return cases


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _sum(theta, X, y, idx):
    return minibatch_grad(theta, X, y, idx) * len(idx)


NOT_DIVIDED_BY_B = Probe(
    "not_divided_by_batch_size",
    "You summed the one-example gradients over the batch without dividing by B: your gradient "
    "grows with the batch size, so the right learning rate would depend on B. The mini-batch "
    "gradient is their mean: multiply by 2 / len(idx).",
    (_sum,))


def _over_n(theta, X, y, idx):
    return minibatch_grad(theta, X, y, idx) * len(idx) / len(y)


DIVIDED_BY_N = Probe(
    "divided_by_n",
    "You divided by n, the size of the whole data set (len(y) or X.shape[0]), where B, the size "
    "of the batch, belongs: the batch has len(idx) examples, so g = (2 / len(idx)) X_b^T (X_b theta - y_b).",
    (_over_n,))


def _full_gradient(theta, X, y, idx):
    return minibatch_grad(theta, X, y, np.arange(len(y)))


def _full_sum_over_b(theta, X, y, idx):
    return minibatch_grad(theta, X, y, np.arange(len(y))) * len(y) / len(idx)


FULL_GRADIENT = Probe(
    "full_gradient",
    "You computed with all n examples, X and y, not the batch: idx is not used (or only its "
    "length, len(idx)). Select the batch's rows "
    "first, `X_b, y_b = X[idx], y[idx]`, and compute the gradient of those only.",
    (_full_gradient, _full_sum_over_b))


def _first_rows(theta, X, y, idx):
    return minibatch_grad(theta, X, y, np.arange(len(idx)))


FIRST_B_ROWS = Probe(
    "first_b_rows",
    "You used the first B rows, X[:B] and y[:B], not the rows the batch names. idx lists the "
    "examples of this batch, in any order: select them with `X[idx]` and `y[idx]`.",
    (_first_rows,))


def _y_misaligned(theta, X, y, idx):
    X_b, y_b = np.asarray(X, dtype=float)[idx], np.asarray(y, dtype=float)[:len(idx)]
    return 2 / len(idx) * X_b.T @ (X_b @ theta - y_b)


def _x_misaligned(theta, X, y, idx):
    X_b, y_b = np.asarray(X, dtype=float)[:len(idx)], np.asarray(y, dtype=float)[idx]
    return 2 / len(idx) * X_b.T @ (X_b @ theta - y_b)


ROWS_MISALIGNED = Probe(
    "rows_misaligned",
    "Your X rows and y entries belong to different examples: you selected one of them with idx "
    "and the other with [:B]. Select both with the same indices, `X[idx]` and `y[idx]`, so that "
    "row k of X_b and entry k of y_b are the same example.",
    (_y_misaligned, _x_misaligned))


def _no_two(theta, X, y, idx):
    return minibatch_grad(theta, X, y, idx) / 2


MISSING_TWO = Probe(
    "missing_two",
    "Your gradient is half the right one: the derivative of (x_i . theta - y_i)^2 is "
    "2 (x_i . theta - y_i) x_i, so the factor is 2 / B, not 1 / B.",
    (_no_two,))


def _wrong_sign(theta, X, y, idx):
    return -minibatch_grad(theta, X, y, idx)


WRONG_SIGN = Probe(
    "wrong_sign",
    "Your gradient has the wrong sign: you used the residual y_b - X_b theta. The gradient of the "
    "squared error is (2 / B) X_b^T (X_b theta - y_b), prediction minus target.",
    (_wrong_sign,))


def _unique(theta, X, y, idx):
    return minibatch_grad(theta, X, y, np.unique(idx))


def _mask(theta, X, y, idx):
    chosen = np.isin(np.arange(len(y)), idx)
    return minibatch_grad(theta, X, y, np.flatnonzero(chosen)) * np.count_nonzero(chosen) / len(idx)


DUPLICATES_DROPPED = Probe(
    "duplicates_dropped",
    "A batch drawn with replacement may hold an example twice, and yours counts it once (a boolean "
    "mask such as np.isin, or np.unique, keeps each example once). Index with the array itself, "
    "`X[idx]`, which repeats a row as often as idx names it, and divide by B = len(idx).",
    (_unique, _mask))


def _batch(X, y, idx):
    return np.asarray(X, dtype=float)[idx], np.asarray(y, dtype=float)[idx]


def _theta_forgotten(theta, X, y, idx):
    X_b, y_b = _batch(X, y, idx)
    return -2 / len(idx) * X_b.T @ y_b


THETA_FORGOTTEN = Probe(
    "theta_forgotten",
    "Your gradient does not depend on theta: it is -(2 / B) X_b^T y_b, the formula with the "
    "prediction X_b theta left out. The residual is prediction minus target, "
    "`X_b @ theta - y_b`, and the gradient (2 / B) X_b^T (X_b theta - y_b).",
    (_theta_forgotten,))


def _squared_residual(theta, X, y, idx):
    X_b, y_b = _batch(X, y, idx)
    return 2 / len(idx) * X_b.T @ (X_b @ theta - y_b) ** 2


def _sign_of_residual(theta, X, y, idx):
    X_b, y_b = _batch(X, y, idx)
    return 2 / len(idx) * X_b.T @ np.sign(X_b @ theta - y_b)


def _absolute_residual(theta, X, y, idx):
    X_b, y_b = _batch(X, y, idx)
    return 2 / len(idx) * X_b.T @ np.abs(X_b @ theta - y_b)


RESIDUAL_TRANSFORMED = Probe(
    "residual_transformed",
    "Each example's weight in your gradient is not its residual r_i = x_i . theta - y_i: you "
    "squared it, took its sign or its absolute value (the derivative of r^2 is 2r, of |r| it is "
    "sign(r)). The gradient of the mean squared error is linear in the residuals: "
    "`2 / len(idx) * X_b.T @ (X_b @ theta - y_b)`.",
    (_squared_residual, _sign_of_residual, _absolute_residual))


def _contiguous(theta, X, y, idx):
    rows = np.arange(idx[0], min(idx[0] + len(idx), len(y)))  # a slice stops at the last row
    return minibatch_grad(theta, X, y, rows)


CONTIGUOUS_ROWS = Probe(
    "contiguous_rows",
    "You took B consecutive rows from idx[0] on, X[idx[0]:idx[0] + B], as if a batch were a "
    "slice of the data. A batch is the examples idx names, in any order and not next to each "
    "other: select them with `X[idx]` and `y[idx]`.",
    (_contiguous,))


def _loss(theta, X, y, idx):
    X_b, y_b = _batch(X, y, idx)
    return float(np.mean((X_b @ theta - y_b) ** 2))


RETURNS_LOSS = Probe(
    "returns_loss",
    "You return the batch's loss, the mean of the squared residuals, not its gradient: the "
    "answer is a vector like theta, `2 / len(idx) * X_b.T @ (X_b @ theta - y_b)`.",
    (_loss,))


def _mean_of_everything(theta, X, y, idx):
    X_b, y_b = _batch(X, y, idx)
    return float(np.mean(2 * (X_b @ theta - y_b)[:, None] * X_b))


def _per_example_mean_over_d(theta, X, y, idx):
    X_b, y_b = _batch(X, y, idx)
    return 2 * np.mean((X_b @ theta - y_b) * X_b.T, axis=0)


MEAN_OVER_WRONG_AXIS = Probe(
    "mean_over_wrong_axis",
    "You averaged over the wrong axis: np.mean without `axis=` averages every entry into one "
    "number, and a mean over the coordinates gives one number per example. The rows of "
    "r_i x_i (shape (B, d)) are averaged over the examples, axis 0: "
    "`np.mean(2 * r[:, None] * X_b, axis=0)`, one entry per coordinate of theta.",
    (_mean_of_everything, _per_example_mean_over_d))


def _factor_on_first_term(theta, X, y, idx):
    X_b, y_b = _batch(X, y, idx)
    return 2 / len(idx) * X_b.T @ X_b @ theta - X_b.T @ y_b


FACTOR_ON_ONE_TERM = Probe(
    "factor_on_one_term",
    "Your 2 / B multiplies only the first term: `2 / B * X_b.T @ X_b @ theta - X_b.T @ y_b` is "
    "(2 / B) X_b^T X_b theta - X_b^T y_b. The factor belongs to the whole difference: "
    "`2 / len(idx) * (X_b.T @ X_b @ theta - X_b.T @ y_b)`, or `2 / len(idx) * X_b.T @ (X_b @ theta - y_b)`.",
    (_factor_on_first_term,))


def _last_example_only(theta, X, y, idx):
    return minibatch_grad(theta, X, y, idx[-1:]) / len(idx)


ACCUMULATOR_OVERWRITTEN = Probe(
    "accumulator_overwritten",
    "Your gradient is the last example's gradient divided by B: in your loop `g = ...` replaces "
    "the sum at every example instead of adding to it. Start from `g = np.zeros(len(theta))` and "
    "add, `g += 2 * (X[i] @ theta - y[i]) * X[i]`, then divide by len(idx).",
    (_last_example_only,))


EXERCISE = Exercise(
    id="ch03_minibatch_grad",
    number=2,
    title="The mini-batch gradient of the mean squared error",
    function_name="minibatch_grad",
    arg_names=("theta", "X", "y", "idx"),
    reference=minibatch_grad,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("g", "array"),),
    probes=(NOT_DIVIDED_BY_B, DIVIDED_BY_N, FULL_GRADIENT, FIRST_B_ROWS, ROWS_MISALIGNED, MISSING_TWO,
            WRONG_SIGN, DUPLICATES_DROPPED, THETA_FORGOTTEN, RESIDUAL_TRANSFORMED, CONTIGUOUS_ROWS,
            RETURNS_LOSS, MEAN_OVER_WRONG_AXIS, ACCUMULATOR_OVERWRITTEN,
            FACTOR_ON_ONE_TERM),
)
