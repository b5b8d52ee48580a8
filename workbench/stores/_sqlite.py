"""SQLite connections as the store configures them, opened with the stdlib ``sqlite3`` alone.

A plain ``sqlite:///PATH`` URL is opened here without SQLAlchemy, whose import costs ~150 ms, most
of a bot's load time: turns, ``put_version`` and the schema check run on these connections (see
:class:`~workbench.stores.SQLStore`). Any other SQLite URL (``:memory:``, query arguments,
percent-escapes) goes through SQLAlchemy's URL parsing and engine, which connect the same way.

Durability: WAL with ``synchronous=NORMAL``. A commit is in the WAL file when it returns, so it
survives the process crashing; a power loss or OS crash may lose the last commits (not corrupt
the database). ``FULL`` would add an fsync to every turn.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

WAL_AUTOCHECKPOINT = 10_000
"""WAL frames (pages of 4 KiB) after which a commit copies the WAL back into the database.

A checkpoint costs two fsyncs plus the page copies, and the commit after it one more fsync (of
the restarted WAL's header). On the project's 2-core VM that is ~12 ms for SQLite's default of
1,000 frames, which a turn in ~200 pays (~60 µs per turn on average; the p99 is a checkpoint),
and ~35 ms for 10,000 frames, paid once in ~2,000 turns. The WAL then grows to ~40 MiB (SQLite
deletes it when the last connection closes). :meth:`SQLStore.checkpoint` does the work outside
turns when the janitor calls it. Durability is unchanged: a commit is in the WAL file when it
returns, and ``synchronous=NORMAL`` syncs the WAL before each checkpoint copies it.
"""
BUSY_SECONDS = 30.0
CONNECT_ARGS: dict[str, Any] = {"check_same_thread": False, "timeout": BUSY_SECONDS}
"""What every SQLite connection is opened with (SQLAlchemy's engine gets them as connect_args)."""
_PRAGMAS = (
    "PRAGMA busy_timeout=30000",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT}",
)
_PREFIXES = ("sqlite:///", "sqlite+pysqlite:///")


def sqlite_file(url: str) -> str | None:
    """The absolute path of a plain ``sqlite:///PATH`` URL, or None for any other URL.

    ``PATH`` is taken as SQLAlchemy takes it (relative to the working directory). URLs with a
    query, ``%`` escapes or ``:memory:`` answer None: SQLAlchemy parses those.
    """
    for prefix in _PREFIXES:
        if url.startswith(prefix):
            path = url[len(prefix) :]
            if not path or path == ":memory:" or "?" in path or "%" in path:
                return None
            return os.path.abspath(path)
    return None


def file_connector(path: str) -> Callable[[], sqlite3.Connection]:
    """A function opening configured connections to the SQLite file ``path`` (its folder is
    created if missing)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)

    def connect() -> sqlite3.Connection:
        return configured(sqlite3.connect(path, **CONNECT_ARGS))

    return connect


def configured(connection: sqlite3.Connection) -> sqlite3.Connection:
    """``connection`` after :func:`configure_sqlite` (closed if that fails)."""
    try:
        configure_sqlite(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def configure_sqlite(dbapi_connection: Any) -> None:
    """Autocommit mode (transactions are begun explicitly), the pragmas, WAL."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _PRAGMAS:
            cursor.execute(pragma)
        _enable_wal(cursor)
    finally:
        cursor.close()


def _enable_wal(cursor: Any) -> None:
    """Switch the file to WAL (a no-op once it is).

    The switch needs an exclusive lock, and SQLite answers "database is locked" at once, without
    waiting ``busy_timeout``, when several connections try it together on a new file: retry.
    """
    deadline = time.monotonic() + BUSY_SECONDS
    delay = 0.001
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.05)
