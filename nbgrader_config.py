"""nbgrader configuration for instructors: grade the course's exercises on JupyterHub.

``solutions/`` is the nbgrader *source* folder of one assignment, ``sgd-from-scratch``: nbgrader
wants ``source/<assignment>/<notebook>.ipynb``, so this file links
``nbgrader/source/sgd-from-scratch`` to ``solutions/`` the first time nbgrader reads it. All of
nbgrader's working files (release, submitted, autograded, feedback, the gradebook database) go
under ``nbgrader/``, which is not part of the course. Steps: see ``solutions/README.md``.
"""

from pathlib import Path

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

HERE = Path(__file__).resolve().parent
WORK = HERE / "nbgrader"
ASSIGNMENT = "sgd-from-scratch"
# Relative, so the link still works after the course folder is moved or renamed.
SOURCE_TARGET = Path("..") / ".." / "solutions"

source_link = WORK / "source" / ASSIGNMENT
# A link that points elsewhere - e.g. an absolute one from an older version of this file, left
# dangling by a move; exists() is False for it, but creating a new link there fails - is replaced.
if source_link.is_symlink() and Path(source_link.readlink()) != SOURCE_TARGET:
    source_link.unlink()
if not source_link.exists() and not source_link.is_symlink():
    source_link.parent.mkdir(parents=True, exist_ok=True)
    # A symlink keeps one source of truth; where symlinks are not allowed (some Windows setups),
    # copy solutions/ to nbgrader/source/sgd-from-scratch/ by hand instead.
    source_link.symlink_to(SOURCE_TARGET, target_is_directory=True)

c.CourseDirectory.course_id = ASSIGNMENT
c.CourseDirectory.root = str(HERE)
c.CourseDirectory.source_directory = "nbgrader/source"
c.CourseDirectory.release_directory = "nbgrader/release"
c.CourseDirectory.submitted_directory = "nbgrader/submitted"
c.CourseDirectory.autograded_directory = "nbgrader/autograded"
c.CourseDirectory.feedback_directory = "nbgrader/feedback"
c.CourseDirectory.solution_directory = "nbgrader/solution"
c.CourseDirectory.db_url = f"sqlite:///{WORK / 'gradebook.db'}"
# Only the chapters' exercise notebooks, NN_exercises_<topic>.ipynb, are part of the assignment
# (not README.md); their names differ from the lessons', notebooks/NN_<topic>.ipynb.
c.CourseDirectory.notebook_id = "[0-9][0-9]_exercises_*"
# solutions/README.md is for maintainers and instructors: do not release it to students.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "README.md"]
# A graded cell's check() has a few seconds per call; whole notebooks take seconds, not minutes.
c.Execute.timeout = 120
