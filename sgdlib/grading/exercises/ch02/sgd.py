"""Exercise 2.1: stochastic gradient descent, one example per step, reshuffled every epoch.

    theta_0 given; in each epoch draw a fresh order pi = rng.permutation(n), then for
    k = 0, ..., n - 1:    theta <- theta - lr * grad f_{pi_k}(theta)

``sgd(grad_example, theta0, n, lr, n_epochs, rng)`` returns the float array of shape
(n_epochs * n + 1, d) whose row t is theta after t steps (row 0 is theta0). ``rng`` is a
``numpy.random.Generator``: every random number comes from it, so its seed decides the run.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ...core import Case, Exercise, Output, Probe, seeded_generator
from ...formatting import fmt

__all__ = ["EXERCISE", "sgd"]


def sgd(grad_example: Callable[[np.ndarray, int], np.ndarray], theta0: np.ndarray, n: int, lr: float,
        n_epochs: int, rng: np.random.Generator) -> np.ndarray:
    """Reference: rows theta_0, theta_1, ..., theta_{n_epochs * n}."""
    theta = np.array(theta0, dtype=float)
    trajectory = [theta.copy()]
    for _ in range(n_epochs):
        for i in rng.permutation(n):
            theta = theta - lr * grad_example(theta, i)
            trajectory.append(theta.copy())
    return np.array(trajectory)


# ---------------------------------------------------------------------------------------------
# Inputs: least squares, f_i(theta) = (x_i . theta - y_i)^2, grad f_i(theta) = 2 (x_i . theta - y_i) x_i


def _least_squares(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)

    def grad_example(theta, i):
        return 2 * (X[i] @ theta - y[i]) * X[i]

    return grad_example


_THREE = _least_squares([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]], [1.0, -1.0, 0.5])

FIXED_CASES = (
    Case((_THREE, np.array([0.5, -0.5]), 3, 0.1, 2, seeded_generator(1)),
         "least squares, n = 3 examples, d = 2, 2 epochs"),
    Case((_THREE, np.array([0.5, -0.5]), 3, 0.1, 0, seeded_generator(2)),
         "n = 3, 0 epochs (the trajectory is just theta0)"),
    Case((_THREE, np.array([0.5, -0.5]), 3, 0.1, 1, seeded_generator(3)), "n = 3, one epoch"),
    # One example: every order is [0], so only the arithmetic and the integer start are tested.
    Case((_least_squares([[2.0]], [1.0]), np.array([3]), 1, 0.1, 3, seeded_generator(4)),
         "one example (n = 1), theta0 an integer array, 3 epochs"),
    # One coordinate, readable numbers: listed before the diverging case of the same size, it is
    # the smallest failing case a mistake that fails both shows (checks show the first in order).
    Case((_least_squares([[1.0], [2.0]], [1.0, 0.5]), np.array([0.0]), 2, 0.1, 2, seeded_generator(7)),
         "n = 2 examples, d = 1, 2 epochs"),
    # Diverges: each step multiplies the error along x_i by 1 - 2 lr |x_i|^2 = -3.5, up to about
    # 3.5^15 ~ 1e8 after 5 epochs: large but finite. A guard that stops early fails it.
    Case((_least_squares([[1.5], [-1.5], [1.5]], [0.0, 0.0, 0.0]), np.array([1.0]), 3, 1.0, 5,
          seeded_generator(5)), "n = 3, lr = 1 too large: diverges (|theta| grows 3.5x a step), 5 epochs"),
    # More features than examples: X is 2 x 4.
    Case((_least_squares([[1.0, 0.5, 0.0, -1.0], [0.0, 1.0, 2.0, 0.5]], [1.0, 2.0]), np.zeros(4), 2, 0.05, 4,
          seeded_generator(6)), "n = 2 examples, d = 4 features, 4 epochs"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for n, d, n_epochs in ((6, 2, 3), (10, 3, 2), (8, 4, 4)):
        X = rng.normal(size=(n, d))
        y = X @ rng.normal(size=d) + 0.1 * rng.normal(size=n)
        lr = 0.2 / float(np.max(np.sum(X**2, axis=1)))  # stable: |1 - 2 lr |x_i|^2| < 1
        seed = int(rng.integers(1000))
        cases.append(Case((_least_squares(X, y), rng.normal(size=d), n, lr, n_epochs, seeded_generator(seed)),
                          f"least squares, random X ({n}x{d}), {n_epochs} epochs"))
    return cases


def _intermediate(case: Case, got: np.ndarray, expected: np.ndarray) -> str | None:
    got = np.asarray(got)
    n = case.args[2]
    for t in range(expected.shape[0]):
        if not EXERCISE.close(got[t], expected[t]):  # the values check's test, row by row
            epoch, k = divmod(t - 1, n)
            what = "theta0" if t == 0 else f"theta after step {k + 1} of epoch {epoch + 1}"
            return (f"row {t} of the trajectory should be {what} = {fmt(expected[t])}, "
                    f"got {fmt(got[t])}")
    return None


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _shuffled_once(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    order = rng.permutation(n)
    for _ in range(n_epochs):
        for i in order:
            theta = theta - lr * grad_example(theta, i)
            trajectory.append(theta)
    return np.array(trajectory)


SHUFFLED_ONCE = Probe(
    "shuffled_once",
    "You shuffle once and then visit the examples in that same order every epoch. Draw a fresh "
    "order at the start of every epoch: put `order = rng.permutation(n)` inside the epoch loop.",
    (_shuffled_once,))


def _global_state(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        for i in np.random.permutation(n):  # np.random.shuffle and np.random.choice draw the same
            theta = theta - lr * grad_example(theta, i)
            trajectory.append(theta)
    return np.array(trajectory)


GLOBAL_STATE = Probe(
    "global_random_state",
    "You draw the order from numpy's global random state (np.random.permutation or "
    "np.random.shuffle), not from the generator you are given. Use `rng.permutation(n)`: then the "
    "caller's seed decides the run, and two runs with the same seed give the same trajectory.",
    (_global_state,))


def _fixed_order(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        for i in range(n):
            theta = theta - lr * grad_example(theta, i)
            trajectory.append(theta)
    return np.array(trajectory)


FIXED_ORDER = Probe(
    "fixed_order",
    "You visit the examples in their stored order 0, 1, ..., n - 1. Visit them in a random order "
    "drawn each epoch, `order = rng.permutation(n)`, and step on example `order[k]` (not on k "
    "itself) at step k.",
    (_fixed_order,))


def _with_replacement(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs * n):  # rng.integers(0, n, size=n) per epoch draws the same indices
        theta = theta - lr * grad_example(theta, rng.integers(n))
        trajectory.append(theta)
    return np.array(trajectory)


WITH_REPLACEMENT = Probe(
    "with_replacement",
    "You draw each example independently (rng.integers or rng.choice with replacement), so an "
    "epoch sees some examples twice and misses others. Asked here is reshuffling: each epoch "
    "visits every example exactly once, in the order `rng.permutation(n)`.",
    (_with_replacement,))


def _choice_order(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        for i in rng.choice(n, size=n, replace=False):
            theta = theta - lr * grad_example(theta, i)
            trajectory.append(theta)
    return np.array(trajectory)


CHOICE_NOT_PERMUTATION = Probe(
    "choice_not_permutation",
    "You draw each epoch's order with rng.choice(n, n, replace=False). That is a random order "
    "too, but not the one rng.permutation(n) draws from the same seed, so your run cannot be "
    "compared with the reference: use `rng.permutation(n)` as asked.",
    (_choice_order,))


def _reshuffled_in_place(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    order = np.arange(n)
    for _ in range(n_epochs):
        rng.shuffle(order)  # shuffles last epoch's order again
        for i in order:
            theta = theta - lr * grad_example(theta, i)
            trajectory.append(theta)
    return np.array(trajectory)


SHUFFLES_LAST_ORDER = Probe(
    "shuffles_last_order",
    "You shuffle the same index array in place every epoch, so from epoch 2 on you reshuffle the "
    "previous epoch's order. That is a random order too, but not the one rng.permutation(n) "
    "draws, so your run cannot be compared with the reference: draw `order = rng.permutation(n)` "
    "at the start of every epoch (or reset `order = np.arange(n)` before `rng.shuffle(order)`).",
    (_reshuffled_in_place,))


def _gradient_at_epoch_start(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        start = theta
        for i in rng.permutation(n):
            theta = theta - lr * grad_example(start, i)
            trajectory.append(theta)
    return np.array(trajectory)


def _gradient_at_theta0(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        for i in rng.permutation(n):
            theta = theta - lr * grad_example(np.asarray(theta0, dtype=float), i)
            trajectory.append(theta)
    return np.array(trajectory)


STALE_GRADIENT = Probe(
    "stale_gradient",
    "Your gradients are taken at an old point (theta0, or where the epoch began), not at the "
    "current theta. Each step evaluates grad_example(theta, i) at the theta the previous step "
    "just produced: that is what makes SGD n small steps per epoch, each one from where the "
    "last one landed.",
    (_gradient_at_epoch_start, _gradient_at_theta0))


def _order_indexed_twice(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        order = rng.permutation(n)
        for i in order:
            theta = theta - lr * grad_example(theta, order[i])
            trajectory.append(theta)
    return np.array(trajectory)


ORDER_INDEXED_TWICE = Probe(
    "order_indexed_twice",
    "You index the order twice: `for i in order:` already gives the example's index, and "
    "`order[i]` then picks another one. Step on `grad_example(theta, i)` there (or loop "
    "`for k in range(n):` and use `order[k]`).",
    (_order_indexed_twice,))


def _new_order_every_step(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        for k in range(n):
            theta = theta - lr * grad_example(theta, rng.permutation(n)[k])
            trajectory.append(theta)
    return np.array(trajectory)


def _first_of_new_order(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs * n):
        theta = theta - lr * grad_example(theta, rng.permutation(n)[0])
        trajectory.append(theta)
    return np.array(trajectory)


NEW_ORDER_EVERY_STEP = Probe(
    "new_order_every_step",
    "You draw a new permutation at every step, so an epoch may visit some examples twice and "
    "miss others. Draw one order per epoch, `order = rng.permutation(n)` before the loop over "
    "its n steps, and step on `order[k]` at step k.",
    (_new_order_every_step, _first_of_new_order))


def _full_gradient(grad_example, theta0, n, lr, n_epochs, rng):
    theta = np.array(theta0, dtype=float)
    trajectory = [theta]
    for _ in range(n_epochs):
        for _ in rng.permutation(n):
            theta = theta - lr * np.mean([grad_example(theta, j) for j in range(n)], axis=0)
            trajectory.append(theta)
    return np.array(trajectory)


FULL_GRADIENT = Probe(
    "full_gradient",
    "Every step of yours uses the full gradient, the mean of all n examples' gradients: that is "
    "gradient descent, n times per epoch. SGD steps on one example's gradient, "
    "grad_example(theta, i), with i the next index of the epoch's order.",
    (_full_gradient,))


def _lr_over_n(grad_example, theta0, n, lr, n_epochs, rng):
    return sgd(grad_example, theta0, n, lr / n, n_epochs, rng)


LR_OVER_N = Probe(
    "lr_over_n",
    "Your steps are n times too small: you divided lr (or the gradient) by n. The 1/n of the "
    "average loss is already accounted for by taking one example per step: each step is "
    "theta - lr * grad_example(theta, i), with no 1/n.",
    (_lr_over_n,))


def _n_epochs_times_n_epochs(grad_example, theta0, n, lr, n_epochs, rng):
    return sgd(grad_example, theta0, n, lr, n_epochs * n, rng)


EPOCHS_TIMES_N = Probe(
    "epochs_times_n",
    "You run n_epochs * n epochs, each of n steps: n times too many. The epoch loop runs "
    "n_epochs times (`for _ in range(n_epochs):`) and each epoch takes n steps, one per "
    "example: n_epochs * n steps in all.",
    (_n_epochs_times_n_epochs,))


def _own_generator(seed):
    def mistake(grad_example, theta0, n, lr, n_epochs, rng):
        return sgd(grad_example, theta0, n, lr, n_epochs, np.random.default_rng(seed))

    return mistake


OWN_SEEDED_GENERATOR = Probe(
    "own_seeded_generator",
    "You make a seeded generator of your own inside the function (np.random.default_rng(0) or "
    "similar) and ignore the `rng` argument, so every caller gets the same run whatever its "
    "seed. Draw the orders from the `rng` you are given.",
    tuple(_own_generator(seed) for seed in (0, 1, 42, 123, 1234, 2024)))


def _per_epoch(grad_example, theta0, n, lr, n_epochs, rng):
    return sgd(grad_example, theta0, n, lr, n_epochs, rng)[::n]


ROWS_PER_EPOCH = Probe(
    "rows_per_epoch",
    "Your trajectory has one row per epoch. Store theta after every step, one step per example: "
    "n_epochs * n + 1 rows, theta0 first.",
    (_per_epoch,))


def _no_start(grad_example, theta0, n, lr, n_epochs, rng):
    return sgd(grad_example, theta0, n, lr, n_epochs, rng)[1:]


MISSING_START = Probe(
    "missing_start",
    "Your trajectory is missing its first row: start it with theta0 itself, then one row per "
    "step (n_epochs * n + 1 rows).",
    (_no_start,))


def _ascent(grad_example, theta0, n, lr, n_epochs, rng):
    return sgd(grad_example, theta0, n, -lr, n_epochs, rng)


WRONG_SIGN = Probe(
    "wrong_sign",
    "You step uphill: a descent step subtracts the gradient, theta - lr * grad_example(theta, i).",
    (_ascent,))


EXERCISE = Exercise(
    id="ch02_sgd",
    number=1,
    title="Stochastic gradient descent, reshuffled every epoch",
    function_name="sgd",
    arg_names=("grad_example", "theta0", "n", "lr", "n_epochs", "rng"),
    reference=sgd,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("trajectory", "array"),),
    value_part=lambda trajectory: np.asarray(trajectory)[-1],
    value_name="the final parameters (last row)",
    intermediate=_intermediate,
    probes=(SHUFFLED_ONCE, GLOBAL_STATE, FIXED_ORDER, WITH_REPLACEMENT, CHOICE_NOT_PERMUTATION,
            SHUFFLES_LAST_ORDER, OWN_SEEDED_GENERATOR, ROWS_PER_EPOCH, MISSING_START, WRONG_SIGN,
            STALE_GRADIENT, ORDER_INDEXED_TWICE, NEW_ORDER_EVERY_STEP, FULL_GRADIENT, LR_OVER_N,
            EPOCHS_TIMES_N),
)
