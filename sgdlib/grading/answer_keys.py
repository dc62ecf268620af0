"""Answer keys: the library's own implementation of an exercise (``sgdlib.optim.Adam`` for
``adam_step``), switched off while ``check`` runs the learner's function, so that a function that
only hands its work to it fails with a message that says so (see ``Exercise.answer_keys``).

* **In the sandbox's child process** (POSIX) each key's Python functions get new code that
  raises ``RuntimeError(message)`` (:func:`switch_off`): every name bound to them is caught,
  ``from sgdlib.optim import Adam`` too. Only the child's copy changes.
* **On the thread fallback** (Windows, or a fork that failed) the functions are shared with the
  kernel and stay as they are: a trace function set in the worker thread alone (:func:`tracer`)
  raises the message when a call enters one of their code objects. Python unsets a trace
  function that raised, so the worker sets it again before each call.

Limits: a key is caught by its code objects. A function that makes new ones gets through:
``importlib.reload(sgdlib.optim.adam)`` (in the child: a fresh ``Adam`` with the original code),
copying the source and ``exec``-ing it, or, on the thread fallback, catching the error and
calling the key again within the same call. These take deliberate effort; nbgrader's own tests
(which run the solutions as written) are the final word.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any, Callable

__all__ = ["ANSWER_KEY_OFF", "functions", "key_messages", "switch_off", "switching_off", "tracer"]

ANSWER_KEY_OFF = ("this exercise asks you to write the computation yourself, with numpy: `{key}` "
                  "is the answer key and is switched off inside check (outside check it works as "
                  "usual: use it there to compare your numbers with)")


def key_messages(keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The ``(dotted name, message)`` pairs that ``check`` asks the sandbox to switch off.

    Examples
    --------
    >>> key_messages(("sgdlib.optim.Adam",))[0][1][:44]
    'this exercise asks you to write the computat'
    """
    return tuple((key, ANSWER_KEY_OFF.format(key=key)) for key in keys)


def functions(name: str) -> list[Callable]:
    """The Python functions a dotted name stands for: the function itself (of a method, the
    function under it), or every function a class defines in its own body.

    Examples
    --------
    >>> [f.__qualname__ for f in functions("sgdlib.optim.base.Optimizer.step")]
    ['Optimizer.step']
    >>> functions("numpy.clip")
    Traceback (most recent call last):
    ...
    ValueError: 'numpy.clip' is not a Python function or class defined in Python
    """
    parts = name.split(".")
    for k in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:k]))
            break
        except ImportError:
            continue
    else:
        raise ValueError(f"{name!r} names no module")
    try:
        for attr in parts[k:]:
            target = getattr(target, attr)
    except AttributeError as exc:
        raise ValueError(f"{name!r} names nothing: {exc}") from None
    if inspect.isclass(target):
        found = [getattr(f, "__func__", f) for f in vars(target).values()
                 if isinstance(f, (staticmethod, classmethod)) or inspect.isfunction(f)]
    else:
        found = [getattr(target, "__func__", target)]
    if not found or not all(inspect.isfunction(f) for f in found):
        raise ValueError(f"{name!r} is not a Python function or class defined in Python")
    return found


def switch_off(function: Callable, message: str) -> None:
    """Make ``function`` raise ``RuntimeError(message)`` whatever it is given, by replacing its
    code, so that every name bound to it (``from sgdlib.optim import Adam`` too) is caught. Its
    closure cells stay (a code object needs as many free variables as the function has cells).
    Call it only in the child process: it changes the function for the whole process.

    Examples
    --------
    >>> def double(x):
    ...     return 2 * x
    >>> switch_off(double, "write it yourself")
    >>> double(3)
    Traceback (most recent call last):
    ...
    RuntimeError: write it yourself
    """
    free = function.__code__.co_freevars
    source = ["def _outer():", *(f"    {v} = None" for v in free),
              "    def _switched_off(*args, **kwargs):",
              *(f"        {v}" for v in free),
              f"        raise RuntimeError({message!r})",
              "    return _switched_off"]
    namespace: dict = {}
    exec(compile("\n".join(source), "<switched off>", "exec"), namespace)
    code = namespace["_outer"]().__code__
    function.__code__ = code.replace(co_name=function.__code__.co_name)


def switching_off(fn: Callable, targets: list[tuple[Callable, str]], in_child: Callable[[], bool]) -> Callable:
    """``fn``, which first switches off ``targets`` (function, message) when it runs where
    ``in_child()`` is true (the child process of :func:`sgdlib.grading.sandbox.run`), and nowhere
    else."""
    done: list[bool] = []

    def call(*args: Any) -> Any:
        if in_child() and not done:
            for function, message in targets:
                switch_off(function, message)
            done.append(True)
        return fn(*args)

    return call


def tracer(targets: list[tuple[Callable, str]]) -> Callable:
    """A trace function for the thread fallback (see :func:`sys.settrace`, set in the worker
    thread only): a call that enters one of ``targets``' functions raises ``RuntimeError`` with
    its message; every other call goes on untraced (it returns ``None``: no line events).

    Python unsets a trace function that raises, so the worker sets it again before each call:
    within one call, a function that catches the error and calls the key again gets through.

    Examples
    --------
    >>> import sys
    >>> def key():
    ...     return 1
    >>> trace = tracer([(key, "switched off")])
    >>> sys.settrace(trace)
    >>> try:
    ...     key()
    ... except RuntimeError as exc:
    ...     print(exc)
    ... finally:
    ...     sys.settrace(None)
    switched off
    >>> key()
    1
    """
    messages = {function.__code__: message for function, message in targets}

    def trace(frame: Any, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code in messages:
            raise RuntimeError(messages[frame.f_code])
        return None

    return trace
