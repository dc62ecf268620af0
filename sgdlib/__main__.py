"""Command line of the course: ``python -m sgdlib progress [PATH]`` and, for a whole class,
``python -m sgdlib progress --class DIR [--csv FILE] [--jobs N] [--chapter N ...]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the command; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m sgdlib", description="SGD from Scratch tools")
    commands = parser.add_subparsers(dest="command", required=True)
    prog = commands.add_parser(
        "progress", help="run your exercise notebooks and print which exercises pass",
        description="Run each exercise notebook in a fresh kernel and print a progress table: "
                    "each exercise's notebook, points and status, and why a failed one failed. "
                    "With --class, the same for every learner of a class: one row per learner.")
    prog.add_argument("path", nargs="?", type=Path, default=None,
                      help="a folder of exercise notebooks or one notebook (default: the course's "
                           "exercises/, found from the course folder, a folder in it, or the folder "
                           "it was cloned into; solutions/ is never graded)")
    prog.add_argument("--class", dest="class_dir", type=Path, metavar="DIR",
                      help="grade a class: DIR is nbgrader's submitted/ (or the course folder holding "
                           "nbgrader/submitted/), or a folder of learners' home folders")
    prog.add_argument("--csv", type=Path, metavar="FILE", help="with --class: also write the table as CSV")
    prog.add_argument("--jobs", type=int, default=1,
                      help="with --class: notebooks graded at the same time, at most the CPUs you "
                           "have (default: 1)")
    prog.add_argument("--chapter", type=int, action="append", metavar="N",
                      help="with --class: grade and show only chapter N (repeat for more)")
    prog.add_argument("--cell-timeout", type=float, default=60.0,
                      help="seconds a single cell may run before it is interrupted (default: 60)")
    args = parser.parse_args(argv)
    if args.command == "progress":
        if args.class_dir is not None:
            if args.path is not None:
                parser.error("give either PATH (one learner) or --class DIR (a class), not both")
            from sgdlib.grading.classview import class_progress

            class_progress(args.class_dir, args.csv, args.cell_timeout, args.jobs, args.chapter)
            return 0
        if args.csv is not None or args.jobs != 1 or args.chapter is not None:
            parser.error("--csv, --jobs and --chapter go with --class DIR")
        from sgdlib.grading.progress import progress

        progress(args.path, args.cell_timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
