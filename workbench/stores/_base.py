"""The store port: what the runtime needs from a conversation store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol

from workbench.schema import ConversationRecord, TranscriptEvent
from workbench.stores._content_log import ContentLog


class TurnTransaction(Protocol):
    """One turn's transaction, opened by :meth:`Store.turn` as a context manager.

    What is locked: the conversation, from ``store.turn(...)`` until the ``with`` block ends.
    Another turn of the same conversation (from this process, another process or another server
    instance) and a ``reset`` of it wait until then; turns of other conversations do not wait,
    however long this one takes (its NLU, engine step and actions run inside the block). A turn
    of the same conversation opened inside the block, in the same thread, fails at once with a
    ``RuntimeError`` instead of waiting for itself; one of another conversation runs.

    When things are written: at the end of the block, if it ends normally and ``save`` was
    called, in one short database transaction (the conversation row, the transcript rows, the
    merged variables: all or nothing). On SQLite that transaction is the only time the turn holds
    the database's write lock. If the block raises, nothing of the turn is written.
    """

    conversation: ConversationRecord
    """The conversation as stored (a fresh record with ``turn=0`` if it never existed)."""
    user_vars: dict[str, Any]
    """The user's variables (``user.*``), kept across sessions."""
    bot_vars: dict[str, Any]
    """The bot-wide variables (``bot.*``)."""

    def save(
        self,
        conversation: ConversationRecord,
        events: list[TranscriptEvent],
        user_changes: dict[str, Any] | None = None,
        bot_changes: dict[str, Any] | None = None,
    ) -> None:
        """Stage the conversation, the events and the changed user/bot keys.

        Several saves in one turn accumulate (the last conversation record wins). All of it is
        written together when the ``with`` block exits normally: only the changed keys are
        merged into the user and bot variables as they are stored then (read again under a
        lock), so concurrent conversations changing different keys never lose each other's
        writes. ``user_vars`` and ``bot_vars`` show the changes at once.

        A value that cannot be stored (an integer of more than 4,300 digits, an object that is
        not JSON) raises the JSON encoder's ``ValueError``, ``TypeError`` or ``RecursionError``
        here, and nothing of this save is staged (the turn may save something else instead).
        """
        ...

    def recall(self, message_id: str) -> list[Any] | None:
        """The replies saved for ``message_id`` in this conversation by an earlier turn (None
        if there was none). Read under the conversation's lock: a message sent twice at once,
        to one server instance or two, runs one turn."""
        ...

    def remember(self, message_id: str, replies: list[Any]) -> None:
        """Stage the replies of ``message_id`` (JSON values): written with the turn, all or
        nothing, for :meth:`recall`."""
        ...


class Store(Protocol):
    """Conversation state and transcripts, shared by every tool and server instance."""

    url: str

    @property
    def content_log(self) -> ContentLog:
        """The revisions of the bots' content elements (see :class:`ContentLog`)."""
        ...

    def turn(
        self, bot: str, conversation_id: str, user_id: str, *, wait: bool = True
    ) -> AbstractContextManager[TurnTransaction]:
        """Open one turn: entering it locks the conversation and reads it with its user and bot
        variables (see :class:`TurnTransaction`). ``wait=False``: if another turn holds the
        conversation, entering raises :class:`ConversationBusy` at once (PostgreSQL: ``SKIP
        LOCKED``), as the timeout janitors of several instances do."""
        ...

    def get_conversation(self, bot: str, conversation_id: str) -> ConversationRecord | None: ...

    def user_vars(self, bot: str, user_id: str) -> dict[str, Any]: ...

    def bot_vars(self, bot: str) -> dict[str, Any]: ...

    def events(self, bot: str, conversation_id: str | None = None) -> list[TranscriptEvent]:
        """Transcript rows in the order they were written (all conversations when id is None)."""
        ...

    def iter_events(self, bot: str, batch: int = 10_000) -> Iterator[TranscriptEvent]: ...

    def reset(self, bot: str, conversation_id: str) -> None:
        """Forget the conversation's session (its transcript stays); waits for a running turn
        of the conversation to end."""
        ...

    def idle_conversations(self, bot: str, idle_since: float) -> list[str]:
        """Ids of conversations with an open session last updated before ``idle_since``."""
        ...

    def put_version(self, bot: str, version: str, definition: dict[str, Any]) -> None:
        """Remember a flow-set definition under its version hash (no-op if already there)."""
        ...

    def get_version(self, bot: str, version: str) -> dict[str, Any] | None: ...

    def open(self) -> object:
        """Connect now, the schema created or migrated if needed. Stores connect when first
        used; a server calls this before serving, so that a bad store stops it at start."""
        ...

    def close(self) -> None: ...
