"""Exercise 6.1: softmax cross-entropy and its gradient, computed stably.

For logits Z of shape (B, K) (one example a row, K classes) and integer labels y of shape (B,),

    m_i = max_k Z_ik,   lse_i = m_i + log sum_k exp(Z_ik - m_i)       (log-sum-exp)
    f = (1/B) sum_i (lse_i - Z_{i, y_i})                             (mean of -log p_{i, y_i})
    df/dZ = (P - Y) / B,   P_ik = exp(Z_ik - lse_i),  Y the one-hot rows of y

Subtracting the row maximum changes nothing mathematically and keeps exp from overflowing, so
logits of 1000 give finite numbers; taking log p as Z - lse (not log of a softmax that underflowed
to 0) keeps the loss finite when one logit is far below the others.
``softmax_cross_entropy(logits, y)`` returns the tuple (loss, dlogits): a float and a float array
of shape (B, K).
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "softmax_cross_entropy"]


def softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Reference: the mean cross-entropy of softmax(logits) and its gradient (P - Y) / B."""
    Z = np.asarray(logits, dtype=float)
    B = Z.shape[0]
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(B)
    loss = float(-log_p[rows, y].mean())
    dlogits = np.exp(log_p)
    dlogits[rows, y] -= 1.0
    return loss, dlogits / B


# ---------------------------------------------------------------------------------------------
# Inputs

FIXED_CASES = (
    Case((np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]]), np.array([0, 1])), "B = 2 examples, K = 3 classes"),
    Case((np.array([[1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 0.0, 0.0], [-1.0, 3.0, 0.5, 2.0]]), np.array([3, 2, 0])),
         "B = 3, K = 4, one row of equal logits (p = 1/4 each)"),
    Case((np.array([[1000.0, 999.0, 998.0], [1000.0, 1002.0, 1001.0]]), np.array([0, 2])),
         "large logits near 1000: exp(1000) overflows unless you subtract the row maximum"),
    Case((np.array([[0.0, -800.0], [5.0, -790.0]]), np.array([1, 1])),
         "the true class 800 below the other: its softmax underflows to 0, but log p = -800 is finite"),
    Case((np.array([[1000.0, 990.0], [-10.0, -9.0]]), np.array([1, 0])),
         "rows on very different scales: each row needs its own maximum"),
    Case((np.array([[1, 2, 0], [3, 1, 2], [0, 0, 1]]), np.array([2, 0, 1])), "integer logits, B = K = 3"),
    Case((np.array([[0.3, -0.2]]), np.array([0])), "one example (B = 1), two classes"),
    Case((np.array([[4.0, 1.0], [2.0, 3.0], [0.0, 0.0], [-1.0, 1.0], [2.0, 2.5]]), np.array([0, 1, 1, 0, 0])),
         "B = 5 examples, K = 2 classes (more rows than columns)"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for B, K, scale in ((4, 3, 1.0), (8, 10, 3.0), (16, 5, 1.0), (6, 10, 300.0)):
        logits = scale * rng.normal(size=(B, K))
        cases.append(Case((logits, rng.integers(0, K, size=B)), f"random logits ({B}x{K}), scale {scale:g}"))
    return cases


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _naive(logits, y):
    Z = np.asarray(logits, dtype=float)
    B = Z.shape[0]
    p = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)  # overflows: inf / inf = nan
    loss = float(-np.log(p[np.arange(B), y]).mean())
    d = p.copy()
    d[np.arange(B), y] -= 1
    return loss, d / B


def _naive_loss_only(logits, y):
    loss = _naive(logits, y)[0]
    return loss, softmax_cross_entropy(logits, y)[1]


OVERFLOW = Probe(
    "softmax_overflow",
    "Your softmax is not computed stably: for large logits np.exp(1000) is inf and inf / inf is "
    "nan, and when the true class's logit is far below the others its probability underflows to 0 "
    "and log(0) = -inf. Subtract each row's maximum first, `Z = logits - logits.max(axis=1, "
    "keepdims=True)` (the largest exp is then exp(0) = 1), and take log p = Z - log(sum(exp(Z))) "
    "(log-sum-exp) rather than the log of a division.",
    (_naive, _naive_loss_only))


def _stable_from(logits, y, Z):
    """The loss and gradient from a shifted Z whose softmax may have underflowed (0 / 0 = nan)."""
    B = Z.shape[0]
    with np.errstate(all="ignore"):
        p = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
        loss = float(-np.log(p[np.arange(B), y]).mean())
    d = p.copy()
    d[np.arange(B), y] -= 1
    return loss, d / B


def _global_max(logits, y):
    Z = np.asarray(logits, dtype=float)
    return _stable_from(logits, y, Z - Z.max())


def _lse_from(y, log_p):
    """The loss and gradient from log-probabilities computed some (maybe wrong) way."""
    B = log_p.shape[0]
    with np.errstate(all="ignore"):
        d = np.exp(log_p)
        loss = float(-log_p[np.arange(B), y].mean())
    d[np.arange(B), y] -= 1
    return loss, d / B


def _global_max_lse(logits, y):
    Z = np.asarray(logits, dtype=float)
    Z = Z - Z.max()
    with np.errstate(all="ignore"):
        return _lse_from(y, Z - np.log(np.exp(Z).sum(axis=1, keepdims=True)))


GLOBAL_MAX = Probe(
    "max_of_whole_batch",
    "You subtracted one maximum for the whole batch (logits.max() without axis): a row whose "
    "logits are all far below that maximum underflows to exp(...) = 0 everywhere, and 0 / 0 is nan. "
    "Subtract each row's own maximum: `logits - logits.max(axis=1, keepdims=True)`.",
    (_global_max, _global_max_lse))


def _batch_normalised(logits, y):
    Z = np.asarray(logits, dtype=float)
    Z = Z - Z.max(axis=1, keepdims=True)
    B = Z.shape[0]
    with np.errstate(all="ignore"):
        p = np.exp(Z) / np.exp(Z).sum()
        loss = float(-np.log(p[np.arange(B), y]).mean())
    d = p.copy()
    d[np.arange(B), y] -= 1
    return loss, d / B


def _batch_lse(logits, y):
    Z = np.asarray(logits, dtype=float)
    Z = Z - Z.max(axis=1, keepdims=True)
    with np.errstate(all="ignore"):
        return _lse_from(y, Z - np.log(np.exp(Z).sum()))


SUM_OVER_BATCH = Probe(
    "softmax_normalised_over_batch",
    "Your softmax divides by the sum over the whole batch (np.sum without axis), so a row's "
    "probabilities do not add up to 1. Each example gets its own softmax: sum over the classes of "
    "its row, `np.exp(Z).sum(axis=1, keepdims=True)`.",
    (_batch_normalised, _batch_lse))


def _axis_0(logits, y):
    Z = np.asarray(logits, dtype=float)
    Z = Z - Z.max(axis=0, keepdims=True)
    with np.errstate(all="ignore"):
        return _lse_from(y, Z - np.log(np.exp(Z).sum(axis=0, keepdims=True)))


WRONG_AXIS = Probe(
    "softmax_over_axis_0",
    "Your softmax runs down the columns (axis=0): it normalises each class over the batch. One row "
    "is one example and its softmax runs over the classes, axis=1: "
    "`Z.max(axis=1, keepdims=True)` and `np.exp(Z).sum(axis=1, keepdims=True)`.",
    (_axis_0,))


def _true_class_only(logits, y):
    loss, d = softmax_cross_entropy(logits, y)
    B = np.shape(logits)[0]
    only = np.zeros_like(d)
    only[np.arange(B), y] = d[np.arange(B), y]
    return loss, only


TRUE_CLASS_ONLY = Probe(
    "gradient_at_true_class_only",
    "Your gradient is P - 1 at each example's label and 0 for every other class. The other classes "
    "get a gradient too, their probability P_ik (raising a wrong class's logit raises the loss): "
    "df/dZ = (P - Y) / B for every entry, `d = P.copy(); d[np.arange(B), y] -= 1; d /= B`.",
    (_true_class_only,), part=1)


def _log_of_softmax(logits, y):
    Z = np.asarray(logits, dtype=float)
    B = Z.shape[0]
    shifted = Z - Z.max(axis=1, keepdims=True)
    p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = float(-np.log(p[np.arange(B), y]).mean())  # log(0) = -inf when p underflows
    return loss, softmax_cross_entropy(logits, y)[1]


LOG_UNDERFLOW = Probe(
    "log_of_underflowed_softmax",
    "Your loss is inf when the true class's logit is far below the others: its softmax underflows "
    "to exactly 0 and log(0) = -inf. Compute log p without dividing first: with Z the logits minus "
    "the row maximum, log p = Z - log(sum(exp(Z))) (log-sum-exp), and the loss is the mean of "
    "-log p[i, y_i].",
    (_log_of_softmax,), part=0)


def _grad_summed(logits, y):
    loss, d = softmax_cross_entropy(logits, y)
    return loss, d * np.shape(logits)[0]


GRAD_NOT_DIVIDED = Probe(
    "gradient_not_divided_by_batch_size",
    "Your gradient is B times too large: the loss is the mean over the batch, so each example's "
    "gradient softmax - onehot gets a factor 1/B. Return `(P - Y) / B` with B = logits.shape[0].",
    (_grad_summed,), part=1)


def _loss_summed(logits, y):
    loss, d = softmax_cross_entropy(logits, y)
    return loss * np.shape(logits)[0], d


LOSS_SUMMED = Probe(
    "loss_summed",
    "Your loss is B times too large: you summed -log p[i, y_i] over the batch. The loss is the "
    "mean over the B examples (use .mean(), or divide the sum by B), matching the gradient (P - Y) / B.",
    (_loss_summed,), part=0)


def _mean_over_everything(logits, y):
    loss, d = softmax_cross_entropy(logits, y)
    return loss, d / np.shape(logits)[1]


GRAD_OVER_BK = Probe(
    "gradient_divided_by_size",
    "Your gradient is divided by B * K (its .size or a mean over every entry) or by K, where only B "
    "belongs: the loss averages over the B examples, not over the classes. "
    "df/dZ = (P - Y) / B with B = logits.shape[0].",
    (_mean_over_everything,), part=1)


def _onehot_from_argmax(logits, y):
    Z = np.asarray(logits, dtype=float)
    B = Z.shape[0]
    target = Z.argmax(axis=1)  # the predicted class, not the label
    return softmax_cross_entropy(Z, target)


def _label_as_logit_column(logits, y):
    """Y built with y indexing the rows: Y[y, arange(B)] for a square batch."""
    Z = np.asarray(logits, dtype=float)
    B, K = Z.shape
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    Y = np.zeros((B, K))
    Y[y, np.arange(B)] = 1.0
    return float(-(Y * log_p).sum() / B), (np.exp(log_p) - Y) / B


def _rows_set(logits, y):
    """Y[y] = 1: whole rows y set to 1 (for a square batch)."""
    Z = np.asarray(logits, dtype=float)
    B, K = Z.shape
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    Y = np.zeros((B, K))
    Y[y] = 1.0
    return float(-(Y * log_p).sum() / B), (np.exp(log_p) - Y) / B


def _square_cases(rng):
    cases = []
    for B in (3, 4, 5):
        cases.append(Case((rng.normal(size=(B, B)), rng.permutation(B)), f"square logits ({B}x{B})"))
    cases.append(Case((np.array([[2.0, 0.0, 1.0], [0.0, 1.0, 3.0], [1.0, 2.0, 0.0]]), np.array([1, 2, 0])), "3x3"))
    return cases


ONEHOT_WRONG_AXIS = Probe(
    "onehot_wrong_axis",
    "Your one-hot matrix has its 1s in the wrong places: Y[y, np.arange(B)] (or a transposed "
    "np.eye(K)[y]) puts the label on the wrong axis, and Y[y] = 1 fills whole rows. Row i of Y is "
    "example i, with its single 1 in column "
    "y_i: `Y = np.zeros((B, K)); Y[np.arange(B), y] = 1` (or `np.eye(K)[y]`), and "
    "-log p[i, y_i] is `log_p[np.arange(B), y]`.",
    (_label_as_logit_column, _rows_set), cases=_square_cases)


def _mean_of_all_log_p(logits, y):
    Z = np.asarray(logits, dtype=float)
    B = Z.shape[0]
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_p[:, y].mean()), softmax_cross_entropy(Z, y)[1]


LABELS_AS_COLUMNS = Probe(
    "labels_select_columns",
    "Your loss averages -log p over every pair (example, label of any example): `log_p[:, y]` "
    "picks the columns y for every row, a B x B block. Each example takes its own label only: "
    "`log_p[np.arange(B), y]`, one entry per row.",
    (_mean_of_all_log_p,), part=0)


PREDICTED_CLASS = Probe(
    "predicted_class_as_label",
    "You used the predicted class (argmax of the logits) where the label y belongs: your loss is "
    "small whatever y says. The loss of example i is -log p[i, y_i], for its given label y_i.",
    (_onehot_from_argmax,))


def _wrong_sign(logits, y):
    loss, d = softmax_cross_entropy(logits, y)
    return loss, -d


GRAD_SIGN = Probe(
    "gradient_sign",
    "Your gradient has the wrong sign: it is (Y - P) / B. Raising the true class's logit lowers "
    "the loss, so its gradient entry is negative: df/dZ = (P - Y) / B, softmax minus one-hot.",
    (_wrong_sign,), part=1)


def _softmax_as_grad(logits, y):
    loss, d = softmax_cross_entropy(logits, y)
    B = np.shape(logits)[0]
    P = d * B
    P[np.arange(B), y] += 1
    return loss, P / B


def _softmax_itself(logits, y):
    loss, d = _softmax_as_grad(logits, y)
    return loss, d * np.shape(logits)[0]


ONEHOT_FORGOTTEN = Probe(
    "onehot_forgotten",
    "Your gradient is the softmax P (or P / B): the one-hot term is missing, so it never pushes "
    "the true class up. Subtract 1 at each example's label and divide by B: "
    "`d = P.copy(); d[np.arange(B), y] -= 1; d /= B`.",
    (_softmax_as_grad, _softmax_itself), part=1)


EXERCISE = Exercise(
    id="ch06_softmax_cross_entropy",
    number=1,
    title="Softmax cross-entropy and its gradient, stable for large logits",
    function_name="softmax_cross_entropy",
    arg_names=("logits", "y"),
    reference=softmax_cross_entropy,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("loss", "float"), Output("dlogits", "array")),
    probes=(OVERFLOW, GLOBAL_MAX, SUM_OVER_BATCH, LOG_UNDERFLOW, GRAD_NOT_DIVIDED, LOSS_SUMMED, GRAD_OVER_BK,
            ONEHOT_WRONG_AXIS, LABELS_AS_COLUMNS, PREDICTED_CLASS, GRAD_SIGN, ONEHOT_FORGOTTEN, WRONG_AXIS,
            TRUE_CLASS_ONLY),
    # The lesson shows the stable log-softmax (sgdlib.models.log_softmax); the library's loss
    # returns (loss, dlogits) ready-made. Both would hand the exercise over.
    answer_keys=("sgdlib.models.functional.log_softmax", "sgdlib.models.functional._log_softmax",
                 "sgdlib.models.functional._softmax_cross_entropy"),
)
