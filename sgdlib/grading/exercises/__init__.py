"""The graded exercises, one file each: ``exercises/chNN/<function name>.py``.

A file holds one exercise whole: the reference implementation, the inputs ``check`` tries
(fixed ones written by hand, edge cases among them, and random ones from a seeded generator),
and the mistakes it recognises, each wrong implementation next to its hint. It ends with
``EXERCISE = Exercise(...)`` (see :mod:`sgdlib.grading.core`). The registry finds every such
file by walking this package, so a new exercise, or a new chapter's folder, is added by adding
files and nothing else. Modules whose names start with ``_`` are helpers and are not searched.
"""
