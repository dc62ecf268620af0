"""Text with `backticked` code, shown as HTML.

The self-check questions (:mod:`sgdlib.selfcheck`) and the exercise reports
(:mod:`sgdlib.grading.report`) both let their text mark code with backticks, as Markdown does;
this is the one place that says what that means.
"""

from __future__ import annotations

import html
import re

__all__ = ["inline_html"]

_CODE = re.compile(r"`([^`\n]+)`")


def inline_html(text: str) -> str:
    """Escape ``text`` for HTML and show its `backticked` parts as code, as Markdown would.

    Examples
    --------
    >>> inline_html("call `f(x)` when a < b")
    'call <code>f(x)</code> when a &lt; b'
    """
    return _CODE.sub(r"<code>\1</code>", html.escape(text))
