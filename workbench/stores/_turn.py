"""One turn's transaction on SQLite or PostgreSQL, run on a pooled DBAPI connection.

Locking, per backend:

- SQLite: the turn begins with ``BEGIN IMMEDIATE``, which takes the database's single write lock
  before the first read. Turns (of any conversation, from any thread or process) are serialised;
  WAL lets readers go on meanwhile.
- PostgreSQL: the turn inserts the conversation row if missing (``ON CONFLICT DO NOTHING``) and
  locks it with ``SELECT ... FOR UPDATE``: turns of one conversation are serialised across
  processes and server instances, other conversations run in parallel. User and bot rows are read
  without a lock; ``save`` locks them the same way (user before bot, so turns never deadlock) and
  merges only the changed keys.

What ``save`` is given is written when the turn exits, in a few multi-row statements right before
the COMMIT: on PostgreSQL every statement is a network round trip.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.pool import PoolProxiedConnection

from workbench.schema import ConversationRecord, TranscriptEvent
from workbench.stores._json import dump_json
from workbench.stores._rows import event_params, record_of, vars_of
from workbench.stores._statements import EVENTS_PER_STATEMENT, TurnStatements


class ConnectionCache:
    """A few connections kept out of the pool between turns.

    Checking a connection out of SQLAlchemy's pool and back costs about 9 µs, close to a tenth of
    a SQLite turn. Turns reuse up to ``keep`` connections instead; only connections whose
    transaction ended cleanly come back here, anything else goes back to (or out of) the pool.
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

    def put(self, raw: PoolProxiedConnection) -> None:
        if self._closed or len(self._idle) >= self._keep:
            raw.close()
        else:
            self._idle.append(raw)

    def close(self) -> None:
        self._closed = True
        while self._idle:
            self._idle.pop().close()


@dataclass(frozen=True)
class Backend:
    """What a turn needs to know about its database."""

    engine: Engine
    connections: ConnectionCache
    sql: TurnStatements
    begin: str | None
    """The statement that opens a turn (SQLite: ``BEGIN IMMEDIATE``); None = the driver's own."""
    locks_rows: bool
    """PostgreSQL: ``lock_conversation`` creates the row, so no row back means "run it again"."""


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
        self._events: list[tuple[Any, ...]] = []
        self._user_row: dict[str, Any] | None = None
        self._bot_row: dict[str, Any] | None = None

    def __enter__(self) -> SQLTurn:
        self._raw = self._backend.connections.get()
        try:
            self._load()
        except BaseException as error:
            self._release(error)
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None:
            self._release(exc)
            return
        try:
            self._commit()
        except BaseException as error:
            self._release(error)
            raise
        self._release(None)

    def _load(self) -> None:
        """Lock the conversation and read it, then the user's and the bot's variables."""
        cursor, sql, backend = self._raw.cursor(), self._backend.sql, self._backend
        bot, conversation_id, user_id = self._bot, self._conversation_id, self._user_id
        if backend.begin is not None:
            cursor.execute(backend.begin)
        lock = sql.lock_conversation
        params = lock.params({"bot": bot, "id": conversation_id, "user_id": user_id})
        cursor.execute(lock.sql, params)
        row = cursor.fetchone()
        if row is None and backend.locks_rows:  # created by a concurrent turn: lock it now
            cursor.execute(lock.sql, params)
            row = cursor.fetchone()
            if row is None:
                raise RuntimeError(f"conversation {conversation_id!r} could not be locked")
        if row is None:
            self.conversation = ConversationRecord(id=conversation_id, user_id=user_id)
        else:
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
        """Stage the conversation and events, lock and merge the user and bot variables.

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
        self._events.extend([event_params(self._bot, event) for event in events])
        if user_changes:
            self._user_row = self._merge("user", user_changes)
            self.user_vars = dict(self._user_row)
        if bot_changes:
            self._bot_row = self._merge("bot", bot_changes)
            self.bot_vars = dict(self._bot_row)
        conversation.updated_at = updated_at
        self.conversation = conversation

    def _merge(self, scope: str, changes: dict[str, Any]) -> dict[str, Any]:
        """The locked row's variables with ``changes`` applied (creating the row if missing)."""
        sql, raw = self._backend.sql, self._raw
        row = self._user_row if scope == "user" else self._bot_row
        if row is None:  # first change in this turn: lock the row and read it
            key: tuple[str, ...]
            if scope == "user":
                create, lock, key = sql.create_user, sql.lock_user, (self._bot, self._user_id)
            else:
                create, lock, key = sql.create_bot, sql.lock_bot, (self._bot,)
            cursor = raw.cursor()
            cursor.execute(create, key)  # on PostgreSQL there must be a row to lock
            cursor.execute(lock, key)
            row = vars_of(_scalar(cursor.fetchone()))
        row.update(changes)
        return row

    def _commit(self) -> None:
        """Write what was saved and commit in one batch; without a ``save``, just roll back."""
        raw, sql, bot = self._raw, self._backend.sql, self._bot
        if self._saved is None and self._user_row is None and self._bot_row is None:
            raw.rollback()  # releases the lock; drops the placeholder row of a new conversation
            return
        cursor = raw.cursor()
        if self._saved is not None:
            cursor.execute(sql.save_conversation, self._saved)
        events, size = self._events, EVENTS_PER_STATEMENT
        for start in range(0, len(events), size):
            chunk = events[start : start + size]
            cursor.execute(sql.append_events(len(chunk)), [v for row in chunk for v in row])
        if self._user_row is not None:
            cursor.execute(sql.write_user, (dump_json(self._user_row), bot, self._user_id))
        if self._bot_row is not None:
            cursor.execute(sql.write_bot, (dump_json(self._bot_row), bot))
        raw.commit()

    def _release(self, error: BaseException | None) -> None:
        """Give the connection back once committed; after an error roll back and return it to
        the pool (or drop it if the error says it is broken)."""
        raw, dialect = self._raw, self._backend.engine.dialect
        if error is None:
            self._backend.connections.put(raw)
            return
        try:
            if isinstance(error, dialect.loaded_dbapi.Error) and dialect.is_disconnect(
                error, raw.dbapi_connection, None
            ):
                raw.invalidate(error)
                return
            raw.rollback()
        finally:
            raw.close()


def _scalar(row: Any) -> Any:
    return None if row is None else row[0]
