"""Exercise 6.4: clipping gradients by their global norm (``torch.nn.utils.clip_grad_norm_``).

For the gradients g_1, ..., g_m of all parameter arrays (any shapes),

    total_norm = sqrt(sum_j sum of the squares of the entries of g_j)       (one norm for them all)
    scale = min(1, max_norm / (total_norm + 1e-6)),    clipped_j = scale * g_j

so the gradients keep their direction and their joint length is at most max_norm (the 1e-6 is
torch's guard against dividing by 0). ``clip_grad_norm(grads, max_norm)`` returns the tuple
(clipped, total_norm): a list of new float arrays, clipped[j] of grads[j]'s shape, and the norm
before clipping as a float. The input arrays are not changed.
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "clip_grad_norm"]


def clip_grad_norm(grads: list[np.ndarray], max_norm: float) -> tuple[list[np.ndarray], float]:
    """Reference: every gradient scaled by min(1, max_norm / (total_norm + 1e-6))."""
    total_norm = float(np.sqrt(sum(np.sum(np.asarray(g, dtype=float) ** 2) for g in grads)))
    scale = min(1.0, max_norm / (total_norm + 1e-6))
    return [np.asarray(g, dtype=float) * scale for g in grads], total_norm


# ---------------------------------------------------------------------------------------------
# Inputs: (grads, max_norm)

FIXED_CASES = (
    Case(([np.array([3.0, 0.0]), np.array([[0.0], [4.0]])], 1.0),
         "two arrays, shapes (2,) and (2, 1), norms 3 and 4, total 5 > max_norm = 1"),
    Case(([np.array([3.0, 0.0]), np.array([[0.0], [4.0]])], 10.0), "the same, total 5 < max_norm = 10: unchanged"),
    Case(([np.array([[1.0, -2.0], [2.0, 0.0]]), np.array([0.5, -0.5, 1.0]), np.array([[[2.0]]])], 1.5),
         "three arrays of shapes (2, 2), (3,), (1, 1, 1), total 3.81 > 1.5"),
    Case(([np.array([0.3, -0.4])], 0.25), "one array of norm 0.5 > max_norm = 0.25"),
    Case(([np.zeros(3), np.zeros((2, 2))], 1.0), "all gradients zero: total_norm 0, nothing to clip"),
    Case(([np.array([1, 2, 2]), np.array([4])], 3.5), "integer arrays, norms 3 and 4: total 5 > 3.5"),
    Case(([np.array([6.0, 8.0]), np.array([0.1, 0.0])], 3.0),
         "one large gradient (norm 10) and one small: both scaled by the same factor"),
    Case(([np.array([0.6, 0.8]), np.array([2.0])], 2.1), "each array (norms 1 and 2) below max_norm = 2.1, but the total 2.24 above it"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for shapes, max_norm in ((((4, 3), (3,), (3, 2), (2,)), 1.0), (((10,), (5, 5)), 20.0), (((8, 4), (4,)), 0.5)):
        grads = [rng.normal(size=shape) for shape in shapes]
        cases.append(Case((grads, max_norm), f"random arrays of shapes {list(shapes)}, max_norm = {max_norm:g}"))
    return cases


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _floats(grads):
    return [np.asarray(g, dtype=float) for g in grads]


def _scaled(grads, max_norm, total_norm, reported=None):
    scale = min(1.0, max_norm / (total_norm + 1e-6))
    return [g * scale for g in _floats(grads)], float(total_norm if reported is None else reported)


def _per_array(grads, max_norm):
    clipped = []
    for g in _floats(grads):
        norm = np.sqrt(np.sum(g ** 2))
        clipped.append(g * min(1.0, max_norm / (norm + 1e-6)))
    return clipped, clip_grad_norm(grads, max_norm)[1]


PER_ARRAY = Probe(
    "clipped_each_array_separately",
    "You clipped each array by its own norm, so arrays below max_norm are left alone and the "
    "direction of the whole gradient changes. Clipping by the GLOBAL norm computes one norm over "
    "all arrays together, total_norm = sqrt(sum over arrays of (g**2).sum()), and scales every "
    "array by the same factor min(1, max_norm / (total_norm + 1e-6)).",
    (_per_array,), part=0)


def _norms(grads):
    return [float(np.sqrt(np.sum(g ** 2))) for g in _floats(grads)]


def _sum_of_norms(grads, max_norm):
    return _scaled(grads, max_norm, sum(_norms(grads)))


SUM_OF_NORMS = Probe(
    "sum_of_norms",
    "Your total norm is the sum of the arrays' norms, |g_1| + |g_2| + ..., which is too large. The "
    "global norm is the norm of all entries put together: the square root of the sum of the "
    "SQUARED norms, `np.sqrt(sum(np.sum(g**2) for g in grads))`.",
    (_sum_of_norms,))


def _max_of_norms(grads, max_norm):
    return _scaled(grads, max_norm, max(_norms(grads)))


MAX_OF_NORMS = Probe(
    "max_of_norms",
    "Your total norm is the largest of the arrays' norms (an infinity norm over arrays). The "
    "global norm counts every entry of every array: "
    "`total_norm = np.sqrt(sum(np.sum(g**2) for g in grads))`.",
    (_max_of_norms,))


def _no_sqrt(grads, max_norm):
    return _scaled(grads, max_norm, sum(n ** 2 for n in _norms(grads)))


NO_SQRT = Probe(
    "squared_norm",
    "Your total norm is the sum of squares, without the square root: a norm of 5 shows as 25. "
    "total_norm = np.sqrt(sum of (g**2).sum() over the arrays).",
    (_no_sqrt,))


def _root_mean_square(grads, max_norm):
    flat = np.concatenate([g.ravel() for g in _floats(grads)])
    return _scaled(grads, max_norm, float(np.sqrt(np.mean(flat ** 2))))


def _sqrt_of_sum_of_norms(grads, max_norm):
    return _scaled(grads, max_norm, float(np.sqrt(sum(_norms(grads)))))


NOT_EUCLIDEAN = Probe(
    "not_the_euclidean_norm",
    "Your total norm is not the Euclidean norm of all entries: a mean where the sum belongs (the "
    "root mean square), or the square root of the sum of the arrays' norms. Square every entry, "
    "add them all up over all arrays, then take one square root: "
    "`np.sqrt(sum(np.sum(g**2) for g in grads))`.",
    (_root_mean_square, _sqrt_of_sum_of_norms))


def _unclamped(grads, max_norm):
    total = float(np.sqrt(sum(n ** 2 for n in _norms(grads))))
    return [g * (max_norm / (total + 1e-6)) for g in _floats(grads)], total


NOT_CLAMPED = Probe(
    "scaled_up_below_max_norm",
    "You rescale even when the norm is already below max_norm, which scales small gradients UP to "
    "max_norm. Clipping only shrinks: the factor is min(1, max_norm / (total_norm + 1e-6)), so "
    "gradients with total_norm <= max_norm are returned unchanged.",
    (_unclamped,))


def _no_eps(grads, max_norm):
    total = float(np.sqrt(sum(n ** 2 for n in _norms(grads))))
    scale = min(1.0, max_norm / total) if total > 0 else 1.0
    return [g * scale for g in _floats(grads)], total


NO_EPS = Probe(
    "eps_left_out",
    "Your clipped gradients are off by about 1e-6 relative: the factor is max_norm / total_norm, "
    "where torch (and this exercise) uses max_norm / (total_norm + 1e-6), which also never divides "
    "by 0. Add the 1e-6 to the denominator.",
    (_no_eps,), part=0)


def _norm_after(grads, max_norm):
    clipped, total = clip_grad_norm(grads, max_norm)
    return clipped, float(np.sqrt(sum(np.sum(g ** 2) for g in clipped)))


def _min_norm(grads, max_norm):
    clipped, total = clip_grad_norm(grads, max_norm)
    return clipped, min(total, float(max_norm))


NORM_AFTER = Probe(
    "norm_after_clipping",
    "The total_norm you return is the norm AFTER clipping (at most max_norm). Return the norm of "
    "the gradients as they came in, before clipping, as torch's clip_grad_norm_ does: it tells you "
    "how large the gradients were (log it to see how often clipping acts).",
    (_norm_after, _min_norm), part=1)


def _by_value(grads, max_norm):
    return [np.clip(g, -max_norm, max_norm) for g in _floats(grads)], clip_grad_norm(grads, max_norm)[1]


BY_VALUE = Probe(
    "clipped_by_value",
    "You clipped each entry to [-max_norm, max_norm] (np.clip: torch's clip_grad_value_), which "
    "changes the gradient's direction. Clipping by norm scales all arrays by one factor, "
    "min(1, max_norm / (total_norm + 1e-6)), and keeps the direction.",
    (_by_value,), part=0)


def _divided(grads, max_norm):
    total = float(np.sqrt(sum(n ** 2 for n in _norms(grads))))
    scale = min(1.0, max_norm / (total + 1e-6))
    return [g / scale for g in _floats(grads)], total


UPSIDE_DOWN = Probe(
    "factor_upside_down",
    "Your clipped gradients grow instead of shrinking: you divided by the factor, or used "
    "total_norm / max_norm. Multiply each array by max_norm / (total_norm + 1e-6) when that is "
    "below 1.",
    (_divided,), part=0)


def _eps_outside(grads, max_norm):
    total = float(np.sqrt(sum(n ** 2 for n in _norms(grads))))
    scale = min(1.0, max_norm / total + 1e-6)  # raises ZeroDivisionError when every gradient is 0
    return [g * scale for g in _floats(grads)], total


def _nonzero_cases(rng: np.random.Generator) -> list[Case]:
    return [case for case in FIXED_CASES if any(np.any(g) for g in case.args[0])]


EPS_OUTSIDE = Probe(
    "eps_outside_the_denominator",
    "Your 1e-6 is added to the factor, max_norm / total_norm + 1e-6, not to the denominator: "
    "the factor is then off by 1e-6, and all-zero gradients divide by 0. Write "
    "max_norm / (total_norm + 1e-6), with the parentheses.",
    (_eps_outside,), cases=_nonzero_cases, part=0)


def _l1(grads, max_norm):
    total = float(sum(np.sum(np.abs(g)) for g in _floats(grads)))
    return _scaled(grads, max_norm, total)


def _spectral(grads, max_norm):
    norms = [np.linalg.norm(g, 2) if g.ndim == 2 else np.linalg.norm(g) for g in _floats(grads)]
    total = float(np.sqrt(sum(n ** 2 for n in norms)))
    return _scaled(grads, max_norm, total)


OTHER_NORM = Probe(
    "not_the_frobenius_norm",
    "Your norm is not the Euclidean one over all entries: the sum of absolute values (the L1 "
    "norm), or np.linalg.norm(g, 2), which for a 2-D array is its largest singular value (the "
    "spectral norm), not the root of the sum of squares. Use np.sqrt(np.sum(g**2)) for each array, "
    "or np.linalg.norm(g) with no `ord` (for a matrix that is the Frobenius norm), and add the "
    "squares of all arrays before the one square root.",
    (_l1, _spectral))


def _norm_plus_eps(grads, max_norm):
    clipped, total = clip_grad_norm(grads, max_norm)
    return clipped, total + 1e-6


NORM_PLUS_EPS = Probe(
    "norm_plus_eps_returned",
    "The total_norm you return has the 1e-6 added: that guard belongs in the factor's "
    "denominator only, max_norm / (total_norm + 1e-6). Return the norm itself.",
    (_norm_plus_eps,), part=1)


EXERCISE = Exercise(
    id="ch06_clip_grad_norm",
    number=4,
    title="Clipping gradients by their global norm",
    function_name="clip_grad_norm",
    arg_names=("grads", "max_norm"),
    reference=clip_grad_norm,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("clipped", "arrays"), Output("total_norm", "float")),
    probes=(PER_ARRAY, SUM_OF_NORMS, MAX_OF_NORMS, NO_SQRT, NOT_EUCLIDEAN, NOT_CLAMPED, NO_EPS, NORM_AFTER, BY_VALUE,
            UPSIDE_DOWN, EPS_OUTSIDE, OTHER_NORM, NORM_PLUS_EPS),
    new_arrays=True,
    answer_keys=("sgdlib.clipping.clip_grad_norm_",),
)
