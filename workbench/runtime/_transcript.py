"""The transcript rows of one turn (see DESIGN.md: one row per event), in the order things
happened: the user's message, the nodes entered and the replies sent, a turn error."""

from __future__ import annotations

from typing import Any

from workbench.engine import Event, NodeEntered
from workbench.schema import EventType, NLUResult, Reply, TranscriptEvent


class TurnRows:
    """Collects a turn's rows in order, numbering them (``seq``)."""

    def __init__(
        self,
        conversation_id: str,
        user_id: str,
        turn: int,
        ts: float,
        channel: str,
        language: str,
    ) -> None:
        self.conversation_id, self.user_id, self.turn, self.ts = conversation_id, user_id, turn, ts
        self.channel, self.language = channel, language
        self.rows: list[TranscriptEvent] = []

    def add(
        self,
        kind: EventType,
        where: str = "",
        intent: str = "",
        confidence: float | None = None,
        text: str = "",
        payload: dict[str, Any] | None = None,
    ) -> None:
        """Append a row; ``where`` is ``flow.node``."""
        flow, _, node = where.partition(".")
        rows = self.rows
        rows.append(  # positional, in TranscriptEvent's order (keywords cost ~1 µs a row)
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
                payload or {},
                len(rows),
                self.channel,
                self.language,
            )
        )

    def user(self, text: str, payload: dict[str, Any] | None, nlu: NLUResult, where: str) -> None:
        extra: dict[str, Any] = {
            "entities": [
                {"type": e.type, "value": e.value, "text": e.text, "start": e.start, "end": e.end}
                for e in nlu.entities
            ],
            "intents": [list(i) for i in nlu.intents],
        }
        if payload:
            extra["payload"] = payload
        self.add("user", where, nlu.intent, nlu.confidence, text, extra)

    def replace_replies(self, start: int, events: list[Event], replies: list[Reply]) -> None:
        """Outgoing middleware replaced the replies: the rows from ``start`` on become the node
        rows, then the replies as the user got them (each at its node when they are as many as
        the bot rows they replace)."""
        nodes = [row.flow + "." + row.node for row in self.rows[start:] if row.type == "bot"]
        del self.rows[start:]
        for event in events:
            if isinstance(event, NodeEntered):
                self.add("node", event.node)
        for i, reply in enumerate(replies):
            self.bot(reply, nodes[i] if len(nodes) == len(replies) else "")

    def bot(self, reply: Reply, where: str) -> None:
        self.add("bot", where, text=reply.text, payload=dict(reply.to_json()))

    def error(self, message: str, where: str) -> None:
        self.add("turn_error", where, text=message)
