"""Where a turn gets its DBAPI connection, and gives it back.

- SQLite files: one connection per thread, kept for the store's life (no pool checkout, and the
  connection's page cache stays warm). A turn only borrows it for its read and for its write,
  so a turn of another conversation opened inside a turn shares it without trouble.
- PostgreSQL (and in-memory SQLite): the engine's pool, with the last few connections kept at
  hand. A PostgreSQL turn keeps its connection (and its transaction) from start to end.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.pool import PoolProxiedConnection

__all__ = ["Connections", "PooledConnections", "ThreadConnections"]


class Connections(Protocol):
    """Where a turn gets its DBAPI connection, and gives it back."""

    def get(self) -> Any: ...

    def release(self, connection: Any, error: BaseException | None) -> None:
        """Take back a connection whose work committed (``error`` None) or failed."""
        ...

    def close(self) -> None: ...


class _Held:
    """A thread's connection and its cursor, closed when the thread ends and drops its locals.

    A sqlite3 connection is part of a reference cycle (with its statement cache), so without
    this it would stay open until a full garbage collection.
    """

    __slots__ = ("__weakref__", "connection", "cursor")

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.cursor = connection.cursor()

    def __del__(self) -> None:
        self.connection.close()


class ThreadConnections:
    """SQLite: one connection per thread, opened on the thread's first use.

    A connection is closed with the store, when its thread ends, or after a database error (the
    next turn opens a new one). ``connect`` configures connections as the engine's pool does
    (see :func:`~workbench.stores._engine.sqlite_connector`).
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
        return connection

    def cursor(self) -> sqlite3.Cursor:
        """The thread's cursor, on its connection (``cursor.connection``): making one costs
        about as much as running a short statement, and a turn needs one to read, one to write.
        """
        try:
            cursor: sqlite3.Cursor = self._local.held.cursor
        except AttributeError:
            return self._new().cursor()
        return cursor

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
