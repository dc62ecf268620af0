"""Exercise 4.1: one heavy-ball momentum step, in torch.optim.SGD's form.

With the gradient g at theta, the buffer b (None before the first step), the learning rate eta
(lr) and the momentum beta (momentum):

    b <- g                 on the first step (buf is None): a copy of g
    b <- beta * b + g      on every later step
    theta <- theta - eta * b

``heavy_ball_step(theta, buf, grad, lr, momentum)`` returns ``(new_theta, new_buf)``, two new
float arrays of theta's shape. It never changes its inputs (neither the caller's gradient nor
the old buffer), and the buffer it returns is never the caller's ``grad`` array itself: torch
clones the gradient into the buffer on the first step, because it then updates the buffer in
place (``buf.mul_(momentum).add_(grad)``), which would change the caller's gradient.
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "heavy_ball_step"]


def heavy_ball_step(theta: np.ndarray, buf: np.ndarray | None, grad: np.ndarray, lr: float,
                    momentum: float) -> tuple[np.ndarray, np.ndarray]:
    """Reference: b = g (a copy) at the first step, else beta*b + g; theta - eta*b."""
    grad = np.array(grad, dtype=float)  # a copy: the buffer never is the caller's gradient
    new_buf = grad if buf is None else momentum * np.asarray(buf, dtype=float) + grad
    return np.asarray(theta, dtype=float) - lr * new_buf, new_buf


# ---------------------------------------------------------------------------------------------
# Inputs

_G = np.array([1.0, -2.0])  # one array object passed as both buf and grad in the aliasing case

FIXED_CASES = (
    Case((np.array([1.0, 2.0]), None, np.array([0.5, -1.0]), 0.1, 0.9),
         "the first step (buf = None): b = g"),
    Case((np.array([1.0, 2.0]), np.array([0.5, -1.0]), np.array([0.2, 0.4]), 0.1, 0.9),
         "a later step: b = 0.9 b + g"),
    Case((np.array([0.0, 1.0, -1.0]), np.array([1.0, 1.0, 1.0]), np.array([2.0, -1.0, 0.5]), 0.5, 0.0),
         "momentum = 0: b = g, plain gradient descent"),
    Case((np.array([1, -2]), np.array([3, 1]), np.array([2, 2]), 1, 0.5),
         "theta, buf and grad integer arrays, lr = 1 an integer"),
    Case((np.array([2, 0]), None, np.array([1, -3]), 0.25, 0.9),
         "the first step with an integer gradient"),
    Case((np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]]), np.array([[0.1, 0.2, 0.3], [0.0, 0.5, -0.5]]),
          np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]]), 0.05, 0.99),
         "theta a 2 x 3 array (a weight matrix), momentum = 0.99"),
    Case((np.array([0.5, 0.5]), _G, _G, 0.1, 0.5),
         "buf and grad the SAME array object (a buffer that aliases the gradient, as after a first "
         "step that returned grad itself): b = 0.5 g + g"),
    Case((np.array([3.0]), np.array([-4.0]), np.array([1.0]), 0.0, 0.9),
         "lr = 0: theta does not move, the buffer still does"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for shape, first in (((5,), True), ((5,), False), ((3, 4), False), ((20,), False)):
        theta, grad = rng.normal(size=shape), rng.normal(size=shape)
        buf = None if first else rng.normal(size=shape)
        lr, momentum = float(rng.uniform(0.01, 0.5)), float(rng.uniform(0.3, 0.99))
        cases.append(Case((theta, buf, grad, lr, momentum),
                          f"random theta of shape {shape}, {'the first step' if first else 'a later step'}"))
    return cases


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _buffer(buf, grad, momentum):
    grad = np.array(grad, dtype=float)
    return grad if buf is None else momentum * np.asarray(buf, dtype=float) + grad


def _plus(theta, buf, grad, lr, momentum):
    new_buf = _buffer(buf, grad, momentum)
    return np.asarray(theta, dtype=float) + lr * new_buf, new_buf


WRONG_SIGN = Probe(
    "wrong_sign",
    "Your step goes uphill: you add eta * b to theta. The buffer b sums past gradients, which "
    "point uphill, so the step subtracts it: theta <- theta - lr * b.",
    (_plus,))


def _in_place(theta, buf, grad, lr, momentum):
    if buf is None:
        buf = grad  # the caller's gradient itself
    else:
        buf *= momentum  # when buf is grad, this scales the gradient too
        buf += grad
    return theta - lr * buf, buf


def _in_place_zeros_first(theta, buf, grad, lr, momentum):
    if buf is None:
        buf = np.zeros_like(grad, dtype=float)
    buf *= momentum
    buf += grad
    return theta - lr * buf, buf


def _aliased_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for shape in ((2,), (4,)):
        g = rng.normal(size=shape)
        cases.append(Case((rng.normal(size=shape), g, g, 0.1, 0.9), "buf and grad the same array"))
    # and one where they are not: the in-place update is right there, so a mistake that only
    # agrees with it when buf is grad (b = beta * (buf + grad)) is not taken for it
    cases.append(Case((rng.normal(size=3), rng.normal(size=3), rng.normal(size=3), 0.1, 0.9),
                      "buf and grad two arrays"))
    return cases


ALIASED_BUFFER = Probe(
    "aliased_buffer",
    "You update the buffer in place (`buf *= momentum; buf += grad`), which changes the caller's "
    "buffer, and a buffer can be the caller's gradient array itself: on the first step "
    "`buf = grad` does not copy, it gives the gradient a second name, so the next in-place update "
    "changes the gradient too. (check passes buf and grad as one array: `buf *= momentum` then "
    "scales grad as well, and you add momentum * g where g belongs; into an integer buffer the "
    "in-place update even raises.) Make new arrays instead: `new_buf = grad.copy()` on the first "
    "step (or np.array(grad, dtype=float)), `new_buf = momentum * buf + grad` afterwards, and "
    "return new_buf; never change buf or grad.",
    (_in_place, _in_place_zeros_first), cases=_aliased_cases)


def _sutskever(theta, buf, grad, lr, momentum):
    v = np.zeros_like(np.asarray(grad, dtype=float)) if buf is None else np.asarray(buf, dtype=float)
    v = momentum * v - lr * np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) + v, v


SUTSKEVER = Probe(
    "sutskever_form",
    "You wrote the Sutskever form, v <- beta v - eta g and theta <- theta + v, and return the "
    "velocity v. The exercise asks for torch's form: the buffer holds no learning rate, "
    "b <- beta b + g (b = g on the first step), theta <- theta - eta b, and the buffer you return "
    "is that b. Run from the start with a constant lr the two forms visit the same points, with "
    "v = -eta b; but given torch's buffer b, your step reads it as v and goes elsewhere, and under "
    "a learning-rate schedule the two forms differ (the lesson's section on the two forms).",
    (_sutskever,))


def _lr_in_buffer(theta, buf, grad, lr, momentum):
    g = np.asarray(grad, dtype=float)
    new_buf = lr * g if buf is None else momentum * np.asarray(buf, dtype=float) + lr * g
    return np.asarray(theta, dtype=float) - new_buf, new_buf


LR_IN_BUFFER = Probe(
    "lr_in_buffer",
    "You put the learning rate inside the buffer, b <- beta b + eta g, and subtract b. In "
    "torch's form the buffer sums raw gradients, b <- beta b + g, and eta multiplies the whole "
    "buffer in the step: theta <- theta - eta * b.",
    (_lr_in_buffer,))


def _ema(first):
    def mistake(theta, buf, grad, lr, momentum):
        g = np.asarray(grad, dtype=float)
        if buf is None:
            new_buf = g.copy() if first == "g" else (1 - momentum) * g
        else:
            new_buf = momentum * np.asarray(buf, dtype=float) + (1 - momentum) * g
        return np.asarray(theta, dtype=float) - lr * new_buf, new_buf

    return mistake


DAMPENED = Probe(
    "dampened",
    "You averaged, b <- beta b + (1 - beta) g: that is torch's dampening=beta (an exponentially "
    "weighted average of the gradients, Adam's m). torch.optim.SGD's default, dampening = 0, "
    "adds the whole gradient: b <- beta b + g, a sum that grows to g / (1 - beta) when g is "
    "constant.",
    (_ema("g"), _ema("(1-beta) g")))


def _first_step_twice(theta, buf, grad, lr, momentum):
    g = np.asarray(grad, dtype=float)
    b = g if buf is None else np.asarray(buf, dtype=float)
    new_buf = momentum * b + g  # the first step falls through to the update
    return np.asarray(theta, dtype=float) - lr * new_buf, new_buf


FIRST_STEP_TWICE = Probe(
    "first_step_twice",
    "Your first step sets b = g and then also applies the update, giving b = beta g + g = "
    "(1 + beta) g. On the first step (buf is None) the buffer is just g: use `if ... else`, "
    "not an `if` that falls through to b <- beta b + g.",
    (_first_step_twice,))


def _old_buffer(theta, buf, grad, lr, momentum):
    g = np.asarray(grad, dtype=float)
    step = g if buf is None else np.asarray(buf, dtype=float)
    return np.asarray(theta, dtype=float) - lr * step, _buffer(buf, grad, momentum)


OLD_BUFFER = Probe(
    "old_buffer",
    "You moved theta with the old buffer, before it was updated. Update the buffer first, "
    "b <- beta b + g, then step with the new one, theta <- theta - eta * b: this step's "
    "gradient must be part of this step.",
    (_old_buffer,))


def _swapped(theta, buf, grad, lr, momentum):
    new_theta, new_buf = heavy_ball_step(theta, buf, grad, lr, momentum)
    return new_buf, new_theta


SWAPPED = Probe(
    "swapped",
    "You return the two arrays in the wrong order: the buffer first. Return (new_theta, new_buf).",
    (_swapped,))


def _buffer_not_returned(theta, buf, grad, lr, momentum):
    new_theta, _ = heavy_ball_step(theta, buf, grad, lr, momentum)
    return new_theta, np.array(grad, dtype=float)


def _old_buffer_returned(theta, buf, grad, lr, momentum):
    new_theta, new_buf = heavy_ball_step(theta, buf, grad, lr, momentum)
    return new_theta, new_buf if buf is None else np.array(buf, dtype=float)


BUFFER_NOT_RETURNED = Probe(
    "buffer_not_returned",
    "Your theta is right, but the buffer you return is not the new b: you return the gradient g, "
    "or the old buffer. Return the buffer you stepped with, b = beta * b_old + g, so that the "
    "next call can continue from it.",
    (_buffer_not_returned, _old_buffer_returned))


def _momentum_on_theta(theta, buf, grad, lr, momentum):
    g = np.asarray(grad, dtype=float)
    old = np.zeros_like(g) if buf is None else np.asarray(buf, dtype=float)
    return np.asarray(theta, dtype=float) - lr * g - momentum * old, _buffer(buf, grad, momentum)


MOMENTUM_NOT_SCALED_BY_LR = Probe(
    "momentum_not_scaled_by_lr",
    "Your step is theta - eta g - beta b: the old buffer enters without the learning rate. In "
    "torch's form eta multiplies the whole new buffer, theta - eta (beta b + g); only the "
    "Sutskever form's velocity already contains eta.",
    (_momentum_on_theta,))


def _momentum_on_gradient(theta, buf, grad, lr, momentum):
    g = np.array(grad, dtype=float)
    new_buf = g if buf is None else momentum * (np.asarray(buf, dtype=float) + g)
    return np.asarray(theta, dtype=float) - lr * new_buf, new_buf


MOMENTUM_ON_GRADIENT = Probe(
    "momentum_on_gradient",
    "Your buffer is beta * (b + g): the momentum scales the new gradient too. Only the old "
    "buffer decays; the new gradient enters whole: b <- beta * b + g.",
    (_momentum_on_gradient,))


EXERCISE = Exercise(
    id="ch04_heavy_ball_step",
    number=1,
    title="One heavy-ball momentum step (torch's form)",
    function_name="heavy_ball_step",
    arg_names=("theta", "buf", "grad", "lr", "momentum"),
    reference=heavy_ball_step,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("new_theta", "array"), Output("new_buf", "array")),
    probes=(ALIASED_BUFFER, WRONG_SIGN, SUTSKEVER, LR_IN_BUFFER, DAMPENED, FIRST_STEP_TWICE, OLD_BUFFER,
            SWAPPED, BUFFER_NOT_RETURNED, MOMENTUM_NOT_SCALED_BY_LR, MOMENTUM_ON_GRADIENT),
    new_arrays=True,
    answer_keys=("sgdlib.optim.SGD",),
)
