"""Stochastic gradient descent, with optional momentum and Nesterov momentum."""

from __future__ import annotations

import numpy as np

from .._checks import check_bool, check_number
from .base import Optimizer, Params

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Stochastic gradient descent (``torch.optim.SGD`` semantics).

    For each parameter :math:`\theta` with gradient :math:`g`, at step :math:`t`:

    .. code-block:: text

        (0) g <- -g                              if maximize
        (1) g <- g + weight_decay * theta        (L2 penalty folded into the gradient)
        (2) b <- g                               at the first step, else
            b <- momentum * b + (1 - dampening) * g
        (3) g <- g + momentum * b                if nesterov, else  g <- b
        (4) theta <- theta - lr * g

    Lines (2) and (3) only run when ``momentum > 0``.

    Parameters
    ----------
    params : list of float arrays, or dict name -> array
        Updated in place.
    lr : float, default 1e-3
        Learning rate :math:`\eta`.
    momentum : float, default 0
        Momentum coefficient :math:`\beta` (heavy ball, Polyak 1964); the course writes
        :math:`\beta`, not :math:`\mu`, which is the smallest Hessian eigenvalue.
    dampening : float, default 0
        Dampening of the gradient added to the buffer.
    weight_decay : float, default 0
        L2 penalty coefficient.
    nesterov : bool, default False
        Nesterov momentum (Sutskever et al. 2013 form); needs ``momentum > 0`` and
        ``dampening == 0`` (checked at construction and at every step, since either may be
        changed in between).
    maximize : bool, default False
        Ascend instead of descend.

    Every argument is a plain attribute that may be changed between steps
    (``opt.momentum = 0.9``); a bad value is refused at the next :meth:`step`, before anything is
    updated. The momentum buffer is created at the first step that uses it.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.array([1.0, -2.0])
    >>> opt = SGD([w], lr=0.1, momentum=0.9)
    >>> opt.step([2 * w])            # gradient of |w|^2
    >>> w
    array([ 0.8, -1.6])
    >>> opt.state[0]["momentum_buffer"]
    array([ 2., -4.])

    References
    ----------
    Polyak, "Some methods of speeding up the convergence of iteration methods", 1964.
    Sutskever, Martens, Dahl, Hinton, "On the importance of initialization and momentum in
    deep learning", ICML 2013.
    """

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        maximize: bool = False,
    ):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov, maximize=maximize))

    def _check_hyperparameters(self) -> None:
        check_number("lr", self.lr, low=0.0)
        check_number("momentum", self.momentum, low=0.0)
        check_number("dampening", self.dampening)
        check_number("weight_decay", self.weight_decay, low=0.0)
        check_bool("nesterov", self.nesterov)
        check_bool("maximize", self.maximize)
        if self.nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError(
                f"nesterov=True needs momentum > 0 and dampening == 0, got momentum={self.momentum:g} "
                f"and dampening={self.dampening:g}"
            )

    def _init_state(self, p: np.ndarray) -> dict:
        # Like torch, the buffer is created at the first step, as a copy of the gradient.
        return {"momentum_buffer": None} if self.momentum else {}

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        """One SGD step for one parameter array (torch.optim.SGD semantics)."""
        if self.maximize:
            g = -g                                               # (0) g <- -g
        if self.weight_decay:
            g = g + self.weight_decay * p                        # (1) g <- g + weight_decay * theta  (g is the caller's: no +=)
        if self.momentum:
            b = state.get("momentum_buffer")                     # None until a step with momentum > 0
            if b is None:
                b = state["momentum_buffer"] = g.copy()          # (2) b <- g  at the first step
            else:
                b *= self.momentum; b += (1 - self.dampening) * g  # (2) b <- momentum * b + (1 - dampening) * g
            if self.nesterov:
                g = g + self.momentum * b                        # (3) g <- g + momentum * b
            else:
                g = b                                            # (3) g <- b
        p -= self.lr * g                                         # (4) theta <- theta - lr * g
