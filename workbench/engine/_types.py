"""What goes into one engine step and what comes out of it."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from typing import Any

from workbench.engine._events import Event, TurnFailed
from workbench.schema import NLUResult, Session


@dataclass(frozen=True)
class UserMessage:
    """A message the user sent, with what the NLU understood of it."""

    text: str = ""
    payload: dict[str, Any] | None = None
    nlu: NLUResult = field(default_factory=NLUResult)

    def as_event(self) -> dict[str, Any]:
        """The ``event`` name seen by conditions and templates."""
        return {
            "type": "message",
            "text": self.text,
            "payload": self.payload or {},
            "intent": self.nlu.intent,
            "confidence": self.nlu.confidence,
            "entities": self.nlu.entity_values(),
        }


@dataclass(frozen=True)
class Timeout:
    """The user went silent: the turn runs the open session's timeout path."""

    def as_event(self) -> dict[str, Any]:
        return {
            "type": "timeout",
            "text": "",
            "payload": {},
            "intent": "none",
            "confidence": 0.0,
            "entities": {},
        }


TurnInput = UserMessage | Timeout
"""What a turn reacts to."""


@dataclass
class ActionContext:
    """What an action gets. It may change ``state``, ``user`` and ``bot`` in place, call
    :meth:`say`, and/or return a dict of updates (``{"paid": True, "user.name": "Ada"}``)."""

    action: str
    state: dict[str, Any]
    user: dict[str, Any]
    bot: dict[str, Any]
    event: dict[str, Any]
    args: dict[str, Any]
    node: str = ""
    said: list[str] = field(default_factory=list)

    def say(self, text: str) -> None:
        """Send a plain text reply from the action."""
        self.said.append(str(text))


Turn = Generator[ActionContext, Mapping[str, Any] | None, "StepResult"]
"""A running step. It yields an :class:`ActionContext` for each action to run; the runtime
answers with ``send(updates)`` (a dict of updates or None), or ``throw(error)`` if the action
failed. It returns the :class:`StepResult`."""


@dataclass(frozen=True)
class StepResult:
    """The outcome of a turn: the events, in order, and what to save.

    ``session`` is the session after the turn: None when the turn ended it, the one it started
    from (unchanged) when the turn failed. ``user_changes`` and ``bot_changes`` are the keys
    the turn set (empty when it failed).
    """

    events: list[Event]
    session: Session | None
    user_changes: dict[str, Any]
    bot_changes: dict[str, Any]

    @property
    def failure(self) -> TurnFailed | None:
        last = self.events[-1] if self.events else None
        return last if isinstance(last, TurnFailed) else None

    @property
    def ended(self) -> bool:
        return self.session is None and self.failure is None

    @property
    def state(self) -> dict[str, Any]:
        """The conversation's variables after the turn (``{}`` when the session ended)."""
        return {} if self.session is None else self.session["state"]
