"""Replaying a step's events: replies rendered for the channel and language, transcript rows.

The engine says *what* to say (:class:`~workbench.engine.Say`: an element and the variables at
that moment); here each one becomes a :class:`~workbench.schema.Reply`, rendered whole and then
shaped for the channel (:func:`~workbench.content.for_channel`). The choices offered are taken
before shaping, so a plain-text channel answers them by number or title as a web chat does.
The same pass writes the turn's node and bot transcript rows, in the order they happened; the
trace's steps (:func:`trace_steps`) are made from the events and the replies only when read.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from workbench.content import for_channel
from workbench.engine import ActionReturned, Event, NodeEntered, Say, TurnFailed
from workbench.expressions import EvaluationError
from workbench.runtime._trace import ReplySent, Step
from workbench.runtime._transcript import TurnRows
from workbench.schema import Channel, Choice, ContentError, Reply


@dataclass
class Replayed:
    """The replies a step's events sent, as the channel shows them, and what they offered."""

    replies: list[Reply] = field(default_factory=list)
    offered: list[Choice] = field(default_factory=list)
    """The choices of the turn's replies (the session keeps them for "2" or a title)."""
    failure: TurnFailed | None = None
    """A reply that could not be rendered (a template error): the turn fails there."""
    failed_at: int = -1
    """The index of the event that failed to render."""


def replay(
    events: list[Event],
    channel: Channel,
    languages: tuple[str, str],
    rng: random.Random,
    rows: TurnRows,
) -> Replayed:
    """Render every reply of ``events`` in ``languages`` (the conversation's, then the bot's
    default) and write their node and bot rows to ``rows``; a template (or a custom type's
    renderer) that fails stops there, as a failure inside the step would."""
    language, default = languages
    out = Replayed()
    replies, offered = out.replies, out.offered
    for event in events:  # (type(...) is: the cheapest test, for events of final classes)
        if type(event) is NodeEntered:
            rows.add("node", event.node)
        elif type(event) is Say:
            try:
                reply = event.element.render(event.names, rng, language, default)
            except (EvaluationError, ContentError) as exc:
                message = f"template error: {exc} (in {event.node})"
                out.failure, out.failed_at = TurnFailed(message, event.node), events.index(event)
                return out
            offered += reply.choices
            shaped = for_channel(reply, channel)
            replies.append(shaped)
            rows.bot(shaped, event.node)
        elif type(event) is ActionReturned:
            for text in event.said:
                shaped = for_channel(Reply("text", text), channel)
                replies.append(shaped)
                rows.bot(shaped, event.node)
    return out


def trace_steps(events: list[Event], replayed: Replayed) -> list[Step]:
    """The trace's steps: the events, each reply to render replaced by the reply sent (and an
    action's replies after it), up to a reply that failed to render."""
    sent = iter(replayed.replies)
    steps: list[Step] = []
    for index, event in enumerate(events):
        if index == replayed.failed_at:
            assert replayed.failure is not None
            steps.append(replayed.failure)
            break
        if isinstance(event, Say):
            steps.append(ReplySent(event.node, event.element.id, next(sent)))
            continue
        steps.append(event)
        if isinstance(event, ActionReturned):
            steps += [ReplySent(event.node, "", next(sent)) for _ in event.said]
    return steps
