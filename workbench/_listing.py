"""Folder listings that cost one ``stat`` while the folder is unchanged, not a ``scandir``.

A server looks at its bot folder before every turn (``Bot.refresh``: has a flow, NLU, content or
settings file changed?). Listing a folder costs a ``scandir`` (open, read, close: ~20 µs on the
project's VM) where a ``stat`` costs ~2.5 µs, and the pizza bot has four folders to look at:
``Bot.refresh`` took 95-175 µs a turn, as much as half the turn itself. A folder's modification
time changes whenever an entry is added, removed or renamed in it, so an unchanged time (and
inode: a folder swapped for another keeps its path, and a copy may keep the old one's time)
means the names listed last time are still right.

File system times have coarse ticks (a few ms): an entry added in the same tick as the listing
leaves the time as it was. A listing is therefore trusted only once its folder's time is
:data:`SETTLED_NS` old (the "racy git" rule): a folder changed a moment ago is listed again.
"""

from __future__ import annotations

import os
import threading
import time

SETTLED_NS = 2_000_000_000
"""A folder's time must be this old (2 s) before its listing is reused."""
_MAX_FOLDERS = 1024
_cache: dict[tuple[str, tuple[str, ...]], tuple[tuple[int, int], tuple[int, tuple[str, ...]]]] = {}
"""By folder and suffixes: the folder's (time, inode) when listed, and the answer."""
_lock = threading.Lock()


def listing(folder: str, suffixes: tuple[str, ...]) -> tuple[int, tuple[str, ...]]:
    """The folder's modification time (ns) and the sorted names of its entries ending with one
    of ``suffixes``; ``OSError`` if there is no such folder.

    The time is read before the names (a change while listing shows as a newer time next
    call)."""
    info = os.stat(folder)
    mtime, stamp = info.st_mtime_ns, (info.st_mtime_ns, info.st_ino)
    key = (folder, suffixes)
    known = _cache.get(key)
    if known is not None and known[0] == stamp:
        return known[1]
    with os.scandir(folder) as entries:
        names = tuple(sorted(e.name for e in entries if e.name.endswith(suffixes)))
    found = (mtime, names)
    if time.time_ns() - mtime >= SETTLED_NS:
        with _lock:
            if len(_cache) >= _MAX_FOLDERS:
                _cache.clear()
            _cache[key] = (stamp, found)
    return found
