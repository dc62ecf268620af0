"""`make lab` works: JupyterLab starts on the course, serves the lessons, and shuts down cleanly.

It is also the learner's JupyterLab, not the instructor's: after `make test` has installed
nbgrader into the same .venv, `make lab` must still show no grading tools and no "official
Jupyter news?" pop-up, while `make instructor-lab` shows nbgrader's Formgrader
(jupyter-config/README.md).

No browser needed. The server is started exactly like the real-browser tests start it (see
``tests/browser/labserver.py``: ``make lab``'s command and configuration on a temporary copy of
the course); the last tests check that this is still what the Makefile runs.
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import shutil
import subprocess

import pytest

from browser.labserver import (
    INSTRUCTOR, LEARNER, REPO, Flavour, LabServer, copy_course, port_is_free,
)

pytestmark = pytest.mark.slow

#: JupyterLab's plugin that asks "Would you like to get notified about official Jupyter news?"
#: and checks the internet for news and new versions.
ANNOUNCEMENTS = "@jupyterlab/apputils-extension:announcements"
#: A page of nbgrader's server extension: 404 when the extension is not loaded.
FORMGRADER_PAGE = "/formgrader"
NEEDS_NBGRADER = pytest.mark.skipif(
    importlib.util.find_spec("nbgrader") is None,
    reason="nbgrader is not installed (it comes with the test extra: make test)",
)


def _start(tmp_path, flavour: Flavour) -> LabServer:
    server = LabServer(copy_course(tmp_path / "course"), tmp_path / "jupyterlab", flavour)
    server.start()
    return server


def _nbgrader_lab_extensions(page_config: dict) -> list[str]:
    return [e["name"] for e in page_config["federated_extensions"] if "nbgrader" in e["name"]]


@pytest.fixture
def lab(tmp_path):
    server = _start(tmp_path, LEARNER)
    yield server
    server.stop()  # a no-op when the test has stopped it already


@pytest.fixture
def instructor_lab(tmp_path):
    server = _start(tmp_path, INSTRUCTOR)
    yield server
    server.stop()


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


@NEEDS_NBGRADER
def test_learners_lab_hides_nbgrader_and_the_news_popup_although_nbgrader_is_installed(lab):
    config = lab.page_config()
    disabled = set(config["disabledExtensions"])
    installed = _nbgrader_lab_extensions(config)
    # nbgrader is installed (make test put it there): its lab extension is offered to the
    # page, so it must be switched off, all of its plugins, by the course's configuration.
    assert installed, "nbgrader's lab extension is not installed: this test would prove nothing"
    assert set(installed) <= disabled, (
        f"make lab's JupyterLab loads nbgrader's lab extension {installed} (Nbgrader menu, "
        f"Validate, Create Assignment); disabled are only {sorted(disabled)}"
    )
    assert ANNOUNCEMENTS in disabled, f"the news pop-up is not switched off: {sorted(disabled)}"
    status, _ = lab.request("GET", FORMGRADER_PAGE)
    assert status == 404, f"{FORMGRADER_PAGE} answered {status}: nbgrader's server extension runs"
    linked = [line for line in lab.log_tail(lines=500).splitlines()
              if "nbgrader" in line and "extension was successfully" in line]
    assert not linked, "nbgrader's server extensions were loaded:\n" + "\n".join(linked)


@NEEDS_NBGRADER
def test_instructors_lab_has_nbgrader_and_no_news_popup(instructor_lab):
    config = instructor_lab.page_config()
    disabled = set(config["disabledExtensions"])
    installed = _nbgrader_lab_extensions(config)
    assert installed and not set(installed) & disabled, (
        f"make instructor-lab must load nbgrader's lab extension: installed {installed}, "
        f"disabled {sorted(disabled)}"
    )
    assert ANNOUNCEMENTS in disabled
    status, _ = instructor_lab.request("GET", FORMGRADER_PAGE)
    assert status == 200, f"{FORMGRADER_PAGE} answered {status}; log:\n{instructor_lab.log_tail()}"


def _make_dry_run(target: str) -> list[str]:
    """The command `make <target>` would run for JupyterLab, split into words (install steps
    are not shown: their stamp files are taken as up to date)."""
    stamps = ["-o", ".venv/.installed-lab", "-o", ".venv/.installed-test"]
    out = subprocess.run(
        ["make", "--no-print-directory", "-n", target, "VENV=.venv", "ARGS=", *stamps],
        cwd=REPO, capture_output=True, text=True, check=True,
        env={**os.environ, "MAKEFLAGS": ""},
    ).stdout
    lines = [line for line in out.splitlines() if " lab " in f"{line} "]
    assert len(lines) == 1, f"make -n {target} printed:\n{out}"
    return shlex.split(lines[0])


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("flavour", [LEARNER, INSTRUCTOR], ids=lambda f: f.target)
def test_tests_start_jupyterlab_with_the_makefiles_configuration(flavour, tmp_path):
    words = _make_dry_run(flavour.target)
    variables = dict(w.split("=", 1) for w in words[:words.index("lab")] if "=" in w)
    config_path = variables["JUPYTER_CONFIG_PATH"]
    assert config_path.split(":") == [str(p) for p in flavour.config_path], (
        f"make {flavour.target} sets JUPYTER_CONFIG_PATH={config_path}; "
        f"tests/browser/labserver.py uses {flavour.config_path}"
    )
    make_flags = words[words.index("lab") + 1:]
    assert f"--ServerApp.root_dir={REPO}" in make_flags, make_flags
    test_flags = LabServer(tmp_path, tmp_path, flavour).command(port=8888)
    missing = [f for f in make_flags
               if not f.startswith("--ServerApp.root_dir=") and f not in test_flags]
    assert not missing, f"make {flavour.target} passes {missing}, the tests' server does not"
