"""SQLite turns: the conversation locked for the whole turn, the database only while it is written.

SQLite has one write lock for the whole database. A turn that took it with its first read (as
the store once did) stopped every other conversation's turns while it ran NLU, the engine and the
user's actions: one 200 ms action, 200 ms of nothing for everybody. So a turn:

1. takes its conversation's lock (:func:`~workbench.stores._locks.conversation_locks`: threads
   and processes), held until the ``with`` block ends, so the turns of one conversation run one
   after the other and none of them reads what another is about to overwrite;
2. reads the conversation and the user's and bot's variables in one SELECT, outside any write
   transaction (in WAL mode readers never wait for the writer);
3. when the block ends after a ``save``: ``BEGIN IMMEDIATE``, reads the variables again if it
   changed some (another conversation of the user may have changed other keys meanwhile),
   writes the conversation row, the transcript rows and the merged variables, ``COMMIT``. The
   write lock is held for those few statements only.

Nothing else writes a conversation row without its lock (``reset`` takes it too), so what the
turn read at the start is still what is stored when it writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from sqlalchemy import Engine

from workbench.schema import ConversationRecord
from workbench.stores._connections import Connections, PooledConnections, ThreadConnections
from workbench.stores._engine import sqlite_connector, sqlite_path
from workbench.stores._locks import ConversationBusy, conversation_locks
from workbench.stores._rows import record_of, vars_of
from workbench.stores._statements import TurnStatements
from workbench.stores._turn import SQLTurn

__all__ = ["SQLiteBackend", "SQLiteTurn"]


class SQLiteBackend:
    """A SQLite store's turns: its connections, statements and conversation locks."""

    def __init__(self, engine: Engine) -> None:
        self.sql = TurnStatements(engine.dialect)
        path = sqlite_path(engine)
        self.locks = conversation_locks(path)
        self.threads = ThreadConnections(sqlite_connector(engine))
        """A SQLite file: each thread's own connection (and cursor), kept for the store's life."""
        self.connections: Connections = self.threads
        if path is None:  # in memory: the pool hands each thread the same connection
            self.connections = PooledConnections(engine)
        self.pooled = path is None
        """Connections go back to a pool after use (a thread's own connection stays with it)."""

    def turn(self, bot: str, conversation_id: str, user_id: str, wait: bool = True) -> SQLiteTurn:
        return SQLiteTurn(self, bot, conversation_id, user_id, wait)

    @contextmanager
    def exclusive(self, bot: str, conversation_id: str) -> Iterator[None]:
        """Hold the conversation's lock (around a ``reset``: it waits for a running turn)."""
        key = self.locks.acquire(bot, conversation_id)
        try:
            yield
        finally:
            self.locks.release(key)

    def checkpoint(self) -> None:
        """See :meth:`~workbench.stores.SQLStore.checkpoint`."""
        if self.pooled:  # in memory: no log
            return
        connection = self.connections.get()
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
        self.connections.close()


class SQLiteTurn(SQLTurn):
    """A :class:`~workbench.stores.TurnTransaction` on SQLite (see the module docstring)."""

    _backend: SQLiteBackend

    def __enter__(self) -> SQLiteTurn:
        backend, bot, conversation_id = self._backend, self._bot, self._conversation_id
        if self._wait:
            self._held = backend.locks.acquire(bot, conversation_id)
        else:
            self._held = backend.locks.try_acquire(bot, conversation_id)
            if self._held is None:
                raise ConversationBusy(conversation_id)
        try:
            connections = backend.connections
            if backend.pooled:
                connection = connections.get()
                cursor = connection.cursor()
            else:  # the thread's own connection, and its cursor
                cursor = backend.threads.cursor()
                connection = cursor.connection
            try:
                cursor.execute(self._sql.read_turn, (bot, self._user_id, bot, bot, conversation_id))
                row = cursor.fetchone()  # the only row: the statement is done, no snapshot kept
            except BaseException as error:
                connections.release(connection, error)
                raise
            if backend.pooled:
                connections.release(connection, None)
        except BaseException:
            backend.locks.release(self._held)
            raise
        # user vars, bot vars, then the conversation's user_id, session, turn, updated_at
        self._stored = row[2] is not None  # user_id is NOT NULL: no row, no conversation
        self._had_session = row[3] is not None
        if self._stored:
            self.conversation = record_of(conversation_id, row[2:])
        else:
            self.conversation = ConversationRecord(id=conversation_id, user_id=self._user_id)
        self.user_vars, self.bot_vars = vars_of(row[0]), vars_of(row[1])
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        backend = self._backend
        try:
            if exc is None and self._saved is not None:
                connections = backend.connections
                if backend.pooled:
                    connection = connections.get()
                    cursor = connection.cursor()
                else:
                    cursor = backend.threads.cursor()
                    connection = cursor.connection
                try:
                    cursor.execute("BEGIN IMMEDIATE")
                    self._write(connection, cursor)
                except BaseException as error:
                    connections.release(connection, error)
                    raise
                if backend.pooled:
                    connections.release(connection, None)
        finally:
            backend.locks.release(self._held)

    def _fetch_one(self, sql: str, params: tuple[Any, ...]) -> Any:
        """Read outside any write transaction (WAL readers never wait for the writer)."""
        backend = self._backend
        if not backend.pooled:
            cursor = backend.threads.cursor()
            cursor.execute(sql, params)
            return cursor.fetchone()
        connection = backend.connections.get()
        try:
            row = connection.execute(sql, params).fetchone()
        except BaseException as error:
            backend.connections.release(connection, error)
            raise
        backend.connections.release(connection, None)
        return row

    def _stored_vars(self, cursor: Any) -> tuple[str | None, str | None]:
        """Both rows in one SELECT: the transaction holds the write lock, nobody changes them."""
        bot = self._bot
        cursor.execute(self._sql.read_vars, (bot, self._user_id, bot))
        user_vars, bot_vars = cursor.fetchone()
        return user_vars, bot_vars
