"""Engines for SQLite and PostgreSQL, configured for the store's transactions, and schema setup."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, insert, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import ConnectionPoolEntry

from workbench.schema import WorkbenchError
from workbench.stores import _tables as t

READ_ONLY = "workbench_read_only"
"""Execution option: on SQLite, begin with a plain (deferred) BEGIN instead of BEGIN IMMEDIATE."""

_SCHEMA_LOCK_KEY = 0x776B_7363_6865_6D61  # "wkschema": the advisory lock serialising create_all
_SQLITE_PRAGMAS = (
    "PRAGMA busy_timeout=30000",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
)
_BUSY_SECONDS = 30.0


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


def _sqlite_engine(url: URL) -> Engine:
    """SQLite with WAL and explicit transactions.

    pysqlite's legacy transaction handling begins transactions lazily (only before DML), so a
    turn's reads would run outside its transaction and two turns could both read the same state.
    Following SQLAlchemy's recipe we switch that off and emit ``BEGIN IMMEDIATE`` ourselves: a
    turn holds the write lock from its first read, so concurrent turns are serialised.
    """
    is_file = bool(url.database) and url.database != ":memory:" and not url.query.get("uri")
    if is_file:
        Path(str(url.database)).parent.mkdir(parents=True, exist_ok=True)
    pool = {"pool_size": 8, "max_overflow": 32} if is_file else {}
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": _BUSY_SECONDS}, **pool
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
        _enable_wal(cursor)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


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


def create_schema(engine: Engine) -> None:
    """Create the tables if missing; safe when several processes open the store at once.

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
            raise WorkbenchError(
                f"the store at {engine.url!r} has schema version {version}, newer than this "
                f"workbench understands ({t.SCHEMA_VERSION}): upgrade bot-workbench"
            )
