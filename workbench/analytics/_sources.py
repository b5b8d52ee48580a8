"""What ``wb.analytics.open(source)`` was given: a bot, a bot folder, a store URL, a SQLite file
or a folder of Parquet files (``workbench export``), resolved to where the rows are."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from workbench.analytics._errors import AnalyticsError, NoTranscriptsError
from workbench.analytics._sqlite import is_sqlite_file
from workbench.config import BotSettings, load_yaml, validate
from workbench.stores import Store, default_url

__all__ = ["BotLike", "Source", "display_url", "resolve"]

Kind = Literal["sqlite", "postgres", "parquet", "store"]
ENV_VAR = "WORKBENCH_DB"


@runtime_checkable
class BotLike(Protocol):
    """What analytics needs of a :class:`workbench.Bot` (a layer above it): its name and store."""

    name: str
    store: Store


@dataclass(frozen=True)
class Source:
    """Where the transcript rows are. ``where`` names it in messages (password hidden)."""

    kind: Kind
    location: str
    """A file path (SQLite), a URL (PostgreSQL) or a folder (Parquet)."""
    where: str
    bot: str | None = None
    """Only this bot's conversations (None: every bot in the store)."""
    store: Store | None = None
    """For ``store``: a store object read through its Python API (an in-memory one)."""
    folder: Path | None = None
    """The bot folder, when the source is one (or a bot loaded from one)."""


def display_url(url: str) -> str:
    """A URL fit to show: its password hidden."""
    return re.sub(r"^([a-z0-9+]+://[^:/@]*:)[^@/]*@", r"\1***@", url)


def resolve(source: Any, bot: str | None = None) -> Source:
    """The :class:`Source` of anything ``open`` accepts; a clear error for anything else."""
    if isinstance(source, BotLike):
        return _of_bot(source, bot)
    if isinstance(source, Path) or (isinstance(source, str) and "://" not in source):
        return _of_path(Path(source), bot)
    if isinstance(source, str):
        return _of_url(source, bot)
    raise AnalyticsError(
        f"cannot read transcripts from a {type(source).__name__}: give a Bot, a bot folder, "
        "a store URL (sqlite:///... or postgresql://...) or a folder of Parquet files"
    )


def _of_bot(source: BotLike, bot: str | None) -> Source:
    url = str(getattr(source.store, "url", ""))
    folder = getattr(source, "path", None)
    name = bot or source.name
    if url.startswith(("sqlite:", "postgres")):
        return _of_url(url, name, folder)
    return Source("store", url, f"the store of bot {source.name!r} ({url})", name, source.store)


def _of_url(url: str, bot: str | None, folder: Path | None = None) -> Source:
    where = display_url(url)
    if url.startswith(("postgresql:", "postgresql+psycopg:", "postgres:")):
        return Source("postgres", url, where, bot, folder=folder)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///").split("?", 1)[0])
        if not path.is_absolute() and not url.startswith("sqlite:////"):
            path = Path.cwd() / path
        return Source("sqlite", str(path), where, bot, folder=folder)
    if url.startswith("memory:"):
        raise AnalyticsError(
            f"{url}: an in-memory store lives inside one process: pass the Bot itself"
        )
    raise AnalyticsError(
        f"{where}: not a store URL analytics can read (sqlite:///PATH or postgresql://...)"
    )


def _of_path(path: Path, bot: str | None) -> Source:
    if path.is_dir() and (path / "bot.yml").is_file():
        return _of_folder(path, bot)
    if path.is_dir():
        return Source("parquet", str(path), str(path), bot)
    if path.is_file() and is_sqlite_file(path):
        return Source("sqlite", str(path), str(path), bot)
    if not path.exists():
        raise AnalyticsError(f"{path}: no such bot folder, store file or Parquet folder")
    raise AnalyticsError(f"{path}: not a bot folder, a SQLite store or a folder of Parquet files")


def _of_folder(folder: Path, bot: str | None) -> Source:
    """A bot folder: its name from ``bot.yml``, its store as every tool finds it."""
    file = folder / "bot.yml"
    settings = validate(BotSettings, load_yaml(file) or {}, str(file))
    url = os.environ.get(ENV_VAR) or default_url(folder)
    source = _of_url(url, bot or settings.name, folder)
    source = replace(source, where=f"bot {settings.name!r} ({source.where})")
    if source.kind == "sqlite" and not Path(source.location).exists():
        raise NoTranscriptsError(
            f"{folder}: the bot has no store yet ({source.location}): "
            "no conversation was ever saved"
        )
    return source
