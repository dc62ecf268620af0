"""Cosine annealing, alone or after a linear warm-up."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._checks import check_int, check_number
from .base import Schedule

__all__ = ["CosineAnnealing", "WarmupCosine"]


@dataclass(frozen=True)
class CosineAnnealing(Schedule):
    r"""Half a cosine from ``lr`` down to ``eta_min`` in ``T_max`` steps (torch ``CosineAnnealingLR``).

    .. math:: \eta_t = \eta_{min} + (\eta_0 - \eta_{min})\,\frac{1 + \cos(\pi t / T)}{2}

    Like torch's scheduler, the formula keeps going after ``T_max``: the learning rate climbs
    back to ``lr`` at ``2 T_max`` (a warm restart in slow motion). Stop training at ``T_max``,
    or use :class:`WarmupCosine` / :class:`OneCycle`, if you do not want that.

    Parameters
    ----------
    lr : float
        Initial (largest) learning rate :math:`\eta_0`, >= 0.
    T_max : int
        Number of steps :math:`T` of the half period, >= 1.
    eta_min : float, default 0.0
        Learning rate reached at ``T_max``, >= 0.

    Examples
    --------
    >>> s = CosineAnnealing(lr=1.0, T_max=4, eta_min=0.0)
    >>> [round(s(t), 4) for t in range(5)]
    [1.0, 0.8536, 0.5, 0.1464, 0.0]

    References
    ----------
    Loshchilov and Hutter, "SGDR: stochastic gradient descent with warm restarts", ICLR 2017,
    eq. (5).
    """

    lr: float
    T_max: int
    eta_min: float = 0.0

    def __post_init__(self):
        check_number("lr", self.lr, low=0.0)
        check_int("T_max", self.T_max, low=1)
        check_number("eta_min", self.eta_min, low=0.0)

    def _lr(self, t):
        return self.eta_min + (self.lr - self.eta_min) * (1.0 + np.cos(math.pi * t / self.T_max)) / 2.0


@dataclass(frozen=True)
class WarmupCosine(Schedule):
    r"""A linear warm-up over ``warmup_steps`` steps, then cosine annealing over ``T_max`` steps.

    .. math::

        \eta_t = \begin{cases}
            \eta_0 \left(f + (1 - f)\,\dfrac{t}{W}\right) & t < W \\[1ex]
            \eta_{min} + (\eta_0 - \eta_{min})\,\dfrac{1 + \cos(\pi (t - W) / T)}{2} & t \ge W
        \end{cases}

    This is torch's ``SequentialLR([LinearLR(start_factor=f, total_iters=W),
    CosineAnnealingLR(T_max=T, eta_min=eta_min)], milestones=[W])``. Starting small lets the
    adaptive statistics (Adam's ``v``) settle before the large steps come.

    Parameters
    ----------
    lr : float
        Peak learning rate :math:`\eta_0`, reached at step ``warmup_steps``, >= 0.
    warmup_steps : int
        Length :math:`W` of the warm-up, >= 0 (0: no warm-up).
    T_max : int
        Length :math:`T` of the cosine part, >= 1; it ends at step ``warmup_steps + T_max``.
    start_factor : float, default 0.01
        The warm-up starts at ``start_factor * lr``; in (0, 1].
    eta_min : float, default 0.0
        Learning rate at the end of the cosine, >= 0.

    Examples
    --------
    >>> s = WarmupCosine(lr=0.1, warmup_steps=10, T_max=90, start_factor=0.1)
    >>> s(0), s(5), s(10), s(55), s(100)
    (0.01, 0.055, 0.1, 0.05, 0.0)

    References
    ----------
    Goyal et al., "Accurate, large minibatch SGD: training ImageNet in 1 hour", 2017, sec. 2.2.
    """

    lr: float
    warmup_steps: int
    T_max: int
    start_factor: float = 0.01
    eta_min: float = 0.0

    def __post_init__(self):
        check_number("lr", self.lr, low=0.0)
        check_int("warmup_steps", self.warmup_steps, low=0)
        check_int("T_max", self.T_max, low=1)
        check_number("start_factor", self.start_factor, low=0.0, high=1.0, low_open=True)
        check_number("eta_min", self.eta_min, low=0.0)

    def _lr(self, t):
        w = self.warmup_steps
        warm = self.lr * (self.start_factor + (1.0 - self.start_factor) * t / max(w, 1))
        cos = CosineAnnealing(self.lr, self.T_max, self.eta_min)._lr(t - w)
        return np.where(t < w, warm, cos)
