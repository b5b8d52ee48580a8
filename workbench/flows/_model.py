"""Compiled flows: what the engine runs. Conditions and templates are parsed once, here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from workbench.expressions import Condition

Scope = Literal["state", "user", "bot"]
"""Where a variable lives: the conversation, the user (across sessions), the whole bot."""
END = "END"
RETURN = "RETURN"
NodeKind = Literal["waits", "falls_through", "calls", "ends"]


@dataclass(frozen=True, slots=True)
class Transition:
    """Go to ``target`` when ``condition`` holds (None = always)."""

    condition: Condition | None
    target: str
    line: int = 0

    @property
    def source(self) -> str:
        return self.condition.source if self.condition else ""


@dataclass(frozen=True, slots=True)
class Assignment:
    """One variable of a ``set``: scope is ``state``, ``user`` or ``bot``."""

    scope: Scope
    key: str
    value: Any  # a Template, or a literal (possibly a list/dict holding Templates)

    @property
    def name(self) -> str:
        return self.key if self.scope == "state" else f"{self.scope}.{self.key}"


@dataclass(frozen=True, slots=True)
class Instruction:
    """``say`` (element id or inline element), ``set`` or ``do``."""

    kind: Literal["say", "set", "do"]
    line: int = 0
    element_id: str = ""
    inline: dict[str, Any] | None = None
    assignments: tuple[Assignment, ...] = ()
    action: str = ""
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Node:
    """A node of a flow, with its flow's name so traces can say ``flow.node``."""

    flow: str
    name: str
    on_enter: tuple[Instruction, ...] = ()
    on_receive: tuple[Instruction, ...] | None = None
    call: str | None = None
    next: tuple[Transition, ...] = ()
    timeout: str | None = None
    line: int = 0
    description: str = ""
    qualified: str = field(init=False, repr=False, compare=False)
    """``flow.node``, as traces and transcripts name it (made once: every turn reads it)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "qualified", f"{self.flow}.{self.name}")

    @property
    def waits(self) -> bool:
        return self.on_receive is not None

    @property
    def kind(self) -> NodeKind:
        if self.call is not None:
            return "calls"
        if self.waits:
            return "waits"
        if any(t.target == END for t in self.next) and len(self.next) == 1:
            return "ends"
        return "falls_through"


@dataclass(frozen=True, slots=True)
class Flow:
    name: str
    start: str
    nodes: dict[str, Node]
    catch_all: tuple[Transition, ...] = ()
    timeout: str | None = None
    timeout_line: int = 0
    file: str = ""
    description: str = ""


@dataclass(frozen=True)
class FlowSet:
    """All flows of a bot at one version. ``definition`` is the JSON the version hash is of."""

    flows: dict[str, Flow]
    version: str
    definition: dict[str, Any] = field(repr=False, default_factory=dict)

    def node(self, flow: str, name: str) -> Node:
        return self.flows[flow].nodes[name]

    def __contains__(self, flow: object) -> bool:
        return flow in self.flows
