"""The features of one text, fast: what ``parse`` needs, from per-word lookup tables.

A message is short, so turning it into features is mostly Python overhead: counting every char
n-gram string, looking each one up, reading IDF weights out of a numpy array one by one, and
every pass over a list of numbers costs. Here what a word contributes is worked out once (then
kept, words repeat): its word column, its char n-gram columns with their TF-IDF values, and the
whole row it makes on its own, which is the row of every one-word message ("yes", "small",
"done": most chat replies). A longer text joins its words' lists, then corrects the few columns
that several words share. The numbers, and the order of the columns, are exactly those of the
training-time path (:func:`workbench.nlu._features.analyze` then ``_Block.row``): the linear
scores sum the values in that order, in float32, so the order is part of the result.
"""

from __future__ import annotations

import math
from collections import _count_elements  # type: ignore[attr-defined]  # Counter's C loop
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from workbench.nlu._tokens import CHAR_SIZES, words

__all__ = ["RowEncoder", "TextRow"]

WORD_MEMO = 50_000
"""Words whose features are kept (then the memo starts again)."""
_TF = [0.0] + [1.0 + math.log(count) for count in range(1, 65)]
"""Sublinear term frequency ``1 + log(count)``, worked out once for the usual counts."""


class TextRow(NamedTuple):
    """One text's nonzero feature columns and values (word block first), its word-block part
    (the first ``word_count`` entries) and its coverage (see ``Featurizer.coverage``).

    A named tuple: a frozen dataclass costs several times more to build, once per message."""

    columns: list[int]
    values: list[float]
    word_count: int
    coverage: float
    dense: npt.NDArray[np.float32] | None = None
    """Values of the last columns, all present (sentence vectors), kept as one array: one
    product with the matching weight rows instead of 256 sparse terms (CLINC150: parse p50
    cut by about 0.1 ms)."""


class _Word(NamedTuple):
    """What one word contributes, kept in the memo."""

    column: int
    """Its word-block column, -1 when it is not in the vocabulary."""
    follow: dict[str, int] | None
    """The words that follow it in an in-vocabulary bigram, with the bigram's column."""
    chars: frozenset[int]
    """Its char n-gram columns (in the vocabulary)."""
    char_columns: list[int]
    """The same, in the order in which its n-grams first have them."""
    char_values: list[float]
    """Their TF-IDF values in the word alone (not normalised)."""
    char_squares: list[float]
    """The squares of those."""
    repeats: dict[int, int]
    """The char columns that it has more than once, with how often."""
    alone: TextRow
    """The row of a text made of this word alone: never handed out, only copies of it."""


class RowEncoder:
    """Lookup tables of a fitted featurizer: term → column (char n-grams: their column in the
    whole row), IDF as floats and their squares (one list for both blocks, indexed by column),
    the bigrams by their first word; and the memo of what each word contributes."""

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
        self._char_columns = {
            gram: column + len(word_vocabulary) for gram, column in char_vocabulary.items()
        }
        self._char_weight = char_weight
        self._alphabet = set("".join(char_vocabulary))
        self._idf = word_idf + char_idf
        self._squares = [v * v for v in self._idf]
        self._follow: dict[str, dict[str, int]] = {}
        for term, column in word_vocabulary.items():
            first, space, second = term.partition(" ")
            if space:
                self._follow.setdefault(first, {})[second] = column
        self._memo: dict[str, _Word] = {}

    def encode(self, text: str) -> TextRow:
        tokens = words(text)
        memo = self._memo
        if len(tokens) == 1:
            row = (memo.get(tokens[0]) or self._learn(tokens[0])).alone
            return TextRow(row.columns[:], row.values[:], row.word_count, row.coverage)
        if not tokens:
            return TextRow([], [], 0, 0.0)
        found = [memo.get(token) or self._learn(token) for token in tokens]
        columns, values, known = self._word_block(tokens, found)
        more_columns, more_values = self._char_block(found)
        return TextRow(
            columns + more_columns,
            values + more_values,
            len(columns),
            math.sqrt(known / len(tokens)),
        )

    def _word_block(
        self, tokens: list[str], found: list[_Word]
    ) -> tuple[list[int], list[float], int]:
        """The word block of a text of several words, and how many of them are known."""
        counts: dict[int, int] = {}  # unigrams first, then bigrams (the order of ``analyze``)
        known = 0
        for word in found:
            column = word.column
            if column >= 0:
                known += 1
                counts[column] = counts.get(column, 0) + 1
        for word, token in zip(found[:-1], tokens[1:], strict=True):
            follow = word.follow
            if follow is not None and token in follow:
                column = follow[token]
                counts[column] = counts.get(column, 0) + 1
        columns, values = self._block(counts, self._word_weight)
        return columns, values, known

    def _char_block(self, found: list[_Word]) -> tuple[list[int], list[float]]:
        """The char block of a text of several words: their lists joined, less each column
        that an earlier word has, then the values of the columns that several words share
        worked out again from their summed counts (with the same operations as ``_block``)."""
        columns: list[int] = []
        values: list[float] = []
        squares: list[float] = []
        seen: set[int] = set()
        counts: dict[int, int] = {}  # the columns that several words share → summed count
        first: dict[int, int] = {}  # a column that its first word has more than once → count
        for word in found:
            common = seen & word.chars
            if word.repeats:
                first.update((c, n) for c, n in word.repeats.items() if c not in seen)
            start = len(columns)
            columns += word.char_columns
            values += word.char_values
            squares += word.char_squares
            if common:
                for column in common:
                    count = counts.get(column) or first.get(column, 1)
                    counts[column] = count + word.repeats.get(column, 1)
                for index in sorted(map(word.char_columns.index, common), reverse=True):
                    del columns[start + index], values[start + index], squares[start + index]
            seen |= word.chars
        for column, count in counts.items():
            value = self._tf(count) * self._idf[column]
            index = columns.index(column)
            values[index] = value
            squares[index] = value * value
        return columns, _normalized(values, squares, self._char_weight)

    def _block(self, counts: dict[int, int], weight: float) -> tuple[list[int], list[float]]:
        """Sublinear TF times IDF, L2-normalised then weighted: the numbers of ``_Block.row``
        (``(1 + log 1) * idf`` is ``idf`` exactly). The norm adds the squares with ``sum``, as
        training does: from Python 3.12 ``sum`` compensates float rounding, a loop would not."""
        idf = self._idf
        values = [
            idf[column] if count == 1 else self._tf(count) * idf[column]
            for column, count in counts.items()
        ]
        norm = math.sqrt(sum([v * v for v in values]))
        if norm > 0:
            scale = weight / norm
            values = [v * scale for v in values]
        return list(counts), values

    @staticmethod
    def _tf(count: int) -> float:
        return _TF[count] if count < len(_TF) else 1.0 + math.log(count)

    def _learn(self, token: str) -> _Word:
        """Work out and keep what ``token`` contributes."""
        grams = []
        if not self._alphabet.isdisjoint(token):  # else every n-gram has an unseen character
            padded = f" {token} "
            slices = _SLICES.get(len(padded)) or _slices(len(padded))
            found = map(self._char_columns.get, map(padded.__getitem__, slices))
            grams = [c for c in found if c is not None]
        column = self._words.get(token, -1)
        word = self._word(token, column, grams) if grams or column >= 0 else _UNKNOWN
        if len(self._memo) >= WORD_MEMO:
            self._memo.clear()
        self._memo[token] = word
        return word

    def _word(self, token: str, column: int, grams: list[int]) -> _Word:
        """What a word with some known feature contributes (``grams``: its char columns, in
        n-gram order, repeats kept)."""
        counts: dict[int, int] = {}
        _count_elements(counts, grams)
        char_columns = list(counts)
        char_values = [self._idf[c] for c in char_columns]
        char_squares = [self._squares[c] for c in char_columns]
        repeats = {}
        if len(char_columns) != len(grams):
            repeats = {c: count for c, count in counts.items() if count > 1}
            for c, count in repeats.items():
                index = char_columns.index(c)
                char_values[index] = value = self._tf(count) * char_values[index]
                char_squares[index] = value * value
        columns, values = [], []
        if column >= 0:  # the word block of one word: one term, seen once
            columns = [column]
            values = _normalized([self._idf[column]], [self._squares[column]], self._word_weight)
        alone = TextRow(
            columns + char_columns,
            values + _normalized(char_values, char_squares, self._char_weight),
            len(columns),
            math.sqrt(len(columns)),
        )
        return _Word(
            column,
            self._follow.get(token),
            frozenset(char_columns),
            char_columns,
            char_values,
            char_squares,
            repeats,
            alone,
        )


def _slices(length: int) -> tuple[slice, ...]:
    """The slices of a padded word of ``length`` characters that are its char n-grams, in the
    order of ``char_grams`` (cutting with them is a C loop)."""
    found = tuple(slice(i, i + n) for n in CHAR_SIZES for i in range(length - n + 1))
    if length <= 64:  # longer words are rare: they are not kept
        _SLICES[length] = found
    return found


_SLICES: dict[int, tuple[slice, ...]] = {}
_UNKNOWN = _Word(-1, None, frozenset(), [], [], [], {}, TextRow([], [], 0, 0.0))
"""What a word contributes that has no known feature (a number, a name): nothing (shared)."""


def _normalized(values: list[float], squares: list[float], weight: float) -> list[float]:
    """``values`` L2-normalised then weighted (``squares``: theirs, the same products that
    ``sum(v * v for v in values)`` adds, in the same order)."""
    norm = math.sqrt(sum(squares))
    if norm > 0:
        scale = weight / norm
        return [v * scale for v in values]
    return values
