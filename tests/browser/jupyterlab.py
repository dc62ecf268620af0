"""Drive one notebook in JupyterLab the way a learner does, through Playwright.

A learner opens a lesson, waits for the kernel, runs every cell, reads the output and moves
the sliders of each explorer. :func:`run_notebook` does exactly that in a real browser and
returns what it saw; the test decides what is wrong. The selectors are JupyterLab 4's and
ipywidgets 8's.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

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
    redrawn: bool = False         # some <img> src changed after the move
    seconds: float | None = None  # time from key press to the new figure (reported, not tested)


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
    """Record unrun code cells, tracebacks and widget errors, cell by cell."""
    cells = page.locator(CELL)
    prompts = _prompts(page)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.source.strip() and not re.search(r"\d", prompts[i]):
            report.not_run.append(i)
        dom = cells.nth(i)
        expected_to_raise = "raises-exception" in cell.metadata.get("tags", [])
        for text in dom.locator(STDERR).all_inner_texts():
            if ERROR_TEXT.search(text) and not expected_to_raise:
                report.errors[i] = text.strip()[-2000:]
        if WIDGET_ERROR in dom.inner_text() or dom.locator(BROKEN_WIDGET).count():
            report.widget_errors.append(i)


def _image_sources(area) -> list[str]:
    return area.locator("img").evaluate_all("imgs => imgs.map(i => i.src)")


def move_sliders(page, report: Report, timeouts: Timeouts) -> None:
    """In every cell whose output holds sliders, move the first one a step and time the redraw.

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
        slider.scroll_into_view_if_needed()
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
            start = time.monotonic()
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
        explorer.seconds = round(time.monotonic() - start, 2)


def screenshot(page, report: Report, directory: Path, stem: str) -> list[Path]:
    """Save the page with the first explorer in view, and each explorer on its own."""
    directory.mkdir(parents=True, exist_ok=True)
    cells = page.locator(CELL)
    saved = []
    for k, explorer in enumerate(report.explorers, start=1):
        area = cells.nth(explorer.cell).locator(OUTPUT_AREA)
        area.scroll_into_view_if_needed()
        path = directory / f"{stem}-explorer-{k}.png"
        area.screenshot(path=str(path))
        saved.append(path)
    if report.explorers:
        cells.nth(report.explorers[0].cell).locator(OUTPUT_AREA).scroll_into_view_if_needed()
    path = directory / f"{stem}.png"
    page.screenshot(path=str(path))
    saved.insert(0, path)
    return saved


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
