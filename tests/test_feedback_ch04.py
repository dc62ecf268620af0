"""Feedback on chapter 4's exercises for realistic mistakes, as learners write them.

As tests/test_feedback_ch03.py does: each exercise gets ten or more wrong answers written as
learners write them, and correct answers in other styles (np.zeros_like buffers, the expanded
Nesterov step, np.linalg.cond, singular values, np.roots, the closed-form rate). Every wrong
answer must be rejected with the hint named next to it (``None``: no pattern is expected to name
it; the failing check's own message says what is wrong), every correct variant must pass, and at
least ``TARGET`` of each exercise's mistakes must get a hint that names the mistake (the strict
share).

Print the table (the numbers quoted in the closing note):

    .venv/bin/python tests/test_feedback_ch04.py
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from exercise_helpers import FeedbackChecks, Mistake, feedback_table, format_named, format_table


# ---------------------------------------------------------------------------------------------
# heavy_ball_step(theta, buf, grad, lr, momentum)


def hb_torch_lines_without_clone(theta, buf, grad, lr, momentum):
    if buf is None:
        buf = grad
    else:
        buf *= momentum
        buf += grad
    return theta - lr * buf, buf


def hb_theta_in_place(theta, buf, grad, lr, momentum):
    buf = np.array(grad, dtype=float) if buf is None else momentum * buf + grad
    theta -= lr * buf
    return theta, buf


def hb_velocity(theta, buf, grad, lr, momentum):
    if buf is None:
        v = -lr * grad
    else:
        v = momentum * buf - lr * grad
    return theta + v, v


def hb_running_average(theta, buf, grad, lr, momentum):
    if buf is None:
        buf = np.zeros_like(grad, dtype=float)
    buf = momentum * buf + (1 - momentum) * grad
    return theta - lr * buf, buf


def hb_if_falls_through(theta, buf, grad, lr, momentum):
    if buf is None:
        buf = grad.copy()
    buf = momentum * buf + grad
    return theta - lr * buf, buf


def hb_float32(theta, buf, grad, lr, momentum):
    buf = np.array(grad, dtype=np.float32) if buf is None else (momentum * buf + grad).astype(np.float32)
    return (theta - lr * buf).astype(np.float32), buf


def hb_returns_theta_only(theta, buf, grad, lr, momentum):
    buf = np.array(grad, dtype=float) if buf is None else momentum * buf + grad
    return theta - lr * buf


def hb_step_before_update(theta, buf, grad, lr, momentum):
    if buf is None:
        return theta - lr * grad, grad.copy()
    new_theta = theta - lr * buf  # steps with the buffer it has
    return new_theta, momentum * buf + grad


def hb_lr_in_buffer(theta, buf, grad, lr, momentum):
    buf = lr * grad if buf is None else momentum * buf + lr * grad
    return theta - buf, buf


def hb_plus(theta, buf, grad, lr, momentum):
    buf = np.array(grad, dtype=float) if buf is None else momentum * buf + grad
    return theta + lr * buf, buf


def hb_buffer_first(theta, buf, grad, lr, momentum):
    buf = np.array(grad, dtype=float) if buf is None else momentum * buf + grad
    theta = theta - lr * buf
    return buf, theta


def hb_momentum_outside_lr(theta, buf, grad, lr, momentum):
    if buf is None:
        buf = np.zeros_like(grad, dtype=float)
    new_theta = theta - lr * grad - momentum * buf
    return new_theta, momentum * buf + grad


def hb_rounded(theta, buf, grad, lr, momentum):
    buf = np.array(grad, dtype=float) if buf is None else momentum * buf + grad
    return np.round(theta - lr * buf, 4), np.round(buf, 4)


def hb_returns_gradient_as_buffer(theta, buf, grad, lr, momentum):
    step = grad if buf is None else momentum * buf + grad
    return theta - lr * step, grad.astype(float)


def hb_zeros_in_place(theta, buf, grad, lr, momentum):
    if buf is None:
        buf = np.zeros(grad.shape)
    buf *= momentum
    buf += grad
    return theta - lr * buf, buf


# correct


def hb_solution_style(theta, buf, grad, lr, momentum):
    new_buf = np.array(grad, dtype=float) if buf is None else momentum * buf + grad
    return theta - lr * new_buf, new_buf


def hb_zeros_like(theta, buf, grad, lr, momentum):
    b = np.zeros_like(grad, dtype=float) if buf is None else buf
    b = momentum * b + grad  # beta * 0 + g = g on the first step
    return theta - lr * b, b


def hb_expanded(theta, buf, grad, lr, momentum):
    if buf is None:
        return theta - lr * grad, grad.copy()
    return theta - lr * grad - lr * momentum * buf, momentum * buf + grad


def hb_copy_then_in_place(theta, buf, grad, lr, momentum):
    if buf is None:
        new_buf = grad.astype(float)  # astype copies
    else:
        new_buf = buf.astype(float)
        new_buf *= momentum
        new_buf += grad
    return theta - lr * new_buf, new_buf


# ---------------------------------------------------------------------------------------------
# nesterov_step(theta, buf, grad, lr, momentum)


def ns_heavy_ball(theta, buf, grad, lr, momentum):
    buf = grad.copy() if buf is None else momentum * buf + grad
    return theta - lr * buf, buf


def ns_old_buffer(theta, buf, grad, lr, momentum):
    old = grad if buf is None else buf
    new_theta = theta - lr * (grad + momentum * old)
    return new_theta, momentum * old + grad if buf is not None else grad.copy()


def ns_plus(theta, buf, grad, lr, momentum):
    buf = grad.copy() if buf is None else momentum * buf + grad
    return theta + lr * (grad + momentum * buf), buf


def ns_no_beta(theta, buf, grad, lr, momentum):
    buf = grad.copy() if buf is None else momentum * buf + grad
    return theta - lr * (grad + buf), buf


def ns_velocity_lookahead(theta, buf, grad, lr, momentum):
    v = np.zeros_like(grad, dtype=float) if buf is None else buf
    v = momentum * v - lr * grad
    return theta + momentum * v - lr * grad, v


def ns_step_as_buffer(theta, buf, grad, lr, momentum):
    buf = grad.copy() if buf is None else momentum * buf + grad
    grad = grad + momentum * buf  # torch's line, then returned as the buffer
    return theta - lr * grad, grad


def ns_dampened(theta, buf, grad, lr, momentum):
    buf = grad.copy() if buf is None else momentum * buf + (1 - momentum) * grad
    return theta - lr * (grad + momentum * buf), buf


def ns_swapped(theta, buf, grad, lr, momentum):
    buf = grad.copy() if buf is None else momentum * buf + grad
    return buf, theta - lr * (grad + momentum * buf)


def ns_grad_in_place(theta, buf, grad, lr, momentum):
    buf = grad.copy() if buf is None else momentum * buf + grad
    grad += momentum * buf  # torch's grad.add(buf, alpha=momentum), written in place
    return theta - lr * grad, buf


def ns_float32(theta, buf, grad, lr, momentum):
    buf = grad.astype(np.float32) if buf is None else (momentum * buf + grad).astype(np.float32)
    return (theta - lr * (grad + momentum * buf)).astype(np.float32), buf


def ns_theta_only(theta, buf, grad, lr, momentum):
    buf = grad.copy() if buf is None else momentum * buf + grad
    return theta - lr * (grad + momentum * buf)


def ns_rounded(theta, buf, grad, lr, momentum):
    buf = grad.copy() if buf is None else momentum * buf + grad
    return np.round(theta - lr * (grad + momentum * buf), 3), buf


# correct


def ns_solution_style(theta, buf, grad, lr, momentum):
    new_buf = np.array(grad, dtype=float) if buf is None else momentum * buf + grad
    return theta - lr * (grad + momentum * new_buf), new_buf


def ns_expanded(theta, buf, grad, lr, momentum):
    old = np.zeros_like(grad, dtype=float) if buf is None else buf
    if buf is None:
        return theta - lr * (1 + momentum) * grad, grad.astype(float)
    return theta - lr * ((1 + momentum) * grad + momentum**2 * old), momentum * old + grad


def ns_two_steps(theta, buf, grad, lr, momentum):
    new_buf = grad.astype(float) if buf is None else momentum * buf + grad
    theta = theta - lr * grad  # the gradient step ...
    theta = theta - lr * momentum * new_buf  # ... and the momentum's next move
    return theta, new_buf


# ---------------------------------------------------------------------------------------------
# optimal_momentum(H)


def _eig(H):
    h = np.linalg.eigvalsh(H)
    return h.max(), h.min()


def om_rate_as_momentum(H):
    L, mu = _eig(H)
    k = L / mu
    return (2 / (np.sqrt(L) + np.sqrt(mu))) ** 2, (np.sqrt(k) - 1) / (np.sqrt(k) + 1)


def om_gd_lr(H):
    L, mu = _eig(H)
    k = L / mu
    return 2 / (L + mu), ((np.sqrt(k) - 1) / (np.sqrt(k) + 1)) ** 2


def om_diagonal(H):
    L, mu = np.max(np.diag(H)), np.min(np.diag(H))
    return 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2, ((np.sqrt(L / mu) - 1) / (np.sqrt(L / mu) + 1)) ** 2


def om_eigenvalues_of_h_ht(H):
    h = np.linalg.eigvalsh(H @ H.T)
    L, mu = h[-1], h[0]
    return 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2, ((np.sqrt(L / mu) - 1) / (np.sqrt(L / mu) + 1)) ** 2


def om_unsorted_eigvals(H):
    h = np.linalg.eigvals(H).real
    L, mu = h[0], h[-1]
    return 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2, ((np.sqrt(L / mu) - 1) / (np.sqrt(L / mu) + 1)) ** 2


def om_two_over_square(H):
    L, mu = _eig(H)
    return 2 / (np.sqrt(L) + np.sqrt(mu)) ** 2, ((np.sqrt(L) - np.sqrt(mu)) / (np.sqrt(L) + np.sqrt(mu))) ** 2


def om_swapped(H):
    L, mu = _eig(H)
    return ((np.sqrt(L) - np.sqrt(mu)) / (np.sqrt(L) + np.sqrt(mu))) ** 2, 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2


def om_kappa_difference(H):
    L, mu = _eig(H)
    k = L - mu
    return 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2, ((np.sqrt(k) - 1) / (np.sqrt(k) + 1)) ** 2


def om_arrays(H):
    h = np.linalg.eigvalsh(H)
    L, mu = h[-1:], h[:1]  # slices keep an axis
    return 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2, ((np.sqrt(L) - np.sqrt(mu)) / (np.sqrt(L) + np.sqrt(mu))) ** 2


def om_symmetrised_without_half(H):
    h = np.linalg.eigvalsh(H + H.T)
    L, mu = h[-1], h[0]
    return 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2, ((np.sqrt(L / mu) - 1) / (np.sqrt(L / mu) + 1)) ** 2


def om_no_sqrt_in_kappa(H):
    L, mu = _eig(H)
    k = L / mu
    return 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2, ((k - 1) / (k + 1)) ** 2


def om_float32(H):
    h = np.linalg.eigvalsh(H.astype(np.float32))
    L, mu = h[-1], h[0]
    return float(4 / (np.sqrt(L) + np.sqrt(mu)) ** 2), float(((np.sqrt(L) - np.sqrt(mu)) / (np.sqrt(L) + np.sqrt(mu))) ** 2)


def om_rounded(H):
    L, mu = _eig(H)
    return round(float(4 / (np.sqrt(L) + np.sqrt(mu)) ** 2), 3), round(float(((np.sqrt(L) - np.sqrt(mu)) / (np.sqrt(L) + np.sqrt(mu))) ** 2), 3)


def om_trace_for_L(H):
    h = np.linalg.eigvalsh(H)
    L, mu = np.trace(H), h[0]
    return 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2, ((np.sqrt(L) - np.sqrt(mu)) / (np.sqrt(L) + np.sqrt(mu))) ** 2


# correct


def om_solution_style(H):
    h = np.linalg.eigvalsh(H)
    L, mu = h[-1], h[0]
    kappa = L / mu
    return float((2 / (np.sqrt(L) + np.sqrt(mu))) ** 2), float(((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2)


def om_cond(H):
    L = np.linalg.eigvalsh(H).max()
    kappa = np.linalg.cond(H)  # L / mu for a symmetric positive definite H
    mu = L / kappa
    return float(4 / (np.sqrt(L) + np.sqrt(mu)) ** 2), float(((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2)


def om_singular_values(H):
    s = np.linalg.svd(H, compute_uv=False)  # = the eigenvalues for H positive definite
    L, mu = s.max(), s.min()
    return float((2 / (L**0.5 + mu**0.5)) ** 2), float(((L**0.5 - mu**0.5) / (L**0.5 + mu**0.5)) ** 2)


def om_eig_max_min(H):
    h = np.linalg.eig(H)[0].real
    L, mu = max(h), min(h)
    return float(4 / (L**0.5 + mu**0.5) ** 2), float((1 - 2 / (1 + (L / mu) ** 0.5)) ** 2)


# ---------------------------------------------------------------------------------------------
# momentum_rate(lr, momentum, h)


def _m(lr, momentum, h):
    return np.array([[1 + momentum - lr * h, -momentum], [1, 0]])


def mr_two_sqrt_beta(lr, momentum, h):
    a = 1 + momentum - lr * h
    if a**2 < 4 * momentum:
        return 2 * np.sqrt(momentum)
    return max(abs(a + np.sqrt(a**2 - 4 * momentum)), abs(a - np.sqrt(a**2 - 4 * momentum))) / 2


def mr_beta_in_complex(lr, momentum, h):
    a = 1 + momentum - lr * h
    if a**2 < 4 * momentum:
        return momentum
    return max(abs(a + np.sqrt(a**2 - 4 * momentum)), abs(a - np.sqrt(a**2 - 4 * momentum))) / 2


def mr_real_part(lr, momentum, h):
    return float(np.max(np.linalg.eigvals(_m(lr, momentum, h)).real))


def mr_max_of_complex(lr, momentum, h):
    return float(np.max(np.linalg.eigvals(_m(lr, momentum, h))))


def mr_complex_returned(lr, momentum, h):
    return np.max(np.linalg.eigvals(_m(lr, momentum, h)))


def mr_one_minus_beta(lr, momentum, h):
    M = np.array([[1 - momentum - lr * h, -momentum], [1, 0]])
    return float(np.max(np.abs(np.linalg.eigvals(M))))


def mr_gd_rate(lr, momentum, h):
    return abs(1 - lr * h)


def mr_sqrt_beta(lr, momentum, h):
    return np.sqrt(momentum)


def mr_all_moduli(lr, momentum, h):
    return np.abs(np.linalg.eigvals(_m(lr, momentum, h)))


def mr_abs_of_max(lr, momentum, h):
    return float(np.abs(np.max(np.linalg.eigvals(_m(lr, momentum, h)))))


def mr_spectral_norm(lr, momentum, h):
    return float(np.linalg.norm(_m(lr, momentum, h), 2))


def mr_critical(lr, momentum, h):
    return abs(1 - np.sqrt(lr * h))


def mr_signed_roots(lr, momentum, h):
    a = 1 + momentum - lr * h
    d = a**2 - 4 * momentum
    if d < 0:
        return np.sqrt(momentum)
    return max((a + np.sqrt(d)) / 2, (a - np.sqrt(d)) / 2)


def mr_rounded(lr, momentum, h):
    return round(float(np.max(np.abs(np.linalg.eigvals(_m(lr, momentum, h))))), 3)


def mr_positive_corner(lr, momentum, h):
    M = np.array([[1 + momentum - lr * h, momentum], [1, 0]])
    return float(np.max(np.abs(np.linalg.eigvals(M))))


# correct


def mr_solution_style(lr, momentum, h):
    return float(np.max(np.abs(np.linalg.eigvals(_m(lr, momentum, h)))))


def mr_roots(lr, momentum, h):
    return float(np.max(np.abs(np.roots([1, -(1 + momentum - lr * h), momentum]))))


def mr_transposed(lr, momentum, h):
    return float(max(abs(z) for z in np.linalg.eigvals(_m(lr, momentum, h).T)))


def mr_closed_form_complex_sqrt(lr, momentum, h):
    a = 1 + momentum - lr * h
    root = np.sqrt(complex(a * a - 4 * momentum))  # a complex square root covers both cases
    return max(abs((a + root) / 2), abs((a - root) / 2))


def hb_grad_itself_first(theta, buf, grad, lr, momentum):
    b = grad if buf is None else momentum * buf + grad  # the caller's gradient itself
    return theta - lr * b, b


def hb_momentum_on_gradient(theta, buf, grad, lr, momentum):
    b = np.array(grad, dtype=float) if buf is None else momentum * (buf + grad)
    return theta - lr * b, b


def ns_first_step_plain(theta, buf, grad, lr, momentum):
    g = np.array(grad, dtype=float)
    if buf is None:
        return theta - lr * g, g
    b = momentum * buf + g
    return theta - lr * (g + momentum * b), b


def ns_buffer_in_place(theta, buf, grad, lr, momentum):
    if buf is None:
        buf = np.array(grad, dtype=float)
    else:
        buf *= momentum
        buf += grad
    return theta - lr * (grad + momentum * buf), buf


def mr_real_sqrt(lr, momentum, h):
    a = 1 + momentum - lr * h
    root = np.sqrt(a * a - 4 * momentum)  # nan where the roots are complex
    return float(max(abs(a + root), abs(a - root)) / 2)


MISTAKES: dict[str, dict[str, Mistake]] = {
    "ch04_heavy_ball_step": {
        "torch's lines without the clone": Mistake(hb_torch_lines_without_clone, "second name"),
        "theta -= lr * buf": Mistake(hb_theta_in_place, "is an integer array"),
        "Sutskever's velocity": Mistake(hb_velocity, "You wrote the Sutskever form"),
        "running average of the gradients": Mistake(hb_running_average, "You averaged, b <- beta b"),
        "if that falls through": Mistake(hb_if_falls_through, "Your first step sets b = g and then"),
        "float32": Mistake(hb_float32, "float32 precision"),
        "returns theta only": Mistake(hb_returns_theta_only, None),
        "steps with the buffer before updating it": Mistake(hb_step_before_update, "You moved theta with the old"),
        "lr inside the buffer": Mistake(hb_lr_in_buffer, "You put the learning rate inside the buffer"),
        "theta + lr * b": Mistake(hb_plus, "Your step goes uphill"),
        "(buf, theta)": Mistake(hb_buffer_first, "the wrong order"),
        "theta - lr g - beta b": Mistake(hb_momentum_outside_lr, "the old buffer enters without"),
        "rounded to 4 decimals": Mistake(hb_rounded, "rounded to 4 decimals"),
        "the gradient returned as the buffer": Mistake(hb_returns_gradient_as_buffer, "the buffer you return is not the new b"),
        "np.zeros, then in place": Mistake(hb_zeros_in_place, "second name"),
        "grad itself as the first buffer": Mistake(hb_grad_itself_first, None),
        "beta * (b + g)": Mistake(hb_momentum_on_gradient, "the momentum scales the new gradient"),
    },
    "ch04_nesterov_step": {
        "the heavy ball's step": Mistake(ns_heavy_ball, "Your step is the heavy ball's"),
        "g + beta * old buffer": Mistake(ns_old_buffer, "Your step uses the old buffer"),
        "theta + lr * (...)": Mistake(ns_plus, "A sign is wrong"),
        "g + b, no beta": Mistake(ns_no_beta, "the buffer needs the factor beta"),
        "Sutskever's velocity, look-ahead": Mistake(ns_velocity_lookahead, "Sutskever's velocity form"),
        "g + beta b returned as the buffer": Mistake(ns_step_as_buffer, "the step direction g + beta * b"),
        "running average": Mistake(ns_dampened, "Your buffer averages"),
        "(buf, theta)": Mistake(ns_swapped, "the wrong order"),
        "grad += momentum * buf": Mistake(ns_grad_in_place, "is an integer array"),
        "float32": Mistake(ns_float32, "float32 precision"),
        "returns theta only": Mistake(ns_theta_only, None),
        "rounded to 3 decimals": Mistake(ns_rounded, "rounded to 3 decimals"),
        "first step plain gradient descent": Mistake(ns_first_step_plain, "is plain gradient descent"),
        "buf *= momentum in place": Mistake(ns_buffer_in_place, "`buf` is an integer array"),
    },
    "ch04_optimal_momentum": {
        "the rate as the momentum": Mistake(om_rate_as_momentum, "the convergence *rate*"),
        "GD's 2 / (L + mu)": Mistake(om_gd_lr, "gradient descent's best step"),
        "the diagonal of H": Mistake(om_diagonal, "the diagonal of H is not"),
        "eigenvalues of H @ H.T": Mistake(om_eigenvalues_of_h_ht, "H @ H.T"),
        "np.linalg.eigvals, first and last": Mistake(om_unsorted_eigvals, "no particular order"),
        "2 / (sqrt L + sqrt mu)**2": Mistake(om_two_over_square, "half the right one"),
        "(momentum, lr)": Mistake(om_swapped, "the wrong order"),
        "kappa = L - mu": Mistake(om_kappa_difference, "does not use kappa = L / mu"),
        "one-entry arrays": Mistake(om_arrays, None),
        "eigenvalues of H + H.T": Mistake(om_symmetrised_without_half, "H + H.T"),
        "no square root in kappa": Mistake(om_no_sqrt_in_kappa, "A square root is missing"),
        "float32": Mistake(om_float32, "float32 precision"),
        "rounded to 3 decimals": Mistake(om_rounded, "rounded to 3 decimals"),
        "the trace for L": Mistake(om_trace_for_L, None),
    },
    "ch04_momentum_rate": {
        "2 sqrt(beta) (Goh's misprint)": Mistake(mr_two_sqrt_beta, "misprint"),
        "beta for complex roots": Mistake(mr_beta_in_complex, "your rate is beta; it is sqrt(beta)"),
        "largest real part": Mistake(mr_real_part, "not by its modulus"),
        "float(np.max(eigvals))": Mistake(mr_max_of_complex, "not by its modulus"),
        "np.max(eigvals), complex": Mistake(mr_complex_returned, None),
        "1 - beta - eta h": Mistake(mr_one_minus_beta, "not the heavy ball's"),
        "|1 - eta h|": Mistake(mr_gd_rate, "gradient descent's"),
        "sqrt(beta) everywhere": Mistake(mr_sqrt_beta, "You return sqrt(beta) everywhere"),
        "both moduli": Mistake(mr_all_moduli, None),
        "abs(np.max(eigvals))": Mistake(mr_abs_of_max, "not by its modulus"),
        "np.linalg.norm(M, 2)": Mistake(mr_spectral_norm, "largest singular value"),
        "|1 - sqrt(eta h)|": Mistake(mr_critical, "shortcut formula"),
        "the larger signed root": Mistake(mr_signed_roots, "not by its modulus"),
        "rounded to 3 decimals": Mistake(mr_rounded, "rounded to 3 decimals"),
        "+beta in the corner": Mistake(mr_positive_corner, "not the heavy ball's"),
        "np.sqrt of a negative discriminant": Mistake(mr_real_sqrt, "cmath.sqrt"),
    },
}

CORRECT: dict[str, dict[str, Callable]] = {
    "ch04_heavy_ball_step": {
        "if/else with a copy": hb_solution_style,
        "np.zeros_like, then the update": hb_zeros_like,
        "expanded: theta - lr g - lr beta b": hb_expanded,
        "astype copy, then in place": hb_copy_then_in_place,
    },
    "ch04_nesterov_step": {
        "if/else with a copy": ns_solution_style,
        "expanded: (1 + beta) g + beta^2 b": ns_expanded,
        "two half steps": ns_two_steps,
    },
    "ch04_optimal_momentum": {
        "eigvalsh": om_solution_style,
        "np.linalg.cond": om_cond,
        "singular values": om_singular_values,
        "np.linalg.eig, max and min": om_eig_max_min,
    },
    "ch04_momentum_rate": {
        "eigvals of M": mr_solution_style,
        "np.roots": mr_roots,
        "eigvals of M.T": mr_transposed,
        "closed form with a complex square root": mr_closed_form_complex_sqrt,
    },
}


class TestFeedback(FeedbackChecks):
    CHAPTER = 4
    MISTAKES = MISTAKES
    CORRECT = CORRECT


if __name__ == "__main__":
    rows, named = feedback_table(MISTAKES, CORRECT)
    print(format_table(rows) + "\n" + format_named(named))
