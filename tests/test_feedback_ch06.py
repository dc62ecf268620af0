"""Feedback on chapter 6's exercises for realistic mistakes that no probe lists (issue 11).

As tests/test_feedback_ch03.py does: each exercise gets ten or more wrong answers written as
learners write them, none of them a copy of a probe's mistake, and correct answers in other
styles (a loop, vectorised, other numpy routes, integer inputs). Every wrong answer must be
rejected with the hint named next to it (``None``: no pattern is expected to name it), every
correct variant must pass, and at least ``TARGET`` of each exercise's mistakes must get a hint
that names the mistake (the strict share), not only the failing check's message.

Print the table:

    .venv/bin/python tests/test_feedback_ch06.py
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from exercise_helpers import FeedbackChecks, Mistake, feedback_table, format_named, format_table


# ---------------------------------------------------------------------------------------------
# softmax_cross_entropy(logits, y)


def _log_softmax_to_result(log_p, y):
    B = log_p.shape[0]
    d = np.exp(log_p)
    d[np.arange(B), y] -= 1
    return float(-log_p[np.arange(B), y].mean()), d / B


def sc_axis_0(logits, y):
    Z = logits - logits.max(axis=0, keepdims=True)
    return _log_softmax_to_result(Z - np.log(np.exp(Z).sum(axis=0, keepdims=True)), y)


def sc_lse_without_axis(logits, y):
    Z = logits - logits.max(axis=1, keepdims=True)
    return _log_softmax_to_result(Z - np.log(np.exp(Z).sum()), y)


def sc_true_class_only(logits, y):
    B = logits.shape[0]
    Z = logits - logits.max(axis=1, keepdims=True)
    log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    d = np.zeros(logits.shape)
    d[np.arange(B), y] = np.exp(log_p[np.arange(B), y]) - 1
    return float(-log_p[np.arange(B), y].mean()), d / B


def sc_naive_loop(logits, y):
    B = logits.shape[0]
    loss, d = 0.0, np.zeros(logits.shape)
    for i in range(B):
        e = np.exp(logits[i])  # no max subtracted
        p = e / e.sum()
        loss -= np.log(p[y[i]]) / B
        d[i] = p
        d[i, y[i]] -= 1
    return loss, d / B


def sc_global_max(logits, y):
    Z = logits - logits.max()  # one maximum for the whole batch, not per row
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    B = len(y)
    loss = -np.mean(np.log(P[np.arange(B), y]))
    D = P.copy()
    D[np.arange(B), y] -= 1
    return loss, D / B


def sc_sum_without_axis(logits, y):
    Z = logits - logits.max(axis=1, keepdims=True)
    P = np.exp(Z) / np.exp(Z).sum()  # normalised over the whole batch
    B = len(y)
    D = P.copy()
    D[np.arange(B), y] -= 1
    return -np.mean(np.log(P[np.arange(B), y])), D / B


def sc_loss_summed(logits, y):
    Z = logits - logits.max(axis=1, keepdims=True)
    log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    B = len(y)
    D = np.exp(log_p)
    D[np.arange(B), y] -= 1
    return -log_p[np.arange(B), y].sum(), D / B


def sc_grad_not_averaged(logits, y):
    Z = logits - logits.max(axis=1, keepdims=True)
    log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    B = len(y)
    D = np.exp(log_p)
    D[np.arange(B), y] -= 1
    return -log_p[np.arange(B), y].mean(), D


def sc_onehot_rows(logits, y):
    Z = logits - logits.max(axis=1, keepdims=True)
    log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    Y = np.zeros(logits.shape)
    Y[y] = 1  # whole rows, not one entry per row
    return float(-np.sum(Y * log_p) / len(y)), (np.exp(log_p) - Y) / len(y)


def sc_log_of_division(logits, y):
    Z = logits - logits.max(axis=1, keepdims=True)
    P = np.exp(Z) / np.sum(np.exp(Z), axis=1, keepdims=True)
    B = len(y)
    loss = -np.mean(np.log(P[np.arange(B), y]))  # log(0) for a far-below logit
    return loss, (P - np.eye(logits.shape[1])[y]) / B


def sc_grad_y_minus_p(logits, y):
    Z = logits - logits.max(axis=1, keepdims=True)
    log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    Y = np.eye(logits.shape[1])[y]
    return -np.mean(np.sum(Y * log_p, axis=1)), (Y - np.exp(log_p)) / len(y)


def sc_float32(logits, y):
    Z = (logits - logits.max(axis=1, keepdims=True)).astype(np.float32)
    log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    B = len(y)
    D = np.exp(log_p)
    D[np.arange(B), y] -= 1
    return float(-log_p[np.arange(B), y].mean()), D / B


def sc_mean_over_all_entries(logits, y):
    Z = logits - logits.max(axis=1, keepdims=True)
    log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    Y = np.eye(logits.shape[1])[y]
    return float(-np.mean(Y * log_p)), (np.exp(log_p) - Y) / len(y)  # mean over B * K entries


def sc_returns_probabilities(logits, y):
    Z = logits - logits.max(axis=1, keepdims=True)
    log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    return float(-np.mean(log_p[np.arange(len(y)), y])), np.exp(log_p)  # softmax, not its gradient


def sc_in_place_shift(logits, y):
    logits -= logits.max(axis=1, keepdims=True)  # changes the caller's array
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    B = len(y)
    D = np.exp(log_p)
    D[np.arange(B), y] -= 1
    return float(-log_p[np.arange(B), y].mean()), D / B


def sc_grad_over_size(logits, y):
    Z = logits - logits.max(axis=1, keepdims=True)
    log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    Y = np.eye(logits.shape[1])[y]
    return float(-np.mean(log_p[np.arange(len(y)), y])), (np.exp(log_p) - Y) / logits.size


def sc_vectorised(logits, y):
    Z = logits - logits.max(axis=1, keepdims=True)
    log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    B = len(y)
    dlogits = np.exp(log_p)
    dlogits[np.arange(B), y] -= 1
    return float(-log_p[np.arange(B), y].mean()), dlogits / B


def sc_loop(logits, y):
    B, K = logits.shape
    loss, d = 0.0, np.zeros((B, K))
    for i in range(B):
        m = max(logits[i])
        lse = m + math.log(sum(math.exp(z - m) for z in logits[i]))
        loss += (lse - logits[i, y[i]]) / B
        for k in range(K):
            d[i, k] = (math.exp(logits[i, k] - lse) - (k == y[i])) / B
    return loss, d


def sc_eye_onehot(logits, y):
    Z = logits.astype(float) - np.max(logits, axis=1, keepdims=True)
    lse = np.log(np.sum(np.exp(Z), axis=1))
    Y = np.eye(logits.shape[1])[y]
    loss = np.mean(lse - np.sum(Y * Z, axis=1))
    return float(loss), (np.exp(Z - lse[:, None]) - Y) / len(y)


# ---------------------------------------------------------------------------------------------
# dense_relu_backward(x, W, b, dout)


def dr_mask_from_x(x, W, b, dout):
    dz = dout * (x @ W > 0)  # z without b
    return dz @ W.T, x.T @ dz, dz.sum(axis=0)


def dr_no_relu(x, W, b, dout):
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


def dr_dw_transposed(x, W, b, dout):
    dz = dout * (x @ W + b > 0)
    return dz @ W.T, dz.T @ x, dz.sum(axis=0)


def dr_db_mean(x, W, b, dout):
    dz = dout * (x @ W + b > 0)
    return dz @ W.T, x.T @ dz, dz.mean(axis=0)


def dr_db_axis_1(x, W, b, dout):
    dz = dout * (x @ W + b > 0)
    return dz @ W.T, x.T @ dz, np.sum(dz, axis=1)


def dr_mask_ge(x, W, b, dout):
    z = x @ W + b
    dz = dout * (z >= 0)
    return dz @ W.T, x.T @ dz, dz.sum(axis=0)


def dr_relu_of_dout(x, W, b, dout):
    dz = np.maximum(dout, 0)  # relu applied to the gradient
    return dz @ W.T, x.T @ dz, dz.sum(axis=0)


def dr_mask_after_product(x, W, b, dout):
    z = x @ W + b
    dx = dout @ W.T
    return dx, x.T @ (dout * (z > 0)), (dout * (z > 0)).sum(axis=0)  # dx without the mask


def dr_db_not_summed(x, W, b, dout):
    dz = dout * (x @ W + b > 0)
    return dz @ W.T, x.T @ dz, dz


def dr_mask_int(x, W, b, dout):
    z = x @ W + b
    dz = dout * np.heaviside(z, 1)  # heaviside(0) = 1
    return dz @ W.T, x.T @ dz, dz.sum(axis=0)


def dr_everything_over_b(x, W, b, dout):
    B = x.shape[0]
    dz = dout * (x @ W + b > 0)
    return dz @ W.T / B, x.T @ dz / B, dz.sum(axis=0) / B


def dr_in_place(x, W, b, dout):
    dout *= (x @ W + b > 0)  # changes the caller's dout
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


def dr_sigmoid_derivative(x, W, b, dout):
    a = np.maximum(x @ W + b, 0)
    dz = dout * a * (1 - a)  # the sigmoid's a(1 - a)
    return dz @ W.T, x.T @ dz, dz.sum(axis=0)


def dr_relu_value_as_mask(x, W, b, dout):
    a = np.maximum(x @ W + b, 0)
    dz = dout * a  # relu(z) itself, not its derivative
    return dz @ W.T, x.T @ dz, dz.sum(axis=0)


def dr_vectorised(x, W, b, dout):
    z = x @ W + b
    dz = dout * (z > 0)
    return dz @ W.T, x.T @ dz, dz.sum(axis=0)


def dr_dx_masked_by_x(x, W, b, dout):
    dx, dW, db = dr_vectorised(x, W, b, dout)
    return dx * (x > 0), dW, db


def dr_order(x, W, b, dout):
    dx, dW, db = dr_vectorised(x, W, b, dout)
    return dW, dx, db


def dr_mask_from_a(x, W, b, dout):
    a = np.maximum(0, x @ W + b)
    dz = np.where(a > 0, dout, 0.0)  # a > 0 exactly where z > 0
    return np.dot(dz, W.T), np.dot(x.T, dz), np.sum(dz, axis=0)


def dr_loops(x, W, b, dout):
    B, d_in = x.shape
    d_out = W.shape[1]
    dx, dW, db = np.zeros((B, d_in)), np.zeros((d_in, d_out)), np.zeros(d_out)
    for i in range(B):
        z = x[i] @ W + b
        dz = dout[i] * (z > 0)
        dx[i] = W @ dz
        dW += np.outer(x[i], dz)
        db += dz
    return dx, dW, db


def dr_einsum(x, W, b, dout):
    dz = dout * np.greater(np.einsum("bi,io->bo", x, W) + b, 0)
    return np.einsum("bo,io->bi", dz, W), np.einsum("bi,bo->io", x, dz), dz.sum(0).astype(float)


# ---------------------------------------------------------------------------------------------
# warmup_cosine_lr(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0)


def wc_plus_one(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return lr * (start_factor + (1 - start_factor) * (t + 1) / warmup_steps)
    return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * (t - warmup_steps) / T_max)) / 2


def wc_cos_from_t(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return lr * (start_factor + (1 - start_factor) * t / warmup_steps)
    return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2


def wc_from_zero(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return lr * t / warmup_steps
    return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * (t - warmup_steps) / T_max)) / 2


def wc_no_half(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return lr * (start_factor + (1 - start_factor) * t / warmup_steps)
    return eta_min + (lr - eta_min) * math.cos(math.pi * (t - warmup_steps) / T_max)


def wc_total_length(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return lr * (start_factor + (1 - start_factor) * t / warmup_steps)
    return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * (t - warmup_steps) / (T_max - warmup_steps))) / 2


def wc_t_max_minus_1(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return lr * (start_factor + (1 - start_factor) * t / warmup_steps)
    return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * (t - warmup_steps) / max(T_max - 1, 1))) / 2


def wc_degrees(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return lr * (start_factor + (1 - start_factor) * t / warmup_steps)
    return eta_min + (lr - eta_min) * (1 + math.cos(180 * (t - warmup_steps) / T_max)) / 2  # degrees


def wc_clamped(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return lr * (start_factor + (1 - start_factor) * t / warmup_steps)
    progress = min((t - warmup_steps) / T_max, 1.0)  # "the schedule ends at eta_min"
    return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * progress)) / 2


def wc_linear_decay(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return lr * (start_factor + (1 - start_factor) * t / warmup_steps)
    return eta_min + (lr - eta_min) * (1 - (t - warmup_steps) / T_max)


def wc_start_plus_ramp(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return start_factor * lr + lr * t / warmup_steps  # overshoots lr at the end
    return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * (t - warmup_steps) / T_max)) / 2


def wc_linspace(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return float(np.linspace(start_factor * lr, lr, warmup_steps)[t])  # lr at W - 1
    return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * (t - warmup_steps) / T_max)) / 2


def wc_eta_min_forgotten(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return lr * (start_factor + (1 - start_factor) * t / warmup_steps)
    return lr * (1 + math.cos(math.pi * (t - warmup_steps) / T_max)) / 2


def wc_integer_division(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return lr * (start_factor + (1 - start_factor) * (t // warmup_steps))
    return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * (t - warmup_steps) / T_max)) / 2


def wc_returns_array(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    steps = np.arange(t + 1)
    warm = lr * (start_factor + (1 - start_factor) * steps / max(warmup_steps, 1))
    cos = eta_min + (lr - eta_min) * (1 + np.cos(np.pi * (steps - warmup_steps) / T_max)) / 2
    return np.where(steps < warmup_steps, warm, cos)  # the whole schedule up to t


def wc_branches(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    if t < warmup_steps:
        return lr * (start_factor + (1 - start_factor) * t / warmup_steps)
    return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * (t - warmup_steps) / T_max)) / 2


def wc_numpy(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    factor = np.interp(t, [0, max(warmup_steps, 1)], [start_factor, 1.0])
    cosine = eta_min + 0.5 * (lr - eta_min) * (1 + np.cos(np.pi * (t - warmup_steps) / T_max))
    return float(lr * factor if t < warmup_steps else cosine)


def wc_sgdlib(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    from sgdlib.schedules import WarmupCosine

    return WarmupCosine(lr, warmup_steps, T_max, start_factor, eta_min)(t)  # the answer key: switched off


def wc_clamped_ramp(t, lr, warmup_steps, T_max, start_factor=0.01, eta_min=0.0):
    ramp = lr * (start_factor + (1 - start_factor) * min(t, warmup_steps) / max(warmup_steps, 1))
    angle = np.pi * max(t - warmup_steps, 0) / T_max
    return float(ramp if t < warmup_steps else eta_min + (lr - eta_min) * 0.5 * (1 + np.cos(angle)))


# ---------------------------------------------------------------------------------------------
# clip_grad_norm(grads, max_norm)


def cg_per_array(grads, max_norm):
    clipped = []
    for g in grads:
        norm = np.linalg.norm(g)
        clipped.append(g * max_norm / (norm + 1e-6) if norm > max_norm else g.copy())
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    return clipped, float(total)


def cg_inputs_returned(grads, max_norm):
    total = math.sqrt(sum(float(np.sum(np.square(g))) for g in grads))
    if total <= max_norm:
        return grads, total  # the caller's arrays themselves
    return [np.asarray(g, dtype=float) * (max_norm / (total + 1e-6)) for g in grads], total


def cg_eps_outside(grads, max_norm):
    total = math.sqrt(sum(float(np.sum(np.square(g))) for g in grads))
    scale = min(1.0, max_norm / total + 1e-6)  # ZeroDivisionError on all-zero gradients
    return [np.asarray(g, dtype=float) * scale for g in grads], total


def cg_l1(grads, max_norm):
    total = float(sum(np.abs(g).sum() for g in grads))
    scale = min(1.0, max_norm / (total + 1e-6))
    return [np.asarray(g, dtype=float) * scale for g in grads], total


def cg_spectral(grads, max_norm):
    total = math.sqrt(sum(np.linalg.norm(g, 2) ** 2 if np.ndim(g) == 2 else np.linalg.norm(g) ** 2 for g in grads))
    scale = min(1.0, max_norm / (total + 1e-6))
    return [np.asarray(g, dtype=float) * scale for g in grads], total


def cg_sum_of_norms(grads, max_norm):
    total = sum(np.linalg.norm(g) for g in grads)
    scale = min(1.0, max_norm / (total + 1e-6))
    return [g * scale for g in grads], float(total)


def cg_in_place(grads, max_norm):
    total = np.sqrt(sum(np.sum(g.astype(float) ** 2) for g in grads))
    if total > max_norm:
        for g in grads:
            g *= max_norm / (total + 1e-6)  # changes the caller's arrays
    return grads, float(total)


def cg_not_clamped(grads, max_norm):
    total = np.sqrt(sum((g ** 2).sum() for g in grads))
    return [g * max_norm / (total + 1e-6) for g in grads], float(total)


def cg_norm_after(grads, max_norm):
    total = np.sqrt(sum((g ** 2).sum() for g in grads))
    scale = min(1.0, max_norm / (total + 1e-6))
    clipped = [g * scale for g in grads]
    return clipped, float(np.sqrt(sum((g ** 2).sum() for g in clipped)))


def cg_concatenate_norm_no_eps(grads, max_norm):
    flat = np.concatenate([g.ravel() for g in grads])
    total = np.linalg.norm(flat)
    if total > max_norm:
        return [g * (max_norm / total) for g in grads], float(total)
    return [g * 1.0 for g in grads], float(total)


def cg_squared_total(grads, max_norm):
    total = sum(np.sum(g * g) for g in grads)  # the square root forgotten
    scale = min(1.0, max_norm / (total + 1e-6))
    return [g * scale for g in grads], float(total)


def cg_np_clip(grads, max_norm):
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    return [np.clip(g, -max_norm, max_norm).astype(float) for g in grads], float(total)


def cg_norm_of_norms_max(grads, max_norm):
    total = max(np.linalg.norm(g) for g in grads)
    scale = max_norm / (total + 1e-6) if total > max_norm else 1.0
    return [g * scale for g in grads], float(total)


def cg_returns_array(grads, max_norm):
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    scale = min(1.0, max_norm / (total + 1e-6))
    return np.concatenate([g.ravel() * scale for g in grads]), float(total)


def cg_sqrt_sum_of_norms(grads, max_norm):
    total = np.sqrt(sum(np.linalg.norm(g) for g in grads))  # sqrt of the sum of norms
    scale = min(1.0, max_norm / (total + 1e-6))
    return [g * scale for g in grads], float(total)


def cg_divides_by_ratio(grads, max_norm):
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    if total > max_norm:
        return [g / (total / max_norm) for g in grads], float(total)  # no 1e-6
    return [np.array(g, dtype=float) for g in grads], float(total)


def cg_mean_square(grads, max_norm):
    total = np.sqrt(np.mean(np.concatenate([g.ravel() for g in grads]) ** 2))  # RMS, not the norm
    scale = min(1.0, max_norm / (total + 1e-6))
    return [g * scale for g in grads], float(total)


def cg_list_comprehension(grads, max_norm):
    total_norm = math.sqrt(sum(float(np.sum(np.square(g))) for g in grads))
    scale = min(1.0, max_norm / (total_norm + 1e-6))
    return [g * scale for g in grads], total_norm


def cg_concatenate(grads, max_norm):
    total = float(np.linalg.norm(np.concatenate([np.ravel(g) for g in grads])))
    coef = max_norm / (total + 1e-6)
    return ([np.asarray(g, dtype=float) * coef for g in grads] if coef < 1
            else [np.array(g, dtype=float) for g in grads]), total


def cg_loop_copy(grads, max_norm):
    squares = 0.0
    for g in grads:
        squares += float((g.astype(float) ** 2).sum())
    total = squares ** 0.5
    clipped = [g.astype(float).copy() for g in grads]
    if total > max_norm:
        for c in clipped:
            c *= max_norm / (total + 1e-6)
    return clipped, total


# ---------------------------------------------------------------------------------------------
# lr_range_pick(lrs, losses, smoothing=0.98)


def _smooth(losses, s, power=1, swap=False):
    out, avg = [], 0.0
    for k, loss in enumerate(losses):
        avg = (1 - s) * avg + s * loss if swap else s * avg + (1 - s) * loss
        out.append(avg / (1 - s ** (k + power)) if power is not None else avg)
    return np.array(out)


def rp_no_correction(lrs, losses, smoothing=0.98):
    avg, smoothed = 0.0, []
    for loss in losses:
        avg = smoothing * avg + (1 - smoothing) * loss
        smoothed.append(avg)
    return lrs[np.nanargmin(smoothed)] / 10


def rp_minimum_itself(lrs, losses, smoothing=0.98):
    return float(lrs[np.nanargmin(_smooth(losses, smoothing))])


def rp_raw(lrs, losses, smoothing=0.98):
    return float(lrs[np.nanargmin(np.where(np.isfinite(losses), losses, np.nan))] / 10)


def rp_swapped(lrs, losses, smoothing=0.98):
    return float(lrs[np.nanargmin(_smooth(losses, smoothing, swap=True))] / 10)


def rp_argmin_nan(lrs, losses, smoothing=0.98):
    return float(lrs[np.argmin(_smooth(losses, smoothing))] / 10)


def rp_loop_variable(lrs, losses, smoothing=0.98):
    avg, best = 0.0, np.inf
    for k in range(len(losses)):
        avg = smoothing * avg + (1 - smoothing) * losses[k]
        smoothed = avg / (1 - smoothing ** (k + 1))
        if smoothed < best:
            best = smoothed
    return float(lrs[k] / 10)  # k is the last index here


def rp_power_k(lrs, losses, smoothing=0.98):
    avg, smoothed = 0.0, []
    for k, loss in enumerate(losses):
        avg = smoothing * avg + (1 - smoothing) * loss
        smoothed.append(avg / (1 - smoothing ** k))  # k = 0: 1 - s**0 = 0
    return float(lrs[np.nanargmin(smoothed)] / 10)


def rp_times_ten(lrs, losses, smoothing=0.98):
    return float(lrs[np.nanargmin(_smooth(losses, smoothing))] * 10)


def rp_argmax(lrs, losses, smoothing=0.98):
    smoothed = _smooth(losses, smoothing)
    return float(lrs[np.nanargmax(np.where(np.isfinite(smoothed), smoothed, np.nan))] / 10)


def rp_smallest_gradient(lrs, losses, smoothing=0.98):
    smoothed = _smooth(losses, smoothing)
    slope = np.gradient(np.where(np.isfinite(smoothed), smoothed, 1e300))
    return float(lrs[np.argmin(slope)])  # the steepest descent (fastai's other suggestion)


def rp_step_before(lrs, losses, smoothing=0.98):
    k = int(np.nanargmin(_smooth(losses, smoothing)))
    return float(lrs[max(k - 1, 0)])


def rp_power_at_least_1(lrs, losses, smoothing=0.98):
    avg, best, best_k = 0.0, math.inf, 0
    for k, loss in enumerate(losses):
        if not math.isfinite(loss):
            break
        avg = smoothing * avg + (1 - smoothing) * loss
        if avg / (1 - smoothing ** max(k, 1)) < best:
            best, best_k = avg / (1 - smoothing ** max(k, 1)), k
    return float(lrs[best_k] / 10)


def rp_inf_then_smoothed(lrs, losses, smoothing=0.98):
    f = np.where(np.isfinite(losses), losses, np.inf)
    avg, values = 0.0, []
    for k, loss in enumerate(f):
        avg = smoothing * avg + (1 - smoothing) * loss  # 0 * inf is nan at s = 0
        values.append(avg / (1 - smoothing ** (k + 1)))
    return float(lrs[int(np.argmin(values))] / 10)


def rp_skip_and_continue(lrs, losses, smoothing=0.98):
    avg, best, best_k = 0.0, math.inf, 0
    for k, loss in enumerate(losses):
        if not math.isfinite(loss):
            continue
        avg = smoothing * avg + (1 - smoothing) * loss
        if avg / (1 - smoothing ** (k + 1)) < best:
            best, best_k = avg / (1 - smoothing ** (k + 1)), k
    return float(lrs[best_k] / 10)


def rp_first_loss_start(lrs, losses, smoothing=0.98):
    avg, best, best_k = None, math.inf, 0
    for k, loss in enumerate(losses):
        if not math.isfinite(loss):
            break
        avg = loss if avg is None else smoothing * avg + (1 - smoothing) * loss
        if avg < best:
            best, best_k = avg, k
    return float(lrs[best_k] / 10)


def rp_mean_of_lrs(lrs, losses, smoothing=0.98):
    k = int(np.nanargmin(_smooth(losses, smoothing)))
    return float(np.mean(lrs[:k + 1]) / 10)


def rp_loop(lrs, losses, smoothing=0.98):
    avg, best, best_k = 0.0, math.inf, 0
    for k, loss in enumerate(losses):
        if not math.isfinite(loss):
            break
        avg = smoothing * avg + (1 - smoothing) * loss
        smoothed = avg / (1 - smoothing ** (k + 1))
        if smoothed < best:
            best, best_k = smoothed, k
    return lrs[best_k] / 10


def rp_nanargmin(lrs, losses, smoothing=0.98):
    losses = np.where(np.isfinite(losses), losses, np.inf)
    smoothed = np.empty(len(losses))
    avg = 0.0
    for k in range(len(losses)):
        avg = smoothing * avg + (1 - smoothing) * losses[k]
        smoothed[k] = avg / (1 - smoothing ** (k + 1))
    smoothed[np.isnan(smoothed)] = np.inf  # 0 * inf when smoothing = 0
    return float(lrs[np.argmin(smoothed)] / 10)


def rp_sgdlib(lrs, losses, smoothing=0.98):
    from sgdlib.lr_finder import pick_lr

    return pick_lr(lrs, losses, smoothing)  # the answer key: switched off


def rp_masked(lrs, losses, smoothing=0.98):
    losses = np.asarray(losses, dtype=float)
    finite = np.cumprod(np.isfinite(losses)).astype(bool)  # False from the first inf or NaN on
    smoothed = np.full(len(losses), np.inf)
    avg = 0.0
    for k in np.flatnonzero(finite):
        avg = smoothing * avg + (1 - smoothing) * losses[k]
        smoothed[k] = avg / (1 - smoothing ** (k + 1))
    return float(lrs[int(np.argmin(smoothed))] / 10)


# ---------------------------------------------------------------------------------------------
# The catalogue: id -> mistakes (with the phrase their hint must contain) and correct variants

MISTAKES: dict[str, dict[str, Mistake]] = {
    "ch06_softmax_cross_entropy": {
        "no max subtracted, loop": Mistake(sc_naive_loop, 'Your softmax is not computed sta'),
        "one maximum for the whole batch": Mistake(sc_global_max, 'You subtracted one maximum for t'),
        "np.exp(Z).sum() without axis": Mistake(sc_sum_without_axis, 'Your softmax divides by the sum'),
        "loss summed over the batch": Mistake(sc_loss_summed, 'Your loss is B times too large:'),
        "gradient not divided by B": Mistake(sc_grad_not_averaged, 'Your gradient is B times too lar'),
        "Y[y] = 1": Mistake(sc_onehot_rows, 'Your one-hot matrix has its 1s i'),
        "log of the division": Mistake(sc_log_of_division, 'Your loss is inf when the true c'),
        "gradient Y - P": Mistake(sc_grad_y_minus_p, 'Your gradient has the wrong sign'),
        "float32": Mistake(sc_float32, '`loss` and `dlogits`: float32 pr'),
        "mean over B * K entries": Mistake(sc_mean_over_all_entries, '`loss`: 1 / logits.shape[1] time'),
        "returns P as the gradient": Mistake(sc_returns_probabilities, 'Your gradient is the softmax P ('),
        "logits shifted in place": Mistake(sc_in_place_shift, None),
        "gradient over logits.size": Mistake(sc_grad_over_size, 'Your gradient is divided by B *'),
        "softmax over axis 0": Mistake(sc_axis_0, 'Your softmax runs down the colum'),
        "gradient at the true class only": Mistake(sc_true_class_only, 'Your gradient is P - 1 at each e'),
        "log-sum-exp over the whole batch": Mistake(sc_lse_without_axis, 'Your softmax divides by the sum'),
    },
    "ch06_dense_relu_backward": {
        "mask from x @ W": Mistake(dr_mask_from_x, 'Your ReLU gradient is taken at t'),
        "no ReLU": Mistake(dr_no_relu, 'Your gradients ignore the ReLU:'),
        "dW = dz.T @ x": Mistake(dr_dw_transposed, 'Your weight gradient is transpos'),
        "db = dz.mean(axis=0)": Mistake(dr_db_mean, 'Your bias gradient is the mean o'),
        "db = np.sum(dz, axis=1)": Mistake(dr_db_axis_1, 'Your bias gradient is not summed'),
        "z >= 0": Mistake(dr_mask_ge, 'Your ReLU gradient is not 0 at z'),
        "relu of dout": Mistake(dr_relu_of_dout, 'Your ReLU gradient is taken at t'),
        "dx without the mask": Mistake(dr_mask_after_product, 'Your dx skips the ReLU: dx = dou'),
        "db = dz": Mistake(dr_db_not_summed, 'Your bias gradient is not summed'),
        "np.heaviside(z, 1)": Mistake(dr_mask_int, 'Your ReLU gradient is not 0 at z'),
        "everything divided by B": Mistake(dr_everything_over_b, 'You divided by the batch size B:'),
        "dout *= mask in place": Mistake(dr_in_place, None),
        "sigmoid's derivative": Mistake(dr_sigmoid_derivative, 'You multiplied dout by something'),
        "relu(z) as the mask": Mistake(dr_relu_value_as_mask, 'You multiplied dout by something'),
        "(dW, dx, db)": Mistake(dr_order, 'You return the three gradients i'),
        "dx masked by x > 0": Mistake(dr_dx_masked_by_x, 'Your dx is also masked where x <'),
    },
    "ch06_warmup_cosine_lr": {
        "(t + 1) / W": Mistake(wc_plus_one, 'Your schedule is off by one step'),
        "cos(pi t / T)": Mistake(wc_cos_from_t, 'Your cosine runs on the step t i'),
        "warm-up from 0": Mistake(wc_from_zero, 'Your warm-up starts at 0 (lr * t'),
        "cos without (1 + cos) / 2": Mistake(wc_no_half, "Your decay's factor is not (1 + c"),
        "T_max - W": Mistake(wc_total_length, 'Your cosine lasts T_max - W step'),
        "180 for pi": Mistake(wc_degrees, "Your cosine's angle is in degrees"),
        "clamped at the end": Mistake(wc_clamped, 'After t = W + T_max your rate st'),
        "linear decay": Mistake(wc_linear_decay, 'After the warm-up your rate fall'),
        "f * lr + lr * t / W": Mistake(wc_start_plus_ramp, 'Your warm-up starts or climbs wr'),
        "np.linspace(f * lr, lr, W)[t]": Mistake(wc_linspace, 'Your schedule is off by one step'),
        "eta_min forgotten": Mistake(wc_eta_min_forgotten, 'Your cosine does not end at eta_'),
        "t // W": Mistake(wc_integer_division, 'You use floor division `//`'),
        "returns the schedule up to t": Mistake(wc_returns_array, None),
        "cos over T_max - 1": Mistake(wc_t_max_minus_1, 'Your cosine lasts T_max - 1 step'),
        "sgdlib's WarmupCosine (the answer key)": Mistake(wc_sgdlib, None),
    },
    "ch06_clip_grad_norm": {
        "each array by its own norm": Mistake(cg_per_array, 'You clipped each array by its ow'),
        "sum of norms": Mistake(cg_sum_of_norms, 'Your total norm is the sum of th'),
        "g *= scale in place": Mistake(cg_in_place, '`*=` updates an integer array (o'),
        "always rescaled": Mistake(cg_not_clamped, 'You rescale even when the norm i'),
        "norm after clipping": Mistake(cg_norm_after, 'The total_norm you return is the'),
        "no 1e-6, concatenate": Mistake(cg_concatenate_norm_no_eps, 'Your clipped gradients are off b'),
        "squared total": Mistake(cg_squared_total, 'Your total norm is the sum of sq'),
        "np.clip": Mistake(cg_np_clip, 'You clipped each entry to [-max_'),
        "max of norms": Mistake(cg_norm_of_norms_max, 'Your total norm is the largest o'),
        "one flat array": Mistake(cg_returns_array, None),
        "sqrt of the sum of norms": Mistake(cg_sqrt_sum_of_norms, 'Your total norm is not the Eucli'),
        "g / (total / max_norm)": Mistake(cg_divides_by_ratio, 'Your clipped gradients are off b'),
        "root mean square": Mistake(cg_mean_square, 'Your total norm is not the Eucli'),
        "the inputs returned when not clipped": Mistake(cg_inputs_returned, None),
        "max_norm / total + 1e-6": Mistake(cg_eps_outside, 'Your 1e-6 is added to the factor'),
        "L1 norm": Mistake(cg_l1, 'Your norm is not the Euclidean o'),
        "np.linalg.norm(g, 2) of a matrix": Mistake(cg_spectral, 'Your norm is not the Euclidean o'),
    },
    "ch06_lr_range_pick": {
        "no bias correction": Mistake(rp_no_correction, 'Your smoothed curve is not bias-'),
        "the minimum itself": Mistake(rp_minimum_itself, 'You return the rate at the minim'),
        "raw losses": Mistake(rp_raw, 'You took the minimum of the raw'),
        "s and 1 - s swapped": Mistake(rp_swapped, 'Your average weighs the new loss'),
        "np.argmin with NaN": Mistake(rp_argmin_nan, 'Your pick is the rate where the'),
        "lrs[k] after the loop": Mistake(rp_loop_variable, 'Your pick is a tenth of the LAST'),
        "1 - s**k": Mistake(rp_power_k, 'Your bias correction uses the wr'),
        "times 10": Mistake(rp_times_ten, '`lr`: 100.0 times the expected v'),
        "argmax": Mistake(rp_argmax, None),
        "steepest slope": Mistake(rp_smallest_gradient, None),
        "one step before": Mistake(rp_step_before, 'You return a rate one step befor'),
        "mean of the rates": Mistake(rp_mean_of_lrs, None),
        "1 - s**max(k, 1)": Mistake(rp_power_at_least_1, 'Your bias correction uses the wr'),
        "inf, then smoothed on": Mistake(rp_inf_then_smoothed, 'Your pick comes from the first i'),
        "non-finite skipped, loop goes on": Mistake(rp_skip_and_continue, 'Your pick comes from the first i'),
        "a_0 = f_0 (pandas adjust=False)": Mistake(rp_first_loss_start, 'Your average starts at the first'),
        "sgdlib's pick_lr (the answer key)": Mistake(rp_sgdlib, None),
    },
}

CORRECT: dict[str, dict[str, Callable]] = {
    "ch06_softmax_cross_entropy": {
        "vectorised": sc_vectorised,
        "loops with math": sc_loop,
        "np.eye one-hot, lse": sc_eye_onehot,
    },
    "ch06_dense_relu_backward": {
        "vectorised": dr_vectorised,
        "mask from a": dr_mask_from_a,
        "loop over examples": dr_loops,
        "einsum": dr_einsum,
    },
    "ch06_warmup_cosine_lr": {
        "two branches": wc_branches,
        "np.interp": wc_numpy,
        "min(t, W), one expression": wc_clamped_ramp,
    },
    "ch06_clip_grad_norm": {
        "list comprehension": cg_list_comprehension,
        "np.concatenate": cg_concatenate,
        "loop, copies scaled in place": cg_loop_copy,
    },
    "ch06_lr_range_pick": {
        "loop, stop at divergence": rp_loop,
        "inf for non-finite, argmin": rp_nanargmin,
        "a mask up to the first inf or NaN": rp_masked,
    },
}


class TestFeedback(FeedbackChecks):
    CHAPTER = 6
    MISTAKES = MISTAKES
    CORRECT = CORRECT


if __name__ == "__main__":
    rows, named = feedback_table(MISTAKES, CORRECT)
    print(format_table(rows) + "\n" + format_named(named))
