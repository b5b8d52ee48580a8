"""Incoming messages, NLU results and outgoing replies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

from workbench.schema._channel import Channel
from workbench.schema._records import fast_init


@fast_init
@dataclass(frozen=True)
class Choice:
    """A quick reply: what the button shows and the value it sends back."""

    title: str
    value: str


class ChoiceJSON(TypedDict):
    title: str
    value: str


class ReplyJSON(TypedDict):
    """The one reply shape used by chat --json, the server, the Jupyter API and the web chat."""

    type: str
    text: str
    choices: list[ChoiceJSON]
    image: NotRequired[str]
    title: NotRequired[str]
    subtitle: NotRequired[str]
    buttons: NotRequired[list[dict[str, str]]]


@fast_init
@dataclass(frozen=True)
class Reply:
    """One message from the bot. ``extra`` holds the type-specific fields (image, title, ...)."""

    type: str
    text: str = ""
    choices: tuple[Choice, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    element: str = field(default="", compare=False)
    """The content element id it was rendered from ("" for inline elements); not in JSON."""

    def to_json(self) -> ReplyJSON:
        data: dict[str, Any] = {
            "type": self.type,
            "text": self.text,
            "choices": [{"title": c.title, "value": c.value} for c in self.choices],
        }
        data.update(self.extra)
        return data  # type: ignore[return-value]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        extra = {k: v for k, v in data.items() if k not in ("type", "text", "choices")}
        choices = tuple(Choice(c["title"], c["value"]) for c in data.get("choices") or [])
        return cls(data.get("type", "text"), data.get("text", ""), choices, extra)

    def __getattr__(self, name: str) -> Any:
        extra = self.__dict__.get("extra", {})
        if name in extra:
            return extra[name]
        raise AttributeError(name)


@fast_init
@dataclass(frozen=True)
class Entity:
    """An entity found in a user message; ``start``/``end`` index into the text."""

    type: str
    value: Any
    text: str
    start: int
    end: int
    confidence: float = 1.0


@fast_init
@dataclass(frozen=True)
class NLUResult:
    """What a recogniser understood. ``intent`` is ``"none"`` when nothing fits."""

    intent: str = "none"
    confidence: float = 0.0
    intents: tuple[tuple[str, float], ...] = ()
    entities: tuple[Entity, ...] = ()

    def as_trace(self) -> dict[str, Any]:
        """Plain data, as a turn's trace records it and the debuggers show it."""
        return {
            "intent": self.intent,
            "confidence": self.confidence,
            "intents": [list(pair) for pair in self.intents],
            "entities": [
                {"type": e.type, "value": e.value, "text": e.text, "start": e.start, "end": e.end}
                for e in self.entities
            ],
        }

    def entity_values(self) -> dict[str, Any]:
        """First value per entity type: what templates and conditions see as ``entities``."""
        values: dict[str, Any] = {}
        for ent in self.entities:
            values.setdefault(ent.type, ent.value)
        return values


@fast_init
@dataclass(frozen=True)
class Message:
    """A user message as it enters the bot: from whom, on which channel, in which language
    (None: the conversation's, else the bot's first)."""

    text: str = ""
    payload: dict[str, Any] | None = None
    user_id: str = ""
    message_id: str | None = None
    channel: str | Channel = "web"
    language: str | None = None
