"""What chapter 5's step exercises share: a run of steps that builds a mid-run state for a case,
one Adam step with switches, from which the Adam and AdamW exercises make their mistakes, and the
probe of a state read before the first call has stored anything.

The module's name starts with ``_``, so the registry does not look for an exercise in it.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ...core import Probe

__all__ = ["after_steps", "adam_like", "first_call_probe"]


def first_call_probe(keys: tuple[str, ...], array_key: str, mistake: Callable) -> Probe:
    """The probe of ``state[key]`` read directly: the first call gets ``{}``, so it raises a
    ``KeyError`` naming one of torch's ``keys``; ``mistake`` is such a function."""
    return Probe(
        "state_read_before_it_exists",
        f"Your function reads the state with `state[...]`, but the first call gets state = {{}}: "
        f"nothing is stored yet, so that raises KeyError. Read it with a default, "
        f"`state.get({array_key!r}, np.zeros_like(theta, dtype=float))` and `state.get('step', 0)`, "
        "as torch does when it meets a parameter for the first time.",
        (mistake,),
        symptom=lambda value, error: (error is not None and error.type_name == "KeyError"
                                      and error.message.strip("'\"") in keys))


def after_steps(step: Callable, theta: np.ndarray, grads, *args) -> tuple[np.ndarray, dict]:
    """theta and the state after one ``step(theta, g, state, *args)`` per gradient in ``grads``,
    from the empty state: a mid-run input, chained through the returned state."""
    state: dict = {}
    for g in grads:
        theta, state = step(theta, np.asarray(g, dtype=float), state, *args)
    return theta, state


def adam_like(theta, grad, state, lr, betas, eps, amsgrad=False, weight_decay=0.0, decoupled=False, *,
              correct_m=True, correct_v=True, eps_inside=False, eps_on_theta=False, no_sqrt=False,
              t_shift=0, count=1, square=np.square, swap_betas=False, max_of_corrected=False,
              ignore_amsgrad=False, max_stored_as_v=False, decay_after=False, decay_lr=True, l2_too=False,
              l2_in_m_only=False, decay_sign=1, efficient=False, amsgrad_uncorrected=(), max_of_old_v=False,
              max_recorrected=False):
    """One Adam/AdamW step as torch takes it, or with one of the switched-on mistakes.

    ``efficient``: Kingma & Ba's "efficient" order, lr * sqrt(1 - beta2^t) / (1 - beta1^t) times
    m / (sqrt(v) + eps), eps on the raw root. ``amsgrad_uncorrected``: with amsgrad, the
    corrections left out ("m", "v"), as in Reddi et al.'s AMSGrad. ``max_of_old_v``: the stored
    maximum taken over the old v. ``max_recorrected``: the maximum of the old maximum re-corrected
    with t - 1 and the new v_hat (the raw maximum stored)."""
    beta1, beta2 = betas[::-1] if swap_betas else betas
    theta, g = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
    zeros = np.zeros_like(theta)
    step = state.get("step", 0)
    t = step + 1 + t_shift  # t_shift = -1: the counter read before it is incremented
    g_m = g + weight_decay * theta if l2_in_m_only else g  # the decay in m, not in v
    if weight_decay and (not decoupled or l2_too) and not l2_in_m_only:
        g = g_m = g + weight_decay * theta
    if weight_decay and decoupled and not decay_after:
        theta = theta * (1 - decay_sign * (lr if decay_lr else 1.0) * weight_decay)
    m = beta1 * state.get("exp_avg", zeros) + (1 - beta1) * g_m
    v = beta2 * state.get("exp_avg_sq", zeros) + (1 - beta2) * square(g)
    new_state = {"step": step + count, "exp_avg": m, "exp_avg_sq": v}
    with np.errstate(all="ignore"):
        c1 = 1 - beta1**t if correct_m else 1.0
        c2 = 1 - beta2**t if correct_v else 1.0
        v_hat = v / c2
        if amsgrad and not ignore_amsgrad:
            c1 = 1.0 if "m" in amsgrad_uncorrected else c1
            c2 = 1.0 if "v" in amsgrad_uncorrected else c2
            old_max = state.get("max_exp_avg_sq", zeros)
            if max_of_old_v:  # the maximum over the old v; the new v enters the step only
                new_state["max_exp_avg_sq"] = np.maximum(old_max, state.get("exp_avg_sq", zeros))
                v_hat = np.maximum(new_state["max_exp_avg_sq"], v) / c2
            elif max_recorrected:  # old maximum / (1 - beta2**(t - 1)) against v / (1 - beta2**t)
                new_state["max_exp_avg_sq"] = np.maximum(old_max, v)
                v_hat = np.maximum(old_max / (1 - beta2 ** (t - 1)) if t > 1 else zeros, v / c2)
            elif max_of_corrected:  # the maximum of the corrected v, used as it is
                v_hat = np.maximum(state.get("max_exp_avg_sq", zeros), v_hat)
                new_state["max_exp_avg_sq"] = v_hat
            else:
                v_max = np.maximum(state.get("max_exp_avg_sq", zeros), v)
                new_state["max_exp_avg_sq"] = v_max
                if max_stored_as_v:  # the maximum replaces v in the state, too
                    new_state["exp_avg_sq"] = v_max
                v_hat = v_max / c2
        root = v_hat if no_sqrt else np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat)
        if efficient:  # lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t), eps on the raw sqrt(v)
            new_theta = theta - lr * np.sqrt(c2) / c1 * m / (np.sqrt(v_hat * c2) + eps)
        elif eps_on_theta:
            new_theta = theta - lr * (m / c1) / root + eps
        else:
            new_theta = theta - lr * (m / c1) / (root + (0.0 if eps_inside else eps))
    if weight_decay and decoupled and decay_after:
        new_theta = new_theta * (1 - (lr if decay_lr else 1.0) * weight_decay)
    return new_theta, new_state
