"""AdaGrad: a per-coordinate learning rate from the sum of squared gradients."""

from __future__ import annotations

import numpy as np

from .._checks import check_bool, check_number
from .base import Optimizer, Params, check_eps

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
        Added to ``sqrt(s)`` so the first steps do not divide by zero. Must be > 0: torch also
        accepts 0, but then an entry whose gradient has been exactly zero so far (a blank border
        pixel) gets 0/0 = NaN; sgdlib refuses it.
    maximize : bool, default False

    Every argument is a plain attribute that may be changed between steps; a bad value is
    refused at the next :meth:`step`, before anything is updated. ``initial_accumulator_value``
    only matters at construction, when ``s`` is created.

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
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value, eps=eps,
                                      maximize=maximize))

    def _check_hyperparameters(self) -> None:
        check_number("lr", self.lr, low=0.0)
        check_number("lr_decay", self.lr_decay, low=0.0)
        check_number("weight_decay", self.weight_decay, low=0.0)
        check_number("initial_accumulator_value", self.initial_accumulator_value, low=0.0)
        check_eps("eps", self.eps)
        check_bool("maximize", self.maximize)

    def _init_state(self, p: np.ndarray) -> dict:
        return {"step": 0, "sum": np.full_like(p, self.initial_accumulator_value)}

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        """One AdaGrad step for one parameter array (torch.optim.Adagrad semantics)."""
        state["step"] += 1
        t, s = state["step"], state["sum"]
        if self.maximize:
            g = -g                                               # (0) g <- -g
        if self.weight_decay:
            g = g + self.weight_decay * p                        # (1) g <- g + weight_decay * theta  (g is the caller's: no +=)
        lr_t = self.lr / (1 + (t - 1) * self.lr_decay)           # (2) lr_t <- lr / (1 + (t - 1) * lr_decay)
        s += g * g                                               # (3) s <- s + g^2
        p -= lr_t * g / (np.sqrt(s) + self.eps)                  # (4) theta <- theta - lr_t * g / (sqrt(s) + eps)
