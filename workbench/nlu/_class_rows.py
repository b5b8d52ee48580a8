"""The training utterances of one intent, arranged to score one message fast (lexical support).

The support of a message for an intent is its best dot product with one of the intent's
utterances (word-block rows). An inverted index, word column → utterances that have it, touches
only the utterances that share a word with the message, in plain Python; each dot product adds
its terms in the order of the utterance's row, starting from zero, as scipy's sparse product
does, so the result is the same to the last bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from operator import add

__all__ = ["PostingRows", "class_rows"]

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


def class_rows(rows: Rows) -> PostingRows | None:
    """The arrangement for a class's rows; None without rows."""
    return PostingRows(rows) if rows else None
