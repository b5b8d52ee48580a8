"""The tables of a workbench store (SQLAlchemy Core), the same on SQLite and PostgreSQL.

JSON values (sessions, variables, payloads, definitions) are stored as TEXT written with
:func:`dump_json`: portable across both databases and cheaper than a JSON column type.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Double,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
)

# The layout's names (schema version, ...) live in _layout, which needs no SQLAlchemy.
from workbench.stores._layout import SCHEMA_TABLE

metadata = MetaData()

conversations = Table(
    "wb_conversations",
    metadata,
    Column("bot", Text, primary_key=True),
    Column("id", Text, primary_key=True),
    Column("user_id", Text, nullable=False),
    Column("session", Text, nullable=True),
    Column("turn", Integer, nullable=False, default=0),
    Column("updated_at", Double, nullable=False, default=0.0),
    Column("has_session", Boolean, nullable=False, default=False),
)
open_conversations_index = Index(
    "ix_wb_conversations_open", conversations.c.bot, conversations.c.has_session
)
"""Finds the open sessions of a bot (``idle_conversations`` filters them on ``updated_at``).

A turn that keeps its session open changes neither column, so it leaves this index alone: only
the turns that open or close a session write to it.
"""

users = Table(
    "wb_users",
    metadata,
    Column("bot", Text, primary_key=True),
    Column("user_id", Text, primary_key=True),
    Column("vars", Text, nullable=False, default="{}"),
)

bots = Table(
    "wb_bots",
    metadata,
    Column("bot", Text, primary_key=True),
    Column("vars", Text, nullable=False, default="{}"),
)

events = Table(
    "wb_events",
    metadata,
    # On SQLite only an INTEGER PRIMARY KEY is the auto-incrementing rowid.
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("bot", Text, nullable=False),
    Column("conversation_id", Text, nullable=False),
    Column("user_id", Text, nullable=False),
    Column("turn", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("ts", Double, nullable=False),
    Column("type", Text, nullable=False),
    Column("flow", Text, nullable=False),
    Column("node", Text, nullable=False),
    Column("intent", Text, nullable=False),
    Column("confidence", Double, nullable=True),
    Column("text", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Index("ix_wb_events_conversation", "bot", "conversation_id", "id"),
)

versions = Table(
    "wb_versions",
    metadata,
    Column("bot", Text, primary_key=True),
    Column("version", Text, primary_key=True),
    Column("definition", Text, nullable=False),
    Column("created_at", Double, nullable=False),
)

schema = Table(SCHEMA_TABLE, metadata, Column("version", Integer, nullable=False))
