"""Every lesson, as a learner meets it: JupyterLab in a real (headless) browser.

nbval proves the lessons execute in a kernel; it cannot see what JupyterLab shows. These tests
open each ``notebooks/*.ipynb`` in JupyterLab through Chromium, run all cells, and fail when the
page shows a traceback or "Error displaying widget", or when moving a slider of an explorer
does not redraw the figure it drives. A screenshot per notebook goes to
``tests/browser/screenshots/`` (git-ignored). New chapters are picked up automatically.
"""

from __future__ import annotations

import warnings

import pytest

from .jupyterlab import Timeouts, run_notebook, screenshot
from .labserver import REPO

pytestmark = pytest.mark.browser

LESSONS = sorted((REPO / "notebooks").glob("*.ipynb"))
TIMEOUTS = Timeouts()


def _drive(page, lab, relpath):
    """Run the notebook; on a timeout (a hung server or kernel) restart JupyterLab, retry once."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        return run_notebook(page, lab.url, lab.root_dir, relpath, TIMEOUTS)
    except PlaywrightTimeoutError as error:
        warnings.warn(
            f"{relpath}: timed out ({str(error).splitlines()[0]}); server responsive: "
            f"{lab.is_responsive()}. Restarting JupyterLab and retrying once.",
            stacklevel=1,
        )
        lab.restart()
        return run_notebook(page, lab.url, lab.root_dir, relpath, TIMEOUTS)


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda path: path.stem)
def test_lesson_runs_and_its_explorers_redraw_in_jupyterlab(
    notebook, lab, page, screenshot_dir, record_property
):
    relpath = f"notebooks/{notebook.name}"
    try:
        report = _drive(page, lab, relpath)
        shots = screenshot(page, report, screenshot_dir, notebook.stem)
    except Exception:
        page.screenshot(path=str(screenshot_dir / f"{notebook.stem}-failed.png"))
        print(f"End of the JupyterLab log:\n{lab.log_tail()}")
        raise
    finally:
        lab.shutdown_kernels()

    record_property("seconds", report.seconds)
    for e in report.explorers:
        record_property(f"explorer_cell_{e.cell}_redraw_seconds", e.seconds)
    print(f"{relpath}: {report.seconds} s in JupyterLab; screenshots: "
          f"{', '.join(p.name for p in shots)}; explorers: "
          + "; ".join(f"cell {e.cell} {e.label} {e.before}->{e.after} redraw {e.seconds} s"
                      for e in report.explorers))

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
