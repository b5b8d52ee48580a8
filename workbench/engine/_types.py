"""What goes into and comes out of one engine step."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from workbench.schema import NLUResult, Reply, Session
from workbench.schema._records import fast_init

EventKind = Literal["message", "timeout"]


@fast_init
@dataclass(frozen=True)
class TurnInput:
    """The event a turn reacts to: a user message (with its NLU result) or a timeout."""

    kind: EventKind = "message"
    text: str = ""
    payload: dict[str, Any] | None = None
    nlu: NLUResult = field(default_factory=NLUResult)

    def as_event(self) -> dict[str, Any]:
        """The ``event`` name seen by conditions and templates."""
        return {
            "type": self.kind,
            "text": self.text,
            "payload": self.payload or {},
            "intent": self.nlu.intent,
            "confidence": self.nlu.confidence,
            "entities": self.nlu.entity_values(),
        }


@dataclass
class ActionContext:
    """What an action gets. It may change ``state``, ``user`` and ``bot`` in place, call
    :meth:`say`, and/or return a dict of updates (``{"paid": True, "user.name": "Ada"}``)."""

    state: dict[str, Any]
    user: dict[str, Any]
    bot: dict[str, Any]
    event: dict[str, Any]
    args: dict[str, Any]
    node: str = ""
    replies: list[Reply] = field(default_factory=list)

    def say(self, text: str) -> None:
        """Send a plain text reply from the action."""
        self.replies.append(Reply("text", str(text)))


ActionRunner = Callable[[str, ActionContext], Mapping[str, Any] | None]
"""Runs a registered action by name (the runtime handles sync and async actions)."""


@dataclass
class StepResult:
    """The outcome of a turn. ``session`` is None when the turn ended the session."""

    session: Session | None
    replies: list[Reply]
    trace: list[dict[str, Any]]
    visited: list[tuple[str, str]]
    state: dict[str, Any]
    user_changes: dict[str, Any]
    bot_changes: dict[str, Any]
    ended: bool = False
    reply_nodes: list[str] = field(default_factory=list)
    """For each reply, the ``flow.node`` that sent it."""
    order: list[str] = field(default_factory=list)
    """``"node"`` and ``"reply"`` markers in the order nodes were entered and replies sent."""
