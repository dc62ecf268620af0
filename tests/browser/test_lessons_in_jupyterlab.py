"""Every lesson, as a learner meets it: JupyterLab in a real (headless) browser.

nbval proves the lessons execute in a kernel; it cannot see what JupyterLab shows. These tests
open each ``notebooks/*.ipynb`` in JupyterLab (started as ``make lab`` starts it) through
Chromium, run all cells, and fail when the page shows a traceback or "Error displaying widget",
when moving a slider of an explorer does not redraw the figure it drives, or when the page shows
nbgrader's grading tools or JupyterLab's news pop-up. A screenshot per notebook goes to
``tests/browser/screenshots/`` (git-ignored). New chapters are picked up automatically.

Each lesson's first explorer is then timed over :data:`PRESSES` key presses, from the key press
to the new figure shown; the numbers go to ``screenshots/<lesson>-latency.json`` and are
printed. They are never asserted (the shared machine's load moves them); ``python -m benchmarks
browser`` reports them.
"""

from __future__ import annotations

import json

import pytest

from .jupyterlab import (
    Timeouts, evidence_on_failure, grading_ui, measure_redraws, news_popup, retry_once_on_timeout,
    run_notebook, screenshot, summarize_redraws,
)
from .labserver import REPO

pytestmark = pytest.mark.browser

LESSONS = sorted((REPO / "notebooks").glob("*.ipynb"))
TIMEOUTS = Timeouts()
#: Key presses timed on each lesson's first explorer.
PRESSES = 30


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda path: path.stem)
def test_lesson_runs_and_its_explorers_redraw_in_jupyterlab(
    notebook, lab, page, screenshot_dir, record_property
):
    relpath = f"notebooks/{notebook.name}"
    with evidence_on_failure(page, lab, screenshot_dir / f"{notebook.stem}-failed.png"):
        report = retry_once_on_timeout(
            lab, relpath, lambda: run_notebook(page, lab.url, lab.root_dir, relpath, TIMEOUTS)
        )
        shots = screenshot(page, report, screenshot_dir, notebook.stem)
        grading, news = grading_ui(page), news_popup(page)
        latency = None
        if report.explorers and all(e.redrawn for e in report.explorers):
            latency = summarize_redraws(
                measure_redraws(page, report.explorers[0].cell, PRESSES, TIMEOUTS)
            )
            (screenshot_dir / f"{notebook.stem}-latency.json").write_text(
                json.dumps(latency, indent=1), encoding="utf-8"
            )

    record_property("seconds", report.seconds)
    print(f"{relpath}: {report.seconds} s in JupyterLab; screenshots: "
          f"{', '.join(p.name for p in shots)}; explorers: "
          + "; ".join(f"cell {e.cell} {e.label} {e.before}->{e.after} redrawn {e.redrawn}"
                      for e in report.explorers))
    if latency is not None:
        record_property("redraw_median_ms", latency["median_ms"])
        record_property("redraw_max_ms", latency["max_ms"])
        print(f"{relpath}: explorer redraw over {latency['presses']} key presses: median "
              f"{latency['median_ms']} ms, max {latency['max_ms']} ms; phases (median ms): "
              f"{latency['phases_median_ms']}")

    assert not grading, (
        f"{relpath}: the learner's JupyterLab shows nbgrader's grading tools {grading}; "
        f"make lab must hide them (jupyter-config/learner)"
    )
    assert not news, (
        f"{relpath}: JupyterLab shows the 'official Jupyter news?' pop-up; make lab must switch "
        f"it off (jupyter-config/course)"
    )

    assert not report.errors, f"{relpath} shows tracebacks in JupyterLab:\n" + "\n\n".join(
        f"cell {cell}:\n{text}" for cell, text in report.errors.items()
    )
    assert not report.widget_errors, (
        f"{relpath} shows a broken widget ('Error displaying widget' or 'Click to show "
        f"javascript error') in cells {report.widget_errors}: the widget front end "
        f"(jupyterlab_widgets) and ipywidgets in the kernel do not match, or a widget failed"
    )
    assert not report.not_run, (
        f"{relpath}: code cells {report.not_run} were not executed by Run All Cells"
    )
    assert report.explorers, (
        f"{relpath} shows no slider: every lesson has at least one explorer "
        f"(STYLE.md), and its widgets must render in JupyterLab"
    )
    for e in report.explorers:
        assert e.after != e.before, (
            f"{relpath}, cell {e.cell}: the slider {e.label!r} did not move on a key press "
            f"(readout stayed {e.before!r})"
        )
        assert e.redrawn, (
            f"{relpath}, cell {e.cell}: moving {e.label!r} from {e.before} to {e.after} did "
            f"not change the figure within {TIMEOUTS.redraw:.0f} s "
            f"({e.images} image(s) in the cell's output)"
        )
