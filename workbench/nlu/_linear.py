"""Linear scores of every class for sparse features (prediction only: numpy, no scikit-learn)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

__all__ = ["Floats", "LinearModel"]

Floats = npt.NDArray[np.float32]


@dataclass(frozen=True)
class LinearModel:
    """Scores of every class: ``x @ weights + bias``; ``weights`` is (features, classes)."""

    weights: Floats
    bias: Floats

    def decision(self, features: sp.csr_matrix) -> Floats:
        scores = features @ self.weights
        return np.asarray(scores, dtype=np.float32) + self.bias

    def decision_row(self, columns: Sequence[int], values: Sequence[float]) -> Floats:
        """Scores of one sparse row, without building a matrix (the fast path of ``parse``)."""
        if not columns:
            return self.bias.copy()
        rows = self.weights[np.asarray(columns, dtype=np.intp)]
        return np.asarray(np.asarray(values, dtype=np.float32) @ rows + self.bias)
