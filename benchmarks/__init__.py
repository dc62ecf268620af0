"""Benchmarks of SGD from Scratch: ``python -m benchmarks`` (or ``make bench``).

One module per benchmark, each with a ``run(...)`` that returns a :class:`~benchmarks._common.Table`:

* :mod:`benchmarks.optim_step` - one step of each optimizer on the digits MLP's arrays (float64)
  and on one 1,000,000-element float32 array, against ``torch.optim`` (foreach and fused), with
  the memory-traffic bound;
* :mod:`benchmarks.training` - the digits MLP, time per epoch and test accuracy, against
  scikit-learn's ``MLPClassifier`` and torch;
* :mod:`benchmarks.course` - execution time of every notebook, its slowest cell, and each
  explorer's update;
* :mod:`benchmarks.scaling` - step and epoch time against parameter count and data size (log-log);
* :mod:`benchmarks.browser` - run only when named: the explorer's key-press-to-figure latency in
  JupyterLab and Chromium.

This package imports nothing heavy, so that ``__main__`` can pin BLAS to one thread before numpy
is imported. Peers (torch, scikit-learn) are optional: a missing one is skipped with a message.
"""

BENCHMARKS = ("optim_step", "training", "course", "scaling")
