r"""Numerically stable building blocks of the models: sigmoid, log-softmax, cross-entropy.

Each public function checks its input; its ``_``-prefixed twin skips the checks, for the
models' inner loops, whose inputs are already checked.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_array

__all__ = ["sigmoid", "log_softmax"]


def sigmoid(z: ArrayLike) -> np.ndarray:
    r"""The logistic function :math:`\sigma(z) = 1 / (1 + e^{-z})`, without overflow.

    ``exp(-z)`` overflows for ``z < -709``; we only ever exponentiate :math:`-|z| \le 0`, using
    :math:`\sigma(z) = e^{z} / (1 + e^{z})` for negative ``z``.

    Parameters
    ----------
    z : array of real numbers, any shape (NaN and inf allowed: inf gives 1, NaN gives NaN)

    Examples
    --------
    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    z = check_array("z", z, dtype_kind="fiu", finite=False)
    return _sigmoid(z if z.dtype.kind == "f" else z.astype(np.float64))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))                     # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def log_softmax(logits: ArrayLike) -> np.ndarray:
    r"""Row-wise :math:`\log \mathrm{softmax}(z)_j = z_j - \log \sum_i e^{z_i}`, without overflow.

    Subtracting the row maximum first (the log-sum-exp trick) leaves the result unchanged and
    keeps every exponent :math:`\le 0`.

    Parameters
    ----------
    logits : array of shape (n, k)
        One row of ``k`` finite scores per sample.

    Examples
    --------
    >>> log_softmax(np.array([[1000.0, 1000.0]]))
    array([[-0.69314718, -0.69314718]])
    """
    logits = check_array("logits", logits, ndim=2, dtype_kind="fiu", min_len=0)
    if logits.shape[1] == 0:
        raise ValueError(f"logits must have at least one column (class), got shape {logits.shape}")
    return _log_softmax(logits if logits.dtype.kind == "f" else logits.astype(np.float64))


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    r"""Mean cross-entropy of integer labels ``y`` under ``softmax(logits)``, and d loss / d logits.

    Forward: :math:`L = \frac1n \sum_i \big(\log \sum_j e^{z_{ij}} - z_{i y_i}\big)`.
    Backward: :math:`\partial L / \partial z_{ij} = (p_{ij} - [j = y_i]) / n` with
    :math:`p = \mathrm{softmax}(z)`. ``logits`` is overwritten (it is a fresh temporary).
    """
    n = len(y)
    rows = np.arange(n)
    logits -= logits.max(axis=1, keepdims=True)     # log-sum-exp trick: exponents <= 0
    p = np.exp(logits)
    sums = p.sum(axis=1)
    loss = float(np.log(sums).sum() - logits[rows, y].sum()) / n
    p /= sums[:, None]                              # softmax probabilities
    p[rows, y] -= 1.0                               # p - onehot(y)
    p /= n                                          # the loss is a mean over the batch
    return loss, p
