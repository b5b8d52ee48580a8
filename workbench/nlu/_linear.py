"""Linear scores of every class for sparse features (prediction only: numpy, no scikit-learn)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
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

    def decision_row(
        self, columns: Sequence[int], values: Sequence[float], dense: Floats | None = None
    ) -> Floats:
        """Scores of one sparse row, without building a matrix (the fast path of ``parse``);
        ``dense`` holds the values of the last ``len(dense)`` features, if any.

        The rows of the text's columns are gathered and summed in float32 by one BLAS call, in
        the order of ``columns`` (the order is part of the result: float sums are not
        associative).
        """
        scores: Floats = self.bias.copy()
        if dense is not None:
            scores += dense.dot(self.weights[len(self.weights) - len(dense) :])
        if not columns:
            return scores
        rows = self.weights.take(columns, 0)
        summed: Floats = np.array(values, dtype=np.float32).dot(rows)
        return summed + scores
