"""Reading a PostgreSQL store read-only with psycopg: ``COPY ... TO STDOUT (FORMAT csv)``
streamed into Arrow's CSV reader, batch by batch.

DuckDB's ``postgres`` extension cannot be installed offline; :mod:`._extensions` tries it first.
COPY is the fastest way out of PostgreSQL that needs nothing more than psycopg: the server
writes CSV, and Arrow parses it in C++ (no Python object per value). The connection is
read-only, and both tables are read in one ``REPEATABLE READ`` transaction: one snapshot.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import psycopg
import pyarrow as pa
from psycopg import sql
from pyarrow import csv
from sqlalchemy.engine import make_url

from workbench.analytics._columns import (
    CONVERSATIONS_SCHEMA,
    EVENTS_SCHEMA,
    conversations_select,
    events_select,
)
from workbench.analytics._errors import AnalyticsError, NoTranscriptsError, first_lines
from workbench.analytics._readers import BATCH_ROWS

__all__ = ["PostgresReader", "connect_kwargs"]


def connect_kwargs(url: str) -> dict[str, Any]:
    """psycopg's ``connect`` arguments for a store URL (``postgresql[+psycopg]://...``)."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {
        "host": parsed.host,
        "port": parsed.port,
        "user": parsed.username,
        "password": parsed.password,
        "dbname": parsed.database,
    }
    kwargs.update({k: v for k, v in parsed.query.items() if isinstance(v, str)})
    return {k: v for k, v in kwargs.items() if v is not None}


class _CopyStream(io.RawIOBase):
    """The bytes of a running ``COPY ... TO STDOUT`` as a file Arrow can read. libpq hands
    over one row at a time: they are gathered until a read is filled, so that Arrow's parser
    gets large blocks (one Python call per row is the cost left)."""

    def __init__(self, chunks: Iterator[Any]) -> None:
        self._chunks, self._pending = chunks, bytearray()
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        want, pending = len(buffer), self._pending
        if len(pending) < want and not self._done:
            for chunk in self._chunks:
                pending += chunk
                if len(pending) >= want:
                    break
            else:
                self._done = True
        size = min(want, len(pending))
        buffer[:size] = pending[:size]
        del pending[:size]
        return size


def _csv_batches(stream: io.RawIOBase, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    reader = csv.open_csv(
        io.BufferedReader(stream, buffer_size=1 << 20),
        read_options=csv.ReadOptions(column_names=schema.names, block_size=8 << 20),
        parse_options=csv.ParseOptions(newlines_in_values=True),
        convert_options=csv.ConvertOptions(
            column_types=schema,
            strings_can_be_null=True,  # COPY writes NULL unquoted, "" quoted
            quoted_strings_can_be_null=False,
            true_values=["t"],
            false_values=["f"],
        ),
    )
    for batch in reader:
        yield from (
            batch.slice(start, BATCH_ROWS) for start in range(0, batch.num_rows, BATCH_ROWS)
        )


class PostgresReader:
    """A :class:`~workbench.analytics._readers.StoreReader` over a PostgreSQL store."""

    def __init__(self, url: str, bot: str | None, where: str) -> None:
        self.where, self.bot = where, bot
        try:
            self._db = psycopg.connect(**connect_kwargs(url), connect_timeout=10)
        except psycopg.Error as error:
            raise AnalyticsError(f"{where}: cannot connect: {first_lines(error, 1)}") from None
        self._db.read_only = True
        self._db.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        try:
            tables = self._db.execute(
                "SELECT to_regclass('wb_events') IS NOT NULL, "
                "to_regclass('wb_conversations') IS NOT NULL"
            ).fetchone()
            if tables is None or not all(tables):
                raise NoTranscriptsError(f"{where} holds no transcripts (no wb_events table)")
            names = self._db.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = 'wb_events'::regclass "
                "AND attnum > 0 AND NOT attisdropped"
            ).fetchall()
        except BaseException:
            self.close()
            raise
        self._events_sql = events_select({row[0] for row in names})

    def _filter(self, after: int, until: float | None) -> sql.Composable:
        condition = sql.SQL(" WHERE id > {}").format(sql.Literal(after))
        if until is not None:
            condition += sql.SQL(" AND ts < {}").format(sql.Literal(until))
        if self.bot is not None:
            condition += sql.SQL(" AND bot = {}").format(sql.Literal(self.bot))
        return condition

    def event_count(self, after: int = 0, until: float | None = None) -> int:
        query = sql.SQL("SELECT count(*) FROM wb_events") + self._filter(after, until)
        row = self._db.execute(query).fetchone()
        return int(row[0]) if row else 0

    def _copy(self, query: sql.Composable, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
        statement = sql.SQL("COPY ({}) TO STDOUT (FORMAT csv)").format(query)
        with self._db.cursor() as cursor, cursor.copy(statement) as copy:
            yield from _csv_batches(_CopyStream(iter(copy)), schema)

    def events(self, after: int = 0, until: float | None = None) -> Iterator[pa.RecordBatch]:
        query = sql.SQL(self._events_sql) + self._filter(after, until) + sql.SQL(" ORDER BY id")
        return self._copy(query, EVENTS_SCHEMA)

    def conversations(self) -> pa.Table:
        query: sql.Composable = sql.SQL(conversations_select())
        if self.bot is not None:
            query += sql.SQL(" WHERE bot = {}").format(sql.Literal(self.bot))
        batches = list(self._copy(query, CONVERSATIONS_SCHEMA))
        return pa.Table.from_batches(batches, schema=CONVERSATIONS_SCHEMA)

    def close(self) -> None:
        try:
            self._db.rollback()  # read only: nothing to keep
        finally:
            self._db.close()
