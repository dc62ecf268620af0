"""Chapter 3's graded exercises: mini-batches, the learning rate that goes with them, and the
gradient noise scale that says how large a batch pays.

They are graded in ``solutions/03_exercises_mini_batches.ipynb`` (and the generated
``exercises/03_exercises_mini_batches.ipynb``), in the order of their ``number``.
"""
