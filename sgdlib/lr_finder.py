r"""The learning-rate range test (Smith 2017; fastai's ``lr_find``) and its pick.

Train for a few hundred steps while the learning rate grows geometrically from ``start_lr`` to
``end_lr``,

.. math::  \eta_k = \eta_\text{start}\,(\eta_\text{end}/\eta_\text{start})^{k/(K-1)},
           \qquad k = 0, \dots, K-1,

and record the mini-batch loss of each step. At first the rate is too small to matter and the
loss stays flat; then it falls faster and faster; past some rate it rises and blows up. The
useful rates lie on the falling part. :func:`pick_lr` reads one off the curve: it smooths the
noisy losses with a bias-corrected exponential moving average (as Adam corrects :math:`m_t`),

.. math::  a_k = s\,a_{k-1} + (1-s)\,f_k,\ a_{-1} = 0, \qquad \bar f_k = \frac{a_k}{1-s^{k+1}},

finds the rate :math:`\eta_{k^*}` with the lowest smoothed loss, and returns
:math:`\eta_{k^*}/10`: the minimum itself is already on the edge of instability, a tenth of it
is safely on the falling part.

Examples
--------
>>> import numpy as np
>>> lrs = np.geomspace(1e-4, 10.0, 6)
>>> pick_lr(lrs, [2.3, 2.3, 2.2, 1.0, 0.8, 9.0], smoothing=0.0)   # no smoothing: argmin is k = 4
0.1

References
----------
L. N. Smith, "Cyclical learning rates for training neural networks", WACV 2017, section 3.3
("How can one estimate reasonable minimum and maximum boundary values?").
S. Gugger, "How do you find a good learning rate", 2018 (the smoothed loss and the stop rule
that fastai's ``lr_find`` uses).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import check_array, check_int, check_number, check_rng
from .data import DataLoader
from .optim.base import Optimizer

__all__ = ["RangeTest", "lr_range_test", "smoothed_losses", "pick_lr"]


@dataclass
class RangeTest:
    """What :func:`lr_range_test` recorded.

    ``lrs[k]`` is the rate of step ``k`` and ``losses[k]`` the mini-batch loss before that
    step's update; both stop where the test stopped. ``smoothed`` is
    :func:`smoothed_losses` of ``losses`` and ``lr`` the pick, :func:`pick_lr`.
    """

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    lr: float
    stopped_early: bool

    def __repr__(self) -> str:
        end = "stopped early" if self.stopped_early else "ran to end_lr"
        return (f"RangeTest({len(self.lrs)} steps from lr={self.lrs[0]:.3g} to {self.lrs[-1]:.3g}, "
                f"{end}; pick lr={self.lr:.3g})")


def smoothed_losses(losses: ArrayLike, smoothing: float = 0.98) -> np.ndarray:
    """The bias-corrected exponential moving average of ``losses`` (see the module).

    Examples
    --------
    >>> smoothed_losses([1.0, 3.0], smoothing=0.5)   # (0.5) / 0.5, (0.25 + 1.5) / 0.75
    array([1.        , 2.33333333])
    """
    losses = check_array("losses", losses, ndim=1, dtype_kind="fiu", finite=False, min_len=1).astype(float)
    s = check_number("smoothing", smoothing, low=0.0, high=1.0, high_open=True)
    out = np.empty_like(losses)
    avg = 0.0
    with np.errstate(invalid="ignore", over="ignore"):     # a diverged run: inf or NaN from there on
        for k, loss in enumerate(losses):
            avg = s * avg + (1 - s) * loss
            out[k] = avg / (1 - s ** (k + 1))
    return out


def pick_lr(lrs: ArrayLike, losses: ArrayLike, smoothing: float = 0.98) -> float:
    """The range test's pick: a tenth of the rate at which the smoothed loss is lowest.

    Parameters
    ----------
    lrs, losses : 1-D arrays of the same length
        The rates of a range test and the loss recorded at each.
    smoothing : float in [0, 1), default 0.98
        ``s`` of the moving average (0: no smoothing).

    Returns
    -------
    float
        ``lrs[argmin(smoothed)] / 10``; the first minimum wins a tie. A loss that is NaN or inf
        (the run diverged) makes every smoothed value from there on NaN or inf, so the pick
        comes from the steps before it.

    Examples
    --------
    >>> import numpy as np
    >>> lrs = np.geomspace(1e-3, 1.0, 4)                  # 0.001, 0.01, 0.1, 1
    >>> round(pick_lr(lrs, [2.0, 1.0, 0.5, 4.0], smoothing=0.0), 6)
    0.01
    """
    lrs = check_array("lrs", lrs, ndim=1, dtype_kind="fiu", min_len=1).astype(float)
    losses = check_array("losses", losses, ndim=1, dtype_kind="fiu", finite=False)
    if len(losses) != len(lrs):
        raise ValueError(f"lrs and losses must have the same length, got {len(lrs)} and {len(losses)}")
    if not (lrs > 0).all():
        raise ValueError(f"lrs must all be > 0 (learning rates), got {lrs.min()}")
    smooth = smoothed_losses(losses, smoothing)
    if not np.isfinite(smooth).any():
        raise ValueError("losses has no finite value to pick from")
    k = int(np.argmin(np.where(np.isfinite(smooth), smooth, np.inf)))
    return float(lrs[k] / 10)


def lr_range_test(
    model,
    optimizer: Optimizer | Callable[[dict], Optimizer],
    X: ArrayLike,
    y: ArrayLike,
    *,
    start_lr: float = 1e-5,
    end_lr: float = 10.0,
    n_steps: int = 100,
    batch_size: int = 32,
    rng: np.random.Generator | int,
    smoothing: float = 0.98,
    stop_factor: float = 4.0,
    restore: bool = True,
) -> RangeTest:
    """Run the learning-rate range test on ``model`` (see the module).

    Parameters
    ----------
    model : an sgdlib model
        Anything with ``params`` and ``loss_and_grads(X, y)``.
    optimizer : Optimizer, or callable params -> Optimizer
        Built on ``model.params`` (e.g. ``SGD(model.params, lr=0.1, momentum=0.9)``), or a
        function that builds one (``lambda params: Adam(params)``); its ``lr`` is overwritten
        at every step.
    X, y : arrays
        Training data; the test cycles through shuffled mini-batches of it.
    start_lr, end_lr : float
        The first and the last rate, ``0 < start_lr < end_lr``.
    n_steps : int
        Steps from ``start_lr`` to ``end_lr`` (>= 2), one mini-batch each.
    batch_size : int
    rng : numpy.random.Generator or int
        Source of the shuffles.
    smoothing : float, default 0.98
        ``s`` of the moving average used by the stop rule and the pick.
    stop_factor : float, default 4.0
        Stop once the smoothed loss exceeds ``stop_factor`` times its lowest value so far (the
        loss is blowing up; fastai's rule), or once a loss is not finite (that step is not
        recorded).
    restore : bool, default True
        Put the model's parameters back as they were before the test (in place), so that real
        training starts from the same point. The optimizer's state is not reset: build a fresh
        optimizer for training.

    Returns
    -------
    RangeTest
        The rates, the losses, the smoothed losses and the pick.

    Examples
    --------
    >>> import numpy as np
    >>> from sgdlib.data import digits_split
    >>> from sgdlib.models import SoftmaxRegression
    >>> from sgdlib.optim import SGD
    >>> X, _, y, _ = digits_split()
    >>> model = SoftmaxRegression(64, 10)
    >>> test = lr_range_test(model, lambda p: SGD(p, lr=0.0), X, y, start_lr=1e-3, end_lr=1e3,
    ...                      n_steps=120, batch_size=32, rng=0)
    >>> 0.01 < test.lr < 10.0, test.stopped_early, float(np.abs(model.params["W"]).max())
    (True, True, 0.0)
    """
    start_lr = check_number("start_lr", start_lr, low=0.0, low_open=True)
    end_lr = check_number("end_lr", end_lr, low=start_lr, low_open=True)
    n_steps = check_int("n_steps", n_steps, low=2)
    stop_factor = check_number("stop_factor", stop_factor, low=1.0, low_open=True)
    s = check_number("smoothing", smoothing, low=0.0, high=1.0, high_open=True)
    rng = check_rng("rng", rng)
    if not isinstance(restore, bool):
        raise TypeError(f"restore must be True or False, got {restore!r}")
    if not isinstance(optimizer, Optimizer):
        if not callable(optimizer):
            raise TypeError("optimizer must be an sgdlib optimizer or a function params -> optimizer, "
                            f"got {type(optimizer).__name__}")
        optimizer = optimizer(model.params)
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"the optimizer factory must return an sgdlib optimizer, got {type(optimizer).__name__}")
    if any(p is not q for p, q in zip(optimizer.params, model.params.values())) or \
            len(optimizer.params) != len(model.params):
        raise ValueError("optimizer must be built on model.params, e.g. SGD(model.params, lr=0.1)")
    loader = DataLoader(X, y, batch_size=batch_size, rng=rng)
    saved = {k: p.copy() for k, p in model.params.items()} if restore else None
    lrs = start_lr * (end_lr / start_lr) ** (np.arange(n_steps) / (n_steps - 1))
    losses, smooth = [], []
    avg, best, stopped = 0.0, math.inf, False
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            while len(losses) < n_steps and not stopped:
                for Xb, yb in loader:
                    k = len(losses)
                    optimizer.lr = float(lrs[k])
                    loss, grads = model.loss_and_grads(Xb, yb)
                    if not math.isfinite(loss) or not all(np.isfinite(g).all() for g in grads.values()):
                        stopped = True
                        break
                    losses.append(loss)
                    avg = s * avg + (1 - s) * loss
                    smooth.append(avg / (1 - s ** (k + 1)))
                    best = min(best, smooth[-1])
                    if smooth[-1] > stop_factor * best:
                        stopped = True
                        break
                    optimizer.step(grads)
                    if len(losses) == n_steps:
                        break
    finally:
        if saved is not None:
            for k, p in model.params.items():
                p[...] = saved[k]
    if not losses:
        raise ValueError(f"the loss was not finite at the first step (lr={start_lr:g}); "
                         "check the model and the data")
    n = len(losses)
    lrs, losses = lrs[:n], np.array(losses)
    return RangeTest(lrs=lrs, losses=losses, smoothed=np.array(smooth), lr=pick_lr(lrs, losses, s),
                     stopped_early=stopped)
