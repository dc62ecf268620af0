"""RMSprop: divide the step by a running root-mean-square of recent gradients."""

from __future__ import annotations

from functools import partial

import numpy as np

from .._checks import check_bool, check_number
from .base import Hyperparameter, Optimizer, Params, _zeros_if_absent, check_eps

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""RMSprop (``torch.optim.RMSprop`` semantics).

    .. code-block:: text

        (0) g <- -g                                        if maximize
        (1) g <- g + weight_decay * theta
        (2) v <- alpha * v + (1 - alpha) * g^2
        (3) gbar <- alpha * gbar + (1 - alpha) * g         if centered (gbar += (1 - alpha)*(g - gbar))
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
        Must be > 0. torch also accepts 0, but then an entry whose gradient has been exactly
        zero so far (a blank border pixel) gets 0/0 = NaN; sgdlib refuses it.
    weight_decay : float, default 0
    momentum : float, default 0
    centered : bool, default False
        Divide by an estimate of the gradient's variance instead of its raw second moment.
    maximize : bool, default False

    Every argument is an attribute that may be changed between steps and is checked when set
    (``opt.momentum = 0.9``); ``momentum_buffer`` and ``grad_avg`` start at zero when first used.

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
    alpha = Hyperparameter(partial(check_number, low=0.0, high=1.0))
    eps = Hyperparameter(check_eps)
    weight_decay = Hyperparameter(partial(check_number, low=0.0))
    momentum = Hyperparameter(partial(check_number, low=0.0))
    centered = Hyperparameter(check_bool)
    maximize = Hyperparameter(check_bool)

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
        self.alpha = alpha
        self.eps = eps
        self.weight_decay = weight_decay
        self.momentum = momentum
        self.centered = centered
        self.maximize = maximize
        super().__init__(params, lr)

    def _init_state(self, p: np.ndarray) -> dict:
        state = {"step": 0, "square_avg": np.zeros_like(p)}
        if self.momentum > 0:
            state["momentum_buffer"] = np.zeros_like(p)
        if self.centered:
            state["grad_avg"] = np.zeros_like(p)
        return state

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        # `work` is one array per parameter, reused at every step: the update allocates nothing.
        work = self._scratch(p)
        state["step"] += 1
        alpha, v = self.alpha, state["square_avg"]
        if self.maximize:
            g = -g                                               # (0) g <- -g
        if self.weight_decay:
            g = g + self.weight_decay * p                        # (1) g <- g + wd*theta
        g_squared = np.multiply(g, g, out=work)
        g_squared *= 1 - alpha
        v *= alpha
        v += g_squared                                           # (2) v <- a*v + (1-a)*g^2
        if self.centered:
            gbar = _zeros_if_absent(state, "grad_avg", p)        # absent if centered was off until now
            gap = np.subtract(g, gbar, out=work)
            gap *= 1 - alpha
            gbar += gap                                          # (3) gbar <- gbar + (1-a)*(g - gbar), as torch's lerp
            gbar_squared = np.multiply(gbar, gbar, out=work)
            variance = np.subtract(v, gbar_squared, out=work)
            denom = np.sqrt(variance, out=work)                  # (4) d <- sqrt(v - gbar^2) ...
        else:
            denom = np.sqrt(v, out=work)                         # (4) d <- sqrt(v) ...
        denom += self.eps                                        # (4) ... + eps
        if self.momentum > 0:
            b = _zeros_if_absent(state, "momentum_buffer", p)    # absent if momentum was 0 until now
            b *= self.momentum
            b += np.divide(g, denom, out=work)                   # (5) b <- momentum*b + g/d
            lr_b = np.multiply(b, self.lr, out=work)
            p -= lr_b                                            # (6) theta <- theta - lr*b
        else:
            lr_g_over_d = np.divide(g, denom, out=work)
            lr_g_over_d *= self.lr
            p -= lr_g_over_d                                     # (6) theta <- theta - lr*g/d
