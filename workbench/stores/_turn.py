"""What every SQL turn does, whatever the backend: keep what it read, stage what ``save`` is
given, and write it all at the end, in a few multi-row statements right before the COMMIT.

How a turn locks its conversation and when it reads are the backend's (``_sqlite.SQLiteTurn``,
``_postgres.PostgresTurn``); the statements come from :class:`TurnStatements` either way.

A turn that keeps its session open updates the conversation row without touching
``has_session``, so the open-sessions index is not rewritten (on SQLite every page a commit
changes is one more write to the WAL). User and bot variables are merged key by key into the
rows as they are when the turn writes, read again under a lock then: another conversation of the
same user (or any conversation, for the bot's) may have changed other keys meanwhile.
"""

from __future__ import annotations

import time
from typing import Any, Protocol, cast

from workbench.schema import ConversationRecord, TranscriptEvent
from workbench.stores._json import dump_json, load_json
from workbench.stores._rows import event_params, vars_of
from workbench.stores._statements import TurnStatements
from workbench.stores._tables import EVENT_COLUMNS, EVENTS_PER_STATEMENT

__all__ = ["SQLTurn"]

_ROW = len(EVENT_COLUMNS)
_CHUNK = EVENTS_PER_STATEMENT * _ROW


class Backend(Protocol):
    """What the shared part of a turn needs of its backend."""

    sql: TurnStatements


class SQLTurn:
    """The shared part of a SQL store's :class:`~workbench.stores.TurnTransaction`."""

    conversation: ConversationRecord
    user_vars: dict[str, Any]
    bot_vars: dict[str, Any]
    _stored: bool
    """The conversation's row existed when the turn read it (set by the backend's turn)."""
    _had_session: bool
    """...and it had an open session."""

    def __init__(
        self, backend: Backend, bot: str, conversation_id: str, user_id: str, wait: bool = True
    ) -> None:
        self._backend = backend
        self._wait = wait
        """False: a conversation another turn holds raises ``ConversationBusy`` at once."""
        self._sql = backend.sql
        self._bot = bot
        self._conversation_id = conversation_id
        self._user_id = user_id
        self._saved: tuple[Any, ...] | None = None
        self._events: list[Any] = []
        """The saved events' rows, one after the other (:data:`EVENT_COLUMNS` values each)."""
        self._user_changes: dict[str, Any] | None = None
        self._bot_changes: dict[str, Any] | None = None
        self._message: tuple[str, str] | None = None
        """A message id and its replies as JSON text (see :meth:`remember`)."""

    def save(
        self,
        conversation: ConversationRecord,
        events: list[TranscriptEvent],
        user_changes: dict[str, Any] | None = None,
        bot_changes: dict[str, Any] | None = None,
    ) -> None:
        """Stage the conversation, the events and the changed variables.

        Everything is written when the ``with`` block exits normally. A changed key set to
        ``None`` is stored as JSON null (it reads back as ``None``, the key stays).
        Nothing is staged when a value cannot be stored (the error of :func:`dump_json`).
        """
        session = conversation.session
        updated_at = conversation.updated_at or time.time()
        saved = (
            self._bot,
            conversation.id,
            conversation.user_id,
            None if session is None else dump_json(session),
            conversation.turn,
            updated_at,
            session is not None,
        )
        bot = self._bot
        rows: list[Any] = []
        for event in events:
            rows += event_params(bot, event)
        for changes in (user_changes, bot_changes):
            if changes:  # written merged with the stored ones at the end: checked now
                dump_json(changes)
        self._saved = saved
        self._events += rows
        if user_changes:
            if self._user_changes is None:
                self._user_changes = {}
            self._user_changes.update(user_changes)
            self.user_vars.update(user_changes)
        if bot_changes:
            if self._bot_changes is None:
                self._bot_changes = {}
            self._bot_changes.update(bot_changes)
            self.bot_vars.update(bot_changes)
        conversation.updated_at = updated_at
        self.conversation = conversation

    def remember(self, message_id: str, replies: list[Any]) -> None:
        """Stage the replies of ``message_id``, written with the turn."""
        self._message = (message_id, dump_json(replies))

    def recall(self, message_id: str) -> list[Any] | None:
        """The replies stored for ``message_id`` (read under the conversation's lock)."""
        params = (self._bot, self._conversation_id, message_id)
        row = self._fetch_one(self._sql.read_message, params)
        return None if row is None else cast(list[Any], load_json(row[0]))

    def _fetch_one(self, sql: str, params: tuple[Any, ...]) -> Any:
        """One row of a query run while the turn holds its conversation (the backend's)."""
        raise NotImplementedError

    def _stored_vars(self, cursor: Any) -> tuple[str | None, str | None]:
        """The user's and the bot's variables as stored now, locked against other writers, for
        the scopes this turn changed (the backend's)."""
        raise NotImplementedError

    def _write(self, connection: Any, cursor: Any) -> None:
        """Write what was saved (the caller has begun the transaction on ``cursor``), commit."""
        sql, bot = self._sql, self._bot
        stored_user = stored_bot = None
        if self._user_changes or self._bot_changes:
            stored_user, stored_bot = self._stored_vars(cursor)
        assert self._saved is not None
        cursor.execute(*self._write_conversation(self._saved))
        events = self._events
        if len(events) <= _CHUNK:  # the usual turn: one statement
            if events:
                cursor.execute(sql.append_events(len(events) // _ROW), events)
        else:
            for start in range(0, len(events), _CHUNK):
                chunk = events[start : start + _CHUNK]
                cursor.execute(sql.append_events(len(chunk) // _ROW), chunk)
        if self._message is not None:
            message_id, replies = self._message
            params = (bot, self._conversation_id, message_id, self._saved[4], replies, time.time())
            cursor.execute(sql.insert_message, params)
        if self._user_changes:
            merged = vars_of(stored_user)
            merged.update(self._user_changes)
            cursor.execute(sql.upsert_user, (bot, self._user_id, dump_json(merged)))
        if self._bot_changes:
            merged = vars_of(stored_bot)
            merged.update(self._bot_changes)
            cursor.execute(sql.upsert_bot, (bot, dump_json(merged)))
        connection.commit()

    def _write_conversation(self, saved: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
        """The statement writing the saved conversation row, and its parameters.

        A row that exists is updated; ``has_session`` only when it changes (see the module
        docstring). A new row, or another conversation than the turn's, is upserted whole.
        """
        sql = self._sql
        bot, conversation_id, user_id, session, turn, updated_at, has_session = saved
        if conversation_id != self._conversation_id or not self._stored:
            return sql.upsert_conversation, saved
        fields = (user_id, session, turn, updated_at)
        if has_session == self._had_session:
            return sql.update_conversation, (*fields, bot, conversation_id)
        return sql.update_conversation_flag, (*fields, has_session, bot, conversation_id)
