"""The update command of docs/teaching.md brings an instructor's new code onto a hub.

A hub (e.g. The Littlest JupyterHub) has the course installed from git with pip. The course's
version does not change with every commit, so a plain ``pip install "git+..."`` (even with
``-U``) finds "the same version" installed and keeps the old code. The guide's command
reinstalls the course (and only the course). Here it runs against a local git repository of the
course whose code changes, in a throw-away environment that has the course's dependencies (this
venv's, linked) but not the course; afterwards a fresh Python imports the new code.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "docs" / "teaching.md"
URL = "git+https://github.com/OWNER/sgd-from-scratch"
# The guide's update line: sudo -E pip install ... "git+https://github.com/OWNER/sgd-from-scratch"
UPDATE = re.compile(r'^sudo -E (pip install [^\n"]*)"' + re.escape(URL) + r'"$', re.MULTILINE)


def documented_update() -> list[str]:
    """The pip arguments (after ``pip``, without the URL) of the first command after the
    guide's "**Update the course**"."""
    text = GUIDE.read_text(encoding="utf-8")
    assert "**Update the course**" in text, "docs/teaching.md should say how to update the course"
    found = UPDATE.search(text, text.index("**Update the course**"))
    assert found, f"docs/teaching.md should give the update command `sudo -E pip install ... \"{URL}\"`"
    return shlex.split(found.group(1))[1:]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid",
                    "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True, capture_output=True)


def _environment(tmp_path: Path) -> Path:
    """A venv without the course: this venv's other packages are linked in through a .pth file."""
    venv = tmp_path / "hub-env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    deps = tmp_path / "deps"
    deps.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if "sgdlib" not in entry.name and not entry.name.endswith(".pth"):
            (deps / entry.name).symlink_to(entry)
    (site / "course-deps.pth").write_text(f"{deps}\n")
    return python


def _imported(python: Path, cwd: Path) -> tuple[str, str]:
    """Where a fresh Python imports sgdlib from, and the revision marker it has."""
    out = subprocess.run([str(python), "-c", "import sgdlib; print(sgdlib.__file__); "
                          "print(getattr(sgdlib, 'UPDATE_TEST_REVISION', 'first'))"],
                         cwd=cwd, check=True, capture_output=True, text=True).stdout.split()
    return out[0], out[1]


def _pip(python: Path, *args: str) -> None:
    result = subprocess.run([str(python), "-m", "pip", "install", "--quiet", *args],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]


def test_the_guide_gives_a_reinstalling_update_command():
    args = documented_update()
    assert "--force-reinstall" in args and "--no-deps" in args  # --no-deps: leave JupyterLab alone


@pytest.mark.slow
def test_update_command_brings_new_code_from_a_changed_git_repository(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("needs git")
    origin = tmp_path / "origin"
    origin.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, origin)
    shutil.copytree(REPO / "sgdlib", origin / "sgdlib", ignore=shutil.ignore_patterns("__pycache__"))
    _git(origin, "init", "-q", "-b", "main")
    _git(origin, "add", "-A")
    _git(origin, "commit", "-q", "-m", "the course as installed")
    url = f"git+file://{origin}"
    python = _environment(tmp_path)
    elsewhere = tmp_path / "elsewhere"  # not the course folder: import the installed course
    elsewhere.mkdir()

    _pip(python, "--no-deps", url)  # the first install (the hub already has the dependencies)
    path, revision = _imported(python, elsewhere)
    assert revision == "first" and str(tmp_path / "hub-env") in path

    init = origin / "sgdlib" / "__init__.py"
    init.write_text(init.read_text() + '\nUPDATE_TEST_REVISION = "second"\n')
    _git(origin, "commit", "-q", "-am", "the instructor's fix")

    _pip(python, "--upgrade", url)  # what did not work: same version, so pip keeps the old code
    assert _imported(python, elsewhere)[1] == "first"

    _pip(python, *documented_update(), url)
    path, revision = _imported(python, elsewhere)
    assert revision == "second" and str(tmp_path / "hub-env") in path


def _make_learners_branch(repo: Path) -> str:
    result = subprocess.run(["make", "--no-print-directory", "learners-branch"], cwd=repo,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _show(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def test_learners_branch_drops_solutions_and_fast_forwards(tmp_path):
    if shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("needs git and make")
    repo = tmp_path / "course"
    for folder in ("solutions", "exercises", "notebooks"):
        (repo / folder).mkdir(parents=True)
        (repo / folder / "01_x.ipynb").write_text(f"{folder} 1\n")
    shutil.copy(REPO / "Makefile", repo)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "first")
    (repo / "scratch.txt").write_text("uncommitted work\n")  # must stay untouched
    _make_learners_branch(repo)
    first = _show(repo, "rev-parse", "learners").strip()
    assert _show(repo, "ls-tree", "-r", "--name-only", "learners").split() == [
        "Makefile", "exercises/01_x.ipynb", "notebooks/01_x.ipynb"]
    assert _show(repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert _show(repo, "status", "--porcelain").split() == ["??", "scratch.txt"]

    (repo / "notebooks" / "01_x.ipynb").write_text("notebooks 2\n")  # the instructor's fix
    (repo / "solutions" / "01_x.ipynb").write_text("solutions 2\n")
    _git(repo, "commit", "-q", "-am", "fix")
    assert "up to date" not in _make_learners_branch(repo)
    second = _show(repo, "rev-parse", "learners").strip()
    assert _show(repo, "rev-list", "--parents", "-n", "1", "learners").split() == [second, first]
    assert _show(repo, "show", "learners:notebooks/01_x.ipynb") == "notebooks 2\n"
    # No learners' commit holds solutions/, and main's history is not in the branch.
    for commit in _show(repo, "rev-list", "learners").split():
        assert "solutions" not in _show(repo, "ls-tree", "--name-only", commit)
    assert "up to date" in _make_learners_branch(repo)  # nothing new: no empty commit
