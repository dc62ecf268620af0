"""Generate ``exercises/NN_name.ipynb`` from ``solutions/NN_name.ipynb`` with nbgrader.

Run ``make exercises`` (or ``python -m sgdlib.grading.generate``) after editing a solution
notebook. The work is done by nbgrader's own preprocessors, in the order of nbgrader's
``generate_assignment`` (lock cells, clear solutions, clear outputs, checksums, clear hidden
tests, clear mark schemes), minus the steps that need a course database. The result is what an
nbgrader instructor would release, so self-study learners and nbgrader classes use the same
notebook.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

__all__ = ["generate_notebook", "generate_all", "main"]

REPO = Path(__file__).resolve().parents[2]


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


def generate_all(solutions: Path = REPO / "solutions", exercises: Path = REPO / "exercises") -> list[Path]:
    """Write ``exercises/<name>.ipynb`` for every ``solutions/<name>.ipynb``; return the paths."""
    exercises.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted(solutions.glob("[0-9][0-9]_*.ipynb")):
        nb = generate_notebook(nbformat.read(source, as_version=4))
        target = exercises / source.name
        nbformat.write(nb, target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sgdlib.grading.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--solutions", type=Path, default=REPO / "solutions")
    parser.add_argument("--exercises", type=Path, default=REPO / "exercises")
    args = parser.parse_args(argv)
    for path in generate_all(args.solutions, args.exercises):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
