r"""Mini-batch SGD on softmax regression for many learning rates and seeds at once, and the noise scale.

Chapter 3 asks questions about batch sizes ("which learning rate suits B = 64?", "how many steps
does B = 512 need?") whose answers are statements about many runs. Here the learning rates and
the seeds are array axes: one step of :func:`minibatch_sgd_runs` updates every run with one
batched matrix product, so a grid of 9 rates times 3 seeds costs little more than one run.

The model is softmax regression with a bias: the inputs get a column of ones,
:math:`\tilde x_i = (x_i, 1)`, the parameters are one matrix :math:`W` of shape
``(d + 1, n_classes)``, started at zero, and the loss is the mean cross-entropy

.. math:: f(W) = \frac1n\sum_i f_i(W), \qquad f_i(W) = -\log \operatorname{softmax}(\tilde x_i^\top W)_{y_i},
          \qquad \nabla f_i(W) = \tilde x_i\,(p_i - e_{y_i})^\top,

with :math:`p_i` the predicted probabilities and :math:`e_{y_i}` the one-hot label.

The *gradient noise scale* (McCandlish et al. 2018) compares the noise of one example's gradient
with the gradient itself,

.. math:: B_\text{noise} = \frac{\operatorname{tr}\Sigma}{\|\nabla f\|^2}, \qquad
          \nabla f = \frac1n\sum_i \nabla f_i, \qquad
          \operatorname{tr}\Sigma = \frac1n\sum_i \|\nabla f_i - \nabla f\|^2 = \frac1n\sum_i\|\nabla f_i\|^2 - \|\nabla f\|^2 .

A batch of :math:`B` examples has gradient noise :math:`\operatorname{tr}\Sigma/B`, so for
:math:`B \ll B_\text{noise}` the noise swamps the signal and for :math:`B \gg B_\text{noise}` a
larger batch adds little. For softmax regression :func:`softmax_noise_scale` computes it from
:math:`\|\nabla f_i\|^2 = \|\tilde x_i\|^2\,\|p_i - e_{y_i}\|^2`, never forming the matrix of
per-example gradients.

Examples
--------
>>> import numpy as np
>>> from sgdlib.data import load_digits
>>> X, y = load_digits()
>>> runs = minibatch_sgd_runs(X, y, batch_size=64, lrs=[0.5, 2.0], n_steps=60, seeds=[0, 1],
...                           record_steps=[0, 30, 60])
>>> runs.losses.shape                            # (records, learning rates, seeds)
(3, 2, 2)
>>> float(np.round(runs.losses[0, 0, 0], 4))     # log(10) at W = 0
2.3026
>>> bool((runs.losses[-1] < runs.losses[0]).all())
True

References
----------
McCandlish, Kaplan, Amodei and the OpenAI Dota team, "An empirical model of large-batch training",
arXiv:1812.06162, 2018, section 2.2 and appendix A (the simple noise scale :math:`B_\text{simple}`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_array, check_bool, check_int, check_rng
from ..data._validate import check_xy

__all__ = ["MinibatchRuns", "minibatch_sgd_runs", "softmax_noise_scale"]


@dataclass(frozen=True)
class MinibatchRuns:
    """What :func:`minibatch_sgd_runs` returns.

    Attributes
    ----------
    batch_size : int
    lrs : ndarray, shape (n_lrs,)
    seeds : ndarray of int, shape (n_seeds,)
    steps : ndarray of int, shape (n_records,)
        The steps at which the runs were recorded (0 = the start).
    examples : ndarray of int, shape (n_records,)
        Examples seen by then (without ``drop_last`` the last batch of an epoch may be smaller
        than ``batch_size``).
    losses : ndarray, shape (n_records, n_lrs, n_seeds)
        Training loss :math:`f(W_t)` over the whole data set at each recorded step.
    noise_scale : ndarray, shape (n_records, n_lrs, n_seeds)
        :math:`B_\\text{noise}` at each recorded step (:func:`softmax_noise_scale`).
    params : ndarray, shape (n_lrs, n_seeds, d + 1, n_classes)
        The final parameters.
    """

    batch_size: int
    lrs: np.ndarray
    seeds: np.ndarray
    steps: np.ndarray
    examples: np.ndarray
    losses: np.ndarray
    noise_scale: np.ndarray
    params: np.ndarray


def _with_ones(X: np.ndarray) -> np.ndarray:
    return np.hstack([X, np.ones((len(X), 1))])


def _loss_and_noise_scale(W: np.ndarray, Xa: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean cross-entropy and B_noise at W (..., d + 1, c) on inputs with ones Xa and one-hot Y."""
    lead, (d1, c) = W.shape[:-2], W.shape[-2:]
    flat = np.moveaxis(W.reshape(-1, d1, c), 0, 1).reshape(d1, -1)    # (d + 1, runs * c): one GEMM
    Z = (Xa @ flat).reshape(len(Xa), -1, c)                            # (n, runs, c)
    Z -= Z.max(axis=-1, keepdims=True)
    P = np.exp(Z)
    total = P.sum(axis=-1)
    P /= total[..., None]                                              # softmax
    rows, labels = np.arange(len(Xa)), Y.argmax(axis=1)
    loss = (np.log(total) - Z[rows, :, labels]).mean(axis=0)          # mean of -log p_{i, y_i}
    P[rows, :, labels] -= 1.0                                          # R = p_i - e_{y_i}
    g = (Xa.T @ P.reshape(len(Xa), -1)).reshape(d1, -1, c) / len(Y)    # the full gradient, per run
    g_sq = (g ** 2).sum(axis=(0, 2))
    mean_example_sq = ((Xa ** 2).sum(axis=1) @ (P ** 2).sum(axis=-1)) / len(Y)
    with np.errstate(divide="ignore", invalid="ignore"):
        noise_scale = (mean_example_sq - g_sq) / g_sq                  # tr(Sigma) / ||grad f||^2
    return loss.reshape(lead), noise_scale.reshape(lead)


def _classes(y: np.ndarray) -> tuple[np.ndarray, int]:
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0:
        raise ValueError("y must hold class labels 0, 1, 2, ... (non-negative integers)")
    return y.astype(np.intp), int(y.max()) + 1


def _integers(name: str, values: ArrayLike) -> np.ndarray:
    """``values`` as a non-empty 1-D integer array (a list of seeds or of steps), else a clear error."""
    arr = check_array(name, values, ndim=1, dtype_kind="fiub")
    if arr.size == 0:
        raise ValueError(f"{name} must be a non-empty list of ints, got an empty one")
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold whole numbers (ints), got dtype {arr.dtype}: {arr.tolist()}")
    return arr


def minibatch_sgd_runs(
    X: ArrayLike,
    y: ArrayLike,
    *,
    batch_size: int,
    lrs: Sequence[float] | ArrayLike,
    n_steps: int,
    seeds: Sequence[int] | ArrayLike,
    record_steps: Sequence[int] | ArrayLike,
    warmup_steps: int = 0,
    drop_last: bool = False,
) -> MinibatchRuns:
    r"""Mini-batch SGD on softmax regression for every learning rate and seed, vectorised.

    Every run starts at :math:`W_0 = 0` and takes the steps

    .. math:: W_{t+1} = W_t - \eta_t\,\frac1B\sum_{i\in\mathcal B_t}\nabla f_i(W_t), \qquad
              \eta_t = \eta\,\min\Bigl(1, \frac{t + 1}{T_\text{warm-up}}\Bigr)

    (no warm-up when ``warmup_steps`` is 0). Seed ``s`` draws its batches as
    ``DataLoader(X, y, batch_size=B, rng=np.random.default_rng(s), drop_last=drop_last)`` does:
    a fresh permutation every epoch, cut into consecutive batches, the last one smaller when
    ``B`` does not divide ``n`` (or left out with ``drop_last``, so that every step averages
    exactly ``B`` examples). All learning rates share a seed's batches.

    Parameters
    ----------
    X : array, shape (n, d)
        Inputs.
    y : array of int, shape (n,)
        Class labels 0 .. n_classes - 1.
    batch_size : int
        :math:`B`, from 1 to ``n`` (``n`` is full-batch gradient descent).
    lrs : sequence of float
        The learning rates :math:`\eta`, each > 0.
    n_steps : int
        Steps per run.
    seeds : sequence of int
        Seeds (>= 0) of the batch orders.
    record_steps : sequence of int
        Steps (0 .. ``n_steps``, whole numbers) at which the loss and the noise scale are recorded.
    warmup_steps : int, default 0
        Length of the linear warm-up.
    drop_last : bool, default False
        Leave out the last, smaller batch of every epoch.

    Returns
    -------
    MinibatchRuns
    """
    X, y = check_xy(X, y)
    y, n_classes = _classes(y)
    n = len(y)
    batch_size = check_int("batch_size", batch_size, low=1, high=n)
    n_steps = check_int("n_steps", n_steps, low=0)
    warmup_steps = check_int("warmup_steps", warmup_steps, low=0)
    drop_last = check_bool("drop_last", drop_last)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n, d), got shape {X.shape}")
    lrs = check_array("lrs", lrs, ndim=1, dtype_kind="fiu").astype(np.float64)
    if lrs.size == 0 or (lrs <= 0).any():
        raise ValueError(f"lrs must be a non-empty list of positive learning rates, got {lrs.tolist()}")
    seeds = _integers("seeds", seeds)
    rngs = [check_rng(f"seeds[{i}]", int(s)) for i, s in enumerate(seeds)]
    record = _integers("record_steps", record_steps)
    if record.min() < 0 or record.max() > n_steps:
        raise ValueError(f"record_steps must lie in 0 .. n_steps = {n_steps}, got {record.tolist()}")
    record = np.unique(record).astype(np.int64)

    Xa, Y = _with_ones(X), np.eye(n_classes)[y]
    n_lrs, n_seeds, d1 = len(lrs), len(seeds), Xa.shape[1]
    # W[s, :, k, :] is the matrix of seed s and rate k; the rates sit side by side, so that one
    # matrix product per seed serves every rate.
    W = np.zeros((n_seeds, d1, n_lrs, n_classes))
    lr = lrs[:, None]
    per_epoch = n // batch_size if drop_last else -(-n // batch_size)
    per_epoch_examples = per_epoch * batch_size if drop_last else n
    losses, noise = [], []

    def record_now():
        loss, scale = _loss_and_noise_scale(W.transpose(2, 0, 1, 3), Xa, Y)
        losses.append(loss), noise.append(scale)

    if record[0] == 0:
        record_now()
    for t in range(n_steps):
        j = t % per_epoch
        if j == 0:
            order = np.stack([rng.permutation(n) for rng in rngs])     # one epoch per seed
        idx = order[:, j * batch_size:(j + 1) * batch_size]            # (n_seeds, B)
        B = idx.shape[1]
        Xb = Xa[idx]                                                   # (n_seeds, B, d + 1)
        Z = (Xb @ W.reshape(n_seeds, d1, -1)).reshape(n_seeds, B, n_lrs, n_classes)
        Z -= Z.max(axis=-1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(axis=-1, keepdims=True)
        P -= Y[idx][:, :, None, :]                                     # p_i - e_{y_i}
        grad = (np.swapaxes(Xb, 1, 2) @ P.reshape(n_seeds, B, -1)) / B  # (1/B) sum_i x_i (p_i - e_i)^T
        warm = min(1.0, (t + 1) / warmup_steps) if warmup_steps else 1.0
        W -= warm * lr * grad.reshape(W.shape)
        if t + 1 in record:
            record_now()
    examples = record // per_epoch * per_epoch_examples + np.minimum(record % per_epoch * batch_size, n)
    return MinibatchRuns(batch_size=batch_size, lrs=lrs, seeds=seeds, steps=record, examples=examples,
                         losses=np.array(losses), noise_scale=np.array(noise),
                         params=W.transpose(2, 0, 1, 3).copy())


def softmax_noise_scale(W: ArrayLike, X: ArrayLike, y: ArrayLike) -> float | np.ndarray:
    r"""The gradient noise scale :math:`B_\text{noise}` of softmax regression at ``W``.

    Parameters
    ----------
    W : array, shape (..., d + 1, n_classes)
        Parameters (the last row multiplies the column of ones), or a stack of them.
    X, y : arrays, shapes (n, d) and (n,)
        The data; ``y`` holds class labels.

    Returns
    -------
    float or ndarray of shape ``W.shape[:-2]``

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0, 0, 1, 1])
    >>> W = np.zeros((2, 2))
    >>> float(np.round(softmax_noise_scale(W, X, y), 4))
    3.5
    """
    X, y = check_xy(X, y)
    y, _ = _classes(y)
    W = check_array("W", W)
    if W.ndim < 2 or W.shape[-2] != X.shape[1] + 1:
        raise ValueError(f"W must have shape (..., d + 1, n_classes) = (..., {X.shape[1] + 1}, c), got {W.shape}")
    if y.max() >= W.shape[-1]:
        raise ValueError(f"y has a label {y.max()} but W has only {W.shape[-1]} classes")
    scale = _loss_and_noise_scale(W, _with_ones(X), np.eye(W.shape[-1])[y])[1]
    return float(scale) if scale.ndim == 0 else scale


def _gradient_noise_scale(G: ArrayLike) -> float:
    r"""The simple gradient noise scale :math:`\operatorname{tr}\Sigma / \|\nabla f\|^2` from per-example gradients.

    The tests' reference for :func:`softmax_noise_scale` (private: the lesson's exercise asks
    learners to write it). ``G`` has shape (n, d), one row per example; :math:`\nabla f` is the
    mean row and :math:`\operatorname{tr}\Sigma` the sum of the per-coordinate (population)
    variances. ``inf`` when the mean gradient is exactly 0.

    Examples
    --------
    >>> G = np.array([[1.0, 0.0], [3.0, 2.0]])     # mean (2, 1), variances (1, 1)
    >>> _gradient_noise_scale(G)
    0.4
    >>> _gradient_noise_scale([[1.0], [-1.0]])
    inf
    """
    G = check_array("G", G, ndim=2, dtype_kind="fiu")
    if G.size == 0:
        raise ValueError(f"G must hold at least one example's gradient, got shape {G.shape}")
    g = G.mean(axis=0)
    g_sq = float(g @ g)
    return float(G.var(axis=0).sum() / g_sq) if g_sq > 0 else math.inf
