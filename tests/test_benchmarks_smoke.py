"""Smoke tests of benchmarks/: each benchmark runs at a tiny size and produces its table.

Only the shape of the output is checked (a row per method, well-formed numbers, the file the
README quotes); timings are never asserted - speed is what `make bench` reports. A peer library
that is not installed (torch, scikit-learn) must be skipped with a message, not fail.
"""

from __future__ import annotations

import importlib.util
import math
import time

import nbformat
import pytest

from benchmarks import _common, course, optim_step, scaling, training

HAS_TORCH = importlib.util.find_spec("torch") is not None
HAS_SKLEARN = importlib.util.find_spec("sklearn") is not None


@pytest.fixture(autouse=True)
def _fresh_peer_messages():
    _common.optional.cache_clear()  # each test must see its own "[skip] ..." message
    yield


def _is_time(x) -> bool:
    return isinstance(x, float) and math.isfinite(x) and x > 0


def _rows(table, **match):
    idx = {c: i for i, c in enumerate(table.columns)}
    return [r for r in table.rows if all(r[idx[k]] == v for k, v in match.items())]


def test_optim_step_table_has_both_sizes_for_every_optimizer(tmp_path, capsys):
    table = optim_step.run(**optim_step.QUICK, out_dir=tmp_path)
    sizes = sorted(set(table.column("size")))
    assert len(sizes) == 2 and any(s.startswith("MLP 64-64-10") for s in sizes)
    assert any(s == f"{optim_step.QUICK['n']:,} float32" for s in sizes)
    for size in sizes:
        rows = {r[1]: r for r in _rows(table, size=size)}
        assert list(rows) == list(optim_step.RULES)                  # every optimizer, once
        for name, row in rows.items():
            assert _is_time(row[2] / 1e6), row                         # sgdlib
            if HAS_TORCH:
                assert _is_time(row[3] / 1e6) and row[5] == pytest.approx(row[2] / row[3]), row
            else:
                assert row[3] is None and row[5] is None, row
            bound = row[7]
            assert (bound is None) == size.startswith("MLP"), row     # the traffic bound: 1M row only
    assert (tmp_path / "optim_step.md").read_text().startswith("### Optimizer step")
    if not HAS_TORCH:
        assert "[skip] torch is not installed" in capsys.readouterr().out


def test_optim_step_times_the_arrays_of_the_course_mlp():
    assert [p.shape for p in optim_step.mlp_arrays()] == [(64, 64), (64,), (64, 10), (10,)]
    assert all(p.dtype.name == "float64" for p in optim_step.mlp_arrays())


def test_training_table_has_a_row_per_solver_and_implementation(tmp_path, capsys):
    table = training.run(**training.QUICK, out_dir=tmp_path)
    for solver in training.SETTINGS:
        rows = {r[1]: r for r in _rows(table, solver=solver)}
        expected = {"sgdlib": True, "scikit-learn": HAS_SKLEARN, "torch": HAS_TORCH}
        for name, available in expected.items():
            assert name in rows, (solver, name)
            if available:
                assert _is_time(rows[name][2] / 1e3) and 0 <= rows[name][3] <= 1, rows[name]
            else:
                assert rows[name][2] == "not available"
    out = capsys.readouterr().out
    if not HAS_TORCH:
        assert "[skip] torch is not installed" in out
    assert (tmp_path / "training.md").exists()


def test_course_table_times_a_notebook_its_slowest_cell_and_each_explorer(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"),
                                         nbformat.v4.new_code_cell("import time; time.sleep(0.2)")])
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    table = course.run(notebooks=[path], **course.QUICK, out_dir=tmp_path)
    row = _rows(table, kind="notebook")[0]
    assert row[0] == f"{tmp_path.name}/tiny.ipynb"
    total, slowest, index = row[2], row[3], row[4]
    assert _is_time(total) and _is_time(slowest) and slowest <= total
    assert index == 1  # the sleeping cell is the slowest
    for name in (cls.__name__ for cls in course.explorer_classes()):
        (full,) = _rows(table, item=name, kind="explorer (update + render)")
        assert _is_time(full[5] / 1e3) and full[6] >= full[5]
    assert _rows(table, item="whole course")[0][2] == pytest.approx(total)


def test_an_explorer_that_declares_redraw_only_controls_gets_redraw_and_training_rows(tmp_path, monkeypatch):
    # Generic: any explorer with redraw_only. A stand-in whose "slow" control trains (sleeps).
    class Slider:
        def __init__(self, value, step, lo, hi):
            self.value, self.step, self.min, self.max = value, step, lo, hi

    class FakeTrainer:
        redraw_only = ("log_scale",)

        def _make_controls(self):
            return {"lr": Slider(0.1, 0.1, 0.1, 1.0), "log_scale": type("Checkbox", (), {"value": False})()}

        def update(self, lr, log_scale):
            if lr != 0.1:
                time.sleep(0.15)                       # a training move: far above 100 ms

        def render_png(self):
            return b""

    monkeypatch.setattr(course, "explorer_classes", lambda: [FakeTrainer])
    table = course.run(notebooks=[], repeats=1, max_moves=2, out_dir=tmp_path)
    (redraw,) = _rows(table, item="FakeTrainer", kind="explorer (update + render)")
    (trains,) = _rows(table, item="FakeTrainer", kind="explorer (training moves)")
    assert redraw[5] < 100 and redraw[7] == "yes"           # the checkbox flip only redraws
    assert trains[5] >= 150 and trains[7] == "yes"          # two slider moves, each >= 0.15 s


def test_scaling_fits_a_slope_and_saves_a_log_log_plot(tmp_path):
    table = scaling.run(**scaling.QUICK, out_dir=tmp_path)
    for series in ("SGD+momentum step", "Adam step"):
        rows = _rows(table, series=series)
        assert [r[1] for r in rows] == list(scaling.QUICK["param_counts"])
        assert all(_is_time(r[2]) for r in rows)
        assert math.isfinite(rows[-1][3])
    assert (tmp_path / "scaling.png").read_bytes()[:4] == b"\x89PNG"
    assert scaling.fit_slope([10, 100, 1000], [1.0, 10.0, 100.0]) == pytest.approx(1.0)
