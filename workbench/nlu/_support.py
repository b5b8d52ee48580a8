"""Lexical support: how much of a message the training utterances of its intent account for.

A linear model always picks *some* intent, and with little training data its scores say little
about text it has never seen ("The parcel came late" is not ``stop``). The support of a message
for an intent is the best cosine similarity (word 1- and 2-grams, TF-IDF) between the message and
one of that intent's utterances, scaled by the square root of the share of the message's words seen
in training. Confidence is multiplied by ``min(1, support / FULL_SUPPORT)``: paraphrases that
share a few real words keep their confidence, unrelated text loses it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

__all__ = ["FULL_SUPPORT", "Support", "factor"]

FULL_SUPPORT = 0.3
"""Support from which a message keeps its whole confidence (CLINC150: 99% of in-scope test
messages have at least this much)."""


class Support:
    """Word-block rows of the training utterances, grouped by class."""

    def __init__(self, rows: sp.csr_matrix, labels: npt.NDArray[np.int64]) -> None:
        self.rows = rows
        self.labels = labels
        self._by_class = {int(c): rows[labels == c] for c in np.unique(labels)}

    def of_row(
        self, columns: Sequence[int], values: Sequence[float], label: int, coverage: float
    ) -> float:
        """Support of one message (its word-block columns and values) for class ``label``."""
        rows = self._by_class.get(label)
        if rows is None or not columns or coverage == 0:
            return 0.0
        vector = np.zeros(rows.shape[1])
        vector[np.asarray(columns, dtype=np.intp)] = values
        return float((rows @ vector).max()) * coverage

    def of_matrix(
        self,
        words: sp.csr_matrix,
        labels: npt.NDArray[np.int64],
        coverage: npt.NDArray[np.float64],
    ) -> npt.NDArray[np.float64]:
        """Support of many messages, each for its own class."""
        result = np.zeros(words.shape[0])
        for label in np.unique(labels):
            members = np.flatnonzero(labels == label)
            rows = self._by_class.get(int(label))
            if rows is None or rows.shape[0] == 0:
                continue
            best = (words[members] @ rows.T).max(axis=1).toarray().ravel()
            result[members] = best
        return result * coverage


def factor(support: npt.NDArray[np.float64] | float) -> npt.NDArray[np.float64]:
    """The share of confidence a message keeps."""
    return np.minimum(1.0, np.asarray(support, dtype=np.float64) / FULL_SUPPORT)
