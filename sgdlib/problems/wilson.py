r"""Wilson et al.'s (2017) data set on which adaptive methods generalise worse than gradient descent.

Each example :math:`i = 1, \dots, n` has a label :math:`y_i = +1` with probability :math:`p > 1/2`,
else :math:`-1`, and a feature vector :math:`x_i \in \mathbb R^{3 + 5n}` (features counted from 1):

.. code-block:: text

    x_i1 = y_i                          feature 1: the label itself
    x_i2 = x_i3 = 1                     features 2 and 3: always on
    x_ij = 1 for j = 4 + 5(i-1), ..., 4 + 5(i-1) + 2(1 - y_i)
                                        example i's own block: 1 feature if y_i = +1, 5 if y_i = -1
    every other x_ij = 0

The data are linearly separable (feature 1 alone separates them) and there are more features
than examples, so least squares :math:`\min_w \|Xw - y\|^2` has many solutions with zero training
loss. Gradient descent from zero finds the one of minimum norm, which classifies new examples by
feature 1; AdaGrad, RMSprop and Adam from zero end at :math:`w \propto \operatorname{sign}(X^\top y)`
(Wilson et al., Lemma 3.1). When most training labels are +1 (:math:`\sum_i y_i > 0`, which
for :math:`p > 1/2` and large :math:`n` almost always holds), that solution is :math:`\operatorname{sign}(X^\top y)/4`
and predicts +1 for every new example; when most are -1, features 2 and 3 get the sign -1 and
:math:`X \operatorname{sign}(X^\top y) \ne 4y`, so that conclusion does not follow.

A new example, drawn the same way, owns a block of features that no training example uses: draw
training and test examples together with :func:`wilson_construction` and split the rows.

References
----------
Wilson, Roelofs, Stern, Srebro, Recht, "The marginal value of adaptive gradient methods in machine
learning", NeurIPS 2017, section 3.3 and Lemma 3.1.
"""

from __future__ import annotations

import numpy as np

from .._checks import check_int, check_number, check_rng

__all__ = ["wilson_construction"]


def wilson_construction(n: int, p: float, rng: np.random.Generator | int) -> tuple[np.ndarray, np.ndarray]:
    r"""The examples of Wilson et al. (2017, section 3.3): ``X`` of shape ``(n, 3 + 5n)``, labels ``y``.

    Parameters
    ----------
    n : int
        Number of examples, >= 1.
    p : float
        Probability of the label +1, in (1/2, 1].
    rng : numpy.random.Generator or int
        Source of the labels (an int is a seed).

    Returns
    -------
    X : ndarray, shape (n, 3 + 5n), float64
        Row ``i`` (from 0) has ``X[i, 0] = y[i]``, ``X[i, 1] = X[i, 2] = 1`` and ones in columns
        ``3 + 5i, ...``: one column if ``y[i] = +1``, five if ``y[i] = -1``; zeros elsewhere.
    y : ndarray, shape (n,), float64
        The labels, +1 or -1.

    Examples
    --------
    >>> X, y = wilson_construction(3, 0.7, rng=1)
    >>> X.shape, y
    ((3, 18), array([ 1., -1.,  1.]))
    >>> X.astype(int)
    array([[ 1,  1,  1,  1,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0],
           [-1,  1,  1,  0,  0,  0,  0,  0,  1,  1,  1,  1,  1,  0,  0,  0,  0,  0],
           [ 1,  1,  1,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  1,  0,  0,  0,  0]])
    >>> X @ np.sign(X.T @ y)        # = 4 y, since more labels are +1 than -1
    array([ 4., -4.,  4.])
    """
    n = check_int("n", n, low=1)
    p = check_number("p", p, low=0.5, high=1.0, low_open=True)
    rng = check_rng("rng", rng)
    y = np.where(rng.random(n) < p, 1.0, -1.0)
    X = np.zeros((n, 3 + 5 * n))
    X[:, 0] = y                                   # feature 1 is the label
    X[:, 1:3] = 1.0                               # features 2 and 3 are always 1
    for i in range(n):
        width = 1 if y[i] > 0 else 5              # 1 + 2 (1 - y_i) features of its own
        X[i, 3 + 5 * i: 3 + 5 * i + width] = 1.0
    return X, y
