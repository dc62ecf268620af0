"""The base of every schedule: ``schedule(t)`` checks the step ``t`` and evaluates the formula."""

from __future__ import annotations

import numpy as np

__all__ = ["Schedule"]


def _as_steps(step) -> tuple[np.ndarray, bool]:
    """``step`` as a float array of whole numbers >= 0, and whether it was a single number."""
    if isinstance(step, (bool, np.bool_)):
        raise TypeError(f"step must be an integer or an array of integers, got {step!r}")
    if isinstance(step, (int, np.integer)):
        if step < 0:
            raise ValueError(f"step must be >= 0, got {step}")
        return np.array(float(step)), True
    arr = np.asarray(step)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"step must be an integer or an array of integers, got {arr.dtype} {step!r}"[:200])
    if arr.size and arr.min() < 0:
        raise ValueError(f"step must be >= 0, got {arr.min()}")
    return arr.astype(np.float64), False


class Schedule:
    """Base class: ``schedule(step)`` checks ``step`` and evaluates :meth:`_lr` on it."""

    def __call__(self, step: int | np.ndarray) -> float | np.ndarray:
        """The learning rate after ``step`` scheduler steps (a float, or an array for an array)."""
        t, scalar = _as_steps(step)
        lr = self._lr(t)
        return float(lr) if scalar else np.asarray(lr, dtype=np.float64)

    def _lr(self, t: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError
