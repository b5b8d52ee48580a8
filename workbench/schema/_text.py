"""Counts in words, for every message and report: ``1 error``, ``2 errors``, ``1,000 turns``."""

from __future__ import annotations


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
