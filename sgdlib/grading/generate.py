"""Generate ``exercises/NN_exercises_<topic>.ipynb`` from ``solutions/`` with nbgrader.

Run ``make exercises`` (or ``python -m sgdlib.grading.generate``) after editing a solution
notebook. The work is done by nbgrader's own preprocessors, in the order of nbgrader's
``generate_assignment`` (lock cells, clear solutions, clear outputs, checksums, clear hidden
tests, clear mark schemes), minus the steps that need a course database. The result is what an
nbgrader instructor would release, so self-study learners and nbgrader classes use the same
notebook.

Learners work in ``exercises/`` itself, so regenerating never destroys their work: an existing
exercise notebook that differs from the new one (and from its version committed to git) is first
moved to ``exercises/.backup/<name>-<YYYYmmdd-HHMMSS>.ipynb`` (a hidden folder, which ``progress``
skips).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

__all__ = ["generate_notebook", "generate_all", "backup", "committed_text", "matches_generation",
           "main", "BACKUP_FOLDER", "NOTEBOOKS"]

REPO = Path(__file__).resolve().parents[2]
# A chapter's exercise notebooks; the name differs from its lesson's, notebooks/NN_<topic>.ipynb.
NOTEBOOKS = "[0-9][0-9]_exercises_*.ipynb"
BACKUP_FOLDER = ".backup"  # hidden: `progress`, pytest and Jupyter's file browser skip it


def generate_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return the exercise version of a solution notebook (the input is not changed)."""
    from nbgrader.preprocessors import (CheckCellMetadata, ClearHiddenTests, ClearMarkScheme,
                                        ClearOutput, ClearSolutions, ComputeChecksums, LockCells)

    nb = nbformat.from_dict(nb)  # a deep copy
    resources: dict = {}
    steps = (LockCells(), ClearSolutions(), ClearOutput(), CheckCellMetadata(), ComputeChecksums(),
             ClearHiddenTests(), ClearMarkScheme(), ComputeChecksums(), CheckCellMetadata())
    for step in steps:
        nb, resources = step.preprocess(nb, resources)
    return nb


def backup(path: Path, now: time.struct_time | None = None) -> Path:
    """Move ``path`` to ``<its folder>/.backup/<stem>-<YYYYmmdd-HHMMSS><suffix>``; return the
    new path. A second backup within the same second gets ``-2``, ``-3``, ... appended.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "01_a.ipynb").write_text("{}")
    >>> backup(folder / "01_a.ipynb", time.strptime("2026-11-24 17:30:05", "%Y-%m-%d %H:%M:%S")).name
    '01_a-20261124-173005.ipynb'
    >>> (folder / "01_a.ipynb").exists()
    False
    """
    folder = path.parent / BACKUP_FOLDER
    folder.mkdir(exist_ok=True)
    # Backups are the learner's own work, not the course's: keep them out of `git status`
    # (and out of `git clean -fd`, which removes untracked but not ignored files).
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
    stamp = time.strftime("%Y%m%d-%H%M%S", now if now is not None else time.localtime())
    target = folder / f"{path.stem}-{stamp}{path.suffix}"
    n = 2
    while target.exists():
        target = folder / f"{path.stem}-{stamp}-{n}{path.suffix}"
        n += 1
    shutil.move(str(path), str(target))
    return target


def generate_all(solutions: Path = REPO / "solutions",
                 exercises: Path = REPO / "exercises") -> list[tuple[Path, Path | None]]:
    """Write ``exercises/<name>.ipynb`` for every ``solutions/<name>.ipynb`` matching :data:`NOTEBOOKS`.

    An existing exercise notebook whose text differs from the new one and from the version
    committed to git (e.g. a learner's answers) is moved to ``exercises/.backup/`` first (see
    :func:`backup`), never overwritten.
    Return ``(written path, backup path or None)`` for each notebook.
    """
    exercises.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted(solutions.glob(NOTEBOOKS)):
        text = nbformat.writes(generate_notebook(nbformat.read(source, as_version=4)))
        text += "" if text.endswith("\n") else "\n"  # as nbformat.write does
        target = exercises / source.name
        saved = None
        if target.exists():
            current = target.read_text(encoding="utf-8")
            # The committed version is safe in git already (a maintainer's regeneration).
            if current != text and current != committed_text(target):
                saved = backup(target)
        target.write_text(text, encoding="utf-8")
        written.append((target, saved))
    return written


def committed_text(path: Path) -> str | None:
    """The text of ``path`` as committed at git ``HEAD``, or ``None`` when that is unknown
    (no git program, not in a git checkout - e.g. an unpacked sdist -, or not committed)."""
    path = Path(path).resolve()
    try:
        result = subprocess.run(["git", "-C", str(path.parent), "show", f"HEAD:./{path.name}"],
                                capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.decode("utf-8") if result.returncode == 0 else None


def _normalised(text: str) -> str:
    return nbformat.writes(nbformat.reads(text, as_version=4))


def matches_generation(solution: Path, exercise: Path) -> bool:
    """Whether the exercise notebook we ship equals a fresh generation of ``solution``.

    "What we ship" is the exercise as committed to git (``HEAD``), or as in the working tree:
    a learner fills in the working-tree copy, which must not count against the course, while a
    maintainer who has just run ``make exercises`` has not committed yet. Without git (an sdist)
    only the working tree is checked. A hand edit is caught on a fresh clone (CI), where the
    two are the same.
    """
    fresh = nbformat.writes(generate_notebook(nbformat.read(solution, as_version=4)))
    candidates = [committed_text(exercise)]
    if exercise.exists():
        candidates.append(exercise.read_text(encoding="utf-8"))
    return any(text is not None and _normalised(text) == fresh for text in candidates)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sgdlib.grading.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--solutions", type=Path, default=REPO / "solutions")
    parser.add_argument("--exercises", type=Path, default=REPO / "exercises")
    args = parser.parse_args(argv)
    for path, saved in generate_all(args.solutions, args.exercises):
        if saved is not None:
            print(f"{path} had changes (your answers?): moved them to {saved}")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
