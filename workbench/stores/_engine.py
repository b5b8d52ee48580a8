"""Engines for SQLite and PostgreSQL, configured for the store's transactions, and schema setup."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, insert, select
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import ConnectionPoolEntry

from workbench.schema import WorkbenchError
from workbench.stores import _tables as t
from workbench.stores._layout import (
    RETIRED_INDEXES,
    SCHEMA_VERSION,
    SchemaState,
    is_current,
    schema_state,
)
from workbench.stores._sqlite import CONNECT_ARGS, configure_sqlite, configured

READ_ONLY = "workbench_read_only"
"""Execution option: on SQLite, begin with a plain (deferred) BEGIN instead of BEGIN IMMEDIATE."""

_SCHEMA_LOCK_KEY = 0x776B_7363_6865_6D61  # "wkschema": the advisory lock serialising create_all

__all__ = [  # schema_state is re-exported: it runs on plain DBAPI connections (see _layout)
    "READ_ONLY",
    "create_schema",
    "ensure_schema",
    "is_sqlite_file",
    "make_engine",
    "normalise_url",
    "read_schema_state",
    "schema_state",
    "sqlite_connector",
]


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

    Turns keep one such connection per thread (see ``_turn.ThreadConnections``).
    """
    dialect = engine.dialect
    args, params = dialect.create_connect_args(engine.url)
    params = {**params, **CONNECT_ARGS}

    def connect() -> sqlite3.Connection:
        return configured(dialect.loaded_dbapi.connect(*args, **params))

    return connect


def ensure_schema(engine: Engine, state: SchemaState) -> None:
    """Create or update the schema unless ``state`` (see :func:`schema_state`) says it is current.

    The common case, opening an existing store, costs the caller's one query: no reflection.
    """
    if is_current(state):
        return
    version = state[0]
    if version is not None and version > SCHEMA_VERSION:
        raise _newer_schema(engine, version)
    create_schema(engine)


def read_schema_state(engine: Engine) -> SchemaState:
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
            conn.execute(insert(t.schema).values(version=SCHEMA_VERSION))
        elif version > SCHEMA_VERSION:
            raise _newer_schema(engine, version)
        _update_indexes(conn)


def _update_indexes(conn: Connection) -> None:
    """Drop the retired indexes, create the current ones on tables made by earlier layouts
    (``create_all`` only indexes the tables it creates)."""
    for name in RETIRED_INDEXES:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    for table in t.metadata.sorted_tables:
        for index in table.indexes:
            index.create(conn, checkfirst=True)


def _newer_schema(engine: Engine, version: int) -> WorkbenchError:
    return WorkbenchError(
        f"the store at {engine.url!r} has schema version {version}, newer than this "
        f"workbench understands ({SCHEMA_VERSION}): upgrade bot-workbench"
    )
