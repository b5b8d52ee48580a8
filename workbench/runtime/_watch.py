"""What changes on disk when a bot folder's flows, NLU data, settings or actions change (the
content has its own: :func:`~workbench.content.content_signature`)."""

from __future__ import annotations

import os
from pathlib import Path

from workbench._listing import listing

Signature = tuple[tuple[str, int, int], ...]
_FOLDERS = ("flows", "nlu")
_FILES = ("bot.yml", "actions.py")


def source_signature(folder: Path) -> Signature:
    """Each file's name, modification time and size, and the folders' own times (a file
    added, removed or renamed shows there). A few ``stat`` calls: cheap enough for every turn
    (an unchanged folder is not listed again: see :func:`workbench._listing.listing`)."""
    found: list[tuple[str, int, int]] = []
    root = str(folder)
    for name in _FILES:
        try:
            info = os.stat(os.path.join(root, name))
        except OSError:
            continue
        found.append((name, info.st_mtime_ns, info.st_size))
    for name in _FOLDERS:
        where = os.path.join(root, name)
        try:
            mtime, names = listing(where, (".yml", ".yaml"))
            for entry in names:
                info = os.stat(os.path.join(where, entry))
                found.append((f"{name}/{entry}", info.st_mtime_ns, info.st_size))
        except OSError:
            continue
        found.append((name, mtime, 0))
    return tuple(sorted(found))
