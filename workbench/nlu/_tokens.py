"""What the intent features are made of: normalised words and the char n-grams of a word."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["CHAR_SIZES", "char_grams", "normalize", "words"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_IDEOGRAPHS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD_OR_IDEOGRAPH = re.compile(f"[{_IDEOGRAPHS}]|[^\\W_{_IDEOGRAPHS}]+", re.UNICODE)
"""Chinese and Japanese are written without spaces: each of their characters is a word (word
bigrams are then character bigrams), so a new sentence shares words with the examples."""
CHAR_SIZES = (2, 3, 4, 5)


def normalize(text: str) -> str:
    """Lower case without accents: ``"Café"`` → ``"cafe"``."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The normalised words of a text (letters and digits; punctuation is dropped; a Chinese
    or Japanese character is a word of its own)."""
    if text.isascii():
        return _WORD.findall(text.lower())
    return _WORD_OR_IDEOGRAPH.findall(normalize(text))


@lru_cache(maxsize=65536)
def char_grams(token: str) -> tuple[str, ...]:
    """The char n-grams of one word, padded with spaces (words repeat: this is cached)."""
    padded = f" {token} "
    return tuple(padded[i : i + n] for n in CHAR_SIZES for i in range(len(padded) - n + 1))
