"""Building the transcript rows of one turn."""

from __future__ import annotations

from typing import Any

from workbench.engine import StepResult
from workbench.schema import EventType, NLUResult, Reply, TranscriptEvent


class TurnEvents:
    """Collects a turn's rows in order, numbering them (``seq``)."""

    def __init__(self, conversation_id: str, user_id: str, turn: int, ts: float) -> None:
        self.conversation_id, self.user_id, self.turn, self.ts = conversation_id, user_id, turn, ts
        self.rows: list[TranscriptEvent] = []

    def add(
        self,
        kind: EventType,
        flow: str = "",
        node: str = "",
        intent: str = "",
        confidence: float | None = None,
        text: str = "",
        payload: Any = None,
    ) -> None:
        """Append a row. The fields go positionally (``TranscriptEvent``'s order): a turn
        writes several rows, and keyword packing was a measurable part of each."""
        rows = self.rows
        rows.append(
            TranscriptEvent(
                self.conversation_id,
                self.user_id,
                self.turn,
                self.ts,
                kind,
                flow,
                node,
                intent,
                confidence,
                text,
                {} if payload is None else payload,
                len(rows),
            )
        )

    def user(
        self, text: str, payload: dict[str, Any] | None, nlu: NLUResult, where: tuple[str, str]
    ) -> None:
        extra = {
            "entities": [
                {"type": e.type, "value": e.value, "text": e.text, "start": e.start, "end": e.end}
                for e in nlu.entities
            ],
            "intents": [list(i) for i in nlu.intents],
        }
        if payload:
            extra["payload"] = payload
        self.add("user", where[0], where[1], nlu.intent, nlu.confidence, text, extra)

    def outcome(self, result: StepResult | None, replies: list[Reply]) -> None:
        """Node and bot rows in the order they happened (replies as middleware left them)."""
        if result is None:
            self.replies(replies, [])
            return
        visited = iter(result.visited)
        if replies == result.replies:
            sent = iter(zip(replies, result.reply_nodes, strict=True))
            for marker in result.order:
                if marker == "node":
                    flow, node = next(visited)
                    self.add("node", flow, node)
                else:
                    reply, where = next(sent)
                    flow, _, node = where.partition(".")
                    self.add("bot", flow, node, "", None, reply.text, reply.to_json())
            return
        for flow, node in visited:
            self.add("node", flow, node)
        self.replies(replies, result.reply_nodes if len(replies) == len(result.reply_nodes) else [])

    def replies(self, replies: list[Reply], nodes: list[str]) -> None:
        for i, reply in enumerate(replies):
            flow, _, node = (nodes[i] if i < len(nodes) else "").partition(".")
            self.add("bot", flow, node, "", None, reply.text, reply.to_json())

    def error(self, message: str, where: tuple[str, str]) -> None:
        self.add("turn_error", where[0], where[1], text=message)
