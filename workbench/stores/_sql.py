"""`SQLStore`: the store on SQLite or PostgreSQL.

Turns run the statements of :mod:`workbench.stores._statements` (SQLAlchemy Core, compiled once
for the dialect) on DBAPI cursors; how they lock is the backend's (:mod:`._sqlite`,
:mod:`._postgres`). Everything else is plain Core on the engine (:mod:`._queries`). Opening a
store creates or migrates its schema when needed (:mod:`._schema`).

``updated_at`` is written as the record carries it; a record that never had one (``0.0``) is
stamped with the current time so that idle lookups stay meaningful.

A SQLite file opened through :func:`~workbench.stores.open_store` (a bot's default store) opens
on first use, not when the bot loads: SQLAlchemy's import is ~130 ms of a quiet machine, three
times the rest of ``Bot.load`` (pizza: ~45 ms), and linting a bot, drawing its graph, editing its
content or analysing its transcripts (read with ``sqlite3`` and DuckDB) never use the store. The
flow versions a load records wait for that first use (see :meth:`SQLStore.put_version`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.schema import ConversationRecord, TranscriptEvent, WorkbenchError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from workbench.stores._content_sql import SQLContentLog
    from workbench.stores._postgres import PostgresBackend, PostgresTurn
    from workbench.stores._queries import CoreQueries
    from workbench.stores._sqlite import SQLiteBackend, SQLiteTurn

__all__ = ["SQLStore"]


@dataclass(frozen=True, slots=True)
class _Open:
    """A store's engine and what runs on it, once opened."""

    engine: Engine
    backend: SQLiteBackend | PostgresBackend
    core: CoreQueries
    content_log: SQLContentLog


def _open(url: str) -> tuple[str, _Open]:
    """Connect (the schema created or migrated if needed): the URL as SQLAlchemy renders it,
    and the open store. A store that cannot open is a :class:`WorkbenchError` naming it."""
    from sqlalchemy.exc import SQLAlchemyError

    from workbench.stores._content_sql import SQLContentLog
    from workbench.stores._engine import make_engine, normalise_url
    from workbench.stores._postgres import PostgresBackend
    from workbench.stores._queries import CoreQueries
    from workbench.stores._schema import ensure_schema
    from workbench.stores._sqlite import SQLiteBackend

    parsed = normalise_url(url)
    shown = parsed.render_as_string(hide_password=True)
    backend: SQLiteBackend | PostgresBackend | None = None
    try:
        engine = make_engine(parsed)
    except OSError as exc:  # the SQLite file's folder cannot be made
        raise _cannot_open(shown, exc) from None
    try:
        if engine.dialect.name == "sqlite":
            backend = SQLiteBackend(engine)  # opens the lock file: may fail
        else:
            backend = PostgresBackend(engine)
        ensure_schema(engine)
    except BaseException as exc:
        if backend is not None:
            backend.close()
        engine.dispose()
        if isinstance(exc, OSError | SQLAlchemyError):
            raise _cannot_open(shown, exc) from None
        raise
    opened = _Open(engine, backend, CoreQueries(engine), SQLContentLog(engine, backend.exclusive))
    return parsed.render_as_string(hide_password=False), opened


def _cannot_open(url: str, exc: BaseException) -> WorkbenchError:
    """The error of a store that cannot open: the URL (no password) and the driver's reason."""
    reason = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error
    lines = str(reason).strip().splitlines()
    return WorkbenchError(
        f"cannot open the store {url}: {lines[0] if lines else type(reason).__name__}"
    )


def _plain_sqlite_file(url: str) -> Path | None:
    """The file of a ``sqlite:///PATH`` URL with no query; None for any other URL."""
    path = url.removeprefix("sqlite:///")
    if path == url or not path or "?" in url or path == ":memory:":
        return None
    return Path(path)


class SQLStore:
    """Conversation state and transcripts in SQLite or PostgreSQL (see the module docstring)."""

    def __init__(self, url: str, *, lazy: bool = False) -> None:
        """Open the store at ``url``; ``lazy``: a plain SQLite file opens on first use (see the
        module docstring), other URLs at once."""
        self.url = url
        self._opened: _Open | None = None
        self._opening = threading.Lock()
        self._versions: list[tuple[str, str, dict[str, Any]]] = []
        """Flow versions recorded before the store opened, written when it does."""
        file = _plain_sqlite_file(url) if lazy else None
        if file is None:
            self.open()
        else:  # as opening would: its folder is made now, so a bad path fails at once
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise _cannot_open(url, exc) from None

    def open(self) -> _Open:
        """Connect now if not done yet (a server opens its store before serving)."""
        opened = self._opened
        if opened is None:
            with self._opening:  # two threads' first uses (a janitor's, a turn's) open it once
                opened = self._opened
                if opened is None:
                    self.url, opened = _open(self.url)
                    for bot, version, definition in self._versions:
                        opened.core.put_version(bot, version, definition)
                    self._versions.clear()
                    self._opened = opened
        return opened

    @property
    def content_log(self) -> SQLContentLog:
        return self.open().content_log

    def __repr__(self) -> str:
        return f"SQLStore({self.url!r})"

    def turn(
        self, bot: str, conversation_id: str, user_id: str, *, wait: bool = True
    ) -> SQLiteTurn | PostgresTurn:
        """Open one turn (see :class:`~workbench.stores.TurnTransaction` for what it locks)."""
        return self.open().backend.turn(bot, conversation_id, user_id, wait)

    def get_conversation(self, bot: str, conversation_id: str) -> ConversationRecord | None:
        return self.open().core.get_conversation(bot, conversation_id)

    def user_vars(self, bot: str, user_id: str) -> dict[str, Any]:
        return self.open().core.user_vars(bot, user_id)

    def bot_vars(self, bot: str) -> dict[str, Any]:
        return self.open().core.bot_vars(bot)

    def events(self, bot: str, conversation_id: str | None = None) -> list[TranscriptEvent]:
        return self.open().core.events(bot, conversation_id)

    def iter_events(self, bot: str, batch: int = 10_000) -> Iterator[TranscriptEvent]:
        """Every event of ``bot`` in order, read ``batch`` rows per short transaction."""
        return self.open().core.iter_events(bot, batch)

    def reset(self, bot: str, conversation_id: str) -> None:
        """Forget the session, after a running turn of the conversation ends."""
        opened = self.open()
        with opened.backend.exclusive(bot, conversation_id):
            opened.core.reset(bot, conversation_id)

    def idle_conversations(self, bot: str, idle_since: float) -> list[str]:
        return self.open().core.idle_conversations(bot, idle_since)

    def put_version(self, bot: str, version: str, definition: dict[str, Any]) -> None:
        """Remember a flow version; before the store opens, when it opens (a session can name
        the version only after a turn, which opens the store)."""
        if self._opened is None:
            with self._opening:
                if self._opened is None:
                    self._versions.append((bot, version, definition))
                    return
        self.open().core.put_version(bot, version, definition)

    def get_version(self, bot: str, version: str) -> dict[str, Any] | None:
        return self.open().core.get_version(bot, version)

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
        if self._opened is not None:  # a store not open yet has nothing to copy
            self._opened.backend.checkpoint()

    def close(self) -> None:
        """Close the connections; the store opens new ones if it is used again."""
        if self._opened is not None:
            self._opened.backend.close()
            self._opened.engine.dispose()
