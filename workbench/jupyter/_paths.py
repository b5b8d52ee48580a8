"""Bot folders under the Jupyter server's root: finding them, and refusing paths outside it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypedDict

import yaml

__all__ = ["BotInfo", "PathError", "bot_folder", "bot_info", "find_bots", "inside_root", "relative"]

MAX_DEPTH = 2
"""Bots are found up to this many folders below the root."""
SKIPPED = {"node_modules", "__pycache__", "site-packages"}


class PathError(Exception):
    """A path the API refuses; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class BotInfo(TypedDict):
    name: str
    path: str
    languages: list[str]
    flows: list[str]


def inside_root(root: Path, path: str) -> Path:
    """``path`` (relative to ``root``, ``/``-separated) as an absolute path inside the root;
    anything that would leave the root (``..``, an absolute path, a symlink out) is refused."""
    if not path or path.startswith(("/", "\\")) or "\x00" in path:
        raise PathError(403, f"{path!r} is not a path relative to the server root")
    base = root.resolve()
    resolved = (base / path).resolve()
    if resolved != base and base not in resolved.parents:
        raise PathError(403, f"{path!r} is outside the server root")
    return resolved


def relative(root: Path, path: Path) -> str:
    """``path`` relative to the root, ``/``-separated (how the API names folders and files)."""
    return Path(os.path.relpath(path, root.resolve())).as_posix()


def bot_folder(root: Path, path: str) -> Path:
    """The bot folder at ``path``; 404 when there is no ``bot.yml`` there."""
    folder = inside_root(root, path)
    if not (folder / "bot.yml").is_file():
        raise PathError(404, f"{path!r} is not a bot folder (no bot.yml)")
    return folder


def bot_info(root: Path, folder: Path) -> BotInfo:
    name, languages = folder.name, ["en"]
    try:
        settings = yaml.safe_load((folder / "bot.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        settings = None
    if isinstance(settings, dict):
        name = str(settings.get("name") or name)
        found = settings.get("languages")
        if isinstance(found, list) and found:
            languages = [str(language) for language in found]
    flows = sorted(p.name.removesuffix(".flow.yml") for p in (folder / "flows").glob("*.flow.yml"))
    return BotInfo(name=name, path=relative(root, folder), languages=languages, flows=flows)


def find_bots(root: Path) -> list[BotInfo]:
    """The bot folders (a ``bot.yml`` inside) up to two folders below the root, by path."""
    base = root.resolve()
    found: list[BotInfo] = []
    level = [base]
    for _ in range(MAX_DEPTH):
        below: list[Path] = []
        for folder in level:
            try:
                children = sorted(folder.iterdir())
            except OSError:
                continue
            for child in children:
                if child.name.startswith(".") or child.name in SKIPPED or child.is_symlink():
                    continue
                if not child.is_dir():
                    continue
                if (child / "bot.yml").is_file():
                    found.append(bot_info(base, child))
                below.append(child)
        level = below
    return sorted(found, key=lambda info: info["path"])
