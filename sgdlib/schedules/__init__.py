r"""Learning-rate schedules: the learning rate as a function of the step ``t``.

Each schedule is a small object you call with a step number (an ``int``, or a numpy array of
them to get a whole curve at once for a plot) and that returns the learning rate:

>>> import numpy as np
>>> from sgdlib.schedules import CosineAnnealing
>>> schedule = CosineAnnealing(lr=0.1, T_max=100)
>>> schedule(0), schedule(50), schedule(100)
(0.1, 0.05, 0.0)
>>> curve = schedule(np.arange(10_000))         # vectorised: cheap to plot

Steps are counted like torch's ``LRScheduler``: ``schedule(t)`` is the learning rate torch's
scheduler gives after ``t`` calls of ``scheduler.step()`` (``t = 0`` is the rate before the
first step). :class:`Scheduler` applies a schedule to an optimizer in a training loop.

One file per family: ``decay.py`` (Constant to Polynomial), ``cosine.py`` (CosineAnnealing,
WarmupCosine), ``one_cycle.py`` (OneCycle), ``scheduler.py`` (Scheduler and
:func:`check_schedule_covers`), all on the :class:`Schedule` base of ``base.py``. Import them
from here: ``from sgdlib.schedules import CosineAnnealing``.

=================  ==============================================  =========================
schedule           learning rate at step t                         torch.optim.lr_scheduler
=================  ==============================================  =========================
Constant           lr                                              (none needed)
StepDecay          lr * gamma^floor(t / step_size)                 StepLR
Exponential        lr * gamma^t                                    ExponentialLR
InverseTime        lr / (1 + decay * t)                            (Adagrad's ``lr_decay``)
Polynomial         lr * (1 - min(t, T) / T)^power                  PolynomialLR
CosineAnnealing    eta_min + (lr - eta_min) (1 + cos(pi t / T))/2  CosineAnnealingLR
WarmupCosine       linear warm-up, then CosineAnnealing            LinearLR + CosineAnnealingLR
OneCycle           warm up to max_lr, then anneal far below        OneCycleLR
=================  ==============================================  =========================

References
----------
Loshchilov and Hutter, "SGDR: stochastic gradient descent with warm restarts", ICLR 2017
(cosine annealing). Goyal et al., "Accurate, large minibatch SGD: training ImageNet in 1 hour",
2017 (linear warm-up). Smith and Topin, "Super-convergence: very fast training of neural
networks using large learning rates", 2019 (one-cycle).
"""

from .base import Schedule
from .cosine import CosineAnnealing, WarmupCosine
from .decay import Constant, Exponential, InverseTime, Polynomial, StepDecay
from .one_cycle import OneCycle
from .scheduler import Scheduler, check_schedule_covers

__all__ = [
    "Schedule", "Constant", "StepDecay", "Exponential", "InverseTime", "Polynomial",
    "CosineAnnealing", "WarmupCosine", "OneCycle", "Scheduler", "check_schedule_covers",
]
