"""Self-check questions: predict, then run.

A lesson asks a question just before the cell that answers it. The learner clicks a choice (or
types a number) and sees at once whether it is right and, if not, why. They may try again as
often as they like. Nothing is graded or recorded, and no server is needed.

A lesson cell writes one call per question::

    from sgdlib.selfcheck import ask
    ask("With η = 1.9 on f(x) = x²/2 (so L = 1), what does gradient descent do?",
        choices={"It diverges": "η = 1.9 is below 2/L = 2, so every step shrinks |x|.",
                 "It converges, x changing sign every step": "x ← (1 − η)x = −0.9x.",
                 "It converges without overshooting": "1 − η = −0.9 < 0 flips the sign."},
        answer="It converges, x changing sign every step")

How a question looks where:

* **Multiple choice** is plain HTML: one ``<details>`` per choice, whose ``<summary>`` is the
  choice. Clicking it opens "Right." or "Not quite." and the explanation. No JavaScript is
  involved, so the same output works in JupyterLab, in a saved notebook opened untrusted
  (JupyterLab's sanitizer keeps ``details`` and ``summary``), in nbconvert's HTML, in GitHub's
  notebook view and on a static site built from the notebooks.
* **A numeric answer** needs an input box, and that needs a script. Where scripts run
  (JupyterLab, a trusted notebook, nbconvert's HTML) a few lines of it add a box and a "Check"
  button that say "Right." or "Not quite. 49 is too high. Try again.". Where scripts are
  stripped (an untrusted notebook, GitHub) the question stays, with a "Show the answer"
  ``<details>`` that is there in both cases.
* **Text** (``text/plain``: a terminal, nbval) shows the question and the choices.

An explanation gives the reason only: the verdict ("Right." or "Not quite.") is shown before it,
so an explanation that starts with one of :data:`VERDICT_WORDS` ("No: ...") is refused.

The output depends only on the arguments (no random ids), so nbval can compare it. Text may
mark code with backticks, as in Markdown; everything else is shown as written (write symbols
in Unicode: η, ≤, ²).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from string import Template

from IPython.display import display

from ._checks import check_number
from ._markup import inline_html

__all__ = ["MIN_CHOICES", "MAX_CHOICES", "RIGHT", "WRONG", "VERDICT_WORDS", "ROUNDING", "Question",
           "ask"]

#: A multiple-choice question offers this many choices, no fewer and no more.
MIN_CHOICES, MAX_CHOICES = 3, 5
#: The verdicts, in words: the colours only repeat them.
RIGHT, WRONG = "Right.", "Not quite."
#: Words an explanation may not start with: the verdict is shown already, just before it.
VERDICT_WORDS = ("Right", "Yes", "No", "Not quite", "Wrong", "Correct")
#: A typed number is right within ``tolerance`` plus this relative slack, so that an answer
#: computed as ``0.1 + 0.2`` accepts the typed ``0.3``.
ROUNDING = 1e-9

_LETTERS = "abcde"
_DIGITS = 12  # significant digits of a number shown to the learner
# JupyterLab's theme colours (light and dark). Each comes after a plain colour: JupyterLab's
# sanitizer (an untrusted notebook) drops declarations with var() and keeps the plain one.
_RIGHT_STYLE = "color:#1a7f37;color:var(--jp-success-color1, #1a7f37)"
_WRONG_STYLE = "color:#cf222e;color:var(--jp-error-color1, #cf222e)"
_BOX_STYLE = ("border-left:4px solid #0969da;border-left:4px solid var(--jp-brand-color1, #0969da);"
              "padding:4px 12px;margin:6px 0")
# A verdict word as the first word ("No:", "Right." but not "Nothing", "Right-hand").
_VERDICT = re.compile(r"(%s)(?![\w-])" % "|".join(VERDICT_WORDS), re.IGNORECASE)

# Adds the input box of a numeric question. It runs inside the question's <div> (its parent),
# reads the answer from data attributes and never talks to a kernel. No <form>: JupyterLab
# cancels Enter's implicit submit, so Enter is handled here.
_NUMBER_SCRIPT = Template("""(function (box) {
  var row = document.createElement("p");
  row.setAttribute("data-lm-suppress-shortcuts", "");  // keys typed here are not JupyterLab's
  row.innerHTML = '<label>Your answer: <input type="text" inputmode="decimal" size="12"'
    + ' autocomplete="off"></label> <button type="button">Check</button>'
    + ' <span role="status"></span>';
  var input = row.querySelector("input"), status = row.querySelector("span");
  var reveal = box.querySelector("details");
  var answer = Number(box.dataset.answer), within = Number(box.dataset.within);
  function say(verdict, style, rest) {
    var word = document.createElement("strong");
    word.textContent = verdict;
    word.style.cssText = style;
    status.replaceChildren(word, rest);
  }
  function check() {
    var typed = input.value.trim().replace(",", "."), x = Number(typed);
    if (typed === "" || !isFinite(x)) {
      status.textContent = "Type a number, for example 0.5 or 1e-3.";
    } else if (Math.abs(x - answer) <= within) {
      say($right, "$right_style", " See why below.");
      reveal.open = true;
    } else {
      say($wrong, "$wrong_style",
          " " + typed + " is too " + (x > answer ? "high" : "low") + ". Try again.");
    }
  }
  row.querySelector("button").onclick = check;
  input.onkeydown = function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      check();
    }
  };
  box.insertBefore(row, reveal);
})(document.currentScript.parentElement);""").substitute(
    right=f'"{RIGHT}"', wrong=f'"{WRONG}"', right_style=_RIGHT_STYLE, wrong_style=_WRONG_STYLE,
)


def _number(x: float) -> str:
    return f"{x:.{_DIGITS}g}"


def _text(name: str, value: object) -> str:
    """``value`` stripped, after checking it is a non-empty string."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__} {value!r}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value.strip()


def _explanation(name: str, value: object) -> str:
    """``value`` stripped, after checking it is a non-empty string that does not open with a
    verdict."""
    text = _text(name, value)
    verdict = _VERDICT.match(text)
    if verdict:
        raise ValueError(
            f"{name} must give the reason only, without a verdict: it starts with "
            f"{verdict.group(0)!r}, and the question already shows {RIGHT!r} or {WRONG!r} before "
            f"it. Drop the {verdict.group(0)!r}."
        )
    return text


def _check_choices(choices: object, answer: object) -> dict[str, str]:
    """``choices`` as a plain dict of stripped texts, after checking it and ``answer``."""
    if not isinstance(choices, Mapping):
        raise TypeError(
            f"choices must be a dict {{choice: why it is right or wrong}}, got "
            f"{type(choices).__name__}"
        )
    if not MIN_CHOICES <= len(choices) <= MAX_CHOICES:
        raise ValueError(
            f"choices must hold {MIN_CHOICES} to {MAX_CHOICES} choices, got {len(choices)}"
        )
    checked: dict[str, str] = {}
    for choice, why in choices.items():
        text = _text("every choice (a key of choices)", choice)
        if text in checked:
            raise ValueError(f"choices holds the choice {text!r} twice")
        if not isinstance(why, str):
            raise TypeError(
                f"choices[{choice!r}] must say why that choice is right or wrong (a str), got "
                f"{type(why).__name__} {why!r}; mark the right choice with answer={choice!r}"
            )
        checked[text] = _explanation(f"choices[{choice!r}]", why)
    if not isinstance(answer, str) or answer.strip() not in checked:
        raise ValueError(
            f"answer must be the text of the right choice, one of {list(checked)}, got {answer!r}"
        )
    return checked


class Question:
    """One self-check question, shown as HTML in Jupyter and as text elsewhere.

    :func:`ask` builds one and displays it; build one yourself to display it later.

    Parameters
    ----------
    question : str
        The question, one or two sentences.
    choices : dict of str to str, optional
        For a multiple-choice question: each of the 3 to 5 choices mapped to why it is right
        or wrong, shown in this order. Leave it out for a numeric question.
    answer : str or float
        The right choice (its text, a key of ``choices``), or the right number.
    tolerance : float, optional
        Numeric questions only: a typed number ``x`` is right when
        ``|x - answer| <= tolerance`` (plus :data:`ROUNDING` slack). Default: exact.
    explanation : str, optional
        Numeric questions only, and required there: how the answer comes about. It is shown
        once the learner is right, or asks to see the answer.

    Raises
    ------
    TypeError, ValueError
        On anything malformed, naming the argument: a choice without its explanation, an
        explanation that starts with a verdict word (:data:`VERDICT_WORDS`), an
        ``answer`` that is not one of the choices, fewer than 3 or more than 5 choices, or
        ``tolerance``/``explanation`` given with ``choices``.

    Examples
    --------
    >>> q = Question("How many steps until |x| < 0.01 |x₀| when x ← 0.9x?", answer=44,
    ...              explanation="0.9^t < 0.01 once t > ln 0.01 / ln 0.9 = 43.7.")
    >>> q.tolerance
    0.0
    >>> Question("Is 2/L a safe step?", choices={"Yes": "...", "No": "..."}, answer="No")
    Traceback (most recent call last):
    ...
    ValueError: choices must hold 3 to 5 choices, got 2
    """

    def __init__(
        self,
        question: str,
        *,
        choices: Mapping[str, str] | None = None,
        answer: str | float,
        tolerance: float | None = None,
        explanation: str | None = None,
    ) -> None:
        self.question = _text("question", question)
        self.choices: dict[str, str] | None = None
        self.explanation: str | None = None
        if choices is not None:
            if tolerance is not None:
                raise ValueError("tolerance is for numeric questions only: leave it out when "
                                 "giving choices")
            if explanation is not None:
                raise ValueError("explanation is for numeric questions only: with choices, "
                                 "each choice's explanation is its value in choices")
            self.choices = _check_choices(choices, answer)
            self.answer: str | float = answer.strip()
            self.tolerance: float | None = None
            return
        if isinstance(answer, str):
            raise TypeError(f"answer must be a number when no choices are given, got the str "
                            f"{answer!r} (did you forget choices=...?)")
        self.answer = check_number("answer", answer)
        self.tolerance = 0.0 if tolerance is None else check_number("tolerance", tolerance, low=0)
        if explanation is None:
            raise TypeError("a numeric question needs explanation=: how the answer comes about")
        self.explanation = _explanation("explanation", explanation)

    # -- text ---------------------------------------------------------------------------------
    def __repr__(self) -> str:
        lines = [f"Self-check: {self.question}"]
        if self.choices is None:
            lines.append("  (answer with a number; in Jupyter, type it in the box to check it)")
        else:
            lines += [f"  ({letter}) {choice}" for letter, choice in zip(_LETTERS, self.choices)]
            lines.append("  (in Jupyter, click a choice to see whether it is right, and why)")
        return "\n".join(lines)

    # -- HTML ---------------------------------------------------------------------------------
    def _repr_html_(self) -> str:
        heading = (f'<p style="margin:0 0 4px"><strong>Self-check.</strong> '
                   f"{inline_html(self.question)}</p>")
        if self.choices is None:
            within = self.tolerance + ROUNDING * max(1.0, abs(self.answer))
            return (
                f'<div class="sgdlib-selfcheck" data-answer="{self.answer!r}" '
                f'data-within="{within!r}" style="{_BOX_STYLE}">{heading}'
                f'<details style="margin:6px 0"><summary style="cursor:pointer">Show the answer'
                f'</summary><p style="margin:4px 0 4px 1.5em"><strong>Answer: '
                f'{_number(self.answer)}</strong>'
                + (f" (within {_number(self.tolerance)})" if self.tolerance else "")
                + f". {inline_html(self.explanation)}</p></details>"
                f"<script>{_NUMBER_SCRIPT}</script></div>"
            )
        items = []
        for letter, (choice, why) in zip(_LETTERS, self.choices.items()):
            right = choice == self.answer
            items.append(
                f'<details style="margin:6px 0"><summary style="cursor:pointer">({letter}) '
                f'{inline_html(choice)}</summary><p style="margin:4px 0 4px 1.5em">'
                f'<strong style="{_RIGHT_STYLE if right else _WRONG_STYLE}">'
                f"{RIGHT if right else WRONG}</strong> {inline_html(why)}</p></details>"
            )
        return (
            f'<div class="sgdlib-selfcheck" style="{_BOX_STYLE}">{heading}'
            f'<p style="margin:0 0 4px"><em>Click a choice to see whether it is right, and why.'
            f"</em></p>{''.join(items)}</div>"
        )


def ask(
    question: str,
    *,
    choices: Mapping[str, str] | None = None,
    answer: str | float,
    tolerance: float | None = None,
    explanation: str | None = None,
) -> None:
    """Show a self-check question below the cell: multiple choice, or a number to type.

    Several calls in one cell show several questions. The arguments are those of
    :class:`Question`: give ``choices`` (3 to 5, each mapped to why it is right or wrong)
    and ``answer`` (the right choice), or a numeric ``answer`` with ``tolerance`` and
    ``explanation``.

    Examples
    --------
    >>> ask("With η = 1.9 on f(x) = x²/2 (so L = 1), what does gradient descent do?",
    ...     choices={"It diverges": "η = 1.9 is below 2/L = 2, so every step shrinks |x|.",
    ...              "It converges, x changing sign every step": "x ← (1 − η)x = −0.9x.",
    ...              "It converges without overshooting": "1 − η = −0.9 < 0 flips the sign."},
    ...     answer="It converges, x changing sign every step")
    Self-check: With η = 1.9 on f(x) = x²/2 (so L = 1), what does gradient descent do?
      (a) It diverges
      (b) It converges, x changing sign every step
      (c) It converges without overshooting
      (in Jupyter, click a choice to see whether it is right, and why)
    >>> ask("After how many steps is |x| below 1% of its start?", answer=44, tolerance=1,
    ...     explanation="0.9^t < 0.01 once t > ln 0.01 / ln 0.9 = 43.7.")
    Self-check: After how many steps is |x| below 1% of its start?
      (answer with a number; in Jupyter, type it in the box to check it)
    """
    display(Question(question, choices=choices, answer=answer, tolerance=tolerance,
                     explanation=explanation))
