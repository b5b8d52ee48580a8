"""Engines for SQLite and PostgreSQL, and how the store configures its SQLite connections.

SQLite durability: WAL with ``synchronous=NORMAL``. A commit is in the WAL file when it returns,
so it survives the process crashing; a power loss or OS crash may lose the last commits (not
corrupt the database). ``FULL`` would add an fsync to every turn.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import ConnectionPoolEntry

from workbench.schema import WorkbenchError

__all__ = [
    "READ_ONLY",
    "WAL_AUTOCHECKPOINT",
    "make_engine",
    "normalise_url",
    "sqlite_connector",
    "sqlite_path",
]

READ_ONLY = "workbench_read_only"
"""Execution option: on SQLite, begin with a plain (deferred) BEGIN instead of BEGIN IMMEDIATE."""
WAL_AUTOCHECKPOINT = 10_000
"""WAL frames (pages of 4 KiB) after which a commit copies the WAL back into the database.

A checkpoint costs two fsyncs plus the page copies, and the commit after it one more fsync (of
the restarted WAL's header). On the project's 2-core VM that is ~12 ms for SQLite's default of
1,000 frames, which a turn in ~200 pays (~60 µs per turn on average; the p99 is a checkpoint),
and ~35 ms for 10,000 frames, paid once in ~2,000 turns. The WAL then grows to ~40 MiB (SQLite
deletes it when the last connection closes). :meth:`SQLStore.checkpoint` does the work outside
turns when the janitor calls it. Durability is unchanged: a commit is in the WAL file when it
returns, and ``synchronous=NORMAL`` syncs the WAL before each checkpoint copies it.
"""
BUSY_SECONDS = 30.0
CONNECT_ARGS: dict[str, Any] = {"check_same_thread": False, "timeout": BUSY_SECONDS}
"""What every SQLite connection is opened with (SQLAlchemy's engine gets them as connect_args)."""
_PRAGMAS = (
    "PRAGMA busy_timeout=30000",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT}",
)


def normalise_url(url: str) -> URL:
    """Parse ``url``; plain ``postgresql://`` / ``postgres://`` mean the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise WorkbenchError(f"not a store URL: {url!r} ({error})") from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: URL) -> Engine:
    """An engine whose transactions behave as the store needs on either backend."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    if url.get_backend_name() == "postgresql":
        return create_engine(url, pool_size=8, max_overflow=32, pool_pre_ping=False)
    raise WorkbenchError(
        f"unsupported store URL {url!r}: use sqlite:///PATH, postgresql://... or memory://"
    )


def sqlite_path(engine: Engine) -> str | None:
    """The absolute path of a SQLite database in a file; None for anything else (PostgreSQL,
    ``:memory:``, a ``file:`` URI), whose connections cannot be opened again by path."""
    url = engine.url
    if engine.dialect.name != "sqlite" or url.query.get("uri"):
        return None
    if not url.database or url.database == ":memory:":
        return None
    return os.path.abspath(url.database)


def _sqlite_engine(url: URL) -> Engine:
    """SQLite with WAL and explicit transactions.

    pysqlite's legacy transaction handling begins transactions lazily (only before DML), so a
    transaction's reads would run outside it. Following SQLAlchemy's recipe we switch that off
    and emit ``BEGIN IMMEDIATE`` ourselves (a plain ``BEGIN`` for reads, see
    :data:`READ_ONLY`): a write transaction holds the write lock from its first statement.
    """
    is_file = bool(url.database) and url.database != ":memory:" and not url.query.get("uri")
    if is_file:
        Path(str(url.database)).parent.mkdir(parents=True, exist_ok=True)
    pool = {"pool_size": 8, "max_overflow": 32} if is_file else {}
    engine = create_engine(url, connect_args=CONNECT_ARGS, **pool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        configure_sqlite(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def sqlite_connector(engine: Engine) -> Callable[[], sqlite3.Connection]:
    """A function opening connections as the engine's pool does, but outside the pool.

    SQLite turns keep one such connection per thread (see ``_connections.ThreadConnections``).
    """
    dialect = engine.dialect
    args, params = dialect.create_connect_args(engine.url)
    params = {**params, **CONNECT_ARGS}

    def connect() -> sqlite3.Connection:
        connection: sqlite3.Connection = dialect.loaded_dbapi.connect(*args, **params)
        try:
            configure_sqlite(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    return connect


def configure_sqlite(dbapi_connection: Any) -> None:
    """Autocommit mode (transactions are begun explicitly), the pragmas, WAL."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _PRAGMAS:
            cursor.execute(pragma)
        _enable_wal(cursor)
    finally:
        cursor.close()


def _enable_wal(cursor: Any) -> None:
    """Switch the file to WAL (a no-op once it is).

    The switch needs an exclusive lock, and SQLite answers "database is locked" at once, without
    waiting ``busy_timeout``, when several connections try it together on a new file: retry.
    """
    deadline = time.monotonic() + BUSY_SECONDS
    delay = 0.001
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.05)
