"""The dialog engine: a pure ``step`` from (session, event) to (session, replies, trace)."""

from __future__ import annotations

from workbench.engine._program import Program
from workbench.engine._step import step
from workbench.engine._types import ActionContext, ActionRunner, EventKind, StepResult, TurnInput
from workbench.engine._values import clone

__all__ = [
    "ActionContext",
    "ActionRunner",
    "EventKind",
    "Program",
    "StepResult",
    "TurnInput",
    "clone",
    "step",
]
