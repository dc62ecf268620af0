"""Adadelta: a step size in the units of the parameters, from two running averages."""

from __future__ import annotations

import numpy as np

from .._checks import check_bool, check_number
from .base import Optimizer, Params, check_eps

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    r"""Adadelta (``torch.optim.Adadelta`` semantics).

    .. code-block:: text

        (0) g <- -g                                          if maximize
        (1) g <- g + weight_decay * theta
        (2) v <- rho * v + (1 - rho) * g^2                   (square_avg)
        (3) delta <- sqrt((u + eps) / (v + eps)) * g         (u is acc_delta)
        (4) u <- rho * u + (1 - rho) * delta^2
        (5) theta <- theta - lr * delta

    The ratio in (3) has the units of ``theta``, which is why Zeiler's paper needs no learning
    rate (torch keeps ``lr``, default 1.0, as a multiplier).

    Parameters
    ----------
    params : list of float arrays, or dict name -> array
        Updated in place.
    lr : float, default 1.0
    rho : float, default 0.9
        Decay of both running averages.
    eps : float, default 1e-6
        Inside both square roots; it sets the size of the very first steps. Must be > 0: torch
        also accepts 0, but then an entry whose gradient has been exactly zero so far (a blank
        border pixel) gets 0/0 = NaN; sgdlib refuses it.
    weight_decay : float, default 0
    maximize : bool, default False

    Every argument is a plain attribute that may be changed between steps; a bad value is
    refused at the next :meth:`step`, before anything is updated.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.array([1.0])
    >>> opt = Adadelta([w])
    >>> opt.step([np.array([1.0])])   # first step ~ sqrt(eps / (1 - rho)) = 0.00316
    >>> (1 - w).round(5)
    array([0.00316])

    References
    ----------
    Zeiler, "ADADELTA: an adaptive learning rate method", arXiv:1212.5701, 2012.
    """

    def __init__(
        self,
        params: Params,
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
        maximize: bool = False,
    ):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize))

    def _check_hyperparameters(self) -> None:
        check_number("lr", self.lr, low=0.0)
        check_number("rho", self.rho, low=0.0, high=1.0)
        check_eps("eps", self.eps)
        check_number("weight_decay", self.weight_decay, low=0.0)
        check_bool("maximize", self.maximize)

    def _init_state(self, p: np.ndarray) -> dict:
        return {"step": 0, "square_avg": np.zeros_like(p), "acc_delta": np.zeros_like(p)}

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        """One Adadelta step for one parameter array (torch.optim.Adadelta semantics)."""
        state["step"] += 1
        rho, v, u = self.rho, state["square_avg"], state["acc_delta"]
        if self.maximize:
            g = -g                                               # (0) g <- -g
        if self.weight_decay:
            g = g + self.weight_decay * p                        # (1) g <- g + weight_decay * theta  (g is the caller's: no +=)
        v *= rho; v += (1 - rho) * g * g                         # (2) v <- rho * v + (1 - rho) * g^2
        delta = np.sqrt((u + self.eps) / (v + self.eps)) * g     # (3) delta <- sqrt((u + eps) / (v + eps)) * g
        u *= rho; u += (1 - rho) * delta * delta                 # (4) u <- rho * u + (1 - rho) * delta^2
        p -= self.lr * delta                                     # (5) theta <- theta - lr * delta
