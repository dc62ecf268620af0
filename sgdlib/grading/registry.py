"""Where ``check("<exercise id>", fn)`` finds its exercise.

Every module ``sgdlib/grading/chNN.py`` defines ``EXERCISES``, a tuple of
:class:`~sgdlib.grading.core.Exercise`. They are discovered by name, so chapter 2 adds its
exercises by adding ``ch02.py`` and nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from .core import Exercise

__all__ = ["all_exercises", "get_exercise"]

_CHAPTER_MODULE = re.compile(r"^ch\d\d$")


def all_exercises() -> dict[str, Exercise]:
    """Return every registered exercise, by id, in chapter order.

    Examples
    --------
    >>> "ch01_numerical_gradient" in all_exercises()
    True
    """
    from . import __path__ as package_path

    found: dict[str, Exercise] = {}
    names = sorted(m.name for m in pkgutil.iter_modules(package_path) if _CHAPTER_MODULE.match(m.name))
    for name in names:
        module = importlib.import_module(f"{__package__}.{name}")
        for exercise in module.EXERCISES:
            if exercise.id in found:
                raise ValueError(f"exercise id {exercise.id!r} is defined twice")
            found[exercise.id] = exercise
    return found


def get_exercise(exercise_id: str) -> Exercise:
    """Return the exercise with this id; a clear ``KeyError`` lists the known ids otherwise.

    Examples
    --------
    >>> get_exercise("ch01_gradient_descent").function_name
    'gradient_descent'
    """
    exercises = all_exercises()
    if not isinstance(exercise_id, str) or exercise_id not in exercises:
        known = ", ".join(exercises)
        raise KeyError(f"unknown exercise id {exercise_id!r}; known ids: {known}")
    return exercises[exercise_id]
