"""Reading any store through its Python API (``iter_events``, ``get_conversation``): the route
for a bot on an in-memory store, which no other process can open."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import pyarrow as pa

from workbench.analytics._columns import CONVERSATIONS_SCHEMA, EVENTS_SCHEMA
from workbench.analytics._readers import BATCH_ROWS
from workbench.analytics._sqlite import columns_batch
from workbench.schema import TranscriptEvent
from workbench.stores import Store

__all__ = ["StoreAPIReader"]


def _row(number: int, bot: str, e: TranscriptEvent) -> tuple[Any, ...]:
    payload = orjson.dumps(e.payload, option=orjson.OPT_SERIALIZE_NUMPY).decode()
    return (
        number, bot, e.conversation_id, e.user_id, e.turn, e.seq, e.ts, e.type, e.flow, e.node,
        e.intent, e.confidence, e.text, payload, e.channel, e.language,
    )  # fmt: skip


class StoreAPIReader:
    """A :class:`~workbench.analytics._readers.StoreReader` over a store object. Rows are
    numbered in the store's order (this API does not expose their ``id``)."""

    def __init__(self, store: Store, bot: str, where: str) -> None:
        self.where, self.bot, self._store = where, bot, store
        self._events = list(store.iter_events(bot))
        """Read at once: one consistent list (the store may change while analytics reads)."""

    def _numbered(self, after: int, until: float | None) -> list[tuple[int, TranscriptEvent]]:
        late = float("inf") if until is None else until
        return [(n, e) for n, e in enumerate(self._events, 1) if n > after and e.ts < late]

    def event_count(self, after: int = 0, until: float | None = None) -> int:
        return len(self._numbered(after, until))

    def events(self, after: int = 0, until: float | None = None) -> Iterator[pa.RecordBatch]:
        numbered = self._numbered(after, until)
        for start in range(0, len(numbered), BATCH_ROWS):
            rows = [_row(n, self.bot, e) for n, e in numbered[start : start + BATCH_ROWS]]
            yield columns_batch(rows, EVENTS_SCHEMA)

    def conversations(self) -> pa.Table:
        ids = dict.fromkeys(e.conversation_id for e in self._events)
        rows = []
        for conversation_id in ids:
            record = self._store.get_conversation(self.bot, conversation_id)
            if record is not None:
                rows.append(
                    (self.bot, record.id, record.user_id, record.turn, record.updated_at,
                     record.session is not None)
                )  # fmt: skip
        return pa.Table.from_batches([columns_batch(rows, CONVERSATIONS_SCHEMA)])

    def close(self) -> None:
        self._events = []
