"""`SQLStore`: the store on SQLite or PostgreSQL, with the same code for both.

Turns run on DBAPI connections (see :mod:`workbench.stores._turn` for how they lock); the
other methods are plain SQLAlchemy Core.

``updated_at`` is written as the record carries it; a record that never had one (``0.0``) is
stamped with the current time so that idle lookups stay meaningful.

Do not write to the store (another turn, ``reset``, ``put_version``) from inside a turn: on
SQLite the turn holds the database's write lock, so that write would wait for it and fail with
"database is locked" after 30 s (another turn of the same store in the same thread fails at
once). Reads inside a turn are fine.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any, cast

from sqlalchemy import select, true, update

from workbench.schema import ConversationRecord, TranscriptEvent
from workbench.stores import _tables as t
from workbench.stores._engine import (
    READ_ONLY,
    ensure_schema,
    is_sqlite_file,
    make_engine,
    normalise_url,
    read_schema_state,
    schema_state,
    sqlite_connector,
)
from workbench.stores._json import dump_json, load_json
from workbench.stores._rows import event_of, record_of, vars_of
from workbench.stores._statements import TurnStatements, dialect_insert
from workbench.stores._turn import (
    Backend,
    Connections,
    PooledConnections,
    SQLTurn,
    ThreadConnections,
)

__all__ = ["SQLStore"]

_EVENT_COLUMNS = tuple(col for col in t.events.c if col.name not in ("id", "bot"))


class SQLStore:
    """Conversation state and transcripts in SQLite or PostgreSQL (see the module docstring)."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url).render_as_string(hide_password=False)
        self._engine = engine = make_engine(self.url)
        self._wal = is_sqlite_file(engine)
        connections: Connections
        if self._wal:
            connections = ThreadConnections(sqlite_connector(engine))
        else:
            connections = PooledConnections(engine)
        try:
            # One query tells whether the schema is current. On a SQLite file it runs on this
            # thread's turn connection, which stays open for the turns to come.
            if self._wal:
                state = schema_state(connections.get(), engine.dialect.name)
            else:
                state = read_schema_state(engine)
            ensure_schema(engine, state)
        except BaseException:
            connections.close()
            engine.dispose()
            raise
        self._reader = engine.execution_options(**{READ_ONLY: True})
        self._backend = Backend(
            connections=connections,
            sql=TurnStatements(engine.dialect),
            sqlite=engine.dialect.name == "sqlite",
        )

    def __repr__(self) -> str:
        return f"SQLStore({normalise_url(self.url)!r})"

    def turn(self, bot: str, conversation_id: str, user_id: str) -> SQLTurn:
        return SQLTurn(self._backend, bot, conversation_id, user_id)

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

    def checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the database file, so that turns need not.

        Turns commit to the WAL; once it holds :data:`~workbench.stores._engine.WAL_AUTOCHECKPOINT`
        pages, the committing turn copies it back (two fsyncs and the copies: tens of ms), and
        the next commit starts the log over (one more fsync). Calling this now and then from a
        background thread (the janitor) does both outside turns: the copy neither waits for nor
        blocks them (a PASSIVE checkpoint, which copies what it can), and if it copied it all, a
        write here starts the log over: it rewrites the file header's ``user_version``, unused
        and unchanged (an UPDATE to the same value would write nothing). A no-op on PostgreSQL
        and in-memory SQLite.
        """
        if not self._wal:
            return
        connection = self._backend.connections.get()
        busy, pages, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if busy or pages <= 1 or copied < pages:  # turns went on meanwhile, or nothing to do
            return
        connection.execute("BEGIN IMMEDIATE")
        try:
            (user_version,) = connection.execute("PRAGMA user_version").fetchone()
            connection.execute(f"PRAGMA user_version = {int(user_version)}")
        except BaseException:
            connection.rollback()
            raise
        connection.commit()

    def close(self) -> None:
        self._backend.connections.close()
        self._engine.dispose()
