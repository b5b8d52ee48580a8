"""The store port: what the runtime needs from a conversation store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol

from workbench.schema import ConversationRecord, TranscriptEvent


class TurnTransaction(Protocol):
    """One turn's transaction, opened by :meth:`Store.turn`.

    While it is open the conversation row is locked: another turn of the same conversation (from
    this process or another server instance) waits until it commits or rolls back.
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
        """Write the conversation, append the events and merge the changed user/bot keys.

        Only the changed keys are merged into the user and bot rows (under a row lock), so
        concurrent conversations changing different keys never lose each other's writes.
        All of it commits together when the ``with`` block exits normally.
        """
        ...


class Store(Protocol):
    """Conversation state and transcripts, shared by every tool and server instance."""

    url: str

    def turn(
        self, bot: str, conversation_id: str, user_id: str
    ) -> AbstractContextManager[TurnTransaction]:
        """Open one turn: lock the conversation, read it with its user and bot variables."""
        ...

    def get_conversation(self, bot: str, conversation_id: str) -> ConversationRecord | None: ...

    def user_vars(self, bot: str, user_id: str) -> dict[str, Any]: ...

    def bot_vars(self, bot: str) -> dict[str, Any]: ...

    def events(self, bot: str, conversation_id: str | None = None) -> list[TranscriptEvent]:
        """Transcript rows in the order they were written (all conversations when id is None)."""
        ...

    def iter_events(self, bot: str, batch: int = 10_000) -> Iterator[TranscriptEvent]: ...

    def reset(self, bot: str, conversation_id: str) -> None:
        """Forget the conversation's session (its transcript stays)."""
        ...

    def idle_conversations(self, bot: str, idle_since: float) -> list[str]:
        """Ids of conversations with an open session last updated before ``idle_since``."""
        ...

    def put_version(self, bot: str, version: str, definition: dict[str, Any]) -> None:
        """Remember a flow-set definition under its version hash (no-op if already there)."""
        ...

    def get_version(self, bot: str, version: str) -> dict[str, Any] | None: ...

    def close(self) -> None: ...
