"""The report ``check`` shows: rich HTML in Jupyter, plain text everywhere else."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from .._markup import inline_html

__all__ = ["CheckFailed", "CheckLine", "Report"]

_MARK = {"pass": "✓", "fail": "✗", "skip": "·"}

_COLOUR = {"passed": "#1a7f37", "failed": "#cf222e", "not_attempted": "#9a6700"}


class CheckFailed(AssertionError):
    """Raised by ``check`` when an exercise is not passed yet.

    An ``AssertionError``, so nbgrader gives the cell 0 points and pytest records a failure.
    The report above it already says what is wrong, so in IPython and Jupyter it shows as one
    line instead of a traceback into the checker's code.

    Examples
    --------
    >>> CheckFailed("ch01_x: values: wrong value of gradient")._render_traceback_()
    ['CheckFailed: ch01_x: values: wrong value of gradient']
    """

    def _render_traceback_(self) -> list[str]:
        """The lines IPython shows for this exception (its hook for custom tracebacks)."""
        return [f"{type(self).__name__}: {self}"]


@dataclass
class CheckLine:
    """One line of the report: a check's name, ``"pass"``/``"fail"``/``"skip"``, a message."""

    name: str
    status: str
    message: str = ""


@dataclass
class Report:
    """The outcome of checking one exercise.

    ``verdict`` is ``"passed"``, ``"failed"`` or ``"not_attempted"``; ``summary`` is one line
    (also the message of the :class:`CheckFailed` that ``check`` raises), ``detail`` the expected-vs-got block of the
    smallest failing case, ``hints`` what the diagnostic probes recognised.
    """

    exercise_id: str
    title: str
    verdict: str
    summary: str
    checks: list[CheckLine] = field(default_factory=list)
    detail: str = ""
    hints: list[str] = field(default_factory=list)
    printed: str = ""

    @property
    def passed(self) -> bool:
        return self.verdict == "passed"

    def _heading(self) -> str:
        word = {"passed": "PASSED", "failed": "NOT YET", "not_attempted": "NOT ATTEMPTED"}[self.verdict]
        return f"{word}  {self.exercise_id}: {self.title}"

    def __str__(self) -> str:
        lines = [self._heading()]
        if self.verdict != "failed":  # a failure's summary is its ✗ line already
            lines.append(f"  {self.summary}")
        if self.verdict != "not_attempted":
            for c in self.checks:
                lines.append(f"  {_MARK[c.status]} {c.name}" + (f": {c.message}" if c.message else ""))
        if self.detail:
            lines += ["", *("  " + d for d in self.detail.splitlines())]
        if self.hints:
            lines += ["", "  Hints:"] + [f"  - {h}" for h in self.hints]
        if self.printed:
            lines += ["", "  Your function printed (first lines):"]
            lines += ["    " + p for p in self.printed.splitlines()[:5]]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        e = html.escape
        colour = _COLOUR[self.verdict]
        parts = [
            f'<div class="sgdlib-check" style="border-left:4px solid {colour};padding:4px 10px;">',
            f'<b style="color:{colour}">{e(self._heading())}</b>',
            "" if self.verdict == "failed" else f"<br>{inline_html(self.summary)}",
        ]
        if self.verdict != "not_attempted" and self.checks:
            items = "".join(
                f"<li>{_MARK[c.status]} {e(c.name)}" + (f": {inline_html(c.message)}" if c.message else "") + "</li>"
                for c in self.checks
            )
            parts.append(f'<ul style="list-style:none;padding-left:0;margin:4px 0">{items}</ul>')
        if self.detail:
            parts.append(f"<pre>{e(self.detail)}</pre>")
        if self.hints:
            parts.append("<b>Hints</b><ul>" + "".join(f"<li>{inline_html(h)}</li>" for h in self.hints) + "</ul>")
        if self.printed:
            shown = "\n".join(self.printed.splitlines()[:5])
            parts.append(f"Your function printed (first lines):<pre>{e(shown)}</pre>")
        parts.append("</div>")
        return "".join(parts)
