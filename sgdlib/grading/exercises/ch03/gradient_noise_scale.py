"""Exercise 3.4: the gradient noise scale (McCandlish et al. 2018).

For per-example gradients G (row i is grad f_i(theta), shape (n, d)) with mean g = (1/n) sum_i G_i,

    tr(Sigma) = sum_j (1/n) sum_i (G_ij - g_j)^2        (per-coordinate population variances, summed)
    B_noise   = tr(Sigma) / |g|^2

the batch size at which a mini-batch gradient's noise, tr(Sigma) / B, equals the squared gradient.
``gradient_noise_scale(G)`` returns B_noise as a float. When g = 0 exactly (the examples'
gradients cancel out) no batch is large enough for the gradient to stand out of the noise:
B_noise = inf, returned as ``np.inf`` (dividing by |g|^2 = 0 is not asked of you: Python's
float division raises ZeroDivisionError, NumPy's gives inf with a warning).
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "gradient_noise_scale"]


def gradient_noise_scale(G: np.ndarray) -> float:
    """Reference: tr(Sigma) / |g|^2, inf when g = 0."""
    G = np.asarray(G, dtype=float)
    g = G.mean(axis=0)
    tr_sigma = ((G - g) ** 2).mean(axis=0).sum()
    if g @ g == 0:
        return np.inf
    return float(tr_sigma / (g @ g))


# ---------------------------------------------------------------------------------------------
# Inputs

FIXED_CASES = (
    Case((np.array([[1.0, 2.0], [3.0, -2.0], [2.0, 3.0]]),), "n = 3 examples, d = 2"),
    Case((np.array([[1, 4], [2, 0], [2, 2], [6, -1]]),), "G an integer array, n = 4, d = 2"),
    Case((np.array([[0.5, -1.0, 2.0]]),), "one example (n = 1): no noise, B_noise = 0"),
    Case((np.array([[1.0, -1.0], [1.0, -1.0], [1.0, -1.0]]),), "identical rows: no noise, B_noise = 0"),
    Case((np.array([[3.0, 1.0], [-1.0, 0.5], [-2.0, -1.5]]),),
         "the gradients cancel out, g = 0 exactly: B_noise = inf"),
    Case((np.array([[1.0, 0.0, 2.0, -1.0, 0.5], [0.0, 1.0, -1.0, 1.0, 0.5]]),),
         "more coordinates than examples: G is 2 x 5"),
    Case((np.array([[0.5], [1.5], [-1.0], [3.0]]),), "one coordinate (d = 1), n = 4"),
    Case((np.array([[10.0, 10.0], [10.1, 9.9], [9.9, 10.1], [10.0, 10.0]]),),
         "a large gradient, little noise: B_noise far below 1"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    # Each coordinate its own scale and mean; the 4 x 4 case makes a variance over the wrong
    # axis the right shape.
    return [Case((rng.normal(size=(n, d)) * rng.uniform(0.5, 3.0, size=d) + rng.normal(size=d),),
                 f"random G ({n}x{d})") for n, d in ((4, 4), (20, 3), (50, 2))]


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint. Each returns inf where g = 0, as NumPy's division of
# tr(Sigma) > 0 by 0.0 does, so a mistake is recognised whether the learner tests for g = 0 or
# lets NumPy divide.


def _scale(numerator, denominator):
    return np.inf if denominator == 0 else float(numerator / denominator)


def _mean_and_trace(G):
    G = np.asarray(G, dtype=float)
    g = G.mean(axis=0)
    return G, g, ((G - g) ** 2).mean(axis=0).sum()


def _variance_of_mean(G):
    G, g, tr_sigma = _mean_and_trace(G)
    return _scale(tr_sigma / len(G), g @ g)


VARIANCE_OF_MEAN = Probe(
    "variance_of_the_mean",
    "You divided tr(Sigma) by n once more: tr(Sigma) / n is the variance of the mean of n "
    "gradients, not of one example's gradient. B_noise compares one example's noise with the "
    "gradient, tr(Sigma) / |g|^2, and a batch of B then has noise tr(Sigma) / B.",
    (_variance_of_mean,))


def _ddof1(G):
    G, g, _ = _mean_and_trace(G)
    return _scale(np.var(G, axis=0, ddof=1).sum() if len(G) > 1 else 0.0, g @ g)


def _ddof1_nan_for_one_example(G):
    G, g, _ = _mean_and_trace(G)
    return _scale(np.var(G, axis=0, ddof=1).sum() if len(G) > 1 else np.nan, g @ g)


SAMPLE_VARIANCE = Probe(
    "ddof_1",
    "You divided by n - 1 (np.var(..., ddof=1), or np.cov): that is the unbiased sample variance. "
    "tr(Sigma) here is the population variance of the n gradients, summed over the coordinates: "
    "divide by n (np.var's default).",
    (_ddof1, _ddof1_nan_for_one_example))


def _norm_not_squared(G):
    G, g, tr_sigma = _mean_and_trace(G)
    return _scale(tr_sigma, np.linalg.norm(g))


NORM_NOT_SQUARED = Probe(
    "norm_not_squared",
    "You divided by |g|, the length of the mean gradient; the formula divides by its square, "
    "|g|^2 = g @ g (np.linalg.norm(g) ** 2).",
    (_norm_not_squared,))


def _standard_deviations(G):
    G, g, tr_sigma = _mean_and_trace(G)
    return _scale(np.sqrt(tr_sigma), np.linalg.norm(g))


def _summed_stds(G):
    G, g, _ = _mean_and_trace(G)
    return _scale(np.std(G, axis=0).sum(), g @ g)


STANDARD_DEVIATION = Probe(
    "standard_deviation",
    "You used standard deviations (np.std, or a square root) where variances belong. "
    "tr(Sigma) is the sum of the per-coordinate variances, np.var(G, axis=0).sum(), and it is "
    "divided by the squared length |g|^2, with no root anywhere.",
    (_standard_deviations, _summed_stds))


def _inverted(G):
    G, g, tr_sigma = _mean_and_trace(G)
    return np.inf if tr_sigma == 0 else float(g @ g / tr_sigma)


INVERTED = Probe(
    "inverted",
    "Your ratio is upside down: |g|^2 / tr(Sigma). B_noise is the noise over the signal, "
    "tr(Sigma) / |g|^2: large when one example's gradient is noisy compared with the mean gradient.",
    (_inverted,))


def _not_centred(G):
    G, g, _ = _mean_and_trace(G)
    return _scale((G**2).sum(axis=1).mean(), g @ g)


NOT_CENTRED = Probe(
    "not_centred",
    "Your numerator is the mean of |G_i|^2 without subtracting g first, which is "
    "tr(Sigma) + |g|^2, so you return B_noise + 1. Centre first: tr(Sigma) = mean over i of "
    "|G_i - g|^2 = np.var(G, axis=0).sum().",
    (_not_centred,))


def _mean_over_coordinates(G):
    G, g, _ = _mean_and_trace(G)
    return _scale(np.var(G, axis=0).mean(), g @ g)


def _all_entries(G):
    G, g, _ = _mean_and_trace(G)
    return _scale(np.var(G), g @ g)


TRACE_NOT_SUMMED = Probe(
    "trace_not_summed",
    "Your tr(Sigma) is not the sum of the per-coordinate variances: the mean over the coordinates "
    "(divides by d too), or np.var(G) without an axis (one variance of all n * d entries together). "
    "Use np.var(G, axis=0).sum(): a variance per coordinate, summed.",
    (_mean_over_coordinates, _all_entries))


def _mean_squared_norm_below(G):
    G, g, tr_sigma = _mean_and_trace(G)
    return _scale(tr_sigma, (G**2).sum(axis=1).mean())


DENOMINATOR_NOT_MEAN_GRADIENT = Probe(
    "denominator_mean_of_squares",
    "You divided by the mean of the squared lengths |G_i|^2. The denominator is the squared "
    "length of the mean gradient: g = G.mean(axis=0) first, then g @ g.",
    (_mean_squared_norm_below,))


def _zero_when_no_gradient(value):
    def mistake(G):
        G, g, tr_sigma = _mean_and_trace(G)
        return value if g @ g == 0 else float(tr_sigma / (g @ g))

    return mistake


ZERO_GRADIENT = Probe(
    "zero_gradient_not_inf",
    "Where the mean gradient g is exactly 0 you do not return inf. There is noise and no "
    "gradient at all, so no batch is large enough: B_noise = tr(Sigma) / 0 = inf. "
    "Test `if g @ g == 0: return np.inf` before dividing.",
    (_zero_when_no_gradient(0.0), _zero_when_no_gradient(np.nan)))


def _variance_over_examples_axis(G):
    G, g, _ = _mean_and_trace(G)
    return _scale(np.var(G, axis=1).sum(), g @ g)


def _mean_over_coordinates_axis(G):
    G, _, tr_sigma = _mean_and_trace(G)
    g = G.mean(axis=1)
    return _scale(tr_sigma, g @ g)


WRONG_AXIS = Probe(
    "wrong_axis",
    "You took a mean or variance over axis 1, across the coordinates of one example's gradient. "
    "G holds one gradient per row, so both go over the examples, axis 0: "
    "g = G.mean(axis=0) and tr(Sigma) = np.var(G, axis=0).sum().",
    (_variance_over_examples_axis, _mean_over_coordinates_axis))


def _ratios(G):
    G, g, _ = _mean_and_trace(G)
    with np.errstate(all="ignore"):
        return np.var(G, axis=0) / g**2


def _sum_of_ratios(G):
    with np.errstate(all="ignore"):
        return float(np.sum(_ratios(G)))


PER_COORDINATE = Probe(
    "per_coordinate_ratio",
    "You divided coordinate by coordinate, var_j / g_j^2, and returned those ratios or their "
    "sum. B_noise is one ratio of two sums: tr(Sigma) = sum over j of var_j, divided by "
    "|g|^2 = sum over j of g_j^2 - sum first, then divide.",
    (_ratios, _sum_of_ratios))


def _square_of_sum(G):
    G, g, tr_sigma = _mean_and_trace(G)
    with np.errstate(all="ignore"):
        return np.inf if g @ g == 0 else float(tr_sigma / np.sum(g) ** 2)


SQUARE_OF_SUM = Probe(
    "square_of_sum",
    "Your |g|^2 is (sum of g_j)^2, the square of the sum; the squared length is the sum of the "
    "squares, g_1^2 + ... + g_d^2 = `g @ g` (or np.sum(g**2)).",
    (_square_of_sum,))


def _variance_of_norms(G):
    G, g, _ = _mean_and_trace(G)
    return _scale(np.var(np.linalg.norm(G, axis=1)), g @ g)


def _variance_of_squared_norms(G):
    G, g, _ = _mean_and_trace(G)
    return _scale(np.var((G**2).sum(axis=1)), g @ g)


VARIANCE_OF_NORMS = Probe(
    "variance_of_norms",
    "Your numerator is the variance of the gradients' lengths |G_i|, one number per example. "
    "tr(Sigma) measures how the gradient vectors themselves scatter around g, coordinate by "
    "coordinate: np.var(G, axis=0).sum(), the mean of |G_i - g|^2.",
    (_variance_of_norms, _variance_of_squared_norms))


def _tuple(G):
    G, g, tr_sigma = _mean_and_trace(G)
    return float(tr_sigma), float(g @ g)


RETURNS_PARTS = Probe(
    "returns_parts",
    "You return the two parts, tr(Sigma) and |g|^2, not their ratio: return one float, "
    "`tr_sigma / (g @ g)` (np.inf where g @ g is 0).",
    (_tuple,))


def _one_entry_array(G):
    value = gradient_noise_scale(G)
    return value if np.isinf(value) else np.array([value])  # inf from the test for g = 0


ONE_ENTRY_ARRAY = Probe(
    "one_entry_array",
    "You return the right number inside an array of one entry (`keepdims=True`, `np.array([...])`, "
    "or a 1-by-1 slice): return the number itself, `float(...)`.",
    (_one_entry_array,))


def _mean_divided_by_d(G):
    G, _, tr_sigma = _mean_and_trace(G)
    g = G.sum(axis=0) / G.shape[1]
    return _scale(tr_sigma, g @ g)


MEAN_DIVIDED_BY_D = Probe(
    "mean_divided_by_d",
    "Your mean gradient divides the sum of the rows by d = G.shape[1], the number of "
    "coordinates; there are n = G.shape[0] gradients to average: g = G.sum(axis=0) / G.shape[0], "
    "or simply G.mean(axis=0).",
    (_mean_divided_by_d,))


def _mean_absolute_deviation(G):
    G, g, _ = _mean_and_trace(G)
    return _scale(np.abs(G - g).mean(axis=0).sum(), g @ g)


ABSOLUTE_DEVIATION = Probe(
    "mean_absolute_deviation",
    "Your numerator sums the mean absolute deviations, mean |G_ij - g_j|: a variance averages "
    "the *squared* deviations. tr(Sigma) = ((G - g)**2).mean(axis=0).sum() = "
    "np.var(G, axis=0).sum().",
    (_mean_absolute_deviation,))


EXERCISE = Exercise(
    id="ch03_gradient_noise_scale",
    number=4,
    title="The gradient noise scale",
    function_name="gradient_noise_scale",
    arg_names=("G",),
    reference=gradient_noise_scale,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("B_noise", "float"),),
    probes=(VARIANCE_OF_MEAN, SAMPLE_VARIANCE, NORM_NOT_SQUARED, STANDARD_DEVIATION, INVERTED, NOT_CENTRED,
            TRACE_NOT_SUMMED, DENOMINATOR_NOT_MEAN_GRADIENT, ZERO_GRADIENT, WRONG_AXIS, PER_COORDINATE,
            SQUARE_OF_SUM, VARIANCE_OF_NORMS, RETURNS_PARTS, ONE_ENTRY_ARRAY, ABSOLUTE_DEVIATION,
            MEAN_DIVIDED_BY_D),
)
