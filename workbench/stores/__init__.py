"""Conversation state and transcript stores: SQLite (the default), PostgreSQL, or memory.

``open_store()`` picks one from a URL, ``WORKBENCH_DB`` or the bot folder. Every store gives the
same guarantees (see :class:`Store`): a turn locks its conversation, commits its state and
transcript together, and merges only the user/bot variables it changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.stores._base import Store, TurnTransaction
from workbench.stores._memory import MemoryStore
from workbench.stores._open import default_url, open_store

if TYPE_CHECKING:
    from workbench.stores._sql import SQLStore


def __getattr__(name: str) -> Any:
    """``SQLStore`` loads SQLAlchemy, so it is imported on first use (see ``open_store``)."""
    if name == "SQLStore":
        from workbench.stores._sql import SQLStore

        return SQLStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MemoryStore",
    "SQLStore",
    "Store",
    "TurnTransaction",
    "default_url",
    "open_store",
]
