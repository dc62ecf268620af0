"""The one-cycle policy: warm up to a peak learning rate, then anneal far below the start."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._checks import check_bool, check_int, check_number
from .base import Schedule

__all__ = ["OneCycle"]


@dataclass(frozen=True)
class OneCycle(Schedule):
    r"""The one-cycle policy: warm up to ``max_lr``, then anneal far below the start (torch ``OneCycleLR``).

    The learning rate starts at :math:`\eta_{start} = \eta_{max} / \text{div\_factor}`, rises
    to :math:`\eta_{max}` at step :math:`p N - 1` (``p = pct_start``, ``N = total_steps``) and
    falls to :math:`\eta_{end} = \eta_{start} / \text{final\_div\_factor}` at step
    :math:`N - 1`. Inside each phase from ``a`` to ``b`` over steps ``[s0, s1]``, with
    :math:`u = (t - s_0) / (s_1 - s_0)`:

    .. math::

        \eta_t = b + (a - b)\,\frac{1 + \cos(\pi u)}{2} \quad\text{(cos)}
        \qquad\text{or}\qquad \eta_t = a + (b - a)\,u \quad\text{(linear)}

    With ``three_phase=True`` the second phase goes back down to :math:`\eta_{start}` at
    step :math:`2 p N - 2` and a third phase anneals to :math:`\eta_{end}`.

    As in torch, the schedule is defined for ``0 <= t <= total_steps`` and a larger step is an
    error. At ``t = total_steps`` (one past the end of the cycle) torch extrapolates the last
    phase, which with ``anneal_strategy="linear"`` can give a *negative* learning rate; here
    the final learning rate is held instead. At every other step the *learning rate* equals
    torch's. Only the learning rate: torch's ``OneCycleLR`` also cycles the momentum (or
    Adam's ``beta1``) by default (``cycle_momentum=True``), which this schedule does not do.

    Parameters
    ----------
    max_lr : float
        Peak learning rate, > 0.
    total_steps : int
        Number of steps in the cycle, >= 2.
    pct_start : float, default 0.3
        Fraction of the cycle spent increasing the learning rate, in (0, 1).
    anneal_strategy : {"cos", "linear"}, default "cos"
    div_factor : float, default 25.0
        ``max_lr / div_factor`` is the starting learning rate; > 0.
    final_div_factor : float, default 1e4
        The final learning rate is the starting one divided by this; > 0.
    three_phase : bool, default False

    Examples
    --------
    >>> s = OneCycle(max_lr=1.0, total_steps=10, pct_start=0.5, div_factor=10.0,
    ...              final_div_factor=100.0, anneal_strategy="linear")
    >>> [round(s(t), 4) for t in (0, 2, 4, 9)]          # peak at 0.5*10 - 1, end at 10 - 1
    [0.1, 0.55, 1.0, 0.001]

    References
    ----------
    Smith and Topin, "Super-convergence: very fast training of neural networks using large
    learning rates", 2019.
    """

    max_lr: float
    total_steps: int
    pct_start: float = 0.3
    anneal_strategy: str = "cos"
    div_factor: float = 25.0
    final_div_factor: float = 1e4
    three_phase: bool = False

    def __post_init__(self):
        check_number("max_lr", self.max_lr, low=0.0, low_open=True)
        check_int("total_steps", self.total_steps, low=2)
        check_number("pct_start", self.pct_start, low=0.0, high=1.0, low_open=True, high_open=True)
        if self.anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"anneal_strategy must be 'cos' or 'linear', got {self.anneal_strategy!r}")
        check_number("div_factor", self.div_factor, low=0.0, low_open=True)
        check_number("final_div_factor", self.final_div_factor, low=0.0, low_open=True)
        check_bool("three_phase", self.three_phase)
        ends = [end for end, _, _ in self._phases()]
        if not all(b > a for a, b in zip([0.0, *ends], ends)):
            raise ValueError(
                f"pct_start={self.pct_start} and total_steps={self.total_steps} leave a phase "
                "with no steps; use more total_steps or a pct_start further from 0 and 1"
            )

    def _phases(self) -> list[tuple[float, float, float]]:
        """(end step, start lr, end lr) of each phase, with torch's step boundaries."""
        start = self.max_lr / self.div_factor
        end = start / self.final_div_factor
        up = float(self.pct_start * self.total_steps) - 1
        if self.three_phase:
            down = float(2 * self.pct_start * self.total_steps) - 2
            return [(up, start, self.max_lr), (down, self.max_lr, start), (self.total_steps - 1, start, end)]
        return [(up, start, self.max_lr), (self.total_steps - 1, self.max_lr, end)]

    def _lr(self, t):
        if t.size and t.max() > self.total_steps:
            raise ValueError(f"step must be <= total_steps={self.total_steps}, got {int(t.max())}")
        out = np.empty_like(t)
        s0, done = 0.0, np.zeros(t.shape, dtype=bool)
        phases = self._phases()
        for i, (s1, a, b) in enumerate(phases):
            # Like torch: the first phase whose end is >= t, and the last phase for anything after.
            here = ~done & ((t <= s1) | (i == len(phases) - 1))
            # u <= 1 except at t = total_steps, where torch extrapolates the last phase past its
            # end (below zero with "linear"); we hold the final learning rate instead.
            u = np.minimum((t[here] - s0) / (s1 - s0), 1.0)
            if self.anneal_strategy == "cos":
                out[here] = b + (a - b) / 2.0 * (np.cos(math.pi * u) + 1)
            else:
                out[here] = (b - a) * u + a
            done |= here
            s0 = s1
        return out
