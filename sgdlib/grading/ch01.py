"""Chapter 1's graded exercises: gradients and plain gradient descent.

Each exercise is declared as data (see :class:`sgdlib.grading.core.Exercise`): a reference
implementation, fixed and randomised inputs, and probes for the mistakes learners really make.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .core import Case, Exercise, Output, Probe
from .formatting import fmt

__all__ = ["EXERCISES"]


# ----------------------------------------------------------------------------------------------
# 1.1 Numerical gradient by central differences:  g_i = (f(x + h e_i) - f(x - h e_i)) / (2h)


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Reference: central differences, one coordinate at a time."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        grad[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad


def _ng_forward(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    return np.array([(f(x + h * e) - f(x)) / h for e in np.eye(x.size)])


def _ng_backward(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    return np.array([(f(x) - f(x - h * e)) / h for e in np.eye(x.size)])


def _ng_over_h(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    return np.array([(f(x + h * e) - f(x - h * e)) / h for e in np.eye(x.size)])


def _ng_precedence(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    return np.array([(f(x + h * e) - f(x - h * e)) / 2 * h for e in np.eye(x.size)])


def _ng_wrong_sign(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    return np.array([(f(x - h * e) - f(x + h * e)) / (2 * h) for e in np.eye(x.size)])


def _ng_all_at_once(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    return np.full_like(x, (f(x + h) - f(x - h)) / (2 * h))


def _ng_fixed_h(f, x, h=1e-5):
    return numerical_gradient(f, x, 1e-5)


def _ng_fixed_h_small(f, x, h=1e-5):
    return numerical_gradient(f, x, 1e-6)


def _sum_squares(x):
    return float(np.sum(x**2))


def _sum_cubes(x):
    return float(np.sum(x**3))


def _sin_exp(x):
    return float(np.sin(x[0]) * np.exp(x[1]))


def _quadratic(A, b):
    def f(x):
        return float(0.5 * x @ A @ x + b @ x)

    f.__name__ = "quadratic"
    return f


def _ng_random(rng):
    cases = []
    for d in (2, 3, 5):
        M = rng.normal(size=(d, d))
        A, b = M @ M.T + np.eye(d), rng.normal(size=d)
        cases.append(Case((_quadratic(A, b), rng.normal(size=d), 1e-4),
                          f"f(x) = x^T A x / 2 + b^T x, random A ({d}x{d}) and b"))
    cases.append(Case((_sum_cubes, rng.uniform(-2, 2, size=4), 0.05), "f(x) = sum(x**3), h = 0.05"))
    return cases


def _ng_h_cases(rng):
    # A cubic: the central difference is 3x^2 + h^2 exactly, so the result depends on h.
    x = np.array([1.0, -2.0])
    return [Case((_sum_cubes, x, 0.1), "f(x) = sum(x**3), h = 0.1"),
            Case((_sum_cubes, x, 0.01), "f(x) = sum(x**3), h = 0.01")]


NUMERICAL_GRADIENT = Exercise(
    id="ch01_numerical_gradient",
    title="Numerical gradient by central differences",
    function_name="numerical_gradient",
    arg_names=("f", "x", "h"),
    reference=numerical_gradient,
    fixed_cases=(
        Case((_sum_squares, np.array([3.0]), 1e-5), "f(x) = sum(x**2)"),
        Case((_sum_squares, np.array([1.0, -2.0]), 1e-5), "f(x) = sum(x**2)"),
        Case((_sum_cubes, np.array([0.5, 1.0, -1.5]), 0.1), "f(x) = sum(x**3), h = 0.1"),
        Case((_sin_exp, np.array([0.3, -0.2]), 1e-3), "f(x) = sin(x0) * exp(x1), h = 1e-3"),
    ),
    random_cases=_ng_random,
    returns=(Output("gradient", "array"),),
    rtol=1e-6,
    atol=1e-8,
    probes=(
        Probe("forward_difference",
              "This looks like a forward (or backward) difference (f(x + h e_i) - f(x)) / h. "
              "Use the central difference (f(x + h e_i) - f(x - h e_i)) / (2h): its error is "
              "O(h^2) instead of O(h).",
              (_ng_forward, _ng_backward)),
        Probe("divide_by_h",
              "Your result is twice the gradient: the two points x + h e_i and x - h e_i are 2h "
              "apart, so divide by 2*h, not by h.",
              (_ng_over_h,)),
        Probe("operator_precedence",
              "Your result is h^2 / 4 times the gradient: `/ 2*h` divides by 2 and then "
              "multiplies by h (/ and * are applied left to right). Write `/ (2 * h)`.",
              (_ng_precedence,)),
        Probe("wrong_sign_of_difference",
              "Your gradient has the wrong sign: the difference is f(x + h e_i) - f(x - h e_i), "
              "the value ahead minus the value behind.",
              (_ng_wrong_sign,)),
        Probe("ignores_h",
              "Your result does not change with the argument h: use the h you are given instead "
              "of a fixed step.",
              (_ng_fixed_h, _ng_fixed_h_small), cases=_ng_h_cases),
        Probe("all_coordinates_at_once",
              "Every entry of your result is the same number: you moved all coordinates at once "
              "(x + h). Move one coordinate at a time: x + h * e_i, where e_i is the i-th unit "
              "vector.",
              (_ng_all_at_once,)),
    ),
)


# ----------------------------------------------------------------------------------------------
# 1.2 Gradient descent returning the whole trajectory:  x_{k+1} = x_k - lr * grad(x_k)


def gradient_descent(grad: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, lr: float,
                     n_steps: int) -> np.ndarray:
    """Reference: rows x_0, x_1, ..., x_{n_steps}."""
    x = np.array(x0, dtype=float)
    trajectory = [x.copy()]
    for _ in range(n_steps):
        x = x - lr * grad(x)
        trajectory.append(x.copy())
    return np.array(trajectory)


def _gd_final_only(grad, x0, lr, n_steps):
    return gradient_descent(grad, x0, lr, n_steps)[-1]


def _gd_no_start(grad, x0, lr, n_steps):
    return gradient_descent(grad, x0, lr, n_steps)[1:]


def _gd_one_short(grad, x0, lr, n_steps):
    return gradient_descent(grad, x0, lr, n_steps)[:-1]


def _gd_range_minus_one(grad, x0, lr, n_steps):
    # `for _ in range(n_steps - 1)`: x0 and n_steps - 1 steps (just x0 when n_steps is 0).
    return gradient_descent(grad, x0, lr, n_steps - 1)


def _gd_transposed(grad, x0, lr, n_steps):
    return gradient_descent(grad, x0, lr, n_steps).T


def _gd_one_extra(grad, x0, lr, n_steps):
    return gradient_descent(grad, x0, lr, n_steps + 1)


def _gd_never_moves(grad, x0, lr, n_steps):
    return np.repeat(np.array(x0, dtype=float)[None, :], n_steps + 1, axis=0)


def _gd_same_row(grad, x0, lr, n_steps):
    final = gradient_descent(grad, x0, lr, n_steps)[-1]
    return np.repeat(final[None, :], n_steps + 1, axis=0)


def _gd_ascent(grad, x0, lr, n_steps):
    return gradient_descent(grad, x0, -lr, n_steps)


def _quadratic_grad(A, b):
    def grad(x):
        return A @ x - b

    grad.__name__ = "grad"
    return grad


def _gd_random(rng):
    cases = []
    for d, n in ((2, 5), (3, 10), (4, 20)):
        M = rng.normal(size=(d, d))
        A = M @ M.T + np.eye(d)
        lr = 1.0 / np.linalg.eigvalsh(A).max()
        cases.append(Case((_quadratic_grad(A, rng.normal(size=d)), rng.normal(size=d), lr, n),
                          f"grad(x) = A x - b, random A ({d}x{d}), {n} steps"))
    return cases


def _gd_intermediate(case, got, expected):
    got = np.asarray(got)
    for k in range(expected.shape[0]):
        if not np.allclose(got[k], expected[k], rtol=1e-9, atol=1e-12):
            what = "x0" if k == 0 else f"x{k} = x{k - 1} - lr * grad(x{k - 1})"
            return f"row {k} of the trajectory should be {what} = {fmt(expected[k])}, got {fmt(got[k])}"
    return None


GRADIENT_DESCENT = Exercise(
    id="ch01_gradient_descent",
    title="Gradient descent that returns its whole trajectory",
    function_name="gradient_descent",
    arg_names=("grad", "x0", "lr", "n_steps"),
    reference=gradient_descent,
    fixed_cases=(
        Case((_quadratic_grad(np.diag([1.0, 10.0]), np.zeros(2)), np.array([1.0, 1.0]), 0.05, 3),
             "grad(x) = diag(1, 10) x, 3 steps"),
        Case((_quadratic_grad(np.diag([1.0, 10.0]), np.zeros(2)), np.array([1.0, 1.0]), 0.05, 0),
             "grad(x) = diag(1, 10) x, 0 steps (the trajectory is just x0)"),
    ),
    random_cases=_gd_random,
    returns=(Output("trajectory", "array"),),
    value_part=lambda trajectory: np.asarray(trajectory)[-1],
    value_name="the final point (last row)",
    intermediate=_gd_intermediate,
    probes=(
        Probe("final_point_only",
              "You return only the final point. Return the whole trajectory: an array with one "
              "row per point, x0 first, shape (n_steps + 1, d).",
              (_gd_final_only,)),
        Probe("missing_start",
              "Your trajectory is missing its first row: it must start with x0 itself, then one "
              "row per step (n_steps + 1 rows).",
              (_gd_no_start,)),
        Probe("one_step_short",
              "Your trajectory stops one step early: take exactly n_steps steps and keep x0, "
              "n_steps + 1 rows in all.",
              (_gd_one_short, _gd_range_minus_one)),
        Probe("one_step_too_many",
              "Your trajectory has one step too many: loop `for _ in range(n_steps)`.",
              (_gd_one_extra,)),
        Probe("transposed_trajectory",
              "Your trajectory is transposed, shape (d, n_steps + 1): put one point per row, "
              "shape (n_steps + 1, d). `np.array(list_of_points)` does that; drop the `.T` "
              "(or use `np.stack`, not `np.column_stack`).",
              (_gd_transposed,)),
        Probe("never_moves",
              "Every row equals x0: the update never reaches the point you store. Assign the "
              "result (x = x - lr * grad(x)) rather than updating a copy you then discard.",
              (_gd_never_moves,)),
        Probe("same_array_appended",
              "Every row equals the final point: you append the same array object and then "
              "change it in place. Append a copy (x.copy()) or build a new array each step.",
              (_gd_same_row,)),
        Probe("wrong_sign",
              "You step uphill: gradient descent subtracts the gradient, x - lr * grad(x).",
              (_gd_ascent,)),
    ),
)


# ----------------------------------------------------------------------------------------------
# 1.3 MSE of linear regression:  f(w) = (1/n) ||X w - y||^2,  grad f(w) = (2/n) X^T (X w - y)


def mse_loss_and_grad(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Reference: the loss and its gradient with respect to w."""
    n = X.shape[0]
    r = X @ w - y
    return float(r @ r / n), 2.0 / n * (X.T @ r)


def _mse_no_mean_loss(w, X, y):
    r = X @ w - y
    return float(r @ r), 2.0 / len(y) * (X.T @ r)


def _mse_no_mean_grad(w, X, y):
    r = X @ w - y
    return float(r @ r / len(y)), 2.0 * (X.T @ r)


def _mse_no_two(w, X, y):
    r = X @ w - y
    return float(r @ r / len(y)), X.T @ r / len(y)


def _mse_half_convention(w, X, y):
    r = X @ w - y
    return float(0.5 * r @ r / len(y)), X.T @ r / len(y)


def _mse_wrong_sign(w, X, y):
    r = X @ w - y
    return float(r @ r / len(y)), 2.0 / len(y) * (X.T @ -r)


def _mse_transposed(w, X, y):
    r = X @ w - y
    return float(r @ r / len(y)), 2.0 / len(y) * (X @ r)


def _mse_random(rng):
    cases = []
    for n, d in ((5, 1), (8, 3), (20, 4)):
        X = rng.normal(size=(n, d))
        cases.append(Case((rng.normal(size=d), X, rng.normal(size=n)), f"random X ({n}x{d})"))
    return cases


def _mse_square_cases(rng):
    # X @ r instead of X.T @ r only runs when X is square; a non-symmetric X tells them apart.
    out = []
    for d in (2, 3):
        X = rng.normal(size=(d, d))
        out.append(Case((rng.normal(size=d), X, rng.normal(size=d)), f"square random X ({d}x{d})"))
    return out


MSE_LOSS_AND_GRAD = Exercise(
    id="ch01_mse_loss_and_grad",
    title="MSE loss and gradient of linear regression",
    function_name="mse_loss_and_grad",
    arg_names=("w", "X", "y"),
    reference=mse_loss_and_grad,
    fixed_cases=(
        Case((np.array([1.0, -1.0]), np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 2.0]]),
              np.array([1.0, 2.0, 3.0, 4.0])), "4 points, 2 features"),
        Case((np.array([0.5]), np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 1.0, 2.0])),
             "3 points, 1 feature"),
    ),
    random_cases=_mse_random,
    returns=(Output("loss", "float"), Output("grad", "array")),
    probes=(
        Probe("loss_missing_mean",
              "Your loss is n times too large: the MSE is the mean, (1/n) * sum of squared "
              "residuals.", (_mse_no_mean_loss,), part=0),
        Probe("half_convention",
              "You used f = 1/(2n) r^T r (a common convention, whose gradient is (1/n) X^T r); "
              "here f = (1/n) r^T r, so the loss is twice yours and the gradient is "
              "(2/n) X^T r.", (_mse_half_convention,)),
        # The gradient probes compare the whole (loss, grad) tuple: their mistakes have the
        # right loss, so they only fire when the learner's loss is right as well.
        Probe("grad_missing_mean",
              "Your gradient is n times too large: it has the factor 1/n of the mean, "
              "(2/n) X^T (X w - y).", (_mse_no_mean_grad,)),
        Probe("grad_missing_two",
              "Your gradient is half the right one: d/dr r^2 = 2r, so the gradient is "
              "(2/n) X^T (X w - y).", (_mse_no_two,)),
        Probe("grad_wrong_sign",
              "Your gradient has the wrong sign: with residual r = X w - y it is +(2/n) X^T r "
              "(it points uphill; gradient descent subtracts it).", (_mse_wrong_sign,)),
        Probe("grad_transposed",
              "You multiply by X instead of X^T: the gradient has one entry per feature, "
              "(2/n) X^T (X w - y), shape (d,).", (_mse_transposed,), cases=_mse_square_cases),
    ),
)


# ----------------------------------------------------------------------------------------------
# 1.4 Largest stable learning rate of f(x) = x^T A x / 2:  lr_max = 2 / lambda_max(H),
#     H = (A + A^T) / 2 is the Hessian (A itself need not be symmetric).


def largest_stable_lr(A: np.ndarray) -> float:
    """Reference: 2 over the largest eigenvalue of the symmetric Hessian."""
    H = (A + A.T) / 2
    return 2.0 / float(np.linalg.eigvalsh(H)[-1])


def _lr_max_diagonal(A):
    return 2.0 / float(np.max(np.diag(A)))


def _lr_one_over_l(A):
    return 1.0 / float(np.linalg.eigvalsh((A + A.T) / 2)[-1])


def _lr_no_half(A):
    return 2.0 / float(np.linalg.eigvalsh(A + A.T)[-1])


def _lr_smallest(A):
    return 2.0 / float(np.linalg.eigvalsh((A + A.T) / 2)[0])


def _lr_eigvals_nonsym(A):
    return 2.0 / np.max(np.linalg.eigvals(A))


def _lr_eigvals_nonsym_real(A):
    return 2.0 / float(np.max(np.linalg.eigvals(A).real))


def _lr_eigvalsh_nonsym(A):
    return 2.0 / float(np.linalg.eigvalsh(A)[-1])


def _random_spd(rng, d, low=0.5, high=10.0):
    Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    return Q @ np.diag(rng.uniform(low, high, size=d)) @ Q.T


def _lr_random(rng):
    cases = []
    for d in (2, 3, 4, 5):
        H = _random_spd(rng, d)
        S = rng.normal(size=(d, d))
        cases.append(Case((H + (S - S.T),), f"random A ({d}x{d}), not symmetric"))
    H = _random_spd(rng, 3)
    cases.append(Case(((H + H.T) / 2,), "random symmetric A (3x3)"))
    return cases


LARGEST_STABLE_LR = Exercise(
    id="ch01_largest_stable_lr",
    title="Largest stable learning rate of a quadratic",
    function_name="largest_stable_lr",
    arg_names=("A",),
    reference=largest_stable_lr,
    fixed_cases=(
        Case((np.diag([1.0, 10.0]),), "A = diag(1, 10)"),
        Case((np.array([[2.0, 1.0], [1.0, 2.0]]),), "A = [[2, 1], [1, 2]]"),
        Case((np.array([[3.0, 2.0], [0.0, 3.0]]),), "A = [[3, 2], [0, 3]] (not symmetric)"),
    ),
    random_cases=_lr_random,
    returns=(Output("lr_max", "float"),),
    probes=(
        Probe("max_diagonal",
              "You used the largest diagonal entry of A. The curvature that matters is the "
              "largest eigenvalue of the Hessian, which is larger unless A is diagonal.",
              (_lr_max_diagonal,)),
        Probe("half_the_limit",
              "Your learning rate is half the limit 2/L. Did you forget the 1/2 in "
              "`H = (A + A.T) / 2`? The eigenvalues of `A + A.T` are twice those of H. Or did "
              "you use 1/L, the classic safe step? Gradient descent on a quadratic converges "
              "for every eta < 2/L.", (_lr_no_half, _lr_one_over_l)),
        Probe("smallest_eigenvalue",
              "You used the smallest eigenvalue: the step must be stable along the steepest "
              "direction, so use the largest eigenvalue.", (_lr_smallest,)),
        Probe("eigvals_of_nonsymmetric",
              "You took eigenvalues of A itself, which is not symmetric: its eigenvalues can be "
              "complex and are not the curvatures. Use the Hessian H = (A + A.T) / 2 and "
              "np.linalg.eigvalsh(H).", (_lr_eigvals_nonsym, _lr_eigvals_nonsym_real)),
        Probe("eigvalsh_of_nonsymmetric",
              "np.linalg.eigvalsh(A) only reads the lower triangle of A, so it silently assumes "
              "A is symmetric. Symmetrise first: H = (A + A.T) / 2.", (_lr_eigvalsh_nonsym,)),
    ),
)


EXERCISES = (NUMERICAL_GRADIENT, GRADIENT_DESCENT, MSE_LOSS_AND_GRAD, LARGEST_STABLE_LR)
