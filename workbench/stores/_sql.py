"""`SQLStore`: the store on SQLite or PostgreSQL.

Turns run the statements of :mod:`workbench.stores._statements` (SQLAlchemy Core, compiled once
for the dialect) on DBAPI cursors; how they lock is the backend's (:mod:`._sqlite`,
:mod:`._postgres`). Everything else is plain Core on the engine (:mod:`._queries`). Opening a
store creates or migrates its schema when needed (:mod:`._schema`).

``updated_at`` is written as the record carries it; a record that never had one (``0.0``) is
stamped with the current time so that idle lookups stay meaningful.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from workbench.schema import ConversationRecord, TranscriptEvent
from workbench.stores._content_sql import SQLContentLog
from workbench.stores._engine import make_engine, normalise_url
from workbench.stores._postgres import PostgresBackend, PostgresTurn
from workbench.stores._queries import CoreQueries
from workbench.stores._schema import ensure_schema
from workbench.stores._sqlite import SQLiteBackend, SQLiteTurn

__all__ = ["SQLStore"]


class SQLStore:
    """Conversation state and transcripts in SQLite or PostgreSQL (see the module docstring)."""

    def __init__(self, url: str) -> None:
        parsed = normalise_url(url)
        self.url = parsed.render_as_string(hide_password=False)
        self._engine = engine = make_engine(parsed)
        self._backend: SQLiteBackend | PostgresBackend
        try:
            if engine.dialect.name == "sqlite":
                self._backend = SQLiteBackend(engine)  # opens the lock file: may fail
            else:
                self._backend = PostgresBackend(engine)
            ensure_schema(engine)
        except BaseException:
            if hasattr(self, "_backend"):
                self._backend.close()
            engine.dispose()
            raise
        self._core = CoreQueries(engine)
        self.content_log = SQLContentLog(engine, self._backend.exclusive)

    def __repr__(self) -> str:
        return f"SQLStore({self._engine.url!r})"

    def turn(
        self, bot: str, conversation_id: str, user_id: str, *, wait: bool = True
    ) -> SQLiteTurn | PostgresTurn:
        """Open one turn (see :class:`~workbench.stores.TurnTransaction` for what it locks)."""
        return self._backend.turn(bot, conversation_id, user_id, wait)

    def get_conversation(self, bot: str, conversation_id: str) -> ConversationRecord | None:
        return self._core.get_conversation(bot, conversation_id)

    def user_vars(self, bot: str, user_id: str) -> dict[str, Any]:
        return self._core.user_vars(bot, user_id)

    def bot_vars(self, bot: str) -> dict[str, Any]:
        return self._core.bot_vars(bot)

    def events(self, bot: str, conversation_id: str | None = None) -> list[TranscriptEvent]:
        return self._core.events(bot, conversation_id)

    def iter_events(self, bot: str, batch: int = 10_000) -> Iterator[TranscriptEvent]:
        """Every event of ``bot`` in order, read ``batch`` rows per short transaction."""
        return self._core.iter_events(bot, batch)

    def reset(self, bot: str, conversation_id: str) -> None:
        """Forget the session, after a running turn of the conversation ends."""
        with self._backend.exclusive(bot, conversation_id):
            self._core.reset(bot, conversation_id)

    def idle_conversations(self, bot: str, idle_since: float) -> list[str]:
        return self._core.idle_conversations(bot, idle_since)

    def put_version(self, bot: str, version: str, definition: dict[str, Any]) -> None:
        self._core.put_version(bot, version, definition)

    def get_version(self, bot: str, version: str) -> dict[str, Any] | None:
        return self._core.get_version(bot, version)

    def checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the database file, so that turns need not.

        Turns commit to the WAL; once it holds :data:`~workbench.stores._engine.WAL_AUTOCHECKPOINT`
        pages, the committing turn copies it back (two fsyncs and the copies: tens of ms), and
        the next commit starts the log over (one more fsync). Calling this now and then from a
        background thread (the janitor) does both outside turns: the copy neither waits for nor
        blocks them (a PASSIVE checkpoint, which copies what it can), and if it copied it all, a
        write here starts the log over: it rewrites the file header's ``user_version``, unused
        and unchanged (an UPDATE to the same value would write nothing). A no-op on PostgreSQL
        and in-memory SQLite.
        """
        self._backend.checkpoint()

    def close(self) -> None:
        """Close the connections; the store opens new ones if it is used again."""
        self._backend.close()
        self._engine.dispose()
