"""Exercise 6.2: the backward pass of one dense layer with a ReLU.

The layer maps a batch x of shape (B, d_in) to a = relu(z), z = x W + b, with W of shape
(d_in, d_out) and b of shape (d_out,). Given dout = df/da, shape (B, d_out), the chain rule gives

    dz = dout * relu'(z),   relu'(z) = 1 where z > 0, else 0 (also at z = 0, as in torch)
    dx = dz W^T   (B, d_in),    dW = x^T dz   (d_in, d_out),    db = sum_i dz_i   (d_out,)

``dense_relu_backward(x, W, b, dout)`` returns the tuple (dx, dW, db) of float arrays. Each
gradient has the shape of what it is the gradient of; db sums over the batch (dout already holds
the loss's 1/B).
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "dense_relu_backward"]


def dense_relu_backward(x: np.ndarray, W: np.ndarray, b: np.ndarray,
                        dout: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reference: backpropagate dout through a = relu(x W + b)."""
    x, W, b, dout = (np.asarray(a, dtype=float) for a in (x, W, b, dout))
    z = x @ W + b
    dz = dout * (z > 0)
    return dz @ W.T, x.T @ dz, dz.sum(axis=0)


# ---------------------------------------------------------------------------------------------
# Inputs: (x, W, b, dout)

_X = np.array([[1.0, -2.0], [0.5, 1.0], [-1.0, 0.0]])
_W = np.array([[1.0, -1.0, 0.5], [0.5, 2.0, -1.0]])
_B = np.array([0.1, 0.0, -0.2])
_D = np.array([[1.0, -0.5, 2.0], [0.3, 1.0, -1.0], [-2.0, 0.5, 1.0]])

FIXED_CASES = (
    Case((_X, _W, _B, _D), "B = 3 examples, d_in = 2, d_out = 3 (W is not square)"),
    Case((_X[:, :1], np.array([[2.0, -1.0, 1.0, 0.5]]), np.array([0.0, 0.5, -1.0, 0.2]), np.arange(12.0).reshape(3, 4) - 5),
         "d_in = 1, d_out = 4"),
    # z = x W + b has exact zeros (torch's relu'(0) = 0): z = [[0, 1], [1, 0]].
    Case((np.array([[1.0, 1.0], [1.0, 0.0]]), np.array([[1.0, 0.0], [-1.0, 1.0]]), np.array([0.0, 0.0]),
          np.array([[1.0, 2.0], [3.0, 4.0]])), "z = x W + b has entries exactly 0, where relu'(0) = 0"),
    Case((np.array([[2, -1, 0], [1, 1, 1]]), np.array([[1, 0], [2, -1], [0, 1]]), np.array([1, -1]),
          np.array([[1, -1], [2, 3]])), "integer arrays, d_in = 3, d_out = 2"),
    Case((np.array([[-1.0, -2.0], [-0.5, -1.0]]), np.array([[1.0, 2.0, 0.5], [0.5, 1.0, 1.0]]), np.array([-0.1, 0.0, -0.2]),
          np.array([[1.0, 1.0, 1.0], [2.0, -1.0, 0.5]])), "every unit inactive (z < 0): all gradients are 0"),
    Case((np.array([[0.5, -0.3, 1.2, 0.0]]), np.array([[1.0, -0.5], [0.2, 0.3], [-0.4, 1.0], [0.7, 0.1]]),
          np.array([0.1, -0.1]), np.array([[2.0, -1.0]])), "one example (B = 1), d_in = 4, d_out = 2"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for B, d_in, d_out in ((5, 3, 4), (8, 6, 2), (16, 4, 7)):
        cases.append(Case((rng.normal(size=(B, d_in)), rng.normal(size=(d_in, d_out)), 0.5 * rng.normal(size=d_out),
                           rng.normal(size=(B, d_out))), f"random layer, B = {B}, d_in = {d_in}, d_out = {d_out}"))
    return cases


def _square_cases(rng: np.random.Generator) -> list[Case]:
    """Square W (d_in = d_out), so that transposed or misplaced products still compute."""
    cases = []
    for B, d in ((3, 2), (5, 4), (2, 3)):
        cases.append(Case((rng.normal(size=(B, d)), rng.normal(size=(d, d)), 0.5 * rng.normal(size=d),
                           rng.normal(size=(B, d))), f"square W ({d}x{d}), B = {B}"))
    return cases


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _floats(x, W, b, dout):
    return (np.asarray(a, dtype=float) for a in (x, W, b, dout))


def _with_mask(mask_of):
    def backward(x, W, b, dout):
        x, W, b, dout = _floats(x, W, b, dout)
        dz = dout * mask_of(x, W, b, dout)
        return dz @ W.T, x.T @ dz, dz.sum(axis=0)
    return backward


_mask_from_x = _with_mask(lambda x, W, b, dout: x > 0)
_mask_without_b = _with_mask(lambda x, W, b, dout: x @ W > 0)
_mask_b_twice = _with_mask(lambda x, W, b, dout: np.maximum(x @ W + b, 0) + b > 0)
_mask_from_dout = _with_mask(lambda x, W, b, dout: dout > 0)

MASK_AT_WRONG_PLACE = Probe(
    "relu_mask_at_wrong_place",
    "Your ReLU gradient is taken at the wrong place: the mask must come from the layer's own "
    "pre-activation z = x @ W + b (b included, once), not from x, from x @ W, or from dout. "
    "Compute z in the backward pass and use `dz = dout * (z > 0)`.",
    (_mask_without_b, _mask_from_x, _mask_b_twice, _mask_from_dout), cases=_square_cases)

_no_mask = _with_mask(lambda x, W, b, dout: 1.0)

NO_MASK = Probe(
    "relu_mask_forgotten",
    "Your gradients ignore the ReLU: a unit with z <= 0 outputs 0 whatever its input, so no "
    "gradient flows through it. Multiply by relu'(z) before anything else: "
    "`dz = dout * (x @ W + b > 0)`, then dx = dz @ W.T, dW = x.T @ dz, db = dz.sum(axis=0).",
    (_no_mask,))

_mask_at_zero = _with_mask(lambda x, W, b, dout: x @ W + b >= 0)
_mask_half_at_zero = _with_mask(lambda x, W, b, dout: np.heaviside(x @ W + b, 0.5))

MASK_AT_ZERO = Probe(
    "relu_gradient_at_zero",
    "Your ReLU gradient is not 0 at z = 0 exactly (`z >= 0`, or np.heaviside(z, 0.5) or (z, 1)). "
    "The course, like torch, takes relu'(0) = 0: use `z > 0`. It matters whenever a "
    "pre-activation is exactly 0 (integer data, a zero bias).",
    (_mask_at_zero, _mask_half_at_zero))


def _dx_masked_by_x(x, W, b, dout):
    dx, dW, db = dense_relu_backward(x, W, b, dout)
    return dx * (np.asarray(x) > 0), dW, db


DX_MASKED_BY_X = Probe(
    "dx_masked_by_x",
    "Your dx is also masked where x <= 0: that would be the ReLU of the layer below, which is "
    "not part of this layer. This layer's only mask is relu'(z) on its own output, applied to "
    "dout: dz = dout * (z > 0), then dx = dz @ W.T unmasked.",
    (_dx_masked_by_x,), part=0)


def _mask_on_dx(x, W, b, dout):
    x, W, b, dout = _floats(x, W, b, dout)
    mask = x @ W + b > 0
    return (dout @ W.T) * mask, x.T @ dout, dout.sum(axis=0)


MASK_ON_DX = Probe(
    "relu_mask_on_dx",
    "You applied relu'(z) to dx, after the product with W, and not to dW and db: the ReLU sits "
    "between z and a, so the mask multiplies dout first, `dz = dout * (z > 0)`, and dx, dW and db "
    "are all computed from dz.",
    (_mask_on_dx,), cases=_square_cases)


def _dx_unmasked(x, W, b, dout):
    dx, dW, db = dense_relu_backward(x, W, b, dout)
    return np.asarray(dout, dtype=float) @ np.asarray(W, dtype=float).T, dW, db


DX_UNMASKED = Probe(
    "relu_mask_missing_from_dx",
    "Your dx skips the ReLU: dx = dout @ W.T, while dW and db use the mask. Every gradient below "
    "the ReLU goes through it, dx too: compute `dz = dout * (z > 0)` once and use it in all three, "
    "dx = dz @ W.T.",
    (_dx_unmasked,))


_relu_value = _with_mask(lambda x, W, b, dout: np.maximum(x @ W + b, 0))
_sigmoid_derivative = _with_mask(lambda x, W, b, dout: np.maximum(x @ W + b, 0) * (1 - np.maximum(x @ W + b, 0)))

WRONG_DERIVATIVE = Probe(
    "wrong_relu_derivative",
    "You multiplied dout by something other than relu'(z): relu(z) itself, or the sigmoid's "
    "a (1 - a). The ReLU's derivative is 1 where z > 0 and 0 elsewhere: `dz = dout * (z > 0)`.",
    (_relu_value, _sigmoid_derivative))


def _dw_transposed(x, W, b, dout):
    dx, dW, db = dense_relu_backward(x, W, b, dout)
    return dx, dW.T, db


DW_TRANSPOSED = Probe(
    "weight_gradient_transposed",
    "Your weight gradient is transposed: dz.T @ x has shape (d_out, d_in). dW must have W's shape "
    "(d_in, d_out): `dW = x.T @ dz` (row j, column k: sum over the batch of x_ij dz_ik).",
    (_dw_transposed,), cases=_square_cases)


def _dx_not_transposed(x, W, b, dout):
    x, W, b, dout = _floats(x, W, b, dout)
    dz = dout * (x @ W + b > 0)
    return dz @ W, x.T @ dz, dz.sum(axis=0)


DX_NOT_TRANSPOSED = Probe(
    "input_gradient_W_not_transposed",
    "Your input gradient uses W where W.T belongs: z = x @ W, so dx = dz @ W.T, shape (B, d_in). "
    "dz @ W only runs when W is square, and gives the wrong numbers then.",
    (_dx_not_transposed,), cases=_square_cases)


def _db_mean(x, W, b, dout):
    dx, dW, db = dense_relu_backward(x, W, b, dout)
    return dx, dW, db / np.shape(x)[0]


DB_MEAN = Probe(
    "bias_gradient_mean",
    "Your bias gradient is the mean of dz over the batch; it is the sum, `db = dz.sum(axis=0)`. b is "
    "added to every example's z, so each example's dz adds to db; the loss's 1/B is already in dout.",
    (_db_mean,), part=2)


def _db_not_summed(x, W, b, dout):
    x, W, b, dout = _floats(x, W, b, dout)
    dz = dout * (x @ W + b > 0)
    return dz @ W.T, x.T @ dz, dz


def _db_summed_over_units(x, W, b, dout):
    x, W, b, dout = _floats(x, W, b, dout)
    dz = dout * (x @ W + b > 0)
    return dz @ W.T, x.T @ dz, dz.sum(axis=1)


DB_NOT_SUMMED = Probe(
    "bias_gradient_not_summed_over_batch",
    "Your bias gradient is not summed over the batch: db has b's shape (d_out,), one entry per "
    "output unit, the sum over the examples (axis 0) of dz: `db = dz.sum(axis=0)`.",
    (_db_not_summed, _db_summed_over_units), part=2)


def _all_over_b(x, W, b, dout):
    dx, dW, db = dense_relu_backward(x, W, b, dout)
    B = np.shape(x)[0]
    return dx / B, dW / B, db / B


def _params_over_b(x, W, b, dout):
    dx, dW, db = dense_relu_backward(x, W, b, dout)
    B = np.shape(x)[0]
    return dx, dW / B, db / B


DIVIDED_BY_B = Probe(
    "divided_by_batch_size",
    "You divided by the batch size B: dout = df/da already carries the loss's 1/B (the mean over "
    "the batch), so the layer's backward pass only applies the chain rule: dz = dout * (z > 0), "
    "dx = dz @ W.T, dW = x.T @ dz, db = dz.sum(axis=0), with no extra 1/B.",
    (_all_over_b, _params_over_b))


def _order(*positions):
    def mistake(x, W, b, dout):
        grads = dense_relu_backward(x, W, b, dout)
        return tuple(grads[k] for k in positions)

    return mistake


WRONG_ORDER = Probe(
    "wrong_order",
    "You return the three gradients in another order. Return them in the order of the arguments "
    "they belong to, (dx, dW, db): x, then W, then b.",
    tuple(_order(*p) for p in ((1, 0, 2), (0, 2, 1), (2, 1, 0), (1, 2, 0), (2, 0, 1))))


EXERCISE = Exercise(
    id="ch06_dense_relu_backward",
    number=2,
    title="The backward pass of a dense layer with a ReLU",
    function_name="dense_relu_backward",
    arg_names=("x", "W", "b", "dout"),
    reference=dense_relu_backward,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("dx", "array"), Output("dW", "array"), Output("db", "array")),
    probes=(NO_MASK, MASK_AT_WRONG_PLACE, MASK_AT_ZERO, MASK_ON_DX, DX_UNMASKED, WRONG_DERIVATIVE, DW_TRANSPOSED, DX_NOT_TRANSPOSED,
            DIVIDED_BY_B, DB_MEAN, DB_NOT_SUMMED, WRONG_ORDER, DX_MASKED_BY_X),
    # sgdlib's MLP and BatchNormMLP run this backward pass inside loss_and_grads.
    answer_keys=("sgdlib.models.MLP", "sgdlib.models.BatchNormMLP"),
)
