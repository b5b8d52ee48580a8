"""Where simulated turns run, and how they reach the bot's store.

Every simulated turn is a real turn (``Bot.handle``: middleware, NLU, engine, transcript rows,
state saved in a store transaction). On an in-process memory store the turns run on the bot's
store itself (through a :class:`Recorder`). On any other store they run on a
:class:`StagingStore`, and each finished conversation is then copied into the bot's store whole:
its last conversation row, all its transcript rows with their original timestamps, and the user
and bot variables it changed. A store offering ``append_conversations`` gets a chunk of
conversations in one transaction; any other store gets one ``store.turn(...)`` transaction per
conversation.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, cast

from workbench.schema import ConversationRecord, TranscriptEvent
from workbench.stores import Store, TurnTransaction

_dump = json.JSONEncoder(separators=(",", ":")).encode


@dataclass
class Written:
    """What the committed turns of one conversation saved, merged."""

    record: ConversationRecord
    events: list[TranscriptEvent]
    user_changes: dict[str, Any] = field(default_factory=dict)
    bot_changes: dict[str, Any] = field(default_factory=dict)
    last_turn: list[TranscriptEvent] = field(default_factory=list)


class Recording:
    """Remembers, per conversation, what its committed turns saved."""

    def __init__(self) -> None:
        self.written: dict[str, Written] = {}

    def remember(
        self,
        record: ConversationRecord,
        events: list[TranscriptEvent],
        user_changes: dict[str, Any] | None,
        bot_changes: dict[str, Any] | None,
    ) -> None:
        known = self.written.get(record.id)
        if known is None:
            known = self.written[record.id] = Written(record, list(events))
        else:
            known.record = record
            known.events += events
        known.last_turn = events
        known.user_changes.update(user_changes or {})
        known.bot_changes.update(bot_changes or {})

    def error_node(self, conversation_id: str) -> str | None:
        """Where the last turn of the conversation failed (from its ``turn_error`` row)."""
        known = self.written.get(conversation_id)
        for event in known.last_turn if known else ():
            if event.type == "turn_error" and event.flow:
                return f"{event.flow}.{event.node}"
        return None


class Recorder(Recording):
    """A store passing everything to ``inner``, remembering what each committed turn saved."""

    def __init__(self, inner: Store) -> None:
        super().__init__()
        self.inner = inner
        self.url = inner.url

    def turn(
        self, bot: str, conversation_id: str, user_id: str
    ) -> AbstractContextManager[TurnTransaction]:
        return _RecordingTurn(self, self.inner.turn(bot, conversation_id, user_id))

    def get_conversation(self, bot: str, conversation_id: str) -> ConversationRecord | None:
        return self.inner.get_conversation(bot, conversation_id)

    def user_vars(self, bot: str, user_id: str) -> dict[str, Any]:
        return self.inner.user_vars(bot, user_id)

    def bot_vars(self, bot: str) -> dict[str, Any]:
        return self.inner.bot_vars(bot)

    def events(self, bot: str, conversation_id: str | None = None) -> list[TranscriptEvent]:
        return self.inner.events(bot, conversation_id)

    def iter_events(self, bot: str, batch: int = 10_000) -> Iterator[TranscriptEvent]:
        return self.inner.iter_events(bot, batch)

    def reset(self, bot: str, conversation_id: str) -> None:
        self.inner.reset(bot, conversation_id)

    def idle_conversations(self, bot: str, idle_since: float) -> list[str]:
        return self.inner.idle_conversations(bot, idle_since)

    def put_version(self, bot: str, version: str, definition: dict[str, Any]) -> None:
        self.inner.put_version(bot, version, definition)

    def get_version(self, bot: str, version: str) -> dict[str, Any] | None:
        return self.inner.get_version(bot, version)

    def close(self) -> None:
        self.inner.close()


class _RecordingTurn:
    """One turn of a :class:`Recorder`: the inner store's turn, remembered once committed."""

    conversation: ConversationRecord
    user_vars: dict[str, Any]
    bot_vars: dict[str, Any]

    def __init__(self, recorder: Recorder, inner: AbstractContextManager[TurnTransaction]) -> None:
        self._recorder = recorder
        self._inner = inner
        self._saved: tuple[Any, ...] | None = None

    def __enter__(self) -> _RecordingTurn:
        tx = self._tx = self._inner.__enter__()
        self.conversation, self.user_vars, self.bot_vars = (
            tx.conversation,
            tx.user_vars,
            tx.bot_vars,
        )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        suppressed = self._inner.__exit__(exc_type, exc, tb)
        if exc is None and self._saved is not None:
            self._recorder.remember(*self._saved)
        return suppressed

    def save(
        self,
        conversation: ConversationRecord,
        events: list[TranscriptEvent],
        user_changes: dict[str, Any] | None = None,
        bot_changes: dict[str, Any] | None = None,
    ) -> None:
        self._tx.save(conversation, events, user_changes, bot_changes)
        self._saved = (conversation, events, user_changes, bot_changes)
        self.conversation = self._tx.conversation
        self.user_vars, self.bot_vars = self._tx.user_vars, self._tx.bot_vars


class StagingStore(Recording):
    """The in-memory store simulated turns run on before their conversations are copied.

    For one bot and one thread, it keeps sessions and variables the way
    :class:`~workbench.stores.MemoryStore` does, as JSON text (a turn reads a copy it may change
    freely, and a value that would not survive the database fails here too), and remembers what
    each turn saved. Transcript rows stay objects: the bot's store writes them when the
    conversations are copied.
    """

    url = "memory://simulation"

    def __init__(self, bot_vars: dict[str, Any]) -> None:
        super().__init__()
        self.records: dict[str, tuple[str, str | None, int, float]] = {}
        self.users: dict[str, dict[str, str]] = {}
        self.bot: dict[str, str] = {k: _dump(v) for k, v in bot_vars.items()}
        self.versions: dict[str, str] = {}

    def turn(self, bot: str, conversation_id: str, user_id: str) -> _StagingTurn:
        return _StagingTurn(self, conversation_id, user_id)

    def commit(self, turn: _StagingTurn) -> None:
        record = turn.conversation
        self.records[record.id] = (record.user_id, turn.session, record.turn, record.updated_at)
        if turn.user_changes:
            self.users.setdefault(record.user_id, {}).update(turn.user_changes)
        self.bot.update(turn.bot_changes)
        user, bot = _decode(turn.user_changes), _decode(turn.bot_changes)
        self.remember(record, turn.events, user, bot)

    def get_conversation(self, bot: str, conversation_id: str) -> ConversationRecord | None:
        stored = self.records.get(conversation_id)
        if stored is None:
            return None
        user_id, session, turn, updated_at = stored
        loaded = None if session is None else json.loads(session)
        return ConversationRecord(conversation_id, user_id, loaded, turn, updated_at)

    def user_vars(self, bot: str, user_id: str) -> dict[str, Any]:
        return _decode(self.users.get(user_id, {}))

    def bot_vars(self, bot: str) -> dict[str, Any]:
        return _decode(self.bot)

    def events(self, bot: str, conversation_id: str | None = None) -> list[TranscriptEvent]:
        return [
            event
            for cid, written in self.written.items()
            if conversation_id is None or cid == conversation_id
            for event in written.events
        ]

    def iter_events(self, bot: str, batch: int = 10_000) -> Iterator[TranscriptEvent]:
        return iter(self.events(bot))

    def reset(self, bot: str, conversation_id: str) -> None:
        stored = self.records.get(conversation_id)
        if stored is not None:
            self.records[conversation_id] = (stored[0], None, stored[2], stored[3])

    def idle_conversations(self, bot: str, idle_since: float) -> list[str]:
        return []

    def put_version(self, bot: str, version: str, definition: dict[str, Any]) -> None:
        self.versions.setdefault(version, _dump(definition))

    def get_version(self, bot: str, version: str) -> dict[str, Any] | None:
        text = self.versions.get(version)
        return None if text is None else cast(dict[str, Any], json.loads(text))

    def close(self) -> None:
        """Nothing to release."""


class _StagingTurn:
    """One turn of a :class:`StagingStore` (see :class:`~workbench.stores.TurnTransaction`)."""

    def __init__(self, store: StagingStore, conversation_id: str, user_id: str) -> None:
        self._store = store
        known = store.get_conversation("", conversation_id)
        self.conversation = known or ConversationRecord(conversation_id, user_id)
        self.user_vars = _decode(store.users.get(self.conversation.user_id or user_id, {}))
        self.bot_vars = _decode(store.bot)
        self.saved = False
        self.session: str | None = None
        self.events: list[TranscriptEvent] = []
        self.user_changes: dict[str, str] = {}
        self.bot_changes: dict[str, str] = {}

    def __enter__(self) -> _StagingTurn:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None and self.saved:
            self._store.commit(self)

    def save(
        self,
        conversation: ConversationRecord,
        events: list[TranscriptEvent],
        user_changes: dict[str, Any] | None = None,
        bot_changes: dict[str, Any] | None = None,
    ) -> None:
        session = conversation.session
        self.session = None if session is None else _dump(session)
        user = {k: _dump(v) for k, v in (user_changes or {}).items()}
        bot = {k: _dump(v) for k, v in (bot_changes or {}).items()}
        self.user_changes.update(user)
        self.bot_changes.update(bot)
        self.events += events
        self.user_vars.update(_decode(user))
        self.bot_vars.update(_decode(bot))
        conversation.updated_at = conversation.updated_at or time.time()
        self.conversation = conversation
        self.saved = True


def _decode(values: dict[str, str]) -> dict[str, Any]:
    return {k: json.loads(v) for k, v in values.items()} if values else {}


def copy_conversations(target: Store, bot: str, written: list[Written]) -> None:
    """Write finished conversations into ``target`` (see the module docstring)."""
    if not written:
        return
    bulk = getattr(target, "append_conversations", None)
    if callable(bulk):
        user_changes: dict[str, dict[str, Any]] = {}
        bot_changes: dict[str, Any] = {}
        for w in written:
            if w.user_changes:
                user_changes.setdefault(w.record.user_id, {}).update(w.user_changes)
            bot_changes.update(w.bot_changes)
        events = [event for w in written for event in w.events]
        bulk(bot, [w.record for w in written], events, user_changes, bot_changes)
        return
    for w in written:
        with target.turn(bot, w.record.id, w.record.user_id) as tx:
            tx.save(w.record, w.events, w.user_changes, w.bot_changes)
