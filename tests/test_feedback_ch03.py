"""Feedback on chapter 3's exercises for realistic mistakes that no probe lists (issue 11).

As tests/test_feedback_ch01.py and test_feedback_ch02.py do: each exercise gets ten or more wrong
answers written as learners write them, none of them a copy of a probe's mistake, and correct
answers in other styles (a loop, vectorised, np.array_split, other numpy routes, integer
inputs). Every wrong answer must be rejected with the hint named next to it (``None``: no
pattern is expected to name it), every correct variant must pass, and at least ``TARGET`` of
each exercise's mistakes must get a hint that names the mistake (the strict share, as in
tests/test_feedback_ch02.py), not only the failing check's message.

Print the table (the numbers quoted in the closing note):

    .venv/bin/python tests/test_feedback_ch03.py
"""

from __future__ import annotations

import math
import random
from typing import Callable

import numpy as np

from sgdlib.grading.checker import OTHER_RANDOMNESS_HINT
from exercise_helpers import FeedbackChecks, Mistake, feedback_table, format_named, format_table

RANDOMNESS = OTHER_RANDOMNESS_HINT[:60]


# ---------------------------------------------------------------------------------------------
# minibatch_indices(n, batch_size, rng, drop_last=False)


def mi_shuffle_returns_none(n, batch_size, rng, drop_last=False):
    order = rng.shuffle(np.arange(n))  # shuffles in place and returns None
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


def mi_split_then_pop(n, batch_size, rng, drop_last=False):
    batches = np.split(rng.permutation(n), range(batch_size, n, batch_size))
    if drop_last:
        batches = batches[:-1]  # drops a full last batch too, when B divides n
    return batches


def mi_slice_one_short(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n)
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size - 1] for start in range(0, stop, batch_size)]


def mi_sorted_batches(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n)
    stop = n - n % batch_size if drop_last else n
    return [np.sort(order[start:start + batch_size]) for start in range(0, stop, batch_size)]


def mi_one_array(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n)
    return order[:n - n % batch_size] if drop_last else order


def mi_lists(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n).tolist()
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


def mi_unseeded_generator(n, batch_size, rng, drop_last=False):
    order = np.random.default_rng().permutation(n)
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


def mi_python_random(n, batch_size, rng, drop_last=False):
    order = np.array(random.sample(range(n), n))  # Python's own random module
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


def mi_argsort_of_uniforms(n, batch_size, rng, drop_last=False):
    order = np.argsort(rng.random(n))  # a random order too, but not rng.permutation's
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


def mi_yields(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):  # a generator, as DataLoader iterates
        yield order[start:start + batch_size]


def mi_float_indices(n, batch_size, rng, drop_last=False):
    order = rng.permutation(np.arange(n, dtype=float))
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


def mi_wraps_around(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n)
    batches = []
    for start in range(0, n, batch_size):
        batch = order[start:start + batch_size]
        if len(batch) < batch_size:
            if drop_last:
                break
            batch = np.concatenate([batch, order[:batch_size - len(batch)]])  # fill up from the start
        batches.append(batch)
    return batches


def mi_round_robin(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n)
    n_batches = n // batch_size if drop_last else -(-n // batch_size)
    return [order[k::n_batches][:batch_size] for k in range(n_batches)]


def mi_rounded_count(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n)
    n_batches = n // batch_size if drop_last else round(n / batch_size)
    return [order[k * batch_size:(k + 1) * batch_size] for k in range(n_batches)]


def mi_int_plus_one(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n)
    n_batches = int(n / batch_size) if drop_last else int(n / batch_size) + 1
    return [order[k * batch_size:(k + 1) * batch_size] for k in range(n_batches)]


def mi_seed_from_rng(n, batch_size, rng, drop_last=False):
    own = np.random.default_rng(int(rng.integers(2**31)))  # "a generator of its own, seeded by rng"
    order = own.permutation(n)
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


def mi_permuted(n, batch_size, rng, drop_last=False):
    order = rng.permuted(np.arange(n))  # draws the same order as rng.permutation(n)
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


def mi_list_comprehension(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n)
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


def mi_array_split_at_multiples(n, batch_size, rng, drop_last=False):
    batches = np.array_split(rng.permutation(n), range(batch_size, n, batch_size))
    if drop_last and len(batches[-1]) < batch_size:
        batches.pop()
    return batches


def mi_while_loop(n, batch_size, rng, drop_last=False):
    order = rng.permutation(np.arange(n))  # permuting an array draws the same order
    batches, start = [], 0
    while start < n:
        if drop_last and start + batch_size > n:
            break
        batches.append(order[start:start + batch_size])
        start += batch_size
    return batches


def mi_shuffle_in_place(n, batch_size, rng, drop_last=False):
    order = np.arange(n)
    rng.shuffle(order)
    n_batches = math.floor(n / batch_size) if drop_last else math.ceil(n / batch_size)
    return [order[k * batch_size:min((k + 1) * batch_size, n)] for k in range(n_batches)]


# ---------------------------------------------------------------------------------------------
# minibatch_grad(theta, X, y, idx)


def mg_float32(theta, X, y, idx):
    X_b, y_b = X[idx].astype(np.float32), y[idx].astype(np.float32)
    return 2 / len(idx) * X_b.T @ (X_b @ theta.astype(np.float32) - y_b)


def mg_no_broadcast_axis(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx]
    return 2 * np.mean((X_b @ theta - y_b) * X_b.T, axis=0)  # (B,) * (d, B), mean over d


def mg_mean_without_axis(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx]
    return np.mean(2 * (X_b @ theta - y_b)[:, None] * X_b)


def mg_normal_equations_no_factor(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx]
    return X_b.T @ X_b @ theta - X_b.T @ y_b


def mg_squared_residual(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx]
    return 2 / len(idx) * X_b.T @ (X_b @ theta - y_b) ** 2


def mg_theta_forgotten(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx]
    return -2 / len(idx) * X_b.T @ y_b


def mg_slice_from_first_index(theta, X, y, idx):
    X_b, y_b = X[idx[0]:idx[0] + len(idx)], y[idx[0]:idx[0] + len(idx)]
    return 2 / len(X_b) * X_b.T @ (X_b @ theta - y_b)


def mg_integer_accumulator(theta, X, y, idx):
    g = np.zeros_like(theta)
    for i in idx:
        g += 2 * (X[i] @ theta - y[i]) * X[i] / len(idx)
    return g


def mg_column_vectors(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx][:, None]  # column vectors, as in the math
    return 2 / len(idx) * X_b.T @ (X_b @ theta[:, None] - y_b)


def mg_returns_loss(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx]
    return np.mean((X_b @ theta - y_b) ** 2)


def mg_floor_division(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx]
    return 2 * X_b.T @ (X_b @ theta - y_b) // len(idx)


def mg_mean_and_one_over_b(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx]
    return np.mean(2 / len(idx) * (X_b @ theta - y_b)[:, None] * X_b, axis=0)


def mg_rounded(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx]
    return np.round(2 / len(idx) * X_b.T @ (X_b @ theta - y_b), 4)


def mg_sign_of_residual(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx]
    return 2 / len(idx) * X_b.T @ np.sign(X_b @ theta - y_b)


def mg_divided_by_d(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx]
    return 2 / X.shape[1] * X_b.T @ (X_b @ theta - y_b)


def mg_b_minus_one(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx]
    return 2 / max(len(idx) - 1, 1) * X_b.T @ (X_b @ theta - y_b)


def mg_vectorised(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx]
    return 2 / len(idx) * X_b.T @ (X_b @ theta - y_b)


def mg_loop(theta, X, y, idx):
    g = np.zeros(len(theta))
    for i in idx:
        g += 2 * (X[i] @ theta - y[i]) * X[i]
    return g / len(idx)


def mg_residual_times_x(theta, X, y, idx):
    residual = np.take(X, idx, axis=0) @ theta - np.take(y, idx)
    return 2 * residual @ np.take(X, idx, axis=0) / len(idx)


def mg_mean_of_rows(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx]
    return np.mean(2 * (X_b @ theta - y_b)[:, None] * X_b, axis=0)


# ---------------------------------------------------------------------------------------------
# warmup_linear_scaling_lr(base_lr, batch_size, base_batch_size, warmup_steps, n_steps)


def wl_warmup_clipped_to_run(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    warmup_steps = min(warmup_steps, n_steps)  # "a warm-up cannot be longer than the run"
    t = np.arange(n_steps)
    return np.where(t < warmup_steps, target * (t + 1) / max(warmup_steps, 1), target)


def wl_concatenate(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    ramp = target * np.arange(1, warmup_steps + 1) / max(warmup_steps, 1)
    return np.concatenate([ramp, np.full(n_steps - warmup_steps, target)])  # too long when W > n


def wl_integer_array(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    rates = np.zeros(n_steps, dtype=int)
    for t in range(n_steps):
        rates[t] = target * (t + 1) / warmup_steps if t < warmup_steps else target
    return rates


def wl_float32(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = np.float32(base_lr * batch_size / base_batch_size)
    t = np.arange(n_steps, dtype=np.float32)
    return np.where(t < warmup_steps, target * (t + 1) / np.float32(max(warmup_steps, 1)), target)


def wl_loop_one_short(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    rates = np.zeros(n_steps)
    for t in range(n_steps - 1):
        rates[t] = target * (t + 1) / warmup_steps if t < warmup_steps else target
    return rates


def wl_min_zero_warmup(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    return np.array([target * min(1, (t + 1) / warmup_steps) for t in range(n_steps)])


def wl_decays_after(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    rates = np.zeros(n_steps)
    for t in range(n_steps):
        if t < warmup_steps:
            rates[t] = target * (t + 1) / warmup_steps
        else:  # then a linear decay to 0
            rates[t] = target * (n_steps - t) / max(n_steps - warmup_steps, 1)
    return rates


def wl_product_of_sizes(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size * base_batch_size
    t = np.arange(n_steps)
    return np.where(t < warmup_steps, target * (t + 1) / max(warmup_steps, 1), target)


def wl_exponential_warmup(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    t = np.arange(n_steps)
    return target * (1 - np.exp(-(t + 1) / max(warmup_steps, 1e-12)))


def wl_goyal_from_t_zero(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    t = np.arange(n_steps)
    return np.where(t < warmup_steps, base_lr + (target - base_lr) * t / max(warmup_steps, 1), target)


def wl_list(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    return [target * (t + 1) / warmup_steps if t < warmup_steps else target for t in range(n_steps)]


def wl_rounded(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    t = np.arange(n_steps)
    return np.round(np.where(t < warmup_steps, target * (t + 1) / max(warmup_steps, 1), target), 6)


def wl_one_rate_too_many(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    t = np.arange(n_steps + 1)
    return np.where(t < warmup_steps, target * (t + 1) / max(warmup_steps, 1), target)


def wl_column(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    t = np.arange(n_steps)[:, None]
    return np.where(t < warmup_steps, target * (t + 1) / max(warmup_steps, 1), target)


def wl_target_forgotten(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    rates = np.zeros(n_steps)
    for t in range(min(warmup_steps, n_steps)):
        rates[t] = target * (t + 1) / warmup_steps  # and after the warm-up?
    return rates


def wl_where(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    t = np.arange(n_steps)
    with np.errstate(divide="ignore", invalid="ignore"):  # warmup_steps = 0: the ramp is unused
        return np.where(t < warmup_steps, target * (t + 1) / warmup_steps, target)


def wl_loop(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    rates = []
    for t in range(n_steps):
        rates.append(target * (t + 1) / warmup_steps if t < warmup_steps else target)
    return np.array(rates, dtype=float)


def wl_minimum(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    steps = np.arange(1, n_steps + 1)  # counted from 1: step t + 1
    if warmup_steps == 0:
        return np.full(n_steps, float(target))
    return np.minimum(target * steps / warmup_steps, target)


def wl_k_times(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    k = batch_size / base_batch_size
    rates = np.full(n_steps, k * base_lr)
    ramp = min(warmup_steps, n_steps)
    rates[:ramp] *= np.arange(1, ramp + 1) / warmup_steps if ramp else 1
    return rates


# ---------------------------------------------------------------------------------------------
# gradient_noise_scale(G)


def gn_float32(G):
    G = np.asarray(G, dtype=np.float32)
    g = G.mean(axis=0)
    return np.inf if g @ g == 0 else float(G.var(axis=0).sum() / (g @ g))


def gn_wrong_axis(G):
    g = G.mean(axis=0)
    return np.inf if g @ g == 0 else G.var(axis=1).sum() / (g @ g)


def gn_cov_of_rows(G):
    g = G.mean(axis=0)
    return np.inf if g @ g == 0 else np.trace(np.cov(G, bias=True)) / (g @ g)


def gn_per_coordinate(G):
    g = G.mean(axis=0)
    return G.var(axis=0) / g**2


def gn_sum_of_ratios(G):
    g = G.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum(G.var(axis=0) / g**2))


def gn_square_of_sum(G):
    g = G.mean(axis=0)
    return np.inf if g @ g == 0 else G.var(axis=0).sum() / np.sum(g) ** 2


def gn_sum_not_mean(G):
    g = G.sum(axis=0)
    return np.inf if g @ g == 0 else G.var(axis=0).sum() / (g @ g)


def gn_python_division(G):
    g = G.mean(axis=0)
    return float(G.var(axis=0).sum()) / float(g @ g)


def gn_in_place_centring(G):
    g = G.mean(axis=0)
    G -= g  # fails on an integer G, and changes the caller's G
    return np.inf if g @ g == 0 else (G**2).mean(axis=0).sum() / (g @ g)


def gn_rounded_to_whole(G):
    g = G.mean(axis=0)
    return np.inf if g @ g == 0 else np.round(G.var(axis=0).sum() / (g @ g))


def gn_variance_of_norms(G):
    g = G.mean(axis=0)
    return np.inf if g @ g == 0 else np.var(np.linalg.norm(G, axis=1)) / (g @ g)


def gn_mean_over_wrong_axis(G):
    g = G.mean(axis=1)
    return np.inf if g @ g == 0 else G.var(axis=0).sum() / (g @ g)


def gn_rounded(G):
    g = G.mean(axis=0)
    return np.inf if g @ g == 0 else round(float(G.var(axis=0).sum() / (g @ g)), 3)


def gn_tuple(G):
    g = G.mean(axis=0)
    return G.var(axis=0).sum(), g @ g  # the two parts, not their ratio


def gn_floor_division(G):
    g = G.mean(axis=0)
    return np.inf if g @ g == 0 else G.var(axis=0).sum() // (g @ g)


def gn_integer_mean(G):
    n, d = G.shape
    g = np.zeros_like(G[0])
    for i in range(n):
        g = g + G[i]
    g = (g / n).astype(G.dtype)  # "keep G's dtype"
    return np.inf if g @ g == 0 else float(((G - g) ** 2).mean(axis=0).sum() / (g @ g))


def gn_keepdims(G):
    g = G.mean(axis=0)
    return np.inf if g @ g == 0 else np.sum(G.var(axis=0), keepdims=True) / (g @ g)


def gn_mean_without_axis(G):
    g = G.mean()  # one number, the mean of all entries
    return np.inf if g @ g == 0 else G.var(axis=0).sum() / (g @ g)


def gn_np_var(G):
    g = G.mean(axis=0)
    if g @ g == 0:
        return np.inf
    return G.var(axis=0).sum() / (g @ g)


def gn_loop(G):
    n, d = G.shape
    g = [sum(G[i, j] for i in range(n)) / n for j in range(d)]
    tr_sigma = sum((G[i, j] - g[j]) ** 2 for i in range(n) for j in range(d)) / n
    g_squared = sum(gj**2 for gj in g)
    return math.inf if g_squared == 0 else tr_sigma / g_squared


def gn_covariance_trace(G):
    g = G.mean(axis=0)
    if not np.any(g):
        return np.inf
    return np.trace(np.atleast_2d(np.cov(G, rowvar=False, bias=True))) / np.linalg.norm(g) ** 2


def gn_frobenius(G):
    g = np.mean(G, axis=0)
    g_squared = np.dot(g, g)
    return float("inf") if g_squared == 0 else np.linalg.norm(G - g) ** 2 / len(G) / g_squared


# ---------------------------------------------------------------------------------------------
# Six more wrong answers per exercise (off-by-one slices, np.split counts, a shuffle per batch,
# a mean over the wrong axis, a warm-up that ends a step late, variances over all entries, ...)


def mi_slice_one_long(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n)
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size + 1] for start in range(0, stop, batch_size)]  # "inclusive end"


def mi_split_into_count(n, batch_size, rng, drop_last=False):
    return np.split(rng.permutation(n), n // batch_size)  # a count of parts, not the cut points


def mi_shuffle_per_batch(n, batch_size, rng, drop_last=False):
    order, batches = np.arange(n), []
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        rng.shuffle(order)  # a new shuffle for each batch, and the slices are views of order
        batches.append(order[start:start + batch_size])
    return batches


def mi_drop_last_swapped(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n)
    stop = n if drop_last else n - n % batch_size
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


def mi_array_split_floor_count(n, batch_size, rng, drop_last=False):
    return np.array_split(rng.permutation(n), max(n // batch_size, 1))


def mi_one_based(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n) + 1  # examples 1..n
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


def mi_filter_full_batches(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n)
    batches = [order[i:i + batch_size] for i in range(0, n, batch_size)]
    return [b for b in batches if len(b) == batch_size] if drop_last else batches


def mg_divided_by_len_x(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx]
    return 2 / len(X) * X_b.T @ (X_b @ theta - y_b)


def mg_mean_over_axis_1(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx]
    return np.mean(2 * (X_b @ theta - y_b)[:, None] * X_b, axis=1)


def mg_full_product(theta, X, y, idx):
    return 2 / len(idx) * X.T @ (X @ theta - y)  # the 2 / B of the batch, the sum over all n


def mg_loop_over_positions(theta, X, y, idx):
    g = np.zeros(len(theta))
    for i in range(len(idx)):
        g += 2 * (X[i] @ theta - y[i]) * X[i]  # X[i], not X[idx[i]]
    return g / len(idx)


def mg_factor_on_one_term(theta, X, y, idx):
    X_b, y_b = X[idx], y[idx]
    return 2 / len(idx) * X_b.T @ X_b @ theta - X_b.T @ y_b


def mg_overwritten(theta, X, y, idx):
    g = np.zeros(len(theta))
    for i in idx:
        g = 2 * (X[i] @ theta - y[i]) * X[i] / len(idx)  # = where += belongs
    return g


def wl_one_step_late(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    return np.array([target * t / warmup_steps if t <= warmup_steps else target for t in range(n_steps)]
                    if warmup_steps else [target] * n_steps, dtype=float)


def wl_linspace(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    rates = np.full(n_steps, float(target))
    ramp = np.linspace(0, target, warmup_steps)[:n_steps]  # from 0 to the target in W points
    rates[:len(ramp)] = ramp
    return rates


def wl_floor_of_product(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size // base_batch_size
    t = np.arange(n_steps)
    return np.where(t < warmup_steps, target * (t + 1) / max(warmup_steps, 1), target)


def wl_ramp_to_base_lr(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    rates = np.full(n_steps, base_lr * batch_size / base_batch_size)
    for t in range(min(warmup_steps, n_steps)):
        rates[t] = base_lr * (t + 1) / warmup_steps  # the scaling forgotten in the ramp
    return rates


def wl_slice_assignment(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    target = base_lr * batch_size / base_batch_size
    rates = np.full(n_steps, float(target))
    rates[:warmup_steps] = target * np.arange(1, warmup_steps + 1) / warmup_steps  # W > n_steps?
    return rates


def wl_int_ratio(base_lr, batch_size, base_batch_size, warmup_steps, n_steps):
    k = int(batch_size / base_batch_size)
    t = np.arange(n_steps)
    return np.where(t < warmup_steps, k * base_lr * (t + 1) / max(warmup_steps, 1), k * base_lr)


def gn_variance_of_all_entries(G):
    g = G.mean(axis=0)
    return np.inf if g @ g == 0 else np.var(G) / (g @ g)


def gn_norm(G):
    g = G.mean(axis=0)
    return np.inf if g @ g == 0 else np.var(G, axis=0).sum() / np.linalg.norm(g)


def gn_cov_trace_ddof(G):
    g = G.mean(axis=0)
    with np.errstate(all="ignore"):
        return np.inf if g @ g == 0 else np.trace(np.atleast_2d(np.cov(G.T))) / (g @ g)


def gn_mean_over_d(G):
    g = G.sum(axis=0) / G.shape[1]  # divided by the wrong size
    return np.inf if g @ g == 0 else np.var(G, axis=0).sum() / (g @ g)


def gn_squared_deviations_summed(G):
    g = G.mean(axis=0)
    return np.inf if g @ g == 0 else ((G - g) ** 2).sum() / (g @ g)


def gn_absolute_deviations(G):
    g = G.mean(axis=0)
    return np.inf if g @ g == 0 else np.abs(G - g).mean(axis=0).sum() / (g @ g)


# ---------------------------------------------------------------------------------------------
# The catalogue: id -> mistakes (with the phrase their hint must contain) and correct variants

MISTAKES: dict[str, dict[str, Mistake]] = {
    "ch03_minibatch_indices": {
        "order = rng.shuffle(...) (None)": Mistake(mi_shuffle_returns_none, "A value you index, slice or"),
        "np.split, drop_last drops the last batch": Mistake(mi_split_then_pop, "which is a full batch"),
        "slices of batch_size - 1": Mistake(mi_slice_one_short, "`batches`: each batch is the start of"),
        "each batch sorted": Mistake(mi_sorted_batches, "`batches`: each batch holds the right"),
        "one array, not a list": Mistake(mi_one_array, "You return the shuffled order (the examples"),
        "batches as Python lists": Mistake(mi_lists, None),
        "np.random.default_rng() inside": Mistake(mi_unseeded_generator, RANDOMNESS),
        "random.sample(range(n), n)": Mistake(mi_python_random, RANDOMNESS),
        "np.argsort(rng.random(n))": Mistake(mi_argsort_of_uniforms, "`batches`: batches of the right"),
        "a generator function (yield)": Mistake(mi_yields, None),
        "float indices": Mistake(mi_float_indices, None),
        "last batch filled up from the start": Mistake(mi_wraps_around, "`batches`: your last batch"),
        "round robin, order[k::n_batches]": Mistake(mi_round_robin, "`batches`: your batches have lengths"),
        "round(n / B) batches": Mistake(mi_rounded_count, "without the last, smaller one"),
        "int(n / B) + 1 batches": Mistake(mi_int_plus_one, "one batch too many"),
        "a generator seeded from rng": Mistake(mi_seed_from_rng, "`batches`: batches of the right sizes"),
        "order[start:start + B + 1]": Mistake(mi_slice_one_long, "more than once in one epoch"),
        "np.split(order, n // B)": Mistake(mi_split_into_count, "np.split(a, k) cuts a into k *equal*"),
        "rng.shuffle(order) before each batch": Mistake(mi_shuffle_per_batch, "`batches`: batches of the"),
        "drop_last the wrong way round": Mistake(mi_drop_last_swapped, "Your drop_last works the wrong"),
        "np.array_split into n // B parts": Mistake(mi_array_split_floor_count, "`batches`: your batches"),
        "indices counted from 1": Mistake(mi_one_based, "`batches`: every index is 1 more than"),
    },
    "ch03_minibatch_grad": {
        "float32 arithmetic": Mistake(mg_float32, "float32 precision"),
        "(X_b theta - y_b) * X_b.T, mean over d": Mistake(mg_no_broadcast_axis, "You averaged over the"),
        "np.mean without axis": Mistake(mg_mean_without_axis, "You averaged over the wrong axis: np.mean"),
        "X_b^T X_b theta - X_b^T y_b": Mistake(mg_normal_equations_no_factor, "len(idx) / 2 times"),
        "squared residual": Mistake(mg_squared_residual, "Each example's weight in your gradient is"),
        "theta forgotten": Mistake(mg_theta_forgotten, "Your gradient does not depend on theta: it"),
        "X[idx[0]:idx[0] + B]": Mistake(mg_slice_from_first_index, "You took B consecutive rows from"),
        "g += ... / B into np.zeros_like(theta)": Mistake(mg_integer_accumulator, "is an integer array"),
        "column vectors": Mistake(mg_column_vectors, "the right numbers in the wrong shape"),
        "returns the batch loss": Mistake(mg_returns_loss, "You return the batch's loss, the mean of the"),
        "// len(idx)": Mistake(mg_floor_division, "whole numbers"),
        "np.mean and 2 / B": Mistake(mg_mean_and_one_over_b, "an extra division by len(idx)"),
        "rounded to 4 decimals": Mistake(mg_rounded, "rounded to 4 decimals"),
        "sign of the residual": Mistake(mg_sign_of_residual, "Each example's weight in your gradient is"),
        "2 / d": Mistake(mg_divided_by_d, "you divided by X.shape[1]"),
        "2 / (B - 1)": Mistake(mg_b_minus_one, "a factor that changes from case to case"),
        "2 / len(X)": Mistake(mg_divided_by_len_x, "You divided by n, the size of the whole data"),
        "np.mean(..., axis=1)": Mistake(mg_mean_over_axis_1, "You averaged over the wrong axis: np.mean"),
        "X.T @ (X @ theta - y) times 2 / B": Mistake(mg_full_product, "You computed with all n examples"),
        "X[i] for i in range(len(idx))": Mistake(mg_loop_over_positions, "You used the first B rows"),
        "2 / B on the first term only": Mistake(mg_factor_on_one_term, "Your 2 / B multiplies only the"),
        "g = ... where g += belongs": Mistake(mg_overwritten, "Your gradient is the last example's"),
    },
    "ch03_warmup_linear_scaling_lr": {
        "warmup_steps clipped to n_steps": Mistake(wl_warmup_clipped_to_run, "a factor that changes from"),
        "ramp + np.full(n_steps - W)": Mistake(wl_concatenate, "An array you make gets a negative length"),
        "np.zeros(n_steps, dtype=int)": Mistake(wl_integer_array, "whole numbers"),
        "float32 rates": Mistake(wl_float32, "float32 precision"),
        "range(n_steps - 1)": Mistake(wl_loop_one_short, "your loop ends too early"),
        "min(1, (t + 1) / W), W = 0 divides by 0": Mistake(wl_min_zero_warmup, "ZeroDivisionError"),
        "linear decay after the warm-up": Mistake(wl_decays_after, "After the warm-up your rates fall"),
        "base_lr * B * B_base": Mistake(wl_product_of_sizes, "base_batch_size**2 times"),
        "exponential warm-up": Mistake(wl_exponential_warmup, "Your warm-up approaches the target"),
        "from base_lr, t from 0": Mistake(wl_goyal_from_t_zero, "Your warm-up starts near base_lr and"),
        "returns a list": Mistake(wl_list, None),
        "rounded to 6 decimals": Mistake(wl_rounded, "rounded to 6 decimals"),
        "np.arange(n_steps + 1)": Mistake(wl_one_rate_too_many, "You return one rate too many or too few:"),
        "t as a column, shape (n_steps, 1)": Mistake(wl_column, "the right numbers in the wrong shape"),
        "rates after the warm-up left at 0": Mistake(wl_target_forgotten, "the rest are still zero"),
        "target * t / W, reaching it a step late": Mistake(wl_one_step_late, "Your warm-up is off by one"),
        "np.linspace(0, target, W)": Mistake(wl_linspace, "Your warm-up is off by one step. Step t = 0,"),
        "base_lr * B // B_base": Mistake(wl_floor_of_product, "a factor that changes from case to case"),
        "ramp to base_lr, then the target": Mistake(wl_ramp_to_base_lr, "Your warm-up ramps up to base_lr"),
        "rates[:W] = ramp of W values": Mistake(wl_slice_assignment, "to a slice that holds"),
        "int(B / B_base)": Mistake(wl_int_ratio, "You divided the batch sizes with `//`, which"),
    },
    "ch03_gradient_noise_scale": {
        "float32 arithmetic": Mistake(gn_float32, "float32 precision"),
        "variance over axis 1": Mistake(gn_wrong_axis, "You took a mean or variance over axis 1,"),
        "trace of np.cov(G), rows as variables": Mistake(gn_cov_of_rows, "np.trace (or np.diag) got a"),
        "one ratio per coordinate": Mistake(gn_per_coordinate, "You divided coordinate by coordinate"),
        "sum of per-coordinate ratios": Mistake(gn_sum_of_ratios, "You divided coordinate by coordinate"),
        "(sum of g)^2 for |g|^2": Mistake(gn_square_of_sum, "Your |g|^2 is (sum of g_j)^2, the square of"),
        "g = G.sum(axis=0)": Mistake(gn_sum_not_mean, "1 / G.shape[0]**2 times"),
        "returns (tr Sigma, |g|^2)": Mistake(gn_tuple, "You return the two parts, tr(Sigma) and"),
        "tr Sigma // |g|^2": Mistake(gn_floor_division, "whole numbers"),
        "g kept in G's integer dtype": Mistake(gn_integer_mean, "wrong when an input holds integers"),
        "np.sum(..., keepdims=True)": Mistake(gn_keepdims, "You return the right number inside an array"),
        "g = G.mean() without axis": Mistake(gn_mean_without_axis, "`@` was given single numbers, not"),
        "Python float division": Mistake(gn_python_division, "ZeroDivisionError: a quantity you divide by"),
        "G -= g in place": Mistake(gn_in_place_centring, "is an integer array here"),
        "rounded to a whole batch size": Mistake(gn_rounded_to_whole, "whole numbers"),
        "variance of the gradient norms": Mistake(gn_variance_of_norms, "Your numerator is the variance"),
        "g = G.mean(axis=1)": Mistake(gn_mean_over_wrong_axis, "You took a mean or variance over axis 1,"),
        "rounded to 3 decimals": Mistake(gn_rounded, "rounded to 3 decimals"),
        "np.var(G) over all entries": Mistake(gn_variance_of_all_entries, "Your tr(Sigma) is not the sum"),
        "|g| for |g|^2": Mistake(gn_norm, "You divided by |g|, the length of the mean"),
        "trace of np.cov(G.T), ddof 1": Mistake(gn_cov_trace_ddof, "You divided by n - 1 (np.var(..."),
        "g = G.sum(axis=0) / d": Mistake(gn_mean_over_d, "Your mean gradient divides the sum of the"),
        "squared deviations summed, not averaged": Mistake(gn_squared_deviations_summed, "`B_noise`"),
        "mean absolute deviations": Mistake(gn_absolute_deviations, "Your numerator sums the mean"),
    },
}

CORRECT: dict[str, dict[str, Callable]] = {
    "ch03_minibatch_indices": {
        "list comprehension of slices": mi_list_comprehension,
        "np.array_split at the multiples of B": mi_array_split_at_multiples,
        "while loop, rng.permutation(np.arange(n))": mi_while_loop,
        "rng.shuffle in place, math.ceil": mi_shuffle_in_place,
        "rng.permuted(np.arange(n))": mi_permuted,
        "drop_last: keep the full batches only": mi_filter_full_batches,
    },
    "ch03_minibatch_grad": {
        "vectorised": mg_vectorised,
        "loop over the batch": mg_loop,
        "np.take, residual @ X_b": mg_residual_times_x,
        "mean of the rows": mg_mean_of_rows,
    },
    "ch03_warmup_linear_scaling_lr": {
        "np.where": wl_where,
        "loop": wl_loop,
        "np.minimum, steps from 1": wl_minimum,
        "k times base_lr, ramp in place": wl_k_times,
    },
    "ch03_gradient_noise_scale": {
        "np.var(G, axis=0).sum()": gn_np_var,
        "loops": gn_loop,
        "trace of the covariance": gn_covariance_trace,
        "Frobenius norm of G - g": gn_frobenius,
    },
}


class TestFeedback(FeedbackChecks):
    CHAPTER = 3
    MISTAKES = MISTAKES
    CORRECT = CORRECT


if __name__ == "__main__":
    rows, named = feedback_table(MISTAKES, CORRECT)
    print(format_table(rows) + "\n" + format_named(named))
