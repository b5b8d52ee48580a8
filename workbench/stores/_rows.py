"""Conversions between database rows and the schema's value types."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from workbench.schema import (
    ConversationRecord,
    EventType,
    Session,
    TranscriptEvent,
    storable_text,
)
from workbench.stores._json import dump_json, load_json


def vars_of(text: str | None) -> dict[str, Any]:
    """User or bot variables from their JSON column (no row = no variables)."""
    return {} if text is None else cast(dict[str, Any], load_json(text))


def record_of(conversation_id: str, row: Sequence[Any]) -> ConversationRecord:
    """A conversation from ``(user_id, session, turn, updated_at)``."""
    user_id, session, turn, updated_at = row
    return ConversationRecord(
        id=conversation_id,
        user_id=user_id,
        session=cast(Session | None, load_json(session)),
        turn=turn,
        updated_at=updated_at,
    )


def event_params(bot: str, e: TranscriptEvent) -> tuple[Any, ...]:
    """The row of an event, in :data:`~workbench.stores._tables.EVENT_COLUMNS` order."""
    return (
        bot,
        e.conversation_id,
        e.user_id,
        e.turn,
        e.seq,
        e.ts,
        e.type,
        e.flow,
        e.node,
        e.intent,
        e.confidence,
        # a reply may hold what no store can (a template's "\x00"); not text: the driver's error
        storable_text(e.text) if type(e.text) is str else e.text,
        dump_json(e.payload) if e.payload else "{}",
        e.channel,
        e.language,
    )


def event_of(row: Sequence[Any]) -> TranscriptEvent:
    """An event from its row, in :data:`~workbench.stores._tables.EVENT_COLUMNS` order without
    ``bot``: conversation_id, user_id, turn, seq, ts, type, flow, node, intent, confidence,
    text, payload, channel, language."""
    return TranscriptEvent(  # positional, in the fields' order (a dozen keywords cost more)
        row[0],
        row[1],
        row[2],
        row[4],
        cast(EventType, row[5]),
        row[6],
        row[7],
        row[8],
        row[9],
        row[10],
        {} if row[11] == "{}" else load_json(row[11]),  # most rows have no payload
        row[3],
        row[12],
        row[13],
    )
