"""Feedback on chapter 5's exercises for realistic mistakes that no probe lists (issue 13).

As tests/test_feedback_ch03.py does: each exercise gets ten or more wrong answers written as
learners write them (loops, in-place updates, Python floats, a shallow copy of the state, ...),
none of them a copy of a probe's mistake, and correct answers in other styles (torch's order of
operations, the textbook's, copies updated in place, one step function reused). Every wrong
answer must be rejected with the hint named next to it (``None``: no hint is expected to name
it, the failing check's own message does), every correct variant must pass, and at least
``TARGET`` of each exercise's mistakes must get a hint that names the mistake.

Print the table (the numbers quoted in the closing note):

    .venv/bin/python tests/test_feedback_ch05.py
"""

from __future__ import annotations

import math

import numpy as np

from exercise_helpers import FeedbackChecks, Mistake, feedback_table, format_named, format_table

# ---------------------------------------------------------------------------------------------
# adagrad_step(theta, grad, state, lr=0.01, eps=1e-10)


def ag_updates_the_callers_state(theta, grad, state, lr=0.01, eps=1e-10):
    state.setdefault("step", 0)
    state.setdefault("sum", np.zeros(np.shape(theta)))
    state["step"] += 1
    state["sum"] += grad**2  # the caller's dict and array
    return theta - lr * grad / (np.sqrt(state["sum"]) + eps), state


def ag_shallow_copy(theta, grad, state, lr=0.01, eps=1e-10):
    new_state = dict(state) if state else {"step": 0, "sum": np.zeros(np.shape(theta))}
    new_state["step"] += 1
    new_state["sum"] += grad * grad  # dict(state) shares the arrays
    return theta - lr * grad / (np.sqrt(new_state["sum"]) + eps), new_state


def ag_abs(theta, grad, state, lr=0.01, eps=1e-10):
    s = state.get("sum", 0) + np.abs(grad)
    return theta - lr * grad / (np.sqrt(s) + eps), {"step": state.get("step", 0) + 1, "sum": s + 0 * theta}


def ag_eps_in_root(theta, grad, state, lr=0.01, eps=1e-10):
    s = state.get("sum", np.zeros(np.shape(theta))) + grad**2
    return theta - lr * grad / np.sqrt(s + eps), {"step": state.get("step", 0) + 1, "sum": s}


def ag_divides_by_sum(theta, grad, state, lr=0.01, eps=1e-10):
    s = state.get("sum", np.zeros(np.shape(theta))) + grad**2
    return theta - lr * grad / (s + eps), {"step": state.get("step", 0) + 1, "sum": s}


def ag_steps_then_adds(theta, grad, state, lr=0.01, eps=1e-10):
    s = state.get("sum", np.zeros(np.shape(theta)))
    new_theta = theta - lr * grad / (np.sqrt(s) + eps)
    s = s + grad**2
    return new_theta, {"step": state.get("step", 0) + 1, "sum": s}


def ag_forgets_the_past(theta, grad, state, lr=0.01, eps=1e-10):
    s = np.square(grad).astype(float)
    return theta - lr * grad / (np.sqrt(s) + eps), {"step": state.get("step", 0) + 1, "sum": s}


def ag_step_not_counted(theta, grad, state, lr=0.01, eps=1e-10):
    step = state.get("step", 0)
    s = state.get("sum", np.zeros(np.shape(theta))) + grad**2
    return theta - lr * grad / (np.sqrt(s) + eps), {"step": step, "sum": s}


def ag_ascends(theta, grad, state, lr=0.01, eps=1e-10):
    s = state.get("sum", np.zeros(np.shape(theta))) + grad**2
    return theta + lr * grad / (np.sqrt(s) + eps), {"step": state.get("step", 0) + 1, "sum": s}


def ag_float32(theta, grad, state, lr=0.01, eps=1e-10):
    s = state.get("sum", np.zeros(np.shape(theta), dtype=np.float32)) + np.float32(grad) ** 2
    new_theta = np.float32(theta) - np.float32(lr) * np.float32(grad) / (np.sqrt(s) + np.float32(eps))
    return new_theta, {"step": state.get("step", 0) + 1, "sum": s}


def ag_other_key(theta, grad, state, lr=0.01, eps=1e-10):
    G = state.get("G", np.zeros(np.shape(theta))) + grad**2  # d2l's name, not torch's
    return theta - lr * grad / (np.sqrt(G) + eps), {"step": state.get("step", 0) + 1, "G": G}


def ag_swapped_return(theta, grad, state, lr=0.01, eps=1e-10):
    s = state.get("sum", np.zeros(np.shape(theta))) + grad**2
    return {"step": state.get("step", 0) + 1, "sum": s}, theta - lr * grad / (np.sqrt(s) + eps)


def ag_root_mean(theta, grad, state, lr=0.01, eps=1e-10):
    t = state.get("step", 0) + 1
    s = state.get("sum", np.zeros(np.shape(theta))) + grad**2
    return theta - lr * grad / (np.sqrt(s / t) + eps), {"step": t, "sum": s}


def ag_eps_outside(theta, grad, state, lr=0.01, eps=1e-10):
    s = state.get("sum", np.zeros(np.shape(theta))) + grad**2
    with np.errstate(all="ignore"):
        return theta - lr * grad / np.sqrt(s) + eps, {"step": state.get("step", 0) + 1, "sum": s}


def ag_no_eps(theta, grad, state, lr=0.01, eps=1e-10):
    s = state.get("sum", np.zeros(np.shape(theta))) + grad * grad
    with np.errstate(all="ignore"):
        update = lr * grad / np.sqrt(s)
    return theta - update, {"step": state.get("step", 0) + 1, "sum": s}


def ag_copy_then_add(theta, grad, state, lr=0.01, eps=1e-10):
    s = np.array(state["sum"], dtype=float) if "sum" in state else np.zeros(np.shape(theta))
    s += np.asarray(grad, dtype=float) ** 2  # a copy, so += is safe
    return theta - lr * grad / (np.sqrt(s) + eps), {"step": state.get("step", 0) + 1, "sum": s}


def ag_loop(theta, grad, state, lr=0.01, eps=1e-10):
    theta, grad = np.asarray(theta, dtype=float).ravel(), np.asarray(grad, dtype=float).ravel()
    old = np.asarray(state.get("sum", np.zeros(theta.shape)), dtype=float).ravel()
    new_theta, s = np.empty_like(theta), np.empty_like(theta)
    for i in range(theta.size):
        s[i] = old[i] + grad[i] * grad[i]
        new_theta[i] = theta[i] - lr * grad[i] / (math.sqrt(s[i]) + eps)
    shape = np.shape(state["sum"]) if "sum" in state else None
    shape = shape or new_theta.shape
    return new_theta.reshape(shape), {"step": state.get("step", 0) + 1, "sum": s.reshape(shape)}


def ag_torch_style(theta, grad, state, lr=0.01, eps=1e-10):
    new_state = {k: np.copy(v) for k, v in state.items()} or {"step": 0, "sum": np.zeros(np.shape(theta))}
    new_state["step"] += 1
    new_state["sum"] = new_state["sum"] + grad * grad
    std = np.sqrt(new_state["sum"]) + eps
    return theta - lr * (grad / std), new_state


# ---------------------------------------------------------------------------------------------
# rmsprop_step(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8)


def _rms(theta, grad, state, alpha, keep, add):
    v = keep * state.get("square_avg", np.zeros(np.shape(theta))) + add
    return v, {"step": state.get("step", 0) + 1, "square_avg": v}


def rp_swapped(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    v, new_state = _rms(theta, grad, state, alpha, 1 - alpha, alpha * grad**2)
    return theta - lr * grad / (np.sqrt(v) + eps), new_state


def rp_eps_in_root(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    v, new_state = _rms(theta, grad, state, alpha, alpha, (1 - alpha) * grad**2)
    return theta - lr * grad / np.sqrt(v + eps), new_state


def rp_adam_habit(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    v, new_state = _rms(theta, grad, state, alpha, alpha, (1 - alpha) * grad**2)
    v_hat = v / (1 - alpha ** new_state["step"])
    return theta - lr * grad / (np.sqrt(v_hat) + eps), new_state


def rp_abs(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    v, new_state = _rms(theta, grad, state, alpha, alpha, (1 - alpha) * np.abs(grad))
    return theta - lr * grad / (np.sqrt(v) + eps), new_state


def rp_leaky_sum(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    v, new_state = _rms(theta, grad, state, alpha, alpha, grad**2)
    return theta - lr * grad / (np.sqrt(v) + eps), new_state


def rp_old_average(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    old = state.get("square_avg", np.zeros(np.shape(theta)))
    new_theta = theta - lr * grad / (np.sqrt(old) + eps)
    v = alpha * old + (1 - alpha) * grad**2
    return new_theta, {"step": state.get("step", 0) + 1, "square_avg": v}


def rp_in_place(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    v = state.get("square_avg", np.zeros(np.shape(theta)))
    v *= alpha  # the caller's array from the second step on
    v += (1 - alpha) * grad**2
    return theta - lr * grad / (np.sqrt(v) + eps), {"step": state.get("step", 0) + 1, "square_avg": v}


def rp_step_not_counted(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    v, new_state = _rms(theta, grad, state, alpha, alpha, (1 - alpha) * grad**2)
    return theta - lr * grad / (np.sqrt(v) + eps), {**new_state, "step": 1}


def rp_no_root(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    v, new_state = _rms(theta, grad, state, alpha, alpha, (1 - alpha) * grad**2)
    return theta - lr * grad / (v + eps), new_state


def rp_float32(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    v = np.float32(alpha) * state.get("square_avg", np.float32(0)) + np.float32(1 - alpha) * np.float32(grad) ** 2
    new_theta = np.float32(theta) - np.float32(lr) * np.float32(grad) / (np.sqrt(v) + np.float32(eps))
    return new_theta, {"step": state.get("step", 0) + 1, "square_avg": v + np.zeros(np.shape(theta), np.float32)}


def rp_with_momentum(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    v, new_state = _rms(theta, grad, state, alpha, alpha, (1 - alpha) * grad**2)
    b = 0.9 * state.get("momentum_buffer", 0.0) + grad / (np.sqrt(v) + eps)
    return theta - lr * b, {**new_state, "momentum_buffer": b}


def rp_theta_only(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    v, new_state = _rms(theta, grad, state, alpha, alpha, (1 - alpha) * grad**2)
    state.update(new_state)  # "returns" the state through the argument
    return theta - lr * grad / (np.sqrt(v) + eps)


def rp_textbook(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    g = np.asarray(grad, dtype=float)
    v = alpha * state["square_avg"] + (1 - alpha) * g * g if state else (1 - alpha) * g * g
    return theta - lr * g / (np.sqrt(v) + eps), {"step": state.get("step", 0) + 1, "square_avg": v}


def rp_copy_in_place(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    v = np.copy(state.get("square_avg", np.zeros(np.shape(theta))))
    v *= alpha
    v += (1 - alpha) * np.square(grad)
    theta = np.array(theta, dtype=float)
    theta -= lr * grad / (np.sqrt(v) + eps)  # on the copy
    return theta, {"step": state.get("step", 0) + 1, "square_avg": v}


def rp_rms(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    v = np.add(np.multiply(alpha, state.get("square_avg", 0.0)), (1 - alpha) * np.power(grad, 2.0))
    v = np.broadcast_to(v, np.shape(theta)).copy()
    rms = v**0.5
    return np.subtract(theta, lr * np.divide(grad, rms + eps)), {"step": state.get("step", 0) + 1, "square_avg": v}


# ---------------------------------------------------------------------------------------------
# adam_step(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False)


def _moments(theta, grad, state, betas):
    beta1, beta2 = betas
    zeros = np.zeros(np.shape(theta))
    m = beta1 * state.get("exp_avg", zeros) + (1 - beta1) * grad
    v = beta2 * state.get("exp_avg_sq", zeros) + (1 - beta2) * grad**2
    return state.get("step", 0) + 1, m, v


def ad_no_correction(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    t, m, v = _moments(theta, grad, state, betas)
    new_state = {"step": t, "exp_avg": m, "exp_avg_sq": v}
    if amsgrad:
        v = new_state["max_exp_avg_sq"] = np.maximum(state.get("max_exp_avg_sq", 0), v)
    return theta - lr * m / (np.sqrt(v) + eps), new_state


def ad_fastbook(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    t, m, v = _moments(theta, grad, state, betas)
    new_state = {"step": t, "exp_avg": m, "exp_avg_sq": v}
    if amsgrad:
        v = new_state["max_exp_avg_sq"] = np.maximum(state.get("max_exp_avg_sq", 0), v)
    m_hat = m / (1 - betas[0] ** t)
    return theta - lr * m_hat / (np.sqrt(v) + eps), new_state


def ad_eps_in_root(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    t, m, v = _moments(theta, grad, state, betas)
    new_state = {"step": t, "exp_avg": m, "exp_avg_sq": v}
    if amsgrad:
        v = new_state["max_exp_avg_sq"] = np.maximum(state.get("max_exp_avg_sq", 0), v)
    m_hat, v_hat = m / (1 - betas[0] ** t), v / (1 - betas[1] ** t)
    return theta - lr * m_hat / np.sqrt(v_hat + eps), new_state


def ad_t_from_zero_numpy(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    t = state.get("step", 0)  # read before it is counted
    _, m, v = _moments(theta, grad, state, betas)
    new_state = {"step": t + 1, "exp_avg": m, "exp_avg_sq": v}
    if amsgrad:
        v = new_state["max_exp_avg_sq"] = np.maximum(state.get("max_exp_avg_sq", 0), v)
    with np.errstate(all="ignore"):
        m_hat, v_hat = m / (1 - np.float64(betas[0]) ** t), v / (1 - np.float64(betas[1]) ** t)
        return theta - lr * m_hat / (np.sqrt(v_hat) + eps), new_state


def ad_t_from_zero_floats(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    t = state.get("step", 0)
    _, m, v = _moments(theta, grad, state, betas)
    step_size = lr / (1 - betas[0] ** t)  # ZeroDivisionError on the first step
    new_state = {"step": t + 1, "exp_avg": m, "exp_avg_sq": v}
    if amsgrad:
        v = new_state["max_exp_avg_sq"] = np.maximum(state.get("max_exp_avg_sq", 0), v)
    return theta - step_size * m / (np.sqrt(v) / math.sqrt(1 - betas[1] ** t) + eps), new_state


def ad_max_of_v_hat(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    t, m, v = _moments(theta, grad, state, betas)
    new_state = {"step": t, "exp_avg": m, "exp_avg_sq": v}
    v_hat = v / (1 - betas[1] ** t)
    if amsgrad:
        v_hat = new_state["max_exp_avg_sq"] = np.maximum(state.get("max_exp_avg_sq", 0), v_hat)
    return theta - lr * m / (1 - betas[0] ** t) / (np.sqrt(v_hat) + eps), new_state


def ad_amsgrad_forgotten(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    t, m, v = _moments(theta, grad, state, betas)
    m_hat, v_hat = m / (1 - betas[0] ** t), v / (1 - betas[1] ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), {"step": t, "exp_avg": m, "exp_avg_sq": v}


def ad_betas_reversed(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    beta2, beta1 = betas
    t, m, v = _moments(theta, grad, state, (beta1, beta2))
    new_state = {"step": t, "exp_avg": m, "exp_avg_sq": v}
    if amsgrad:
        v = new_state["max_exp_avg_sq"] = np.maximum(state.get("max_exp_avg_sq", 0), v)
    return theta - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps), new_state


def ad_eps_on_theta(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    t, m, v = _moments(theta, grad, state, betas)
    new_state = {"step": t, "exp_avg": m, "exp_avg_sq": v}
    if amsgrad:
        v = new_state["max_exp_avg_sq"] = np.maximum(state.get("max_exp_avg_sq", 0), v)
    m_hat, v_hat = m / (1 - betas[0] ** t), v / (1 - betas[1] ** t)
    with np.errstate(all="ignore"):
        return theta - lr * m_hat / np.sqrt(v_hat) + eps, new_state  # d2l's TensorFlow Adam


def ad_v_of_g(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    beta1, beta2 = betas
    t = state.get("step", 0) + 1
    m = beta1 * state.get("exp_avg", 0.0) + (1 - beta1) * grad
    v = beta2 * state.get("exp_avg_sq", 0.0) + (1 - beta2) * grad  # not squared
    new_state = {"step": t, "exp_avg": m + 0.0 * theta, "exp_avg_sq": v + 0.0 * theta}
    if amsgrad:
        v = new_state["max_exp_avg_sq"] = np.maximum(state.get("max_exp_avg_sq", 0), v) + 0.0 * theta
    with np.errstate(all="ignore"):
        return theta - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps), new_state


def ad_in_place(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    beta1, beta2 = betas
    if not state:
        state = {"step": 0, "exp_avg": np.zeros(np.shape(theta)), "exp_avg_sq": np.zeros(np.shape(theta))}
        if amsgrad:
            state["max_exp_avg_sq"] = np.zeros(np.shape(theta))
    m, v = state["exp_avg"], state["exp_avg_sq"]
    m *= beta1; m += (1 - beta1) * grad  # torch's lines, on the caller's arrays
    v *= beta2; v += (1 - beta2) * grad * grad
    t = state["step"] + 1
    if amsgrad:
        np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        v = state["max_exp_avg_sq"]
    new_theta = theta - lr / (1 - beta1**t) * m / (np.sqrt(v) / math.sqrt(1 - beta2**t) + eps)
    return new_theta, {**state, "step": t}


def ad_max_replaces_v(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    t, m, v = _moments(theta, grad, state, betas)
    if amsgrad:
        v = np.maximum(state.get("max_exp_avg_sq", 0), v)
    new_state = {"step": t, "exp_avg": m, "exp_avg_sq": v}
    if amsgrad:
        new_state["max_exp_avg_sq"] = v
    return theta - lr * (m / (1 - betas[0] ** t)) / (np.sqrt(v / (1 - betas[1] ** t)) + eps), new_state


def ad_textbook(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    t, m, v = _moments(theta, grad, state, betas)
    new_state = {"step": t, "exp_avg": m, "exp_avg_sq": v}
    if amsgrad:
        v = new_state["max_exp_avg_sq"] = np.maximum(state.get("max_exp_avg_sq", np.zeros(np.shape(theta))), v)
    m_hat, v_hat = m / (1 - betas[0] ** t), v / (1 - betas[1] ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), new_state


def ad_torch_order(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    beta1, beta2 = betas
    new_state = {k: np.array(v, dtype=float) for k, v in state.items() if k != "step"}
    for key in ("exp_avg", "exp_avg_sq") + (("max_exp_avg_sq",) if amsgrad else ()):
        new_state.setdefault(key, np.zeros(np.shape(theta)))
    new_state["step"] = t = state.get("step", 0) + 1
    m, v = new_state["exp_avg"], new_state["exp_avg_sq"]  # copies: in place is safe
    m *= beta1; m += (1 - beta1) * grad
    v *= beta2; v += (1 - beta2) * grad * grad
    if amsgrad:
        np.maximum(new_state["max_exp_avg_sq"], v, out=new_state["max_exp_avg_sq"])
        v = new_state["max_exp_avg_sq"]
    denom = np.sqrt(v) / math.sqrt(1 - beta2**t) + eps
    return theta - (lr / (1 - beta1**t)) * m / denom, new_state


def ad_loop_over_entries(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    beta1, beta2 = betas
    t = state.get("step", 0) + 1
    theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
    keys = ["exp_avg", "exp_avg_sq"] + (["max_exp_avg_sq"] if amsgrad else [])
    new = {k: np.array(state.get(k, np.zeros(theta.shape)), dtype=float) for k in keys}
    out = theta.copy()
    for i in np.ndindex(theta.shape):
        new["exp_avg"][i] = beta1 * new["exp_avg"][i] + (1 - beta1) * grad[i]
        new["exp_avg_sq"][i] = beta2 * new["exp_avg_sq"][i] + (1 - beta2) * grad[i] ** 2
        v = new["exp_avg_sq"][i]
        if amsgrad:
            new["max_exp_avg_sq"][i] = v = max(new["max_exp_avg_sq"][i], v)
        out[i] -= lr * new["exp_avg"][i] / (1 - beta1**t) / (math.sqrt(v / (1 - beta2**t)) + eps)
    return out, {"step": t, **new}


# ---------------------------------------------------------------------------------------------
# adamw_step(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2)


def _adam_update(theta, grad, state, lr, betas, eps, correct=(True, True), eps_inside=False, t=None):
    t_used, m, v = _moments(theta, grad, state, betas)
    t_used = t_used if t is None else t
    with np.errstate(all="ignore"):
        m_hat = m / (1 - betas[0] ** t_used) if correct[0] else m
        v_hat = v / (1 - betas[1] ** t_used) if correct[1] else v
        denom = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
        return lr * m_hat / denom, {"step": state.get("step", 0) + 1, "exp_avg": m, "exp_avg_sq": v}


def aw_l2(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    grad = grad + weight_decay * theta  # L2, as torch's Adam(weight_decay=...)
    update, new_state = _adam_update(theta, grad, state, lr, betas, eps)
    return theta - update, new_state


def aw_decay_last(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    update, new_state = _adam_update(theta, grad, state, lr, betas, eps)
    theta = theta - update
    return theta - lr * weight_decay * theta, new_state


def aw_paper_decay(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    update, new_state = _adam_update(theta, grad, state, lr, betas, eps)
    return theta - update - weight_decay * theta, new_state  # no lr on the decay


def aw_forgot_decay(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    update, new_state = _adam_update(theta, grad, state, lr, betas, eps)
    return theta - update, new_state


def aw_decay_in_m_only(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    beta1, beta2 = betas
    t = state.get("step", 0) + 1
    m = beta1 * state.get("exp_avg", 0.0) + (1 - beta1) * (grad + weight_decay * theta)
    v = beta2 * state.get("exp_avg_sq", 0.0) + (1 - beta2) * grad**2
    new_state = {"step": t, "exp_avg": m + 0.0 * theta, "exp_avg_sq": v + 0.0 * theta}
    return theta - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps), new_state


def aw_no_correction(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    update, new_state = _adam_update(theta, grad, state, lr, betas, eps, correct=(False, False))
    return theta * (1 - lr * weight_decay) - update, new_state


def aw_eps_in_root(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    update, new_state = _adam_update(theta, grad, state, lr, betas, eps, eps_inside=True)
    return theta * (1 - lr * weight_decay) - update, new_state


def aw_t_from_zero(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    update, new_state = _adam_update(theta, grad, state, lr, betas, eps, t=state.get("step", 0))
    return theta * (1 - lr * weight_decay) - update, new_state


def aw_step_not_counted(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    update, new_state = _adam_update(theta, grad, state, lr, betas, eps)
    return theta * (1 - lr * weight_decay) - update, {**new_state, "step": state.get("step", 0)}


def aw_decays_in_place(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    update, new_state = _adam_update(theta, grad, state, lr, betas, eps)
    theta *= 1 - lr * weight_decay  # the caller's theta
    return theta - update, new_state


def aw_decay_and_l2(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    update, new_state = _adam_update(theta, grad + weight_decay * theta, state, lr, betas, eps)
    return theta * (1 - lr * weight_decay) - update, new_state


def aw_sign_of_decay(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    update, new_state = _adam_update(theta, grad, state, lr, betas, eps)
    return theta * (1 + lr * weight_decay) - update, new_state


def aw_decay_first(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    theta = theta * (1 - lr * weight_decay)
    update, new_state = _adam_update(theta, grad, state, lr, betas, eps)
    return theta - update, new_state


def aw_minus_lr_lambda_theta(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    update, new_state = _adam_update(theta, grad, state, lr, betas, eps)
    return theta - lr * weight_decay * theta - update, new_state  # the same as decaying first


def aw_torch_order(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    return ad_torch_order(np.multiply(theta, 1 - lr * weight_decay), grad, state, lr, betas, eps)


# ---------------------------------------------------------------------------------------------
# reddi_adam(C, n_steps, lr=0.1, amsgrad=False)


def _reddi(C, n_steps, lr, amsgrad, *, gradient=lambda t, C: C if t % 3 == 1 else -1.0, rate=None,
           clip="after", beta1=0.0, beta2=None, correct=True, max_of_v_hat=False, use_max=True, first=True):
    beta2 = 1 / (1 + C**2) if beta2 is None else beta2
    x, m, v, v_max = 0.0, 0.0, 0.0, 0.0
    xs = [x] if first else []
    for t in range(1, n_steps + 1):
        g = gradient(t, C)
        if clip == "before":
            x = float(np.clip(x, -1, 1))
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        c2 = 1 - beta2**t if correct else 1.0
        if amsgrad and use_max:
            v_max = max(v_max, v / c2 if max_of_v_hat else v)
            v_hat = v_max if max_of_v_hat else v_max / c2
        else:
            v_hat = v / c2
        eta = lr / math.sqrt(t) if rate is None else rate(lr, t)
        x = x - eta * m / (1 - beta1**t) / (math.sqrt(v_hat) + 1e-8)
        if clip == "after":
            x = float(np.clip(x, -1, 1))
        xs.append(x)
    return np.array(xs)


def ra_no_clip(C, n_steps, lr=0.1, amsgrad=False):
    return _reddi(C, n_steps, lr, amsgrad, clip="never")


def ra_clip_first(C, n_steps, lr=0.1, amsgrad=False):
    return _reddi(C, n_steps, lr, amsgrad, clip="before")


def ra_constant_rate(C, n_steps, lr=0.1, amsgrad=False):
    return _reddi(C, n_steps, lr, amsgrad, rate=lambda lr, t: lr)


def ra_phase_zero(C, n_steps, lr=0.1, amsgrad=False):
    return _reddi(C, n_steps, lr, amsgrad, gradient=lambda t, C: C if t % 3 == 0 else -1.0)


def ra_ignores_amsgrad(C, n_steps, lr=0.1, amsgrad=False):
    return _reddi(C, n_steps, lr, amsgrad, use_max=False)


def ra_max_of_v_hat(C, n_steps, lr=0.1, amsgrad=False):
    return _reddi(C, n_steps, lr, amsgrad, max_of_v_hat=True)


def ra_default_betas(C, n_steps, lr=0.1, amsgrad=False):
    return _reddi(C, n_steps, lr, amsgrad, beta1=0.9, beta2=0.999)


def ra_rate_t_plus_one(C, n_steps, lr=0.1, amsgrad=False):
    return _reddi(C, n_steps, lr, amsgrad, rate=lambda lr, t: lr / math.sqrt(t + 1))


def ra_no_correction(C, n_steps, lr=0.1, amsgrad=False):
    return _reddi(C, n_steps, lr, amsgrad, correct=False)


def ra_without_x0(C, n_steps, lr=0.1, amsgrad=False):
    return _reddi(C, n_steps, lr, amsgrad, first=False)


def ra_list(C, n_steps, lr=0.1, amsgrad=False):
    return _reddi(C, n_steps, lr, amsgrad).tolist()


def ra_zero_based(C, n_steps, lr=0.1, amsgrad=False):
    beta2, xs, x, v, v_max = 1 / (1 + C**2), [0.0], 0.0, 0.0, 0.0
    for k in range(n_steps):  # k = t - 1, used everywhere in place of t
        g = C if k % 3 == 0 else -1.0
        v = beta2 * v + (1 - beta2) * g * g
        v_max = max(v_max, v)
        with np.errstate(all="ignore"):
            v_hat = np.float64(v_max if amsgrad else v) / (1 - np.float64(beta2) ** k)
        x = float(np.clip(x - lr / math.sqrt(k + 1) * g / (np.sqrt(v_hat) + 1e-8), -1, 1))
        xs.append(x)
    return np.array(xs)


def ra_python(C, n_steps, lr=0.1, amsgrad=False):
    if C <= 0 or n_steps < 0 or lr <= 0:
        raise ValueError("C, n_steps and lr must be positive")
    beta2, x, v, vmax, xs = 1.0 / (1.0 + C * C), 0.0, 0.0, 0.0, [0.0]
    for t in range(1, n_steps + 1):
        g = C if t % 3 == 1 else -1.0
        v = beta2 * v + (1.0 - beta2) * g * g
        vmax = max(vmax, v)
        denom = math.sqrt((vmax if amsgrad else v) / (1.0 - beta2**t)) + 1e-8
        x = min(1.0, max(-1.0, x - lr / math.sqrt(t) * g / denom))
        xs.append(x)
    return np.array(xs)


def ra_with_adam_step(C, n_steps, lr=0.1, amsgrad=False):
    x, state, xs = np.zeros(1), {}, np.zeros(n_steps + 1)
    for t in range(1, n_steps + 1):
        g = np.array([C if t % 3 == 1 else -1.0])
        x, state = ad_textbook(x, g, state, lr / t**0.5, (0.0, 1 / (1 + C**2)), 1e-8, amsgrad)
        x = np.clip(x, -1, 1)
        xs[t] = x[0]
    return xs


def ra_torch_form(C, n_steps, lr=0.1, amsgrad=False):
    beta2 = 1 / (1 + C**2)
    grads = np.tile([C, -1.0, -1.0], n_steps // 3 + 1)[:n_steps]
    x, v, vmax, xs = 0.0, 0.0, 0.0, [0.0]
    for t, g in enumerate(grads, start=1):
        v = v * beta2 + (1 - beta2) * g * g
        vmax = max(vmax, v)
        denom = math.sqrt(vmax if amsgrad else v) / math.sqrt(1 - beta2**t) + 1e-8
        x = float(np.clip(x - (lr / math.sqrt(t)) * g / denom, -1, 1))
        xs.append(x)
    return np.array(xs)


# ---------------------------------------------------------------------------------------------
# More realistic mistakes (issue 14's learner review): the state read with [], Kingma & Ba's
# "efficient" form, the paper's AMSGrad, one-sided clipping, and others


def ag_reads_state(theta, grad, state, lr=0.01, eps=1e-10):
    s = state["sum"] + grad**2  # KeyError on the first call, {}
    return theta - lr * grad / (np.sqrt(s) + eps), {"step": state["step"] + 1, "sum": s}


def rp_reads_state(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    v = alpha * state["square_avg"] + (1 - alpha) * grad**2
    return theta - lr * grad / (np.sqrt(v) + eps), {"step": state["step"] + 1, "square_avg": v}


def ad_reads_state(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    beta1, beta2 = betas
    t = state["step"] + 1  # KeyError on the first call, {}
    m = beta1 * state["exp_avg"] + (1 - beta1) * grad
    v = beta2 * state["exp_avg_sq"] + (1 - beta2) * grad**2
    new_theta = theta - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return new_theta, {"step": t, "exp_avg": m, "exp_avg_sq": v}


def ad_kingma_ba_efficient(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    t, m, v = _moments(theta, grad, state, betas)
    new_state = {"step": t, "exp_avg": m, "exp_avg_sq": v}
    if amsgrad:
        v = new_state["max_exp_avg_sq"] = np.maximum(state.get("max_exp_avg_sq", 0), v)
    lr_t = lr * math.sqrt(1 - betas[1] ** t) / (1 - betas[0] ** t)
    return theta - lr_t * m / (np.sqrt(v) + eps), new_state


def ad_amsgrad_as_in_the_paper(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    if not amsgrad:
        return ad_textbook(theta, grad, state, lr, betas, eps, amsgrad)
    t, m, v = _moments(theta, grad, state, betas)
    v_max = np.maximum(state.get("max_exp_avg_sq", 0), v)
    new_state = {"step": t, "exp_avg": m, "exp_avg_sq": v, "max_exp_avg_sq": v_max}
    return theta - lr * m / (np.sqrt(v_max) + eps), new_state  # Reddi et al.'s Algorithm 2: no correction


def ad_max_over_old_v(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
    if not amsgrad:
        return ad_textbook(theta, grad, state, lr, betas, eps, amsgrad)
    t, m, v = _moments(theta, grad, state, betas)
    v_max = np.maximum(state.get("max_exp_avg_sq", 0), state.get("exp_avg_sq", 0))  # before v's update
    v_hat = np.maximum(v_max, v) / (1 - betas[1] ** t)
    new_state = {"step": t, "exp_avg": m, "exp_avg_sq": v, "max_exp_avg_sq": v_max + 0 * v}
    return theta - lr * m / (1 - betas[0] ** t) / (np.sqrt(v_hat) + eps), new_state


def aw_reads_state(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    m_old, v_old = state["exp_avg"], state["exp_avg_sq"]
    return aw_decay_first(theta, grad, {**state, "exp_avg": m_old, "exp_avg_sq": v_old}, lr, betas, eps, weight_decay)


def ra_clips_above_only(C, n_steps, lr=0.1, amsgrad=False):
    beta2, x, v, v_max, xs = 1 / (1 + C**2), 0.0, 0.0, 0.0, [0.0]
    for t in range(1, n_steps + 1):
        g = C if t % 3 == 1 else -1.0
        v = beta2 * v + (1 - beta2) * g * g
        v_max = max(v_max, v)
        x = min(x - lr / math.sqrt(t) * g / (math.sqrt((v_max if amsgrad else v) / (1 - beta2**t)) + 1e-8), 1.0)
        xs.append(x)  # only the upper bound: x can go below -1
    return np.array(xs)


def ra_keeps_unprojected(C, n_steps, lr=0.1, amsgrad=False):
    x, state, xs = np.zeros(1), {}, [0.0]
    for t in range(1, n_steps + 1):
        g = np.array([C if t % 3 == 1 else -1.0])
        x, state = ad_textbook(x, g, state, lr / math.sqrt(t), (0.0, 1 / (1 + C**2)), 1e-8, amsgrad)
        xs.append(float(np.clip(x, -1, 1)[0]))  # stored projected, but x itself is not
    return np.array(xs)


def ra_rate_one_over_t(C, n_steps, lr=0.1, amsgrad=False):
    return _reddi(C, n_steps, lr, amsgrad, rate=lambda lr, t: lr / t)


def ra_beta2_one_over_one_plus_c(C, n_steps, lr=0.1, amsgrad=False):
    return _reddi(C, n_steps, lr, amsgrad, beta2=1 / (1 + C))


def ra_momentum(C, n_steps, lr=0.1, amsgrad=False):
    return _reddi(C, n_steps, lr, amsgrad, beta1=0.9)


def ra_t_minus_one_floats(C, n_steps, lr=0.1, amsgrad=False):
    beta2, x, v, xs = 1 / (1 + C**2), 0.0, 0.0, [0.0]
    for t in range(1, n_steps + 1):
        g = C if t % 3 == 1 else -1.0
        v = beta2 * v + (1 - beta2) * g * g
        v_hat = v / (1 - beta2 ** (t - 1))  # ZeroDivisionError at t = 1
        x = min(max(x - lr / math.sqrt(t) * g / (math.sqrt(v_hat) + 1e-8), -1.0), 1.0)
        xs.append(x)
    return np.array(xs)


def ra_eps_in_root(C, n_steps, lr=0.1, amsgrad=False):
    beta2, x, v, v_max, xs = 1 / (1 + C**2), 0.0, 0.0, 0.0, [0.0]
    for t in range(1, n_steps + 1):
        g = C if t % 3 == 1 else -1.0
        v = beta2 * v + (1 - beta2) * g * g
        v_max = max(v_max, v)
        x = float(np.clip(x - lr / math.sqrt(t) * g / math.sqrt((v_max if amsgrad else v) / (1 - beta2**t) + 1e-8), -1, 1))
        xs.append(x)
    return np.array(xs)


# ---------------------------------------------------------------------------------------------

MISTAKES: dict[str, dict[str, Mistake]] = {
    "ch05_adagrad_step": {
        "state['sum'] += g**2 on the caller's state": Mistake(ag_updates_the_callers_state, None),
        "dict(state), then += (shared arrays)": Mistake(ag_shallow_copy, None),
        "s + |g|": Mistake(ag_abs, "not its square"),
        "sqrt(s + eps)": Mistake(ag_eps_in_root, "eps inside the square root"),
        "g / (s + eps), no root": Mistake(ag_divides_by_sum, "not by its square root"),
        "step with the old sum, then add": Mistake(ag_steps_then_adds, "You divided by the old sum"),
        "sum = g**2 only": Mistake(ag_forgets_the_past, "the sum of the earlier steps"),
        "step not incremented": Mistake(ag_step_not_counted, "state['step'] is wrong"),
        "theta + ... (uphill)": Mistake(ag_ascends, "it goes uphill"),
        "float32 arrays": Mistake(ag_float32, "float32"),
        "d2l's key 'G'": Mistake(ag_other_key, None),
        "returns (state, theta)": Mistake(ag_swapped_return, None),
        "sqrt(s / t)": Mistake(ag_root_mean, "root of the mean"),
        "lr * g / np.sqrt(s) + eps": Mistake(ag_eps_outside, "missing parenthesis"),
        "no eps": Mistake(ag_no_eps, "eps is missing"),
        "state['sum'] read on the first call, {}": Mistake(ag_reads_state, "the first call gets state = {}"),
    },
    "ch05_rmsprop_step": {
        "(1 - alpha) v + alpha g**2": Mistake(rp_swapped, "alpha and 1 - alpha are swapped"),
        "sqrt(v + eps)": Mistake(rp_eps_in_root, "eps inside the square root"),
        "v / (1 - alpha**t), Adam's habit": Mistake(rp_adam_habit, "Adam's bias correction"),
        "alpha v + (1 - alpha) |g|": Mistake(rp_abs, "not of its square"),
        "alpha v + g**2": Mistake(rp_leaky_sum, "leaky sum"),
        "step with the old average": Mistake(rp_old_average, "You divided by the old average"),
        "v *= alpha on the caller's array": Mistake(rp_in_place, None),
        "step = 1 always": Mistake(rp_step_not_counted, "state['step'] is wrong"),
        "g / (v + eps), no root": Mistake(rp_no_root, "not by its square root"),
        "float32": Mistake(rp_float32, "float32"),
        "a momentum buffer added": Mistake(rp_with_momentum, None),
        "returns theta only, state updated": Mistake(rp_theta_only, None),
        "state['square_avg'] read on the first call": Mistake(rp_reads_state, "the first call gets state = {}"),
    },
    "ch05_adam_step": {
        "no bias correction": Mistake(ad_no_correction, "No bias correction"),
        "m corrected, v not (fastbook)": Mistake(ad_fastbook, "31.6 lr"),
        "sqrt(v_hat + eps)": Mistake(ad_eps_in_root, "eps inside the square root"),
        "t = step, numpy arrays (0/0 at t = 0)": Mistake(ad_t_from_zero_numpy, "before it is incremented"),
        "t = step, Python floats (ZeroDivisionError)": Mistake(ad_t_from_zero_floats, "before it is incremented"),
        "AMSGrad max of v_hat": Mistake(ad_max_of_v_hat, "maximum over bias-corrected values"),
        "amsgrad ignored": Mistake(ad_amsgrad_forgotten, "not of its running maximum"),
        "beta2, beta1 = betas": Mistake(ad_betas_reversed, "beta1 and beta2 are swapped"),
        "eps added to theta (d2l's TensorFlow)": Mistake(ad_eps_on_theta, "You added eps to theta"),
        "v of g, not g**2": Mistake(ad_v_of_g, "not its square"),
        "torch's lines on the caller's arrays": Mistake(ad_in_place, None),
        "the maximum stored as exp_avg_sq too": Mistake(ad_max_replaces_v, "holds AMSGrad's maximum"),
        "state['step'] read on the first call": Mistake(ad_reads_state, "the first call gets state = {}"),
        "Kingma & Ba's efficient form": Mistake(ad_kingma_ba_efficient, "efficient\" form"),
        "AMSGrad as in Reddi et al.'s paper": Mistake(ad_amsgrad_as_in_the_paper, "leave out the bias correction"),
        "AMSGrad max over the old v": Mistake(ad_max_over_old_v, "maximum over the old v"),
    },
    "ch05_adamw_step": {
        "g + weight_decay * theta (L2)": Mistake(aw_l2, "L2 regularisation"),
        "decay after the step": Mistake(aw_decay_last, "after the Adam step"),
        "theta - weight_decay * theta (no lr)": Mistake(aw_paper_decay, "theta * (1 - lr * weight_decay)"),
        "no decay (plain Adam)": Mistake(aw_forgot_decay, "no weight decay at all"),
        "decay in m only": Mistake(aw_decay_in_m_only, "You added the decay to the gradient"),
        "no bias correction": Mistake(aw_no_correction, "No bias correction"),
        "sqrt(v_hat + eps)": Mistake(aw_eps_in_root, "eps inside the square root"),
        "t = step in the correction": Mistake(aw_t_from_zero, "before it is incremented"),
        "step not incremented": Mistake(aw_step_not_counted, "state['step'] is wrong"),
        "theta *= ... on the caller's theta": Mistake(aw_decays_in_place, None),
        "decoupled decay and L2 both": Mistake(aw_decay_and_l2, "ALSO added it to g"),
        "theta * (1 + lr * weight_decay)": Mistake(aw_sign_of_decay, "makes theta larger"),
        "state['exp_avg'] read on the first call": Mistake(aw_reads_state, "the first call gets state = {}"),
    },
    "ch05_reddi_adam": {
        "no projection": Mistake(ra_no_clip, "the projection is missing"),
        "projection before the step": Mistake(ra_clip_first, "comes before the step"),
        "clipped at +1 only": Mistake(ra_clips_above_only, "bounds one side only"),
        "stores the clipped x, steps from the unclipped": Mistake(ra_keeps_unprojected, "starts from the unprojected x"),
        "lr / t": Mistake(ra_rate_one_over_t, "shrinks like 1/t"),
        "beta2 = 1 / (1 + C)": Mistake(ra_beta2_one_over_one_plus_c, "not 1 / (1 + C**2)"),
        "beta1 = 0.9, beta2 right": Mistake(ra_momentum, "One of your betas"),
        "t - 1 in the correction, Python floats": Mistake(ra_t_minus_one_floats, "ZeroDivisionError on the first step"),
        "sqrt(v_hat + eps)": Mistake(ra_eps_in_root, "eps inside the square root"),
        "constant step size lr": Mistake(ra_constant_rate, "Your step size is constant"),
        "C when t % 3 == 0": Mistake(ra_phase_zero, "wrong order"),
        "amsgrad ignored": Mistake(ra_ignores_amsgrad, "plain Adam"),
        "AMSGrad max of v_hat": Mistake(ra_max_of_v_hat, "maximum of the bias-corrected v"),
        "Adam's default betas": Mistake(ra_default_betas, "One of your betas"),
        "lr / sqrt(t + 1)": Mistake(ra_rate_t_plus_one, "off by one"),
        "v not bias-corrected": Mistake(ra_no_correction, "v is not bias-corrected"),
        "x_1 .. x_T without x_0": Mistake(ra_without_x0, None),
        "a list": Mistake(ra_list, None),
        "k = t - 1 in the bias correction": Mistake(ra_zero_based, "off by one"),
    },
}

CORRECT: dict[str, dict] = {
    "ch05_adagrad_step": {"a copy, then +=": ag_copy_then_add, "a loop over the entries": ag_loop,
                          "torch's names, copied state": ag_torch_style},
    "ch05_rmsprop_step": {"textbook": rp_textbook, "copies updated in place": rp_copy_in_place,
                          "np.add / np.divide, v**0.5": rp_rms},
    "ch05_adam_step": {"textbook m_hat / (sqrt(v_hat) + eps)": ad_textbook,
                       "torch's order, on copies": ad_torch_order, "a loop over the entries": ad_loop_over_entries},
    "ch05_adamw_step": {"decay first, then Adam": aw_decay_first, "theta - lr lambda theta - update": aw_minus_lr_lambda_theta,
                        "torch's Adam on the decayed theta": aw_torch_order},
    "ch05_reddi_adam": {"Python floats": ra_python, "an Adam step function on arrays of one": ra_with_adam_step,
                        "torch's denominator, np.tile": ra_torch_form},
}


class TestFeedback(FeedbackChecks):
    CHAPTER = 5
    MISTAKES = MISTAKES
    CORRECT = CORRECT


if __name__ == "__main__":
    rows, named = feedback_table(MISTAKES, CORRECT)
    print(format_table(rows) + "\n" + format_named(named))
