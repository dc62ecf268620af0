"""Mini-batches: one pass over the data (an *epoch*) in shuffled chunks of ``batch_size`` rows."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_bool, check_int, check_rng, require_rng
from ._validate import check_xy

__all__ = ["DataLoader"]


class DataLoader:
    """Iterate over ``(X, y)`` in mini-batches; every ``for`` loop over it is one epoch.

    With ``shuffle=True`` each epoch draws a fresh permutation from ``rng``, so two epochs see
    the samples in different orders, while the same seed gives the same sequence of epochs.
    Each sample appears in exactly one batch per epoch (the batches *partition* the data).

    Parameters
    ----------
    X : array, shape (n, ...)
        Inputs, one row per sample. Must be finite.
    y : array, shape (n,)
        Targets (class labels or real numbers).
    batch_size : int
        Rows per batch, ``1 <= batch_size``; with ``drop_last=True`` at most ``n``.
    rng : numpy.random.Generator or int, optional
        Source of the shuffles; required when ``shuffle=True`` (an int is used as a seed).
    shuffle : bool, default True
        Reshuffle at the start of every epoch. ``False`` gives the rows in their order.
    drop_last : bool, default False
        Drop the last, smaller batch when ``batch_size`` does not divide ``n`` (so every step
        averages the same number of samples).

    Notes
    -----
    The epoch's permutation is applied once (``X[perm]``, one copy per epoch); each batch is then
    a contiguous slice of that copy, a view, so the loop itself copies nothing.

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    >>> [yb.tolist() for _, yb in DataLoader(X, y, batch_size=2, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    >>> [yb.tolist() for _, yb in DataLoader(X, y, batch_size=2, shuffle=False, drop_last=True)]
    [[0, 1], [2, 3]]
    >>> loader = DataLoader(X, y, batch_size=2, rng=np.random.default_rng(0))
    >>> sorted(np.concatenate([yb for _, yb in loader]).tolist())   # a partition of the rows
    [0, 1, 2, 3, 4]

    References
    ----------
    torch.utils.data.DataLoader (``batch_size``, ``shuffle``, ``drop_last``).
    """

    def __init__(
        self,
        X: ArrayLike,
        y: ArrayLike,
        *,
        batch_size: int,
        rng: np.random.Generator | int | None = None,
        shuffle: bool = True,
        drop_last: bool = False,
    ):
        self.X, self.y = check_xy(X, y)
        self.batch_size = check_int("batch_size", batch_size, low=1)
        self.shuffle = check_bool("shuffle", shuffle)
        self.drop_last = check_bool("drop_last", drop_last)
        n = len(self.y)
        if self.drop_last and self.batch_size > n:
            raise ValueError(
                f"batch_size={self.batch_size} is larger than the {n} samples and drop_last=True, "
                "so every epoch would be empty; use a smaller batch_size or drop_last=False"
            )
        if self.shuffle:
            self.rng = require_rng("rng", rng, when="shuffle=True")
        else:
            self.rng = None if rng is None else check_rng("rng", rng)

    def __len__(self) -> int:
        """Number of batches per epoch."""
        n, b = len(self.y), self.batch_size
        return n // b if self.drop_last else -(-n // b)

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        X, y = self.X, self.y
        if self.shuffle:
            perm = self.rng.permutation(len(y))
            X, y = X[perm], y[perm]  # one gather per epoch; the batches below are views
        b = self.batch_size
        stop = len(self) * b
        for start in range(0, stop, b):
            yield X[start:start + b], y[start:start + b]

    def __repr__(self) -> str:
        return (f"DataLoader({len(self.y)} samples, batch_size={self.batch_size}, "
                f"shuffle={self.shuffle}, drop_last={self.drop_last}, {len(self)} batches per epoch)")
