"""Engines for SQLite and PostgreSQL, configured for the store's transactions, and schema setup."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, insert, select
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import ConnectionPoolEntry

from workbench.schema import WorkbenchError
from workbench.stores import _tables as t

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
_SCHEMA_LOCK_KEY = 0x776B_7363_6865_6D61  # "wkschema": the advisory lock serialising create_all
_SQLITE_PRAGMAS = (
    "PRAGMA busy_timeout=30000",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT}",
)
_BUSY_SECONDS = 30.0
_SQLITE_CONNECT_ARGS = {"check_same_thread": False, "timeout": _BUSY_SECONDS}


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


def make_engine(url: str) -> Engine:
    """An engine whose transactions behave as the store needs on either backend."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_size=8, max_overflow=32, pool_pre_ping=False)
    raise WorkbenchError(
        f"unsupported store URL {parsed!r}: use sqlite:///PATH, postgresql://... or memory://"
    )


def is_sqlite_file(engine: Engine) -> bool:
    """True for a SQLite database in a file (not ``:memory:``, whose connections differ)."""
    return engine.dialect.name == "sqlite" and _is_file(engine.url)


def _is_file(url: URL) -> bool:
    return bool(url.database) and url.database != ":memory:" and not url.query.get("uri")


def _sqlite_engine(url: URL) -> Engine:
    """SQLite with WAL and explicit transactions.

    pysqlite's legacy transaction handling begins transactions lazily (only before DML), so a
    turn's reads would run outside its transaction and two turns could both read the same state.
    Following SQLAlchemy's recipe we switch that off and emit ``BEGIN IMMEDIATE`` ourselves: a
    turn holds the write lock from its first read, so concurrent turns are serialised.
    """
    is_file = _is_file(url)
    if is_file:
        Path(str(url.database)).parent.mkdir(parents=True, exist_ok=True)
    pool = {"pool_size": 8, "max_overflow": 32} if is_file else {}
    engine = create_engine(url, connect_args=_SQLITE_CONNECT_ARGS, **pool)

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

    Turns keep one such connection per thread (see ``_turn.ThreadConnections``).
    """
    dialect = engine.dialect
    args, params = dialect.create_connect_args(engine.url)
    params = {**params, **_SQLITE_CONNECT_ARGS}

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
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
        _enable_wal(cursor)
    finally:
        cursor.close()


def _enable_wal(cursor: Any) -> None:
    """Switch the file to WAL (a no-op once it is).

    The switch needs an exclusive lock, and SQLite answers "database is locked" at once, without
    waiting ``busy_timeout``, when several connections try it together on a new file: retry.
    """
    deadline = time.monotonic() + _BUSY_SECONDS
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


def schema_state(dbapi_connection: Any, dialect: str) -> tuple[int | None, bool]:
    """The stored schema version (None if there is none yet, or no table), and whether the
    layout still has an index it should no longer have.

    One cheap query on a DBAPI connection, which is left without a transaction.
    """
    if dialect == "postgresql":  # in the schema the connection's search_path picks
        stale = " OR ".join(f"to_regclass('{name}') IS NOT NULL" for name in t.RETIRED_INDEXES)
    else:
        names = ", ".join(f"'{name}'" for name in t.RETIRED_INDEXES)
        stale = f"EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name IN ({names}))"
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"SELECT max(version), {stale} FROM {t.schema.name}")
        row = cursor.fetchone()
    except Exception:  # the table does not exist (yet): let create_schema decide
        dbapi_connection.rollback()
        return None, False
    finally:
        cursor.close()
    dbapi_connection.rollback()  # end the read transaction a driver may have begun (psycopg)
    return (None, False) if row is None else (row[0], bool(row[1]))


def ensure_schema(engine: Engine, state: tuple[int | None, bool]) -> None:
    """Create or update the schema unless ``state`` (see :func:`schema_state`) says it is current.

    The common case, opening an existing store, costs the caller's one query: no reflection.
    """
    version, stale = state
    if version == t.SCHEMA_VERSION and not stale:
        return
    if version is not None and version > t.SCHEMA_VERSION:
        raise _newer_schema(engine, version)
    create_schema(engine)


def read_schema_state(engine: Engine) -> tuple[int | None, bool]:
    """:func:`schema_state` on one of the engine's pooled connections."""
    raw = engine.raw_connection()
    try:
        return schema_state(raw.dbapi_connection, engine.dialect.name)
    finally:
        raw.close()


def create_schema(engine: Engine) -> None:
    """Create the tables if missing, and the indexes; safe when several processes open the store.

    On PostgreSQL a transaction-scoped advisory lock serialises concurrent ``create_all`` calls
    (which otherwise race on the catalog); on SQLite the ``BEGIN IMMEDIATE`` does the same.
    """
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_SCHEMA_LOCK_KEY)))
        t.metadata.create_all(conn)
        version = conn.execute(select(func.max(t.schema.c.version))).scalar()
        if version is None:
            conn.execute(insert(t.schema).values(version=t.SCHEMA_VERSION))
        elif version > t.SCHEMA_VERSION:
            raise _newer_schema(engine, version)
        _update_indexes(conn)


def _update_indexes(conn: Connection) -> None:
    """Drop the retired indexes, create the current ones on tables made by earlier layouts
    (``create_all`` only indexes the tables it creates)."""
    for name in t.RETIRED_INDEXES:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    for table in t.metadata.sorted_tables:
        for index in table.indexes:
            index.create(conn, checkfirst=True)


def _newer_schema(engine: Engine, version: int) -> WorkbenchError:
    return WorkbenchError(
        f"the store at {engine.url!r} has schema version {version}, newer than this "
        f"workbench understands ({t.SCHEMA_VERSION}): upgrade bot-workbench"
    )
