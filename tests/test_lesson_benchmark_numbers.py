"""Lesson 5 quotes step times from ``benchmarks/results/optim_step.md`` in a cell of its own (the
lesson must run where ``benchmarks/`` is absent: a learners' branch, a download, the browser
tests' copy). These tests keep the two in step: rerunning ``make bench`` and forgetting the
lesson fails here."""

import ast
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
LESSON = REPO / "notebooks" / "05_adaptive_methods.ipynb"
RESULTS = REPO / "benchmarks" / "results" / "optim_step.md"


def lesson_step_times() -> dict:
    """The ``step_us`` dict the lesson's benchmark cell defines."""
    for cell in nbformat.read(LESSON, as_version=4).cells:
        if cell.cell_type == "code" and "step_us = {" in cell.source:
            tree = ast.parse(cell.source)
            for node in tree.body:
                if isinstance(node, ast.Assign) and node.targets[0].id == "step_us":
                    return ast.literal_eval(node.value)
    raise AssertionError(f"{LESSON.name} has no cell defining step_us")


def benchmark_rows() -> dict:
    """(size, optimizer) -> (sgdlib, foreach, fused, bound) from the results table, in µs."""
    rows = {}
    for line in RESULTS.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 8 or cells[0] in ("size", "---") or set(cells[0]) <= {"-"}:
            continue
        number = lambda s: None if s == "-" else float(s)  # noqa: E731
        rows[cells[0], cells[1]] = (number(cells[2]), number(cells[3]), number(cells[4]), number(cells[7]))
    return rows


def test_the_lessons_step_times_are_the_benchmarks_numbers():
    quoted, measured = lesson_step_times(), benchmark_rows()
    assert quoted, "the lesson quotes no step times"
    for key, values in quoted.items():
        assert key in measured, f"{key} is not a row of {RESULTS.name}"
        assert values == measured[key], f"{key}: lesson {values}, {RESULTS.name} {measured[key]}"


def test_the_parser_reads_the_results_table():
    rows = benchmark_rows()
    assert ("1,000,000 float32", "Adam") in rows and len(rows) >= 4
