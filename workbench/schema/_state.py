"""Conversation state as stored, and transcript events.

Everything here is plain JSON-able data so the stores can persist it without knowing the engine,
and so any server instance can pick a conversation up (no state lives in process memory).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NotRequired, TypedDict

from workbench.schema._records import fast_init

EventType = Literal["user", "bot", "node", "turn_error"]


class Frame(TypedDict):
    """One entry of the call stack: the flow and the node the conversation is at in it."""

    flow: str
    node: str


class Session(TypedDict):
    """An open session. ``stack[-1]`` is the current (innermost) flow and node.

    ``version`` pins the flow definitions the session started on. ``waiting`` is true when the
    current node waits for the user's next message.
    """

    stack: list[Frame]
    waiting: bool
    state: dict[str, Any]
    version: str
    started_at: float
    choices: NotRequired[list[dict[str, str]]]
    """The quick replies offered last, so a plain-text channel can answer "2" or a title."""
    channel: NotRequired[str]
    """The channel of the last message (a timeout's replies are rendered for it)."""
    language: NotRequired[str]
    """The language the conversation is in."""


@dataclass
class ConversationRecord:
    """What a store keeps per conversation. ``session`` is None when no session is open."""

    id: str
    user_id: str
    session: Session | None = None
    turn: int = 0
    updated_at: float = 0.0


@fast_init
@dataclass(frozen=True)
class TranscriptEvent:
    """One transcript row (see DESIGN.md: one per event)."""

    conversation_id: str
    user_id: str
    turn: int
    ts: float
    type: EventType
    flow: str = ""
    node: str = ""
    intent: str = ""
    confidence: float | None = None
    text: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    seq: int = 0
    channel: str = "web"
    """The channel the conversation runs on (``web``, ``text``, ...)."""
    language: str = ""
    """The language of the turn ("" when the runtime did not say)."""
