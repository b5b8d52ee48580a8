"""The transcript rows of one turn, built from its steps (see DESIGN.md: one row per event)."""

from __future__ import annotations

from typing import Any

from workbench.engine import NodeEntered
from workbench.runtime._trace import ReplySent, Step
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

    def steps(self, steps: list[Step], replies: list[Reply]) -> None:
        """Node and bot rows in the order they happened. When outgoing middleware replaced the
        replies, the node rows come first, then the replies as the user got them."""
        sent = [step for step in steps if isinstance(step, ReplySent)]
        if len(sent) == len(replies) and all(
            step.reply is reply for step, reply in zip(sent, replies, strict=True)
        ):
            for step in steps:
                if isinstance(step, NodeEntered):
                    self.add("node", step.node)
                elif isinstance(step, ReplySent):
                    self.bot(step.reply, step.node)
            return
        for step in steps:
            if isinstance(step, NodeEntered):
                self.add("node", step.node)
        nodes = [step.node for step in sent] if len(sent) == len(replies) else []
        for i, reply in enumerate(replies):
            self.bot(reply, nodes[i] if nodes else "")

    def bot(self, reply: Reply, where: str) -> None:
        self.add("bot", where, text=reply.text, payload=dict(reply.to_json()))

    def error(self, message: str, where: str) -> None:
        self.add("turn_error", where, text=message)
