"""Two-dimensional test functions for the lessons, and a runner that optimises them.

* :mod:`sgdlib.problems.functions` - the test functions: :class:`Quadratic` (a bowl with a
  chosen condition number and rotation), :class:`Rosenbrock`, :class:`Beale`,
  :class:`Himmelblau`, :class:`Saddle` and :class:`TwoBasins`, all :class:`Problem` objects;
* :mod:`sgdlib.problems.runner` - :func:`run` runs an :mod:`sgdlib.optim` optimizer on a
  problem and returns a :class:`Trajectory` (its points and losses);
* :mod:`sgdlib.problems.noisy` - :func:`noisy_gradient_descent` runs gradient descent with
  gradient noise for many seeds at once (the seeds an array axis);
* :mod:`sgdlib.problems.minibatch` - :func:`minibatch_sgd_runs`, mini-batch SGD on softmax
  regression for many learning rates and seeds at once (a :class:`MinibatchRuns`), and
  :func:`softmax_noise_scale`, the gradient noise scale (chapter 3);
* :mod:`sgdlib.problems.online` - :class:`ReddiOnline`, Reddi et al.'s 1-D online problem on
  which Adam converges to the wrong point (chapter 5);
* :mod:`sgdlib.problems.momentum_theory` - momentum on a quadratic in closed form (chapter 4):
  :func:`momentum_regime` and :func:`momentum_quadratic_runs` (heavy ball or Nesterov, many
  settings and seeds at once); its rate and optimum are private (graded exercises);
* :mod:`sgdlib.problems.wilson` - :func:`wilson_construction`, Wilson et al.'s data set on
  which adaptive methods generalise worse than gradient descent (chapter 6).

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
from .online import ReddiOnline
from .momentum_theory import REGIMES, momentum_quadratic_runs, momentum_regime
from .runner import Trajectory, run
from .wilson import wilson_construction

__all__ = [
    "Problem", "Quadratic", "Rosenbrock", "Beale", "Himmelblau", "Saddle", "TwoBasins",
    "PROBLEMS", "Trajectory", "run", "noisy_gradient_descent",
    "MinibatchRuns", "minibatch_sgd_runs", "softmax_noise_scale",
    "ReddiOnline",
    "momentum_regime", "REGIMES", "momentum_quadratic_runs",
    "wilson_construction",
]
