"""One turn's transaction on SQLite or PostgreSQL, run on a DBAPI connection.

Locking, per backend:

- SQLite: the turn begins with ``BEGIN IMMEDIATE``, which takes the database's single write lock
  before the first read. Turns (of any conversation, from any thread or process) are serialised;
  WAL lets readers go on meanwhile. Holding the lock, the turn reads the conversation and the
  user's and bot's variables in one SELECT, and merges the changed variables into what it read.
- PostgreSQL: the turn inserts the conversation row if missing (``ON CONFLICT DO NOTHING``) and
  locks it with ``SELECT ... FOR UPDATE``: turns of one conversation are serialised across
  processes and server instances, other conversations run in parallel. User and bot rows are read
  without a lock; ``save`` locks them the same way (user before bot, so turns never deadlock) and
  merges only the changed keys.

What ``save`` is given is written when the turn exits, in a few multi-row statements right before
the COMMIT: on PostgreSQL every statement is a network round trip. A turn that keeps its session
open updates the conversation row without touching ``has_session``, so the open-sessions index is
not rewritten (on SQLite every page a commit changes is one more write to the WAL).

Connections: SQLite turns run on one connection per thread, kept for the store's life (no pool
checkout, and the connection's page cache stays warm); PostgreSQL turns on pooled connections.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, cast

from workbench.schema import ConversationRecord, TranscriptEvent
from workbench.stores._json import dump_json
from workbench.stores._layout import EVENT_COLUMNS, EVENTS_PER_STATEMENT
from workbench.stores._rows import event_params, record_of, vars_of

if TYPE_CHECKING:  # SQLAlchemy is imported only by stores that need it (not SQLite files)
    from sqlalchemy import Engine
    from sqlalchemy.pool import PoolProxiedConnection

    from workbench.stores._statements import TurnStatements


class Connections(Protocol):
    """Where a turn gets its DBAPI connection, and gives it back."""

    def get(self) -> Any: ...

    def release(self, connection: Any, error: BaseException | None) -> None:
        """Take back a connection whose turn committed (``error`` None) or failed."""
        ...

    def close(self) -> None: ...


class _Held:
    """A thread's connection, closed when the thread ends and drops its locals.

    A sqlite3 connection is part of a reference cycle (with its statement cache), so without
    this it would stay open until a full garbage collection.
    """

    __slots__ = ("__weakref__", "connection")

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __del__(self) -> None:
        self.connection.close()


class ThreadConnections:
    """SQLite: one connection per thread, opened on the thread's first turn.

    A connection is closed with the store, when its thread ends, or after a database error (the
    next turn opens a new one). The ``connect`` function configures connections as the engine's
    pool does (see :mod:`workbench.stores._sqlite`).
    """

    def __init__(self, connect: Callable[[], sqlite3.Connection]) -> None:
        self._connect = connect
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: weakref.WeakSet[_Held] = weakref.WeakSet()

    def get(self) -> sqlite3.Connection:
        try:
            connection: sqlite3.Connection = self._local.held.connection
        except AttributeError:
            return self._new()
        if connection.in_transaction:
            raise RuntimeError(
                "a turn of this store is already open in this thread: on SQLite it holds the "
                "database's write lock, so no other turn can run until it ends"
            )
        return connection

    def _new(self) -> sqlite3.Connection:
        held = _Held(self._connect())
        with self._lock:
            self._open.add(held)
            self._local.held = held
        return held.connection

    def release(self, connection: Any, error: BaseException | None) -> None:
        if error is None:
            return
        try:
            connection.rollback()
        except sqlite3.Error:
            self._drop(connection)
            return
        if isinstance(error, sqlite3.Error):  # whatever it was, the next turn starts afresh
            self._drop(connection)

    def _drop(self, connection: sqlite3.Connection) -> None:
        with self._lock:
            held = getattr(self._local, "held", None)
            if held is not None and held.connection is connection:
                self._open.discard(held)
                del self._local.held
        connection.close()

    def close(self) -> None:
        """Close every thread's connection; turns after this open new ones."""
        with self._lock:
            held = list(self._open)
            self._open = weakref.WeakSet()
            self._local = threading.local()
        for each in held:
            each.connection.close()


class PooledConnections:
    """PostgreSQL (and in-memory SQLite): connections of the engine's pool.

    Checking a connection out of SQLAlchemy's pool and back costs about 9 µs. Turns reuse up to
    ``keep`` connections instead; only connections whose transaction ended cleanly come back
    here, anything else goes back to (or out of) the pool.
    """

    def __init__(self, engine: Engine, keep: int = 4) -> None:
        self._engine = engine
        self._keep = keep
        self._idle: list[PoolProxiedConnection] = []
        self._closed = False

    def get(self) -> PoolProxiedConnection:
        try:
            return self._idle.pop()  # atomic: safe from many threads
        except IndexError:
            return self._engine.raw_connection()

    def release(self, connection: Any, error: BaseException | None) -> None:
        """Keep a committed connection; after an error roll back and return it to the pool (or
        drop it if the error says it is broken)."""
        raw: PoolProxiedConnection = connection
        if error is None:
            if self._closed or len(self._idle) >= self._keep:
                raw.close()
            else:
                self._idle.append(raw)
            return
        dialect = self._engine.dialect
        try:
            if isinstance(error, dialect.loaded_dbapi.Error) and dialect.is_disconnect(
                error, raw.dbapi_connection, None
            ):
                raw.invalidate(error)
                return
            raw.rollback()
        finally:
            raw.close()

    def close(self) -> None:
        self._closed = True
        while self._idle:
            self._idle.pop().close()


class TurnSQL(Protocol):
    """The statements every SQL turn runs: ``TurnStatements`` (compiled by SQLAlchemy) or, on a
    SQLite file, ``SQLiteStatements`` (the same text, written out)."""

    @property
    def read_turn(self) -> str: ...
    @property
    def upsert_conversation(self) -> str: ...
    @property
    def update_conversation(self) -> str: ...
    @property
    def update_conversation_flag(self) -> str: ...
    @property
    def upsert_user(self) -> str: ...
    @property
    def upsert_bot(self) -> str: ...
    def append_events(self, rows: int) -> str: ...


@dataclass(frozen=True)
class Backend:
    """What a turn needs to know about its database."""

    connections: Connections
    sql: TurnSQL
    sqlite: bool
    """SQLite: ``BEGIN IMMEDIATE`` locks everything; else PostgreSQL's row locks."""

    @property
    def pg(self) -> TurnStatements:
        """PostgreSQL's statements (those stores always compile them with SQLAlchemy)."""
        return cast("TurnStatements", self.sql)


class SQLTurn:
    """A :class:`~workbench.stores.TurnTransaction` of a SQL store (see the module docstring)."""

    conversation: ConversationRecord
    user_vars: dict[str, Any]
    bot_vars: dict[str, Any]

    def __init__(self, backend: Backend, bot: str, conversation_id: str, user_id: str) -> None:
        self._backend = backend
        self._bot = bot
        self._conversation_id = conversation_id
        self._user_id = user_id
        self._saved: tuple[Any, ...] | None = None
        self._events: list[Any] = []
        """The saved events' rows, one after the other (:data:`EVENT_COLUMNS` values each)."""
        self._user_row: dict[str, Any] | None = None
        self._bot_row: dict[str, Any] | None = None

    def __enter__(self) -> SQLTurn:
        backend = self._backend
        self._conn = connection = backend.connections.get()
        try:
            if backend.sqlite:
                self._read(connection)
            else:
                self._lock(connection)
        except BaseException as error:
            backend.connections.release(connection, error)
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connections = self._backend.connections
        if exc is not None:
            connections.release(self._conn, exc)
            return
        try:
            self._commit()
        except BaseException as error:
            connections.release(self._conn, error)
            raise
        connections.release(self._conn, None)

    def _read(self, connection: Any) -> None:
        """SQLite: take the write lock, read the conversation and the variables at once."""
        cursor = connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        bot, conversation_id, user_id = self._bot, self._conversation_id, self._user_id
        cursor.execute(self._backend.sql.read_turn, (bot, user_id, bot, bot, conversation_id))
        row = cursor.fetchone()
        user, bot_vars = self._vars = row[:2]  # what a merge starts from (the lock is held)
        self._stored = row[2] is not None  # user_id is NOT NULL: no row, no conversation
        self._had_session = row[3] is not None
        if self._stored:
            self.conversation = record_of(conversation_id, row[2:])
        else:
            self.conversation = ConversationRecord(id=conversation_id, user_id=user_id)
        self.user_vars, self.bot_vars = vars_of(user), vars_of(bot_vars)

    def _lock(self, connection: Any) -> None:
        """PostgreSQL: lock the conversation (creating it) and read it, then the variables."""
        cursor, sql = connection.cursor(), self._backend.pg
        bot, conversation_id, user_id = self._bot, self._conversation_id, self._user_id
        lock = sql.lock_conversation
        params = lock.params({"bot": bot, "id": conversation_id, "user_id": user_id})
        cursor.execute(lock.sql, params)
        row = cursor.fetchone()
        if row is None:  # created by a concurrent turn: lock it now
            cursor.execute(lock.sql, params)
            row = cursor.fetchone()
            if row is None:
                raise RuntimeError(f"conversation {conversation_id!r} could not be locked")
        self._stored = True  # the placeholder row of a new conversation has no session
        self._had_session = row[1] is not None
        self.conversation = record_of(conversation_id, row)
        # After the lock: what the previous turn of this conversation wrote is visible.
        cursor.execute(sql.read_vars, (bot, user_id, bot))
        user, bot_vars = cursor.fetchone() or (None, None)
        self.user_vars, self.bot_vars = vars_of(user), vars_of(bot_vars)

    def save(
        self,
        conversation: ConversationRecord,
        events: list[TranscriptEvent],
        user_changes: dict[str, Any] | None = None,
        bot_changes: dict[str, Any] | None = None,
    ) -> None:
        """Stage the conversation and events, merge the user and bot variables.

        Everything is written when the ``with`` block exits normally. A changed key set to
        ``None`` is stored as JSON null (it reads back as ``None``, the key stays).
        """
        session = conversation.session
        updated_at = conversation.updated_at or time.time()
        self._saved = (
            self._bot,
            conversation.id,
            conversation.user_id,
            None if session is None else dump_json(session),
            conversation.turn,
            updated_at,
            session is not None,
        )
        bot, rows = self._bot, self._events
        for event in events:
            rows += event_params(bot, event)
        if user_changes:
            self._user_row = self._merge(0, user_changes)
            self.user_vars = dict(self._user_row)
        if bot_changes:
            self._bot_row = self._merge(1, bot_changes)
            self.bot_vars = dict(self._bot_row)
        conversation.updated_at = updated_at
        self.conversation = conversation

    def _merge(self, scope: int, changes: dict[str, Any]) -> dict[str, Any]:
        """The stored variables (``scope`` 0: the user's, 1: the bot's) with ``changes``."""
        row = self._user_row if scope == 0 else self._bot_row
        if row is None:  # first change in this turn
            if self._backend.sqlite:  # what the turn read under the lock is current
                row = vars_of(self._vars[scope])
            else:  # lock the row and read it
                sql, cursor = self._backend.pg, self._conn.cursor()
                key: tuple[str, ...]
                if scope == 0:
                    create, lock, key = sql.create_user, sql.lock_user, (self._bot, self._user_id)
                else:
                    create, lock, key = sql.create_bot, sql.lock_bot, (self._bot,)
                cursor.execute(create, key)  # there must be a row to lock
                cursor.execute(lock, key)
                row = vars_of(_scalar(cursor.fetchone()))
        row.update(changes)
        return row

    def _commit(self) -> None:
        """Write what was saved and commit in one batch; without a ``save``, just roll back."""
        connection, sql, bot = self._conn, self._backend.sql, self._bot
        if self._saved is None and self._user_row is None and self._bot_row is None:
            connection.rollback()  # releases the lock; drops a new conversation's placeholder
            return
        cursor = connection.cursor()
        if self._saved is not None:
            cursor.execute(*self._write_conversation(self._saved))
        events, size = self._events, EVENTS_PER_STATEMENT * len(EVENT_COLUMNS)
        if len(events) <= size:  # the usual turn: one statement
            if events:
                cursor.execute(sql.append_events(len(events) // len(EVENT_COLUMNS)), events)
        else:
            for start in range(0, len(events), size):
                chunk = events[start : start + size]
                cursor.execute(sql.append_events(len(chunk) // len(EVENT_COLUMNS)), chunk)
        sqlite = self._backend.sqlite
        if self._user_row is not None:
            user_vars = dump_json(self._user_row)
            if sqlite:
                cursor.execute(sql.upsert_user, (bot, self._user_id, user_vars))
            else:
                cursor.execute(self._backend.pg.write_user, (user_vars, bot, self._user_id))
        if self._bot_row is not None:
            bot_vars = dump_json(self._bot_row)
            if sqlite:
                cursor.execute(sql.upsert_bot, (bot, bot_vars))
            else:
                cursor.execute(self._backend.pg.write_bot, (bot_vars, bot))
        connection.commit()

    def _write_conversation(self, saved: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
        """The statement writing the saved conversation row, and its parameters.

        A row that exists is updated; ``has_session`` only when it changes (see the module
        docstring). A new row, or another conversation than the turn's, is upserted whole.
        """
        sql = self._backend.sql
        bot, conversation_id, user_id, session, turn, updated_at, has_session = saved
        if conversation_id != self._conversation_id or not self._stored:
            return sql.upsert_conversation, saved
        fields = (user_id, session, turn, updated_at)
        if has_session == self._had_session:
            return sql.update_conversation, (*fields, bot, conversation_id)
        return sql.update_conversation_flag, (*fields, has_session, bot, conversation_id)


def _scalar(row: Any) -> Any:
    return None if row is None else row[0]
