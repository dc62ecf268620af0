"""The "inputs unchanged" check: did the learner's function change an argument in place (an
array, an entry or the length of a list of arrays, an optimizer's state dict), or return an
input array itself where the exercise asks for new arrays? Each finding is a message for the
learner with the case it was found on. Which returned arrays share memory with an input
(:func:`sharing`) is found by the sandbox, in the process that ran the call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .core import Case, Exercise

if TYPE_CHECKING:  # the sandbox imports this module (for `sharing`)
    from .sandbox import Outcome

__all__ = ["changed_input", "returned_input", "sharing"]


def _arrays_in(named_args) -> list[tuple[str, np.ndarray, Any]]:
    """(name, before, after) of every array argument, and of every array in a list argument
    (``grads[1]``): the arguments the "inputs unchanged" check compares."""
    found = []
    for name, before, after in named_args:
        if isinstance(before, np.ndarray):
            found.append((name, before, after))
        elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
            found.extend((f"{name}[{k}]", b, a) for k, (b, a) in enumerate(zip(before, after))
                         if isinstance(b, np.ndarray))
    return found


def _changed_entry(before: dict, after: Any) -> str | None:
    """What differs between a dict input and the same dict after the call, or ``None``."""
    if not isinstance(after, dict) or sorted(after, key=str) != sorted(before, key=str):
        return "its keys" if isinstance(after, dict) else "it is no longer a dict"
    for key, value in before.items():
        try:
            same = np.array_equal(np.asarray(value), np.asarray(after[key]), equal_nan=True)
        except (TypeError, ValueError):
            same = False
        if not same:
            return f"its entry {key!r}"
    return None


def changed_input(exercise: Exercise, cases: list[Case], outcomes: dict[int, Outcome]) -> tuple[str, Case] | None:
    """The first input a call changed in place, as a message, with its case; else ``None``."""
    for i, case in enumerate(cases):
        if i not in outcomes or not outcomes[i].args_after:
            continue
        for name, before, after in zip(exercise.arg_names, case.args, outcomes[i].args_after):
            entry = _changed_entry(before, after) if isinstance(before, dict) else None
            if entry is not None:  # an optimizer's state: its keys and every entry
                return (f"your function changed its input `{name}` in place ({entry}): return a new "
                        "dict holding new arrays and leave the caller's as it was. "
                        f"`{name}[key] = ...` writes into the caller's dict (and `new = {name}` is "
                        f"that same dict); `new = {name}.copy()` is a new dict, and assigning new "
                        "arrays to it is fine (`new[key] = new[key] + x`), but it shares the "
                        "caller's arrays: `new[key] += x` or `new[key][...] = x` changes them"), case
        for name, before, after in zip(exercise.arg_names, case.args, outcomes[i].args_after):
            if isinstance(before, list) and (not isinstance(after, list) or len(after) != len(before)):
                return (f"your function changed its input `{name}` in place (its length): "
                        f"`{name}.append(...)`, `{name}.pop()` or `del {name}[k]` change the "
                        f"caller's list; build a new list and leave `{name}` as it was "
                        f"(`clipped = [np.array(g, dtype=float) * scale for g in {name}]`)"), case
        for name, before, after in _arrays_in(zip(exercise.arg_names, case.args, outcomes[i].args_after)):
            if np.array_equal(before, after, equal_nan=True):
                continue
            if "[" in name:  # an entry of a list argument: rebound (`grads[k] = ...`) or updated
                base = name.split("[")[0]
                return (f"your function changed its input `{name}` in place: `{base}[k] = ...` "
                        f"and `{base}[k] *= ...` both change the caller's list; build a new list "
                        f"of new arrays instead (`clipped = [np.array(g, dtype=float) * scale "
                        f"for g in {base}]`)"), case
            return (f"your function changed its input `{name}` in place; work on a copy "
                    f"(e.g. `{name} = np.array({name}, dtype=float)`) or restore it exactly "
                    "(even a 1e-16 change counts; save the old value and put it back)"), case
    return None


def _path_name(names: tuple[str, ...], path: tuple) -> str:
    """``(1, 2)`` in ``("new_theta", "new_buf")`` -> ``new_buf[2]``."""
    head, rest = (names[path[0]], path[1:]) if path and isinstance(path[0], int) and \
        path[0] < len(names) else (names[0], path)
    return head + "".join(f"[{k!r}]" if isinstance(k, str) else f"[{k}]" for k in rest)


def returned_input(exercise: Exercise, cases: list[Case], outcomes: dict[int, Outcome]) -> tuple[str, Case] | None:
    """For an exercise whose function must return new arrays: the first returned array that is
    an input array itself (or a view of one), as a message, with its case; else ``None``."""
    if not exercise.new_arrays:
        return None
    outs = tuple(out.name for out in exercise.returns)
    for i, case in enumerate(cases):
        if i not in outcomes or outcomes[i].status != "ok":
            continue
        for out_path, in_path in outcomes[i].shared:
            if len(outs) > 1 and not out_path:
                continue  # the whole tuple is an input: the type check reports that
            got = _path_name(outs, out_path if len(outs) > 1 else (0,) + tuple(out_path))
            arg = _path_name(exercise.arg_names, in_path)
            return (f"your function returns `{got}` as the caller's array `{arg}` itself (or a view "
                    "of it), not a new array: the caller's array then changes whenever the "
                    f"result is updated in place. Return a new array (`np.array({arg}, dtype=float)` "
                    f"or `{arg}.copy()`), even where the values do not change"), case
    return None


def _arrays_at(item: Any, path: tuple = (), depth: int = 2) -> list[tuple[tuple, np.ndarray]]:
    """(index path, array) of ``item`` if it is an array, else of the arrays in it, a tuple, list
    or dict, ``depth`` levels down at most."""
    if isinstance(item, np.ndarray):
        return [(path, item)]
    if depth == 0:
        return []
    if isinstance(item, (tuple, list)):
        pairs = enumerate(item)
    elif isinstance(item, dict):
        pairs = item.items()
    else:
        return []
    return [found for key, sub in pairs for found in _arrays_at(sub, path + (key,), depth - 1)]


def sharing(value: Any, args: tuple) -> tuple:
    """Which returned arrays share memory with which arguments: ``(value path, argument path)``
    pairs (see :class:`Outcome`). Never raises.

    Examples
    --------
    >>> a, b = np.zeros(2), np.ones(3)
    >>> sharing((a[:1], b + 1), (b, [a]))
    (((0,), (1, 0)),)
    """
    try:
        inputs = [(path, a) for path, a in _arrays_at(args, (), 3) if a.size]
        return tuple((out_path, in_path) for out_path, out in _arrays_at(value) if out.size
                     for in_path, a in inputs if np.may_share_memory(out, a))
    except Exception:
        return ()
