"""Lexical support: how much of a message the training utterances of its intent account for.

A linear model always picks *some* intent, and with little training data its scores say little
about text it has never seen ("The parcel came late" is not ``stop``). The support of a message
for an intent is the best cosine similarity (word 1- and 2-grams, TF-IDF) between the message and
one of that intent's utterances, scaled by the square root of the share of the message's words seen
in training. Confidence is multiplied by ``min(1, support / FULL_SUPPORT)``: paraphrases that
share a few real words keep their confidence, unrelated text loses it.

The utterances are kept as the three arrays of a CSR matrix. Many messages at once (training,
``predict``) go through scipy; one message goes through its intent's utterances arranged for it
on first use (``_class_rows``), so that parsing needs no scipy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from workbench.nlu._class_rows import PostingRows, class_rows

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["FULL_SUPPORT", "Support", "factor", "factor_of", "full_support"]

FULL_SUPPORT = 0.3
"""Support from which a message keeps its whole confidence, for a bot of up to
``FEW_INTENTS`` intents (CLINC150: 99% of in-scope test messages have at least this much). A
classifier of a few intents always picks one of them, so what the message shares with the
examples is the main sign that it is out of scope ("The parcel came late" is not ``stop``)."""
MANY_SUPPORT = 0.1
"""The same from ``MANY_INTENTS`` intents on. There the classifier's own score tells out of
scope apart, and a right answer often shares few words with 5 to 10 examples of its intent:
with 150 intents of 5 examples, rejecting 45% of CLINC150's out-of-scope validation messages
cost 2.1 points of in-scope accuracy at 0.3, 1.1 at 0.1."""
FEW_INTENTS = 10
MANY_INTENTS = 50


class Support:
    """Word-block rows of the training utterances (CSR arrays), grouped by class."""

    def __init__(
        self,
        data: npt.NDArray[np.floating],
        indices: npt.NDArray[np.integer],
        indptr: npt.NDArray[np.integer],
        labels: npt.NDArray[np.int64],
        width: int,
        full: float = FULL_SUPPORT,
    ) -> None:
        self.full = full
        """Support from which a message keeps its whole confidence (see :func:`full_support`)."""
        self.data = data
        self.indices = indices
        self.indptr = indptr
        self.labels = labels
        self.width = width
        self._classes: dict[int, PostingRows | None] = {}
        self._by_class: dict[int, sp.csr_matrix] | None = None
        self._indptr: list[int] | None = None

    @classmethod
    def of_rows(
        cls, rows: sp.csr_matrix, labels: npt.NDArray[np.int64], full: float = FULL_SUPPORT
    ) -> Support:
        """From a CSR matrix of word-block rows (training)."""
        return cls(rows.data, rows.indices, rows.indptr, labels, rows.shape[1], full)

    @property
    def rows(self) -> sp.csr_matrix:
        import scipy.sparse as sp

        return sp.csr_matrix(
            (self.data, self.indices, self.indptr), shape=(len(self.indptr) - 1, self.width)
        )

    def of_row(
        self, columns: Sequence[int], values: Sequence[float], label: int, coverage: float
    ) -> float:
        """Support of one message (its word-block columns and values) for class ``label``:
        the same to the last bit as the sparse product (see ``_class_rows``)."""
        if not columns or coverage == 0:
            return 0.0
        try:
            rows = self._classes[label]
        except KeyError:  # the class's first message
            rows = self._classes[label] = class_rows(self._rows_of(label))
        if rows is None:
            return 0.0
        return rows.best(columns, values) * coverage

    def _rows_of(self, label: int) -> list[tuple[list[int], list[float]]]:
        if self._indptr is None:
            self._indptr = self.indptr.tolist()
        indptr = self._indptr
        rows = []
        for row in np.flatnonzero(self.labels == label).tolist():
            start, end = indptr[row], indptr[row + 1]
            rows.append((self.indices[start:end].tolist(), self.data[start:end].tolist()))
        return rows

    def of_matrix(
        self,
        words: sp.csr_matrix,
        labels: npt.NDArray[np.int64],
        coverage: npt.NDArray[np.float64],
    ) -> npt.NDArray[np.float64]:
        """Support of many messages, each for its own class."""
        if self._by_class is None:
            rows = self.rows
            self._by_class = {int(c): rows[self.labels == c] for c in np.unique(self.labels)}
        result = np.zeros(words.shape[0])
        for label in np.unique(labels):
            members = np.flatnonzero(labels == label)
            class_rows = self._by_class.get(int(label))
            if class_rows is None or class_rows.shape[0] == 0:
                continue
            best = (words[members] @ class_rows.T).max(axis=1).toarray().ravel()
            result[members] = best
        return result * coverage


def full_support(intents: int) -> float:
    """The support from which a message keeps its whole confidence, for a bot of ``intents``
    intents: ``FULL_SUPPORT`` up to ``FEW_INTENTS``, ``MANY_SUPPORT`` from ``MANY_INTENTS``,
    in a straight line between."""
    if intents <= FEW_INTENTS:
        return FULL_SUPPORT
    if intents >= MANY_INTENTS:
        return MANY_SUPPORT
    share = (intents - FEW_INTENTS) / (MANY_INTENTS - FEW_INTENTS)
    return round(FULL_SUPPORT + share * (MANY_SUPPORT - FULL_SUPPORT), 6)


def factor(
    support: npt.NDArray[np.float64] | float, full: float = FULL_SUPPORT
) -> npt.NDArray[np.float64]:
    """The share of confidence a message keeps."""
    return np.minimum(1.0, np.asarray(support, dtype=np.float64) / full)


def factor_of(support: float, full: float = FULL_SUPPORT) -> float:
    """:func:`factor` of one message, as a float."""
    share = support / full
    return 1.0 if share > 1.0 else share
