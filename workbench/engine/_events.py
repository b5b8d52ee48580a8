"""What one engine step did: typed events, in the order they happened.

``step`` returns these and nothing else happens in it: it renders no reply (a :class:`Say`
carries the element and a copy of the variables at that moment, and the runtime renders it for
the conversation's channel and language) and runs no action (it records :class:`ActionCalled`,
asks the runtime to run it, and records the answer as :class:`ActionReturned`). The runtime
builds the replies, the transcript rows and the debugger trace from this one list.

Every event has a ``kind`` (the debugger's and the JSON trace's name for it) and ``to_json``.
``node`` fields are qualified, ``flow.node``; ``where`` fields may also be ``flow.catch_all``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from workbench.content import Element
from workbench.flows import Scope
from workbench.schema._records import fast_init


@dataclass(frozen=True)
class _Event:
    kind: ClassVar[str]

    def to_json(self) -> dict[str, Any]:
        """The event as plain data: ``{"kind": ..., field: value, ...}``."""
        data: dict[str, Any] = {"kind": self.kind}
        for f in fields(self):
            value = getattr(self, f.name)
            data[f.name] = list(value) if isinstance(value, tuple) else value
        return data


@fast_init
@dataclass(frozen=True)
class SessionStarted(_Event):
    """A message with no open session started one at ``main``'s start node."""

    kind: ClassVar[str] = "session_start"
    version: str


@fast_init
@dataclass(frozen=True)
class NodeEntered(_Event):
    """The conversation entered ``node`` (its ``on_enter`` runs next)."""

    kind: ClassVar[str] = "enter"
    node: str


@fast_init
@dataclass(frozen=True)
class Say(_Event):
    """A reply to render: ``element`` over ``names``, the variables as they were when said."""

    kind: ClassVar[str] = "say"
    node: str
    element: Element
    names: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "node": self.node, "element": self.element.id}


@fast_init
@dataclass(frozen=True)
class VariableSet(_Event):
    """A ``set`` instruction, or an action, changed one variable."""

    kind: ClassVar[str] = "set"
    node: str
    scope: Scope
    key: str
    value: Any

    @property
    def name(self) -> str:
        """As flows write it: ``size``, ``user.name``, ``bot.orders``."""
        return self.key if self.scope == "state" else f"{self.scope}.{self.key}"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "node": self.node, "name": self.name, "value": self.value}


@fast_init
@dataclass(frozen=True)
class ActionCalled(_Event):
    """A ``do`` instruction: the step asked the runtime to run ``action`` with ``args``."""

    kind: ClassVar[str] = "action_call"
    node: str
    action: str
    args: dict[str, Any]


@fast_init
@dataclass(frozen=True)
class ActionReturned(_Event):
    """What the action gave back: its variable updates (``result``) and the texts it said
    (each one a reply, sent right after)."""

    kind: ClassVar[str] = "action"
    node: str
    action: str
    result: dict[str, Any]
    said: tuple[str, ...] = ()


@fast_init
@dataclass(frozen=True)
class ConditionChecked(_Event):
    """A transition's ``when`` was evaluated (``when`` is "" for an unconditional one)."""

    kind: ClassVar[str] = "condition"
    node: str
    when: str
    value: bool
    to: str


@fast_init
@dataclass(frozen=True)
class CatchAllTaken(_Event):
    """A ``catch_all`` transition of ``flow`` was taken (the calls below it are unwound)."""

    kind: ClassVar[str] = "catch_all"
    flow: str
    to: str


@fast_init
@dataclass(frozen=True)
class TimeoutTaken(_Event):
    """The timeout path of the node the conversation waited at."""

    kind: ClassVar[str] = "timeout"
    node: str
    to: str


@fast_init
@dataclass(frozen=True)
class FlowCalled(_Event):
    """``node`` called flow ``flow`` (entered at its start)."""

    kind: ClassVar[str] = "call"
    node: str
    flow: str


@fast_init
@dataclass(frozen=True)
class FlowReturned(_Event):
    """Flow ``flow`` reached ``RETURN``: back to the node that called it, ``to``."""

    kind: ClassVar[str] = "return"
    flow: str
    to: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "from": self.flow, "to": self.to}


@fast_init
@dataclass(frozen=True)
class Waiting(_Event):
    """The turn stopped: the conversation waits at ``node`` for the next message."""

    kind: ClassVar[str] = "wait"
    node: str


@fast_init
@dataclass(frozen=True)
class SessionEnded(_Event):
    """The session ended (``END``, or ``RETURN`` from the top flow)."""

    kind: ClassVar[str] = "end"


@fast_init
@dataclass(frozen=True)
class TurnFailed(_Event):
    """The turn failed here and is rolled back whole (``reason`` "loop" for the loop guard)."""

    kind: ClassVar[str] = "error"
    message: str
    node: str = ""
    reason: str = "error"


Recorded = (
    SessionStarted
    | NodeEntered
    | VariableSet
    | ActionCalled
    | ActionReturned
    | ConditionChecked
    | CatchAllTaken
    | TimeoutTaken
    | FlowCalled
    | FlowReturned
    | Waiting
    | SessionEnded
    | TurnFailed
)
"""Every event but :class:`Say`: what the trace shows as it is."""
Event = Recorded | Say
"""Everything ``step`` may record."""
