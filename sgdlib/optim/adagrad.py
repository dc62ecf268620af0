"""AdaGrad: a per-coordinate learning rate from the sum of squared gradients."""

from __future__ import annotations

import numpy as np

from .._checks import check_bool, check_number
from .base import Optimizer, Params

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    r"""AdaGrad (``torch.optim.Adagrad`` semantics).

    .. code-block:: text

        (0) g <- -g                                   if maximize
        (1) g <- g + weight_decay * theta
        (2) lr_t <- lr / (1 + (t - 1) * lr_decay)
        (3) s <- s + g^2                              (s starts at initial_accumulator_value)
        (4) theta <- theta - lr_t * g / (sqrt(s) + eps)

    Parameters
    ----------
    params : list of float arrays, or dict name -> array
        Updated in place.
    lr : float, default 1e-2
    lr_decay : float, default 0
        Inverse-time decay of the learning rate, line (2).
    weight_decay : float, default 0
    initial_accumulator_value : float, default 0
        Starting value of the sum of squares ``s``.
    eps : float, default 1e-10
        Added to ``sqrt(s)`` so the first steps do not divide by zero.
    maximize : bool, default False

    Examples
    --------
    >>> import numpy as np
    >>> w = np.array([1.0, -2.0])
    >>> opt = Adagrad([w], lr=0.5)
    >>> opt.step([np.array([3.0, -0.01])])   # the first step moves every coordinate by ~lr
    >>> w.round(6)
    array([ 0.5, -1.5])
    >>> opt.state[0]["sum"]
    array([9.e+00, 1.e-04])

    References
    ----------
    Duchi, Hazan, Singer, "Adaptive subgradient methods for online learning and stochastic
    optimization", JMLR 12, 2011.
    """

    _hyper_names = ("lr_decay", "weight_decay", "initial_accumulator_value", "eps", "maximize")

    def __init__(
        self,
        params: Params,
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
        maximize: bool = False,
    ):
        self.lr_decay = check_number("lr_decay", lr_decay, low=0.0)
        self.weight_decay = check_number("weight_decay", weight_decay, low=0.0)
        self.initial_accumulator_value = check_number(
            "initial_accumulator_value", initial_accumulator_value, low=0.0
        )
        self.eps = check_number("eps", eps, low=0.0)
        self.maximize = check_bool("maximize", maximize)
        super().__init__(params, lr)

    def _init_state(self, p: np.ndarray) -> dict:
        return {"step": 0, "sum": np.full_like(p, self.initial_accumulator_value)}

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        state["step"] += 1
        t, s = state["step"], state["sum"]
        if self.maximize:
            g = -g                                          # (0)
        if self.weight_decay:
            g = g + self.weight_decay * p                   # (1)
        lr_t = self.lr / (1 + (t - 1) * self.lr_decay)      # (2)
        s += g * g                                          # (3) s <- s + g^2
        std = np.sqrt(s)
        std += self.eps                                     # (4) sqrt(s) + eps
        p -= lr_t * (g / std)                               # (4) theta <- theta - lr_t*g/(...)
