"""RMSprop: divide the step by a running root-mean-square of recent gradients."""

from __future__ import annotations

import numpy as np

from .._checks import check_bool, check_number
from .base import Optimizer, Params, _zeros_if_absent, check_eps

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
        Must be > 0. torch also accepts 0, but then an entry whose gradient has been exactly
        zero so far (a blank border pixel) gets 0/0 = NaN; sgdlib refuses it.
    weight_decay : float, default 0
    momentum : float, default 0
    centered : bool, default False
        Divide by an estimate of the gradient's variance instead of its raw second moment.
    maximize : bool, default False

    Every argument is a plain attribute that may be changed between steps
    (``opt.momentum = 0.9``); a bad value is refused at the next :meth:`step`, before anything
    is updated. ``momentum_buffer`` and ``grad_avg`` start at zero when first used.

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
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered, maximize=maximize))

    def _check_hyperparameters(self) -> None:
        check_number("lr", self.lr, low=0.0)
        check_number("alpha", self.alpha, low=0.0, high=1.0)
        check_eps("eps", self.eps)
        check_number("weight_decay", self.weight_decay, low=0.0)
        check_number("momentum", self.momentum, low=0.0)
        check_bool("centered", self.centered)
        check_bool("maximize", self.maximize)

    def _init_state(self, p: np.ndarray) -> dict:
        state = {"step": 0, "square_avg": np.zeros_like(p)}
        if self.momentum > 0:
            state["momentum_buffer"] = np.zeros_like(p)
        if self.centered:
            state["grad_avg"] = np.zeros_like(p)
        return state

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        """One RMSprop step for one parameter array (torch.optim.RMSprop semantics)."""
        state["step"] += 1
        alpha, v = self.alpha, state["square_avg"]
        if self.maximize:
            g = -g                                               # (0) g <- -g
        if self.weight_decay:
            g = g + self.weight_decay * p                        # (1) g <- g + weight_decay * theta  (g is the caller's: no +=)
        v *= alpha; v += (1 - alpha) * g * g                     # (2) v <- alpha * v + (1 - alpha) * g^2
        if self.centered:
            gbar = _zeros_if_absent(state, "grad_avg", p)        # absent if centered was off until now
            gbar *= alpha; gbar += (1 - alpha) * g               # (3) gbar <- alpha * gbar + (1 - alpha) * g
            d = np.sqrt(v - gbar * gbar) + self.eps              # (4) d <- sqrt(v - gbar^2) + eps
        else:
            d = np.sqrt(v) + self.eps                            # (4) d <- sqrt(v) + eps
        if self.momentum > 0:
            b = _zeros_if_absent(state, "momentum_buffer", p)    # absent if momentum was 0 until now
            b *= self.momentum; b += g / d                       # (5) b <- momentum * b + g / d
            p -= self.lr * b                                     # (6) theta <- theta - lr * b
        else:
            p -= self.lr * g / d                                 # (6) theta <- theta - lr * g / d
