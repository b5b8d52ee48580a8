"""Filling the benchmark's SQLite and PostgreSQL stores from its Parquet transcripts.

The stores are real workbench stores: their tables are created by ``SQLStore`` (the schema every
workbench store has), then filled in bulk (SQLite: ``executemany`` in one transaction;
PostgreSQL: ``COPY FROM STDIN`` in CSV).
"""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from workbench.analytics._postgres import connect_kwargs
from workbench.stores import SQLStore

EVENT_COLUMNS = [
    "id", "bot", "conversation_id", "user_id", "turn", "seq", "ts", "type", "flow", "node",
    "intent", "confidence", "text", "payload", "channel", "language",
]  # fmt: skip
CONVERSATION_COLUMNS = ["bot", "id", "user_id", "session", "turn", "updated_at", "has_session"]


def _conversations(folder: Path) -> pa.Table:
    table = pq.read_table(folder / "conversations.parquet")
    has = table.column("has_session")
    session = pa.array(['{"stack":[]}' if h else None for h in has.to_pylist()], pa.string())
    return pa.table(
        {
            "bot": table.column("bot"),
            "id": table.column("conversation_id"),
            "user_id": table.column("user_id"),
            "session": session,
            "turn": table.column("turn"),
            "updated_at": table.column("updated_at"),
            "has_session": has,
        }
    )


def fill_sqlite(folder: Path, path: Path) -> None:
    """A SQLite store at ``path`` holding the Parquet set's rows."""
    SQLStore(f"sqlite:///{path}").close()  # creates the schema
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    marks = ", ".join("?" * len(EVENT_COLUMNS))
    insert = f"INSERT INTO wb_events ({', '.join(EVENT_COLUMNS)}) VALUES ({marks})"
    for file in sorted((folder / "events").glob("*.parquet")):
        for batch in pq.ParquetFile(file).iter_batches(200_000, columns=EVENT_COLUMNS):
            columns = [batch.column(name).to_pylist() for name in EVENT_COLUMNS]
            db.executemany(insert, zip(*columns, strict=True))
    conversations = _conversations(folder)
    marks = ", ".join("?" * len(CONVERSATION_COLUMNS))
    columns = [conversations.column(name).to_pylist() for name in CONVERSATION_COLUMNS]
    db.executemany(f"INSERT INTO wb_conversations VALUES ({marks})", zip(*columns, strict=True))
    db.execute("COMMIT")
    db.close()


def fill_postgres(folder: Path, url: str) -> None:
    """The store at ``url`` (its own schema, in its search_path) holding the Parquet set's rows."""
    SQLStore(url).close()  # creates the schema
    with psycopg.connect(**connect_kwargs(url)) as db, db.cursor() as cursor:
        cursor.execute("TRUNCATE wb_events, wb_conversations")
        for file in sorted((folder / "events").glob("*.parquet")):
            for batch in pq.ParquetFile(file).iter_batches(500_000, columns=EVENT_COLUMNS):
                _copy(cursor, "wb_events", EVENT_COLUMNS, pa.Table.from_batches([batch]))
        _copy(cursor, "wb_conversations", CONVERSATION_COLUMNS, _conversations(folder))
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('wb_events', 'id'), max(id)) FROM wb_events"
        )
        cursor.execute("ANALYZE wb_events")


def _copy(cursor: psycopg.Cursor, table: str, columns: list[str], rows: pa.Table) -> None:
    buffer = io.BytesIO()
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    pacsv.write_csv(rows.select(columns), buffer, options)
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT csv)"
    with cursor.copy(statement) as copy:
        copy.write(buffer.getvalue())
