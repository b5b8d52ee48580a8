"""The debugger trace of one turn: one typed definition, shown by the emulator, the Jupyter API
and the server (as :meth:`TurnTrace.to_json`).

Its ``steps`` are the engine's events (:mod:`workbench.engine`) in order, with each reply to
render replaced by the reply as it was sent (:class:`ReplySent`); the rest is the turn's context:
what came in, what the NLU understood, and the variables before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypedDict

from workbench.engine import NodeEntered, Recorded, TurnFailed
from workbench.schema import NLUResult, Reply, ReplyJSON
from workbench.schema._records import fast_init


@fast_init
@dataclass(frozen=True)
class ReplySent:
    """A reply the turn sent, from ``node`` (``element`` "" for inline ones and actions')."""

    kind: ClassVar[str] = "say"
    node: str
    element: str
    reply: Reply

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "node": self.node,
            "element": self.element,
            "text": self.reply.text,
            "reply": self.reply.to_json(),
        }


Step = Recorded | ReplySent
"""One step of a turn's path, as the debugger shows it."""

Trigger = Literal["message", "timeout", "proactive"]


class TurnTraceJSON(TypedDict):
    """The wire form of :class:`TurnTrace` (the Jupyter API and the server send this)."""

    turn: int
    trigger: Trigger
    channel: str
    language: str
    text: str
    nlu: dict[str, Any] | None
    node_before: str | None
    node_after: str | None
    steps: list[dict[str, Any]]
    state_before: dict[str, Any]
    state_after: dict[str, Any]
    user_before: dict[str, Any]
    user_after: dict[str, Any]
    bot_before: dict[str, Any]
    bot_after: dict[str, Any]
    replies: list[ReplyJSON]
    ended: bool
    error: str | None


@dataclass(frozen=True)
class TurnTrace:
    """What one turn did, for the debugger.

    After a failed turn (``error`` set) the ``steps`` go up to the failure (the last one is a
    :class:`~workbench.engine.TurnFailed`), and the ``*_after`` values equal the ``*_before``
    ones: the turn was rolled back.
    """

    turn: int
    trigger: Trigger
    channel: str
    language: str
    text: str = ""
    """The message as the engine got it (after incoming middleware; a choice's value)."""
    nlu: NLUResult | None = None
    """None for a timeout."""
    node_before: str | None = None
    node_after: str | None = None
    steps: tuple[Step, ...] = ()
    state_before: dict[str, Any] = field(default_factory=dict)
    state_after: dict[str, Any] = field(default_factory=dict)
    user_before: dict[str, Any] = field(default_factory=dict)
    user_after: dict[str, Any] = field(default_factory=dict)
    bot_before: dict[str, Any] = field(default_factory=dict)
    bot_after: dict[str, Any] = field(default_factory=dict)
    replies: tuple[Reply, ...] = ()
    """The replies as the user got them (after outgoing middleware)."""
    ended: bool = False
    error: str | None = None

    @property
    def path(self) -> list[str]:
        """The nodes entered, in order (``flow.node``)."""
        return [step.node for step in self.steps if isinstance(step, NodeEntered)]

    @property
    def failure(self) -> TurnFailed | None:
        last = self.steps[-1] if self.steps else None
        return last if isinstance(last, TurnFailed) else None

    def to_json(self) -> TurnTraceJSON:
        return {
            "turn": self.turn,
            "trigger": self.trigger,
            "channel": self.channel,
            "language": self.language,
            "text": self.text,
            "nlu": None if self.nlu is None else self.nlu.as_trace(),
            "node_before": self.node_before,
            "node_after": self.node_after,
            "steps": [step.to_json() for step in self.steps],
            "state_before": self.state_before,
            "state_after": self.state_after,
            "user_before": self.user_before,
            "user_after": self.user_after,
            "bot_before": self.bot_before,
            "bot_after": self.bot_after,
            "replies": [reply.to_json() for reply in self.replies],
            "ended": self.ended,
            "error": self.error,
        }
