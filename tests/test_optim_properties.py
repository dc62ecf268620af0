"""Laws every sgdlib optimizer obeys, and the errors a learner gets for bad input.

The numbers themselves are pinned against torch in ``test_optim_parity.py``; here we pin the
behaviour around them: lr=0 is a no-op, the caller's gradients are never touched, dtypes are
kept, dict parameters work, the learning rate can change between steps, parameters are updated
in place, bad arguments are refused with a message naming the argument, and a diverging run
stops with advice instead of a stream of overflow warnings.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import sgdlib.optim.base as optim_base
from sgdlib.optim import OPTIMIZERS, SGD, Adadelta, Adagrad, Adam, AdamW, RMSprop

REF = Path(__file__).resolve().parent / "reference"


def _all_options() -> list:
    """Every (optimizer, options) pair of the torch parity cases: all options, incl. maximize
    and weight_decay, in one place."""
    out = []
    for name in OPTIMIZERS:
        cases = json.loads(str(np.load(REF / f"optim_{name.lower()}.npz")["__cases__"]))
        out += [pytest.param(name, kwargs, id=f"{name}-{case}") for case, kwargs in cases.items()]
    return out


ALL_OPTIONS = _all_options()


def _problem(rng: np.random.Generator, dtype=np.float64):
    params = [rng.normal(size=(3, 2)).astype(dtype), rng.normal(size=5).astype(dtype)]
    grads = [rng.normal(size=(3, 2)).astype(dtype), rng.normal(size=5).astype(dtype)]
    return params, grads


# -- lr = 0 changes nothing ---------------------------------------------------------------------

finite_arrays = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
    elements=st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False),
)


@pytest.mark.parametrize(("name", "kwargs"), ALL_OPTIONS)
@settings(max_examples=25, deadline=None)
@given(p0=finite_arrays, data=st.data())
def test_lr_zero_leaves_params_unchanged(name, kwargs, p0, data):
    # For every rule the step is lr * (something finite), so lr = 0 must leave theta exactly
    # where it was, whatever the gradients and the state accumulated so far (AdamW's decay is
    # (1 - lr * wd) * theta, also the identity at lr = 0).
    p = p0.copy()
    opt = OPTIMIZERS[name]([p], **{**kwargs, "lr": 0.0})
    for _ in range(3):
        g = data.draw(hnp.arrays(np.float64, p.shape, elements=st.floats(-1e6, 1e6, allow_nan=False)))
        opt.step([g])
    np.testing.assert_array_equal(p, p0)


# -- the caller's gradients are read, never written ----------------------------------------------

@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("name", "kwargs"), ALL_OPTIONS)
def test_caller_gradients_are_never_modified(name, kwargs, dtype):
    rng = np.random.default_rng(0)
    params, grads = _problem(rng, dtype)
    opt = OPTIMIZERS[name](params, **kwargs)
    for _ in range(3):
        before = [g.copy() for g in grads]
        opt.step(grads)
        for g, b in zip(grads, before):
            np.testing.assert_array_equal(g, b)
    # ... and the state holds no reference to them: scribbling on the caller's arrays after a
    # step (as a training loop reusing its buffers does) must not change the optimizer's state.
    state_before = [{k: np.copy(v) for k, v in s.items() if isinstance(v, np.ndarray)} for s in opt.state.values()]
    for g in grads:
        g[...] = 12345.0
    for s, before in zip(opt.state.values(), state_before):
        for key, value in before.items():
            np.testing.assert_array_equal(s[key], value, err_msg=key)


# -- dtypes, dict parameters, in-place updates ---------------------------------------------------

@pytest.mark.parametrize(("name", "kwargs"), ALL_OPTIONS)
def test_state_and_params_keep_float32(name, kwargs):
    rng = np.random.default_rng(1)
    params, grads = _problem(rng, np.float32)
    opt = OPTIMIZERS[name](params, **kwargs)
    for _ in range(2):
        opt.step([g.astype(np.float64) for g in grads])  # float64 gradients must not upcast
    for p in params:
        assert p.dtype == np.float32
    for s in opt.state.values():
        for key, value in s.items():
            if isinstance(value, np.ndarray):
                assert value.dtype == np.float32, f"state {key!r} is {value.dtype}"
        if "step" in s:
            assert type(s["step"]) is int and s["step"] == 2


@pytest.mark.parametrize(("name", "kwargs"), ALL_OPTIONS)
def test_dict_params_give_the_same_steps_and_state_by_name(name, kwargs):
    rng = np.random.default_rng(2)
    params, grads = _problem(rng)
    named = {"weight": params[0].copy(), "bias": params[1].copy()}
    opt_list = OPTIMIZERS[name](params, **kwargs)
    opt_dict = OPTIMIZERS[name](named, **kwargs)
    for _ in range(3):
        opt_list.step(grads)
        opt_dict.step({"bias": grads[1], "weight": grads[0]})  # key order does not matter
    np.testing.assert_array_equal(named["weight"], params[0])
    np.testing.assert_array_equal(named["bias"], params[1])
    assert set(opt_dict.state) == {"weight", "bias"}
    for i, key in enumerate(["weight", "bias"]):
        assert opt_dict.state[key].keys() == opt_list.state[i].keys()


@pytest.mark.parametrize(("name", "kwargs"), ALL_OPTIONS)
def test_params_are_updated_in_place(name, kwargs):
    w = np.ones(4)
    opt = OPTIMIZERS[name]([w], **kwargs)
    opt.step([np.full(4, 0.5)])
    assert opt.params[0] is w
    assert not np.array_equal(w, np.ones(4))  # the caller's array itself moved


def test_sgd_lr_change_between_steps_takes_effect():
    # theta_2 = theta_0 - a*g_0 - b*g_1 by line (4) of SGD, with a then b as learning rates.
    w = np.array([1.0, 2.0])
    g0, g1 = np.array([0.5, -1.0]), np.array([2.0, 3.0])
    opt = SGD([w], lr=0.1)
    opt.step([g0])
    opt.lr = 0.01
    opt.step([g1])
    np.testing.assert_allclose(w, np.array([1.0, 2.0]) - 0.1 * g0 - 0.01 * g1, rtol=1e-15)


@pytest.mark.parametrize(("name", "kwargs"), ALL_OPTIONS)
def test_lr_change_between_steps_takes_effect(name, kwargs):
    rng = np.random.default_rng(3)
    params, grads = _problem(rng)
    opt = OPTIMIZERS[name](params, **kwargs)
    opt.step(grads)
    opt.lr = 0.0
    frozen = [p.copy() for p in params]
    opt.step(grads)
    for p, f in zip(params, frozen):
        np.testing.assert_array_equal(p, f)
    opt.lr = 0.5
    opt.step(grads)
    assert not all(np.array_equal(p, f) for p, f in zip(params, frozen))
    assert opt.lr == 0.5


# -- repr ------------------------------------------------------------------------------------------

def test_repr_names_the_class_the_hyperparameters_and_the_shapes():
    text = repr(Adam({"w": np.zeros((2, 3)), "b": np.zeros(3)}, lr=0.1))
    assert text.startswith("Adam(")
    for piece in ("lr=0.1", "betas=(0.9, 0.999)", "eps=1e-08", "amsgrad=False", "w: (2, 3)", "b: (3,)"):
        assert piece in text, piece
    assert "object at 0x" not in text
    assert "momentum=0.9" in repr(SGD([np.zeros(1)], lr=0.1, momentum=0.9))


# -- bad input: the exception type AND a message naming the argument -------------------------------

def _w():
    return np.zeros(3)


BAD_CONSTRUCTOR = [
    ("negative_lr", lambda: SGD([_w()], lr=-0.1), ValueError, r"lr must be >= 0"),
    ("string_lr", lambda: Adam([_w()], lr="0.1"), TypeError, r"lr must be a real number"),
    ("nan_lr", lambda: Adam([_w()], lr=float("nan")), ValueError, r"lr must be a finite"),
    ("inf_lr", lambda: SGD([_w()], lr=math.inf), ValueError, r"lr must be a finite"),
    ("bool_lr", lambda: SGD([_w()], lr=True), TypeError, r"lr must be a real number"),
    ("beta1_is_1", lambda: Adam([_w()], betas=(1.0, 0.999)), ValueError, r"betas\[0\] must be < 1"),
    ("beta2_negative", lambda: Adam([_w()], betas=(0.9, -0.1)), ValueError, r"betas\[1\] must be >= 0"),
    ("betas_one_value", lambda: Adam([_w()], betas=(0.9,)), TypeError, r"betas must be a pair"),
    ("betas_three_values", lambda: AdamW([_w()], betas=(0.9, 0.99, 0.9)), TypeError, r"betas must be a pair"),
    ("betas_string", lambda: Adam([_w()], betas="0.9"), TypeError, r"betas must be a pair"),
    ("negative_momentum", lambda: SGD([_w()], lr=0.1, momentum=-0.5), ValueError, r"momentum must be >= 0"),
    ("nesterov_with_dampening", lambda: SGD([_w()], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
     ValueError, r"nesterov.*dampening"),
    ("nesterov_without_momentum", lambda: SGD([_w()], lr=0.1, nesterov=True), ValueError, r"nesterov.*momentum"),
    ("nesterov_not_bool", lambda: SGD([_w()], lr=0.1, momentum=0.9, nesterov=1), TypeError, r"nesterov must be True or False"),
    ("negative_weight_decay", lambda: Adam([_w()], weight_decay=-1e-4), ValueError, r"weight_decay must be >= 0"),
    ("negative_eps", lambda: RMSprop([_w()], eps=-1e-8), ValueError, r"eps must be > 0"),  # was >= 0: eps=0 is refused too
    ("alpha_above_1", lambda: RMSprop([_w()], alpha=1.5), ValueError, r"alpha must be <= 1"),
    ("rho_above_1", lambda: Adadelta([_w()], rho=2.0), ValueError, r"rho must be <= 1"),
    ("negative_lr_decay", lambda: Adagrad([_w()], lr_decay=-0.1), ValueError, r"lr_decay must be >= 0"),
    ("negative_initial_accumulator", lambda: Adagrad([_w()], initial_accumulator_value=-1.0), ValueError,
     r"initial_accumulator_value must be >= 0"),
    ("amsgrad_string", lambda: Adam([_w()], amsgrad="yes"), TypeError, r"amsgrad must be True or False"),
    ("params_single_array", lambda: SGD(_w(), lr=0.1), TypeError, r"params must be a list.*wrap"),
    ("params_number", lambda: SGD(3.0, lr=0.1), TypeError, r"params must be a list"),
    ("params_string", lambda: SGD("w", lr=0.1), TypeError, r"params must be a list"),
    ("params_generator", lambda: SGD((w for w in [_w()]), lr=0.1), TypeError, r"params must be a list"),
    ("params_empty_list", lambda: SGD([], lr=0.1), ValueError, r"params is empty"),
    ("params_empty_dict", lambda: Adam({}), ValueError, r"params is empty"),
    ("params_int_array", lambda: SGD([np.zeros(3, dtype=int)], lr=0.1), TypeError, r"params\[0\] must have a floating dtype"),
    ("params_list_not_array", lambda: SGD([[0.0, 1.0]], lr=0.1), TypeError, r"params\[0\] must be a numpy float array"),
    ("params_nan", lambda: SGD([np.array([np.nan, 1.0])], lr=0.1), ValueError, r"params\[0\] contains NaN"),
    ("params_read_only", lambda: SGD([np.broadcast_to(np.zeros(1), (3,))], lr=0.1), ValueError, r"params\[0\] is read-only"),
    ("params_named_int", lambda: Adam({"w": np.zeros(2, dtype=np.int64)}), TypeError, r"params\['w'\] must have a floating"),
]


@pytest.mark.parametrize(("make", "exc", "match"), [pytest.param(*c[1:], id=c[0]) for c in BAD_CONSTRUCTOR])
def test_bad_constructor_argument_is_refused_with_its_name(make, exc, match):
    with pytest.raises(exc, match=match):
        make()


def test_duplicated_parameter_is_refused():
    w = _w()
    with pytest.raises(ValueError, match=r"params\[1\] appears twice"):
        SGD([w, w], lr=0.1)


@pytest.mark.parametrize(
    ("value", "exc", "match"),
    [(-1.0, ValueError, r"lr must be >= 0"), ("0.1", TypeError, r"lr must be a real number"),
     (math.nan, ValueError, r"lr must be a finite"), (None, TypeError, r"lr must be a real number"),
     (np.array([0.1, 0.2]), TypeError, r"lr must be a real number")],
)
def test_a_bad_lr_set_between_steps_is_refused_at_the_next_step_before_any_update(value, exc, match):
    w = np.ones(3)
    opt = Adam([w], lr=0.1)
    opt.step([np.ones(3)])
    before = w.copy()
    state_before = {k: np.copy(v) for k, v in opt.state[0].items()}
    opt.lr = value                                     # a plain attribute: accepted for now ...
    with pytest.raises(exc, match=match):              # ... and refused by the next step
        opt.step([np.ones(3)])
    np.testing.assert_array_equal(w, before)           # nothing was updated, not even the state
    for key, value_before in state_before.items():
        np.testing.assert_array_equal(opt.state[0][key], value_before, err_msg=key)
    opt.lr = 0.05                                      # repaired: training goes on
    opt.step([np.ones(3)])
    assert not np.array_equal(w, before)


def _list_opt():
    return Adam([np.zeros((2, 3)), np.zeros(4)], lr=0.1)


def _dict_opt():
    return Adam({"w": np.zeros((2, 3)), "b": np.zeros(4)}, lr=0.1)


BAD_STEP = [
    ("grads_too_few", _list_opt, [np.zeros((2, 3))], ValueError, r"grads must have 2 arrays"),
    ("grads_too_many", _list_opt, [np.zeros((2, 3)), np.zeros(4), np.zeros(1)], ValueError, r"grads must have 2 arrays"),
    ("grads_single_array", _list_opt, np.zeros(4), TypeError, r"grads must be a list"),
    ("grads_string", _list_opt, "grads", TypeError, r"grads must be a list"),
    ("grads_item_string", _list_opt, ["abc", np.zeros(4)], TypeError, r"grads\[0\] must be a numpy array"),
    ("grads_item_none", _list_opt, [np.zeros((2, 3)), None], TypeError, r"grads\[1\] must be a numpy array"),
    ("grads_item_string_array", _list_opt, [np.zeros((2, 3)), np.array(["a"] * 4)], TypeError, r"grads\[1\] must be a numeric"),
    ("grads_wrong_shape", _list_opt, [np.zeros((3, 2)), np.zeros(4)], ValueError, r"grads\[0\] has shape \(3, 2\).*\(2, 3\)"),
    ("grads_transposed_order", _list_opt, [np.zeros(4), np.zeros((2, 3))], ValueError, r"grads\[0\] has shape"),
    ("grads_nan", _list_opt, [np.zeros((2, 3)), np.array([0, np.nan, 0, 0])], ValueError,
     r"grads\[1\] contains NaN.*smaller learning rate"),
    ("grads_inf", _list_opt, [np.full((2, 3), -np.inf), np.zeros(4)], ValueError, r"grads\[0\] contains NaN or inf"),
    ("dict_grads_as_list", _dict_opt, [np.zeros((2, 3)), np.zeros(4)], TypeError, r"grads must be a dict"),
    ("dict_missing_key", _dict_opt, {"w": np.zeros((2, 3))}, ValueError, r"grads must have the keys.*missing \['b'\]"),
    ("dict_extra_key", _dict_opt, {"w": np.zeros((2, 3)), "b": np.zeros(4), "c": np.zeros(1)}, ValueError,
     r"unexpected \['c'\]"),
    ("dict_wrong_shape", _dict_opt, {"w": np.zeros((2, 3)), "b": np.zeros(5)}, ValueError, r"grads\['b'\] has shape \(5,\)"),
]


@pytest.mark.parametrize(("make", "grads", "exc", "match"), [pytest.param(*c[1:], id=c[0]) for c in BAD_STEP])
def test_bad_gradients_are_refused_with_their_name(make, grads, exc, match):
    opt = make()
    before = [p.copy() for p in opt.params]
    with pytest.raises(exc, match=match):
        opt.step(grads)
    for p, b in zip(opt.params, before):  # a refused step changes nothing
        np.testing.assert_array_equal(p, b)


# step compares each gradient's dtype with its parameter's by identity and its shape by value: a
# match takes the fast path (no conversion). An equal dtype object that is not numpy's usual one,
# another dtype or a list is converted (the slow path). A non-contiguous view of the right dtype
# and shape takes the fast path: numpy's arithmetic reads it as it is.
GRADIENTS_THAT_TAKE_THE_SLOW_PATH = [
    ("big_endian_float64", lambda g: g.astype(">f8")),
    ("int64", lambda g: g.astype(np.int64)),
    ("nested_lists", lambda g: g.tolist()),
]
GRADIENTS_THAT_TAKE_THE_FAST_PATH = [
    ("float64", lambda g: g),
    ("strided_view", lambda g: np.repeat(g, 2, axis=-1)[..., ::2]),
]


@pytest.mark.parametrize("container", [list, tuple], ids=["list", "tuple"])
@pytest.mark.parametrize(
    ("convert", "slow"),
    [(c[1], True) for c in GRADIENTS_THAT_TAKE_THE_SLOW_PATH]
    + [(c[1], False) for c in GRADIENTS_THAT_TAKE_THE_FAST_PATH],
    ids=[c[0] for c in GRADIENTS_THAT_TAKE_THE_SLOW_PATH + GRADIENTS_THAT_TAKE_THE_FAST_PATH],
)
def test_gradients_of_another_dtype_or_layout_give_the_same_step(convert, slow, container, monkeypatch):
    converted = []
    as_gradient = optim_base._as_gradient
    monkeypatch.setattr(optim_base, "_as_gradient", lambda g, *args: converted.append(g) or as_gradient(g, *args))
    grads = [np.arange(6.0).reshape(2, 3), np.array([1.0, -2.0, 3.0, 4.0])]
    expected, actual = _list_opt(), _list_opt()
    expected.step(grads)
    actual.step(container(convert(g) for g in grads))
    assert len(converted) == (2 if slow else 0)
    for p, q in zip(actual.params, expected.params):
        np.testing.assert_array_equal(p, q)
    bad = [np.zeros((2, 3)), np.array([0.0, np.inf, 0.0, 0.0]).astype(">f8")]   # still checked for inf
    with pytest.raises(ValueError, match=r"grads\[1\] contains NaN or inf"):
        actual.step(container(bad))

# -- divergence: one clear error, no overflow-warning spam -----------------------------------------

@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("SGD", dict(lr=1.5)), ("SGD", dict(lr=1.0, momentum=0.9)),
     ("SGD", dict(lr=1.0, momentum=0.9, nesterov=True, weight_decay=0.1)),
     ("SGD", dict(lr=1.5, maximize=True))],
    ids=["plain", "momentum", "nesterov_weight_decay", "maximize"],
)
def test_divergence_stops_with_a_smaller_learning_rate_hint_and_no_runtime_warnings(name, kwargs):
    # f(x) = sum(h * x^2) / 2 with curvatures h up to 10: gradient descent is stable only for
    # lr < 2/10, so these runs blow up (SGD multiplies x by |1 - 1.5*10| = 14 per step) and
    # overflow within a few hundred steps; ascent (maximize) runs away for any lr. The
    # adaptive methods take steps of at most ~lr and do not overflow this way.
    h = np.array([0.1, 1.0, 10.0])
    x = np.ones(3)
    opt = OPTIMIZERS[name]([x], **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning from sgdlib fails the test
        with pytest.raises(ValueError, match=r"smaller learning rate"):
            for _ in range(100_000):
                with np.errstate(all="ignore"):  # the test's own gradient may overflow: not sgdlib's
                    g = h * x
                opt.step([g])
    assert not np.isfinite(g).all()  # it really diverged: the error is not a false alarm


# -- hyperparameters are plain attributes, checked again at the step after a change ------------------

@pytest.mark.parametrize("cls", [Adam, Adagrad, RMSprop, Adadelta, AdamW])
def test_eps_zero_is_refused_because_a_zero_gradient_would_give_nan(cls):
    # torch accepts eps=0 and then returns NaN for an entry whose gradient is exactly zero
    # (0/0); sgdlib refuses it at construction and at the step after an assignment, saying why.
    with pytest.raises(ValueError, match=r"eps must be > 0.*0/0 = NaN"):
        cls([_w()], eps=0.0)
    opt = cls([_w()], lr=0.1)
    opt.eps = 0
    with pytest.raises(ValueError, match=r"eps must be > 0.*0/0"):
        opt.step([np.zeros(3)])
    assert np.isfinite(opt.params[0]).all()


def test_sgd_momentum_switched_on_after_construction_creates_its_buffer_like_torch():
    # torch creates the buffer lazily at the first step with momentum > 0: b_1 = g
    w = np.array([1.0, -2.0])
    opt = SGD([w], lr=0.1)
    opt.step([2 * w])                                  # plain step: w = 0.8 * w0
    np.testing.assert_array_equal(w, [0.8, -1.6])
    opt.momentum = 0.9
    opt.step([2 * w])                                  # first momentum step: b = g
    np.testing.assert_allclose(opt.state[0]["momentum_buffer"], [1.6, -3.2])
    np.testing.assert_allclose(w, [0.8 - 0.16, -1.6 + 0.32])


@pytest.mark.parametrize(("make", "option"), [
    (lambda w: Adam([w], lr=0.1), "amsgrad"),
    (lambda w: RMSprop([w], lr=0.1), "centered"),
])
def test_adaptive_options_switched_on_later_create_their_state_as_zeros(make, option):
    # switching on later equals a run that had the option from the start with zero state,
    # i.e. the same steps as constructing with the option when the state is still zero
    w, w_ref = np.array([1.0, -2.0]), np.array([1.0, -2.0])
    late, ref = make(w), make(w_ref)
    setattr(ref, option, True)
    setattr(late, option, True)                        # before any step: same as from the start
    for _ in range(3):
        late.step([2 * w])
        ref.step([2 * w_ref])
    np.testing.assert_array_equal(w, w_ref)
    w2 = np.array([1.0, -2.0])
    opt = make(w2)
    opt.step([2 * w2])
    setattr(opt, option, True)                         # after a step: must not KeyError
    opt.step([2 * w2])
    assert np.isfinite(w2).all()


def test_rmsprop_momentum_switched_on_later_starts_from_a_zero_buffer():
    # torch's RMSprop: b <- momentum*b + g/d with b starting at 0, so the first momentum step
    # equals a plain step: theta <- theta - lr*g/d
    w, w_plain = np.array([1.0]), np.array([1.0])
    opt, plain = RMSprop([w], lr=0.01), RMSprop([w_plain], lr=0.01)
    opt.step([np.array([2.0])])
    plain.step([np.array([2.0])])
    opt.momentum = 0.9
    opt.step([np.array([2.0])])
    plain.step([np.array([2.0])])
    np.testing.assert_allclose(w, w_plain, rtol=1e-15)
    assert "momentum_buffer" in opt.state[0]


def test_rmsprop_centered_grad_avg_is_its_docstring_equation_bit_for_bit():
    # Line (3) reads gbar <- alpha * gbar + (1 - alpha) * g, and the code computes exactly that:
    # torch's lerp form gbar + (1 - alpha) * (g - gbar) is equal on paper but rounds
    # differently (by ~1e-16 here), so this test tells the two apart.
    alpha = 0.9
    grads = np.random.default_rng(0).normal(size=(20, 50))
    opt = RMSprop([np.zeros(50)], lr=1e-3, alpha=alpha, centered=True)
    gbar = np.zeros(50)
    for g in grads:
        opt.step([g])
        gbar = alpha * gbar + (1 - alpha) * g
        np.testing.assert_array_equal(opt.state[0]["grad_avg"], gbar)


BAD_ASSIGNMENT = [
    ("negative_momentum", lambda: SGD([_w()], lr=0.1), "momentum", -0.5, ValueError, r"momentum must be >= 0"),
    ("string_momentum", lambda: SGD([_w()], lr=0.1), "momentum", "0.9", TypeError, r"momentum must be a real"),
    ("beta2_above_1", lambda: Adam([_w()]), "betas", (0.5, 1.5), ValueError, r"betas\[1\] must be < 1"),
    ("betas_scalar", lambda: Adam([_w()]), "betas", 0.9, TypeError, r"betas must be a pair"),
    ("amsgrad_int", lambda: AdamW([_w()]), "amsgrad", 1, TypeError, r"amsgrad must be True or False"),
    ("alpha_above_1", lambda: RMSprop([_w()]), "alpha", 2.0, ValueError, r"alpha must be <= 1"),
    ("rho_negative", lambda: Adadelta([_w()]), "rho", -0.1, ValueError, r"rho must be >= 0"),
    ("lr_decay_nan", lambda: Adagrad([_w()]), "lr_decay", math.nan, ValueError, r"lr_decay must be a finite"),
    ("weight_decay_negative", lambda: Adam([_w()]), "weight_decay", -1.0, ValueError, r"weight_decay must be >= 0"),
    ("maximize_string", lambda: SGD([_w()], lr=0.1), "maximize", "no", TypeError, r"maximize must be True or False"),
]


@pytest.mark.parametrize(("make", "name", "value", "exc", "match"),
                         [pytest.param(*c[1:], id=c[0]) for c in BAD_ASSIGNMENT])
def test_bad_hyperparameter_assigned_after_construction_is_refused_at_the_next_step(make, name, value, exc, match):
    opt = make()
    before = opt.params[0].copy()
    setattr(opt, name, value)
    with pytest.raises(exc, match=match):
        opt.step([np.ones(3)])
    np.testing.assert_array_equal(opt.params[0], before)   # refused before any update
    with pytest.raises(exc, match=match):                  # and again: it stays refused until fixed
        opt.step([np.ones(3)])


def test_hyperparameters_are_checked_once_per_step_and_only_after_a_change(monkeypatch):
    # The check runs once for the whole step (not once per array), and not at all while the
    # values equal the last checked ones: most steps pay only for a comparison.
    params = [np.ones((4, 3)), np.ones(3), np.ones((3, 2)), np.ones(2)]
    grads = [np.ones_like(p) for p in params]
    opt = Adam(params, lr=0.1)
    calls = []
    check = opt._check_hyperparameters
    monkeypatch.setattr(opt, "_check_hyperparameters", lambda: calls.append(1) or check())
    for _ in range(3):
        opt.step(grads)
    assert calls == []                                 # checked at construction; unchanged since
    opt.lr = 0.01
    opt.step(grads)
    assert calls == [1]                                # one check for four arrays
    opt.step(grads)
    opt.lr = 0.01                                      # the same value again: nothing to check
    opt.betas = (0.9, 0.999)
    opt.step(grads)
    assert calls == [1]
    opt.betas = (0.8, 0.99)
    opt.step(grads)
    assert calls == [1, 1]


EQUAL_BUT_WRONG_TYPE = [
    # True == 1 == 1.0 in Python: each value equals the one checked before, yet is refused.
    ("lr_true_after_1.0", lambda: SGD([_w()], lr=1.0), "lr", True, r"lr must be a real number, got bool"),
    ("lr_numpy_bool_after_1.0", lambda: Adam([_w()], lr=1.0), "lr", np.True_, r"lr must be a real number"),
    ("maximize_1_after_true", lambda: SGD([_w()], lr=0.1, maximize=True), "maximize", 1,
     r"maximize must be True or False, got int 1"),
    ("maximize_0_after_false", lambda: Adagrad([_w()]), "maximize", 0, r"maximize must be True or False"),
    ("amsgrad_int64_after_true", lambda: Adam([_w()], amsgrad=True), "amsgrad", np.int64(1),
     r"amsgrad must be True or False"),
    ("centered_0.0_after_false", lambda: RMSprop([_w()]), "centered", 0.0, r"centered must be True or False"),
    ("beta1_false_after_0.0", lambda: Adam([_w()], betas=(0.0, 0.999)), "betas", (False, 0.999),
     r"betas\[0\] must be a real number, got bool"),
]


@pytest.mark.parametrize(("make", "name", "value", "match"),
                         [pytest.param(*c[1:], id=c[0]) for c in EQUAL_BUT_WRONG_TYPE])
def test_a_value_equal_to_the_checked_one_but_of_another_type_is_still_checked(make, name, value, match):
    opt = make()
    opt.step([np.ones(3)])                             # the current values are checked and cached
    assert value == getattr(opt, name)                 # the new value compares equal ...
    setattr(opt, name, value)
    before = opt.params[0].copy()
    with pytest.raises(TypeError, match=match):        # ... but is checked, and refused
        opt.step([np.ones(3)])
    np.testing.assert_array_equal(opt.params[0], before)


def test_a_numpy_scalar_or_a_list_equal_to_the_checked_value_is_accepted():
    w = _w()
    opt = Adam([w], lr=0.1)
    opt.lr = np.float64(0.1)
    opt.betas = [0.9, 0.999]                           # checked again, stored as a tuple
    opt.step([np.ones(3)])
    assert opt.betas == (0.9, 0.999) and isinstance(opt.betas, tuple)
    assert not np.array_equal(w, _w())


def test_hyperparameters_property_and_repr_follow_assignments():
    opt = SGD([_w()], lr=0.1, momentum=0.9)
    assert opt.hyperparameters == {"lr": 0.1, "momentum": 0.9, "dampening": 0.0, "weight_decay": 0.0,
                                   "nesterov": False, "maximize": False}
    opt.lr = 0.02
    assert opt.hyperparameters["lr"] == 0.02 and "lr=0.02" in repr(opt)
    assert list(Adam([_w()]).hyperparameters) == ["lr", "betas", "eps", "weight_decay", "amsgrad", "maximize"]


def test_nesterov_rule_is_checked_at_the_next_step_when_momentum_is_changed_later():
    w = _w()
    opt = SGD([w], lr=0.1, momentum=0.9, nesterov=True)
    opt.momentum = 0.0                                 # now nesterov would silently be plain SGD
    before = w.copy()
    with pytest.raises(ValueError, match=r"nesterov=True needs momentum > 0.*momentum=0"):
        opt.step([np.ones_like(w)])
    np.testing.assert_array_equal(w, before)


# -- parameters that overlap in memory --------------------------------------------------------------

@pytest.mark.parametrize("make_view", [lambda W: W[0], lambda W: W.T, lambda W: W.reshape(-1)[::2]],
                         ids=["row", "transpose", "strided"])
def test_overlapping_views_are_refused_since_shared_entries_would_update_twice(make_view):
    W = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"params\[1\] overlaps params\[0\] in memory"):
        SGD([W, make_view(W)], lr=0.1)
    with pytest.raises(ValueError, match=r"params\['b'\] overlaps params\['W'\]"):
        Adam({"W": W, "b": make_view(W)})


def test_disjoint_views_of_one_buffer_are_accepted():
    buf = np.zeros(6)
    w, b = buf[:4], buf[4:]                            # two halves: no entry shared
    SGD([w, b], lr=0.1).step([np.ones(4), np.ones(2)])
    np.testing.assert_allclose(buf, -0.1)


def test_a_parameter_reshaped_in_place_is_checked_against_its_new_shape():
    w = np.zeros(3)
    opt = SGD([w], lr=0.1)
    w.shape = (1, 3)
    opt.step([np.ones((1, 3))])                        # the gradient of its shape now: accepted
    np.testing.assert_allclose(w, [[-0.1, -0.1, -0.1]])
    with pytest.raises(ValueError, match=r"grads\[0\] has shape \(3,\) but its parameter has shape \(1, 3\)"):
        opt.step([np.ones(3)])                         # would broadcast silently


def test_the_parameters_cannot_be_replaced_behind_the_optimizer():
    opt = Adam({"W": np.zeros((2, 3)), "b": np.zeros(3)})
    assert isinstance(opt.params, tuple)
    with pytest.raises(TypeError):
        opt.params[0] = np.zeros(5)                    # state and checks would describe the old array


def test_non_finite_gradient_raises_the_dedicated_exception_class():
    from sgdlib.optim import NonFiniteGradientError
    assert issubclass(NonFiniteGradientError, ValueError)
    opt = SGD([_w()], lr=0.1)
    with pytest.raises(NonFiniteGradientError, match="NaN or inf"):
        opt.step([np.full(3, np.nan)])


def test_betas_given_as_a_list_cannot_be_changed_unchecked_in_place():
    # betas are stored as a tuple after the check, so editing the caller's list later cannot
    # slip a bad value past the "unchanged since the last check" shortcut
    betas = [0.9, 0.999]
    opt = Adam([_w()], betas=betas)
    assert opt.betas == (0.9, 0.999) and isinstance(opt.betas, tuple)
    betas[1] = 1.5
    opt.step([np.ones(3)])                             # unaffected: the optimizer has its own tuple
    assert opt.betas == (0.9, 0.999)
