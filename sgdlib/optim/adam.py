"""Adam and AdamW: momentum on the gradient, divided by a running RMS, bias-corrected."""

from __future__ import annotations

import math

import numpy as np

from .._checks import check_betas, check_bool, check_number
from .base import Optimizer, Params, _zeros_if_absent, check_eps

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    r"""Adam, with optional AMSGrad (``torch.optim.Adam`` semantics).

    .. code-block:: text

        (0)  g <- -g                                   if maximize
        (1)  g <- g + weight_decay * theta             Adam: the L2 penalty folded into g, or
        (1') theta <- theta * (1 - lr * weight_decay)  AdamW: decoupled weight decay
        (2)  m <- beta1 * m + (1 - beta1) * g          (exp_avg)
        (3)  v <- beta2 * v + (1 - beta2) * g^2        (exp_avg_sq)
        (4)  vmax <- max(vmax, v)                      if amsgrad; then vmax is used as v below
        (5)  d <- sqrt(v) / sqrt(1 - beta2^t) + eps    (eps after the bias correction)
        (6)  theta <- theta - lr / (1 - beta1^t) * m / d

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
        Must be > 0. torch also accepts 0, but then an entry whose gradient has been exactly
        zero so far (a blank border pixel) gets 0/0 = NaN; sgdlib refuses it.
    weight_decay : float, default 0
    amsgrad : bool, default False
        Use the running maximum of ``v`` (Reddi et al. 2018). The maximum is taken over the
        uncorrected ``v``, as torch does.
    maximize : bool, default False

    Every argument is a plain attribute that may be changed between steps
    (``opt.betas = (0.8, 0.99)``); a bad value is refused at the next :meth:`step`, before
    anything is updated. ``max_exp_avg_sq`` is created when ``amsgrad`` is first used.

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

    _decoupled = False       # AdamW sets True: line (1') instead of line (1)

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
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad, maximize=maximize))

    def _check_hyperparameters(self) -> None:
        check_number("lr", self.lr, low=0.0)
        self.betas = check_betas("betas", self.betas)   # a tuple: a list could change unseen
        check_eps("eps", self.eps)
        check_number("weight_decay", self.weight_decay, low=0.0)
        check_bool("amsgrad", self.amsgrad)
        check_bool("maximize", self.maximize)

    def _init_state(self, p: np.ndarray) -> dict:
        state = {"step": 0, "exp_avg": np.zeros_like(p), "exp_avg_sq": np.zeros_like(p)}
        if self.amsgrad:
            state["max_exp_avg_sq"] = np.zeros_like(p)
        return state

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        """One Adam (or AdamW) step for one parameter array (torch.optim.Adam semantics)."""
        beta1, beta2 = self.betas
        state["step"] += 1
        t, m, v = state["step"], state["exp_avg"], state["exp_avg_sq"]
        if self.maximize:
            g = -g                                               # (0) g <- -g
        if self.weight_decay and not self._decoupled:
            g = g + self.weight_decay * p                        # (1) g <- g + weight_decay * theta  (g is the caller's: no +=)
        elif self.weight_decay:
            p *= 1 - self.lr * self.weight_decay                 # (1') theta <- theta * (1 - lr * weight_decay)  AdamW
        m *= beta1; m += (1 - beta1) * g                         # (2) m <- beta1 * m + (1 - beta1) * g
        v *= beta2; v += (1 - beta2) * g * g                     # (3) v <- beta2 * v + (1 - beta2) * g^2
        if self.amsgrad:
            v_max = _zeros_if_absent(state, "max_exp_avg_sq", p)  # absent if amsgrad was off until now
            v = np.maximum(v_max, v, out=v_max)                  # (4) vmax <- max(vmax, v)  used as v below
        d = np.sqrt(v) / math.sqrt(1 - beta2**t) + self.eps      # (5) d <- sqrt(v) / sqrt(1 - beta2^t) + eps
        p -= (self.lr / (1 - beta1**t)) * m / d                  # (6) theta <- theta - lr / (1 - beta1^t) * m / d


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
