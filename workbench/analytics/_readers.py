"""What a store reader gives analytics and the Parquet export: transcript rows as Arrow
batches (in ``id`` order, from a given ``id`` on) and the conversations, read in one snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

import pyarrow as pa

__all__ = ["BATCH_ROWS", "StoreReader"]

BATCH_ROWS = 100_000
"""Rows per Arrow batch: ~20-40 MB of transcript rows, a progress step of a fraction of a second."""


class StoreReader(Protocol):
    """A store opened read-only, in one read transaction (events and conversations agree).

    ``where`` names the store in messages (password hidden).
    """

    where: str

    def event_count(self, after: int = 0, until: float | None = None) -> int:
        """Transcript rows with an ``id`` above ``after`` (and a ``ts`` below ``until``)."""
        ...

    def events(self, after: int = 0, until: float | None = None) -> Iterator[pa.RecordBatch]:
        """Transcript rows with an ``id`` above ``after`` (and a ``ts`` below ``until``), in
        ``id`` order, as :data:`~workbench.analytics._columns.EVENTS_SCHEMA` batches."""
        ...

    def conversations(self) -> pa.Table:
        """Every conversation, as :data:`~workbench.analytics._columns.CONVERSATIONS_SCHEMA`."""
        ...

    def close(self) -> None: ...
