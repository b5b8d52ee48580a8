"""Static sentence vectors: a token table distilled from all-MiniLM-L6-v2, shipped with the package.

``scripts/distill_static.py`` ran every WordPiece token of all-MiniLM-L6-v2 (Apache-2.0) through
the transformer once (model2vec), reduced the vectors by PCA to 256 dimensions and stored them
product-quantised, 64 bytes a token, in ``static/`` (1.9 MB; see ``static/PROVENANCE.md``). A
sentence's vector is the mean of its tokens' vectors, unit length: numpy only, no torch,
nothing downloaded. The table is read on first use (a few milliseconds), once per process.

The table serves English (the model's language); :func:`serves` says which languages get it.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = ["STATIC_NAME", "TABLE", "TABLE_FILES", "StaticEncoder", "serves", "table_built"]

STATIC_NAME = "minilm-l6-static"
TABLE = Path(os.environ.get("WORKBENCH_STATIC_TABLE") or Path(__file__).with_name("static"))
TABLE_FILES = ("minilm_static.npz", "minilm_static_tokens.txt")
DIMENSION = 256
MAX_WORD = 100
"""Longer "words" are unknown (as in BERT's WordPiece)."""
MEMO = 50_000
"""Words whose WordPiece ids are kept."""
_PIECES = re.compile(r"[^\W_]+|[^\w\s]|_", re.UNICODE)
"""BERT's basic tokenisation: runs of letters and digits; every punctuation mark alone."""


def serves(language: str) -> bool:
    """Whether the static table applies to ``language`` (English: ``en``, ``en-GB``, ...)."""
    return language.lower().split("-")[0].split("_")[0] == "en"


def table_built(folder: Path = TABLE) -> bool:
    """Whether the table's files are in ``folder`` (they ship with the package)."""
    return all((folder / name).is_file() for name in TABLE_FILES)


class StaticEncoder:
    """Unit-length sentence vectors from the token table, read on the first :meth:`encode`
    (so a model that holds an encoder loads as fast as one without)."""

    _shared: StaticEncoder | None = None
    _lock = threading.Lock()
    name = STATIC_NAME
    dimension = DIMENSION

    def __init__(self, folder: Path = TABLE) -> None:
        if not table_built(folder):
            raise FileNotFoundError(
                f"the static NLU token table is missing from {folder} (it ships with the "
                "package; scripts/distill_static.py rebuilds it, see "
                "workbench/nlu/static/PROVENANCE.md)"
            )
        self._folder = folder
        self._codes: npt.NDArray[np.uint8] | None = None
        self._centres = np.zeros((0, 0), dtype=np.float32)
        """Every group's centres, one after the other: (groups * 256, width)."""
        self._first_centre = np.zeros(0, dtype=np.intp)
        """Where each group's centres start in ``_centres``."""
        self._ids: dict[str, int] = {}
        self._words: dict[str, tuple[int, ...]] = {}
        self._read = threading.Lock()

    def _table(self) -> npt.NDArray[np.uint8]:
        """The codes, read (with the codebook and vocabulary) on first use."""
        codes = self._codes
        if codes is not None:
            return codes
        with self._read:
            if self._codes is None:
                with np.load(self._folder / "minilm_static.npz") as table:
                    codebook = table["codebook"].astype(np.float32)
                    loaded = table["codes"]
                text = (self._folder / "minilm_static_tokens.txt").read_text(encoding="utf-8")
                self._ids = {token: i for i, token in enumerate(text.split("\n")) if token}
                groups, centres, width = codebook.shape
                self._centres = codebook.reshape(groups * centres, width)
                self._first_centre = np.arange(groups, dtype=np.intp) * centres
                self.dimension = groups * width
                self._codes = loaded
            return self._codes

    @classmethod
    def shared(cls) -> StaticEncoder:
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def forget(self) -> None:
        """Drop the memoised words (nothing costly is memoised per sentence)."""
        self._words.clear()

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One unit-length row per text (zeros for a text without known tokens)."""
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            vector = self._unit(self.token_ids(text))
            if vector is not None:
                result[row] = vector
        return result

    def encode_one(self, text: str) -> npt.NDArray[np.float32]:
        """:meth:`encode` of one text (a parse), without the batch's matrix to fill: 7 instead
        of 14 µs for a one-word message; a pizza turn's instructions 935k -> 920k on SQLite,
        736k -> 727k in memory (``benchmarks/turn_instructions.py``)."""
        vector = self._unit(self.token_ids(text))
        return np.zeros(self.dimension, dtype=np.float32) if vector is None else vector

    def _unit(self, ids: list[int]) -> npt.NDArray[np.float32] | None:
        """The unit vector of these tokens (None for no token, or a zero sum)."""
        if not ids:
            return None
        # each token's vector is its 64 centres side by side: (tokens, 64, 4) summed (the
        # mean's direction; one take of flat rows costs a quarter of indexing the 3-d
        # codebook: 9 against 37 µs a message)
        codes = self._codes
        assert codes is not None  # token_ids read the table
        vector = self._centres.take(codes[ids] + self._first_centre, axis=0).sum(axis=0).ravel()
        norm = float(np.sqrt(vector.dot(vector)))
        return vector / norm if norm > 0 else None

    def token_ids(self, text: str) -> list[int]:
        """The table rows of a text's WordPiece tokens (unknown words left out)."""
        self._table()
        ids: list[int] = []
        words = self._words
        for word in _PIECES.findall(_basic(text)):
            pieces = words.get(word)
            if pieces is None:
                if len(words) >= MEMO:
                    words.clear()
                pieces = words[word] = self._wordpiece(word)
            ids.extend(pieces)
        return ids

    def _wordpiece(self, word: str) -> tuple[int, ...]:
        """Greedy longest-match-first WordPiece (``##`` marks a piece inside a word); a word
        with a part that no piece covers is unknown (no ids), as BERT's ``[UNK]``."""
        if len(word) > MAX_WORD:
            return ()
        ids = self._ids
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = -1
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = ids.get(piece, -1)
                if found >= 0:
                    break
                end -= 1
            if found < 0:
                return ()
            pieces.append(found)
            start = end
        return tuple(pieces)


def _basic(text: str) -> str:
    """Lower case without accents (BERT uncased)."""
    text = text.lower()
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
