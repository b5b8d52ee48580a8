"""What changes on disk when a bot folder's flows, NLU data, settings or actions change (the
content has its own: :func:`~workbench.content.content_signature`)."""

from __future__ import annotations

import os
from pathlib import Path

Signature = tuple[tuple[str, int, int], ...]
_FOLDERS = ("flows", "nlu")
_FILES = ("bot.yml", "actions.py")


def source_signature(folder: Path) -> Signature:
    """Each file's name, modification time and size, and the folders' own times (a file
    added, removed or renamed shows there). A few ``stat`` calls: cheap enough for every turn."""
    found: list[tuple[str, int, int]] = []
    for name in _FILES:
        try:
            info = (folder / name).stat()
        except OSError:
            continue
        found.append((name, info.st_mtime_ns, info.st_size))
    for name in _FOLDERS:
        where = folder / name
        try:
            with os.scandir(where) as entries:
                for entry in entries:
                    if entry.name.endswith((".yml", ".yaml")):
                        info = entry.stat()
                        found.append((f"{name}/{entry.name}", info.st_mtime_ns, info.st_size))
            info = where.stat()
        except OSError:
            continue
        found.append((name, info.st_mtime_ns, 0))
    return tuple(sorted(found))
