"""Counts in words, for every message and report: ``1 error``, ``2 errors``, ``1,000 turns``."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count`` and ``word`` in its singular or plural form (``many``, default ``word + "s"``),
    with thousands separated: ``plural(1, "error")`` is ``"1 error"``, ``plural(1000, "turn")``
    ``"1,000 turns"``, ``plural(2, "process", "processes")`` ``"2 processes"``."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"
