"""Generate the torch reference numbers that ``tests/test_optim_parity.py`` and
``tests/test_schedules.py`` compare ``sgdlib`` against.

Run it with the torch environment (torch is never a dependency of the course or its tests)::

    /tmp/torchenv/bin/python tests/reference/generate_torch_references.py

It writes, next to this file:

* ``optim_inputs.npz`` - the shared inputs: the initial parameters, the fixed gradient sequence
  (scenario "fixed") and the ill-conditioned quadratic (scenario "quadratic");
* ``optim_<name>.npz`` - one file per optimizer: for every case (a set of constructor
  arguments), dtype and scenario, the parameters after every step and the final state tensors
  under torch's key names; the cases themselves are stored as JSON under ``__cases__``;
* ``schedules.npz`` - the learning rate of torch's LR schedulers after ``t`` calls of
  ``scheduler.step()``, for ``t = 0, 1, ...``, and the arguments used, as JSON.

The optimizers run torch's default single-tensor CPU implementation (``foreach=False``), one
parameter group. In the closed loop the gradient is computed with numpy, from the parameters
torch holds at that step, by the same function the test uses, so the comparison isolates the
optimizer.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

# torch is imported inside the functions that need it: pytest's --doctest-modules imports this
# file in environments without torch, and then it must still import.

TORCH_VERSION = "2.13.0"
HERE = Path(__file__).resolve().parent
N_STEPS = 120
SHAPES = ((2, 3), (4,))

# (name, torch class name, constructor arguments). Learning rates are chosen so that every
# case moves the parameters visibly in 120 steps without diverging on the quadratic.
CASES = {
    "SGD": [
        ("plain", dict(lr=0.05)),
        ("momentum", dict(lr=0.05, momentum=0.9)),
        ("dampening", dict(lr=0.05, momentum=0.9, dampening=0.3)),
        ("nesterov", dict(lr=0.05, momentum=0.9, nesterov=True)),
        ("weight_decay", dict(lr=0.05, momentum=0.5, weight_decay=0.1)),
        ("maximize", dict(lr=0.05, momentum=0.9, maximize=True)),
    ],
    "Adagrad": [
        ("plain", dict(lr=0.1)),
        ("lr_decay", dict(lr=0.1, lr_decay=0.05)),
        ("initial_accumulator_value", dict(lr=0.1, initial_accumulator_value=0.5)),
        ("weight_decay", dict(lr=0.1, weight_decay=0.1)),
        ("maximize", dict(lr=0.1, maximize=True)),
    ],
    "RMSprop": [
        ("plain", dict(lr=0.01)),
        ("centered", dict(lr=0.01, centered=True)),
        ("momentum", dict(lr=0.01, momentum=0.9)),
        ("centered_momentum", dict(lr=0.01, centered=True, momentum=0.9)),
        ("weight_decay", dict(lr=0.01, weight_decay=0.1)),
        ("maximize", dict(lr=0.01, maximize=True)),
    ],
    "Adadelta": [
        ("plain", dict()),
        ("weight_decay", dict(weight_decay=0.1)),
        ("maximize", dict(maximize=True)),
        ("lr_rho", dict(lr=0.5, rho=0.7)),
    ],
    "Adam": [
        ("plain", dict(lr=0.01)),
        ("amsgrad", dict(lr=0.01, amsgrad=True)),
        ("weight_decay", dict(lr=0.01, weight_decay=0.1)),
        ("maximize", dict(lr=0.01, maximize=True)),
    ],
    "AdamW": [
        ("default_weight_decay", dict(lr=0.01)),
        ("amsgrad", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
    ],
}

STATE_KEYS = {
    "SGD": ("momentum_buffer",),
    "Adagrad": ("sum",),
    "RMSprop": ("square_avg", "grad_avg", "momentum_buffer"),
    "Adadelta": ("square_avg", "acc_delta"),
    "Adam": ("exp_avg", "exp_avg_sq", "max_exp_avg_sq"),
    "AdamW": ("exp_avg", "exp_avg_sq", "max_exp_avg_sq"),
}


def make_inputs(seed: int = 20260101) -> dict[str, np.ndarray]:
    """The initial parameters, a fixed gradient sequence and an ill-conditioned quadratic."""
    rng = np.random.default_rng(seed)
    out: dict[str, np.ndarray] = {}
    for i, shape in enumerate(SHAPES):
        out[f"init{i}"] = rng.normal(size=shape)
        g = rng.normal(size=(N_STEPS, *shape))
        if i == 1:
            # Gradients spanning seven decades (1e-4 .. 1e3) per coordinate, with random signs.
            g *= 10.0 ** rng.uniform(-4, 3, size=(N_STEPS, *shape))
        out[f"grads{i}"] = g
    # f(x) = 1/2 x^T A x - b^T x over the concatenated parameters, A = Q diag(lam) Q^T with a
    # condition number of 1000 (eigenvalues 1e-2 .. 10) and a random rotation Q.
    n = sum(int(np.prod(s)) for s in SHAPES)
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    lam = np.logspace(-2, 1, n)
    out["A"] = (q * lam) @ q.T
    out["A"] = (out["A"] + out["A"].T) / 2
    out["b"] = rng.normal(size=n)
    return out


def quadratic_grads(
    params: list[np.ndarray], A: np.ndarray, b: np.ndarray, maximize: bool = False
) -> list[np.ndarray]:
    """Gradient ``A x - b`` of the quadratic, split back into the parameter shapes.

    With ``maximize`` it is the gradient of the concave ``-f`` (so that ascent converges to the
    same point instead of running off to infinity). Written with an elementwise product and
    ``sum`` (no BLAS) so that it gives the same bits here and in the tests. Computed in the
    parameters' dtype.
    """
    dtype = params[0].dtype
    x = np.concatenate([p.ravel() for p in params])
    g = (A.astype(dtype) * x[None, :]).sum(axis=1) - b.astype(dtype)
    if maximize:
        g = -g
    out, start = [], 0
    for p in params:
        out.append(g[start:start + p.size].reshape(p.shape))
        start += p.size
    return out


def run_torch(name: str, kwargs: dict, dtype: str, scenario: str, inputs: dict) -> dict:
    """Run one case; return the parameters after every step and the final state."""
    import torch

    tdtype = getattr(torch, dtype)
    params = [torch.tensor(inputs[f"init{i}"], dtype=tdtype) for i in range(len(SHAPES))]
    opt = getattr(torch.optim, name)(params, foreach=False, **kwargs)
    history = [np.empty((N_STEPS, *s), dtype=dtype) for s in SHAPES]
    for t in range(N_STEPS):
        if scenario == "fixed":
            grads = [inputs[f"grads{i}"][t].astype(dtype) for i in range(len(SHAPES))]
        else:
            grads = quadratic_grads([p.detach().numpy() for p in params], inputs["A"], inputs["b"],
                                    kwargs.get("maximize", False))
        for p, g in zip(params, grads):
            p.grad = torch.from_numpy(np.array(g, dtype=dtype))
        opt.step()
        for i, p in enumerate(params):
            history[i][t] = p.detach().numpy()
    out = {f"params{i}": h for i, h in enumerate(history)}
    for i, p in enumerate(params):
        st = opt.state[p]
        for key in STATE_KEYS[name]:
            if key in st and st[key] is not None:
                out[f"state{i}/{key}"] = st[key].detach().numpy().copy()
        if "step" in st:
            out[f"state{i}/step"] = np.array(int(st["step"].item()))
    return out


def generate_optim(inputs: dict) -> None:
    for name, cases in CASES.items():
        arrays: dict[str, np.ndarray] = {}
        for case, kwargs in cases:
            for dtype in ("float64", "float32"):
                for scenario in ("fixed", "quadratic"):
                    res = run_torch(name, kwargs, dtype, scenario, inputs)
                    for key, value in res.items():
                        arrays[f"{case}/{dtype}/{scenario}/{key}"] = value
        arrays["__cases__"] = np.array(json.dumps(dict(cases)))
        np.savez_compressed(HERE / f"optim_{name.lower()}.npz", **arrays)


# -- schedules ----------------------------------------------------------------------------------

SCHEDULES = {
    # name: (torch scheduler, its arguments, number of scheduler.step() calls, base lr)
    "StepLR": ("StepLR", dict(step_size=7, gamma=0.5), 60, 0.1),
    "ExponentialLR": ("ExponentialLR", dict(gamma=0.95), 200, 0.1),
    "PolynomialLR_power2": ("PolynomialLR", dict(total_iters=50, power=2.0), 80, 0.1),
    "PolynomialLR_power1": ("PolynomialLR", dict(total_iters=30, power=1.0), 40, 0.3),
    "CosineAnnealingLR": ("CosineAnnealingLR", dict(T_max=50, eta_min=1e-3), 150, 0.1),
    "CosineAnnealingLR_eta0": ("CosineAnnealingLR", dict(T_max=100, eta_min=0.0), 100, 0.5),
    "WarmupCosine": ("SequentialLR", dict(warmup_steps=10, start_factor=0.01, T_max=90, eta_min=1e-4),
                     100, 0.1),
    "OneCycleLR_cos": ("OneCycleLR", dict(max_lr=0.5, total_steps=100), 100, None),
    "OneCycleLR_linear_three_phase": (
        "OneCycleLR",
        dict(max_lr=1.0, total_steps=57, pct_start=0.25, anneal_strategy="linear", div_factor=10.0,
             final_div_factor=100.0, three_phase=True),
        57, None),
}


def torch_schedule(kind: str, kwargs: dict, n: int, lr: float | None) -> tuple[np.ndarray, np.ndarray]:
    """Learning rates after 0..n ``scheduler.step()`` calls, and torch's closed form (or NaN)."""
    import torch

    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr if lr is not None else 1.0)
    S = torch.optim.lr_scheduler
    if kind == "SequentialLR":
        w = kwargs["warmup_steps"]
        scheds = [S.LinearLR(opt, start_factor=kwargs["start_factor"], end_factor=1.0, total_iters=w),
                  S.CosineAnnealingLR(opt, T_max=kwargs["T_max"], eta_min=kwargs["eta_min"])]
        sched = S.SequentialLR(opt, scheds, milestones=[w])
    elif kind == "OneCycleLR":
        sched = S.OneCycleLR(opt, cycle_momentum=False, **kwargs)
    else:
        sched = getattr(S, kind)(opt, **kwargs)
    lrs, closed = [opt.param_groups[0]["lr"]], [np.nan]
    for _ in range(n):
        opt.step()  # torch wants optimizer.step() before scheduler.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
        closed.append(sched._get_closed_form_lr()[0] if hasattr(sched, "_get_closed_form_lr") else np.nan)
    return np.array(lrs, dtype=np.float64), np.array(closed, dtype=np.float64)


def generate_schedules() -> None:
    arrays: dict[str, np.ndarray] = {}
    meta = {}
    for name, (kind, kwargs, n, lr) in SCHEDULES.items():
        lrs, closed = torch_schedule(kind, kwargs, n, lr)
        arrays[f"{name}/lr"] = lrs
        arrays[f"{name}/closed_form"] = closed
        meta[name] = {"torch": kind, "lr": lr, "kwargs": kwargs, "n_steps": n}
    arrays["__cases__"] = np.array(json.dumps(meta))
    np.savez_compressed(HERE / "schedules.npz", **arrays)


def main() -> None:
    import torch

    if not torch.__version__.startswith(TORCH_VERSION):
        raise SystemExit(f"these references were made with torch {TORCH_VERSION}, found {torch.__version__}")
    print(f"torch {torch.__version__}, numpy {np.__version__}: writing references to {HERE}")
    torch.set_num_threads(1)
    inputs = make_inputs()
    meta = {"torch": torch.__version__, "numpy": np.__version__, "n_steps": N_STEPS}
    np.savez_compressed(HERE / "optim_inputs.npz", **inputs, __meta__=np.array(json.dumps(meta)))
    generate_optim(inputs)
    generate_schedules()
    total = sum(f.stat().st_size for f in HERE.glob("*.npz"))
    print(f"done: {total / 1e3:.0f} kB in {len(list(HERE.glob('*.npz')))} .npz files")


if __name__ == "__main__":
    main()
