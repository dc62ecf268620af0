"""nbgrader configuration for instructors: grade the course's exercises, one assignment a chapter.

Every ``solutions/NN_exercises_<topic>.ipynb`` is one nbgrader assignment, ``chNN`` (``ch01``,
``ch02``, ... for whatever chapters exist), so chapters can be released over the day, and no
assignment is called like the folder nbgitpuller clones (``sgd-from-scratch``): ``fetch``
would refuse to write into it. nbgrader wants ``source/<assignment>/<notebook>.ipynb``; this
file copies each solution notebook to ``nbgrader/source/chNN/`` whenever it is loaded, so
``solutions/`` stays the one source of truth (a copy, not a symlink: it works on every file
system and survives moving the course folder).

When it runs: every time nbgrader loads this file - every ``nbgrader`` command run from the
course folder, ``nbgrader --help`` included, and ``make instructor-lab`` (the Formgrader) - it
compares each copy with its solution and writes only what changed (the copy, and
``nbgrader/.source-copies.json``, the SHA-256 of each copy as written). A copy whose hash is no
longer the one written (edited in ``nbgrader/source``, e.g. in the Formgrader) is kept, with a
warning, until you delete it; an unedited copy is replaced as soon as its solution changes.
Refreshing the copy does not update the gradebook or a release: after editing a released
chapter, run ``nbgrader generate_assignment chNN --force`` and ``nbgrader release_assignment
chNN --force`` (learners who already fetched keep their copy; ``solutions/README.md``).

nbgrader reads this file only from the folder it is run in: run nbgrader from the course folder.
All of nbgrader's working files (source, release, submitted, autograded, feedback, downloaded,
the gradebook database) go under ``nbgrader/``, which git ignores. Steps:
``solutions/README.md``; running a workshop: ``docs/teaching.md``.
"""

import hashlib
import json
import logging
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

HERE = Path(__file__).resolve().parent
WORK = HERE / "nbgrader"
SOLUTIONS = HERE / "solutions"
COURSE = "sgd-from-scratch"
# The chapters' exercise notebooks; lessons are notebooks/NN_<topic>.ipynb, never graded.
NOTEBOOKS = "[0-9][0-9]_exercises_*.ipynb"
#: Assignment name -> its solution notebook: {"ch01": solutions/01_exercises_..., ...}.
ASSIGNMENTS = {f"ch{nb.name[:2]}": nb for nb in sorted(SOLUTIONS.glob(NOTEBOOKS))}


# SHA-256 of each source copy as this file wrote it: a copy with another hash was edited there.
COPIED = WORK / ".source-copies.json"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sync_source(solution: Path, copy: Path, copied: dict[str, str]) -> bool:
    """Copy ``solution`` to ``copy`` unless they are equal, or ``copy`` was edited since it was
    copied (its hash is not ``copied``'s): that one is kept, with a warning. Record the hash of
    what was written in ``copied``; return whether ``copied`` changed."""
    key = copy.relative_to(WORK / "source").as_posix()
    if copy.is_symlink():  # a link, e.g. from an older version of this file: replace it
        copy.unlink()
    if copy.exists():
        now = _sha256(copy)
        if now == _sha256(solution):
            if copied.get(key) == now:
                return False
            copied[key] = now
            return True
        if copied.get(key) != now:
            print(f"[nbgrader_config.py] {copy} differs from {solution} and was not written by this "
                  "file (edited in nbgrader/source?); it is kept. Make the change in solutions/ and "
                  "delete the copy.", file=sys.stderr)
            return False
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(solution, copy)
    copied[key] = _sha256(copy)
    return True


# One assignment folder used to link all of solutions/ (nbgrader/source/sgd-from-scratch).
_old_link = WORK / "source" / COURSE
if _old_link.is_symlink():
    _old_link.unlink()
try:
    _copied = json.loads(COPIED.read_text(encoding="utf-8"))
except (OSError, ValueError):
    _copied = {}
_changed = [_sync_source(_solution, WORK / "source" / _name / _solution.name, _copied)
            for _name, _solution in ASSIGNMENTS.items()]
if any(_changed):
    COPIED.write_text(json.dumps(_copied, indent=1, sort_keys=True) + "\n", encoding="utf-8")


class ExpectedChecksumChange(logging.Filter):
    """Drop the one autograde warning that every hidden test causes, keep all others.

    ``generate_assignment`` saves each locked cell's checksum to the gradebook *before* it
    clears the hidden tests (nbgrader's ``SaveCells`` runs before ``ClearHiddenTests``), and
    the released notebook carries the checksum *after*. ``autograde`` (``OverwriteCells``)
    compares a submitted cell with the gradebook's, finds the hidden tests missing, warns
    "Attribute 'checksum' for cell ... has changed!" and puts the hidden tests back - for
    every graded cell with hidden tests, even in a blank notebook (nbgrader issue #1961).
    This filter drops exactly that case (the pair: the solution cell's checksum, the released
    cell's checksum); a learner's change to a locked cell gives another pair and is still shown.
    The pairs come from the current ``solutions/``: after editing a locked cell there, the
    warnings come back until ``nbgrader generate_assignment chNN --force`` saves the new cells.
    """

    def __init__(self) -> None:
        super().__init__()
        self._expected: set[tuple[str, str]] | None = None

    def _pairs(self) -> set[tuple[str, str]]:
        import nbformat
        from nbgrader.preprocessors import ClearHiddenTests
        from nbgrader.utils import compute_checksum, is_grade, is_locked

        pairs = set()
        for solution in ASSIGNMENTS.values():
            for cell in nbformat.read(solution, as_version=4).cells:
                if "nbgrader" in cell.metadata and is_grade(cell) and is_locked(cell):
                    cleared, _ = ClearHiddenTests().preprocess_cell(nbformat.from_dict(cell), {}, 0)
                    pairs.add((compute_checksum(cell), compute_checksum(cleared)))
        return pairs

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        if len(args) != 4 or args[0] != "checksum" or "has changed" not in str(record.msg):
            return True
        if self._expected is None:
            try:
                self._expected = self._pairs()
            except Exception:  # never break grading over a log line
                self._expected = set()
        return (str(args[2]), str(args[3])) not in self._expected


for _logger in (logging.getLogger("AutogradeApp"), logging.getLogger("NbGraderAPI")):
    # nbgrader may read this file more than once in one process (the Formgrader does).
    for _old in [f for f in _logger.filters if type(f).__name__ == "ExpectedChecksumChange"]:
        _logger.removeFilter(_old)
    _logger.addFilter(ExpectedChecksumChange())

c.CourseDirectory.course_id = COURSE
c.CourseDirectory.root = str(HERE)
c.CourseDirectory.source_directory = "nbgrader/source"
c.CourseDirectory.release_directory = "nbgrader/release"
c.CourseDirectory.submitted_directory = "nbgrader/submitted"
c.CourseDirectory.autograded_directory = "nbgrader/autograded"
c.CourseDirectory.feedback_directory = "nbgrader/feedback"
c.CourseDirectory.solution_directory = "nbgrader/solution"
c.CourseDirectory.db_url = f"sqlite:///{WORK / 'gradebook.db'}"
# Each assignment folder holds its chapter's NN_exercises_<topic>.ipynb and nothing else.
c.CourseDirectory.notebook_id = "[0-9][0-9]_exercises_*"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "README.md"]
# A graded cell's check() has a few seconds per call; whole notebooks take seconds, not minutes.
c.Execute.timeout = 120

# zip_collect: submissions downloaded from an LMS or sent by e-mail. Put them (zip files or
# notebooks) in nbgrader/downloaded/chNN/archive/, then `nbgrader zip_collect chNN`, which
# extracts them to .../extracted/ and matches this against each file's FULL path. The learner
# is named, first found: by a prefix of the file's name (Canvas's "lovelaceada_12345_67890_"
# and "lovelaceada_LATE_..." give "lovelaceada", Moodle's "Ada Lovelace_12345_assignsubmission_
# file_" gives "Ada Lovelace"); by Moodle's folder of that name; else by the first folder under
# extracted/ (a zip per learner, alice.zip, extracts to alice/, even when it holds a whole clone,
# alice/sgd-from-scratch/exercises/...). A bare notebook in archive/ names no learner and is
# skipped (zip_collect says so). A browser's " (1)", "-1" or "-Copy1" after the notebook's name
# is dropped, so the notebook is collected under the name it was released with.
c.ZipCollectApp.downloaded_directory = "nbgrader/downloaded"
c.FileNameCollectorPlugin.named_regexp = (
    r"^.*?[/\\]extracted[/\\]"
    # where the learner's name starts: Moodle's folder or a prefixed file name, else the top
    r"(?:(?:[^/\\]+[/\\])*?(?=[^/\\]+_\d+_assignsubmission_)"
    r"|(?:[^/\\]+[/\\])*(?=[^/\\]+?_\d\d_exercises_[^/\\]*$))?"
    r"(?P<student_id>[^/\\]+?)"
    r"(?:_(?:LATE_)?\d+(?:_\d+)?(?:_assignsubmission_\w+?)?)?"
    r"(?:[/\\](?:[^/\\]+[/\\])*|_)(?P<file_id>\d\d_exercises_[A-Za-z0-9_]+?)"
    r"(?:\s*\(\d+\)|-\d+|-Copy\d*)?\.ipynb$"
)
