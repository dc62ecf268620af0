"""Adadelta: a step size in the units of the parameters, from two running averages."""

from __future__ import annotations

from functools import partial

import numpy as np

from .._checks import check_bool, check_number
from .base import Hyperparameter, Optimizer, Params, check_eps

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    r"""Adadelta (``torch.optim.Adadelta`` semantics).

    .. code-block:: text

        (0) g <- -g                                          if maximize
        (1) g <- g + weight_decay * theta
        (2) v <- rho * v + (1 - rho) * g^2                   (square_avg)
        (3) delta <- sqrt(u + eps) / sqrt(v + eps) * g       (u is acc_delta)
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

    Every argument is an attribute that may be changed between steps and is checked when set.

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

    _hyper_names = ("rho", "eps", "weight_decay", "maximize")
    rho = Hyperparameter(partial(check_number, low=0.0, high=1.0))
    eps = Hyperparameter(check_eps)
    weight_decay = Hyperparameter(partial(check_number, low=0.0))
    maximize = Hyperparameter(check_bool)

    def __init__(
        self,
        params: Params,
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
        maximize: bool = False,
    ):
        self.rho = rho
        self.eps = eps
        self.weight_decay = weight_decay
        self.maximize = maximize
        super().__init__(params, lr)

    def _init_state(self, p: np.ndarray) -> dict:
        return {"step": 0, "square_avg": np.zeros_like(p), "acc_delta": np.zeros_like(p)}

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        # `work`, `work2`: arrays per parameter, reused at every step: the update allocates nothing.
        work, work2 = self._scratch(p), self._scratch(p, 1)
        state["step"] += 1
        rho, v, u = self.rho, state["square_avg"], state["acc_delta"]
        if self.maximize:
            g = -g                                               # (0) g <- -g
        if self.weight_decay:
            g = g + self.weight_decay * p                        # (1) g <- g + wd*theta
        g_squared = np.multiply(g, g, out=work)
        g_squared *= 1 - rho
        v *= rho
        v += g_squared                                           # (2) v <- rho*v + (1-rho)*g^2
        rms_g = np.sqrt(np.add(v, self.eps, out=work2), out=work2)
        delta = np.sqrt(np.add(u, self.eps, out=work), out=work)
        delta /= rms_g
        delta *= g                                               # (3) delta <- sqrt(u+eps)/sqrt(v+eps)*g
        delta_squared = np.multiply(delta, delta, out=work2)
        delta_squared *= 1 - rho
        u *= rho
        u += delta_squared                                       # (4) u <- rho*u + (1-rho)*delta^2
        delta *= self.lr
        p -= delta                                               # (5) theta <- theta - lr*delta
