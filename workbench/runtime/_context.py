"""The per-turn context that middleware sees, and what a turn hands back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

from workbench.runtime._trace import TurnTrace
from workbench.schema import WEB, Channel, NLUResult, Reply


@dataclass
class TurnContext:
    """One message on its way through the middleware onion.

    Incoming middleware (code before ``call_next()``) may change ``text``, ``payload`` or
    ``nlu``; outgoing middleware (code after it) may change ``replies``, which are rendered for
    ``channel`` by then. ``error`` is set when the turn failed (``replies`` then holds the
    bot's turn-error reply). A timeout runs through the middleware too, with ``timeout`` set.
    """

    conversation_id: str
    user_id: str
    text: str = ""
    payload: dict[str, Any] | None = None
    nlu: NLUResult | None = None
    replies: list[Reply] = field(default_factory=list)
    error: str | None = None
    channel: Channel = WEB
    language: str = ""
    timeout: bool = False


Middleware = Callable[[TurnContext, Callable[[], None]], None]
"""``def mw(ctx, call_next): ...; call_next(); ...`` — botbuilder's onion."""


@dataclass(frozen=True)
class TurnOutcome:
    """What a turn produced: the replies, the turn's number, the error if it failed, and its
    debugger trace (built on first access: a server answering messages never builds one)."""

    replies: list[Reply]
    turn: int
    error: str | None
    build_trace: Callable[[], TurnTrace] = field(repr=False, compare=False)
    repeated: bool = False
    """The message's ``message_id`` was answered before: these are the replies of then, and
    nothing ran or changed."""

    @cached_property
    def trace(self) -> TurnTrace:
        return self.build_trace()


def run_onion(ctx: TurnContext, middleware: list[Middleware], core: Callable[[], None]) -> None:
    """Call each middleware around the next one, with ``core`` innermost.

    The layers are built inside out as partials: no closure refers to itself, so nothing a
    turn touched forms a reference cycle (a cycle would keep the whole turn, its state and its
    transcript rows, alive until the garbage collector ran: ~1/3 of a turn's time went to it).
    """
    call_next = core
    for layer in reversed(middleware):
        call_next = partial(layer, ctx, call_next)
    call_next()
