"""One way to print numbers and arrays in every message of the graded exercises.

Numbers get a fixed count of significant digits, so an expected and a got value line up and
read the same way, and arrays are written as Python lists would be (``[1.0, 0.5]``), in the
report text and in the exercises' own messages alike.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["fmt"]


def _number(x: Any, digits: int) -> str:
    if isinstance(x, (complex, np.complexfloating)):
        return f"{complex(x):.{digits}g}"
    if isinstance(x, (bool, np.bool_, int, np.integer)):
        return str(x)
    text = f"{float(x):.{digits}g}"
    # Keep a float recognisable as one: "1.0", not "1" (nan, inf and 1e-05 are fine as they are).
    return text if any(c in text for c in ".eEni") else text + ".0"


def fmt(value: Any, digits: int = 8) -> str:
    """Format a number or an array with ``digits`` significant digits.

    Examples
    --------
    >>> fmt(np.array([1.0, 0.5]))
    '[1.0, 0.5]'
    >>> fmt(np.float32(0.2), digits=12)
    '0.20000000298'
    >>> fmt(np.eye(2))
    '[[1.0, 0.0],\\n [0.0, 1.0]]'
    """
    if isinstance(value, np.ndarray) and value.ndim > 0:
        if value.dtype.kind in "fcbiu":
            return np.array2string(value, separator=", ",
                                   formatter={"all": lambda x: _number(x, digits)})
        return np.array2string(value, separator=", ")
    if isinstance(value, np.ndarray):
        value = value[()]
    if isinstance(value, (float, complex, int, np.number, np.bool_)):
        return _number(value, digits)
    if isinstance(value, dict):  # an optimizer's state
        return "{" + ", ".join(f"{k!r}: {fmt(v, digits)}" for k, v in value.items()) + "}"
    if callable(value):
        return getattr(value, "__name__", "a function")
    return repr(value)
