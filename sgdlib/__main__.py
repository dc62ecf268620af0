"""Command line of the course: ``python -m sgdlib progress [PATH]``."""

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
                    "each exercise's notebook, points and status, and why a failed one failed.")
    prog.add_argument("path", nargs="?", type=Path, default=Path("exercises"),
                      help="a folder of exercise notebooks or one notebook (default: exercises/)")
    prog.add_argument("--cell-timeout", type=float, default=60.0,
                      help="seconds a single cell may run before it is interrupted (default: 60)")
    args = parser.parse_args(argv)
    if args.command == "progress":
        from sgdlib.grading.progress import progress

        progress(args.path, args.cell_timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
