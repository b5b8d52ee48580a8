"""From a :class:`~workbench.analytics._sources.Source` to a DuckDB database holding
``wb_events`` and ``wb_conversations`` and the analysts' views over them.

Routes, chosen deliberately (see the README, "Analytics"):

- Parquet: DuckDB reads the files in place (``read_parquet``; parquet is built into DuckDB).
- SQLite / PostgreSQL: DuckDB's ``sqlite`` / ``postgres`` extension when it is installed (the
  store attached read-only and read in place); otherwise, and that is the offline case, the
  rows are read with ``sqlite3`` / psycopg into Arrow batches and copied into DuckDB tables,
  with a progress bar for big stores. A copy is a snapshot: ``Analytics.refresh()`` reads again.
- A bot on an in-memory store: its Python API.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from workbench.analytics._columns import CONVERSATIONS_SCHEMA, EVENTS_SCHEMA
from workbench.analytics._errors import NoTranscriptsError
from workbench.analytics._extensions import ExtensionReader, ExtensionUnavailable
from workbench.analytics._parquet import attach_parquet
from workbench.analytics._postgres import PostgresReader
from workbench.analytics._progress import progress_bar
from workbench.analytics._readers import StoreReader
from workbench.analytics._sources import Source
from workbench.analytics._sqlite import SQLiteReader
from workbench.analytics._store_reader import StoreAPIReader
from workbench.analytics._views import define_base_views

__all__ = ["load", "new_database", "open_reader"]


def new_database() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that never downloads an extension, with UTC times."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")  # reading a store shows its own (tqdm)
    return con


def open_reader(
    source: Source, con: duckdb.DuckDBPyConnection | None = None
) -> StoreReader | ExtensionReader:
    """A read-only reader of a store source: through the DuckDB extension if ``con`` can load
    it, else through the Python driver."""
    if source.kind in ("sqlite", "postgres") and con is not None:
        try:
            return ExtensionReader(con, source.kind, source.location, source.bot, source.where)
        except ExtensionUnavailable:
            pass
    if source.kind == "sqlite":
        return SQLiteReader(Path(source.location), source.bot, source.where)
    if source.kind == "postgres":
        return PostgresReader(source.location, source.bot, source.where)
    if source.kind == "store" and source.store is not None and source.bot is not None:
        return StoreAPIReader(source.store, source.bot, source.where)
    raise ValueError(f"no reader for a {source.kind} source")


COPY_ROWS = 1_000_000
"""Rows per ``INSERT`` into DuckDB: each statement costs ~0.07 s on top of its rows (~0.025 s
per 100k), and a stream read by DuckDB's own thread would pass the GIL back and forth (twice
the CPU time, measured on 1M rows)."""


def copy_into(con: duckdb.DuckDBPyConnection, reader: StoreReader, show: bool | None) -> None:
    """Copy a reader's rows into ``wb_events`` / ``wb_conversations`` tables, a chunk of
    :data:`COPY_ROWS` at a time (with a progress bar for big stores)."""
    con.register("_wb_chunk", EVENTS_SCHEMA.empty_table())
    con.execute("CREATE OR REPLACE TABLE wb_events AS SELECT * FROM _wb_chunk")
    pending: list[pa.RecordBatch] = []

    def flush() -> None:
        if pending:
            con.register("_wb_chunk", pa.Table.from_batches(pending, schema=EVENTS_SCHEMA))
            con.execute("INSERT INTO wb_events SELECT * FROM _wb_chunk")
            pending.clear()

    with progress_bar(reader.event_count(), "reading transcripts", show) as advance:
        for batch in reader.events():
            pending.append(batch)
            if sum(b.num_rows for b in pending) >= COPY_ROWS:
                flush()
            advance(batch.num_rows)
        flush()
    con.register("_wb_chunk", reader.conversations().cast(CONVERSATIONS_SCHEMA))
    con.execute("CREATE OR REPLACE TABLE wb_conversations AS SELECT * FROM _wb_chunk")
    con.unregister("_wb_chunk")


def load(source: Source, con: duckdb.DuckDBPyConnection, show: bool | None = None) -> bool:
    """Make ``source``'s rows and the base views available in ``con``; True if they are read
    in place (always current), False for a copy (a snapshot)."""
    live = True
    if source.kind == "parquet":
        attach_parquet(con, Path(source.location), source.bot)
    else:
        reader = open_reader(source, con)
        try:
            if isinstance(reader, ExtensionReader):
                reader.relations()
            else:
                copy_into(con, reader, show)
                live = False
        finally:
            reader.close()
    rows = con.sql("SELECT count(*) FROM (SELECT 1 FROM wb_events LIMIT 1)").fetchall()
    if not rows[0][0]:
        whose = f" of bot {source.bot!r}" if source.bot else ""
        raise NoTranscriptsError(f"{source.where} holds no transcripts{whose}")
    define_base_views(con)
    return live
