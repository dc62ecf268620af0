"""Feedback on chapter 2's exercises for realistic mistakes that no probe lists (issue 10).

As tests/test_feedback_ch01.py does for chapter 1: each exercise gets ten or more wrong answers
written as learners write them, none of them a copy of a probe's mistake when written (those that
got no hint, or a misleading one, in a learner's review were made probes afterwards: an exercise's
own probe names them in its terms), and correct answers in other styles (a loop, vectorised,
other numpy routes, integer inputs). Every wrong answer must be rejected with the hint named next
to it (``None``: no pattern is expected to name it), every correct variant must pass, and at
least ``TARGET`` of each exercise's mistakes must get a hint that names the mistake (strict: a
hint saying only which value is wrong, or a failing check's own message, does not count).

Print the table (the numbers quoted in the closing note):

    .venv/bin/python tests/test_feedback_ch02.py
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from sgdlib.grading import grade
from sgdlib.grading.checker import OTHER_RANDOMNESS_HINT
from exercise_helpers import FeedbackChecks, Mistake, feedback_table, format_named, format_table

RANDOMNESS = OTHER_RANDOMNESS_HINT[:60]
ROW_FACTORS = "each of your rows is the expected row times its own number"
STALE = "Your gradients are taken at an old point"
COLUMNS = "`(s - y) * X` scales the columns of X, not its rows"
EXPONENTIAL = "You decay exponentially"


# ---------------------------------------------------------------------------------------------
# sgd(grad_example, theta0, n, lr, n_epochs, rng)


def sgd_in_place_on_theta0(grad_example, theta0, n, lr, n_epochs, rng):
    theta = theta0  # the caller's array
    trajectory = [theta.copy()]
    for _ in range(n_epochs):
        for i in rng.permutation(n):
            theta -= lr * grad_example(theta, i)
            trajectory.append(theta.copy())
    return np.array(trajectory)


def sgd_same_array_appended(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        for i in rng.permutation(n):
            theta -= lr * grad_example(theta, i)  # in place: every stored row is this one array
            trajectory.append(theta)
    return np.array(trajectory)


def sgd_zeros_like(grad_example, theta0, n, lr, n_epochs, rng):
    trajectory = np.zeros((n_epochs * n + 1, len(theta0)), dtype=np.asarray(theta0).dtype)
    trajectory[0] = theta0
    t = 0
    for _ in range(n_epochs):
        for i in rng.permutation(n):
            trajectory[t + 1] = trajectory[t] - lr * grad_example(trajectory[t], i)
            t += 1
    return trajectory


def sgd_divergence_guard(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = np.zeros((n_epochs * n + 1, theta.size))
    trajectory[0] = theta
    t = 0
    for _ in range(n_epochs):
        for i in rng.permutation(n):
            theta = theta - lr * grad_example(theta, i)
            if np.abs(theta).max() > 1e6:
                return trajectory
            t += 1
            trajectory[t] = theta
    return trajectory


def sgd_lr_over_n(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        for i in rng.permutation(n):
            theta = theta - lr / n * grad_example(theta, i)  # "the loss is a mean"
            trajectory.append(theta)
    return np.array(trajectory)


def sgd_full_gradient(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        for _ in rng.permutation(n):
            theta = theta - lr * np.mean([grad_example(theta, j) for j in range(n)], axis=0)
            trajectory.append(theta)
    return np.array(trajectory)


def sgd_appends_before_update(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        for i in rng.permutation(n):
            trajectory.append(theta)
            theta = theta - lr * grad_example(theta, i)
    return np.array(trajectory)


def sgd_float32(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=np.float32)
    trajectory = [theta]
    for _ in range(n_epochs):
        for i in rng.permutation(n):
            theta = (theta - lr * grad_example(theta, i)).astype(np.float32)
            trajectory.append(theta)
    return np.array(trajectory)


def sgd_unseeded_generator(grad_example, theta0, n, lr, n_epochs, rng):
    rng = np.random.default_rng()  # a new, unseeded generator
    return _loop(grad_example, theta0, n, lr, n_epochs, rng)


def sgd_global_randint(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs * n):
        theta = theta - lr * grad_example(theta, np.random.randint(n))
        trajectory.append(theta)
    return np.array(trajectory)


def sgd_permutation_every_step(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        for k in range(n):
            i = rng.permutation(n)[k]  # a new order for every step
            theta = theta - lr * grad_example(theta, i)
            trajectory.append(theta)
    return np.array(trajectory)


def sgd_gradient_at_theta0(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        for i in rng.permutation(n):
            theta = theta - lr * grad_example(np.asarray(theta0, dtype=float), i)
            trajectory.append(theta)
    return np.array(trajectory)


def sgd_gradient_at_epoch_start(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        start = theta.copy()  # "the epoch's gradients"
        for i in rng.permutation(n):
            theta = theta - lr * grad_example(start, i)
            trajectory.append(theta)
    return np.array(trajectory)


def sgd_order_indexed_twice(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        order = rng.permutation(n)
        for i in order:
            theta = theta - lr * grad_example(theta, order[i])
            trajectory.append(theta)
    return np.array(trajectory)


def sgd_returns_final_theta(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    for _ in range(n_epochs):
        for i in rng.permutation(n):
            theta = theta - lr * grad_example(theta, i)
    return theta


def sgd_returns_list(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        for i in rng.permutation(n):
            theta = theta - lr * grad_example(theta, i)
            trajectory.append(theta)
    return trajectory


def sgd_epochs_times_n(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs * n):  # n_epochs * n "epochs", each of n steps
        for i in rng.permutation(n):
            theta = theta - lr * grad_example(theta, i)
            trajectory.append(theta)
    return np.array(trajectory)


def _loop(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        for i in rng.permutation(n):
            theta = theta - lr * grad_example(theta, i)
            trajectory.append(theta)
    return np.array(trajectory)


def sgd_preallocated(grad_example, theta0, n, lr, n_epochs, rng):
    trajectory = np.empty((n_epochs * n + 1, np.size(theta0)))
    trajectory[0] = theta0
    t = 0
    for _ in range(n_epochs):
        order = rng.permutation(n)
        for k in range(n):
            trajectory[t + 1] = trajectory[t] - lr * grad_example(trajectory[t], order[k])
            t += 1
    return trajectory


def sgd_shuffle_in_place(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.asarray(theta0, dtype=float).copy()
    rows = [theta.copy()]
    for _ in range(n_epochs):
        order = np.arange(n)
        rng.shuffle(order)  # shuffling 0, ..., n - 1 draws what rng.permutation(n) draws
        for i in order:
            theta -= lr * grad_example(theta, i)
            rows.append(theta.copy())
    return np.vstack(rows)


def sgd_while_loop(grad_example, theta0, n, lr, n_epochs, rng):
    theta = theta0 + 0.0
    trajectory = [theta]
    epoch = 0
    while epoch < n_epochs:
        for i in rng.permutation(n).tolist():
            theta = theta - lr * grad_example(theta, i)
            trajectory.append(theta)
        epoch += 1
    return np.stack(trajectory)


# ---------------------------------------------------------------------------------------------
# logistic_example_grads(theta, X, y)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lg_float32(theta, X, y):
    X = np.asarray(X, dtype=np.float32)
    s = _sigmoid(X @ theta.astype(np.float32))
    return ((s - y)[:, None] * X).astype(np.float32)


def lg_transposed(theta, X, y):
    return X.T * (_sigmoid(X @ theta) - y)


def lg_loop_one_short(theta, X, y):
    grads = np.zeros(X.shape)
    for i in range(len(y) - 1):
        grads[i] = (_sigmoid(X[i] @ theta) - y[i]) * X[i]
    return grads


def lg_zeros_like(theta, X, y):
    grads = np.zeros_like(X)  # an integer array when X is one
    for i in range(len(y)):
        grads[i] = (_sigmoid(X[i] @ theta) - y[i]) * X[i]
    return grads


def lg_hard_predictions(theta, X, y):
    return (np.round(_sigmoid(X @ theta)) - y)[:, None] * X


def lg_no_broadcast_axis(theta, X, y):
    return (_sigmoid(X @ theta) - y) * X


def lg_rows_transposed_twice(theta, X, y):
    s = _sigmoid(X @ theta)
    if X.shape[0] == X.shape[1]:
        return (s - y) * X  # "square: no transpose needed"
    return ((s - y) * X.T).T


def lg_log_of_s(theta, X, y):
    return (np.log(_sigmoid(X @ theta)) - y)[:, None] * X


def lg_sigmoid_derivative_only(theta, X, y):
    s = _sigmoid(X @ theta)
    return (s * (1 - s))[:, None] * X


def lg_theta_for_x(theta, X, y):
    return (_sigmoid(X @ theta) - y)[:, None] * theta


def lg_squared_error_through_sigmoid(theta, X, y):
    s = _sigmoid(X @ theta)
    return ((s - y) * s * (1 - s))[:, None] * X


def lg_clipped(theta, X, y):
    s = np.clip(_sigmoid(X @ theta), 1e-3, 1 - 1e-3)  # "to avoid log(0)"
    return (s - y)[:, None] * X


def lg_labels_converted_to_pm1(theta, X, y):
    y = 2 * y - 1
    return (_sigmoid(X @ theta) - y)[:, None] * X


def lg_integer_array(theta, X, y):
    grads = np.zeros((len(y), X.shape[1]), dtype=int)
    grads[:] = (_sigmoid(X @ theta) - y)[:, None] * X
    return grads


def lg_vectorised(theta, X, y):
    return (_sigmoid(X @ theta) - y)[:, None] * X


def lg_loop(theta, X, y):
    grads = np.zeros((len(y), len(theta)))
    for i in range(len(y)):
        s = 1 / (1 + np.exp(-np.dot(X[i], theta)))
        grads[i] = (s - y[i]) * X[i]
    return grads


def lg_tanh(theta, X, y):
    s = (1 + np.tanh(X @ theta / 2)) / 2  # sigmoid(z) = (1 + tanh(z/2)) / 2
    return np.einsum("i,ij->ij", s - y, X)


def lg_exp_over_one_plus_exp(theta, X, y):
    z = X.astype(float) @ theta
    s = np.exp(z) / (1 + np.exp(z))
    return X * (s - y).reshape(-1, 1)


# ---------------------------------------------------------------------------------------------
# inverse_time_lr(lr0, decay, n_steps)


def it_list(lr0, decay, n_steps):
    return [lr0 / (1 + decay * t) for t in range(n_steps)]


def it_floor_division(lr0, decay, n_steps):
    return lr0 // (1 + decay * np.arange(n_steps))


def it_integer_array(lr0, decay, n_steps):
    rates = np.zeros(n_steps, dtype=int)
    for t in range(n_steps):
        rates[t] = lr0 / (1 + decay * t)
    return rates


def it_loop_one_short(lr0, decay, n_steps):
    rates = np.zeros(n_steps)
    for t in range(n_steps - 1):
        rates[t] = lr0 / (1 + decay * t)
    return rates


def it_squared(lr0, decay, n_steps):
    return lr0 / (1 + decay * np.arange(n_steps)) ** 2


def it_multiplied(lr0, decay, n_steps):
    return lr0 * (1 + decay * np.arange(n_steps))


def it_linspace(lr0, decay, n_steps):
    return lr0 / (1 + decay * np.linspace(0, n_steps, n_steps))


def it_recursive_division(lr0, decay, n_steps):
    rates, lr = [], lr0
    for _ in range(n_steps):
        rates.append(lr)
        lr = lr / (1 + decay)
    return np.array(rates)


def it_power_of_one_plus_decay(lr0, decay, n_steps):
    return lr0 / (1 + decay) ** np.arange(n_steps)


def it_t_times_t(lr0, decay, n_steps):
    t = np.arange(n_steps)
    return lr0 / (1 + decay * t * t)


def it_linear_decay(lr0, decay, n_steps):
    return lr0 * (1 - decay * np.arange(n_steps))


def it_float32(lr0, decay, n_steps):
    return (np.float32(lr0) / (1 + np.float32(decay) * np.arange(n_steps, dtype=np.float32)))


def it_rounded(lr0, decay, n_steps):
    return np.round(lr0 / (1 + decay * np.arange(n_steps)), 4)


def it_counting_down(lr0, decay, n_steps):
    return lr0 / (1 + decay * np.arange(n_steps)[::-1])


def it_no_lr0(lr0, decay, n_steps):
    return 1 / (1 + decay * np.arange(n_steps))


def it_times_decay(lr0, decay, n_steps):
    return lr0 * decay / (1 + decay * np.arange(n_steps))


def it_arange(lr0, decay, n_steps):
    return lr0 / (1 + decay * np.arange(n_steps))


def it_loop(lr0, decay, n_steps):
    rates = np.empty(n_steps)
    for t in range(n_steps):
        rates[t] = lr0 / (1.0 + decay * t)
    return rates


def it_list_comprehension(lr0, decay, n_steps):
    return np.array([lr0 / (1 + decay * t) for t in range(n_steps)], dtype=float)


def it_reciprocal(lr0, decay, n_steps):
    return lr0 * np.reciprocal(1.0 + decay * np.arange(n_steps, dtype=float))


# ---------------------------------------------------------------------------------------------
# gradient_noise(G)


def gn_variance_of_mean(G):
    return np.var(G, axis=0) / len(G)


def gn_global_mean(G):
    return ((G - G.mean()) ** 2).mean(axis=0)


def gn_mean_absolute_deviation(G):
    return np.abs(G - G.mean(axis=0)).mean(axis=0)


def gn_float32(G):
    G = np.asarray(G, dtype=np.float32)
    return ((G - G.mean(axis=0)) ** 2).mean(axis=0)


def gn_integer_accumulator(G):
    g = G.mean(axis=0)
    total = np.zeros_like(G[0])  # an integer array when G is one
    for row in G:
        total += ((row - g) ** 2).astype(total.dtype)
    return total / len(G)


def gn_keepdims(G):
    return np.var(G, axis=0, keepdims=True)


def gn_centred_on_sum(G):
    return ((G - G.sum(axis=0)) ** 2).mean(axis=0)


def gn_sum_not_mean(G):
    return ((G - G.mean(axis=0)) ** 2).sum(axis=0)


def gn_divided_by_d(G):
    return ((G - G.mean(axis=0)) ** 2).sum(axis=0) / G.shape[1]


def gn_variance_of_norms(G):
    return np.var(np.linalg.norm(G, axis=1))


def gn_mean_deviation_squared(G):
    return (G - G.mean(axis=0)).mean(axis=0) ** 2


def gn_diagonal_of_np_cov(G):
    return np.diag(np.cov(G.T))  # raises on d = 1: np.cov returns a single number there


def gn_list(G):
    g = G.mean(axis=0)
    return [float(np.mean((G[:, j] - g[j]) ** 2)) for j in range(G.shape[1])]


def gn_rounded(G):
    return np.round(np.var(G, axis=0), 3)


def gn_np_var(G):
    return np.var(G, axis=0)


def gn_loop(G):
    n, d = G.shape
    g = np.zeros(d)
    for i in range(n):
        g += G[i] / n
    v = np.zeros(d)
    for i in range(n):
        v += (G[i] - g) ** 2 / n
    return v


def gn_mean_square_minus_square_mean(G):
    return np.mean(G**2, axis=0) - np.mean(G, axis=0) ** 2


def gn_matrix_product(G):
    D = G - G.mean(axis=0)
    return np.diag(D.T @ D) / G.shape[0]


# ---------------------------------------------------------------------------------------------
# The catalogue: id -> mistakes (with the phrase their hint must contain) and correct variants

MISTAKES: dict[str, dict[str, Mistake]] = {
    "ch02_sgd": {
        "theta = theta0; theta -= ... (in place)": Mistake(sgd_in_place_on_theta0, "is an integer array here"),
        "same array appended every step": Mistake(sgd_same_array_appended, "every row is the same"),
        "np.zeros(..., dtype=theta0.dtype)": Mistake(sgd_zeros_like, "wrong when an input holds integers"),
        "return when |theta| > 1e6": Mistake(sgd_divergence_guard, "your loop ends too early"),
        "lr / n": Mistake(sgd_lr_over_n, "n times too small"),
        "full gradient every step": Mistake(sgd_full_gradient, "uses the full gradient"),
        "appends before the update": Mistake(sgd_appends_before_update, "everything moved down by one"),
        "float32 parameters": Mistake(sgd_float32, "float32 precision"),
        "np.random.default_rng() inside": Mistake(sgd_unseeded_generator, RANDOMNESS),
        "np.random.randint(n) per step": Mistake(sgd_global_randint, RANDOMNESS),
        "a new permutation every step": Mistake(sgd_permutation_every_step, "a new permutation at every"),
        "gradient always at theta0": Mistake(sgd_gradient_at_theta0, STALE),
        "gradient at the epoch's start": Mistake(sgd_gradient_at_epoch_start, STALE),
        "order[i] for i in order": Mistake(sgd_order_indexed_twice, "You index the order twice"),
        "returns the final theta only": Mistake(sgd_returns_final_theta, None),
        "returns a list of arrays": Mistake(sgd_returns_list, None),
        "n_epochs * n epochs": Mistake(sgd_epochs_times_n, "n_epochs * n epochs"),
    },
    "ch02_logistic_example_grads": {
        "float32 arithmetic": Mistake(lg_float32, "float32 precision"),
        "X.T * (s - y), shape (d, n)": Mistake(lg_transposed, "transposed"),
        "range(n - 1)": Mistake(lg_loop_one_short, "your loop ends too early"),
        "np.zeros_like(X) of an integer X": Mistake(lg_zeros_like, "wrong when an input holds integers"),
        "rounded predictions": Mistake(lg_hard_predictions, ROW_FACTORS),
        "(s - y) * X without [:, None]": Mistake(lg_no_broadcast_axis, COLUMNS),
        "sigmoid'(z) x only": Mistake(lg_sigmoid_derivative_only, ROW_FACTORS),
        "theta where x_i belongs": Mistake(lg_theta_for_x, None),
        "squared error through the sigmoid": Mistake(lg_squared_error_through_sigmoid, "an extra factor s_i"),
        "s clipped to [1e-3, 1 - 1e-3]": Mistake(lg_clipped, ROW_FACTORS),
        "labels converted to -1, +1": Mistake(lg_labels_converted_to_pm1, ROW_FACTORS),
        "integer result array": Mistake(lg_integer_array, "whole numbers"),
        "(s - y) * X when X is square, transposes otherwise": Mistake(lg_rows_transposed_twice, COLUMNS),
        "log(s) - y": Mistake(lg_log_of_s, ROW_FACTORS),
    },
    "ch02_inverse_time_lr": {
        "returns a list": Mistake(it_list, None),
        "lr0 // (1 + decay t)": Mistake(it_floor_division, "whole numbers"),
        "np.zeros(n_steps, dtype=int)": Mistake(it_integer_array, "whole numbers"),
        "range(n_steps - 1)": Mistake(it_loop_one_short, "your loop ends too early"),
        "(1 + decay t) squared": Mistake(it_squared, "You divided by a square"),
        "lr0 * (1 + decay t)": Mistake(it_multiplied, "You multiplied lr0"),
        "t = np.linspace(0, n_steps, n_steps)": Mistake(it_linspace, "np.linspace(0, n_steps, n_steps)"),
        "eta_{t+1} = eta_t / (1 + decay)": Mistake(it_recursive_division, EXPONENTIAL),
        "lr0 / (1 + decay)**t": Mistake(it_power_of_one_plus_decay, EXPONENTIAL),
        "1 + decay * t * t": Mistake(it_t_times_t, "You divided by a square"),
        "lr0 * (1 - decay t)": Mistake(it_linear_decay, "You multiplied lr0"),
        "float32 rates": Mistake(it_float32, "float32 precision"),
        "rounded to 4 decimals": Mistake(it_rounded, "rounded to 4 decimals"),
        "t counting down": Mistake(it_counting_down, "reverse order"),
        "lr0 forgotten": Mistake(it_no_lr0, "a factor that changes from case to case"),
        "lr0 * decay / (1 + decay t)": Mistake(it_times_decay, "a factor that changes from case to case"),
    },
    "ch02_gradient_noise": {
        "variance of the mean, / n": Mistake(gn_variance_of_mean, "an extra division by G.shape[0]"),
        "centred on the mean of all entries": Mistake(gn_global_mean, "You centred on the wrong point"),
        "mean absolute deviation": Mistake(gn_mean_absolute_deviation, "the mean absolute deviation"),
        "float32 arithmetic": Mistake(gn_float32, "float32 precision"),
        "np.zeros_like(G[0]) accumulator": Mistake(gn_integer_accumulator, "wrong when an input holds integers"),
        "keepdims=True, shape (1, d)": Mistake(gn_keepdims, "the right numbers in the wrong shape"),
        "centred on the sum": Mistake(gn_centred_on_sum, "You centred on the wrong point"),
        "sum instead of mean": Mistake(gn_sum_not_mean, "a division by G.shape[0] is missing"),
        "divided by d": Mistake(gn_divided_by_d, "divided by G.shape[1] where G.shape[0] belongs"),
        "variance of the gradient norms": Mistake(gn_variance_of_norms, None),
        "square of the mean deviation": Mistake(gn_mean_deviation_squared, "You averaged the deviations"),
        "np.diag(np.cov(G.T))": Mistake(gn_diagonal_of_np_cov, "which np.diag rejects"),
        "returns a list": Mistake(gn_list, None),
        "rounded to 3 decimals": Mistake(gn_rounded, "rounded to 3 decimals"),
    },
}

CORRECT: dict[str, dict[str, Callable]] = {
    "ch02_sgd": {
        "list of new arrays": _loop,
        "preallocated, order[k]": sgd_preallocated,
        "rng.shuffle in place, np.vstack": sgd_shuffle_in_place,
        "while loop, np.stack": sgd_while_loop,
    },
    "ch02_logistic_example_grads": {
        "vectorised": lg_vectorised,
        "loop over examples": lg_loop,
        "tanh sigmoid, einsum": lg_tanh,
        "exp(z) / (1 + exp(z))": lg_exp_over_one_plus_exp,
    },
    "ch02_inverse_time_lr": {
        "np.arange": it_arange,
        "loop": it_loop,
        "list comprehension": it_list_comprehension,
        "np.reciprocal": it_reciprocal,
    },
    "ch02_gradient_noise": {
        "np.var(G, axis=0)": gn_np_var,
        "two loops": gn_loop,
        "mean of squares minus square of the mean": gn_mean_square_minus_square_mean,
        "diagonal of D^T D / n": gn_matrix_product,
    },
}


class TestFeedback(FeedbackChecks):
    CHAPTER = 2
    MISTAKES = MISTAKES
    CORRECT = CORRECT


def test_a_stale_gradient_is_shown_on_a_case_with_readable_numbers():
    # The diverging case (|theta| ~ 1e8) fails too, but the smaller one is listed first.
    report = grade("ch02_sgd", sgd_gradient_at_epoch_start)
    assert "n = 2 examples, d = 1" in report.detail and "diverges" not in report.detail, report


if __name__ == "__main__":
    rows, named = feedback_table(MISTAKES, CORRECT)
    print(format_table(rows) + "\n" + format_named(named))
