"""Tests of sgdlib.selfcheck: the data a lesson cell writes is validated, and renders right.

What a learner sees in a browser (clicking, typing, a saved and an untrusted notebook) is
tested in ``tests/browser/test_selfcheck_in_jupyterlab.py``; these tests read the HTML.
"""

from __future__ import annotations

import html.parser
import math
import re
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from IPython.core.formatters import DisplayFormatter

import sgdlib.selfcheck as selfcheck
from sgdlib.selfcheck import (MAX_CHOICES, MIN_CHOICES, RIGHT, ROUNDING, VERDICT_WORDS, WRONG,
                               Question, ask)

QUESTION = "With η = 1.9 on f(x) = x²/2 (so L = 1), what does gradient descent do?"
CHOICES = {
    "It diverges": "η = 1.9 is below 2/L = 2, so every step shrinks |x|.",
    "It converges, x changing sign every step": "x ← (1 − η)x = −0.9x.",
    "It converges without overshooting": "1 − η = −0.9 < 0 flips the sign.",
}
RIGHT_CHOICE = "It converges, x changing sign every step"


def choices(n: int) -> dict[str, str]:
    return {f"choice {i}": f"why {i}" for i in range(n)}


# -- a small HTML tree, to read the output as a browser would -----------------------------------
@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: str) -> list[Element]:
        found = []
        for c in self.children:
            if isinstance(c, Element):
                found += [c] * (c.tag == tag) + c.find_all(tag)
        return found


class TreeBuilder(html.parser.HTMLParser):
    VOID = {"br", "input", "img", "hr", "meta", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack = [Element("root")]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(text: str) -> Element:
    builder = TreeBuilder()
    builder.feed(text)
    builder.close()
    assert len(builder.stack) == 1, f"unclosed <{builder.stack[-1].tag}>"
    return builder.stack[0]


def choice_parts(q: Question) -> list[tuple[str, str]]:
    """(summary, revealed text) of each <details> in the output, in order."""
    parts = []
    for details in parse(q._repr_html_()).find_all("details"):
        summary = details.find_all("summary")
        assert len(summary) == 1 and details.children[0] is summary[0], "summary must come first"
        hidden = "".join(c if isinstance(c, str) else c.text() for c in details.children[1:])
        parts.append((summary[0].text(), hidden))
    return parts


# -- validation ---------------------------------------------------------------------------------
BAD = [
    # (arguments, exception, words the message must contain)
    (dict(question=3, choices=CHOICES, answer=RIGHT_CHOICE), TypeError, ["question", "str"]),
    (dict(question="  ", choices=CHOICES, answer=RIGHT_CHOICE), ValueError, ["question", "empty"]),
    (dict(choices=list(CHOICES), answer=RIGHT_CHOICE), TypeError, ["choices", "dict", "list"]),
    (dict(choices=choices(MIN_CHOICES - 1), answer="choice 0"), ValueError, ["choices", "3 to 5", "got 2"]),
    (dict(choices=choices(MAX_CHOICES + 1), answer="choice 0"), ValueError, ["choices", "3 to 5", "got 6"]),
    (dict(choices={**choices(2), "A": True}, answer="A"), TypeError,
     ["choices['A']", "why", "answer='A'"]),
    (dict(choices={**choices(2), "A": " "}, answer="A"), ValueError, ["choices['A']", "empty"]),
    (dict(choices={**choices(2), 7: "why"}, answer="choice 0"), TypeError, ["choice", "str", "int"]),
    (dict(choices={**choices(2), "choice 0 ": "again"}, answer="choice 0"), ValueError,
     ["choices", "'choice 0'", "twice"]),
    (dict(choices=CHOICES, answer="It converges"), ValueError,
     ["answer", "one of", "It diverges", "'It converges'"]),
    (dict(choices=CHOICES, answer=1), ValueError, ["answer", "text of the right choice"]),
    (dict(choices=CHOICES, answer=RIGHT_CHOICE, tolerance=0.1), ValueError, ["tolerance", "numeric"]),
    (dict(choices=CHOICES, answer=RIGHT_CHOICE, explanation="because"), ValueError,
     ["explanation", "numeric", "value in choices"]),
    (dict(answer="22", explanation="e"), TypeError, ["answer", "number", "choices"]),
    (dict(answer=True, explanation="e"), TypeError, ["answer", "real number", "bool"]),
    (dict(answer=math.nan, explanation="e"), ValueError, ["answer", "finite"]),
    (dict(answer=22, tolerance=-1, explanation="e"), ValueError, ["tolerance", ">= 0"]),
    (dict(answer=22, tolerance="1", explanation="e"), TypeError, ["tolerance", "real number"]),
    (dict(answer=22), TypeError, ["explanation", "numeric question"]),
    (dict(answer=22, explanation=""), ValueError, ["explanation", "empty"]),
]


@pytest.mark.parametrize("kwargs, error, words", BAD, ids=[str(i) for i in range(len(BAD))])
def test_malformed_questions_are_refused_naming_the_argument(kwargs, error, words):
    kwargs = {"question": QUESTION, **kwargs}
    with pytest.raises(error) as info:
        Question(**kwargs)
    for word in words:
        assert word in str(info.value), f"{word!r} missing from: {info.value}"


@pytest.mark.parametrize("word", VERDICT_WORDS)
@pytest.mark.parametrize("after", [": ", ". ", ", ", " - ", "! "])
def test_an_explanation_starting_with_a_verdict_is_refused(word, after):
    # The verdict is shown just before the explanation: "Not quite. No: ..." says it twice.
    for text in (word, word.lower(), word.upper()):
        why = f"{text}{after}η = 1.9 is below 2/L."
        with pytest.raises(ValueError, match=re.escape("choices['It diverges'] must give the reason")):
            Question(QUESTION, choices={**CHOICES, "It diverges": why}, answer=RIGHT_CHOICE)
        with pytest.raises(ValueError, match="explanation must give the reason only"):
            Question(QUESTION, answer=44, explanation=why)


@pytest.mark.parametrize("why", ["Nothing moves: the gradient is 0.", "Right-hand side first.",
                                 "Correctly scaled, it converges.", "Yesterday's rule.",
                                 "Notably, 1 − η < 0.", "Wronskian aside, x shrinks."])
def test_an_explanation_may_start_with_a_word_that_merely_begins_like_a_verdict(why):
    q = Question(QUESTION, choices={**CHOICES, "It diverges": why}, answer=RIGHT_CHOICE)
    assert q.choices["It diverges"] == why


def test_an_answer_is_required():
    with pytest.raises(TypeError, match="answer"):
        Question(QUESTION, choices=CHOICES)


@pytest.mark.parametrize("n", range(MIN_CHOICES, MAX_CHOICES + 1))
def test_three_to_five_choices_are_accepted(n):
    assert len(choice_parts(Question(QUESTION, choices=choices(n), answer="choice 1"))) == n


def test_texts_are_stripped_so_the_answer_matches_its_choice():
    q = Question(f" {QUESTION}\n", choices={f"  {k}": v + " " for k, v in CHOICES.items()},
                 answer=f"{RIGHT_CHOICE} ")
    assert q.question == QUESTION and q.answer == RIGHT_CHOICE and q.choices == CHOICES


# -- multiple choice -------------------------------------------------------------------------
def test_each_choice_is_a_summary_that_reveals_its_verdict_and_why():
    parts = choice_parts(Question(QUESTION, choices=CHOICES, answer=RIGHT_CHOICE))
    assert [summary for summary, _ in parts] == [f"({letter}) {choice}"
                                                for letter, choice in zip("abc", CHOICES)]
    for (_, revealed), (choice, why) in zip(parts, CHOICES.items()):
        verdict = RIGHT if choice == RIGHT_CHOICE else WRONG
        assert revealed.strip() == f"{verdict} {why}"
    assert sum(revealed.strip().startswith(RIGHT) for _, revealed in parts) == 1


def test_multiple_choice_needs_no_script_and_shows_the_question_first():
    tree = parse(Question(QUESTION, choices=CHOICES, answer=RIGHT_CHOICE)._repr_html_())
    assert not tree.find_all("script") and not tree.find_all("input")
    (box,) = [e for e in tree.find_all("div") if e.attrs.get("class") == "sgdlib-selfcheck"]
    first = box.find_all("p")[0].text()
    assert first == f"Self-check. {QUESTION}"
    outside_details = first + box.find_all("p")[1].text()
    for why in CHOICES.values():   # explanations are only inside the closed <details>
        assert why not in outside_details
    assert all("open" not in d.attrs for d in tree.find_all("details"))


def test_verdicts_are_words_and_colour_only_repeats_them():
    tree = parse(Question(QUESTION, choices=CHOICES, answer=RIGHT_CHOICE)._repr_html_())
    verdicts = [s for s in tree.find_all("strong") if s.text() in (RIGHT, WRONG)]
    assert [v.text() for v in verdicts] == [WRONG, RIGHT, WRONG]
    styles = {v.text(): v.attrs["style"] for v in verdicts}
    assert styles[RIGHT] != styles[WRONG]
    # A plain colour first, for sanitizers that drop var() (JupyterLab's, untrusted).
    assert re.match(r"color:#[0-9a-f]{6};", styles[RIGHT])


def test_text_is_escaped_and_backticks_become_code():
    q = Question("Is `lr` < 2/L & safe?", choices={"<b>yes</b>": "`p -= lr * g` is fine",
                                                   "no": "n", "maybe": "m"}, answer="no")
    text = q._repr_html_()
    assert "<b>yes</b>" not in text and "&lt;b&gt;yes&lt;/b&gt;" in text
    assert "Is <code>lr</code> &lt; 2/L &amp; safe?" in text
    assert "<code>p -= lr * g</code>" in text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="`"),
                        min_size=1).filter(str.strip),
                min_size=4, max_size=4, unique_by=str.strip))
def test_any_text_reads_back_unchanged_from_the_html(texts):
    question, *options = (t.strip() for t in texts)
    q = Question(question, choices={o: f"why {o}" for o in options}, answer=options[0])
    tree = parse(q._repr_html_())
    assert question in tree.text()
    assert [s for s, _ in choice_parts(q)] == [f"({k}) {o}" for k, o in zip("abc", options)]


def test_the_html_is_the_same_every_time():
    one = Question(QUESTION, choices=CHOICES, answer=RIGHT_CHOICE)._repr_html_()
    two = Question(QUESTION, choices=dict(CHOICES), answer=RIGHT_CHOICE)._repr_html_()
    assert one == two
    assert "id=" not in one   # nbval compares text/html: nothing may change from run to run


def test_text_form_lists_the_choices_without_giving_the_answer_away():
    text = repr(Question(QUESTION, choices=CHOICES, answer=RIGHT_CHOICE))
    assert text.splitlines()[:4] == [f"Self-check: {QUESTION}", "  (a) It diverges",
                                     f"  (b) {RIGHT_CHOICE}", "  (c) It converges without overshooting"]
    assert RIGHT not in text and WRONG not in text
    assert not any(why in text for why in CHOICES.values())


# -- numeric -----------------------------------------------------------------------------------
def test_numeric_question_carries_its_answer_for_the_script_and_degrades_to_a_reveal():
    q = Question("How many steps?", answer=44, tolerance=1, explanation="ln 0.01 / ln 0.9 = 43.7.")
    tree = parse(q._repr_html_())
    (box,) = [e for e in tree.find_all("div") if e.attrs.get("class") == "sgdlib-selfcheck"]
    assert float(box.attrs["data-answer"]) == 44.0
    assert float(box.attrs["data-within"]) == pytest.approx(1 + ROUNDING * 44, rel=1e-15)
    assert len(tree.find_all("script")) == 1 and box.children[-1].tag == "script"
    assert not tree.find_all("input")   # the script makes the box: none where scripts are stripped
    ((summary, revealed),) = choice_parts(q)
    assert summary == "Show the answer"
    assert revealed.strip() == "Answer: 44 (within 1). ln 0.01 / ln 0.9 = 43.7."
    assert "43.7" not in box.find_all("p")[0].text()


@pytest.mark.parametrize("answer, tolerance, shown", [
    (44, 0, "Answer: 44."), (0.1 + 0.2, 0.01, "Answer: 0.3 (within 0.01)."),
    (1234567, 0.5, "Answer: 1234567 (within 0.5)."), (-1.5e-5, 1e-6, "Answer: -1.5e-05 (within 1e-06)."),
])
def test_numbers_are_shown_the_way_an_author_writes_them(answer, tolerance, shown):
    q = Question("How much?", answer=answer, tolerance=tolerance, explanation="Because.")
    assert choice_parts(q)[0][1].strip() == f"{shown} Because."


def test_the_rounding_slack_scales_with_the_answer_and_tolerance_defaults_to_exact():
    q = Question("How much?", answer=-2e6, explanation="Because.")
    assert q.tolerance == 0.0
    within = float(parse(q._repr_html_()).find_all("div")[0].attrs["data-within"])
    assert within == pytest.approx(ROUNDING * 2e6)
    assert abs((0.1 + 0.2) - 0.3) <= ROUNDING   # what the slack is for


def test_numeric_text_form_asks_for_a_number():
    text = repr(Question("How many steps?", answer=44, explanation="43.7 rounded up."))
    assert text.splitlines()[0] == "Self-check: How many steps?"
    assert "number" in text and "44" not in text and "43.7" not in text


# -- showing it --------------------------------------------------------------------------------
def test_jupyter_gets_html_and_text():
    data, _ = DisplayFormatter().format(Question(QUESTION, choices=CHOICES, answer=RIGHT_CHOICE))
    assert data["text/plain"].startswith("Self-check:")
    assert data["text/html"].startswith('<div class="sgdlib-selfcheck"')


def test_ask_displays_each_question_and_returns_nothing(monkeypatch):
    shown = []
    monkeypatch.setattr(selfcheck, "display", shown.append)
    assert ask(QUESTION, choices=CHOICES, answer=RIGHT_CHOICE) is None
    assert ask("How many steps?", answer=44, tolerance=1, explanation="43.7 rounded up.") is None
    assert [type(q) for q in shown] == [Question, Question]
    assert shown[0].choices == CHOICES and shown[0].answer == RIGHT_CHOICE
    assert (shown[1].answer, shown[1].tolerance) == (44.0, 1.0)


def test_ask_refuses_bad_data_before_showing_anything(monkeypatch):
    shown = []
    monkeypatch.setattr(selfcheck, "display", shown.append)
    with pytest.raises(ValueError, match="answer"):
        ask(QUESTION, choices=CHOICES, answer="It converges")
    assert shown == []
