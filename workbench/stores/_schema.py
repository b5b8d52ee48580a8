"""Creating the schema of a new store, and migrating an older one, when a store is opened.

Opening a store whose schema is current costs one query (:func:`schema_state`). Otherwise
:func:`create_schema` creates what is missing and migrates the layout step by step
(:data:`MIGRATIONS`), in one transaction that several processes may run at once: on PostgreSQL
a transaction-scoped advisory lock serialises them, on SQLite the engine's ``BEGIN IMMEDIATE``
does. The version is read again under that lock, so the second process finds the work done.
DDL is transactional on both databases: a migration that fails leaves the old layout whole.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, func, insert, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateColumn

from workbench.schema import WorkbenchError
from workbench.stores import _content_sql  # noqa: F401 (its table is part of the metadata)
from workbench.stores import _tables as t
from workbench.stores._engine import READ_ONLY

__all__ = ["MIGRATIONS", "SchemaState", "create_schema", "ensure_schema", "schema_state"]

_SCHEMA_LOCK_KEY = 0x776B_7363_6865_6D61  # "wkschema": the advisory lock serialising setups

SchemaState = tuple[int | None, bool]
"""The stored schema version (None: no schema yet) and whether a retired index is still there."""


def _add_event_channel_and_language(conn: Connection) -> None:
    """Version 1 -> 2: ``wb_events.channel`` and ``language``; old rows get the defaults."""
    present = {column["name"] for column in inspect(conn).get_columns(t.events.name)}
    for name in ("channel", "language"):
        if name not in present:
            column = CreateColumn(t.events.c[name]).compile(dialect=conn.dialect)
            conn.exec_driver_sql(f"ALTER TABLE {t.events.name} ADD COLUMN {column}")


def _content_log(conn: Connection) -> None:
    """Version 2 -> 3: the content log's table, which ``create_all`` made just before."""


def _messages(conn: Connection) -> None:
    """Version 3 -> 4: ``wb_messages`` (idempotency keys), which ``create_all`` made just
    before."""


MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _add_event_channel_and_language,
    2: _content_log,
    3: _messages,
}
"""Version ``n`` -> the step that brings a store of that version to ``n + 1``."""


def schema_state(engine: Engine) -> SchemaState:
    """The stored schema version (None if there is none yet, or no table), and whether the
    layout still has an index it should no longer have. One cheap query."""
    if engine.dialect.name == "postgresql":  # in the schema the connection's search_path picks
        stale = " OR ".join(f"to_regclass('{name}') IS NOT NULL" for name in t.RETIRED_INDEXES)
    else:
        names = ", ".join(f"'{name}'" for name in t.RETIRED_INDEXES)
        stale = f"EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name IN ({names}))"
    query = f"SELECT max(version), {stale} FROM {t.schema.name}"
    with engine.execution_options(**{READ_ONLY: True}).connect() as conn:
        try:
            row = conn.exec_driver_sql(query).first()
        except Exception:  # the table does not exist (yet): let create_schema decide
            return None, False
    return (None, False) if row is None else (row[0], bool(row[1]))


def ensure_schema(engine: Engine) -> None:
    """Create or migrate the schema unless it is current (the common case: one query)."""
    version, stale = schema_state(engine)
    if version == t.SCHEMA_VERSION and not stale:
        return
    if version is not None and version > t.SCHEMA_VERSION:
        raise _newer_schema(engine, version)
    create_schema(engine)


def create_schema(engine: Engine) -> None:
    """Create the tables if missing, migrate an older layout, update the indexes (see the module
    docstring: safe when several processes open the store at once)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_SCHEMA_LOCK_KEY)))
        t.metadata.create_all(conn)  # the current layout; tables that exist are left alone
        version = conn.execute(select(func.max(t.schema.c.version))).scalar()
        if version is None:  # a new store: create_all made every table as it is now
            conn.execute(insert(t.schema).values(version=t.SCHEMA_VERSION))
        elif version > t.SCHEMA_VERSION:
            raise _newer_schema(engine, version)
        elif version < t.SCHEMA_VERSION:
            for step in range(version, t.SCHEMA_VERSION):
                MIGRATIONS[step](conn)
            conn.execute(update(t.schema).values(version=t.SCHEMA_VERSION))
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
