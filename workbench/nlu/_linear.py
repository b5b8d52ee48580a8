"""Linear scores of every class for sparse features (prediction only: numpy, no scikit-learn)."""

from __future__ import annotations

import struct
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

    def decision_row(self, columns: Sequence[int], values: Sequence[float]) -> Floats:
        """Scores of one sparse row, without building a matrix (the fast path of ``parse``).

        The rows of the text's columns are gathered and summed in float32 by one BLAS call, in
        the order of ``columns`` (the order is part of the result: float sums are not
        associative).
        """
        if not columns:
            return self.bias.copy()
        vector, indices = _arrays(columns, values)
        scores: Floats = vector.dot(self.weights.take(indices, 0))
        return scores + self.bias


PACKED = 32
"""Nonzeros from which a row's lists become arrays through ``struct`` (see :func:`_arrays`)."""


def _arrays(
    columns: Sequence[int], values: Sequence[float]
) -> tuple[Floats, Sequence[int] | npt.NDArray[np.int64]]:
    """``values`` as float32, and ``columns`` as indices (a list will do for ``take``).

    numpy converts a list one element at a time through its generic machinery; ``struct``
    packs it two to three times cheaper, but costs more to set up: it wins from ``PACKED``
    elements (the longer messages). Packing ``f`` rounds each float to float32 with the same
    C cast as numpy, and the BLAS call reads the same numbers either way.
    """
    count = len(columns)
    if count < PACKED:
        return np.array(values, dtype=np.float32), columns
    return (
        np.frombuffer(struct.pack(f"{count}f", *values), np.float32),
        np.frombuffer(struct.pack(f"{count}q", *columns), np.int64),
    )
