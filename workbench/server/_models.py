"""The API's wire shapes (pydantic models: the request checks and the OpenAPI schema)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from workbench.server._settings import MAX_TEXT_CHARS

CONVERSATION_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$"
KEY = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[\x21-\x7e]+$")]
"""A user id or message id: 1-128 printable ASCII characters, no spaces."""


TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
"""Text may hold tabs and line breaks, no other control character (in the OpenAPI schema too)."""


def _no_lone_surrogates(text: str) -> str:
    for char in text:
        if "\ud800" <= char <= "\udfff":
            raise ValueError("lone surrogates are not allowed")
    return text


class MessageIn(BaseModel):
    """A user message."""

    model_config = ConfigDict(extra="forbid", strict=True)

    text: Annotated[str, Field(max_length=MAX_TEXT_CHARS, pattern=TEXT)] = ""
    user_id: KEY | None = None
    """Default: the conversation id."""
    message_id: KEY | None = None
    """An idempotency key: the same id again answers the first replies, changes nothing."""
    payload: dict[str, Any] | None = None
    """Structured data (a postback), seen by the flows as ``event.payload``."""

    _text = field_validator("text")(_no_lone_surrogates)


class SocketMessageIn(MessageIn):
    """A user message sent over the conversation's WebSocket."""

    type: Literal["message"] = "message"


class ProactiveElement(BaseModel):
    """A proactive message: a content element, rendered for the conversation."""

    model_config = ConfigDict(extra="forbid", strict=True)

    element: Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.-]+$")]


class ProactiveText(BaseModel):
    """A proactive message: a plain text."""

    model_config = ConfigDict(extra="forbid", strict=True)

    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS, pattern=TEXT)]

    _text = field_validator("text")(_no_lone_surrogates)


ProactiveIn = ProactiveElement | ProactiveText
"""A message from the bot without a user message: an element or a text (one of them)."""


class ChoiceOut(BaseModel):
    title: str
    value: str


class ReplyOut(BaseModel):
    """One reply (plus type-specific fields: image, title, subtitle, buttons, cards)."""

    model_config = ConfigDict(extra="allow")

    type: str
    text: str
    choices: list[ChoiceOut]


class RepliesOut(BaseModel):
    replies: list[ReplyOut]


class EventOut(BaseModel):
    """A transcript row."""

    conversation_id: str
    user_id: str
    turn: int
    seq: int
    ts: float
    type: str
    flow: str
    node: str
    intent: str
    confidence: float | None
    text: str
    payload: dict[str, Any]
    channel: str
    language: str


class EventsOut(BaseModel):
    events: list[EventOut]


class ResetOut(BaseModel):
    conversation_id: str
    reset: bool


class ErrorOut(BaseModel):
    """Every 4xx and 5xx answer."""

    error: str
    problems: list[str] = []


class StatusOut(BaseModel):
    """The worker process that answered (with several workers, each answers for itself)."""

    bot: str
    flow_version: str = Field(description="The flow version new conversations start on.")
    instance: str = Field(description="host:pid:random, unique per worker process.")
    pid: int
    store: str = Field(description="The store URL, without its password.")
    open_conversations: int = Field(description="Open sessions in the store (all instances).")
    turns: int = Field(description="Turns this worker process ran since it started.")
    uptime_seconds: float
