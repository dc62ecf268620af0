"""sgdlib.optim reproduces torch.optim, step by step, for every optimizer and option.

The reference numbers come from torch 2.13.0 (CPU, single-tensor implementation,
``foreach=False``), written by ``tests/reference/generate_torch_references.py``; see
``tests/reference/README.md``. torch is not needed to run these tests.

Each case runs two scenarios for 120 steps on two parameter arrays of shapes (2, 3) and (4,):

* ``fixed``: a stored gradient sequence (the second array's gradients span 1e-4 .. 1e3);
* ``quadratic``: a closed loop on an ill-conditioned quadratic (condition number 1000); the
  gradient is computed from the current parameters, so any difference feeds back.

We compare the parameters after **every** step and the final state under torch's key names.

Tolerances
----------
float64: ``rtol=1e-10`` (the project's bar). sgdlib writes some lines in a different but
    equivalent order (``m*b1 + (1-b1)*g`` where torch calls ``lerp``, ``lr*(g/d)`` where torch's
    ``addcdiv`` computes ``lr*g/d``), which costs a few ulp (~1e-16) per step. Where a value
    passes close to zero those few ulp are of the size of the *terms* that cancelled, not of
    the result, so we add ``atol = 1e-13 * scale`` with ``scale`` the largest magnitude that
    array reaches over the run: 1000 times more than rounding can explain and a billion times
    less than any real bug (a wrong formula moves values by ~lr * g, i.e. >= 1e-4 * scale).
float32: ``rtol=1e-5`` with ``atol = 2e-5 * scale``. One float32 ulp is 1.2e-7 relative;
    torch's CPU kernels fuse multiply-adds (FMA) and vectorise, numpy rounds each operation,
    so single steps already differ by 1-2 ulp. Over 120 steps these add up, and in the closed
    loop they feed back through the gradient (condition number 1000). The largest differences
    are in the final momentum buffers of the closed loop, which are small sums of large
    gradients that cancelled: there sgdlib differs from torch float32 by up to 7.5e-6 * scale,
    about as much as torch float32 differs from torch float64 on the same run (5e-6 * scale),
    i.e. as close as float32 arithmetic allows. The parameters themselves agree to ~1e-7 *
    scale. A formula error is caught at 1e-10 by the float64 tests; here we pin that float32
    stays float32 and follows the same trajectory.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from sgdlib.optim import OPTIMIZERS

REF = Path(__file__).resolve().parent / "reference"

RTOL = {"float64": 1e-10, "float32": 1e-5}
ATOL_FACTOR = {"float64": 1e-13, "float32": 2e-5}


def _load_generator():
    """The generator module (torch-free at import) for its quadratic's gradient function."""
    spec = importlib.util.spec_from_file_location("_torch_refs", REF / "generate_torch_references.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _load_generator()


@cache
def _npz(name: str):
    return np.load(REF / f"{name}.npz")


def _cases(optimizer: str) -> list:
    """One pytest param per (case, scenario), so a failure names both."""
    cases = json.loads(str(_npz(f"optim_{optimizer.lower()}")["__cases__"]))
    return [
        pytest.param(case, kwargs, scenario, id=f"{case}-{scenario}")
        for case, kwargs in cases.items()
        for scenario in ("fixed", "quadratic")
    ]


def run_sgdlib(optimizer: str, kwargs: dict, dtype: str, scenario: str):
    """Rerun one reference case with sgdlib; return the history of every parameter and the state."""
    inputs = _npz("optim_inputs")
    n_params = len(GEN.SHAPES)
    params = [inputs[f"init{i}"].astype(dtype) for i in range(n_params)]
    opt = OPTIMIZERS[optimizer](params, **kwargs)
    n_steps = inputs[f"grads0"].shape[0]
    history = [np.empty((n_steps, *p.shape), dtype=dtype) for p in params]
    for t in range(n_steps):
        if scenario == "fixed":
            grads = [inputs[f"grads{i}"][t].astype(dtype) for i in range(n_params)]
        else:
            grads = GEN.quadratic_grads(params, inputs["A"], inputs["b"], kwargs.get("maximize", False))
        opt.step(grads)
        for i, p in enumerate(params):
            history[i][t] = p
    return history, opt.state


def _assert_close(actual, desired, dtype: str, what: str) -> None:
    assert actual.dtype == np.dtype(dtype), f"{what}: dtype {actual.dtype}, torch has {dtype}"
    scale = float(np.abs(desired).max())
    np.testing.assert_allclose(
        actual, desired, rtol=RTOL[dtype], atol=ATOL_FACTOR[dtype] * scale, err_msg=what
    )


def check_against_torch(optimizer: str, case: str, kwargs: dict, scenario: str, dtype: str) -> None:
    ref = _npz(f"optim_{optimizer.lower()}")
    prefix = f"{case}/{dtype}/{scenario}"
    history, state = run_sgdlib(optimizer, kwargs, dtype, scenario)
    for i, h in enumerate(history):
        _assert_close(h, ref[f"{prefix}/params{i}"], dtype, f"{prefix}: params[{i}] (all steps)")
        torch_keys = {k.split("/")[-1] for k in ref.files if k.startswith(f"{prefix}/state{i}/")}
        ours = {k for k, v in state[i].items() if v is not None}
        assert ours == torch_keys, f"{prefix}: state keys {sorted(ours)}, torch has {sorted(torch_keys)}"
        for key in torch_keys:
            want = ref[f"{prefix}/state{i}/{key}"]
            if key == "step":
                assert state[i]["step"] == int(want)
            else:
                _assert_close(state[i][key], want, dtype, f"{prefix}: state[{i}][{key!r}]")


@pytest.mark.parametrize(("case", "kwargs", "scenario"), _cases("SGD"))
def test_sgd_matches_torch_reference_float64(case, kwargs, scenario):
    check_against_torch("SGD", case, kwargs, scenario, "float64")


@pytest.mark.parametrize(("case", "kwargs", "scenario"), _cases("SGD"))
def test_sgd_matches_torch_reference_float32(case, kwargs, scenario):
    check_against_torch("SGD", case, kwargs, scenario, "float32")


@pytest.mark.parametrize(("case", "kwargs", "scenario"), _cases("Adagrad"))
def test_adagrad_matches_torch_reference_float64(case, kwargs, scenario):
    check_against_torch("Adagrad", case, kwargs, scenario, "float64")


@pytest.mark.parametrize(("case", "kwargs", "scenario"), _cases("Adagrad"))
def test_adagrad_matches_torch_reference_float32(case, kwargs, scenario):
    check_against_torch("Adagrad", case, kwargs, scenario, "float32")


@pytest.mark.parametrize(("case", "kwargs", "scenario"), _cases("RMSprop"))
def test_rmsprop_matches_torch_reference_float64(case, kwargs, scenario):
    check_against_torch("RMSprop", case, kwargs, scenario, "float64")


@pytest.mark.parametrize(("case", "kwargs", "scenario"), _cases("RMSprop"))
def test_rmsprop_matches_torch_reference_float32(case, kwargs, scenario):
    check_against_torch("RMSprop", case, kwargs, scenario, "float32")


@pytest.mark.parametrize(("case", "kwargs", "scenario"), _cases("Adadelta"))
def test_adadelta_matches_torch_reference_float64(case, kwargs, scenario):
    check_against_torch("Adadelta", case, kwargs, scenario, "float64")


@pytest.mark.parametrize(("case", "kwargs", "scenario"), _cases("Adadelta"))
def test_adadelta_matches_torch_reference_float32(case, kwargs, scenario):
    check_against_torch("Adadelta", case, kwargs, scenario, "float32")


@pytest.mark.parametrize(("case", "kwargs", "scenario"), _cases("Adam"))
def test_adam_matches_torch_reference_float64(case, kwargs, scenario):
    check_against_torch("Adam", case, kwargs, scenario, "float64")


@pytest.mark.parametrize(("case", "kwargs", "scenario"), _cases("Adam"))
def test_adam_matches_torch_reference_float32(case, kwargs, scenario):
    check_against_torch("Adam", case, kwargs, scenario, "float32")


@pytest.mark.parametrize(("case", "kwargs", "scenario"), _cases("AdamW"))
def test_adamw_matches_torch_reference_float64(case, kwargs, scenario):
    check_against_torch("AdamW", case, kwargs, scenario, "float64")


@pytest.mark.parametrize(("case", "kwargs", "scenario"), _cases("AdamW"))
def test_adamw_matches_torch_reference_float32(case, kwargs, scenario):
    check_against_torch("AdamW", case, kwargs, scenario, "float32")


def test_references_cover_every_optimizer_and_stay_small():
    """Every sgdlib optimizer has a reference file, and the folder stays well under 2 MB."""
    for name in OPTIMIZERS:
        assert (REF / f"optim_{name.lower()}.npz").exists(), name
    assert sum(f.stat().st_size for f in REF.glob("*.npz")) < 1.5e6
