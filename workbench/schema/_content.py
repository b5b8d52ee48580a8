"""Revisions of content elements, as the store keeps them (the history editors see)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

RevisionAction = Literal["file", "create", "update", "delete", "revert", "import"]
"""How a revision came: read from the file (a hand edit, or the first time the element was
seen), or made through the editing API."""


@dataclass(frozen=True)
class ContentRevision:
    """One state of an element: who made it, when, how, and its fields (None once deleted).

    ``revision`` counts from 1 per element; ``type`` and ``file`` are the element's then.
    """

    element_id: str
    revision: int
    author: str
    at: float
    action: RevisionAction
    fields: dict[str, Any] | None
    type: str = "text"
    file: str = ""
