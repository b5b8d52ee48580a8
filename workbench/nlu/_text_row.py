"""The features of one text, fast: what ``parse`` needs, from per-word lookup tables.

A message is short, so turning it into features is mostly Python overhead: counting every char
n-gram string, looking each one up, reading IDF weights out of a numpy array one by one. Here a
word's in-vocabulary char n-gram columns are worked out once (then kept, words repeat) and IDF
weights are plain floats, so a text costs a few dictionary operations per word. The numbers, and
the order of the columns, are exactly those of the training-time path
(:func:`workbench.nlu._features.analyze` then ``_Block.row``): the linear scores sum the values
in that order, in float32, so the order is part of the result.
"""

from __future__ import annotations

import math
from collections import _count_elements  # type: ignore[attr-defined]  # Counter's C loop
from dataclasses import dataclass
from itertools import chain, pairwise

from workbench.nlu._tokens import char_grams, words

__all__ = ["RowEncoder", "TextRow"]

WORD_MEMO = 50_000
"""Words whose char n-gram columns are kept (then the memo starts again)."""
_TF = [0.0] + [1.0 + math.log(count) for count in range(1, 65)]
"""Sublinear term frequency ``1 + log(count)``, worked out once for the usual counts."""


@dataclass(frozen=True, slots=True)
class TextRow:
    """One text's nonzero feature columns and values (word block first), its word-block part
    (the first ``word_count`` entries) and its coverage (see ``Featurizer.coverage``)."""

    columns: list[int]
    values: list[float]
    word_count: int
    coverage: float


class RowEncoder:
    """Lookup tables of a fitted featurizer: term → column, IDF as floats (one list for both
    blocks, indexed by column), word → char columns."""

    def __init__(
        self,
        word_vocabulary: dict[str, int],
        word_idf: list[float],
        word_weight: float,
        char_vocabulary: dict[str, int],
        char_idf: list[float],
        char_weight: float,
    ) -> None:
        self._words = word_vocabulary
        self._word_weight = word_weight
        self._chars = char_vocabulary
        self._char_weight = char_weight
        self._offset = len(word_vocabulary)
        self._idf = word_idf + char_idf
        self._char_columns: dict[str, tuple[int, ...]] = {}

    def encode(self, text: str) -> TextRow:
        tokens = words(text)
        if not tokens:
            return TextRow([], [], 0, 0.0)
        vocabulary = self._words
        counts: dict[int, int] = {}
        known = 0
        for token in tokens:
            column = vocabulary.get(token)
            if column is not None:
                known += 1
                counts[column] = counts.get(column, 0) + 1
        for a, b in pairwise(tokens):
            column = vocabulary.get(f"{a} {b}")
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        columns, values = self._block(counts, self._word_weight)
        word_count = len(columns)
        grams: dict[int, int] = {}
        _count_elements(grams, chain.from_iterable(map(self._char_columns_of, tokens)))
        more_columns, more_values = self._block(grams, self._char_weight)
        return TextRow(
            columns + more_columns,
            values + more_values,
            word_count,
            math.sqrt(known / len(tokens)),
        )

    def _block(self, counts: dict[int, int], weight: float) -> tuple[list[int], list[float]]:
        """Sublinear TF times IDF, L2-normalised then weighted: the numbers of ``_Block.row``
        (``(1 + log 1) * idf`` is ``idf`` exactly), computed a list at a time."""
        columns = list(counts)
        values = list(map(self._idf.__getitem__, columns))
        if sum(counts.values()) != len(columns):  # some term repeats
            for i, count in enumerate(counts.values()):
                if count > 1:
                    tf = _TF[count] if count < len(_TF) else 1.0 + math.log(count)
                    values[i] = tf * values[i]
        norm = math.sqrt(sum([v * v for v in values]))
        if norm > 0:
            scale = weight / norm
            values = [v * scale for v in values]
        return columns, values

    def _char_columns_of(self, token: str) -> tuple[int, ...]:
        """The columns of a word's in-vocabulary char n-grams, in n-gram order, repeats kept."""
        found = self._char_columns.get(token)
        if found is None:
            vocabulary, offset = self._chars, self._offset
            found = tuple(vocabulary[g] + offset for g in char_grams(token) if g in vocabulary)
            if len(self._char_columns) >= WORD_MEMO:
                self._char_columns.clear()
            self._char_columns[token] = found
        return found
