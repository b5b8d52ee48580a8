"""What the intent features are made of: normalised words and the char n-grams of a word."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["CHAR_SIZES", "char_grams", "normalize", "words"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
CHAR_SIZES = (2, 3, 4, 5)
_ASCII_WORDS = bytes(
    ord(chr(c).lower()) if c < 128 and chr(c).isalnum() else ord(" ") for c in range(256)
)
"""A byte table that lower-cases ASCII letters and blanks out every other character but digits:
what is left of an ASCII text, split on blanks, is its words."""


def normalize(text: str) -> str:
    """Lower case without accents: ``"Café"`` → ``"cafe"``."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The normalised words of a text (letters and digits; punctuation is dropped).

    For ASCII text (most messages) ``[^\\W_]+`` is ``[A-Za-z0-9]+``, and one byte ``translate``
    then ``split`` finds the same words as lower-casing then the regex, at a fraction of the
    cost (``str.translate`` looks every character up in a dictionary)."""
    if text.isascii():
        return text.encode().translate(_ASCII_WORDS).decode().split()
    return _WORD.findall(normalize(text))


@lru_cache(maxsize=65536)
def char_grams(token: str) -> tuple[str, ...]:
    """The char n-grams of one word, padded with spaces (words repeat: this is cached)."""
    padded = f" {token} "
    return tuple(padded[i : i + n] for n in CHAR_SIZES for i in range(len(padded) - n + 1))
