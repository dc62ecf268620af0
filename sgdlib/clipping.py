r"""Gradient clipping by global norm (``torch.nn.utils.clip_grad_norm_``).

All gradient arrays together form one long vector :math:`g`. Its norm

.. math::  \|g\| = \sqrt{\textstyle\sum_{\text{arrays } a}\sum_{\text{entries } j} a_j^2}

is compared with ``max_norm``; when it is larger, *every* array is multiplied by the same factor

.. math::  c = \frac{\text{max\_norm}}{\|g\| + 10^{-6}} < 1,

so the step keeps its direction and only its length shrinks (to just under ``max_norm``).
Clipping each array on its own would change the direction too.

Examples
--------
>>> import numpy as np
>>> grads = {"W": np.array([[3.0, 0.0]]), "b": np.array([4.0])}
>>> clip_grad_norm_(grads, max_norm=1.0)      # returns the norm before clipping
5.0
>>> np.round(grads["W"], 6), np.round(grads["b"], 6)
(array([[0.6, 0. ]]), array([0.8]))

References
----------
Pascanu, Mikolov and Bengio, "On the difficulty of training recurrent neural networks",
ICML 2013, section 3.2 (Algorithm 1). ``torch.nn.utils.clip_grad_norm_`` (``norm_type=2``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from ._checks import check_number

__all__ = ["clip_grad_norm_", "CLIP_EPS"]

#: Added to the norm before dividing, as torch does, so a zero gradient never divides by zero.
CLIP_EPS = 1e-6


def clip_grad_norm_(grads: Sequence[np.ndarray] | Mapping[str, np.ndarray], max_norm: float) -> float:
    r"""Scale all gradients **in place** so that their global norm is at most ``max_norm``.

    As ``torch.nn.utils.clip_grad_norm_`` (with its default ``norm_type=2``): the total norm
    is the Euclidean norm of all entries of all arrays; when ``c = max_norm / (total + 1e-6)``
    is below 1, every array is multiplied by ``c``; otherwise nothing changes.

    Like torch's function, the name ends in ``_``, torch's mark for in place: this modifies
    the arrays you pass and returns only the norm (Exercise 6.4's ``clip_grad_norm`` instead
    returns new arrays and the norm). In a training loop that is what you want:
    the gradients are fresh arrays each step, and the optimizer then reads the clipped ones.
    Pass copies if you need the originals.

    Parameters
    ----------
    grads : list of float arrays, or dict name -> float array
        The gradients (e.g. the dict of ``model.loss_and_grads``). Modified in place.
    max_norm : float
        The largest global norm allowed, > 0.

    Returns
    -------
    float
        The global norm *before* clipping (``inf`` or ``nan`` if a gradient is not finite; then
        nothing is scaled, and the optimizer's own check reports the bad gradient).

    Raises
    ------
    TypeError
        ``grads`` is not a list or dict of float arrays (integer arrays cannot be scaled in place).
    ValueError
        ``max_norm`` is not a finite number > 0.

    Examples
    --------
    >>> import numpy as np
    >>> g = [np.array([6.0, 8.0])]
    >>> clip_grad_norm_(g, max_norm=20.0), g[0]           # norm 10 <= 20: unchanged
    (10.0, array([6., 8.]))
    >>> clip_grad_norm_(g, max_norm=5.0), np.round(g[0], 6)
    (10.0, array([3., 4.]))
    """
    max_norm = check_number("max_norm", max_norm, low=0.0, low_open=True)
    if isinstance(grads, Mapping):
        arrays = list(grads.values())
    elif isinstance(grads, (list, tuple)):
        arrays = list(grads)
    else:
        raise TypeError(f"grads must be a list or a dict of numpy arrays, got {type(grads).__name__}"
                        + ("; wrap a single gradient as [g]" if isinstance(grads, np.ndarray) else ""))
    for i, g in enumerate(arrays):
        if not isinstance(g, np.ndarray) or g.dtype.kind != "f":
            what = f"dtype {g.dtype}" if isinstance(g, np.ndarray) else type(g).__name__
            raise TypeError(f"grads[{i}] must be a float numpy array (it is scaled in place), got {what}")
    with np.errstate(over="ignore", invalid="ignore"):
        total = math.sqrt(sum(float(np.vdot(g, g)) for g in arrays))   # sqrt of all squared entries
    coef = max_norm / (total + CLIP_EPS)
    if math.isfinite(total) and coef < 1.0:     # a NaN/inf gradient is left for the optimizer to report
        for g in arrays:
            g *= coef
    return total
