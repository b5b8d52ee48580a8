"""The dialog engine: a pure ``step`` from (session, input) to an ordered list of typed events.

``step`` renders nothing and runs no user code: replies come out as :class:`Say` events (an
element and the variables to render it with) and actions as requests the runtime answers (see
:data:`Turn`). The runtime turns the events into replies, transcript rows and the trace.
"""

from __future__ import annotations

from workbench.engine._events import (
    ActionCalled,
    ActionReturned,
    CatchAllTaken,
    ConditionChecked,
    Event,
    FlowCalled,
    FlowReturned,
    NodeEntered,
    Recorded,
    Say,
    SessionEnded,
    SessionStarted,
    TimeoutTaken,
    TurnFailed,
    VariableSet,
    Waiting,
)
from workbench.engine._program import Program
from workbench.engine._step import step
from workbench.engine._types import (
    ActionContext,
    StepResult,
    Timeout,
    Turn,
    TurnInput,
    UserMessage,
)
from workbench.engine._values import clone

__all__ = [
    "ActionCalled",
    "ActionContext",
    "ActionReturned",
    "CatchAllTaken",
    "ConditionChecked",
    "Event",
    "FlowCalled",
    "FlowReturned",
    "NodeEntered",
    "Program",
    "Recorded",
    "Say",
    "SessionEnded",
    "SessionStarted",
    "StepResult",
    "Timeout",
    "TimeoutTaken",
    "Turn",
    "TurnFailed",
    "TurnInput",
    "UserMessage",
    "VariableSet",
    "Waiting",
    "clone",
    "step",
]
