"""A folder of Parquet files, as ``workbench export --parquet DIR`` writes it::

    DIR/events/events-<first id>-<last id>.parquet   transcript rows, one file per export run
    DIR/conversations.parquet                        every conversation, rewritten each run

Files are written under a hidden temporary name and renamed when complete, so a reader never
sees half of one; hidden files (``.name``) are ignored. A ``.parquet`` file that is not complete
(its footer missing: copied or written by something else and cut short) is refused by name.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from workbench.analytics._columns import CONVERSATIONS_SCHEMA, EVENT_DEFAULTS, EVENTS_SCHEMA
from workbench.analytics._errors import AnalyticsError, NoTranscriptsError, first_lines
from workbench.analytics._extensions import quote_literal

__all__ = ["CONVERSATIONS_FILE", "EVENTS_DIR", "attach_parquet", "check_file", "event_files"]

EVENTS_DIR = "events"
CONVERSATIONS_FILE = "conversations.parquet"


def event_files(folder: Path) -> list[Path]:
    """The complete event files of an export folder, in id order (hidden files skipped)."""
    directory = folder / EVENTS_DIR
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.parquet") if not p.name.startswith("."))


def check_file(path: Path, schema: pa.Schema, optional: dict[str, str]) -> set[str]:
    """The columns of a Parquet file, once it is known complete and to hold ``schema``'s."""
    try:
        names = set(pq.ParquetFile(path).schema_arrow.names)
    except (OSError, pa.ArrowException) as error:
        raise AnalyticsError(
            f"{path}: not a complete Parquet file (half-written or damaged: "
            f"{first_lines(error, 1)}). Move it away or export again."
        ) from None
    missing = [n for n in schema.names if n not in names and n not in optional]
    if missing:
        raise AnalyticsError(f"{path}: not a workbench export (no column {', '.join(missing)})")
    return names


def _select(schema: pa.Schema, names: set[str], files: list[Path], bot: str | None) -> str:
    parts = [f.name if f.name in names else f"{EVENT_DEFAULTS[f.name]} AS {f.name}" for f in schema]
    listed = ", ".join(quote_literal(str(p)) for p in files)
    where = "" if bot is None else f" WHERE bot = {quote_literal(bot)}"
    return f"SELECT {', '.join(parts)} FROM read_parquet([{listed}]){where}"


def attach_parquet(con: duckdb.DuckDBPyConnection, folder: Path, bot: str | None) -> None:
    """Define ``wb_events`` and ``wb_conversations`` over the folder's files."""
    files = event_files(folder)
    if not files:
        raise NoTranscriptsError(
            f"{folder} holds no transcripts (no {EVENTS_DIR}/*.parquet: write them with "
            "`workbench export BOT --parquet DIR`)"
        )
    names: set[str] = set(EVENTS_SCHEMA.names)
    for path in files:
        names &= check_file(path, EVENTS_SCHEMA, EVENT_DEFAULTS)
    conversations = folder / CONVERSATIONS_FILE
    if not conversations.is_file():
        raise AnalyticsError(f"{folder}: no {CONVERSATIONS_FILE} (an export writes both)")
    check_file(conversations, CONVERSATIONS_SCHEMA, {})
    con.execute(f"CREATE OR REPLACE VIEW wb_events AS {_select(EVENTS_SCHEMA, names, files, bot)}")
    conv_names = set(CONVERSATIONS_SCHEMA.names)
    select = _select(CONVERSATIONS_SCHEMA, conv_names, [conversations], bot)
    con.execute(f"CREATE OR REPLACE VIEW wb_conversations AS {select}")
