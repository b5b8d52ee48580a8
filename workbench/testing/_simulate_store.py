"""Where simulated turns run, and how they reach the bot's store.

Every simulated turn is a real turn (``Bot.handle``: middleware, NLU, engine, transcript rows,
state saved in a store transaction). The turns run on a :class:`Staging` memory store, a chunk
of conversations at a time, and each finished conversation is then copied into the bot's store
by one ordinary turn (``store.turn(...)`` and ``save``): its last conversation row, all its
transcript rows with their original timestamps, and its user's variables. The bot variables the
chunk changed go with its last conversation.

Why stage: on SQLite every turn is a transaction with a commit to the WAL; a pizza conversation
of ~7 turns copied in one transaction costs the database a seventh of that. (On a memory store the
copy costs a little; one path for every store keeps it simple.)
"""

from __future__ import annotations

from typing import Any

from workbench.schema import TranscriptEvent
from workbench.stores import MemoryStore, Store

SEED = "sim-bot-vars"
"""The staging conversation whose turn brings in the bot's variables (never copied)."""


class Staging:
    """A chunk of simulated conversations, played on a memory store, then copied to ``target``.

    The memory store starts with the bot variables as ``target`` has them now (with what other
    workers copied in), brought in by one turn of the :data:`SEED` conversation.
    """

    def __init__(self, target: Store, bot: str) -> None:
        self.target, self.bot = target, bot
        self.store = MemoryStore()
        self._bot_vars = target.bot_vars(bot)
        if self._bot_vars:
            with self.store.turn(bot, SEED, SEED) as tx:
                tx.save(tx.conversation, [], None, self._bot_vars)

    def copy(self, conversation_ids: list[str]) -> None:
        """Copy the conversations (those that had a turn) into ``target``, one turn each."""
        store, bot = self.store, self.bot
        events: dict[str, list[TranscriptEvent]] = {}
        for event in store.events(bot):  # one pass: the staging store scans all rows per call
            events.setdefault(event.conversation_id, []).append(event)
        records = [store.get_conversation(bot, cid) for cid in conversation_ids]
        played = [record for record in records if record is not None]
        changed = _changed(self._bot_vars, store.bot_vars(bot))
        for n, record in enumerate(played):
            user_vars = store.user_vars(bot, record.user_id)  # a new user: all of them changed
            bot_changes = changed if n == len(played) - 1 else None
            with self.target.turn(bot, record.id, record.user_id) as tx:
                tx.save(record, events.get(record.id, []), user_vars or None, bot_changes or None)


def _changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in after.items() if key not in before or before[key] != value}
