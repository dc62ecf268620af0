"""Chapter 1's graded exercises: gradients and plain gradient descent.

They are graded in ``solutions/01_exercises_gradient_descent.ipynb`` (and the generated
``exercises/01_exercises_gradient_descent.ipynb``), in the order of their ``number``.
"""
