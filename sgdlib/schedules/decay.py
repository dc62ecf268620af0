"""Schedules that shrink the learning rate by a formula in ``t``: constant, step, exponential,
inverse-time and polynomial decay."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import check_int, check_number
from .base import Schedule

__all__ = ["Constant", "StepDecay", "Exponential", "InverseTime", "Polynomial"]


@dataclass(frozen=True)
class Constant(Schedule):
    """The same learning rate at every step: ``lr_t = lr``.

    Examples
    --------
    >>> Constant(0.1)(1000)
    0.1
    """

    lr: float

    def __post_init__(self):
        check_number("lr", self.lr, low=0.0)

    def _lr(self, t):
        return np.full_like(t, self.lr)


@dataclass(frozen=True)
class StepDecay(Schedule):
    r"""Multiply the learning rate by ``gamma`` every ``step_size`` steps (torch ``StepLR``).

    .. math:: \eta_t = \eta_0 \, \gamma^{\lfloor t / s \rfloor}

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\eta_0`, >= 0.
    step_size : int
        Number of steps :math:`s` between two decays, >= 1.
    gamma : float, default 0.1
        Factor of each decay, > 0.

    Examples
    --------
    >>> s = StepDecay(lr=0.1, step_size=10, gamma=0.5)
    >>> s(9), s(10), s(25)
    (0.1, 0.05, 0.025)
    """

    lr: float
    step_size: int
    gamma: float = 0.1

    def __post_init__(self):
        check_number("lr", self.lr, low=0.0)
        check_int("step_size", self.step_size, low=1)
        check_number("gamma", self.gamma, low=0.0, low_open=True)

    def _lr(self, t):
        return self.lr * self.gamma ** np.floor(t / self.step_size)


@dataclass(frozen=True)
class Exponential(Schedule):
    r"""Multiply the learning rate by ``gamma`` at every step (torch ``ExponentialLR``).

    .. math:: \eta_t = \eta_0 \, \gamma^t

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\eta_0`, >= 0.
    gamma : float
        Factor per step, > 0 (below 1 to decay; above 1 grows, as in a learning-rate range test).

    Examples
    --------
    >>> Exponential(lr=1.0, gamma=0.5)(3)
    0.125
    """

    lr: float
    gamma: float

    def __post_init__(self):
        check_number("lr", self.lr, low=0.0)
        check_number("gamma", self.gamma, low=0.0, low_open=True)

    def _lr(self, t):
        return self.lr * self.gamma**t


@dataclass(frozen=True)
class InverseTime(Schedule):
    r"""The classic ``1/t`` decay of stochastic approximation.

    .. math:: \eta_t = \frac{\eta_0}{1 + d\,t}

    Step sizes like this (their sum diverges, the sum of their squares converges) are the
    Robbins-Monro conditions under which SGD converges. ``Adagrad(lr_decay=d)`` uses the same
    factor: its learning rate at its ``t``-th step (counting from 1) is ``InverseTime(lr, d)(t - 1)``.

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\eta_0`, >= 0.
    decay : float
        Decay rate :math:`d`, >= 0: the learning rate halves at ``t = 1/d``.

    Examples
    --------
    >>> s = InverseTime(lr=0.1, decay=0.01)
    >>> s(0), s(100), s(300)
    (0.1, 0.05, 0.025)

    References
    ----------
    Robbins and Monro, "A stochastic approximation method", Ann. Math. Statist. 22, 1951.
    """

    lr: float
    decay: float

    def __post_init__(self):
        check_number("lr", self.lr, low=0.0)
        check_number("decay", self.decay, low=0.0)

    def _lr(self, t):
        return self.lr / (1.0 + self.decay * t)


@dataclass(frozen=True)
class Polynomial(Schedule):
    r"""Decay polynomially to zero in ``total_iters`` steps, then stay at zero (torch ``PolynomialLR``).

    .. math:: \eta_t = \eta_0 \left(1 - \frac{\min(t, T)}{T}\right)^p

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\eta_0`, >= 0.
    total_iters : int
        Number of steps :math:`T` to reach zero, >= 1.
    power : float, default 1.0
        The exponent :math:`p` > 0 (1 is a straight line).

    Examples
    --------
    >>> s = Polynomial(lr=0.1, total_iters=10, power=2.0)
    >>> s(0), s(5), s(10), s(20)
    (0.1, 0.025, 0.0, 0.0)
    """

    lr: float
    total_iters: int
    power: float = 1.0

    def __post_init__(self):
        check_number("lr", self.lr, low=0.0)
        check_int("total_iters", self.total_iters, low=1)
        check_number("power", self.power, low=0.0, low_open=True)

    def _lr(self, t):
        return self.lr * (1.0 - np.minimum(t, self.total_iters) / self.total_iters) ** self.power
