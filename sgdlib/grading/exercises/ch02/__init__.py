"""Chapter 2's graded exercises: stochastic gradient descent, its noise and its schedule.

They are graded in ``solutions/02_exercises_stochastic_gradient_descent.ipynb`` (and the
generated ``exercises/02_exercises_stochastic_gradient_descent.ipynb``), in the order of their
``number``.
"""
