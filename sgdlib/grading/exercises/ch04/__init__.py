"""Chapter 4's graded exercises: momentum and Nesterov, one step at a time, then the
eigenvalue view that says which learning rate and momentum converge fastest.

They are graded in ``solutions/04_exercises_momentum.ipynb`` (and the generated
``exercises/04_exercises_momentum.ipynb``), in the order of their ``number``.
"""
