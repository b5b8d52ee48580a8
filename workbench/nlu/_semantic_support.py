"""Semantic support: how close a message's meaning comes to one of its intent's examples.

Lexical support (``_support``) asks whether a message shares words with its intent's
utterances; this asks whether it *means* something close to one of them: the best cosine
between the message's sentence vector and the vectors of that intent's training utterances.
Confidence is multiplied by ``min(1, similarity / SEMANTIC_FULL)``.

Why: out-of-scope text that happens to score high with the linear model is seldom near any one
example. On CLINC150 train, 20 examples per intent (two draws) scored on 20 other train
messages per intent and the 250 out-of-scope ``oos_train`` messages of OOS+, rejecting 2.5% of
right answers rejects 70% of out-of-scope messages with confidence alone and 76-83% with this
factor; 10 examples per intent on val + oos_val: 63% and 72%. With ``none`` examples (the full
train + oos_train on val) it changes nothing for the static vectors: the ``none`` class does that
work. The embedding engine's transformer vectors tell meaning apart better: there, cutting 1%
of the right answers on val itself, 76% of out-of-scope messages are turned away instead of
72%. Every engine with sentence vectors has it (``default`` and ``static``: the static vectors;
``embed``: the transformer's). With the static vectors, half of the right answers have a
similarity of 0.74-0.85 to their nearest example, half the out-of-scope messages 0.50-0.55.

The vectors are saved as int8 with one scale per row (the cosine moves by about 0.002): a byte
per dimension and example plus 12 bytes, 4.05 MB for CLINC150's 15,100 static vectors. In
memory, the classes a process has scored are kept as float32 rows (so one product per message,
no conversion): up to 4x that, 15 MB for all of CLINC150's classes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from workbench.nlu._support import factor, factor_of

__all__ = ["SEMANTIC_FULL", "SemanticSupport", "semantic_factor", "semantic_factors"]

SEMANTIC_FULL = 0.8
"""Similarity from which a message keeps its whole confidence (the 60th percentile of right
answers' similarity in the study above; 0.7 gave 1 to 2 points less out-of-scope recall, the
plain product the same as 0.8)."""
Vectors = npt.NDArray[np.float32]


class SemanticSupport:
    """The training utterances' unit vectors (int8, a scale per row), grouped by class."""

    def __init__(
        self, codes: npt.NDArray[np.int8], scales: Vectors, labels: npt.NDArray[np.int64]
    ) -> None:
        self.codes = codes
        self.scales = scales
        self.labels = labels
        self._classes: dict[int, Vectors] = {}

    @classmethod
    def of_vectors(cls, vectors: Vectors, labels: npt.NDArray[np.int64]) -> SemanticSupport:
        """From float vectors (training)."""
        peak = np.abs(vectors).max(axis=1)
        scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
        codes = np.rint(vectors / scales[:, None]).astype(np.int8)
        return cls(codes, scales, np.asarray(labels, dtype=np.int64))

    def _rows(self, label: int) -> Vectors:
        """Class ``label``'s vectors as float32, worked out on the class's first message."""
        rows = self._classes.get(label)
        if rows is None:
            members = self.labels == label
            rows = self.codes[members].astype(np.float32) * self.scales[members, None]
            self._classes[label] = rows
        return rows

    def of_vector(self, vector: Vectors, label: int) -> float:
        """Best cosine between a message's unit vector and class ``label``'s examples."""
        rows = self._rows(label)
        if not len(rows):
            return 0.0
        return float((rows @ vector).max())

    def of_matrix(self, vectors: Vectors, labels: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """:meth:`of_vector` of many messages, each for its own class."""
        result = np.zeros(len(vectors))
        for label in np.unique(labels).tolist():
            members = np.flatnonzero(labels == label)
            rows = self._rows(label)
            if len(rows):
                result[members] = (vectors[members] @ rows.T).max(axis=1)
        return result

    def state(self) -> dict[str, npt.NDArray[Any]]:
        return {
            "semantic_codes": self.codes,
            "semantic_scales": self.scales,
            "semantic_labels": self.labels,
        }

    @classmethod
    def from_state(cls, arrays: dict[str, npt.NDArray[Any]]) -> SemanticSupport | None:
        """The support saved by :meth:`state`, ``None`` for a model saved without one."""
        if "semantic_codes" not in arrays:
            return None
        return cls(
            arrays["semantic_codes"].astype(np.int8, copy=False),
            arrays["semantic_scales"].astype(np.float32, copy=False),
            arrays["semantic_labels"].astype(np.int64, copy=False),
        )


def semantic_factor(similarity: float) -> float:
    """The share of confidence a message keeps for its semantic support: the lexical support's
    :func:`~workbench.nlu._support.factor_of` with ``SEMANTIC_FULL`` (a cosine can be below 0,
    a support cannot: such a message keeps nothing)."""
    return factor_of(similarity if similarity > 0.0 else 0.0, SEMANTIC_FULL)


def semantic_factors(similarity: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """:func:`semantic_factor` of many messages."""
    return factor(np.maximum(similarity, 0.0), SEMANTIC_FULL)
