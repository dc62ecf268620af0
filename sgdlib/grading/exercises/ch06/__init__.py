"""Chapter 6's graded exercises: the pieces of training a network end to end - the loss and its
gradient, one layer's backward pass, a warm-up then cosine schedule, clipping by global norm,
and the pick of a learning-rate range test.

They are graded in ``solutions/06_exercises_training_a_network.ipynb`` (and the generated
``exercises/06_exercises_training_a_network.ipynb``), in the order of their ``number``.
"""
