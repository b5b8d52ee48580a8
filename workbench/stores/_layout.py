"""The store's layout as plain names: schema version, retired indexes, the columns turns write.

Nothing here imports SQLAlchemy: opening an existing SQLite store and running its turns needs
only these names and the SQL text of :mod:`workbench.stores._sqlite_statements`. The tables
themselves (SQLAlchemy Core) are in :mod:`workbench.stores._tables`, which builds them from the
same names; ``tests/stores`` checks that both agree.
"""

from __future__ import annotations

from typing import Any

SCHEMA_VERSION = 1
"""Bump when the layout changes incompatibly (a workbench refuses a store newer than it knows),
and add the migration next to :func:`~workbench.stores._engine.create_schema`. Compatible
changes need no bump: opening a store brings its indexes up to date (see
:data:`RETIRED_INDEXES`)."""
RETIRED_INDEXES = ("ix_wb_conversations_idle",)
"""Indexes of earlier layouts, dropped when a store is opened (their replacements are created).

``ix_wb_conversations_idle`` was ``(bot, has_session, updated_at)``: every turn rewrote it, for
a lookup that ``ix_wb_conversations_open`` serves as well.
"""
SCHEMA_TABLE = "wb_schema"

EVENT_COLUMNS = (
    "bot",
    "conversation_id",
    "user_id",
    "turn",
    "seq",
    "ts",
    "type",
    "flow",
    "node",
    "intent",
    "confidence",
    "text",
    "payload",
)
"""The parameters of one event row, in order (every column of ``wb_events`` but ``id``)."""
CONVERSATION_COLUMNS = ("bot", "id", "user_id", "session", "turn", "updated_at", "has_session")
"""The columns of ``wb_conversations``, in order (the parameters of its upsert)."""
CONVERSATION_FIELDS = ("user_id", "session", "turn", "updated_at")
"""What a turn's UPDATE of its conversation sets (then ``bot, id``)."""
EVENTS_PER_STATEMENT = 64
"""Rows per multi-row INSERT: 64 x 13 parameters stay under old SQLite's limit of 999."""

SchemaState = tuple[int | None, bool]
"""The stored schema version (None: no schema yet) and whether a retired index is still there."""


def schema_state(dbapi_connection: Any, dialect: str) -> SchemaState:
    """The stored schema version (None if there is none yet, or no table), and whether the
    layout still has an index it should no longer have.

    One cheap query on a DBAPI connection, which is left without a transaction.
    """
    if dialect == "postgresql":  # in the schema the connection's search_path picks
        stale = " OR ".join(f"to_regclass('{name}') IS NOT NULL" for name in RETIRED_INDEXES)
    else:
        names = ", ".join(f"'{name}'" for name in RETIRED_INDEXES)
        stale = f"EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name IN ({names}))"
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"SELECT max(version), {stale} FROM {SCHEMA_TABLE}")
        row = cursor.fetchone()
    except Exception:  # the table does not exist (yet): let create_schema decide
        dbapi_connection.rollback()
        return None, False
    finally:
        cursor.close()
    dbapi_connection.rollback()  # end the read transaction a driver may have begun (psycopg)
    return (None, False) if row is None else (row[0], bool(row[1]))


def is_current(state: SchemaState) -> bool:
    """True when the stored schema needs nothing done (see :func:`schema_state`)."""
    version, stale = state
    return version == SCHEMA_VERSION and not stale
