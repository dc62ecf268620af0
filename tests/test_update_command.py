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


# The guide's day-before check of what is installed: the commit in the package's metadata.
VERSION_CHECK = re.compile(r'^ *python -c "(import importlib\.metadata[^\n]*)"$', re.MULTILINE)


def _installed_commit(python: Path, cwd: Path) -> str:
    """What the guide's version check prints, run by ``python``."""
    found = VERSION_CHECK.search(GUIDE.read_text(encoding="utf-8"))
    assert found, "docs/teaching.md should check the installed commit with importlib.metadata"
    return subprocess.run([str(python), "-c", found.group(1)], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


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
    first = _show(origin, "rev-parse", "HEAD").strip()
    assert _installed_commit(python, elsewhere) == first

    init = origin / "sgdlib" / "__init__.py"
    init.write_text(init.read_text() + '\nUPDATE_TEST_REVISION = "second"\n')
    _git(origin, "commit", "-q", "-am", "the instructor's fix")

    _pip(python, "--upgrade", url)  # what did not work: same version, so pip keeps the old code
    assert _imported(python, elsewhere)[1] == "first"

    _pip(python, *documented_update(), url)
    path, revision = _imported(python, elsewhere)
    assert revision == "second" and str(tmp_path / "hub-env") in path
    second = _show(origin, "rev-parse", "HEAD").strip()
    assert second != first and _installed_commit(python, elsewhere) == second  # the check shows it


def _make(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=repo, capture_output=True, text=True,
                          timeout=120)


def _make_learners_branch(repo: Path) -> str:
    result = _make(repo, "learners-branch")
    assert result.returncode == 0, result.stderr
    return result.stdout


def _show(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


# Files only maintainers and instructors need: never on the learners' branch.
MAINTAINERS = {"solutions/01_x.ipynb": "answers\n", "tests/test_x.py": "def test(): pass\n",
               "nbgrader_config.py": "c = get_config()\n", "conftest.py": "\n", ".ci/run": "make test\n",
               "website/build.py": "\n"}


def _course_repo(repo: Path) -> Path:
    files = {"exercises/01_x.ipynb": "exercises 1\n", "notebooks/01_x.ipynb": "notebooks 1\n",
             "README.md": "# SGD from Scratch\n\nmake test\n", **MAINTAINERS}
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    shutil.copy(REPO / "Makefile", repo)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "first")
    return repo


def _needs_git_and_make() -> None:
    if shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("needs git and make")


def test_learners_branch_drops_solutions_and_tests_and_fast_forwards(tmp_path):
    _needs_git_and_make()
    repo = _course_repo(tmp_path / "course")
    (repo / "scratch.txt").write_text("uncommitted work\n")  # must stay untouched
    _make_learners_branch(repo)
    first = _show(repo, "rev-parse", "learners").strip()
    assert _show(repo, "ls-tree", "-r", "--name-only", "learners").split() == [
        "Makefile", "README.md", "exercises/01_x.ipynb", "notebooks/01_x.ipynb"]
    readme = _show(repo, "show", "learners:README.md")
    assert readme.startswith("> **This is the course for learners**") and "live on the `main` branch" in readme
    assert readme.endswith("# SGD from Scratch\nmake test\n".replace("\nmake", "\n\nmake"))
    assert _show(repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert _show(repo, "status", "--porcelain").split() == ["??", "scratch.txt"]

    # On the branch, `make help` does not offer `make test`, and `make test` says where the tests are.
    branch = tmp_path / "learner"
    _git(tmp_path, "clone", "-q", "--branch", "learners", str(repo), str(branch))
    assert "make test" not in _make(branch, "help").stdout and "make test" in _make(repo, "help").stdout
    result = _make(branch, "test")
    assert result.returncode != 0 and "main branch" in result.stderr

    (repo / "notebooks" / "01_x.ipynb").write_text("notebooks 2\n")  # the instructor's fix
    (repo / "solutions" / "01_x.ipynb").write_text("solutions 2\n")
    _git(repo, "commit", "-q", "-am", "fix")
    assert "up to date" not in _make_learners_branch(repo)
    second = _show(repo, "rev-parse", "learners").strip()
    assert _show(repo, "rev-list", "--parents", "-n", "1", "learners").split() == [second, first]
    assert _show(repo, "show", "learners:notebooks/01_x.ipynb") == "notebooks 2\n"
    # No learners' commit holds a maintainers' file, and main's history is not in the branch.
    for commit in _show(repo, "rev-list", "learners").split():
        files = _show(repo, "ls-tree", "-r", "--name-only", commit).split()
        assert not set(files) & set(MAINTAINERS), commit
    assert "up to date" in _make_learners_branch(repo)  # nothing new: no empty commit


def test_learners_branch_in_a_shallow_ci_clone_stops_until_the_branch_is_fetched(tmp_path):
    # CI clones one branch, shallow: origin/learners is not there. Building anyway would make a
    # new root commit that only a force-push could publish (nbgitpuller: "Backup and resync").
    _needs_git_and_make()
    work = _course_repo(tmp_path / "course")
    _make_learners_branch(work)
    origin = tmp_path / "origin.git"
    _git(tmp_path, "clone", "-q", "--bare", str(work), str(origin))
    (work / "notebooks" / "01_x.ipynb").write_text("notebooks 2\n")
    _git(work, "commit", "-q", "-am", "fix")
    _git(work, "push", "-q", str(origin), "main")

    ci = tmp_path / "ci"
    _git(tmp_path, "clone", "-q", "--depth=1", "--single-branch", "--branch", "main", f"file://{origin}", str(ci))
    result = _make(ci, "learners-branch")
    assert result.returncode != 0 and "git fetch --depth=1 origin learners:refs/remotes/origin/learners" in result.stderr
    assert subprocess.run(["git", "rev-parse", "-q", "--verify", "refs/heads/learners"], cwd=ci).returncode != 0

    # The guide's CI steps: fetch the branch, build, push (a fast-forward, no force).
    _git(ci, "fetch", "-q", "--depth=1", "origin", "learners:refs/remotes/origin/learners")
    _make_learners_branch(ci)
    _git(ci, "push", "-q", "origin", "learners")
    assert _show(origin, "show", "learners:notebooks/01_x.ipynb") == "notebooks 2\n"
    assert len(_show(origin, "rev-list", "learners").split()) == 2  # one history, two commits
