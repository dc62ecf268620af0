"""nbgrader, as an instructor runs it: generate, then autograde, with the repo's configuration.

Runs in a temporary course folder (its own gradebook database), with nbgrader_config.py and
solutions/ copied from the repository, so the documented steps in solutions/README.md are what
is tested. "The exercise" is a fresh generation (`make exercises`' code), never exercises/, which a
learner may have filled in.
"""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from traitlets.config import Config

from sgdlib.grading.generate import NOTEBOOKS, generate_notebook

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = "01_exercises_gradient_descent.ipynb"
SOLUTIONS = sorted((REPO / "solutions").glob(NOTEBOOKS))
ASSIGNMENT = "sgd-from-scratch"


def _nbgrader(course: Path, *args: str) -> None:
    # nbgrader runs the `alembic` program of its environment: put this venv's bin/ first.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]


def _points(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    return sum(c.metadata.get("nbgrader", {}).get("points", 0) for c in nb.cells
               if c.metadata.get("nbgrader", {}).get("grade"))


@pytest.mark.slow
def test_autograde_gives_solutions_full_marks_and_blank_exercises_zero(tmp_path):
    # Every chapter's notebook in one assignment: one generate and one autograde for them all.
    from nbgrader.api import Gradebook

    course = tmp_path / "course"
    (course / "solutions").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", course)
    for solution in SOLUTIONS:
        shutil.copy(solution, course / "solutions")

    _nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    blanks = {}
    for solution in SOLUTIONS:
        released = course / "nbgrader" / "release" / ASSIGNMENT / solution.name
        # nbgrader's own generation and `make exercises` give the same notebook.
        blanks[solution.name] = generate_notebook(nbformat.read(solution, as_version=4))
        assert json.loads(released.read_text()) == json.loads(nbformat.writes(blanks[solution.name]))

    for student in ("alice", "bob"):
        folder = course / "nbgrader" / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        for solution in SOLUTIONS:
            nb = nbformat.read(solution, as_version=4) if student == "alice" else blanks[solution.name]
            nbformat.write(nb, folder / solution.name)
    _nbgrader(course, "autograde", ASSIGNMENT, "--force")

    with Gradebook(f"sqlite:///{course / 'nbgrader' / 'gradebook.db'}", ASSIGNMENT) as gradebook:
        for solution in SOLUTIONS:
            notebook = solution.stem
            alice = gradebook.find_submission_notebook(notebook, ASSIGNMENT, "alice")
            bob = gradebook.find_submission_notebook(notebook, ASSIGNMENT, "bob")
            assert alice.max_score == _points(solution) > 0, notebook
            assert (alice.score, bob.score) == (alice.max_score, 0), notebook


def _load_config(course: Path) -> Config:
    """Load course/nbgrader_config.py as nbgrader does (traitlets execs it with get_config)."""
    config = Config()
    path = course / "nbgrader_config.py"
    exec(compile(path.read_text(), str(path), "exec"), {"get_config": lambda: config, "__file__": str(path)})
    return config


def test_config_links_the_source_folder_relatively_and_survives_a_move(tmp_path):
    course = tmp_path / "course"
    (course / "solutions").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", course)
    shutil.copy(REPO / "solutions" / NOTEBOOK, course / "solutions")
    link = course / "nbgrader" / "source" / ASSIGNMENT
    config = _load_config(course)
    assert config.CourseDirectory.root == str(course.resolve())
    # nbgrader's notebook_id pattern takes the exercise notebooks (and nothing else in solutions/).
    taken = {p.name for p in (REPO / "solutions").iterdir()
             if fnmatch.fnmatch(p.stem, config.CourseDirectory.notebook_id)}
    assert taken == {p.name for p in (REPO / "solutions").glob(NOTEBOOKS)} and NOTEBOOK in taken
    assert os.readlink(link) == os.path.join("..", "..", "solutions")
    assert (link / NOTEBOOK).is_file()

    moved = tmp_path / "renamed course"
    course.rename(moved)
    link = moved / "nbgrader" / "source" / ASSIGNMENT
    assert (link / NOTEBOOK).is_file()  # still resolves, so nbgrader finds the source
    config = _load_config(moved)  # and loading the config again is fine
    assert config.CourseDirectory.root == str(moved.resolve())
    assert str(moved.resolve() / "nbgrader" / "gradebook.db") in config.CourseDirectory.db_url


def test_config_replaces_a_dangling_absolute_link_left_by_a_moved_course(tmp_path):
    # An older nbgrader_config.py made an absolute link; after the folder moved it dangles:
    # exists() is False, and creating the link again raised FileExistsError in every command.
    course = tmp_path / "course"
    (course / "solutions").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", course)
    link = course / "nbgrader" / "source" / ASSIGNMENT
    link.parent.mkdir(parents=True)
    link.symlink_to(tmp_path / "old place" / "solutions", target_is_directory=True)
    assert link.is_symlink() and not link.exists()
    _load_config(course)
    assert os.readlink(link) == os.path.join("..", "..", "solutions")
    assert link.resolve() == (course / "solutions").resolve()


def test_config_leaves_a_copied_source_folder_alone(tmp_path):
    # Where symlinks are not allowed, the instructor copies solutions/ there by hand.
    course = tmp_path / "course"
    (course / "solutions").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", course)
    copy = course / "nbgrader" / "source" / ASSIGNMENT
    copy.mkdir(parents=True)
    (copy / NOTEBOOK).write_text("{}")
    _load_config(course)
    assert not copy.is_symlink() and (copy / NOTEBOOK).read_text() == "{}"
