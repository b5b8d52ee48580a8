"""The SQL store's reads and writes outside turns, in SQLAlchemy Core, on an engine of either
backend: transcripts, one conversation or its variables, resets, idle lookups, flow versions.

None of it runs on a turn's path (turns run compiled statements on DBAPI cursors: see
:mod:`workbench.stores._statements`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any, cast

from sqlalchemy import Engine, select, true, update

from workbench.schema import ConversationRecord, TranscriptEvent
from workbench.stores import _tables as t
from workbench.stores._engine import READ_ONLY
from workbench.stores._json import dump_json, load_json
from workbench.stores._rows import event_of, record_of, vars_of
from workbench.stores._statements import dialect_insert

_EVENT_COLUMNS = tuple(col for col in t.events.c if col.name not in ("id", "bot"))


class CoreQueries:
    """The :class:`~workbench.stores.Store` methods other than ``turn``, on ``engine``.

    Reads begin a deferred transaction on SQLite (they never wait for a turn's write). The
    caller of :meth:`reset` holds the conversation's lock on SQLite (see ``SQLStore.reset``).
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._reader = engine.execution_options(**{READ_ONLY: True})

    def get_conversation(self, bot: str, conversation_id: str) -> ConversationRecord | None:
        c = t.conversations
        query = select(c.c.user_id, c.c.session, c.c.turn, c.c.updated_at).where(
            c.c.bot == bot, c.c.id == conversation_id
        )
        with self._reader.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else record_of(conversation_id, row)

    def user_vars(self, bot: str, user_id: str) -> dict[str, Any]:
        u = t.users
        query = select(u.c.vars).where(u.c.bot == bot, u.c.user_id == user_id)
        with self._reader.connect() as conn:
            return vars_of(conn.execute(query).scalar())

    def bot_vars(self, bot: str) -> dict[str, Any]:
        query = select(t.bots.c.vars).where(t.bots.c.bot == bot)
        with self._reader.connect() as conn:
            return vars_of(conn.execute(query).scalar())

    def events(self, bot: str, conversation_id: str | None = None) -> list[TranscriptEvent]:
        e = t.events
        query = select(*_EVENT_COLUMNS).where(e.c.bot == bot).order_by(e.c.id)
        if conversation_id is not None:
            query = query.where(e.c.conversation_id == conversation_id)
        with self._reader.connect() as conn:
            return [event_of(row) for row in conn.execute(query)]

    def iter_events(self, bot: str, batch: int = 10_000) -> Iterator[TranscriptEvent]:
        """Every event of ``bot`` in order, read ``batch`` rows per short transaction."""
        e = t.events
        query = select(e.c.id, *_EVENT_COLUMNS).where(e.c.bot == bot).order_by(e.c.id).limit(batch)
        last = None
        while True:
            page = query if last is None else query.where(e.c.id > last)
            with self._reader.connect() as conn:
                rows = conn.execute(page).all()
            for row in rows:
                yield event_of(row[1:])
            if len(rows) < batch:
                return
            last = rows[-1][0]

    def reset(self, bot: str, conversation_id: str) -> None:
        c = t.conversations
        statement = (
            update(c)
            .where(c.c.bot == bot, c.c.id == conversation_id)
            .values(session=None, has_session=False)
        )
        with self._engine.begin() as conn:
            conn.execute(statement)

    def idle_conversations(self, bot: str, idle_since: float) -> list[str]:
        c = t.conversations
        query = (
            select(c.c.id)
            .where(c.c.bot == bot, c.c.has_session == true(), c.c.updated_at < float(idle_since))
            .order_by(c.c.updated_at, c.c.id)
        )
        with self._reader.connect() as conn:
            return list(conn.execute(query).scalars())

    def put_version(self, bot: str, version: str, definition: dict[str, Any]) -> None:
        statement = (
            dialect_insert(self._engine.dialect)(t.versions)
            .values(
                bot=bot, version=version, definition=dump_json(definition), created_at=time.time()
            )
            .on_conflict_do_nothing()
        )
        with self._engine.begin() as conn:
            conn.execute(statement)

    def get_version(self, bot: str, version: str) -> dict[str, Any] | None:
        v = t.versions
        query = select(v.c.definition).where(v.c.bot == bot, v.c.version == version)
        with self._reader.connect() as conn:
            text = conn.execute(query).scalar()
        return None if text is None else cast(dict[str, Any], load_json(text))
