"""The base class every optimizer shares: parameter bookkeeping, checks and ``step``.

A subclass writes its constructor and three small methods:

* ``__init__`` names its hyperparameters once, with torch's names and defaults, and hands them
  over as a dict: ``super().__init__(params, dict(lr=lr, momentum=momentum, ...))``;
* ``_check_hyperparameters()`` raises a clear error for a bad value, naming it;
* ``_init_state(p)`` returns the state dict of one parameter (torch's key names);
* ``_update(p, g, state)`` is the update rule for one parameter array, in place: one line per
  numbered equation of the class docstring.

Everything a learner should not have to read twice - turning a dict of parameters into a list,
checking that each gradient has its parameter's shape, refusing NaN, re-checking the
hyperparameters after a change - lives here.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._checks import check_number

__all__ = ["Optimizer", "NonFiniteGradientError", "check_eps"]

Params = Sequence[np.ndarray] | Mapping[str, np.ndarray]


class NonFiniteGradientError(ValueError):
    """A gradient passed to ``step`` contains NaN or inf: the loss has probably diverged.

    A ``ValueError`` (it is a bad argument to ``step``), with its own class so that a training
    loop can tell divergence apart from other bad input without reading the message.
    """


def check_eps(name: str, value: Any) -> float:
    """``eps`` of the adaptive methods: a finite number > 0.

    torch accepts ``eps=0``, but then an entry whose gradient is exactly zero from the start
    (a blank border pixel of the digits, say) is updated by 0/0 = NaN. We refuse it instead.

    Examples
    --------
    >>> check_eps("eps", 1e-8)
    1e-08
    >>> check_eps("eps", 0.0)   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: eps must be > 0, got 0.0: with eps = 0 an exactly zero gradient entry gives 0/0 = NaN...
    """
    x = check_number(name, value)
    if x <= 0:
        raise ValueError(
            f"{name} must be > 0, got {value!r}: with {name} = 0 an exactly zero gradient entry "
            "gives 0/0 = NaN in the update (torch accepts 0; sgdlib does not); use e.g. 1e-8"
        )
    return x


class Optimizer:
    """Base class: holds the parameters, their state and the hyperparameters.

    Parameters
    ----------
    params : list of numpy float arrays, or dict name -> array
        The arrays to optimise. They are updated **in place** by :meth:`step`, and kept as the
        tuple ``opt.params`` (their names, or indices, as the list ``opt.keys``).
    hyperparameters : dict name -> value
        The subclass's arguments (``lr``, ``momentum``, ``betas``, ...). Each becomes a plain
        attribute, ``opt.lr``, that may be changed between steps (``opt.lr = 0.01``, or a
        schedule setting it).

    The hyperparameters are checked at construction and again at the first :meth:`step` after
    any of them changed, so a bad value (``opt.lr = -1``) fails with an error naming it before
    anything is updated.
    """

    _hyperparameter_names: tuple[str, ...] = ()   # until __init__ names them (see __setattr__)

    def __init__(self, params: Params, hyperparameters: dict[str, Any]):
        self.keys, self.params = _unpack_params(params)
        self._named = isinstance(params, Mapping)
        # Each gradient's name in messages. Its expected shape and dtype are read from the
        # parameter at every step (two attribute reads), so a parameter reshaped in place
        # (p.shape = (1, 3)) is checked against its shape of now.
        self._grad_names = tuple(f"grads[{k!r}]" if self._named else f"grads[{k}]" for k in self.keys)
        self._hyperparameter_names = tuple(hyperparameters)
        self._hyperparameter_values = operator.attrgetter(*hyperparameters)   # self -> their values
        self._checked_values: tuple | None = None
        for name, value in hyperparameters.items():
            setattr(self, name, value)
        self._check_hyperparameters_if_changed()
        self.state: dict = {k: self._init_state(p) for k, p in zip(self.keys, self.params)}

    def __setattr__(self, name: str, value: Any) -> None:
        # Assigning a hyperparameter (opt.lr = 0.01) flags it for the next step, which then
        # compares the values with the last checked ones; a step after no assignment pays only
        # for reading this flag.
        if name in self._hyperparameter_names:
            super().__setattr__("_hyperparameters_assigned", True)
        super().__setattr__(name, value)

    @property
    def hyperparameters(self) -> dict[str, Any]:
        """The current hyperparameters by name, e.g. ``{"lr": 0.1, "momentum": 0.9, ...}``."""
        return {name: getattr(self, name) for name in self._hyperparameter_names}

    # A diverging run overflows (in the gradient check's dot product, then in the update); numpy
    # would print a RuntimeWarning each time. We stay quiet and stop with one clear
    # NonFiniteGradientError as soon as a gradient is inf/NaN (see _checked_grads). As a
    # decorator, np.errstate costs less than half of a `with` block inside the method.
    @np.errstate(over="ignore", invalid="ignore")
    def step(self, grads: Sequence[np.ndarray] | Mapping[str, np.ndarray]) -> None:
        """Apply one update to every parameter, in place.

        Parameters
        ----------
        grads : list of arrays, or dict name -> array
            The gradient of the loss with respect to each parameter, in the same structure and
            shapes as ``params``. The arrays are read, never modified.

        Raises
        ------
        ValueError, TypeError
            For a bad hyperparameter or gradient, before any parameter is changed.
        NonFiniteGradientError
            When a gradient holds NaN or inf (the loss has probably diverged).
        """
        if self._hyperparameters_assigned:
            self._check_hyperparameters_if_changed()
        grads = self._checked_grads(grads)
        for key, p, g in zip(self.keys, self.params, grads):
            self._update(p, g, self.state[key])

    # -- what subclasses write ------------------------------------------------------------------
    def _check_hyperparameters(self) -> None:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def _init_state(self, p: np.ndarray) -> dict:  # pragma: no cover
        raise NotImplementedError

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:  # pragma: no cover
        raise NotImplementedError

    # -- helpers --------------------------------------------------------------------------------
    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters.items())
        shapes = ", ".join(f"{k}: {p.shape}" for k, p in zip(self.keys, self.params))
        return f"{type(self).__name__}({args}) over {len(self.params)} parameter(s) {{{shapes}}}"

    def _check_hyperparameters_if_changed(self) -> None:
        """Run ``_check_hyperparameters`` unless every value, and its type, equals the last
        checked one.

        ``step`` calls it only after an assignment to a hyperparameter (see ``__setattr__``).
        Comparing a handful of numbers costs far less than checking them, and an assignment may
        store the value already checked (``opt.lr = 0.01`` twice).
        """
        values = _with_types(self._hyperparameter_values(self))
        if values != self._checked_values:
            self._check_hyperparameters()
            self._checked_values = _with_types(self._hyperparameter_values(self))   # as the check left them
        self._hyperparameters_assigned = False   # after the check, which may store a value anew (betas)

    def _checked_grads(self, grads) -> list[np.ndarray]:
        """The gradients in ``params``' order, each checked for type, dtype, shape and NaN/inf."""
        if self._named:
            if type(grads) is not dict and not isinstance(grads, Mapping):
                raise TypeError(f"grads must be a dict like params, got {type(grads).__name__}")
            if set(grads) != set(self.keys):
                missing = sorted(set(self.keys) - set(grads))
                extra = sorted(set(grads) - set(self.keys))
                raise ValueError(f"grads must have the keys of params; missing {missing}, unexpected {extra}")
            grads = [grads[k] for k in self.keys]
        elif type(grads) not in (list, tuple):
            if isinstance(grads, (np.ndarray, str, bytes)) or not isinstance(grads, Sequence):
                raise TypeError(
                    f"grads must be a list of arrays like params, got {type(grads).__name__}"
                    + ("; wrap a single gradient as [g]" if isinstance(grads, np.ndarray) else "")
                )
        if len(grads) != len(self.params):
            raise ValueError(f"grads must have {len(self.params)} arrays (one per parameter), got {len(grads)}")
        checked = []
        for name, p, g in zip(self._grad_names, self.params, grads):
            if type(g) is not np.ndarray or g.dtype is not p.dtype or g.shape != p.shape:
                g = _as_gradient(g, name, p.dtype, p.shape)
            # g.g is one BLAS pass (3x faster than g.sum()) and is NaN/inf whenever g has a NaN
            # or inf; only then do we look closer (it may merely have overflowed).
            flat = g.ravel()
            if not math.isfinite(flat.dot(flat)) and not np.isfinite(g).all():
                raise NonFiniteGradientError(
                    f"{name} contains NaN or inf: the loss has probably diverged; "
                    "try a smaller learning rate"
                )
            checked.append(g)
        return checked


def _with_types(values: tuple) -> tuple[tuple, tuple]:
    """The values and their types, with the types of a pair's items (``betas``) too.

    ``True == 1 == 1.0`` in Python, so comparing values alone would let ``opt.maximize = 1``
    after ``maximize=True``, or ``opt.lr = True`` after ``lr=1.0``, skip the check. The types
    come first: an array assigned to ``lr`` differs in type from every checked value, so
    ``!=`` never has to compare arrays.

    Examples
    --------
    >>> _with_types((1.0, (0.9, 0.999)))
    ((<class 'float'>, (<class 'tuple'>, <class 'float'>, <class 'float'>)), (1.0, (0.9, 0.999)))
    >>> _with_types((1.0, False)) == _with_types((True, 0))
    False
    """
    types = tuple([(tuple, *map(type, v)) if type(v) is tuple else type(v) for v in values])
    return types, values


def _as_gradient(g: Any, name: str, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
    """``g`` as an array of the given dtype and shape (lists and integer arrays are converted)."""
    if isinstance(g, (str, bytes)) or g is None:
        raise TypeError(f"{name} must be a numpy array, got {type(g).__name__}")
    g = np.asarray(g)
    if g.dtype.kind not in "fiu":
        raise TypeError(f"{name} must be a numeric array, got dtype {g.dtype}")
    if g.shape != shape:
        raise ValueError(f"{name} has shape {g.shape} but its parameter has shape {shape}")
    return g.astype(dtype, copy=False)


def _zeros_if_absent(state: dict, key: str, p: np.ndarray) -> np.ndarray:
    """``state[key]``, created as zeros the first time an option that needs it is on.

    For state that only some settings use (RMSprop's ``grad_avg``, Adam's ``max_exp_avg_sq``):
    a learner may switch the option on between steps, e.g. ``opt.amsgrad = True``.
    """
    if key not in state:
        state[key] = np.zeros_like(p)
    return state[key]


def _unpack_params(params) -> tuple[list, tuple[np.ndarray, ...]]:
    """The keys and the arrays of ``params``, checked; the arrays as a tuple, so that
    ``opt.params[i] = x`` fails instead of leaving ``state`` describing the old array."""
    if isinstance(params, Mapping):
        keys, arrays = list(params.keys()), list(params.values())
        names = [f"params[{k!r}]" for k in keys]
    elif isinstance(params, np.ndarray):
        raise TypeError("params must be a list of arrays or a dict of arrays; wrap a single array as [x]")
    elif isinstance(params, Sequence) and not isinstance(params, (str, bytes)):
        arrays = list(params)
        keys = list(range(len(arrays)))
        names = [f"params[{i}]" for i in keys]
    else:
        raise TypeError(f"params must be a list of numpy arrays or a dict of them, got {type(params).__name__}")
    if not arrays:
        raise ValueError("params is empty: give at least one array to optimise")
    seen: dict[int, str] = {}
    for i, (name, p) in enumerate(zip(names, arrays)):
        if not isinstance(p, np.ndarray):
            raise TypeError(
                f"{name} must be a numpy float array, got {type(p).__name__}; "
                "create it with np.array(..., dtype=float)"
            )
        if p.dtype.kind != "f":
            raise TypeError(
                f"{name} must have a floating dtype to be updated in place, got {p.dtype}; "
                "use np.asarray(x, dtype=float)"
            )
        if not p.flags.writeable:
            raise ValueError(f"{name} is read-only; the optimizer updates parameters in place")
        if not np.isfinite(p).all():
            raise ValueError(f"{name} contains NaN or inf")
        if id(p) in seen:
            raise ValueError(f"{name} appears twice in params")
        seen[id(p)] = name
        for other_name, other in zip(names[:i], arrays[:i]):
            # A view of another parameter (W and W[0]) would get the shared entries updated twice.
            if np.may_share_memory(p, other) and np.shares_memory(p, other):
                raise ValueError(
                    f"{name} overlaps {other_name} in memory (one is a view of the other), so the "
                    "optimizer would update the shared entries twice; pass each array once"
                )
    return keys, tuple(arrays)
