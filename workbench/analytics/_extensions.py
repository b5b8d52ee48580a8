"""DuckDB's own ``sqlite`` and ``postgres`` extensions, for users who can install them.

``INSTALL sqlite`` downloads the extension from DuckDB's servers, which fails offline (and the
PyPI wheels of the extensions load into one DuckDB version only). Analytics therefore tries
``LOAD`` (never ``INSTALL``: auto-install is switched off, so an offline machine fails in
milliseconds instead of waiting for the network) and, when it works, ATTACHes the store
read-only and reads it in place. When it does not, :mod:`._sqlite` / :mod:`._postgres` read it.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pyarrow as pa

from workbench.analytics._columns import CONVERSATIONS_SCHEMA, EVENT_DEFAULTS, EVENTS_SCHEMA
from workbench.analytics._errors import NoTranscriptsError
from workbench.analytics._postgres import connect_kwargs
from workbench.analytics._readers import BATCH_ROWS

__all__ = ["ExtensionReader", "ExtensionUnavailable", "quote_literal"]

ALIAS = "wb_store"
_DUCK_TYPES = {
    pa.int64(): "BIGINT",
    pa.int32(): "INTEGER",
    pa.float64(): "DOUBLE",
    pa.string(): "VARCHAR",
    pa.bool_(): "BOOLEAN",
}


class ExtensionUnavailable(Exception):
    """The extension is not installed (or cannot attach this store): read it another way."""


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _conninfo(url: str) -> str:
    """A libpq connection string for a store URL."""
    pairs = connect_kwargs(url).items()
    return " ".join(f"{key}={quote_literal(str(value))}" for key, value in pairs)


def _no_later(until: float | None) -> float:
    return float("inf") if until is None else until


class ExtensionReader:
    """A store ATTACHed read-only through DuckDB's extension: ``relations`` defines the
    ``wb_events`` / ``wb_conversations`` views over it (read in place, no copy).

    ``kind`` is ``sqlite`` or ``postgres``; ``duckdb`` attaches a DuckDB file holding the same
    tables, which needs no extension: the tests read the store's tables that way, since the
    extensions cannot be installed here."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, kind: str, location: str, bot: str | None, where: str
    ) -> None:
        self.where, self.bot, self._con = where, bot, con
        target = _conninfo(location) if kind == "postgres" else location
        try:
            if kind != "duckdb":  # a DuckDB file needs no extension (the tests attach one)
                con.execute(f"LOAD {kind}")
            con.execute(f"ATTACH {quote_literal(target)} AS {ALIAS} (TYPE {kind}, READ_ONLY)")
        except duckdb.Error as error:
            raise ExtensionUnavailable(str(error)) from None
        tables = {
            row[0]
            for row in con.sql(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", params=[ALIAS]
            ).fetchall()
        }
        if not {"wb_events", "wb_conversations"} <= tables:
            raise NoTranscriptsError(f"{where} holds no transcripts (no wb_events table)")
        columns = con.sql(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = ? "
            "AND table_name = 'wb_events'",
            params=[ALIAS],
        ).fetchall()
        self._events_sql = self._events_select({row[0] for row in columns})

    def _events_select(self, columns: set[str]) -> str:
        parts = []
        for field in EVENTS_SCHEMA:
            value = field.name if field.name in columns else EVENT_DEFAULTS[field.name]
            parts.append(f"CAST({value} AS {_DUCK_TYPES[field.type]}) AS {field.name}")
        where = "" if self.bot is None else f" WHERE bot = {quote_literal(self.bot)}"
        return f"SELECT {', '.join(parts)} FROM {ALIAS}.wb_events{where}"

    def _conversations_select(self) -> str:
        parts = [
            f"CAST({'id' if f.name == 'conversation_id' else f.name} AS {_DUCK_TYPES[f.type]}) "
            f"AS {f.name}"
            for f in CONVERSATIONS_SCHEMA
            if f.name != "has_session"
        ]
        where = "" if self.bot is None else f" WHERE bot = {quote_literal(self.bot)}"
        return (
            f"SELECT {', '.join(parts)}, session IS NOT NULL AS has_session "
            f"FROM {ALIAS}.wb_conversations{where}"
        )

    def relations(self) -> None:
        """Define ``wb_events`` and ``wb_conversations`` over the attached store."""
        self._con.execute(f"CREATE OR REPLACE VIEW wb_events AS {self._events_sql}")
        self._con.execute(
            f"CREATE OR REPLACE VIEW wb_conversations AS {self._conversations_select()}"
        )

    def event_count(self, after: int = 0, until: float | None = None) -> int:
        query = f"SELECT count(*) FROM ({self._events_sql}) WHERE id > ? AND ts < ?"
        rows = self._con.sql(query, params=[after, _no_later(until)]).fetchall()
        return int(rows[0][0])

    def events(self, after: int = 0, until: float | None = None) -> Iterator[pa.RecordBatch]:
        query = f"SELECT * FROM ({self._events_sql}) WHERE id > ? AND ts < ? ORDER BY id"
        params = [after, _no_later(until)]
        reader = self._con.sql(query, params=params).to_arrow_reader(BATCH_ROWS)
        for batch in reader:
            yield batch.cast(EVENTS_SCHEMA)

    def conversations(self) -> pa.Table:
        table = self._con.sql(self._conversations_select()).to_arrow_table()
        return table.cast(CONVERSATIONS_SCHEMA)

    def close(self) -> None:
        """The attachment stays for the connection's life (the views read through it)."""
