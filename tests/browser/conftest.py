"""Fixtures of the real-browser tests: a JupyterLab server and Debian's Chromium.

The tests need Chromium at /usr/bin/chromium (``playwright install`` cannot download browsers
on the course's machines). Without it they are skipped, with a message saying how to enable
them; pytest prints it in the short summary (``-ra`` is in addopts).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .jupyterlab import CHROMIUM, CHROMIUM_ARGS, WS_RECORDER, chromium_executable
from .labserver import LabServer, copy_course

HOW_TO_ENABLE = (
    "install Debian's Chromium (sudo apt-get install chromium chromium-driver) "
    "or run .ci/run, which installs it and then runs make test"
)
SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = chromium_executable()
    if path is None:
        pytest.skip(f"real-browser tests skipped: no Chromium at {CHROMIUM}; to run them, "
                    f"{HOW_TO_ENABLE}")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    """One headless Chromium for the whole session, driven by Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("real-browser tests skipped: Playwright is not installed; "
                    "run make test (it installs the test extra: pip install -e '.[test]')")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True,
        )
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="session")
def lab(browser, tmp_path_factory):
    """JupyterLab started like ``make lab`` (same configuration: no grading tools, no news
    pop-up), on a temporary copy of the course.

    It depends on `browser` so that, without Chromium or Playwright, the tests are skipped
    before a server is started for nothing.
    """
    root = copy_course(tmp_path_factory.mktemp("course"))
    server = LabServer(root, tmp_path_factory.mktemp("jupyterlab"))
    server.start()
    yield server
    code = server.stop()
    print(f"JupyterLab exited with {code}; its log: {server.log_path}")


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies, no storage) and page per test, recording its
    WebSocket frames (to split an explorer's redraw time into phases)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.add_init_script(WS_RECORDER)
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
