"""Interactive explorers: sliders that answer a "what if" question, with a figure that follows.

* :mod:`sgdlib.explorers.base` - the machinery every explorer shares: the :class:`Explorer`
  base class (a figure drawn with Agg into a PNG shown in an ``Output`` widget, redrawn only
  where it changes), the sliders' style and the timing of each update;
* :mod:`sgdlib.explorers.gradient_descent` - chapter 1: :class:`GDExplorer` (gradient descent
  on a quadratic bowl) and :func:`gd_figure`, a still of it;
* :mod:`sgdlib.explorers.two_basins` - chapter 2: :class:`TwoBasinsExplorer` (noisy gradient
  descent from the shallow basin of the two-basin landscape, many seeds) and
  :func:`two_basins_figure`, a still of it;
* :mod:`sgdlib.explorers.batch_size` - chapter 3: :class:`BatchSizeExplorer` (mini-batch SGD on
  the digits: loss by step, by examples and by modelled time, and the gradient noise scale, for a
  batch size and a learning rate) and :func:`batch_size_figure`, a still of it;
* :mod:`sgdlib.explorers.momentum` - chapter 4: :class:`MomentumExplorer` (learning rate and
  momentum on the ill-conditioned bowl: the path, the error of each eigen-component and the point
  on the rate map) and :func:`momentum_figure`, a still of it;
* :mod:`sgdlib.explorers.momentum_race` - chapter 4: :class:`MomentumRaceExplorer` (gradient
  descent, heavy ball and Nesterov on a chosen problem) and :func:`momentum_race_figure`;
* :mod:`sgdlib.explorers.optimizer_race` - chapter 5: :class:`OptimizerRaceExplorer` (SGD,
  momentum, Adagrad, RMSprop and Adam, each at its own learning rate, on a chosen 2-D problem from
  random starts: paths and loss curves) and :func:`optimizer_race_figure`, a still of it;
* :mod:`sgdlib.explorers.training` - chapter 6: :class:`TrainingExplorer` (the digits MLP trained
  for a few epochs and seeds with a chosen optimizer, learning rate, schedule and batch size:
  training and validation curves) and :func:`training_figure`, a still of it.

A later chapter adds its explorer as a new module here (one module per explorer, or per
chapter topic), subclassing :class:`Explorer`, and exports it below; it does not lengthen the
modules that exist. Drawing helpers that a second explorer or a lesson also needs go in
:mod:`sgdlib.plotting`, not in an explorer.

Examples
--------
>>> from sgdlib.explorers import GDExplorer, gd_figure
>>> explorer = GDExplorer(steps=50)     # in a notebook, a bare `explorer` shows the sliders
>>> fig, traj = gd_figure(lr=1.9, condition_number=20.0, angle_deg=30.0, start=(-4.0, 2.0), steps=50)
>>> traj.diverged
False
"""

from .base import Explorer
from .batch_size import BatchSizeExplorer, batch_size_figure
from .gradient_descent import GDExplorer, gd_figure
from .momentum import MomentumExplorer, momentum_figure
from .momentum_race import MomentumRaceExplorer, momentum_race_figure
from .optimizer_race import OptimizerRaceExplorer, optimizer_race_figure
from .training import TrainingExplorer, training_figure
from .two_basins import TwoBasinsExplorer, two_basins_figure

__all__ = ["Explorer", "GDExplorer", "gd_figure", "TwoBasinsExplorer", "two_basins_figure",
           "BatchSizeExplorer", "batch_size_figure", "TrainingExplorer", "training_figure",
           "MomentumExplorer", "momentum_figure", "MomentumRaceExplorer", "momentum_race_figure",
           "OptimizerRaceExplorer", "optimizer_race_figure"]
