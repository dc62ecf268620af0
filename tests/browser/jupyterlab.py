"""Drive one notebook in JupyterLab the way a learner does, through Playwright.

A learner opens a lesson, waits for the kernel, runs every cell, reads the output and moves
the sliders of each explorer. :func:`run_notebook` does exactly that in a real browser and
returns what it saw; the test decides what is wrong. :func:`answer_exercise` types an answer
into an exercise notebook and runs it, :func:`measure_redraws` times an explorer's redraws.
The selectors are JupyterLab 4's and ipywidgets 8's.

Used by the tests in this folder and by ``benchmarks/browser.py``.
"""

from __future__ import annotations

import re
import shutil
import statistics
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TypeVar

import nbformat

T = TypeVar("T")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]

IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle']"
CELL = ".jp-Notebook .jp-Cell"
SLIDER = ".widget-slider"
HANDLE = ".noUi-handle"
READOUT = ".widget-readout"
OUTPUT_AREA = ".jp-Cell-outputArea"
STDERR = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
WIDGET_ERROR = "Error displaying widget"  # no widget manager, or its model is missing
# A widget view that failed to render ("Click to show javascript error."):
BROKEN_WIDGET = ".jupyter-widgets-error-widget"

#: An uncaught exception: IPython's traceback header, or the last line of a SyntaxError,
#: which has no "Traceback" header.
ERROR_TEXT = re.compile(r"Traceback|^\s*\w*(Error|Exception)\b.*:", re.MULTILINE)
#: What a traceback leaves in an output besides its header: IPython's frame lines
#: ("Cell In[4], line 1", "File ~/sgdlib/grading/checker.py:371, in check(...)", "----> 1 ...")
#: and the exception's name.
TRACEBACK_TEXT = re.compile(
    r"Traceback|AssertionError|checker\.py|Cell In\s*\[|^\s*File\s|^-+>|\.py:\d+", re.MULTILINE
)

#: The pop-up of JupyterLab's announcements plugin (jupyter-config/course switches it off).
NEWS_POPUP_TEXT = "official Jupyter news"
#: nbgrader's JupyterLab UI (@jupyter/nbgrader 0.9), found in the page: the "Nbgrader" menu,
#: the notebook toolbar's "Validate" button, and side-panel tabs such as "Create Assignment".
GRADING_UI_SCAN = """() => {
  const found = [];
  for (const e of document.querySelectorAll('.lm-MenuBar-itemLabel'))
    if (/nbgrader/i.test(e.textContent)) found.push(`menu "${e.textContent.trim()}"`);
  for (const e of document.querySelectorAll('.jp-Toolbar-item'))
    if (e.classList.contains('validate-button') || e.textContent.trim() === 'Validate')
      found.push('toolbar button "Validate"');
  for (const e of document.querySelectorAll('.lm-TabBar-tab')) {
    const text = `${e.title || ''} ${e.textContent}`.trim();
    if (/Create Assignment|Formgrader|Assignment List|nbgrader/i.test(text))
      found.push(`side panel "${text}"`);
  }
  return found;
}"""


@dataclass
class Timeouts:
    """Seconds allowed for each step; a step that takes longer means something hung."""

    open: float = 60.0      # page loaded, kernel started and idle
    run_all: float = 120.0  # every cell executed (lessons: no cell over a few seconds)
    redraw: float = 20.0    # a figure redrawn after a slider moved (target: well under 1 s)


@dataclass
class Explorer:
    """One cell whose output holds sliders, and what moving its first slider did."""

    cell: int                     # index of the cell in the notebook
    sliders: int                  # number of sliders in its output
    label: str = ""               # the moved slider's description
    before: str = ""              # its readout before ...
    after: str = ""               # ... and after ArrowRight (or ArrowLeft at the maximum)
    images: int = 0               # <img> elements in the cell's output
    redrawn: bool = False         # some <img> src changed after the move (timed: measure_redraws)


@dataclass
class Report:
    """What a learner would have seen in one notebook."""

    not_run: list[int] = field(default_factory=list)   # code cells without an execution count
    errors: dict[int, str] = field(default_factory=dict)  # cell -> traceback text
    widget_errors: list[int] = field(default_factory=list)  # cells with a broken widget
    explorers: list[Explorer] = field(default_factory=list)
    seconds: float = 0.0


def _menu(page, menu: str, item: str, timeout: float = 10.0) -> None:
    """Click `menu` in the menu bar, then its enabled item whose label is exactly `item`."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{re.escape(menu)}$")).click()
    label = page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$"))
    page.locator(".lm-Menu-item:not(.lm-mod-disabled)").filter(has=label).click(
        timeout=timeout * 1000
    )


def _prompts(page) -> list[str]:
    """The input prompt of every cell, in notebook order ("" for markdown cells)."""
    return page.eval_on_selector_all(
        CELL,
        "cells => cells.map(c => { const p = c.querySelector('.jp-InputPrompt');"
        " return p ? p.textContent.trim() : ''; })",
    )


def open_notebook(page, base_url: str, path: str, timeouts: Timeouts) -> None:
    """Open `path` (relative to the server root) and wait until its kernel is idle."""
    # ?reset: start from an empty workspace. JupyterLab saves the open tabs on the server, so
    # without it every lesson opened earlier in the session would reopen with its own kernel.
    page.goto(f"{base_url}/lab/tree/{path}?reset", timeout=timeouts.open * 1000)
    # Waiting for an idle kernel first matters: on a fresh server, "Run All" clicked before
    # the kernel is ready is silently lost.
    page.wait_for_selector(f"{IDLE}, .jp-Dialog", timeout=timeouts.open * 1000)
    dialog = page.locator(".jp-Dialog")
    if dialog.count():  # e.g. "Select Kernel": the notebook names a kernel this server lacks
        raise AssertionError(f"{path}: JupyterLab opened a dialog instead of a kernel:\n"
                             f"{dialog.first.inner_text()}")


def clear_and_run_all(page, n_cells: int, timeouts: Timeouts) -> None:
    """Clear the saved outputs, run all cells, and wait until the last one has finished.

    Lessons are committed executed with the same execution counts a new run gives, so the
    saved outputs are cleared first: then an execution count proves this run produced it.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    # The notebook menu items act on the *current* notebook, which JupyterLab sets on focus:
    # select the first cell in command mode first, or the clicks can be silently lost.
    page.locator(CELL).first.locator(".jp-InputPrompt, .jp-InputArea-prompt").first.click()
    page.keyboard.press("Escape")
    _menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(
        "n => document.querySelectorAll('.jp-Notebook .jp-Cell').length === n"
        " && document.querySelectorAll('.jp-Notebook .jp-OutputArea-output').length === 0",
        arg=n_cells, timeout=10_000,
    )
    started = (
        "() => [...document.querySelectorAll('.jp-Notebook .jp-Cell .jp-InputPrompt')]"
        ".some(e => /[*\\d]/.test(e.textContent))"
    )
    for attempt in range(2):
        _menu(page, "Run", "Run All Cells")
        try:
            page.wait_for_function(started, timeout=15_000, polling=100)
            break
        except PlaywrightTimeoutError:  # the click did not start a run: once more
            if attempt:
                raise
            page.keyboard.press("Escape")
    # Finished: the kernel is idle, no cell is queued or running ([*]) and at least one
    # cell has a fresh execution count. Cells after an uncaught error are left unrun.
    page.wait_for_function(
        "sel => {"
        " const idle = document.querySelector(sel);"
        " const p = [...document.querySelectorAll('.jp-Notebook .jp-Cell .jp-InputPrompt')]"
        "   .map(e => e.textContent);"
        " return idle !== null && !p.some(t => t.includes('*')) && p.some(t => /\\d/.test(t));"
        "}",
        arg=IDLE, timeout=timeouts.run_all * 1000, polling=250,
    )


def inspect_outputs(page, nb: nbformat.NotebookNode, report: Report) -> None:
    """Record unrun code cells, tracebacks and widget errors, cell by cell.

    It reads ``textContent``: JupyterLab 4 skips rendering the cells out of view (CSS
    ``content-visibility``), and their ``innerText`` is empty.
    """
    cells = page.locator(CELL)
    prompts = _prompts(page)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.source.strip() and not re.search(r"\d", prompts[i]):
            report.not_run.append(i)
        dom = cells.nth(i)
        expected_to_raise = "raises-exception" in cell.metadata.get("tags", [])
        for text in dom.locator(STDERR).all_text_contents():
            if ERROR_TEXT.search(text) and not expected_to_raise:
                report.errors[i] = text.strip()[-2000:]
        if WIDGET_ERROR in dom.text_content() or dom.locator(BROKEN_WIDGET).count():
            report.widget_errors.append(i)


def grading_ui(page) -> list[str]:
    """nbgrader's menus, buttons and panels the page shows (a learner should see none)."""
    return page.evaluate(GRADING_UI_SCAN)


def news_popup(page) -> bool:
    """True when the "Would you like to get notified about official Jupyter news?" pop-up is up."""
    return NEWS_POPUP_TEXT in page.locator("body").inner_text()


def _image_sources(area) -> list[str]:
    return area.locator("img").evaluate_all("imgs => imgs.map(i => i.src)")


def move_sliders(page, report: Report, timeouts: Timeouts) -> None:
    """In every cell whose output holds sliders, move the first one a step; see it redraw.

    The figure an explorer drives is an <img> in the same output (matplotlib's inline backend
    inside an ``Output`` widget); if the cell shows none, any figure of the notebook counts.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    cells = page.locator(CELL)
    for i in range(cells.count()):
        area = cells.nth(i).locator(OUTPUT_AREA)
        sliders = area.locator(SLIDER)
        if sliders.count() == 0:
            continue
        explorer = Explorer(cell=i, sliders=sliders.count())
        report.explorers.append(explorer)
        slider = sliders.first
        show(page, slider)
        label = slider.locator(".widget-label")
        explorer.label = label.first.inner_text().strip() if label.count() else "(no label)"
        readout = slider.locator(READOUT)
        value = (lambda: readout.first.inner_text().strip()) if readout.count() else (lambda: "")
        explorer.before = value()
        explorer.images = area.locator("img").count()
        scope = area if explorer.images else page.locator(".jp-Notebook")
        old = _image_sources(scope)
        handle = slider.locator(HANDLE).first
        # One step right; a slider already at its maximum does not move, so then one left.
        for key in ("ArrowRight", "ArrowLeft"):
            handle.focus()
            page.keyboard.press(key)
            for _ in range(20):  # the readout follows the handle within a frame or two
                explorer.after = value()
                if explorer.after != explorer.before or not readout.count():
                    break
                page.wait_for_timeout(50)
            if explorer.after != explorer.before or not readout.count():
                break
        try:
            page.wait_for_function(
                "([el, old]) => { const now = [...el.querySelectorAll('img')].map(i => i.src);"
                " return now.length > 0 && now.some(s => !old.includes(s)); }",
                arg=[scope.element_handle(), old], timeout=timeouts.redraw * 1000, polling=50,
            )
        except PlaywrightTimeoutError:  # the figure never changed: the test says so
            continue
        explorer.redrawn = True


def screenshot(page, report: Report, directory: Path, stem: str) -> list[Path]:
    """Save the page with the first explorer in view, and each explorer on its own."""
    directory.mkdir(parents=True, exist_ok=True)
    cells = page.locator(CELL)
    saved = []
    for k, explorer in enumerate(report.explorers, start=1):
        area = cells.nth(explorer.cell).locator(OUTPUT_AREA)
        show(page, area)
        path = directory / f"{stem}-explorer-{k}.png"
        area.screenshot(path=str(path))
        saved.append(path)
    if report.explorers:
        show(page, cells.nth(report.explorers[0].cell).locator(OUTPUT_AREA))
    path = directory / f"{stem}.png"
    page.screenshot(path=str(path))
    saved.insert(0, path)
    return saved


@contextmanager
def evidence_on_failure(page, lab, shot: Path) -> Iterator[None]:
    """Run a browser test's steps; on failure save a screenshot to ``shot`` and print the end
    of the JupyterLab log. Either way, shut the lab's kernels down afterwards."""
    try:
        yield
    except Exception:
        page.screenshot(path=str(shot))
        print(f"End of the JupyterLab log:\n{lab.log_tail()}")
        raise
    finally:
        lab.shutdown_kernels()


def retry_once_on_timeout(lab, what: str, action: Callable[[], T]) -> T:
    """Return ``action()``; on a Playwright timeout (a hung server or kernel, about once in 20
    runs here) restart the JupyterLab server `lab` and try once more. `action` must read
    ``lab.url`` when called: the restarted server has a new port."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        return action()
    except PlaywrightTimeoutError as error:
        warnings.warn(
            f"{what}: timed out ({str(error).splitlines()[0]}); server responsive: "
            f"{lab.is_responsive()}. Restarting JupyterLab and retrying once.",
            stacklevel=2,
        )
        lab.restart()
        return action()


def run_notebook(page, base_url: str, root: Path, relpath: str, timeouts: Timeouts) -> Report:
    """Open `relpath`, run it all, inspect every output and move every explorer's slider."""
    start = time.monotonic()
    nb = nbformat.read(root / relpath, as_version=4)
    report = Report()
    open_notebook(page, base_url, relpath, timeouts)
    clear_and_run_all(page, len(nb.cells), timeouts)
    inspect_outputs(page, nb, report)
    move_sliders(page, report, timeouts)
    report.seconds = round(time.monotonic() - start, 1)
    return report


def chromium_executable() -> str | None:
    """Debian's Chromium (``playwright install`` cannot download browsers here), or None."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium")


# -- an exercise, answered -----------------------------------------------------------------------
@dataclass
class Attempt:
    """What a learner sees after typing an answer into an exercise and running the notebook."""

    exercise_id: str
    solution_cell: int      # index of the cell the answer was typed into
    graded_cell: int        # index of its graded cell, check(...)
    typed: str = ""         # the solution cell's text as the editor shows it
    ran: bool = False       # the graded cell has an execution count
    report: str = ""        # the text of the graded cell's HTML output (check's report)
    output: str = ""        # everything the graded cell's output shows


def exercises_in(nb: nbformat.NotebookNode) -> list[tuple[int, int, str]]:
    """(solution cell, graded cell, exercise id) of every graded exercise, in notebook order.

    nbgrader's metadata marks them: the solution cell has ``solution``, the next cell with
    ``grade`` is its graded cell, whose ``grade_id`` is the exercise id.
    """
    found, solution = [], None
    for i, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and not meta.get("grade"):
            solution = i
        elif meta.get("grade") and solution is not None:
            found.append((solution, i, meta["grade_id"]))
            solution = None
    return found


def answer_exercise(page, base_url: str, root: Path, relpath: str, exercise_id: str, code: str,
                    timeouts: Timeouts) -> Attempt:
    """Open the exercise notebook `relpath`, replace the solution of `exercise_id` by `code`
    (pasted, so that the editor does not indent it a second time), run all cells and read the
    graded cell.

    Run All stops at the first failing graded cell, as it does for a learner.
    """
    nb = nbformat.read(root / relpath, as_version=4)
    cells_by_id = {ex_id: (sol, graded) for sol, graded, ex_id in exercises_in(nb)}
    if exercise_id not in cells_by_id:
        raise AssertionError(f"{relpath} has no exercise {exercise_id!r}: {sorted(cells_by_id)}")
    solution, graded = cells_by_id[exercise_id]
    attempt = Attempt(exercise_id, solution, graded)
    open_notebook(page, base_url, relpath, timeouts)
    cells = page.locator(CELL)
    editor = cells.nth(solution).locator(".cm-content")
    editor.click()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.insert_text(code)
    page.keyboard.press("Escape")
    attempt.typed = editor.inner_text()
    clear_and_run_all(page, len(nb.cells), timeouts)
    attempt.ran = bool(re.search(r"\d", _prompts(page)[graded]))
    area = cells.nth(graded).locator(OUTPUT_AREA)
    attempt.report = "\n".join(
        area.locator(".jp-OutputArea-output[data-mime-type='text/html']").all_text_contents()
    )
    attempt.output = "\n".join(area.locator(".jp-OutputArea-output").all_text_contents())
    return attempt


def show(page, locator) -> None:
    """Scroll `locator` into view and wait until JupyterLab has rendered it (cells out of view
    are skipped by CSS ``content-visibility``, and a screenshot taken too early shows nothing)."""
    locator.scroll_into_view_if_needed()
    page.wait_for_function("el => el.innerText.trim() !== ''", arg=locator.element_handle(),
                           timeout=10_000, polling="raf")


# -- an explorer's redraws, timed ----------------------------------------------------------------
#: Installed before JupyterLab loads (``page.add_init_script``): notes the time and size of every
#: WebSocket frame, so that a redraw can be split into its phases. The frames are not changed.
WS_RECORDER = """(() => {
  const Native = window.WebSocket;
  const frames = window.__wsFrames = [];
  const size = d => typeof d === 'string' ? d.length : (d.byteLength ?? d.size ?? 0);
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => frames.push([performance.now(), 'in', size(e.data)]));
    }
    send(data) {
      frames.push([performance.now(), 'out', size(data)]);
      return super.send(data);
    }
  };
})();"""
#: Armed before each key press: notes when the key goes down, when a new <img> appears in the
#: explorer's output, and the next frame after that image has loaded ("shown").
REDRAW_WATCH = """([area, handle]) => {
  const w = window.__redraw = {
    key: null, src: null, shown: null, frames: (window.__wsFrames || []).length,
  };
  handle.addEventListener('keydown', () => { w.key = performance.now(); },
                          {capture: true, once: true});
  const old = new Set([...area.querySelectorAll('img')].map(i => i.src));
  const observer = new MutationObserver(() => {
    const img = [...area.querySelectorAll('img')].find(i => !old.has(i.src));
    if (!img) return;
    observer.disconnect();
    w.src = performance.now();
    const shown = () => requestAnimationFrame(() => { w.shown = performance.now(); });
    if (img.complete) shown(); else img.addEventListener('load', shown, {once: true});
  });
  observer.observe(area, {subtree: true, childList: true, attributes: true,
                          attributeFilter: ['src']});
}"""
#: A WebSocket frame at least this large, received after the slider's message, carries the new
#: figure (a PNG of tens of kB); the kernel's other replies are a few hundred bytes.
FIGURE_FRAME_BYTES = 10_000
#: Pause between two key presses: a learner's pace, and time for the kernel's last messages.
PRESS_PAUSE_MS = 150


@dataclass
class Redraw:
    """One key press on a slider and the redraw it caused, in milliseconds after the key."""

    shown: float                   # the new figure loaded and painted: what the learner waits
    in_page: float                 # the new <img> put into the page
    sent: float | None = None      # the slider's new value sent to the kernel
    received: float | None = None  # the new figure received from the kernel
    figure_bytes: int | None = None


def _press_until_it_moves(page, area, slider, key: str) -> str:
    """Arm :data:`REDRAW_WATCH` and press `key` on the slider; at the end of its range, the
    other arrow. Return the key that moved it."""
    readout = slider.locator(READOUT).first
    handle = slider.locator(HANDLE).first
    before = readout.inner_text()
    for k in (key, "ArrowLeft" if key == "ArrowRight" else "ArrowRight"):
        page.evaluate(REDRAW_WATCH, [area.element_handle(), handle.element_handle()])
        handle.focus()
        page.keyboard.press(k)
        for _ in range(20):  # the readout follows the handle within a frame or two
            if readout.inner_text() != before:
                return k
            page.wait_for_timeout(50)
    raise AssertionError(f"the slider did not move on ArrowRight or ArrowLeft (readout {before})")


def measure_redraws(page, cell: int, presses: int, timeouts: Timeouts) -> list[Redraw]:
    """Press an arrow key `presses` times on the first slider of the explorer in `cell`; time each
    redraw from the key press to the new figure shown. The split into phases needs
    :data:`WS_RECORDER` installed in the page; without it ``sent``/``received`` stay None."""
    area = page.locator(CELL).nth(cell).locator(OUTPUT_AREA)
    slider = area.locator(SLIDER).first
    show(page, slider)
    key, redraws = "ArrowRight", []
    for _ in range(presses):
        page.wait_for_selector(IDLE, timeout=timeouts.redraw * 1000)
        key = _press_until_it_moves(page, area, slider, key)
        page.wait_for_function("() => window.__redraw.shown !== null",
                               timeout=timeouts.redraw * 1000, polling="raf")
        w = page.evaluate("() => ({...window.__redraw,"
                          " frames: (window.__wsFrames || []).slice(window.__redraw.frames)})")
        redraw = Redraw(shown=w["shown"] - w["key"], in_page=w["src"] - w["key"])
        sent = [t for t, way, _ in w["frames"] if way == "out" and t >= w["key"]]
        if sent:
            redraw.sent = sent[0] - w["key"]
            figure = [(t, n) for t, way, n in w["frames"]
                      if way == "in" and t >= sent[0] and n >= FIGURE_FRAME_BYTES]
            if figure:
                redraw.received, redraw.figure_bytes = figure[0][0] - w["key"], figure[0][1]
        redraws.append(redraw)
        page.wait_for_timeout(PRESS_PAUSE_MS)
    return redraws


def summarize_redraws(redraws: list[Redraw]) -> dict:
    """Median and max latency, the median of each phase, and every press (to save as JSON)."""
    phases: dict[str, list[float]] = {
        "key to message sent": [], "kernel round trip": [], "received to img in page": [],
        "img in page to shown": [r.shown - r.in_page for r in redraws],
    }
    for r in redraws:
        if r.sent is not None:
            phases["key to message sent"].append(r.sent)
        if r.received is not None:
            phases["kernel round trip"].append(r.received - r.sent)
            phases["received to img in page"].append(r.in_page - r.received)
    shown = [r.shown for r in redraws]
    sizes = [r.figure_bytes for r in redraws if r.figure_bytes is not None]
    return {
        "presses": len(redraws),
        "median_ms": round(statistics.median(shown), 1),
        "max_ms": round(max(shown), 1),
        "phases_median_ms": {name: round(statistics.median(v), 1) if v else None
                             for name, v in phases.items()},
        "figure_bytes_median": statistics.median(sizes) if sizes else None,
        "redraws": [asdict(r) for r in redraws],
    }
