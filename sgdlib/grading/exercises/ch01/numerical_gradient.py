"""Exercise 1.1: the numerical gradient by central differences.

    g_i = (f(x + h e_i) - f(x - h e_i)) / (2h),    i = 1, ..., d

``numerical_gradient(f, x, h=1e-5)`` returns the float array g, shaped like x.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "numerical_gradient"]


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Reference: central differences, one coordinate at a time."""
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h  # h * e_i
        grad[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad


# ---------------------------------------------------------------------------------------------
# Inputs


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


FIXED_CASES = (
    Case((_sum_squares, np.array([3.0]), 1e-5), "f(x) = sum(x**2), one coordinate"),
    Case((_sum_squares, np.array([1.0, -2.0]), 1e-5), "f(x) = sum(x**2)"),
    Case((_sum_cubes, np.array([0.5, 1.0, -1.5]), 0.1), "f(x) = sum(x**3), h = 0.1"),
    Case((_sin_exp, np.array([0.3, -0.2]), 1e-3), "f(x) = sin(x0) * exp(x1), h = 1e-3"),
    # The gradient 3 x**2 + h**2 = (3.01, 12.01) is not whole: an integer array would cut it off.
    Case((_sum_cubes, np.array([1, -2]), 0.1), "f(x) = sum(x**3), h = 0.1, x an integer array"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for d in (2, 3, 5):
        M = rng.normal(size=(d, d))
        A, b = M @ M.T + np.eye(d), rng.normal(size=d)
        cases.append(Case((_quadratic(A, b), rng.normal(size=d), 1e-4),
                          f"f(x) = x^T A x / 2 + b^T x, random A ({d}x{d}) and b"))
    cases.append(Case((_sum_cubes, rng.uniform(-2, 2, size=4), 0.05), "f(x) = sum(x**3), h = 0.05"))
    return cases


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _forward(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    return np.array([(f(x + h * e) - f(x)) / h for e in np.eye(x.size)])


def _backward(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    return np.array([(f(x) - f(x - h * e)) / h for e in np.eye(x.size)])


ONE_SIDED = Probe(
    "forward_difference",
    "This looks like a forward (or backward) difference (f(x + h e_i) - f(x)) / h. Use the central "
    "difference (f(x + h e_i) - f(x - h e_i)) / (2h): its error is O(h^2) instead of O(h).",
    (_forward, _backward))


def _over_h(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    return np.array([(f(x + h * e) - f(x - h * e)) / h for e in np.eye(x.size)])


DIVIDE_BY_H = Probe(
    "divide_by_h",
    "Your result is twice the gradient: the two points x + h e_i and x - h e_i are 2h apart, so "
    "divide by 2*h, not by h.",
    (_over_h,))


def _precedence(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    return np.array([(f(x + h * e) - f(x - h * e)) / 2 * h for e in np.eye(x.size)])


PRECEDENCE = Probe(
    "operator_precedence",
    "Your result is h^2 / 4 times the gradient: `/ 2*h` divides by 2 and then multiplies by h "
    "(/ and * are applied left to right). Write `/ (2 * h)`.",
    (_precedence,))


def _wrong_sign(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    return np.array([(f(x - h * e) - f(x + h * e)) / (2 * h) for e in np.eye(x.size)])


WRONG_SIGN = Probe(
    "wrong_sign_of_difference",
    "Your gradient has the wrong sign: the difference is f(x + h e_i) - f(x - h e_i), the value "
    "ahead minus the value behind.",
    (_wrong_sign,))


def _fixed_h(f, x, h=1e-5):
    return numerical_gradient(f, x, 1e-5)


def _fixed_h_small(f, x, h=1e-5):
    return numerical_gradient(f, x, 1e-6)


def _h_cases(rng: np.random.Generator) -> list[Case]:
    # A cubic: the central difference is 3 x**2 + h**2 exactly, so the result depends on h.
    x = np.array([1.0, -2.0])
    return [Case((_sum_cubes, x, 0.1), "f(x) = sum(x**3), h = 0.1"),
            Case((_sum_cubes, x, 0.01), "f(x) = sum(x**3), h = 0.01")]


IGNORES_H = Probe(
    "ignores_h",
    "Your result does not change with the argument h: use the h you are given instead of a fixed "
    "step.",
    (_fixed_h, _fixed_h_small), cases=_h_cases)


def _all_at_once(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    return np.full_like(x, (f(x + h) - f(x - h)) / (2 * h))


ALL_AT_ONCE = Probe(
    "all_coordinates_at_once",
    "Every entry of your result is the same number: you moved all coordinates at once (x + h). "
    "Move one coordinate at a time: x + h * e_i, where e_i is the i-th unit vector.",
    (_all_at_once,))


def _not_restored(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.size):
        x[i] += h
        f_plus = f(x)
        x[i] -= 2 * h  # and x[i] is left at x_i - h for every later coordinate
        grad[i] = (f_plus - f(x)) / (2 * h)
    return grad


NOT_RESTORED = Probe(
    "coordinate_not_restored",
    "You move x[i] to x_i + h and then to x_i - h, but never back to x_i: every later coordinate "
    "is then differentiated at a point moved by -h in all the earlier ones. Put x[i] back after "
    "the two evaluations (save it first), or evaluate at x + h * e_i and x - h * e_i, new arrays "
    "that leave x alone.",
    (_not_restored,))


EXERCISE = Exercise(
    id="ch01_numerical_gradient",
    number=1,
    title="Numerical gradient by central differences",
    function_name="numerical_gradient",
    arg_names=("f", "x", "h"),
    reference=numerical_gradient,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("gradient", "array"),),
    rtol=1e-6,
    atol=1e-8,
    probes=(ONE_SIDED, DIVIDE_BY_H, PRECEDENCE, WRONG_SIGN, IGNORES_H, ALL_AT_ONCE, NOT_RESTORED),
)
