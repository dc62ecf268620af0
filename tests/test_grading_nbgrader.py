"""nbgrader, as an instructor runs it: generate, then autograde, with the repo's configuration.

Runs in a temporary course folder (its own gradebook database), with nbgrader_config.py and
solutions/ copied from the repository, so the documented steps in solutions/README.md are what
is tested.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = "01_gradient_descent.ipynb"
ASSIGNMENT = "sgd-from-scratch"


def _nbgrader(course: Path, *args: str) -> None:
    # nbgrader runs the `alembic` program of its environment: put this venv's bin/ first.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.slow
def test_autograde_gives_solution_full_marks_and_blank_exercise_zero(tmp_path):
    from nbgrader.api import Gradebook

    course = tmp_path / "course"
    (course / "solutions").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", course)
    shutil.copy(REPO / "solutions" / NOTEBOOK, course / "solutions")

    _nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    released = course / "nbgrader" / "release" / ASSIGNMENT / NOTEBOOK
    # nbgrader's own generation and `make exercises` give the same notebook.
    assert json.loads(released.read_text()) == json.loads((REPO / "exercises" / NOTEBOOK).read_text())

    for student, source in (("alice", REPO / "solutions" / NOTEBOOK), ("bob", REPO / "exercises" / NOTEBOOK)):
        folder = course / "nbgrader" / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        shutil.copy(source, folder / NOTEBOOK)
    _nbgrader(course, "autograde", ASSIGNMENT, "--force")

    with Gradebook(f"sqlite:///{course / 'nbgrader' / 'gradebook.db'}", ASSIGNMENT) as gradebook:
        alice = gradebook.find_submission(ASSIGNMENT, "alice")
        bob = gradebook.find_submission(ASSIGNMENT, "bob")
        assert alice.max_score == 10
        assert (alice.score, bob.score) == (10, 0)
