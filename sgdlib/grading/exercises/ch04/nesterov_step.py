"""Exercise 4.2: one Nesterov momentum step, in torch.optim.SGD's form (nesterov=True).

With the gradient g at theta (the current point: torch's reformulation needs no gradient at a
look-ahead point), the buffer b (None before the first step), eta (lr) and beta (momentum):

    b <- g                     on the first step (buf is None): a copy of g
    b <- beta * b + g          on every later step
    theta <- theta - eta * (g + beta * b)      with the NEW b

``nesterov_step(theta, buf, grad, lr, momentum)`` returns ``(new_theta, new_buf)``, two new float
arrays of theta's shape, and never changes its inputs. The buffer is the heavy ball's; only the
step differs: it goes g + beta b, the gradient plus the momentum's next move, where the heavy
ball goes b = g + beta b_old.
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe

__all__ = ["EXERCISE", "nesterov_step"]


def nesterov_step(theta: np.ndarray, buf: np.ndarray | None, grad: np.ndarray, lr: float,
                  momentum: float) -> tuple[np.ndarray, np.ndarray]:
    """Reference: b as the heavy ball's; theta - eta*(g + beta*b) with the new b."""
    grad = np.array(grad, dtype=float)
    new_buf = grad.copy() if buf is None else momentum * np.asarray(buf, dtype=float) + grad
    return np.asarray(theta, dtype=float) - lr * (grad + momentum * new_buf), new_buf


# ---------------------------------------------------------------------------------------------
# Inputs

_G = np.array([0.5, -1.5])  # passed as both buf and grad in the aliasing case

FIXED_CASES = (
    Case((np.array([1.0, 2.0]), None, np.array([0.5, -1.0]), 0.1, 0.9),
         "the first step (buf = None): b = g, step g + 0.9 g"),
    Case((np.array([1.0, 2.0]), np.array([0.5, -1.0]), np.array([0.2, 0.4]), 0.1, 0.9),
         "a later step"),
    Case((np.array([0.0, 1.0, -1.0]), np.array([1.0, 1.0, 1.0]), np.array([2.0, -1.0, 0.5]), 0.5, 0.0),
         "momentum = 0: plain gradient descent"),
    Case((np.array([1, -2]), np.array([3, 1]), np.array([2, 2]), 1, 0.5),
         "theta, buf and grad integer arrays, lr = 1 an integer"),
    Case((np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]]), np.array([[0.1, 0.2, 0.3], [0.0, 0.5, -0.5]]),
          np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]]), 0.05, 0.99),
         "theta a 2 x 3 array, momentum = 0.99"),
    Case((np.array([0.5, 0.5]), _G, _G, 0.1, 0.5), "buf and grad the SAME array object"),
    Case((np.array([2.0, -1.0]), np.array([-3.0, 2.0]), np.array([1.0, 1.0]), 0.2, 0.8),
         "the buffer points against the gradient"),
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


def _parts(theta, buf, grad, momentum):
    theta, g = np.asarray(theta, dtype=float), np.array(grad, dtype=float)
    old = None if buf is None else np.asarray(buf, dtype=float)
    new = g.copy() if old is None else momentum * old + g
    return theta, g, old, new


def _heavy_ball(theta, buf, grad, lr, momentum):
    theta, g, old, new = _parts(theta, buf, grad, momentum)
    return theta - lr * new, new


HEAVY_BALL = Probe(
    "heavy_ball",
    "Your step is the heavy ball's, theta - eta * b. Nesterov's step (torch's nesterov=True) "
    "adds the momentum's next move to the gradient: theta <- theta - eta * (g + beta * b), with "
    "the buffer b already updated to beta * b_old + g.",
    (_heavy_ball,))


def _old_buffer_in_step(theta, buf, grad, lr, momentum):
    theta, g, old, new = _parts(theta, buf, grad, momentum)
    look = g if old is None else old  # the first step as torch's; later steps with b_old
    return theta - lr * (g + momentum * look), new


OLD_BUFFER = Probe(
    "old_buffer_in_step",
    "Your step uses the old buffer, g + beta * b_old, which is the heavy ball's step "
    "b_new = beta * b_old + g once more. Update the buffer first, b <- beta * b + g, then step with "
    "g + beta * b_new: the gradient counts twice, once directly and once through the buffer.",
    (_old_buffer_in_step,))


def _plus(theta, buf, grad, lr, momentum):
    theta, g, old, new = _parts(theta, buf, grad, momentum)
    return theta + lr * (g + momentum * new), new


def _minus_momentum(theta, buf, grad, lr, momentum):
    theta, g, old, new = _parts(theta, buf, grad, momentum)
    return theta - lr * (g - momentum * new), new


WRONG_SIGN = Probe(
    "wrong_sign",
    "A sign is wrong in your step: the gradient g and the buffer b both point uphill, so both are "
    "subtracted: theta <- theta - eta * (g + beta * b).",
    (_plus, _minus_momentum))


def _sutskever_velocity(theta, buf, grad, lr, momentum):
    theta, g, old, _ = _parts(theta, buf, grad, momentum)
    v = momentum * (np.zeros_like(g) if old is None else old) - lr * g
    return theta + momentum * v - lr * g, v


def _lookahead_without_gradient(theta, buf, grad, lr, momentum):
    theta, g, old, _ = _parts(theta, buf, grad, momentum)
    v = momentum * (np.zeros_like(g) if old is None else old) - lr * g
    return theta + momentum * v, v


def _lookahead_velocity_twice(theta, buf, grad, lr, momentum):
    theta, g, old, _ = _parts(theta, buf, grad, momentum)
    v = momentum * (np.zeros_like(g) if old is None else old) - lr * g
    return theta + v + momentum * v, v


SUTSKEVER = Probe(
    "sutskever_form",
    "You wrote the look-ahead in Sutskever's velocity form, v <- beta v - eta g, and return the "
    "velocity v (or step theta + beta v, or theta + v + beta v). The exercise asks for torch's "
    "form: the buffer holds no learning rate, b <- beta b + g (b = g at the first step), and "
    "theta <- theta - eta * (g + beta * b). With b = -v / eta the two describe the same point, "
    "but the buffer you return must be torch's b.",
    (_sutskever_velocity, _lookahead_without_gradient, _lookahead_velocity_twice))


def _beta_missing(theta, buf, grad, lr, momentum):
    theta, g, old, new = _parts(theta, buf, grad, momentum)
    return theta - lr * (g + new), new


BETA_MISSING = Probe(
    "beta_missing",
    "Your step is theta - eta * (g + b): the buffer needs the factor beta, "
    "theta - eta * (g + beta * b). With momentum = 0 Nesterov must be plain gradient descent.",
    (_beta_missing,))


def _nesterov_gradient_as_buffer(theta, buf, grad, lr, momentum):
    theta, g, old, new = _parts(theta, buf, grad, momentum)
    step = g + momentum * new
    return theta - lr * step, step


BUFFER_IS_STEP = Probe(
    "step_returned_as_buffer",
    "Your theta is right, but the buffer you return is the step direction g + beta * b, not the "
    "buffer b = beta * b_old + g. Keep the two apart: the buffer carries on to the next call; "
    "g + beta * b is used for this step only.",
    (_nesterov_gradient_as_buffer,))


def _dampened(theta, buf, grad, lr, momentum):
    theta, g, old, _ = _parts(theta, buf, grad, momentum)
    new = g.copy() if old is None else momentum * old + (1 - momentum) * g
    return theta - lr * (g + momentum * new), new


DAMPENED = Probe(
    "dampened",
    "Your buffer averages, b <- beta b + (1 - beta) g (torch's dampening = beta). With "
    "nesterov=True torch requires dampening = 0: b <- beta b + g.",
    (_dampened,))


def _swapped(theta, buf, grad, lr, momentum):
    new_theta, new_buf = nesterov_step(theta, buf, grad, lr, momentum)
    return new_buf, new_theta


SWAPPED = Probe(
    "swapped",
    "You return the two arrays in the wrong order: the buffer first. Return (new_theta, new_buf).",
    (_swapped,))


def _first_step_plain(theta, buf, grad, lr, momentum):
    theta, g, old, new = _parts(theta, buf, grad, momentum)
    step = g if old is None else g + momentum * new
    return theta - lr * step, new


FIRST_STEP_PLAIN = Probe(
    "first_step_plain",
    "Your first step (buf is None) is plain gradient descent, theta - eta * g. It is Nesterov's "
    "step like every other: the buffer starts as b = g, and the step is still "
    "theta - eta * (g + beta * b) = theta - eta * (1 + beta) * g. Set the buffer in the "
    "`if buf is None` branch only, and step after it, in one line for both branches.",
    (_first_step_plain,))


EXERCISE = Exercise(
    id="ch04_nesterov_step",
    number=2,
    title="One Nesterov momentum step (torch's form)",
    function_name="nesterov_step",
    arg_names=("theta", "buf", "grad", "lr", "momentum"),
    reference=nesterov_step,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("new_theta", "array"), Output("new_buf", "array")),
    probes=(HEAVY_BALL, OLD_BUFFER, WRONG_SIGN, SUTSKEVER, BETA_MISSING, BUFFER_IS_STEP, DAMPENED, SWAPPED,
            FIRST_STEP_PLAIN),
    new_arrays=True,
    answer_keys=("sgdlib.optim.SGD",),
)
