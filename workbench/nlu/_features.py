"""Intent features: TF-IDF over word 1- and 2-grams and over char n-grams inside words.

A saved model needs only its vocabulary and IDF weights (JSON + arrays, no pickles). Each block
(words, characters) is L2-normalised on its own, then weighted, so neither drowns the other.
Training counts n-gram strings (:func:`analyze`); one text at prediction time goes through
:mod:`workbench.nlu._text_row`, which gives the same numbers from per-word lookup tables. Sparse
matrices (scipy) are built for training and batches only, so parsing one text never imports scipy.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from workbench.nlu._text_row import RowEncoder, TextRow
from workbench.nlu._tokens import CHAR_SIZES, char_grams, normalize, words

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["CHAR_SIZES", "Featurizer", "normalize", "words"]

WORD_WEIGHT = 1.0
CHAR_WEIGHT = 1.0


def analyze(text: str) -> tuple[Counter[str], Counter[str]]:
    """Word uni/bigram counts and char n-gram counts (``" word "`` padded, like char_wb)."""
    tokens = words(text)
    word_counts: Counter[str] = Counter(tokens)
    word_counts.update(f"{a} {b}" for a, b in itertools.pairwise(tokens))
    grams: list[str] = []
    for token in tokens:
        grams.extend(char_grams(token))
    return word_counts, Counter(grams)


@dataclass(frozen=True)
class _Block:
    vocabulary: dict[str, int]
    idf: npt.NDArray[np.float64]
    weight: float
    idf_list: list[float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "idf_list", self.idf.tolist())

    def row(self, counts: Counter[str], offset: int) -> tuple[list[int], list[float]]:
        columns: list[int] = []
        values: list[float] = []
        for term, count in counts.items():
            column = self.vocabulary.get(term)
            if column is not None:
                columns.append(column + offset)
                values.append((1.0 + math.log(count)) * self.idf_list[column])
        norm = math.sqrt(sum(v * v for v in values))
        if norm > 0:
            scale = self.weight / norm
            values = [v * scale for v in values]
        return columns, values


def _fit_block(docs: Sequence[Counter[str]], min_df: int, weight: float) -> _Block:
    frequency: Counter[str] = Counter()
    for counts in docs:
        frequency.update(counts.keys())
    terms = sorted(t for t, f in frequency.items() if f >= min_df)
    vocabulary = {t: i for i, t in enumerate(terms)}
    n = len(docs)
    df = np.array([frequency[t] for t in terms], dtype=np.float64)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    return _Block(vocabulary, idf, weight)


class Featurizer:
    """Sparse TF-IDF features of texts; fitted on training texts, then fixed."""

    def __init__(self, word: _Block, char: _Block) -> None:
        self._word = word
        self._char = char
        self._encoder = RowEncoder(
            word.vocabulary, word.idf_list, word.weight, char.vocabulary, char.idf_list, char.weight
        )

    @classmethod
    def fit_transform(
        cls, texts: Sequence[str], min_df: int | None = None
    ) -> tuple[Featurizer, sp.csr_matrix]:
        """Learn the vocabulary (``min_df`` defaults to 2 for large data, 1 for small) and
        return the featurizer with the features of ``texts``."""
        if min_df is None:
            min_df = 2 if len(texts) >= 2000 else 1
        analyzed = [analyze(t) for t in texts]
        word = _fit_block([w for w, _ in analyzed], min_df, WORD_WEIGHT)
        char = _fit_block([c for _, c in analyzed], min_df, CHAR_WEIGHT)
        featurizer = cls(word, char)
        return featurizer, featurizer._matrix(featurizer._rows(w, c) for w, c in analyzed)

    @property
    def tfidf_size(self) -> int:
        return len(self._word.vocabulary) + len(self._char.vocabulary)

    @property
    def size(self) -> int:
        """Columns of a feature matrix."""
        return self.tfidf_size

    @property
    def word_size(self) -> int:
        """Columns ``[0, word_size)`` are the word block (a unit vector per text, or zeros)."""
        return len(self._word.vocabulary)

    def coverage(self, text: str) -> float:
        """Square root of the share of the text's words seen in training (0 without words)."""
        tokens = words(text)
        if not tokens:
            return 0.0
        known = sum(1 for token in tokens if token in self._word.vocabulary)
        return math.sqrt(known / len(tokens))

    def coverage_among(self, text: str, seen: npt.NDArray[np.bool_]) -> float:
        """:meth:`coverage` as if the vocabulary were the columns ``seen`` (held-out folds)."""
        tokens = words(text)
        if not tokens:
            return 0.0
        columns = [self._word.vocabulary.get(token) for token in tokens]
        known = sum(1 for column in columns if column is not None and seen[column])
        return math.sqrt(known / len(tokens))

    def as_unseen(self, rows: sp.csr_matrix, seen: npt.NDArray[np.bool_]) -> sp.csr_matrix:
        """``rows`` as they would be for text not in the training data when only the TF-IDF
        columns ``seen`` are in the vocabulary: the others dropped, each block normalised
        again (columns past the TF-IDF blocks are kept as they are).

        Held-out folds need this: the vocabulary was learnt from every training text, so a
        held-out example keeps the n-grams only it has, which take part of its unit length
        but get no weight from a model that never saw them; an unseen message loses them
        instead, and its known n-grams weigh more. Scored as they were, held-out examples
        looked far less sure than new messages (5 examples per intent: the calibrated
        threshold rejected 15% of right answers in the folds and 4% on new messages).
        """
        import scipy.sparse as sp

        keep = np.ones(rows.shape[1], dtype=np.float64)
        keep[: len(seen)] = seen
        rows = (rows @ sp.diags(keep)).tocsr()
        word, tfidf = self.word_size, self.tfidf_size
        blocks = [
            _normalized_rows(rows[:, :word], self._word.weight),
            _normalized_rows(rows[:, word:tfidf], self._char.weight),
        ]
        if rows.shape[1] > tfidf:
            blocks.append(rows[:, tfidf:])
        return sp.hstack(blocks, format="csr")

    def row(self, text: str) -> tuple[list[int], list[float]]:
        """One text's nonzero columns and values."""
        encoded = self.text_row(text)
        return encoded.columns, encoded.values

    def text_row(self, text: str) -> TextRow:
        """One text's features with its word-block part and coverage (the path of ``parse``)."""
        return self._encoder.encode(text)

    def _rows(
        self, word_counts: Counter[str], char_counts: Counter[str]
    ) -> tuple[list[int], list[float]]:
        columns, values = self._word.row(word_counts, 0)
        more_columns, more_values = self._char.row(char_counts, len(self._word.vocabulary))
        return columns + more_columns, values + more_values

    def transform(self, texts: Iterable[str]) -> sp.csr_matrix:
        return self._matrix(self._tfidf_row(text) for text in texts)

    def _tfidf_row(self, text: str) -> tuple[list[int], list[float]]:
        encoded = self._encoder.encode(text)
        return encoded.columns, encoded.values

    def _matrix(self, rows: Iterable[tuple[list[int], list[float]]]) -> sp.csr_matrix:
        import scipy.sparse as sp  # training and batches only: parsing one text needs no scipy

        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for columns, values in rows:
            indices.extend(columns)
            data.extend(values)
            indptr.append(len(indices))
        return sp.csr_matrix(
            (np.array(data, dtype=np.float64), np.array(indices, dtype=np.int32), indptr),
            shape=(len(indptr) - 1, self.tfidf_size),
        )

    # --- saving ---------------------------------------------------------------------------
    def state(self) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
        """JSON-able metadata and arrays that :meth:`from_state` turns back into a featurizer."""
        meta = {
            "word_terms": sorted(self._word.vocabulary, key=self._word.vocabulary.__getitem__),
            "char_terms": sorted(self._char.vocabulary, key=self._char.vocabulary.__getitem__),
            "weights": [self._word.weight, self._char.weight],
        }
        arrays = {"word_idf": self._word.idf, "char_idf": self._char.idf}
        return meta, arrays

    @classmethod
    def from_state(cls, meta: dict[str, Any], arrays: dict[str, npt.NDArray[Any]]) -> Featurizer:
        word_weight, char_weight = meta["weights"]
        word = _Block(
            {t: i for i, t in enumerate(meta["word_terms"])}, arrays["word_idf"], word_weight
        )
        char = _Block(
            {t: i for i, t in enumerate(meta["char_terms"])}, arrays["char_idf"], char_weight
        )
        return cls(word, char)


def _normalized_rows(rows: sp.csr_matrix, weight: float) -> sp.csr_matrix:
    """Each nonzero row scaled to length ``weight``."""
    import scipy.sparse as sp

    norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
    scale = np.divide(weight, norms, out=np.zeros_like(norms), where=norms > 0)
    return (sp.diags(scale) @ rows).tocsr()
