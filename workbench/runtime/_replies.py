"""Rendering a step's replies for the conversation's channel and language.

The engine says *what* to say (:class:`~workbench.engine.Say`: an element and the variables at
that moment); here each one becomes a :class:`~workbench.schema.Reply`, rendered whole and then
shaped for the channel (:func:`~workbench.content.for_channel`). The choices offered are taken
before shaping, so a plain-text channel answers them by number or title as a web chat does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from workbench.content import for_channel
from workbench.engine import ActionReturned, Event, Say, TurnFailed
from workbench.expressions import EvaluationError
from workbench.runtime._trace import ReplySent, Step
from workbench.schema import Channel, Choice, Reply


@dataclass
class Rendered:
    """A step's events with every reply rendered: the trace's steps and what was sent."""

    steps: list[Step] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    offered: list[Choice] = field(default_factory=list)
    """The choices of the turn's replies (the session keeps them for "2" or a title)."""

    @property
    def failure(self) -> TurnFailed | None:
        last = self.steps[-1] if self.steps else None
        return last if isinstance(last, TurnFailed) else None

    def send(self, node: str, element: str, reply: Reply, channel: Channel) -> None:
        self.offered += reply.choices
        shaped = for_channel(reply, channel)
        self.replies.append(shaped)
        self.steps.append(ReplySent(node, element, shaped))


def render_events(
    events: list[Event], channel: Channel, language: str, rng: random.Random
) -> Rendered:
    """The steps and replies of ``events``; a template that fails to render stops there with a
    :class:`~workbench.engine.TurnFailed`, as a failure inside the step would."""
    out = Rendered()
    for event in events:
        if isinstance(event, Say):
            try:
                reply = event.element.render(event.names, rng, language)
            except EvaluationError as exc:
                message = f"template error: {exc} (in {event.node})"
                out.steps.append(TurnFailed(message, event.node))
                return out
            out.send(event.node, event.element.id, reply, channel)
            continue
        out.steps.append(event)
        if isinstance(event, ActionReturned):
            for text in event.said:
                out.send(event.node, "", Reply("text", text), channel)
    return out
