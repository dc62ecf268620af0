"""Start and stop JupyterLab for the tests, the way ``make lab`` does.

``make lab`` runs ``JUPYTER_CONFIG_PATH=<repo>/jupyter-config/learner:<repo>/jupyter-config/course
.venv/bin/jupyter lab --ServerApp.root_dir=<repo> --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb``
(``make instructor-lab``: only ``jupyter-config/course``, and ``solutions``). The tests run the
same command with the same configuration and the same interpreter as pytest, plus what a test
needs: no browser, a free port on 127.0.0.1 that the server may not silently move away from
(``port_retries=0``), no token, and a root directory that is a temporary *copy* of the course,
so running a notebook never changes the checkout. ``tests/test_lab_smoke.py`` checks that
:data:`LEARNER` and :data:`INSTRUCTOR` agree with the Makefile.

The server is started directly with :class:`subprocess.Popen` (never through a shell wrapper,
whose PID would not be the server's), in its own process group, so that :meth:`LabServer.stop`
can end it - and any kernel it leaves behind - by that id.

Used by ``tests/test_lab_smoke.py``, ``tests/browser/conftest.py`` and ``benchmarks/browser.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

#: Where /lab's HTML carries the page config, as JSON.
PAGE_CONFIG = re.compile(
    r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.S
)

#: Folders of the course copied into the server's root directory.
COURSE_FOLDERS = ("notebooks", "exercises")


@dataclass(frozen=True)
class Flavour:
    """How one make target starts JupyterLab: its Jupyter config folders and first folder."""

    target: str                     # the make target
    config_path: tuple[Path, ...]   # JUPYTER_CONFIG_PATH, highest priority first
    start_folder: str               # LabApp.default_url is /lab/tree/<start_folder>


CONFIG = REPO / "jupyter-config"
#: ``make lab``: the learner's JupyterLab (no news pop-up, no grading tools).
LEARNER = Flavour("lab", (CONFIG / "learner", CONFIG / "course"), "notebooks/00_start_here.ipynb")
#: ``make instructor-lab``: the same, with nbgrader's Formgrader.
INSTRUCTOR = Flavour("instructor-lab", (CONFIG / "course",), "solutions")


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port on `host` that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when a new server could listen on `host`:`port` now.

    Binds with SO_REUSEADDR, as tornado (and so jupyter_server) does: the closed connections
    of a stopped server linger in TIME_WAIT for a minute, which does not stop a new server.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True


def copy_course(destination: Path, folders: tuple[str, ...] = COURSE_FOLDERS) -> Path:
    """Copy the course folders into `destination` (the server's root) and return it."""
    destination.mkdir(parents=True, exist_ok=True)
    for folder in folders:
        source = REPO / folder
        if source.is_dir():
            shutil.copytree(
                source, destination / folder, dirs_exist_ok=True,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
            )
    return destination


def jupyter_command() -> list[str]:
    """The ``jupyter`` of the interpreter running the tests (``make test``: .venv/bin/jupyter)."""
    scripts = Path(sys.executable).parent
    for name in ("jupyter", "jupyter.exe"):
        if (scripts / name).exists():
            return [str(scripts / name)]
    return [sys.executable, "-m", "jupyter"]


class LabServer:
    """One JupyterLab server on 127.0.0.1, started like ``make lab``.

    Parameters
    ----------
    root_dir
        The server's root directory (a copy of the course, see :func:`copy_course`).
    work_dir
        A scratch directory for the server's log and for private Jupyter config, data,
        runtime, settings and workspace folders, so that a learner's own ``~/.jupyter``
        can neither change what the test sees nor be written to by the test.
    flavour
        Which make target to imitate: :data:`LEARNER` (``make lab``) or :data:`INSTRUCTOR`.
    start_timeout
        Seconds to wait for ``/api/status`` to answer before giving up.
    """

    def __init__(self, root_dir: Path, work_dir: Path, flavour: Flavour = LEARNER,
                 start_timeout: float = 60.0) -> None:
        self.root_dir = Path(root_dir)
        self.work_dir = Path(work_dir)
        self.flavour = flavour
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None
        self.log_path = self.work_dir / "jupyterlab.log"
        self._log = None

    # -- life cycle ---------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self, port: int) -> list[str]:
        """The command line: ``make lab``'s, plus the test-only flags."""
        return [
            *jupyter_command(), "lab",
            f"--ServerApp.root_dir={self.root_dir}",
            f"--LabApp.default_url=/lab/tree/{self.flavour.start_folder}",
            "--no-browser", "--ip", "127.0.0.1", "--port", str(port),
            "--ServerApp.port_retries=0",
            # No token and no password (jupyter_server 2 spells ``ServerApp.token`` this way;
            # the old name still works but logs a deprecation warning).
            "--IdentityProvider.token=",
            # jupyter_server refuses to run as root (CI containers) unless told it may.
            *(["--allow-root"] if getattr(os, "geteuid", lambda: 1)() == 0 else []),
        ]

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        for name, sub in [
            ("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTERLAB_SETTINGS_DIR", "settings"),
            ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
        ]:
            path = self.work_dir / "jupyter" / sub
            path.mkdir(parents=True, exist_ok=True)
            env[name] = str(path)
        # The course's configuration, exactly as make sets it (replacing any inherited one).
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(str(p) for p in self.flavour.config_path)
        # make puts .venv/bin first, for the terminals inside JupyterLab.
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        # A non-interactive MPLBACKEND (CI often sets Agg) would reach the kernels and stop
        # ipykernel from choosing its inline backend: explorers would then draw no figure.
        env.pop("MPLBACKEND", None)
        return env

    def start(self, attempts: int = 3) -> None:
        """Start the server and wait until it answers; retry on a port taken meanwhile."""
        self.work_dir.mkdir(parents=True, exist_ok=True)
        last_error = ""
        for _ in range(attempts):
            self.port = free_port()
            self._log = open(self.log_path, "a", encoding="utf-8")
            self._log.write(f"\n==== starting on port {self.port}\n")
            self._log.flush()
            self.proc = subprocess.Popen(
                self.command(self.port), cwd=self.root_dir, env=self.environment(),
                stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            if self._wait_ready():
                return
            last_error = self.log_tail()
            self.stop()
        raise RuntimeError(
            f"JupyterLab did not start within {self.start_timeout:.0f} s "
            f"({attempts} attempts). End of its log:\n{last_error}"
        )

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            if self.is_responsive(timeout=2.0):
                return True
            time.sleep(0.25)
        return False

    def is_responsive(self, timeout: float = 5.0) -> bool:
        """True when ``/api/status`` answers 200 within `timeout` seconds."""
        try:
            status, _ = self.request("GET", "/api/status", timeout=timeout)
        except (OSError, urllib.error.URLError):
            return False
        return status == 200

    def stop(self, timeout: float = 20.0) -> int | None:
        """Terminate the server (SIGTERM), wait, and kill its process group on a timeout.

        Returns the server's exit code (None if it was never started).
        """
        proc, self.proc = self.proc, None
        code = None
        if proc is not None:
            if proc.poll() is None:
                proc.terminate()
            try:
                code = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                # Hung: kill its process group (the server and the kernels it started). The
                # server is not reaped yet, so the group id is still certainly ours.
                if hasattr(os, "killpg"):
                    os.killpg(proc.pid, signal.SIGKILL)
                else:
                    proc.kill()
                code = proc.wait(timeout=timeout)
        if self._log is not None:
            self._log.close()
            self._log = None
        return code

    def restart(self) -> None:
        self.stop()
        self.start()

    # -- HTTP ---------------------------------------------------------------------------------
    def request(self, method: str, path: str, timeout: float = 10.0) -> tuple[int, bytes]:
        """Send one request to the server; return (status, body). HTTP errors are returned."""
        req = urllib.request.Request(self.url + path, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def get_json(self, path: str, timeout: float = 10.0):
        status, body = self.request("GET", path, timeout=timeout)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
        return json.loads(body)

    def page_config(self) -> dict:
        """The page config ``/lab`` hands to the browser (its ``jupyter-config-data`` script):
        among others ``disabledExtensions`` and the ``federated_extensions`` it may load."""
        status, body = self.request("GET", "/lab")
        match = PAGE_CONFIG.search(body.decode("utf-8"))
        if status != 200 or match is None:
            raise RuntimeError(f"GET /lab answered {status} without a page config: {body[:300]!r}")
        return json.loads(match.group(1))

    def shutdown_kernels(self) -> None:
        """End every session and kernel (a finished notebook must not hold 2 cores' memory).

        Best effort: a server that no longer answers has nothing to clean up here, and its
        kernels end with it in :meth:`stop`.
        """
        try:
            for session in self.get_json("/api/sessions"):
                self.request("DELETE", f"/api/sessions/{session['id']}")
            for kernel in self.get_json("/api/kernels"):
                self.request("DELETE", f"/api/kernels/{kernel['id']}")
        except (OSError, RuntimeError, ValueError):
            pass

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])
