"""Per-conversation locks: the turns of one conversation run one at a time, those of different
conversations at the same time, from threads and from processes.

A turn holds its conversation's lock from ``store.turn(...)`` until the ``with`` block ends (see
:class:`~workbench.stores.TurnTransaction`). A thread asking for a conversation it already holds
gets a ``RuntimeError`` at once: it would wait for itself forever (a turn of a conversation
opened inside a turn of the same conversation). Three kinds:

- :class:`KeyedLocks`: threads of one process (the memory store, PostgreSQL stores, whose row
  locks do the rest, an in-memory SQLite database). An entry per conversation held, which
  exists only while a thread holds it (a server sees millions of conversations).
- :class:`FileLocks`: processes and threads on one SQLite file, which the database cannot
  help with (its only write lock is database-wide). A lock on one byte of a sidecar file next
  to the database, ``<database>-turns``, at an offset given by a stable hash of (bot,
  conversation id). Never a lock on the database file itself: SQLite's own locks are POSIX
  locks there, and closing any descriptor of a file drops every POSIX lock the process holds
  on it. On Linux these are open-file-description locks (``F_OFD_SETLKW``), which belong to an
  open file, not to a process: each thread opens the lock file once (per database), so the
  kernel keeps threads apart as well as processes, with one system call per lock and unlock,
  and it reports no false deadlocks between multi-threaded processes (with POSIX locks, thread
  A1 holding X while A2 waits for Y and B1 holding Y while B2 waits for X is refused with
  EDEADLK, although A1 will finish).
- :class:`PosixFileLocks`: the same on other POSIX systems, with ``lockf``: POSIX locks belong
  to the process, so :class:`KeyedLocks` keeps the process's threads apart, the one descriptor
  is never closed (closing it would drop the locks other stores hold), and a false EDEADLK is
  retried.

The operating system drops the locks of a process that dies, so nothing stays locked and
nothing needs a lease; a waiting turn sleeps in the kernel, without polling. Without ``fcntl``
(Windows) a SQLite file gets :class:`KeyedLocks` shared by the process's stores on it: do not
share a SQLite store between processes there. Like SQLite's ``-wal`` and ``-shm`` files, the
lock file must not be deleted while the store is in use.
"""

from __future__ import annotations

import errno
import os
import struct
import sys
import threading
import time
import weakref
import zlib
from collections.abc import Callable, Hashable
from types import ModuleType
from typing import Any, Protocol

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

__all__ = ["ConversationBusy", "ConversationLocks", "KeyedLocks", "conversation_locks"]

_OFD = fcntl is not None and hasattr(fcntl, "F_OFD_SETLKW") and struct.calcsize("P") == 8
"""Open-file-description locks: Linux, 64-bit (where ``struct flock`` is :data:`_FLOCK`)."""
_FLOCK = struct.Struct("hhqqi0q")
"""``struct flock`` of 64-bit Linux: type, whence, start, length, pid (0 for OFD locks)."""
_allocate_lock = threading.Lock
_get_ident = threading.get_ident
_crc32 = zlib.crc32
_pack = _FLOCK.pack
_fcntl: Any = getattr(fcntl, "fcntl", None)
_SETLKW: int = getattr(fcntl, "F_OFD_SETLKW", 0)
_SETLK: int = getattr(fcntl, "F_OFD_SETLK", 0)
_WRLCK: int = getattr(fcntl, "F_WRLCK", 0)
_UNLCK: int = getattr(fcntl, "F_UNLCK", 0)
"""What :class:`FileLocks` calls on every turn, looked up once."""


class ConversationLocks(Protocol):
    """The conversation locks of a store."""

    def acquire(self, bot: str, conversation_id: str) -> Any:
        """Wait until no other turn holds the conversation; returns what :meth:`release` takes."""
        ...

    def try_acquire(self, bot: str, conversation_id: str) -> Any | None:
        """Take the conversation if no turn holds it (None if one does: nothing waits)."""
        ...

    def release(self, held: Any) -> None: ...


class ConversationBusy(Exception):
    """A turn opened with ``wait=False`` found its conversation held by another turn."""


def conversation_locks(database: str | None) -> ConversationLocks:
    """The locks of the SQLite file ``database``, shared by the process's stores on it; or a
    store's own thread locks (``database`` None: PostgreSQL, an in-memory database)."""
    if database is None:
        return KeyedLocks()
    database = os.path.realpath(database)
    with _registry_mutex:
        found = _files.get(database)
        if found is None:
            if fcntl is None:
                found = KeyedLocks()
            elif _OFD:
                found = FileLocks(f"{database}-turns")
            else:
                found = PosixFileLocks(f"{database}-turns")
                _kept.append(found)
            _files[database] = found
        return found


def _error(conversation_id: str) -> RuntimeError:
    return RuntimeError(
        f"a turn of conversation {conversation_id!r} is already open in this thread: a second "
        "one would wait for it forever (end the first turn first)"
    )


class KeyedLocks:
    """Mutual exclusion per conversation between the threads of this process.

    A conversation held has an entry: the holder's thread id, then one ``(thread id, gate)``
    per thread waiting for it, in the order they came; the holder hands the conversation to
    the first by opening its gate (a ``threading.Lock`` the waiter sleeps on). Entries exist
    only while some thread holds the conversation, and an uncontended turn allocates no lock.
    """

    __slots__ = ("__weakref__", "_entries", "_mutex")

    def __init__(self) -> None:
        self._mutex = _allocate_lock()
        self._entries: dict[Hashable, list[Any]] = {}

    def acquire(self, bot: str, conversation_id: str) -> tuple[str, str]:
        key = (bot, conversation_id)
        self.hold(key, conversation_id)
        return key

    def try_acquire(self, bot: str, conversation_id: str) -> tuple[str, str] | None:
        key = (bot, conversation_id)
        return key if self.try_hold(key) else None

    def try_hold(self, key: Hashable) -> bool:
        """Take ``key`` if nobody holds it (this thread included); never waits."""
        me = _get_ident()
        with self._mutex:
            if key in self._entries:
                return False
            self._entries[key] = [me]
            return True

    def hold(self, key: Hashable, conversation_id: str) -> None:
        """Wait for ``key`` (the conversation's, named in the error)."""
        me = _get_ident()
        with self._mutex:
            entry = self._entries.get(key)
            if entry is None:  # the usual case: nobody holds it
                self._entries[key] = [me]
                return
            if entry[0] == me:
                raise _error(conversation_id)
            waiter = (me, _allocate_lock())
            waiter[1].acquire()
            entry.append(waiter)
        try:
            waiter[1].acquire()  # until the holder hands the conversation over
        except BaseException:  # interrupted while waiting
            with self._mutex:
                still_waiting = waiter in entry
                if still_waiting:
                    entry.remove(waiter)
            if not still_waiting:  # it was handed over meanwhile: hand it on
                self.release(key)
            raise

    def release(self, held: Hashable) -> None:
        """Hand the conversation to the next waiting thread (``held``: what :meth:`acquire`
        gave, or the key held)."""
        with self._mutex:
            entry = self._entries[held]
            if len(entry) == 1:
                del self._entries[held]
                return
            entry[0], gate = entry.pop(1)
        gate.release()

    def forget(self) -> None:
        """In a forked child: the locks the parent's threads held mean nothing there."""
        self._mutex = _allocate_lock()
        self._entries = {}


def _slot(bot: str, conversation_id: str) -> int:
    """The byte of the lock file that stands for the conversation (the same in every process).

    A CRC-32: cheap (a turn computes one), and two conversations share a byte only when their
    turns run at once and their 32-bit hashes collide, which makes them take turns, no more.
    """
    return _crc32(f"{bot}\x00{conversation_id}".encode("utf-8", "surrogatepass"))


def _open(path: str) -> int:
    """The lock file, created if missing (readable and writable by whoever may use the
    database, as far as the umask allows: locking a byte needs write access)."""
    return os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)


class _Opened:
    """A thread's descriptor of a lock file and the bytes it holds through it; closed when
    the thread ends (and no turn it began still holds a byte)."""

    __slots__ = ("fd", "held")

    def __init__(self, path: str) -> None:
        self.fd = _open(path)
        self.held: set[int] = set()

    def __del__(self, _close: Callable[[int], None] = os.close) -> None:
        if hasattr(self, "fd"):
            _close(self.fd)


class FileLocks:
    """Linux: open-file-description locks on the lock file, one descriptor per thread."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()
        os.close(_open(path))  # fail now, not on the first turn, if it cannot be opened

    def acquire(self, bot: str, conversation_id: str) -> tuple[_Opened, int]:
        try:
            opened: _Opened = self._local.opened
        except AttributeError:
            opened = self._local.opened = _Opened(self.path)
        slot = _crc32(f"{bot}\x00{conversation_id}".encode("utf-8", "surrogatepass"))  # _slot
        held = opened.held
        if slot in held:
            raise _error(conversation_id)
        _fcntl(opened.fd, _SETLKW, _pack(_WRLCK, 0, slot, 1, 0))
        held.add(slot)
        return opened, slot

    def try_acquire(self, bot: str, conversation_id: str) -> tuple[_Opened, int] | None:
        try:
            opened: _Opened = self._local.opened
        except AttributeError:
            opened = self._local.opened = _Opened(self.path)
        slot = _slot(bot, conversation_id)
        if slot in opened.held:
            return None
        try:
            _fcntl(opened.fd, _SETLK, _pack(_WRLCK, 0, slot, 1, 0))
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.EACCES):
                return None
            raise
        opened.held.add(slot)
        return opened, slot

    def release(self, held: tuple[_Opened, int]) -> None:
        """Through the descriptor that took the lock (from any thread)."""
        opened, slot = held
        opened.held.discard(slot)
        _fcntl(opened.fd, _SETLK, _pack(_UNLCK, 0, slot, 1, 0))

    def forget(self) -> None:
        """In a forked child: the inherited descriptors are open files the parent shares."""
        self._local = threading.local()


class PosixFileLocks:
    """Other POSIX systems: ``lockf`` on the lock file, :class:`KeyedLocks` for threads."""

    def __init__(self, path: str) -> None:
        self._threads = KeyedLocks()
        self._fd = _open(path)  # never closed: see the module docstring

    def acquire(self, bot: str, conversation_id: str) -> int:
        assert fcntl is not None
        slot = _slot(bot, conversation_id)
        self._threads.hold(slot, conversation_id)
        try:
            while True:
                try:
                    fcntl.lockf(self._fd, fcntl.LOCK_EX, 1, slot)
                    return slot
                except OSError as error:  # a false deadlock: see the module docstring
                    if error.errno != errno.EDEADLK:
                        raise
                time.sleep(0.001)
        except BaseException:
            self._threads.release(slot)
            raise

    def try_acquire(self, bot: str, conversation_id: str) -> int | None:
        assert fcntl is not None
        slot = _slot(bot, conversation_id)
        if not self._threads.try_hold(slot):
            return None
        try:
            fcntl.lockf(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, slot)
        except OSError as error:
            self._threads.release(slot)
            if error.errno in (errno.EAGAIN, errno.EACCES, errno.EDEADLK):
                return None
            raise
        return slot

    def release(self, held: int) -> None:
        assert fcntl is not None
        try:
            fcntl.lockf(self._fd, fcntl.LOCK_UN, 1, held)
        finally:
            self._threads.release(held)

    def forget(self) -> None:
        """In a forked child: POSIX locks are not inherited, the parent's threads' mean nothing."""
        self._threads.forget()


_registry_mutex = _allocate_lock()
_files: weakref.WeakValueDictionary[str, KeyedLocks | FileLocks | PosixFileLocks] = (
    weakref.WeakValueDictionary()
)
"""The locks of the SQLite files this process has stores on, by path. When the last store of a
file goes, its :class:`FileLocks` and the threads' descriptors of the lock file go too."""
_kept: list[PosixFileLocks] = []
"""POSIX locks: never dropped (their descriptor must stay open)."""


def _after_fork_in_child() -> None:
    """The forking thread held the registry's mutex (no other thread had it mid-change)."""
    try:
        for locks in list(_files.values()):
            locks.forget()
    finally:
        _registry_mutex.release()


if sys.platform != "win32":
    os.register_at_fork(
        before=_registry_mutex.acquire,
        after_in_parent=_registry_mutex.release,
        after_in_child=_after_fork_in_child,
    )
