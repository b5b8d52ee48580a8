"""The per-turn context that middleware sees, and what a turn hands back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.schema import NLUResult, Reply


@dataclass
class TurnContext:
    """One message on its way through the middleware onion.

    Incoming middleware (code before ``call_next()``) may change ``text``, ``payload`` or
    ``nlu``; outgoing middleware (code after it) may change ``replies``.
    """

    conversation_id: str
    user_id: str
    text: str = ""
    payload: dict[str, Any] | None = None
    nlu: NLUResult | None = None
    replies: list[Reply] = field(default_factory=list)
    trace: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


Middleware = Callable[[TurnContext, Callable[[], None]], None]
"""``def mw(ctx, call_next): ...; call_next(); ...`` — botbuilder's onion."""


@dataclass(frozen=True)
class TurnOutcome:
    """What a turn produced: the replies, the debugger trace and the error if it failed."""

    replies: list[Reply]
    trace: dict[str, Any]
    turn: int
    error: str | None = None


def run_onion(ctx: TurnContext, middleware: list[Middleware], core: Callable[[], None]) -> None:
    """Call each middleware around the next one, with ``core`` innermost."""

    def layer(i: int) -> Callable[[], None]:
        if i == len(middleware):
            return core
        return lambda: middleware[i](ctx, layer(i + 1))

    layer(0)()
