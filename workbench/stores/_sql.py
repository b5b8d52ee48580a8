"""`SQLStore`: the store on SQLite or PostgreSQL, with the same code for both.

Turns run on DBAPI connections (see :mod:`workbench.stores._turn` for how they lock); the
other methods are plain SQLAlchemy Core (:mod:`workbench.stores._queries`).

A store on a plain ``sqlite:///PATH`` URL does not import SQLAlchemy to open or to run turns:
its connections come from the stdlib ``sqlite3`` (:mod:`workbench.stores._sqlite`), its turn
statements are written out (:mod:`workbench.stores._sqlite_statements`), and ``put_version``
runs one INSERT on the thread's connection. SQLAlchemy (~150 ms to import, most of a bot's
load time otherwise) is loaded by the first call that needs it: a read outside turns, a reset,
or creating the schema of a new file. PostgreSQL and other SQLite URLs use an engine throughout.

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
from functools import cached_property
from typing import TYPE_CHECKING, Any

from workbench.schema import ConversationRecord, TranscriptEvent
from workbench.stores._json import dump_json
from workbench.stores._layout import is_current, schema_state
from workbench.stores._sqlite import file_connector, sqlite_file
from workbench.stores._sqlite_statements import SQLiteStatements
from workbench.stores._turn import (
    Backend,
    Connections,
    PooledConnections,
    SQLTurn,
    ThreadConnections,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from workbench.stores._queries import CoreQueries

__all__ = ["SQLStore"]


class SQLStore:
    """Conversation state and transcripts in SQLite or PostgreSQL (see the module docstring)."""

    def __init__(self, url: str) -> None:
        self._made_engine: Engine | None = None
        path = sqlite_file(url)
        if path is None:
            self._open_engine(url)
        else:
            self._open_file(url, path)

    def _open_file(self, url: str, path: str) -> None:
        """A SQLite file: turns on one ``sqlite3`` connection per thread, no SQLAlchemy."""
        self.url, self._file, self._wal = url, True, True
        connections = ThreadConnections(file_connector(path))
        try:
            # One query on this thread's turn connection (which stays open for the turns to
            # come) tells whether the schema is current; only if not is SQLAlchemy needed.
            state = schema_state(connections.get(), "sqlite")
            if not is_current(state):
                self._engine_module().ensure_schema(self._engine, state)
        except BaseException:
            self._close(connections)
            raise
        self._backend = Backend(connections=connections, sql=SQLiteStatements(), sqlite=True)

    def _open_engine(self, url: str) -> None:
        """PostgreSQL, or a SQLite URL that needs SQLAlchemy's parsing: an engine throughout."""
        from workbench.stores import _engine as e  # SQLAlchemy: see the module docstring
        from workbench.stores._statements import TurnStatements

        self.url = e.normalise_url(url).render_as_string(hide_password=False)
        self._file = False
        self._made_engine = engine = e.make_engine(self.url)
        self._wal = e.is_sqlite_file(engine)
        connections: Connections
        if self._wal:
            connections = ThreadConnections(e.sqlite_connector(engine))
        else:
            connections = PooledConnections(engine)
        try:
            if self._wal:
                state = schema_state(connections.get(), engine.dialect.name)
            else:
                state = e.read_schema_state(engine)
            e.ensure_schema(engine, state)
        except BaseException:
            self._close(connections)
            raise
        self._backend = Backend(
            connections=connections,
            sql=TurnStatements(engine.dialect),
            sqlite=engine.dialect.name == "sqlite",
        )

    @staticmethod
    def _engine_module() -> Any:
        from workbench.stores import _engine  # SQLAlchemy: see the module docstring

        return _engine

    @property
    def _engine(self) -> Engine:
        """The SQLAlchemy engine, made on first use for a SQLite file."""
        if self._made_engine is None:
            self._made_engine = self._engine_module().make_engine(self.url)
        return self._made_engine

    @cached_property
    def _core(self) -> CoreQueries:
        from workbench.stores._queries import CoreQueries  # SQLAlchemy: see the docstring

        return CoreQueries(self._engine)

    def __repr__(self) -> str:
        if self._file:
            return f"SQLStore({self.url})"
        return f"SQLStore({self._engine_module().normalise_url(self.url)!r})"

    def turn(self, bot: str, conversation_id: str, user_id: str) -> SQLTurn:
        return SQLTurn(self._backend, bot, conversation_id, user_id)

    def get_conversation(self, bot: str, conversation_id: str) -> ConversationRecord | None:
        return self._core.get_conversation(bot, conversation_id)

    def user_vars(self, bot: str, user_id: str) -> dict[str, Any]:
        return self._core.user_vars(bot, user_id)

    def bot_vars(self, bot: str) -> dict[str, Any]:
        return self._core.bot_vars(bot)

    def events(self, bot: str, conversation_id: str | None = None) -> list[TranscriptEvent]:
        return self._core.events(bot, conversation_id)

    def iter_events(self, bot: str, batch: int = 10_000) -> Iterator[TranscriptEvent]:
        """Every event of ``bot`` in order, read ``batch`` rows per short transaction."""
        return self._core.iter_events(bot, batch)

    def reset(self, bot: str, conversation_id: str) -> None:
        self._core.reset(bot, conversation_id)

    def idle_conversations(self, bot: str, idle_since: float) -> list[str]:
        return self._core.idle_conversations(bot, idle_since)

    def put_version(self, bot: str, version: str, definition: dict[str, Any]) -> None:
        """Remember a flow set (a no-op if it is there). On a SQLite file: one INSERT on this
        thread's connection, in autocommit mode (it must not run inside a turn: see above)."""
        if not self._file:
            self._core.put_version(bot, version, definition)
            return
        connections = self._backend.connections
        connection = connections.get()
        params = (bot, version, dump_json(definition), time.time())
        try:
            connection.execute(SQLiteStatements.put_version, params)
        except BaseException as error:
            connections.release(connection, error)
            raise

    def get_version(self, bot: str, version: str) -> dict[str, Any] | None:
        return self._core.get_version(bot, version)

    def checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the database file, so that turns need not.

        Turns commit to the WAL; once it holds :data:`~workbench.stores._sqlite.WAL_AUTOCHECKPOINT`
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
        self._close(self._backend.connections)

    def _close(self, connections: Connections) -> None:
        connections.close()
        if self._made_engine is not None:
            self._made_engine.dispose()
