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
from functools import reduce
from operator import add

import numpy as np
import numpy.typing as npt

__all__ = ["INDEXED", "PaddedRows", "PostingRows", "class_rows"]

INDEXED = 512
"""Nonzeros up to which a class is kept as an inverted index (beyond, padded rows)."""

Rows = list[tuple[list[int], list[float]]]
"""Each utterance's word columns and values, in its row's order."""


class PostingRows:
    """Word column → (utterance, position of the column in its row, value); and word column →
    its largest value in an utterance, which is all that a message of one known word needs."""

    def __init__(self, rows: Rows) -> None:
        self._lengths = [len(columns) for columns, _ in rows]
        self._postings: dict[int, list[tuple[int, int, float]]] = {}
        for utterance, (columns, weights) in enumerate(rows):
            for position, (column, weight) in enumerate(zip(columns, weights, strict=True)):
                self._postings.setdefault(column, []).append((utterance, position, weight))
        self._largest = {
            column: max(weight for _, _, weight in postings)
            for column, postings in self._postings.items()
        }

    def best(self, columns: Sequence[int], values: Sequence[float]) -> float:
        if len(columns) == 1:
            # each utterance's dot product is one product, ``weight * value``, and rounding
            # keeps the order of the weights (``value`` > 0): the largest weight gives the best
            largest = self._largest.get(columns[0])
            return 0.0 if largest is None else largest * values[0]
        # each product goes to its place in its utterance's row, the others stay 0.0: summing
        # the row left to right adds the products in the row's order (``x + 0.0`` is ``x``)
        postings, lengths = self._postings, self._lengths
        products: dict[int, list[float]] = {}
        for column, value in zip(columns, values, strict=True):
            for utterance, position, weight in postings.get(column, ()):
                row = products.get(utterance)
                if row is None:
                    row = products[utterance] = [0.0] * lengths[utterance]
                row[position] = weight * value
        # an utterance sharing no word scores 0 (all values are positive). ``reduce(add)``, not
        # ``sum``: from Python 3.12 ``sum`` compensates float rounding, which scipy does not
        return max([reduce(add, row, 0.0) for row in products.values()], default=0.0)


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
