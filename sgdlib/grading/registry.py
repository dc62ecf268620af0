"""Where ``check("<exercise id>", fn)`` finds its exercise.

Every exercise is one module under :mod:`sgdlib.grading.exercises`, e.g.
``exercises/ch01/numerical_gradient.py``, that defines ``EXERCISE``, an
:class:`~sgdlib.grading.core.Exercise`. The registry walks that package, so chapter 2 adds its
exercises by adding ``exercises/ch02/<function name>.py`` files and nothing else. Modules whose
names start with ``_`` hold shared helpers and are skipped.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from . import exercises
from .core import Exercise

__all__ = ["all_exercises", "get_exercise"]


@lru_cache(maxsize=1)
def _load() -> tuple[Exercise, ...]:
    found: dict[str, tuple[Exercise, str]] = {}
    for info in pkgutil.walk_packages(exercises.__path__, prefix=f"{exercises.__name__}."):
        if info.ispkg or info.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        module = importlib.import_module(info.name)
        exercise = getattr(module, "EXERCISE", None)
        if not isinstance(exercise, Exercise):
            raise TypeError(f"{info.name} must define EXERCISE = Exercise(...), one exercise per file")
        if exercise.id in found:
            raise ValueError(f"exercise id {exercise.id!r} is defined twice: in {found[exercise.id][1]} "
                             f"and {info.name}")
        found[exercise.id] = exercise, info.name
    return tuple(sorted((e for e, _ in found.values()), key=lambda e: (e.chapter, e.number, e.id)))


def all_exercises() -> dict[str, Exercise]:
    """Return every registered exercise, by id, in chapter order and, within a chapter, in the
    order of its notebook.

    Examples
    --------
    >>> list(all_exercises())[:2]
    ['ch01_numerical_gradient', 'ch01_gradient_descent']
    """
    return {exercise.id: exercise for exercise in _load()}


def get_exercise(exercise_id: str) -> Exercise:
    """Return the exercise with this id; a clear ``KeyError`` lists the known ids otherwise.

    Examples
    --------
    >>> get_exercise("ch01_gradient_descent").function_name
    'gradient_descent'
    """
    exercises_by_id = all_exercises()
    if not isinstance(exercise_id, str) or exercise_id not in exercises_by_id:
        known = ", ".join(exercises_by_id)
        raise KeyError(f"unknown exercise id {exercise_id!r}; known ids: {known}")
    return exercises_by_id[exercise_id]
