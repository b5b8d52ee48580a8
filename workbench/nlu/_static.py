"""Static sentence vectors: a shipped token table distilled from all-MiniLM-L6-v2.

``scripts/distill_static.py`` ran every WordPiece token of all-MiniLM-L6-v2 (Apache-2.0) through
the transformer once (model2vec), reduced the vectors by PCA and stored them as int8 in
``static/`` (see ``static/PROVENANCE.md``). The table (7.9 MB) is not kept in git: the script
builds it once, bit for bit, into that folder (or ``$WORKBENCH_STATIC_TABLE``). A sentence's
vector is the mean of its tokens' vectors, unit length: numpy only, no torch, nothing downloaded.
The table is read on first use (a few milliseconds), once per process.

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
TABLE_FILES = ("minilm_static.npy", "minilm_static_scales.npy", "minilm_static_tokens.txt")
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
    """Whether ``scripts/distill_static.py`` has built the table in ``folder``."""
    return all((folder / name).is_file() for name in TABLE_FILES)


class StaticEncoder:
    """Unit-length sentence vectors from the token table."""

    _shared: StaticEncoder | None = None
    _lock = threading.Lock()
    name = STATIC_NAME

    def __init__(self, folder: Path = TABLE) -> None:
        if not table_built(folder):
            raise FileNotFoundError(
                f"the static NLU engine's token table is not built in {folder}: build it once "
                "with scripts/distill_static.py (pinned torch CPU and model2vec, ~5 minutes; "
                "see workbench/nlu/static/PROVENANCE.md)"
            )
        quantised = np.load(folder / "minilm_static.npy")
        scales = np.load(folder / "minilm_static_scales.npy")
        self._vectors: npt.NDArray[np.float32] = quantised.astype(np.float32) * scales[:, None]
        tokens = (folder / "minilm_static_tokens.txt").read_text(encoding="utf-8").split("\n")
        self._ids = {token: i for i, token in enumerate(tokens) if token}
        self._words: dict[str, tuple[int, ...]] = {}
        self.dimension = int(self._vectors.shape[1])

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
            ids = self.token_ids(text)
            if ids:
                vector = self._vectors[ids].mean(axis=0)
                norm = float(np.sqrt(vector.dot(vector)))
                if norm > 0:
                    result[row] = vector / norm
        return result

    def token_ids(self, text: str) -> list[int]:
        """The table rows of a text's WordPiece tokens (unknown words left out)."""
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
