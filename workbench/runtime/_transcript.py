"""Building the transcript rows of one turn."""

from __future__ import annotations

from typing import Any

from workbench.engine import StepResult
from workbench.schema import NLUResult, Reply, TranscriptEvent


class TurnEvents:
    """Collects a turn's rows in order, numbering them (``seq``)."""

    def __init__(self, conversation_id: str, user_id: str, turn: int, ts: float) -> None:
        self.conversation_id, self.user_id, self.turn, self.ts = conversation_id, user_id, turn, ts
        self.rows: list[TranscriptEvent] = []

    def add(self, **fields: Any) -> None:
        self.rows.append(
            TranscriptEvent(
                self.conversation_id,
                self.user_id,
                self.turn,
                self.ts,
                seq=len(self.rows),
                **fields,
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
        self.add(
            type="user",
            flow=where[0],
            node=where[1],
            intent=nlu.intent,
            confidence=nlu.confidence,
            text=text,
            payload=extra,
        )

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
                    self.add(type="node", flow=flow, node=node)
                else:
                    reply, where = next(sent)
                    self.replies([reply], [where])
            return
        for flow, node in visited:
            self.add(type="node", flow=flow, node=node)
        self.replies(replies, result.reply_nodes if len(replies) == len(result.reply_nodes) else [])

    def replies(self, replies: list[Reply], nodes: list[str]) -> None:
        for i, reply in enumerate(replies):
            flow, _, node = (nodes[i] if i < len(nodes) else "").partition(".")
            self.add(type="bot", flow=flow, node=node, text=reply.text, payload=reply.to_json())

    def error(self, message: str, where: tuple[str, str]) -> None:
        self.add(type="turn_error", flow=where[0], node=where[1], text=message)
