"""Proactive messages: the bot speaks into a conversation without a user message (a reminder,
an agent's note, an order that shipped).

The reply is recorded as a turn of its own (its bot row only) under the conversation's lock, so
it takes its place in the transcript between the user's turns, never inside one; the session
(where the conversation waits, its variables, its idle time) does not change.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from workbench.content import for_channel
from workbench.runtime._context import TurnOutcome
from workbench.runtime._trace import TurnTrace
from workbench.runtime._transcript import TurnRows
from workbench.schema import CHANNELS, WEB, ConversationRecord, Reply

if TYPE_CHECKING:
    from workbench.runtime._bot import Bot


def send_proactive(
    bot: Bot, conversation_id: str, *, element: str | None = None, text: str | None = None
) -> TurnOutcome | None:
    """Say a content ``element`` (rendered for the conversation's channel and language) or a
    plain ``text`` into a conversation; None if the conversation does not exist. An unknown
    element raises :class:`~workbench.schema.ContentError`."""
    if (element is None) == (text is None):
        raise ValueError("give an element id or a text, not both")
    known = bot.store.get_conversation(bot.name, conversation_id)
    if known is None:
        return None
    with bot.store.turn(bot.name, conversation_id, known.user_id) as tx:
        record = tx.conversation
        session = record.session
        channel = CHANNELS.get(str(session.get("channel") or "web"), WEB) if session else WEB
        language = str(session.get("language") or "") if session else ""
        language = language or bot.settings.languages[0]
        if element is not None:
            found = bot.program.content.get(element)
            rendered = found.render({}, bot.rng, language, bot.settings.languages[0])
            reply = for_channel(rendered, channel)
        else:
            reply = Reply("text", text or "")
        number = record.turn + 1
        rows = TurnRows(record.id, record.user_id, number, time.time(), channel.name, language)
        where = ""
        if session:
            frame = session["stack"][-1]
            where = f"{frame['flow']}.{frame['node']}"
        rows.bot(reply, where)
        # the same session and idle time: only the turn number moves on
        kept = ConversationRecord(record.id, record.user_id, session, number, record.updated_at)
        tx.save(kept, rows.rows)

    def trace() -> TurnTrace:
        return TurnTrace(number, "proactive", channel.name, language, replies=(reply,))

    outcome = TurnOutcome([reply], number, None, trace)
    bot.turn_listeners.notify(conversation_id, outcome)
    return outcome
