"""Slots annotated in training utterances: ``order a [large](size) pizza``."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Slot", "Utterance", "parse_utterance"]

_ANNOTATION = re.compile(r"\[([^\[\]]+)\]\(([a-z][a-z0-9_]*)\)")


@dataclass(frozen=True)
class Slot:
    """A slot of a training utterance; ``start``/``end`` index into the plain text."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Utterance:
    """An utterance with its annotations removed, and where its slots are."""

    text: str
    slots: tuple[Slot, ...] = ()


def parse_utterance(raw: str) -> Utterance:
    """``"order a [large](size) pizza"`` → text ``"order a large pizza"``, slot size at 8-13.

    Only ``[text](name)`` with a lower-case identifier is an annotation; other brackets stay.
    """
    parts: list[str] = []
    slots: list[Slot] = []
    position = 0
    length = 0
    for match in _ANNOTATION.finditer(raw):
        before = raw[position : match.start()]
        parts.append(before)
        length += len(before)
        value = match.group(1)
        slots.append(Slot(match.group(2), length, length + len(value)))
        parts.append(value)
        length += len(value)
        position = match.end()
    parts.append(raw[position:])
    return Utterance("".join(parts), tuple(slots))
