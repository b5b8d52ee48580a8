"""`MemoryStore`: the store contract in process memory, for tests and benchmarks.

Values are kept as JSON text, as the SQL stores keep them: what a turn reads is a copy that it may
change freely, and a value that would not survive the database fails here too. Transcript events
are kept as the SQL stores' rows, tuples of strings and numbers (:data:`EventRow`), which the
garbage collector stops tracking: kept as objects, the thousands of events of a long session made
every full collection walk them all (a sixth of the time of 14,000 pizza turns).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, cast

from workbench.schema import ConversationRecord, Session, TranscriptEvent
from workbench.stores._content_log import MemoryContentLog
from workbench.stores._json import dump_json, load_json
from workbench.stores._locks import ConversationBusy, KeyedLocks
from workbench.stores._rows import event_of, event_params

__all__ = ["MemoryStore"]

EventRow = tuple[Any, ...]
"""An event as the SQL stores write it (:func:`~workbench.stores._rows.event_params`): the bot,
then its fields in ``EVENT_COLUMNS`` order, the payload as JSON text."""


@dataclass
class _Conversation:
    user_id: str
    session: str | None
    turn: int
    updated_at: float

    def record(self, conversation_id: str) -> ConversationRecord:
        return ConversationRecord(
            id=conversation_id,
            user_id=self.user_id,
            session=cast(Session | None, load_json(self.session)),
            turn=self.turn,
            updated_at=self.updated_at,
        )


class _Pending:
    """What a turn's ``save`` calls wrote, applied only when the turn commits."""

    __slots__ = ("bot_changes", "conversations", "events", "message", "user_changes")

    def __init__(self) -> None:
        self.message: tuple[str, str, str] | None = None
        """The conversation id, message id and replies (JSON) to remember."""
        self.conversations: list[tuple[str, _Conversation]] = []
        self.events: list[EventRow] = []
        self.user_changes: dict[str, str] = {}
        self.bot_changes: dict[str, str] = {}


class MemoryStore:
    """In-process store: a lock per conversation serialises its turns; nothing is persisted.

    A turn holds its conversation's lock from ``store.turn(...)`` to the end of the ``with``
    block, and applies what it saved at once when the block ends normally.
    """

    url = "memory://"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        """Guards every dict below; held only briefly (never while a turn runs)."""
        self._turn_locks = KeyedLocks()
        """The conversations' locks, by ``(bot, conversation id)``."""
        self._conversations: dict[tuple[str, str], _Conversation] = {}
        self._users: dict[tuple[str, str], dict[str, str]] = {}
        self._bots: dict[str, dict[str, str]] = {}
        self._events: dict[str, list[EventRow]] = {}
        self._versions: dict[tuple[str, str], str] = {}
        self._messages: dict[tuple[str, str, str], str] = {}
        """Replies by ``(bot, conversation id, message id)``, as JSON text."""
        self.content_log = MemoryContentLog()

    def __repr__(self) -> str:
        return "MemoryStore()"

    def turn(
        self, bot: str, conversation_id: str, user_id: str, *, wait: bool = True
    ) -> _MemoryTurn:
        return _MemoryTurn(self, bot, conversation_id, user_id, wait)

    def get_conversation(self, bot: str, conversation_id: str) -> ConversationRecord | None:
        with self._lock:
            stored = self._conversations.get((bot, conversation_id))
            return None if stored is None else stored.record(conversation_id)

    def user_vars(self, bot: str, user_id: str) -> dict[str, Any]:
        with self._lock:
            return _decode(self._users.get((bot, user_id), {}))

    def bot_vars(self, bot: str) -> dict[str, Any]:
        with self._lock:
            return _decode(self._bots.get(bot, {}))

    def events(self, bot: str, conversation_id: str | None = None) -> list[TranscriptEvent]:
        with self._lock:
            rows = list(self._events.get(bot, ()))
        return [event_of(row[1:]) for row in rows if conversation_id in (None, row[1])]

    def iter_events(self, bot: str, batch: int = 10_000) -> Iterator[TranscriptEvent]:
        start = 0
        while True:
            with self._lock:
                rows = self._events.get(bot, [])[start : start + batch]
            for row in rows:
                yield event_of(row[1:])
            if len(rows) < batch:
                return
            start += batch

    def reset(self, bot: str, conversation_id: str) -> None:
        """Forget the session, after a running turn of the conversation ends."""
        key = self._turn_locks.acquire(bot, conversation_id)
        try:
            with self._lock:
                stored = self._conversations.get(key)
                if stored is not None:
                    stored.session = None
        finally:
            self._turn_locks.release(key)

    def idle_conversations(self, bot: str, idle_since: float) -> list[str]:
        with self._lock:
            idle = [
                (stored.updated_at, conversation_id)
                for (owner, conversation_id), stored in self._conversations.items()
                if owner == bot and stored.session is not None and stored.updated_at < idle_since
            ]
        return [conversation_id for _, conversation_id in sorted(idle)]

    def put_version(self, bot: str, version: str, definition: dict[str, Any]) -> None:
        text = dump_json(definition)
        with self._lock:
            self._versions.setdefault((bot, version), text)

    def get_version(self, bot: str, version: str) -> dict[str, Any] | None:
        with self._lock:
            text = self._versions.get((bot, version))
        return None if text is None else cast(dict[str, Any], load_json(text))

    def open(self) -> None:
        """Nothing to connect to."""

    def checkpoint(self) -> None:
        """Nothing to do: there is no log to copy back (see :meth:`SQLStore.checkpoint`)."""

    def close(self) -> None:
        """Nothing to release; the data stays readable until the store is dropped."""

    def _commit(self, bot: str, user_id: str, pending: _Pending) -> None:
        """Apply a committed turn's writes at once."""
        with self._lock:
            for conversation_id, stored in pending.conversations:
                self._conversations[bot, conversation_id] = stored
            if pending.events:
                self._events.setdefault(bot, []).extend(pending.events)
            if pending.user_changes:
                self._users.setdefault((bot, user_id), {}).update(pending.user_changes)
            if pending.bot_changes:
                self._bots.setdefault(bot, {}).update(pending.bot_changes)
            if pending.message is not None:
                conversation_id, message_id, replies = pending.message
                self._messages[bot, conversation_id, message_id] = replies


class _MemoryTurn:
    """One turn of a :class:`MemoryStore` (see :class:`TurnTransaction`)."""

    conversation: ConversationRecord
    user_vars: dict[str, Any]
    bot_vars: dict[str, Any]

    def __init__(
        self, store: MemoryStore, bot: str, conversation_id: str, user_id: str, wait: bool = True
    ) -> None:
        self._store = store
        self._wait = wait
        self._bot = bot
        self._conversation_id = conversation_id
        self._user_id = user_id
        self._pending = _Pending()

    def __enter__(self) -> _MemoryTurn:
        store = self._store
        if self._wait:
            key = store._turn_locks.acquire(self._bot, self._conversation_id)
        else:
            held = store._turn_locks.try_acquire(self._bot, self._conversation_id)
            if held is None:
                raise ConversationBusy(self._conversation_id)
            key = held
        self._key = key
        with store._lock:
            stored = store._conversations.get(key)
            user = dict(store._users.get((self._bot, self._user_id), {}))
            bot = dict(store._bots.get(self._bot, {}))
        if stored is None:
            self.conversation = ConversationRecord(id=self._conversation_id, user_id=self._user_id)
        else:
            self.conversation = stored.record(self._conversation_id)
        self.user_vars, self.bot_vars = _decode(user), _decode(bot)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc is None:
                self._store._commit(self._bot, self._user_id, self._pending)
        finally:
            self._store._turn_locks.release(self._key)

    def recall(self, message_id: str) -> list[Any] | None:
        store = self._store
        with store._lock:
            text = store._messages.get((self._bot, self._conversation_id, message_id))
        return None if text is None else cast(list[Any], load_json(text))

    def remember(self, message_id: str, replies: list[Any]) -> None:
        self._pending.message = (self._conversation_id, message_id, dump_json(replies))

    def save(
        self,
        conversation: ConversationRecord,
        events: list[TranscriptEvent],
        user_changes: dict[str, Any] | None = None,
        bot_changes: dict[str, Any] | None = None,
    ) -> None:
        """Stage the writes; they apply when the ``with`` block exits normally."""
        session = None if conversation.session is None else dump_json(conversation.session)
        updated_at = conversation.updated_at or time.time()
        stored = _Conversation(conversation.user_id, session, conversation.turn, updated_at)
        staged = [event_params(self._bot, event) for event in events]
        # as JSON text, as the SQL stores keep them (read back as copies); nothing is staged
        # when a value cannot be stored
        user = bot = None
        if user_changes:
            user = {name: dump_json(value) for name, value in user_changes.items()}
        if bot_changes:
            bot = {name: dump_json(value) for name, value in bot_changes.items()}
        pending = self._pending
        pending.conversations.append((conversation.id, stored))
        pending.events += staged
        if user:
            pending.user_changes.update(user)
            self.user_vars.update(_decode(user))
        if bot:
            pending.bot_changes.update(bot)
            self.bot_vars.update(_decode(bot))
        conversation.updated_at = updated_at
        self.conversation = conversation


def _decode(values: dict[str, str]) -> dict[str, Any]:
    return {name: load_json(text) for name, text in values.items()}
