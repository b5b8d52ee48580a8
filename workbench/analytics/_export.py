"""``workbench export BOT --parquet DIR``: transcripts to Parquet, incrementally.

Each run appends one file of the events the folder does not hold yet (``id`` above the highest
exported one) and rewrites ``conversations.parquet`` (conversations change: their turn count,
whether their session is open). Every file is written under a hidden temporary name and renamed
when complete, events first: a run that crashes leaves the previous set readable, plus at most
a hidden temporary file that readers ignore and the next run replaces (so run one export at a
time per folder).

On PostgreSQL a turn's rows get their ids when it saves, and turns of different conversations
commit in any order, so a run leaves out the last ``settle`` seconds of rows (60 by default):
every row it exports is older than any turn still saving, and no id below the highest exported
is committed later (a turn would have to take over a minute to break this). SQLite serialises
its writes: ids commit in order, nothing is left out.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from workbench.analytics._columns import CONVERSATIONS_SCHEMA, EVENTS_SCHEMA
from workbench.analytics._errors import AnalyticsError
from workbench.analytics._load import new_database, open_reader
from workbench.analytics._parquet import CONVERSATIONS_FILE, EVENTS_DIR, check_file, event_files
from workbench.analytics._progress import progress_bar
from workbench.analytics._readers import StoreReader
from workbench.analytics._sources import resolve
from workbench.schema import plural

__all__ = ["MANIFEST", "ExportResult", "export_parquet"]

MANIFEST = "export.json"
"""What the folder holds an export of (bot, store) and up to which event id."""
PG_SETTLE = 60.0
_NAME = re.compile(r"^events-(\d+)-(\d+)\.parquet$")


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    new_events: int
    events: int
    """Events in the folder after the run."""
    conversations: int
    file: Path | None
    """The new events file (None when there was nothing new)."""

    def __str__(self) -> str:
        return (
            f"exported {plural(self.new_events, 'new event')} ({self.events:,} in all) and "
            f"{plural(self.conversations, 'conversation')} to {self.folder}"
        )


def export_parquet(
    source: Any,
    folder: str | Path,
    *,
    bot: str | None = None,
    settle: float | None = None,
    progress: bool | None = None,
) -> ExportResult:
    """Append ``source``'s new transcript rows to the Parquet folder (see the module
    docstring); ``source`` is what ``wb.analytics.open`` takes, but not a Parquet folder."""
    resolved = resolve(source, bot)
    if resolved.kind == "parquet":
        raise AnalyticsError(f"{resolved.where}: already a folder of Parquet files")
    target = Path(folder)
    (target / EVENTS_DIR).mkdir(parents=True, exist_ok=True)
    manifest = _manifest(target, resolved.where, resolved.bot)
    files = event_files(target)
    for path in files:
        check_file(path, EVENTS_SCHEMA, {})
    last = max([_last_id(path) for path in files], default=0)
    if settle is None:
        settle = PG_SETTLE if resolved.kind == "postgres" else 0.0
    until = time.time() - settle if settle > 0 else None
    con = new_database()
    try:
        reader = open_reader(resolved, con)
        try:
            written = _write_events(target, reader, last, until, progress)
            conversations = reader.conversations().cast(CONVERSATIONS_SCHEMA)
        finally:
            reader.close()
    finally:
        con.close()
    _write_atomic(target / CONVERSATIONS_FILE, pa.Table.to_batches(conversations))
    new_last = last if written is None else _last_id(written)
    manifest.update(last_id=new_last, exported_at=time.time())
    _write_text_atomic(target / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    total = sum(pq.ParquetFile(p).metadata.num_rows for p in event_files(target))
    new = 0 if written is None else pq.ParquetFile(written).metadata.num_rows
    return ExportResult(target, new, total, conversations.num_rows, written)


def _manifest(folder: Path, where: str, bot: str | None) -> dict[str, Any]:
    """The folder's manifest; refuses a folder holding another bot's or store's export."""
    path = folder / MANIFEST
    if not path.exists():
        return {"bot": bot, "store": where}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise AnalyticsError(f"{path}: unreadable ({error})") from None
    if data.get("bot") != bot or data.get("store") != where:
        raise AnalyticsError(
            f"{folder} holds an export of bot {data.get('bot')!r} from {data.get('store')}, "
            f"not of bot {bot!r} from {where}: export to another folder"
        )
    return dict(data)


def _last_id(path: Path) -> int:
    """The highest event id of a file: from its name, else from its statistics."""
    match = _NAME.match(path.name)
    if match:
        return int(match.group(2))
    metadata = pq.ParquetFile(path).metadata
    index = metadata.schema.to_arrow_schema().get_field_index("id")
    highs = [
        metadata.row_group(i).column(index).statistics.max for i in range(metadata.num_row_groups)
    ]
    return int(max(highs, default=0))


def _write_events(
    folder: Path, reader: StoreReader, last: int, until: float | None, show: bool | None
) -> Path | None:
    """One new events file of the rows after ``last``; None if there are none."""
    count = reader.event_count(last, until)
    if not count:
        return None
    temporary = folder / EVENTS_DIR / ".events.tmp"
    first = high = 0
    with (
        progress_bar(count, f"exporting {reader.where}", show) as advance,
        pq.ParquetWriter(temporary, EVENTS_SCHEMA, compression="zstd") as writer,
    ):
        for batch in reader.events(last, until):
            ids = batch.column("id")
            first = first or int(ids[0].as_py())
            high = int(ids[-1].as_py())
            writer.write_batch(batch)
            advance(batch.num_rows)
    final = folder / EVENTS_DIR / f"events-{first:012d}-{high:012d}.parquet"
    os.replace(temporary, final)
    return final


def _write_atomic(path: Path, batches: list[pa.RecordBatch]) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with pq.ParquetWriter(temporary, CONVERSATIONS_SCHEMA, compression="zstd") as writer:
        for batch in batches:
            writer.write_batch(batch)
    os.replace(temporary, path)


def _write_text_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
