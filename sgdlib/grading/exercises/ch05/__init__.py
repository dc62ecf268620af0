"""Chapter 5's graded exercises: the steps of AdaGrad, RMSprop, Adam (with AMSGrad) and AdamW,
each returning new parameters and a new state under torch's keys, and Adam on Reddi, Kale and
Kumar's (2018) counter-example.

They are graded in ``solutions/05_exercises_adaptive_methods.ipynb`` (and the generated
``exercises/05_exercises_adaptive_methods.ipynb``), in the order of their ``number``.
"""
