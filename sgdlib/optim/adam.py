"""Adam and AdamW: momentum on the gradient, divided by a running RMS, bias-corrected."""

from __future__ import annotations

import math

import numpy as np

from .._checks import check_betas, check_bool, check_number
from .base import Optimizer, Params

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    r"""Adam, with optional AMSGrad (``torch.optim.Adam`` semantics).

    .. code-block:: text

        (0) g <- -g                                      if maximize
        (1) g <- g + weight_decay * theta                (L2 penalty; AdamW decays theta instead)
        (2) m <- beta1 * m + (1 - beta1) * g             (exp_avg)
        (3) v <- beta2 * v + (1 - beta2) * g^2           (exp_avg_sq)
        (4) vmax <- max(vmax, v)                         if amsgrad; then use vmax for v below
        (5) d <- sqrt(v) / sqrt(1 - beta2^t) + eps       (eps after the bias correction)
        (6) theta <- theta - lr / (1 - beta1^t) * m / d

    Lines (5) and (6) are the textbook ``m_hat / (sqrt(v_hat) + eps)`` with the two bias
    corrections moved onto scalars, exactly as torch computes them.

    Parameters
    ----------
    params : list of float arrays, or dict name -> array
        Updated in place.
    lr : float, default 1e-3
    betas : (float, float), default (0.9, 0.999)
        Decay rates of the first and second moment estimates, each in [0, 1).
    eps : float, default 1e-8
    weight_decay : float, default 0
    amsgrad : bool, default False
        Use the running maximum of ``v`` (Reddi et al. 2018). The maximum is taken over the
        uncorrected ``v``, as torch does.
    maximize : bool, default False

    Examples
    --------
    >>> import numpy as np
    >>> w = np.array([1.0, -1.0])
    >>> opt = Adam([w], lr=0.1)
    >>> opt.step([np.array([5.0, -0.001])])  # the first step is ~lr * sign(g), whatever |g|
    >>> w.round(4)
    array([ 0.9, -0.9])

    References
    ----------
    Kingma and Ba, "Adam: a method for stochastic optimization", ICLR 2015, Algorithm 1.
    Reddi, Kale, Kumar, "On the convergence of Adam and beyond", ICLR 2018 (AMSGrad).
    """

    _hyper_names = ("betas", "eps", "weight_decay", "amsgrad", "maximize")
    _decoupled = False

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        maximize: bool = False,
    ):
        self.betas = check_betas("betas", betas)
        self.eps = check_number("eps", eps, low=0.0)
        self.weight_decay = check_number("weight_decay", weight_decay, low=0.0)
        self.amsgrad = check_bool("amsgrad", amsgrad)
        self.maximize = check_bool("maximize", maximize)
        super().__init__(params, lr)

    def _init_state(self, p: np.ndarray) -> dict:
        state = {"step": 0, "exp_avg": np.zeros_like(p), "exp_avg_sq": np.zeros_like(p)}
        if self.amsgrad:
            state["max_exp_avg_sq"] = np.zeros_like(p)
        return state

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        beta1, beta2 = self.betas
        state["step"] += 1
        t, m, v = state["step"], state["exp_avg"], state["exp_avg_sq"]
        if self.maximize:
            g = -g                                          # (0)
        if self.weight_decay:
            if self._decoupled:
                p *= 1 - self.lr * self.weight_decay        # (1') AdamW: theta <- (1 - lr*wd)*theta
            else:
                g = g + self.weight_decay * p               # (1) Adam: g <- g + wd*theta
        s = self._scratch(p)  # work array reused every step: no allocation below
        m *= beta1
        m += np.multiply(g, 1 - beta1, out=s)               # (2) m <- b1*m + (1-b1)*g
        v *= beta2
        g2 = np.multiply(g, g, out=s)
        g2 *= 1 - beta2
        v += g2                                             # (3) v <- b2*v + (1-b2)*g^2
        if self.amsgrad:
            v = np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])  # (4)
        d = np.sqrt(v, out=s)
        d /= math.sqrt(1 - beta2**t)
        d += self.eps                                       # (5) d <- sqrt(v_hat) + eps
        step = np.divide(m, d, out=s)
        step *= self.lr / (1 - beta1**t)
        p -= step                                           # (6) theta <- theta - lr*m_hat/d


class AdamW(Adam):
    r"""Adam with decoupled weight decay (``torch.optim.AdamW`` semantics).

    Identical to :class:`Adam` except line (1): instead of adding ``weight_decay * theta`` to
    the gradient (where Adam's division by ``sqrt(v)`` would rescale it), the parameters shrink
    directly, before the moments are updated:

    .. code-block:: text

        (1') theta <- theta * (1 - lr * weight_decay)

    The default ``weight_decay`` is 1e-2, as in torch.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.array([1.0])
    >>> opt = AdamW([w], lr=0.1, weight_decay=0.5)
    >>> opt.step([np.array([0.0])])          # zero gradient: only the decay acts
    >>> w
    array([0.95])

    References
    ----------
    Loshchilov and Hutter, "Decoupled weight decay regularization", ICLR 2019.
    """

    _decoupled = True

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        maximize: bool = False,
    ):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize)
