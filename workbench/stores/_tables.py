"""The tables of a workbench store (SQLAlchemy Core), the same on SQLite and PostgreSQL, and the
names the turn statements are built from.

JSON values (sessions, variables, payloads, definitions) are stored as TEXT written with
:func:`~workbench.stores._json.dump_json`: portable across both databases and cheaper than a
JSON column type.
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

SCHEMA_VERSION = 4
"""Bump when the layout changes in a way an older workbench cannot work with (it refuses a store
newer than it knows), and add the step from the previous version to
:data:`~workbench.stores._schema.MIGRATIONS`. Compatible changes need no bump: opening a store
brings its indexes up to date (see :data:`RETIRED_INDEXES`).

1. the first layout;
2. transcript rows carry ``channel`` and ``language``;
3. the content log, ``wb_content_revisions`` (:mod:`workbench.stores._content_sql`);
4. ``wb_messages``: the replies of each message sent with a ``message_id`` (idempotency).
"""
RETIRED_INDEXES = ("ix_wb_conversations_idle",)
"""Indexes of earlier layouts, dropped when a store is opened (their replacements are created).

``ix_wb_conversations_idle`` was ``(bot, has_session, updated_at)``: every turn rewrote it, for
a lookup that ``ix_wb_conversations_open`` serves as well.
"""

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
    # Since version 2. Their server defaults fill the rows of a store migrated from version 1.
    Column("channel", Text, nullable=False, server_default="web"),
    Column("language", Text, nullable=False, server_default=""),
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

messages = Table(
    "wb_messages",
    metadata,
    Column("bot", Text, primary_key=True),
    Column("conversation_id", Text, primary_key=True),
    Column("message_id", Text, primary_key=True),
    Column("turn", Integer, nullable=False),
    Column("replies", Text, nullable=False),
    Column("created_at", Double, nullable=False),
)
"""The answer to each message that came with a ``message_id`` (an idempotency key), written in
the transaction of its turn: the same id again gets these replies and changes nothing."""

schema = Table("wb_schema", metadata, Column("version", Integer, nullable=False))

EVENT_COLUMNS = tuple(c.name for c in events.c if c.name != "id")
"""The parameters of one event row, in order: every column of ``wb_events`` but ``id`` (see
:func:`~workbench.stores._rows.event_params`)."""
CONVERSATION_COLUMNS = tuple(c.name for c in conversations.c)
"""The columns of ``wb_conversations``, in order (the parameters of its upsert)."""
CONVERSATION_FIELDS = ("user_id", "session", "turn", "updated_at")
"""What a turn's UPDATE of its conversation sets (then ``bot, id``)."""
EVENTS_PER_STATEMENT = 64
"""Rows per multi-row INSERT: 64 x 15 parameters stay under old SQLite's limit of 999."""
