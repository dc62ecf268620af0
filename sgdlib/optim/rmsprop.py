"""RMSprop: divide the step by a running root-mean-square of recent gradients."""

from __future__ import annotations

import numpy as np

from .._checks import check_bool, check_number
from .base import Optimizer, Params

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""RMSprop (``torch.optim.RMSprop`` semantics).

    .. code-block:: text

        (0) g <- -g                                        if maximize
        (1) g <- g + weight_decay * theta
        (2) v <- alpha * v + (1 - alpha) * g^2
        (3) gbar <- alpha * gbar + (1 - alpha) * g         if centered
        (4) d <- sqrt(v - gbar^2) + eps   if centered, else  d <- sqrt(v) + eps
        (5) b <- momentum * b + g / d                      if momentum > 0 (b starts at 0)
        (6) theta <- theta - lr * b       if momentum > 0, else  theta <- theta - lr * g / d

    ``eps`` is added **outside** the square root, as in torch (TensorFlow puts it inside).

    Parameters
    ----------
    params : list of float arrays, or dict name -> array
        Updated in place.
    lr : float, default 1e-2
    alpha : float, default 0.99
        Smoothing constant of the running average of squared gradients.
    eps : float, default 1e-8
    weight_decay : float, default 0
    momentum : float, default 0
    centered : bool, default False
        Divide by an estimate of the gradient's variance instead of its raw second moment.
    maximize : bool, default False

    Examples
    --------
    >>> import numpy as np
    >>> w = np.array([1.0])
    >>> opt = RMSprop([w], lr=0.01, alpha=0.99)
    >>> opt.step([np.array([2.0])])          # v = 0.01*4, step = 0.01 * 2/0.2
    >>> w.round(8)
    array([0.9])

    References
    ----------
    Tieleman and Hinton, Lecture 6.5 of "Neural Networks for Machine Learning", Coursera, 2012.
    Graves, "Generating sequences with recurrent neural networks", arXiv:1308.0850, 2013
    (the centered variant).
    """

    _hyper_names = ("alpha", "eps", "weight_decay", "momentum", "centered", "maximize")

    def __init__(
        self,
        params: Params,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        maximize: bool = False,
    ):
        self.alpha = check_number("alpha", alpha, low=0.0, high=1.0)
        self.eps = check_number("eps", eps, low=0.0)
        self.weight_decay = check_number("weight_decay", weight_decay, low=0.0)
        self.momentum = check_number("momentum", momentum, low=0.0)
        self.centered = check_bool("centered", centered)
        self.maximize = check_bool("maximize", maximize)
        super().__init__(params, lr)

    def _init_state(self, p: np.ndarray) -> dict:
        state = {"step": 0, "square_avg": np.zeros_like(p)}
        if self.momentum > 0:
            state["momentum_buffer"] = np.zeros_like(p)
        if self.centered:
            state["grad_avg"] = np.zeros_like(p)
        return state

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        state["step"] += 1
        alpha, v = self.alpha, state["square_avg"]
        if self.maximize:
            g = -g                                          # (0)
        if self.weight_decay:
            g = g + self.weight_decay * p                   # (1)
        s = self._scratch(p)  # work array reused every step: no allocation below
        v *= alpha
        g2 = np.multiply(g, g, out=s)
        g2 *= 1 - alpha
        v += g2                                             # (2) v <- a*v + (1-a)*g^2
        if self.centered:
            gbar = state["grad_avg"]
            pull = np.subtract(g, gbar, out=s)
            pull *= 1 - alpha
            gbar += pull                                    # (3) gbar <- a*gbar + (1-a)*g
            d = np.multiply(gbar, gbar, out=s)
            np.subtract(v, d, out=d)
            np.sqrt(d, out=d)                               # (4) sqrt(v - gbar^2) ...
        else:
            d = np.sqrt(v, out=s)                           # (4) sqrt(v) ...
        d += self.eps                                       # (4) ... + eps
        if self.momentum > 0:
            b = state["momentum_buffer"]
            b *= self.momentum
            b += np.divide(g, d, out=s)                     # (5) b <- momentum*b + g/d
            p -= np.multiply(b, self.lr, out=s)             # (6) theta <- theta - lr*b
        else:
            step = np.divide(g, d, out=s)
            step *= self.lr
            p -= step                                       # (6) theta <- theta - lr*g/d
