"""PostgreSQL turns: the conversation's row lock, held by the turn's transaction.

A turn inserts its conversation row if missing (``ON CONFLICT DO NOTHING``) and locks it with
``SELECT ... FOR UPDATE`` in one statement, then reads the user's and bot's variables without a
lock. The row lock serialises the turns of one conversation across processes and server
instances; other conversations' rows are not locked, so their turns run meanwhile. When the
block ends after a ``save``, the turn locks the user's row, then the bot's (always in that order,
so two turns never deadlock), merges its changed keys into them as they are now, writes
everything and commits. ``reset`` is an UPDATE of the row: it waits for a running turn's lock.

Within one process, the turns of a conversation also take a thread lock first
(:class:`~workbench.stores._locks.KeyedLocks`): a turn waiting for the same conversation
waits there without holding a pooled connection, and a turn of a conversation opened inside
a turn of the same conversation, in the same thread, fails at once instead of waiting for its
own row lock forever.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from sqlalchemy import Engine

from workbench.stores._connections import PooledConnections
from workbench.stores._locks import ConversationBusy, KeyedLocks
from workbench.stores._rows import record_of, vars_of
from workbench.stores._statements import TurnStatements
from workbench.stores._turn import SQLTurn

__all__ = ["PostgresBackend", "PostgresTurn"]


class PostgresBackend:
    """A PostgreSQL store's turns: pooled connections and the compiled statements."""

    def __init__(self, engine: Engine) -> None:
        self.sql = TurnStatements(engine.dialect)
        self.connections = PooledConnections(engine)
        self.locks = KeyedLocks()

    def turn(self, bot: str, conversation_id: str, user_id: str, wait: bool = True) -> PostgresTurn:
        return PostgresTurn(self, bot, conversation_id, user_id, wait)

    @contextmanager
    def exclusive(self, bot: str, conversation_id: str) -> Iterator[None]:
        """Around a ``reset``: its UPDATE waits for the row lock of a running turn of another
        process; this thread lock, for one of this store (and refuses one of this thread)."""
        key = self.locks.acquire(bot, conversation_id)
        try:
            yield
        finally:
            self.locks.release(key)

    def checkpoint(self) -> None:
        """PostgreSQL checkpoints on its own."""

    def close(self) -> None:
        self.connections.close()


class PostgresTurn(SQLTurn):
    """A :class:`~workbench.stores.TurnTransaction` on PostgreSQL (see the module docstring)."""

    _backend: PostgresBackend

    def __enter__(self) -> PostgresTurn:
        backend = self._backend
        if self._wait:
            self._held = backend.locks.acquire(self._bot, self._conversation_id)
        else:
            held = backend.locks.try_acquire(self._bot, self._conversation_id)
            if held is None:
                raise ConversationBusy(self._conversation_id)
            self._held = held
        try:
            self._conn = connection = backend.connections.get()
            try:
                self._lock(connection.cursor())
            except BaseException as error:
                backend.connections.release(connection, error)
                raise
        except BaseException:
            backend.locks.release(self._held)
            raise
        return self

    def _lock(self, cursor: Any) -> None:
        """Lock the conversation (creating it) and read it, then the variables."""
        sql, bot, conversation_id = self._sql, self._bot, self._conversation_id
        lock = sql.lock_conversation if self._wait else sql.lock_conversation_skip_locked
        params = lock.params({"bot": bot, "id": conversation_id, "user_id": self._user_id})
        cursor.execute(lock.sql, params)
        row = cursor.fetchone()
        if row is None and not self._wait:  # another transaction holds the row
            raise ConversationBusy(conversation_id)
        if row is None:  # created by a concurrent turn: lock it now
            cursor.execute(lock.sql, params)
            row = cursor.fetchone()
            if row is None:
                raise RuntimeError(f"conversation {conversation_id!r} could not be locked")
        self._stored = True  # the placeholder row of a new conversation has no session
        self._had_session = row[1] is not None
        self.conversation = record_of(conversation_id, row)
        # After the lock: what the previous turn of this conversation wrote is visible.
        cursor.execute(sql.read_vars, (bot, self._user_id, bot))
        user, bot_vars = cursor.fetchone() or (None, None)
        self.user_vars, self.bot_vars = vars_of(user), vars_of(bot_vars)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._end(exc)
        finally:
            self._backend.locks.release(self._held)

    def _end(self, exc: BaseException | None) -> None:
        """Commit what was saved, or roll back; give the connection back."""
        connections, connection = self._backend.connections, self._conn
        if exc is not None:
            connections.release(connection, exc)
            return
        try:
            if self._saved is None:
                connection.rollback()  # releases the lock; drops a new conversation's placeholder
            else:
                self._write(connection, connection.cursor())
        except BaseException as error:
            connections.release(connection, error)
            raise
        connections.release(connection, None)

    def _fetch_one(self, sql: str, params: tuple[Any, ...]) -> Any:
        """Read in the turn's transaction, which holds the conversation's row lock."""
        cursor = self._conn.cursor()
        cursor.execute(sql, params)
        return cursor.fetchone()

    def _stored_vars(self, cursor: Any) -> tuple[str | None, str | None]:
        """Lock the user's row, then the bot's (creating them), and read them."""
        sql, bot = self._sql, self._bot
        user_vars = bot_vars = None
        if self._user_changes:
            cursor.execute(sql.create_user, (bot, self._user_id))  # there must be a row to lock
            cursor.execute(sql.lock_user, (bot, self._user_id))
            user_vars = _scalar(cursor.fetchone())
        if self._bot_changes:
            cursor.execute(sql.create_bot, (bot,))
            cursor.execute(sql.lock_bot, (bot,))
            bot_vars = _scalar(cursor.fetchone())
        return user_vars, bot_vars


def _scalar(row: Any) -> Any:
    return None if row is None else row[0]
