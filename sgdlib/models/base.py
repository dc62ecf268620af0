"""The base class of every model: ``params``, the public methods and their input checks.

A subclass writes the maths, without checks, in four small methods:

* ``_loss(X, y)`` - the mean loss;
* ``_loss_and_grads(X, y)`` - the forward pass, then the backward pass walking it in reverse;
* ``_predict(X)`` - the prediction (a class label for classifiers);
* ``_describe()`` - the constructor call, for ``repr``;

and a classifier sets ``n_classes`` and writes ``_logits(X)`` (one score per class) or its own
``_predict`` and ``_proba``. The public methods check ``X`` and ``y`` and then call them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_array
from .functional import _log_softmax

__all__ = ["Model"]


class Model:
    """Base class: ``params``, the public ``loss`` / ``loss_and_grads`` / ``predict``, input checks."""

    n_features: int
    n_classes: int | None = None      # None for regression
    params: dict[str, np.ndarray]

    # -- public API -----------------------------------------------------------------------------
    def loss(self, X: ArrayLike, y: ArrayLike) -> float:
        """The mean loss on ``(X, y)``."""
        X, y = self._check_inputs(X, y)
        return self._loss(X, y)

    def loss_and_grads(self, X: ArrayLike, y: ArrayLike) -> tuple[float, dict[str, np.ndarray]]:
        """The mean loss on ``(X, y)`` and its gradient, a dict shaped like ``params``."""
        X, y = self._check_inputs(X, y)
        return self._loss_and_grads(X, y)

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Predictions for the rows of ``X``: real values (regression) or class labels."""
        return self._predict(self._check_X(X))

    @property
    def n_params(self) -> int:
        """Total number of scalar parameters."""
        return sum(p.size for p in self.params.values())

    def __repr__(self) -> str:
        shapes = ", ".join(f"{k}: {p.shape}" for k, p in self.params.items())
        return f"{self._describe()} with {self.n_params} parameters {{{shapes}}}"

    # -- what subclasses write ------------------------------------------------------------------
    def _describe(self) -> str:  # pragma: no cover - every subclass overrides these
        raise NotImplementedError

    def _loss(self, X: np.ndarray, y: np.ndarray) -> float:  # pragma: no cover
        raise NotImplementedError

    def _loss_and_grads(self, X: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:  # pragma: no cover
        raise NotImplementedError

    def _predict(self, X: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    # -- checks ---------------------------------------------------------------------------------
    def _check_X(self, X) -> np.ndarray:
        X = check_array("X", X, ndim=2)
        if X.shape[1] != self.n_features:
            raise ValueError(
                f"X must have {self.n_features} columns (features) for this model, got shape {X.shape}"
            )
        return X if X.dtype.kind == "f" else X.astype(np.float64)

    def _check_inputs(self, X, y) -> tuple[np.ndarray, np.ndarray]:
        X = self._check_X(X)
        if self.n_classes is None:
            y = check_array("y", y, ndim=1, dtype_kind="fiu")
        else:
            y = check_array("y", y, ndim=1, dtype_kind="fiub")
            if y.dtype.kind == "f":
                raise TypeError(
                    f"y must hold integer class labels 0..{self.n_classes - 1}, got dtype {y.dtype}; "
                    "convert with y.astype(int)"
                )
        if len(y) != len(X):
            raise ValueError(f"X and y must have the same number of rows, got {len(X)} and {len(y)}")
        if len(y) == 0:
            raise ValueError("X and y are empty: give at least one sample")
        if self.n_classes is not None:
            lo, hi = int(y.min()), int(y.max())
            if lo < 0 or hi >= self.n_classes:
                raise ValueError(
                    f"y must hold class labels 0..{self.n_classes - 1}, got values from {lo} to {hi}"
                )
            y = y.astype(np.intp, copy=False)
        return X, y


class _Classifier(Model):
    """A model of class labels: it predicts the most probable class and reports its accuracy."""

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Class probabilities, shape ``(n, k)`` (``(n,)``: P(y = 1) for logistic regression)."""
        return self._proba(self._check_X(X))

    def accuracy(self, X: ArrayLike, y: ArrayLike) -> float:
        """Fraction of the rows of ``X`` whose predicted class equals ``y``."""
        X, y = self._check_inputs(X, y)
        return float(np.mean(self._predict(X) == y))

    def _logits(self, X: np.ndarray) -> np.ndarray:  # pragma: no cover - subclasses write it
        raise NotImplementedError

    def _predict(self, X: np.ndarray) -> np.ndarray:
        return np.argmax(self._logits(X), axis=1)   # the largest logit is the most probable class

    def _proba(self, X: np.ndarray) -> np.ndarray:
        return np.exp(_log_softmax(self._logits(X)))
