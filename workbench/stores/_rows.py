"""Conversions between database rows and the schema's value types."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from workbench.schema import ConversationRecord, EventType, Session, TranscriptEvent
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
    """The row of an event, in :data:`_statements.EVENT_COLUMNS` order."""
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
        e.text,
        dump_json(e.payload) if e.payload else "{}",
    )


def event_of(row: Sequence[Any]) -> TranscriptEvent:
    """An event from its row, in :data:`_statements.EVENT_COLUMNS` order without ``bot``."""
    conversation_id, user_id, turn, seq, ts, type_, flow, node, intent, conf, text, payload = row
    return TranscriptEvent(
        conversation_id=conversation_id,
        user_id=user_id,
        turn=turn,
        ts=ts,
        type=cast(EventType, type_),
        flow=flow,
        node=node,
        intent=intent,
        confidence=conf,
        text=text,
        payload=load_json(payload),
        seq=seq,
    )
