"""Exercise 1.2: gradient descent that returns its whole trajectory.

    x_0 given,    x_{t+1} = x_t - lr * grad(x_t),    t = 0, ..., n_steps - 1

``gradient_descent(grad, x0, lr, n_steps)`` returns the float array of shape (n_steps + 1, d)
whose row t is x_t.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ...core import Case, Exercise, Output, Probe
from ...formatting import fmt

__all__ = ["EXERCISE", "gradient_descent"]


def gradient_descent(grad: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, lr: float,
                     n_steps: int) -> np.ndarray:
    """Reference: rows x_0, x_1, ..., x_{n_steps}."""
    x = np.array(x0, dtype=float)
    trajectory = [x.copy()]
    for _ in range(n_steps):
        x = x - lr * grad(x)
        trajectory.append(x.copy())
    return np.array(trajectory)


# ---------------------------------------------------------------------------------------------
# Inputs: grad(x) = A x - b, the gradient of f(x) = x^T A x / 2 - b^T x (A symmetric).


def _quadratic_grad(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)

    def grad(x):
        return A @ x - b

    grad.__name__ = "grad"
    return grad


_BOWL = _quadratic_grad(np.diag([1.0, 10.0]), np.zeros(2))
SLOW_LR = 2500.0  # 0.5 / L for the flat bowl below, L = 2e-4

FIXED_CASES = (
    Case((_BOWL, np.array([1.0, 1.0]), 0.05, 3), "grad(x) = diag(1, 10) x, 3 steps"),
    Case((_BOWL, np.array([1.0, 1.0]), 0.05, 0),
         "grad(x) = diag(1, 10) x, 0 steps (the trajectory is just x0)"),
    # Reaches the minimum b exactly at step 1 (lr = 1/L): a stop on a small gradient, or on a step
    # that changes nothing, leaves rows 2.. empty. b != 0, so rows left at zero are wrong.
    Case((_quadratic_grad(np.eye(2), [1.0, -2.0]), np.array([3.0, 0.5]), 1.0, 4),
         "f(x) = ||x - b||^2 / 2 with b = (1, -2), lr = 1: at the minimum after one step, 4 steps"),
    Case((_quadratic_grad([[4.0]], [6.0]), np.array([-2.0]), 0.25, 3),
         "f(x) = 2 (x - 1.5)^2, L = 4, lr = 1/L = 0.25: at the minimum after one step, 3 steps"),
    # Converges gradually, with steps left: x - b shrinks by 1 - lr h_1 = 0.75 per step. The
    # curvature is small (1e-4), so the gradient is small while x is still far from b: a stop on
    # norm(grad) < tol (any tol from 1e-12 up) or on np.allclose(new, x) leaves rows visibly short
    # of the expected ones, whether they are left empty or filled with the last point. (100
    # steps: a print() in the loop stays well under the checker's output limit.)
    Case((_quadratic_grad(1e-4 * np.diag([1.0, 2.0]), 1e-4 * np.diag([1.0, 2.0]) @ [1.0, -2.0]),
          np.array([4.0, 1.0]), SLOW_LR, 100),
         "a flat bowl f(x) = 1e-4 (x - b)^T diag(1, 2) (x - b) / 2 with b = (1, -2), L = 2e-4, "
         "lr = 0.5/L = 2500: tiny gradients, slow convergence, 100 steps"),
    # Diverges: lr = 1 > 2/L = 0.5 multiplies x by 1 - lr L = -3 each step, up to 3^40 |x0| ~ 1e19,
    # large but finite (no inf in the expected trajectory). A guard that stops at |x| > 1e6 fails it.
    Case((_quadratic_grad(4 * np.eye(2), np.zeros(2)), np.array([1.0, -0.5]), 1.0, 40),
         "f(x) = 2 ||x||^2, L = 4, lr = 1 > 2/L: diverges (x triples each step), 40 steps"),
    # Diverges until it overflows: x grows 3999-fold per step, is inf at step 86 and nan after
    # (inf - inf). The expected trajectory holds them too, so a run that stops at the first
    # non-finite value, or clips x to stay finite, fails it.
    Case((_quadratic_grad(4 * np.eye(2), np.zeros(2)), np.array([1.0, -0.5]), 1000.0, 90),
         "f(x) = 2 ||x||^2, L = 4, lr = 1000: overflows to inf (step 86), then nan, 90 steps"),
    # An integer start point: storing the points in an integer array truncates them.
    Case((_BOWL, np.array([4, -2]), 0.05, 3), "grad(x) = diag(1, 10) x, x0 an integer array, 3 steps"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for d, n in ((2, 5), (3, 10), (4, 20)):
        M = rng.normal(size=(d, d))
        A = M @ M.T + np.eye(d)
        lr = 1.0 / np.linalg.eigvalsh(A).max()
        cases.append(Case((_quadratic_grad(A, rng.normal(size=d)), rng.normal(size=d), lr, n),
                          f"grad(x) = A x - b, random A ({d}x{d}), {n} steps"))
    return cases


def _intermediate(case: Case, got: np.ndarray, expected: np.ndarray) -> str | None:
    got = np.asarray(got)
    for k in range(expected.shape[0]):
        if not EXERCISE.close(got[k], expected[k]):  # the values check's test, row by row
            what = "x0" if k == 0 else f"x{k} = x{k - 1} - lr * grad(x{k - 1})"
            return f"row {k} of the trajectory should be {what} = {fmt(expected[k])}, got {fmt(got[k])}"
    return None


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _final_only(grad, x0, lr, n_steps):
    return gradient_descent(grad, x0, lr, n_steps)[-1]


FINAL_POINT_ONLY = Probe(
    "final_point_only",
    "You return only the final point. Return the whole trajectory: an array with one row per "
    "point, x0 first, shape (n_steps + 1, d).",
    (_final_only,))


def _no_start(grad, x0, lr, n_steps):
    return gradient_descent(grad, x0, lr, n_steps)[1:]


MISSING_START = Probe(
    "missing_start",
    "Your trajectory is missing its first row: it must start with x0 itself, then one row per "
    "step (n_steps + 1 rows).",
    (_no_start,))


def _one_short(grad, x0, lr, n_steps):
    return gradient_descent(grad, x0, lr, n_steps)[:-1]


def _range_minus_one(grad, x0, lr, n_steps):
    # `for _ in range(n_steps - 1)`: x0 and n_steps - 1 steps (just x0 when n_steps is 0).
    return gradient_descent(grad, x0, lr, n_steps - 1)


ONE_STEP_SHORT = Probe(
    "one_step_short",
    "Your trajectory stops one step early: take exactly n_steps steps and keep x0, n_steps + 1 "
    "rows in all.",
    (_one_short, _range_minus_one))


def _one_extra(grad, x0, lr, n_steps):
    return gradient_descent(grad, x0, lr, n_steps + 1)


ONE_STEP_TOO_MANY = Probe(
    "one_step_too_many",
    "Your trajectory has one step too many: loop `for _ in range(n_steps)`.",
    (_one_extra,))


def _transposed(grad, x0, lr, n_steps):
    return gradient_descent(grad, x0, lr, n_steps).T


TRANSPOSED = Probe(
    "transposed_trajectory",
    "Your trajectory is transposed, shape (d, n_steps + 1): put one point per row, shape "
    "(n_steps + 1, d). `np.array(list_of_points)` does that; drop the `.T` (or use `np.stack`, "
    "not `np.column_stack`).",
    (_transposed,))


def _never_moves(grad, x0, lr, n_steps):
    return np.repeat(np.array(x0, dtype=float)[None, :], n_steps + 1, axis=0)


NEVER_MOVES = Probe(
    "never_moves",
    "Every row equals x0: the update never reaches the point you store. Assign the result "
    "(x = x - lr * grad(x)) rather than updating a copy you then discard.",
    (_never_moves,))


def _same_row(grad, x0, lr, n_steps):
    final = gradient_descent(grad, x0, lr, n_steps)[-1]
    return np.repeat(final[None, :], n_steps + 1, axis=0)


SAME_ARRAY_APPENDED = Probe(
    "same_array_appended",
    "Every row equals the final point: you append the same array object and then change it in "
    "place. Append a copy (x.copy()) or build a new array each step.",
    (_same_row,))


def _ascent(grad, x0, lr, n_steps):
    return gradient_descent(grad, x0, -lr, n_steps)


WRONG_SIGN = Probe(
    "wrong_sign",
    "You step uphill: gradient descent subtracts the gradient, x - lr * grad(x).",
    (_ascent,))


EXERCISE = Exercise(
    id="ch01_gradient_descent",
    number=2,
    title="Gradient descent that returns its whole trajectory",
    function_name="gradient_descent",
    arg_names=("grad", "x0", "lr", "n_steps"),
    reference=gradient_descent,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("trajectory", "array"),),
    value_part=lambda trajectory: np.asarray(trajectory)[-1],
    value_name="the final point (last row)",
    intermediate=_intermediate,
    probes=(FINAL_POINT_ONLY, MISSING_START, ONE_STEP_SHORT, ONE_STEP_TOO_MANY, TRANSPOSED,
            NEVER_MOVES, SAME_ARRAY_APPENDED, WRONG_SIGN),
)
