"""Choosing a store from a URL, the ``WORKBENCH_DB`` variable or the bot folder."""

from __future__ import annotations

import os
from pathlib import Path

from workbench.stores._base import Store

__all__ = ["default_url", "open_store"]

ENV_VAR = "WORKBENCH_DB"
MEMORY_URL = "memory://"


def default_url(folder: str | Path) -> str:
    """The default store of a bot folder: SQLite at ``FOLDER/.workbench/workbench.db``."""
    path = Path(folder).resolve() / ".workbench" / "workbench.db"
    return f"sqlite:///{path.as_posix()}"


def open_store(url: str | None = None, *, folder: str | Path | None = None) -> Store:
    """Open the store at ``url``, else ``$WORKBENCH_DB``, else the folder's default SQLite file.

    ``memory://`` is a :class:`MemoryStore`; ``sqlite:///PATH`` and ``postgresql://...`` (the
    psycopg 3 driver) are a :class:`SQLStore`, whose schema is created if missing (a SQLite
    file's on first use: see :meth:`SQLStore.open`).
    ``folder`` defaults to the current directory.
    """
    if url is None:
        url = os.environ.get(ENV_VAR) or None
    if url is None:
        base = Path.cwd() if folder is None else Path(folder)
        _make_private_dir(base / ".workbench")
        url = default_url(base)
    if url in (MEMORY_URL, "memory:"):
        from workbench.stores._memory import MemoryStore

        return MemoryStore()
    # SQLAlchemy is imported only when a SQL store is opened: it is most of the cost of
    # ``import workbench`` (~150 ms), which in-memory users (tests, notebooks) never need, and
    # a SQLite file opens on first use (see ``workbench.stores._sql``).
    from workbench.stores._sql import SQLStore

    return SQLStore(url, lazy=True)


def _make_private_dir(path: Path) -> None:
    """Create the ``.workbench`` folder, git-ignored so the store never gets committed."""
    if path.is_dir():
        return
    path.mkdir(parents=True, exist_ok=True)
    (path / ".gitignore").write_text("# created by workbench: local state, never commit\n*\n")
