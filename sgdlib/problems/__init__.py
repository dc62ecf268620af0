"""Two-dimensional test functions for the lessons, and a runner that optimises them.

* :mod:`sgdlib.problems.functions` - the test functions: :class:`Quadratic` (a bowl with a
  chosen condition number and rotation), :class:`Rosenbrock`, :class:`Beale`,
  :class:`Himmelblau`, :class:`Saddle` and :class:`TwoBasins`, all :class:`Problem` objects;
* :mod:`sgdlib.problems.runner` - :func:`run` runs an :mod:`sgdlib.optim` optimizer on a
  problem and returns a :class:`Trajectory` (its points and losses);
* :mod:`sgdlib.problems.noisy` - :func:`noisy_gradient_descent` runs gradient descent with
  gradient noise for many seeds at once (the seeds an array axis).

Import everything from here: ``from sgdlib.problems import Quadratic, run``.

Examples
--------
>>> import numpy as np
>>> from sgdlib.problems import Quadratic, run
>>> from sgdlib.optim import SGD
>>> bowl = Quadratic(condition_number=10.0)
>>> bowl.L, bowl.mu, bowl.condition_number
(1.0, 0.1, 10.0)
>>> traj = run(bowl, SGD, options={"lr": 1.0}, steps=50)
>>> traj.points.shape, traj.diverged
((51, 2), False)
>>> bool(traj.losses[-1] < 1e-2 * traj.losses[0])
True
"""

from .functions import PROBLEMS, Beale, Himmelblau, Problem, Quadratic, Rosenbrock, Saddle, TwoBasins
from .minibatch import MinibatchRuns, minibatch_sgd_runs, softmax_noise_scale
from .noisy import noisy_gradient_descent
from .runner import Trajectory, run

__all__ = [
    "Problem", "Quadratic", "Rosenbrock", "Beale", "Himmelblau", "Saddle", "TwoBasins",
    "PROBLEMS", "Trajectory", "run", "noisy_gradient_descent",
    "MinibatchRuns", "minibatch_sgd_runs", "softmax_noise_scale",
]
