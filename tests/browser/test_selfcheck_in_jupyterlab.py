"""Self-check questions (``sgdlib.selfcheck``) as a learner meets them, in a real browser.

One small notebook with two questions, a multiple-choice one and a numeric one, is

1. run in JupyterLab and answered: a wrong choice, then the right one; a wrong number, then
   the right one. Then it is saved;
2. the saved file is reopened as someone else would open it: untrusted (a copy whose
   signature this server has never seen), so JupyterLab sanitizes its HTML and runs no script;
3. rendered without any kernel: nbconvert's HTML with and without JavaScript, and that HTML
   after GitHub's sanitizer (its tag whitelist, no scripts, no styles).

In every case the question and its choices must be readable; wherever JavaScript runs the
numeric question must answer typed numbers. Screenshots go to ``tests/browser/screenshots/``.
"""

from __future__ import annotations

import html.parser
import time

import nbformat
import pytest

from .jupyterlab import (
    Report, Timeouts, clear_and_run_all, evidence_on_failure, inspect_outputs, open_notebook,
)

pytestmark = pytest.mark.browser

TIMEOUTS = Timeouts()
QUESTION = ".sgdlib-selfcheck"

MC_QUESTION = "With η = 1.9 on f(x) = x²/2 (so L = 1), what does gradient descent do?"
MC_RIGHT = "It converges, x changing sign every step"
MC_WRONG = "It diverges"
MC_WHY_WRONG = "η = 1.9 is below 2/L = 2"
MC_CHOICES = {
    MC_WRONG: f"{MC_WHY_WRONG}, so every step shrinks |x|.",
    MC_RIGHT: "x ← (1 − η)x = −0.9x.",
    "It converges without overshooting": "1 − η = −0.9 < 0 flips the sign.",
}
NUM_QUESTION = "After how many steps is |x| below 1% of its start?"
NUM_ANSWER, NUM_TOLERANCE = 44, 1
NUM_WHY = "0.9^t < 0.01 once t > ln 0.01 / ln 0.9 = 43.7."
NOTEBOOK = "selfcheck_demo.ipynb"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def demo_notebook() -> nbformat.NotebookNode:
    """A lesson's two self-check cells, as an author writes them."""
    mc = (
        "from sgdlib.selfcheck import ask\n"
        f"ask({MC_QUESTION!r},\n    choices={MC_CHOICES!r},\n    answer={MC_RIGHT!r})"
    )
    num = (f"ask({NUM_QUESTION!r}, answer={NUM_ANSWER}, tolerance={NUM_TOLERANCE},\n"
           f"    explanation={NUM_WHY!r})")
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": KERNELSPEC})
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Self-check questions"),
        nbformat.v4.new_code_cell(mc),
        nbformat.v4.new_code_cell(num),
    ]
    return nb


def assert_readable(page, where: str) -> None:
    """The questions, every choice and the numeric question's "Show the answer" are visible."""
    questions = page.locator(QUESTION)
    assert questions.count() == 2, f"{where}: expected 2 self-check questions, found {questions.count()}"
    mc, num = questions.nth(0), questions.nth(1)
    mc.scroll_into_view_if_needed()
    assert mc.get_by_text(MC_QUESTION).is_visible(), f"{where}: the question is not visible"
    for choice in MC_CHOICES:
        assert mc.locator("summary", has_text=choice).is_visible(), f"{where}: {choice!r} hidden"
    assert num.get_by_text(NUM_QUESTION).is_visible(), f"{where}: the numeric question is hidden"
    assert num.locator("summary", has_text="Show the answer").is_visible(), where


def answer_choices(page, where: str) -> None:
    """Click a wrong choice, read why it is wrong, then open the right one with the keyboard."""
    mc = page.locator(QUESTION).nth(0)
    wrong = mc.locator("details", has=page.locator("summary", has_text=MC_WRONG))
    right = mc.locator("details", has=page.locator("summary", has_text=MC_RIGHT))
    assert not wrong.get_by_text(MC_WHY_WRONG).is_visible(), f"{where}: verdict shown before a click"
    wrong.locator("summary").click()
    verdict = wrong.locator("p")
    verdict.wait_for(state="visible", timeout=5_000)
    assert verdict.inner_text().startswith("Not quite."), f"{where}: {verdict.inner_text()!r}"
    assert MC_WHY_WRONG in verdict.inner_text(), f"{where}: why it is wrong is not shown"
    right.locator("summary").focus()   # a second try, from the keyboard
    page.keyboard.press("Enter")
    right.locator("p").wait_for(state="visible", timeout=5_000)
    assert right.locator("p").inner_text().startswith("Right."), where


def type_into(box, text: str) -> None:
    """Type key by key, as a learner does: JupyterLab must not take the keys as shortcuts
    (in command mode "4" would make the cell a heading, "o" hide its output)."""
    box.click()
    box.press("Control+a")
    box.press_sequentially(text)


def answer_number(page, where: str) -> None:
    """Type a wrong number (Enter), a word, then the right number (the Check button)."""
    num = page.locator(QUESTION).nth(1)
    box, status = num.locator("input"), num.locator("[role=status]")
    type_into(box, str(NUM_ANSWER + 5 * NUM_TOLERANCE))
    box.press("Enter")
    assert status.inner_text() == f"Not quite. {NUM_ANSWER + 5 * NUM_TOLERANCE} is too high. Try again.", (
        f"{where}: {status.inner_text()!r}"
    )
    assert not num.get_by_text(NUM_WHY).is_visible(), f"{where}: a wrong number revealed the answer"
    type_into(box, "forty")
    num.get_by_role("button", name="Check").click()
    assert status.inner_text().startswith("Type a number"), f"{where}: {status.inner_text()!r}"
    type_into(box, str(NUM_ANSWER - NUM_TOLERANCE))  # the edge of the tolerance still counts
    num.get_by_role("button", name="Check").click()
    assert status.inner_text().startswith("Right."), f"{where}: {status.inner_text()!r}"
    assert num.get_by_text(NUM_WHY).is_visible(), f"{where}: the explanation is not shown"


def wait_saved(path, timeout: float = 20.0) -> nbformat.NotebookNode:
    """The notebook on disk, once it holds the questions' HTML outputs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        nb = nbformat.read(path, as_version=4)
        shown = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                 if QUESTION[1:] in o.get("data", {}).get("text/html", "")]
        if len(shown) == 2:
            return nb
        time.sleep(0.25)
    raise AssertionError(f"{path} was not saved with both questions' outputs within {timeout} s")


def test_selfcheck_answers_in_jupyterlab_and_reads_in_the_saved_untrusted_copy(
    lab, page, screenshot_dir
):
    nb = demo_notebook()
    nbformat.write(nb, lab.root_dir / NOTEBOOK)
    with evidence_on_failure(page, lab, screenshot_dir / "selfcheck-failed.png"):
        # (a) Live: run it, answer it, save it.
        open_notebook(page, lab.url, NOTEBOOK, TIMEOUTS)
        clear_and_run_all(page, len(nb.cells), TIMEOUTS)
        report = Report()
        inspect_outputs(page, nb, report)
        assert not report.errors and not report.not_run, report
        assert_readable(page, "JupyterLab, live")
        answer_choices(page, "JupyterLab, live")
        answer_number(page, "JupyterLab, live")
        page.locator(QUESTION).nth(0).scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / "selfcheck-live.png"))
        page.locator(".jp-Notebook .jp-Cell .jp-InputPrompt").first.click()
        page.keyboard.press("Escape")
        page.keyboard.press("Control+s")
        saved = wait_saved(lab.root_dir / NOTEBOOK)

        # (b) The saved file, opened where it was never signed: untrusted, so sanitized.
        saved.metadata["copied_from"] = NOTEBOOK   # a new signature: this server never saw it
        copy = f"untrusted_{NOTEBOOK}"
        nbformat.write(saved, lab.root_dir / copy)
        open_notebook(page, lab.url, copy, TIMEOUTS)
        page.locator(QUESTION).nth(1).wait_for(timeout=10_000)
        assert_readable(page, "JupyterLab, saved copy, untrusted")
        assert page.locator(f"{QUESTION} input").count() == 0, (
            "the untrusted copy ran the numeric question's script: is it really untrusted?"
        )
        assert "inline scripts" not in page.locator(".jp-Notebook").inner_text()
        answer_choices(page, "JupyterLab, saved copy, untrusted")
        page.locator(QUESTION).nth(1).locator("summary").click()
        assert page.locator(QUESTION).nth(1).get_by_text(NUM_WHY).is_visible()
        page.locator(QUESTION).nth(0).scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / "selfcheck-untrusted.png"))


# -- without a kernel ----------------------------------------------------------------------------
#: GitHub's HTML whitelist (html-pipeline's SanitizationFilter). Other tags are unwrapped (their
#: text kept); script and style are dropped with their content; of the attributes only those
#: below are kept (no style, no data-*, no event handlers).
GITHUB_TAGS = set(
    "h1 h2 h3 h4 h5 h6 h7 h8 br b i strong em a pre code img tt div ins del sup sub p ol ul "
    "table thead tbody tfoot blockquote dl dt dd kbd q samp var hr ruby rt rp li tr td th s "
    "strike summary details caption figure figcaption abbr bdo cite dfn mark small span time "
    "wbr".split()
)
GITHUB_ATTRIBUTES = {"open", "title", "lang", "dir"}
DROPPED_WITH_CONTENT = {"script", "style"}


class GitHubSanitizer(html.parser.HTMLParser):
    """Rewrite HTML by GitHub's rules (an approximation of its sanitizer, offline)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_WITH_CONTENT:
            self.skipping += 1
        elif not self.skipping and tag in GITHUB_TAGS:
            kept = "".join(f' {k}="{v}"' if v is not None else f" {k}" for k, v in attrs
                           if k in GITHUB_ATTRIBUTES)
            self.out.append(f"<{tag}{kept}>")

    def handle_endtag(self, tag):
        if tag in DROPPED_WITH_CONTENT:
            self.skipping -= 1
        elif not self.skipping and tag in GITHUB_TAGS:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(data)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")


def github_sanitized(text: str) -> str:
    sanitizer = GitHubSanitizer()
    sanitizer.feed(text)
    sanitizer.close()
    return "".join(sanitizer.out)


def executed_in_process(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` with the outputs a kernel would save, made by IPython's formatter in-process."""
    from IPython.core.formatters import DisplayFormatter

    from sgdlib.selfcheck import Question

    formatter = DisplayFormatter()
    questions = [Question(MC_QUESTION, choices=MC_CHOICES, answer=MC_RIGHT),
                 Question(NUM_QUESTION, answer=NUM_ANSWER, tolerance=NUM_TOLERANCE,
                          explanation=NUM_WHY)]
    for count, (cell, question) in enumerate(zip(nb.cells[1:], questions), start=1):
        data, metadata = formatter.format(question)
        cell.execution_count = count
        cell.outputs = [nbformat.v4.new_output("display_data", data=data, metadata=metadata)]
    return nb


def test_selfcheck_reads_in_nbconvert_html_with_and_without_scripts_and_after_github(
    browser, tmp_path, screenshot_dir
):
    from nbconvert import HTMLExporter

    nb = executed_in_process(demo_notebook())
    page_html, _ = HTMLExporter().from_notebook_node(nb)
    nbconverted = tmp_path / "selfcheck.html"
    nbconverted.write_text(page_html, encoding="utf-8")
    github = tmp_path / "github.html"
    github.write_text(
        "<!doctype html><meta charset=utf-8><body>"
        # GitHub puts each output in a box of its own; here that box carries the class the
        # assertions look for (the sanitizer has removed the question's own class).
        + "".join(f'<div class="{QUESTION[1:]}">{github_sanitized(o.data["text/html"])}</div>'
                  for c in nb.cells[1:] for o in c.outputs)
        + "</body>",
        encoding="utf-8",
    )
    for where, address, scripts in [
        ("nbconvert HTML", nbconverted.as_uri(), True),
        ("nbconvert HTML, JavaScript off", nbconverted.as_uri(), False),
        ("GitHub-sanitized HTML", github.as_uri(), False),
    ]:
        context = browser.new_context(viewport={"width": 1000, "height": 900},
                                      java_script_enabled=scripts)
        page = context.new_page()
        try:
            # The page asks CDNs for MathJax and require.js; offline, those requests fail.
            page.goto(address, wait_until="domcontentloaded")
            assert_readable(page, where)
            answer_choices(page, where)
            number = page.locator(QUESTION).nth(1)
            if scripts:
                answer_number(page, where)
            else:
                assert number.locator("input").count() == 0, f"{where}: a dead input box"
                number.locator("summary").click()
                assert number.get_by_text(NUM_WHY).is_visible(), where
            stem = where.split(",")[0].split()[0].lower() + ("" if scripts else "-nojs")
            page.screenshot(path=str(screenshot_dir / f"selfcheck-{stem}.png"))
        finally:
            context.close()

