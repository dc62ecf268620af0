"""The declarative pieces an exercise file uses to define a graded exercise.

An :class:`Exercise` is data: the reference implementation, how to build test inputs (fixed
ones written by hand and randomised ones drawn from a seeded generator), what the function
returns, and the :class:`Probe` objects that recognise common mistakes. The checking logic
lives in :mod:`sgdlib.grading.checker` (and the mistakes no probe names are looked for by
:mod:`sgdlib.grading.diagnoses`); nothing here runs a learner's code.

Each exercise is one file, ``sgdlib/grading/exercises/chNN/<function name>.py``, ending with
``EXERCISE = Exercise(...)``; the registry finds it there. The reference implementations live
in those files, not in the exercise notebooks. A learner *can* read them there; the course asks
them not to, the same way a textbook asks you not to peek at the answers at the back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

__all__ = ["Case", "Fresh", "Output", "Probe", "Exercise", "seeded_generator"]


@dataclass(frozen=True)
class Fresh:
    """An argument made anew for every call: ``make()`` builds it, ``shown`` is how the report
    writes it.

    Use it for an argument that a call changes as part of its job, such as a
    ``numpy.random.Generator`` (drawing from it advances its state). The reference, the
    learner's function and each probe's mistake then each get their own, in the same starting
    state, so they draw the same numbers; and what one call draws cannot shift the next call's
    draws. The "inputs unchanged" check compares only array arguments, so a generator that was
    advanced is never reported as a changed input.
    """

    make: Callable[[], Any]
    shown: str

    def __repr__(self) -> str:
        return self.shown


def seeded_generator(seed: int) -> Fresh:
    """A fresh ``numpy.random.default_rng(seed)`` for every call.

    Examples
    --------
    >>> rng = seeded_generator(7)
    >>> rng
    np.random.default_rng(7)
    >>> int(rng.make().integers(100)) == int(rng.make().integers(100))  # each starts afresh
    True
    """
    return Fresh(lambda: np.random.default_rng(seed), f"np.random.default_rng({seed})")


@dataclass(frozen=True)
class Case:
    """One input to an exercise function.

    Parameters
    ----------
    args : tuple
        Positional arguments, in the order of :attr:`Exercise.arg_names`. A :class:`Fresh`
        argument is built anew for each call (see :meth:`call_args`).
    label : str
        A short human description shown when this case fails, e.g. ``"f(x) = sum(x**2)"``.
    """

    args: tuple
    label: str = ""

    @property
    def size(self) -> int:
        """Number of array elements in the arguments; small cases are shown first."""
        return sum(int(np.size(a)) for a in self.args if isinstance(a, np.ndarray))

    def call_args(self) -> tuple:
        """The arguments for one call, each :class:`Fresh` one newly made. Every call of the
        reference, the learner's function or a mistake takes its arguments from here."""
        return tuple(a.make() if isinstance(a, Fresh) else a for a in self.args)


OUTPUT_KINDS = ("float", "array", "index arrays", "arrays", "state")


@dataclass(frozen=True)
class Output:
    """One returned value: its name (for messages) and its kind.

    ``"float"`` is a real number and ``"array"`` a numeric NumPy array. ``"index arrays"`` is a
    list of 1-D integer arrays whose lengths may differ, such as the mini-batches of an epoch
    (the last one may be smaller): ``check`` compares their count, then each array's length and
    values one by one, and names the first one that differs (``batches[2]``). ``"arrays"`` is a
    list of numeric arrays whose shapes may differ, such as one gradient per parameter array,
    checked the same way. ``"state"`` is an optimizer's state, a dict under torch's keys
    (``{"step": 3, "exp_avg": array, ...}``): ``check`` compares its keys, then each entry's
    shape and value (``state["exp_avg"]``), and reports a dict input changed in place.
    """

    name: str
    kind: str

    def __post_init__(self):
        if self.kind not in OUTPUT_KINDS:
            raise ValueError(f"Output.kind must be one of {OUTPUT_KINDS}, got {self.kind!r}")


@dataclass(frozen=True)
class Probe:
    """A common mistake and the hint shown when a learner's function makes it.

    The probe fires when the learner's function agrees (within the exercise's tolerance) with
    one of the ``mistakes`` on every probe case, and that mistake differs from the reference
    on at least one of them.

    Parameters
    ----------
    name : str
        Short identifier, e.g. ``"forward_difference"``.
    hint : str
        What to tell the learner.
    mistakes : tuple of callables
        Wrong implementations with the exercise's signature, each showing the mistake.
    cases : callable or None
        ``cases(rng) -> list[Case]``; ``None`` uses the exercise's own cases. Use it when
        the mistake only shows on special inputs (e.g. a transposed matrix is only
        computable when the matrix is square).
    part : int or None
        Compare only this returned value (for functions returning a tuple).
    symptom : callable or None
        ``symptom(value, error) -> bool``: a sign of the mistake in what the learner's function
        did on one of the exercise's cases, ``value`` what it returned (``None`` when it
        raised) and ``error`` the :class:`~sgdlib.grading.sandbox.Raised` exception (``None``
        when it returned). The probe also fires when the symptom shows on any case, whatever
        else the function gets wrong: an x outside the feasible set, or the ``KeyError`` of a
        state read before it exists. It must never show on the reference.
    """

    name: str
    hint: str
    mistakes: tuple[Callable[..., Any], ...]
    cases: Callable[[np.random.Generator], Sequence[Case]] | None = None
    part: int | None = None
    symptom: Callable[[Any, Any], bool] | None = None


@dataclass(frozen=True)
class Exercise:
    """A graded exercise, declared once in its own file and found by its ``id``.

    Parameters
    ----------
    id : str
        Unique id, also the nbgrader ``grade_id`` of the graded cell, e.g.
        ``"ch01_numerical_gradient"``.
    number : int
        Its number in the chapter's exercise notebook ("Exercise 2"): the registry lists a
        chapter's exercises in this order.
    title : str
        One line shown in the report.
    function_name : str
        The name the learner's function has in the notebook.
    arg_names : tuple of str
        Names of the positional arguments (used in the "input was changed" message).
    reference : callable
        The correct implementation.
    fixed_cases : tuple of Case
        Hand-written inputs, including edge cases.
    random_cases : callable
        ``random_cases(rng) -> list[Case]``: randomised inputs from a seeded generator.
    returns : tuple of Output
        What the function returns; one entry means a single value, more mean a tuple.
    probes : tuple of Probe
        Common mistakes with their hints.
    rtol, atol : float
        Tolerance of the value comparison (``numpy.allclose``).
    value_part : callable or None
        ``value_part(output)`` selects what the *values* check compares (default: all of it);
        the rest is for ``intermediate``.
    value_name : str
        What ``value_part`` selects, for messages.
    intermediate : callable or None
        ``intermediate(case, got, expected) -> str | None``: check intermediate state (e.g.
        every row of a trajectory); return a message when it is wrong.
    seed : int
        Seed of the random cases, so a report is the same every time.
    new_arrays : bool
        The function must return new arrays: a returned array that is an input array itself, or
        a view of one, fails the "inputs unchanged" check (the caller's array would change when
        the result is later updated in place). Off by default: most exercises do not say.
    answer_keys : tuple of str
        Dotted names of the library's functions or classes that compute the answer, e.g.
        ``"sgdlib.optim.Adam"`` or ``"sgdlib.optim.base.Optimizer.step"``: while ``check``
        runs the learner's function (in the sandbox's child process, or in its worker thread
        on the thread fallback; see :mod:`sgdlib.grading.answer_keys`), each raises an error
        saying the exercise asks for the computation written out, so that wrapping the library
        does not pass. The reference and the kernel's library are not affected. Keys are caught
        by their code objects: code that makes new ones (``importlib.reload`` of the module)
        gets through; nbgrader's tests remain the final word.
    """

    id: str
    number: int
    title: str
    function_name: str
    arg_names: tuple[str, ...]
    reference: Callable[..., Any]
    fixed_cases: tuple[Case, ...]
    random_cases: Callable[[np.random.Generator], Sequence[Case]]
    returns: tuple[Output, ...]
    probes: tuple[Probe, ...] = field(default=())
    rtol: float = 1e-9
    atol: float = 1e-12
    value_part: Callable[[Any], Any] | None = None
    value_name: str = "values"
    intermediate: Callable[[Case, Any, Any], str | None] | None = None
    seed: int = 0
    new_arrays: bool = False
    answer_keys: tuple[str, ...] = ()

    @property
    def chapter(self) -> int:
        """Chapter number, read from the id prefix ``chNN_``."""
        return int(self.id[2:4])

    def close(self, got: Any, want: Any) -> bool:
        """Whether ``got`` is ``want`` within this exercise's tolerance: the one test of "right"
        that the values check, the probes and the diagnoses all use.

        Tuples and lists are compared item by item. Arrays (and numbers) need the same shape, a
        numeric dtype and ``numpy.allclose(got, want, rtol, atol)``; an inf or a nan is right
        where the expected value has the same (an overflowing run). Two empty arrays are equal
        whatever their shapes (``np.array([])`` from an empty list is shaped (0,); the shape
        check, not this, tells them apart). Values that cannot be compared are not close: this
        never raises.

        Examples
        --------
        >>> from sgdlib.grading import get_exercise
        >>> ex = get_exercise("ch01_largest_stable_lr")
        >>> ex.close(0.5, 0.5 + 1e-13), ex.close(np.array([np.inf, 1.0]), np.array([np.inf, 1.0]))
        (True, True)
        >>> ex.close(np.zeros((2, 1)), np.zeros(2)), ex.close(np.array([None]), np.array([None]))
        (False, False)
        >>> ex.close(np.array([]), np.zeros((0, 2)))
        True
        """
        if isinstance(got, (tuple, list)) and isinstance(want, (tuple, list)):
            return len(got) == len(want) and all(self.close(g, w) for g, w in zip(got, want))
        if isinstance(got, dict) and isinstance(want, dict):  # an optimizer's state
            return got.keys() == want.keys() and all(self.close(got[k], want[k]) for k in want)
        try:
            got, want = np.asarray(got), np.asarray(want)
            if got.size == 0 and want.size == 0:
                return True
            if got.shape != want.shape or got.dtype == object or want.dtype == object:
                return False
            with np.errstate(all="ignore"):
                return bool(np.allclose(got, want, rtol=self.rtol, atol=self.atol, equal_nan=True))
        except Exception:
            return False

    def cases(self) -> list[Case]:
        """All cases, smallest first (the first failing one is the easiest to read)."""
        rng = np.random.default_rng(self.seed)
        cases = list(self.fixed_cases) + list(self.random_cases(rng))
        return sorted(cases, key=lambda c: c.size)
