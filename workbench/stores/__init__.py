"""Conversation state and transcript stores: SQLite (the default), PostgreSQL, or memory.

``open_store()`` picks one from a URL, ``WORKBENCH_DB`` or the bot folder. Every store gives the
same guarantees (see :class:`TurnTransaction`): a turn locks its conversation (not the others)
while it runs, commits its state and transcript together in one short transaction at its end,
and merges only the user/bot variables it changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench._lazy import attach
from workbench.stores._base import Store, TurnTransaction
from workbench.stores._content_log import ContentEdit, ContentLog
from workbench.stores._locks import ConversationBusy
from workbench.stores._open import default_url, open_store

if TYPE_CHECKING:
    from workbench.stores._json import dump_json
    from workbench.stores._memory import MemoryStore
    from workbench.stores._sql import SQLStore

__getattr__, __dir__ = attach(
    __name__,
    {
        "MemoryStore": "workbench.stores._memory",
        "SQLStore": "workbench.stores._sql",
        "dump_json": "workbench.stores._json",
    },
)
"""Each store's module loads when it is first used (see ``open_store``): ``SQLStore``'s brings
SQLAlchemy, which an in-memory store never needs, and a bot on SQLite never needs
``MemoryStore``."""


__all__ = [
    "ContentEdit",
    "ContentLog",
    "ConversationBusy",
    "MemoryStore",
    "SQLStore",
    "Store",
    "TurnTransaction",
    "default_url",
    "dump_json",
    "open_store",
]
