"""`make lab` works: JupyterLab starts on the course, serves the lessons, and shuts down cleanly.

No browser needed. The server is started exactly like the real-browser tests start it (see
``tests/browser/labserver.py``: ``make lab``'s command on a temporary copy of the course).
"""

from __future__ import annotations

import pytest

from browser.labserver import REPO, LabServer, copy_course, port_is_free

pytestmark = pytest.mark.slow


@pytest.fixture
def lab(tmp_path):
    server = LabServer(copy_course(tmp_path / "course"), tmp_path / "jupyterlab")
    server.start()
    yield server
    server.stop()  # a no-op when the test has stopped it already


def test_lab_serves_the_course_and_lists_the_lessons_then_shuts_down_cleanly(lab):
    status, body = lab.request("GET", "/lab")
    assert status == 200, f"/lab answered {status}; server log:\n{lab.log_tail()}"
    assert b"JupyterLab" in body, "/lab did not return the JupyterLab page"

    listing = lab.get_json("/api/contents/notebooks")
    assert listing["type"] == "directory"
    served = {item["name"] for item in listing["content"] if item["type"] == "notebook"}
    lessons = {path.name for path in (REPO / "notebooks").glob("*.ipynb")}
    assert served == lessons, f"the contents API lists {sorted(served)}, expected {sorted(lessons)}"

    # The lessons open as notebooks (valid JSON with cells), not as files JupyterLab refuses.
    for name in sorted(lessons):
        model = lab.get_json(f"/api/contents/notebooks/{name}")
        assert model["type"] == "notebook" and model["content"]["cells"], name

    proc, port = lab.proc, lab.port
    code = lab.stop()
    assert proc.poll() is not None, "the JupyterLab process is still running after stop()"
    assert code == 0, f"JupyterLab exited with {code} on SIGTERM; log:\n{lab.log_tail()}"
    assert port_is_free(port), f"port {port} is still taken after JupyterLab stopped"
