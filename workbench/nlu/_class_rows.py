"""The training utterances of one intent, arranged to score one message fast (lexical support).

The support of a message for an intent is its best dot product with one of the intent's
utterances (word-block rows). Both arrangements add each dot product's terms in the order of the
utterance's row, starting from zero, as scipy's sparse product does, so the result is the same
to the last bit:

- few utterances (a bot's intent): an inverted index, word column → utterances that have it, so
  only the utterances that share a word with the message are touched, in plain Python;
- many (a CLINC150 intent, where common words are in most utterances): the rows padded to one
  width, multiplied by the message in one numpy gather, summed left to right by
  ``np.add.accumulate``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["INDEXED", "PaddedRows", "PostingRows", "class_rows"]

INDEXED = 512
"""Nonzeros up to which a class is kept as an inverted index (beyond, padded rows)."""

Rows = list[tuple[list[int], list[float]]]
"""Each utterance's word columns and values, in its row's order."""


class PostingRows:
    """Word column → (utterance, position of the column in its row, value)."""

    def __init__(self, rows: Rows) -> None:
        self._postings: dict[int, list[tuple[int, int, float]]] = {}
        for utterance, (columns, weights) in enumerate(rows):
            for position, (column, weight) in enumerate(zip(columns, weights, strict=True)):
                self._postings.setdefault(column, []).append((utterance, position, weight))

    def best(self, columns: Sequence[int], values: Sequence[float]) -> float:
        postings = self._postings
        terms: dict[int, list[tuple[int, float]]] = {}
        for column, value in zip(columns, values, strict=True):
            for utterance, position, weight in postings.get(column, ()):
                found = terms.get(utterance)
                if found is None:
                    terms[utterance] = [(position, weight * value)]
                else:
                    found.append((position, weight * value))
        best = 0.0  # an utterance sharing no word scores 0 (all values are positive)
        for products in terms.values():
            if len(products) > 2:  # a + b == b + a, but three terms depend on the order
                products.sort()
            total = 0.0
            for _, product in products:
                total += product
            best = max(best, total)
        return best


class PaddedRows:
    """Columns and values of every utterance, padded with a column that is always zero."""

    def __init__(self, rows: Rows, width: int) -> None:
        longest = max(len(columns) for columns, _ in rows)
        self._width = width
        self._columns = np.full((len(rows), longest), width, dtype=np.intp)
        self._weights = np.zeros((len(rows), longest))
        for i, (columns, weights) in enumerate(rows):
            self._columns[i, : len(columns)] = columns
            self._weights[i, : len(weights)] = weights

    def best(self, columns: Sequence[int], values: Sequence[float]) -> float:
        message: npt.NDArray[np.float64] = np.zeros(self._width + 1)
        message[columns] = values
        products = self._weights * message[self._columns]
        return float(np.add.accumulate(products, axis=1)[:, -1].max())


def class_rows(rows: Rows, width: int) -> PostingRows | PaddedRows | None:
    """The arrangement for a class's rows (``width`` = word columns); None without rows."""
    if not rows:
        return None
    if sum(len(columns) for columns, _ in rows) <= INDEXED:
        return PostingRows(rows)
    return PaddedRows(rows, width)
