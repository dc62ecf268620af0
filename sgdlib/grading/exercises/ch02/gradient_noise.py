"""Exercise 2.4: the noise of one-example gradients, coordinate by coordinate.

For per-example gradients G (row i is grad f_i(theta), shape (n, d)) and the full gradient
grad f(theta) = (1/n) sum_i G_i, the variance of a one-example gradient around it, per
coordinate j, is

    v_j = (1/n) sum_i (G_ij - grad_j f(theta))^2        (the population variance: divide by n)

(The full gradient is not called g: the README's g_t is the stochastic estimate SGD steps with.)

``gradient_noise(G)`` returns v, a float array of shape (d,).
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "gradient_noise"]


def gradient_noise(G: np.ndarray) -> np.ndarray:
    """Reference: the mean over examples of (G_i - grad f(theta))^2, grad f(theta) the mean row."""
    G = np.asarray(G, dtype=float)
    full_grad = G.mean(axis=0)
    return ((G - full_grad) ** 2).mean(axis=0)


# ---------------------------------------------------------------------------------------------
# Inputs

FIXED_CASES = (
    Case((np.array([[1.0, 2.0], [3.0, -2.0], [2.0, 3.0]]),), "n = 3 examples, d = 2"),
    Case((np.array([[1, 4], [2, 0], [2, 2], [6, -1]]),), "G an integer array, n = 4, d = 2"),
    Case((np.array([[0.5, -1.0, 2.0]]),), "one example (n = 1): no noise, v = 0"),
    Case((np.array([[1.0, -1.0], [1.0, -1.0], [1.0, -1.0]]),), "identical rows: v = 0"),
    Case((np.array([[1.0, 0.0, 2.0, -1.0, 0.5], [0.0, 1.0, -1.0, 1.0, 0.5]]),),
         "more coordinates than examples: G is 2 x 5"),
    Case((np.array([[0.5], [1.5], [-1.0], [3.0]]),), "one coordinate (d = 1), n = 4"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    # Each coordinate its own scale and mean, so mixing up coordinates shows. The 4 x 4 case
    # makes a variance over the wrong axis the right shape.
    return [Case((rng.normal(size=(n, d)) * rng.uniform(0.5, 3.0, size=d) + rng.normal(size=d),),
                 f"random G ({n}x{d})") for n, d in ((4, 4), (20, 3), (50, 2))]


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _wrong_axis(G):
    G = np.asarray(G, dtype=float)
    return ((G - G.mean(axis=1, keepdims=True)) ** 2).mean(axis=1)


WRONG_AXIS = Probe(
    "wrong_axis",
    "You averaged along axis 1, across the coordinates of each example, which gives one number "
    "per example. Average over the examples, axis=0 (the rows of G): one variance per "
    "coordinate, shape (d,).",
    (_wrong_axis,))


def _ddof1(G):
    return np.var(np.asarray(G, dtype=float), axis=0, ddof=1)


def _several_coordinates(rng: np.random.Generator) -> list[Case]:
    # n >= 2 (n - 1 = 0 is no divisor) and d >= 2: `np.diag(np.cov(G.T))` raises when d = 1, so
    # these cases let the hint reach a learner whose np.cov failed there.
    return [Case((rng.normal(size=(n, d)),), f"random G ({n}x{d})") for n, d in ((3, 2), (5, 3), (4, 4))]


SAMPLE_VARIANCE = Probe(
    "ddof_1",
    "You divided by n - 1 (np.var(..., ddof=1), or np.cov, which divides by n - 1 unless told "
    "`bias=True`): that is the unbiased sample variance. Asked for is the population variance of "
    "the n one-example gradients around their mean: divide by n (np.var's default, ddof=0). "
    "(np.cov also returns a single number, not a matrix, when d = 1, which np.diag rejects: "
    "\"Input must be 1- or 2-d\".)",
    (_ddof1,),
    cases=_several_coordinates)


def _std(G):
    return np.std(np.asarray(G, dtype=float), axis=0)


STANDARD_DEVIATION = Probe(
    "standard_deviation",
    "You returned the standard deviation (np.std, or a square root). The noise asked for is the "
    "variance, its square: np.var(G, axis=0), or the mean of (G - full_grad)**2 without a root.",
    (_std,))


def _not_centred(G):
    G = np.asarray(G, dtype=float)
    return (G**2).mean(axis=0)


NOT_CENTRED = Probe(
    "not_centred",
    "You averaged G_ij^2 without subtracting the full gradient grad f(theta) first: the mean of "
    "squares also holds grad_j f(theta)^2. Centre first: v_j = mean over i of "
    "(G_ij - grad_j f(theta))^2, in code `full_grad = G.mean(axis=0)` and "
    "`((G - full_grad)**2).mean(axis=0)`.",
    (_not_centred,))


def _global_mean(G):
    G = np.asarray(G, dtype=float)
    return ((G - G.mean()) ** 2).mean(axis=0)


def _centred_on_sum(G):
    G = np.asarray(G, dtype=float)
    return ((G - G.sum(axis=0)) ** 2).mean(axis=0)


CENTRED_ON_WRONG_POINT = Probe(
    "centred_on_wrong_point",
    "You centred on the wrong point: subtract the full gradient grad f(theta) = G.mean(axis=0), "
    "the mean of each coordinate over the examples - not G.mean() (one mean of all entries, "
    "mixing the coordinates) nor a sum over the examples.",
    (_global_mean, _centred_on_sum))


def _mean_absolute_deviation(G):
    G = np.asarray(G, dtype=float)
    return np.abs(G - G.mean(axis=0)).mean(axis=0)


ABSOLUTE_DEVIATION = Probe(
    "absolute_deviation",
    "You averaged |G_ij - grad_j f(theta)|, the mean absolute deviation. The variance averages "
    "the squares, (G_ij - grad_j f(theta))^2: `((G - G.mean(axis=0))**2).mean(axis=0)`.",
    (_mean_absolute_deviation,))


def _mean_then_square(G):
    G = np.asarray(G, dtype=float)
    return (G - G.mean(axis=0)).mean(axis=0) ** 2


MEAN_BEFORE_SQUARE = Probe(
    "mean_before_square",
    "You averaged the deviations G_ij - grad_j f(theta) first and squared afterwards: their mean "
    "is 0 for every coordinate (grad_j f(theta) is the mean of the G_ij), so your result is 0 up "
    "to rounding. Square each deviation first, then average: v_j = mean over i of "
    "(G_ij - grad_j f(theta))^2, `((G - G.mean(axis=0))**2).mean(axis=0)`.",
    (_mean_then_square,))


def _trace(G):
    return float(np.sum(gradient_noise(G)))


def _all_entries(G):
    return float(np.var(np.asarray(G, dtype=float)))


TOTAL_NOT_PER_COORDINATE = Probe(
    "total_not_per_coordinate",
    "You returned a single number (the total variance summed over coordinates, or np.var(G) "
    "without an axis, which mixes all entries). Return one variance per coordinate: an array of "
    "shape (d,), np.var(G, axis=0).",
    (_trace, _all_entries))


EXERCISE = Exercise(
    id="ch02_gradient_noise",
    number=4,
    title="Gradient noise: the variance of one-example gradients",
    function_name="gradient_noise",
    arg_names=("G",),
    reference=gradient_noise,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("v", "array"),),
    probes=(WRONG_AXIS, SAMPLE_VARIANCE, STANDARD_DEVIATION, NOT_CENTRED, MEAN_BEFORE_SQUARE,
            CENTRED_ON_WRONG_POINT, ABSOLUTE_DEVIATION,
            TOTAL_NOT_PER_COORDINATE),
)
