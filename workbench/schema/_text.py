"""Counts in words, for every message and report: ``1 error``, ``2 errors``, ``1,000 turns``."""

from __future__ import annotations

import reprlib
from typing import Any


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count`` and ``word`` in its singular or plural form (``many``, default ``word + "s"``),
    with thousands separated: ``plural(1, "error")`` is ``"1 error"``, ``plural(1000, "turn")``
    ``"1,000 turns"``, ``plural(2, "process", "processes")`` ``"2 processes"``."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


REPLACEMENT = "\ufffd"
"""What :func:`storable_text` puts where a character no store can hold was."""


def storable_text(text: str) -> str:
    """``text`` as every store keeps it: the one normalisation of text at the edge.

    SQLite and PostgreSQL cannot hold lone surrogates (``"\\ud800"``: not UTF-8) and PostgreSQL
    no NUL character; each becomes U+FFFD, the replacement character, on every store alike (a
    surrogate pair becomes the character it encodes). Anything else is kept as it is. ASCII text
    without NUL, nearly every message, costs two C-level scans.
    """
    if "\x00" in text:
        text = text.replace("\x00", REPLACEMENT)
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def cut(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters, marked with "..." when it was longer."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlevel = 3


def short_repr(value: Any) -> str:
    """``repr(value)`` for a message, built short: a few items of a list, a few levels, 60
    characters of a string. A value from a user's file may be huge (an alias bomb, a long text):
    messages never hold the whole of it."""
    return _SHORT.repr(value)
