"""The store's columns analytics reads, by name, and their Arrow types.

Analytics never depends on the store's column list: it asks for these columns by name, so a
column added later (schema version 3 adds ``conversation_key``) is simply not read, and the two
columns a version-1 store lacks (``channel``, ``language``) read as the migration would fill them.
"""

from __future__ import annotations

import pyarrow as pa

__all__ = [
    "CONVERSATIONS_SCHEMA",
    "EVENTS_SCHEMA",
    "EVENT_DEFAULTS",
    "conversations_select",
    "events_select",
]

EVENTS_SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("bot", pa.string()),
        ("conversation_id", pa.string()),
        ("user_id", pa.string()),
        ("turn", pa.int32()),
        ("seq", pa.int32()),
        ("ts", pa.float64()),
        ("type", pa.string()),
        ("flow", pa.string()),
        ("node", pa.string()),
        ("intent", pa.string()),
        ("confidence", pa.float64()),
        ("text", pa.string()),
        ("payload", pa.string()),
        ("channel", pa.string()),
        ("language", pa.string()),
    ]
)
"""One transcript row (``wb_events``), as analytics and the Parquet export keep it."""

CONVERSATIONS_SCHEMA = pa.schema(
    [
        ("bot", pa.string()),
        ("conversation_id", pa.string()),
        ("user_id", pa.string()),
        ("turn", pa.int32()),
        ("updated_at", pa.float64()),
        ("has_session", pa.bool_()),
    ]
)
"""One conversation (``wb_conversations``): ``id`` is renamed ``conversation_id``, and the
session itself (the user's state) is not read, only whether there is one."""

EVENT_DEFAULTS = {"channel": "'web'", "language": "''"}
"""Columns a store made before schema version 2 lacks, and the value its migration gives them."""


def events_select(columns: set[str], table: str = "wb_events") -> str:
    """``SELECT`` of :data:`EVENTS_SCHEMA` from a store table that has ``columns``."""
    parts = []
    for name in EVENTS_SCHEMA.names:
        if name in columns:
            parts.append(name)
        elif name in EVENT_DEFAULTS:
            parts.append(f"{EVENT_DEFAULTS[name]} AS {name}")
        else:
            raise KeyError(name)
    return f"SELECT {', '.join(parts)} FROM {table}"


def conversations_select(table: str = "wb_conversations") -> str:
    """``SELECT`` of :data:`CONVERSATIONS_SCHEMA` from a store table."""
    return (
        "SELECT bot, id AS conversation_id, user_id, turn, updated_at, "
        f"session IS NOT NULL AS has_session FROM {table}"
    )
