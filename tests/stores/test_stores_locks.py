"""The conversation locks themselves: nothing kept for idle conversations, one set of locks per
SQLite database and process, and a forked process that does not share its parent's locks."""

from __future__ import annotations

import fcntl
import os
import struct
from pathlib import Path

import pytest

from workbench.stores import MemoryStore, SQLStore, Store
from workbench.stores import _locks as locks


def held_locks(store: Store) -> int:
    """The conversations this store's locks remember (in this thread, for a SQLite file)."""
    if isinstance(store, MemoryStore):
        return len(store._turn_locks._entries)
    assert isinstance(store, SQLStore)
    mine = store.open().backend.locks
    if isinstance(mine, locks.FileLocks):
        opened = getattr(mine._local, "opened", None)
        return 0 if opened is None else len(opened.held)
    assert isinstance(mine, locks.KeyedLocks)
    return len(mine._entries)


def test_no_lock_is_kept_for_a_conversation_between_its_turns(store: Store, bot: str) -> None:
    for n in range(50):
        with store.turn(bot, f"c{n}", "u1") as tx:
            assert held_locks(store) == 1
            tx.save(tx.conversation, [])
        store.reset(bot, f"c{n}")
    assert held_locks(store) == 0


def test_stores_of_one_sqlite_file_share_its_locks(tmp_path: Path) -> None:
    first, second = SQLStore(f"sqlite:///{tmp_path}/a.db"), SQLStore(f"sqlite:///{tmp_path}/a.db")
    other = SQLStore(f"sqlite:///{tmp_path}/b.db")
    try:
        mine = [store.open().backend.locks for store in (first, second, other)]
        assert mine[0] is mine[1] is not mine[2]
        assert (tmp_path / "a.db-turns").is_file() and (tmp_path / "b.db-turns").is_file()
        refused = pytest.raises(RuntimeError, match="already open in this thread")
        with first.turn("b", "c1", "u1"), refused:  # the same conversation, the other store
            second.turn("b", "c1", "u1").__enter__()
    finally:
        for store in (first, second, other):
            store.close()


@pytest.mark.skipif(not locks._OFD, reason="open-file-description locks are Linux's")
def test_a_forked_process_takes_its_own_locks(tmp_path: Path) -> None:
    """After a fork the child opens the lock file anew: the lock its parent holds conflicts
    with the child's (through the parent's open file, the child would not see it at all)."""
    store = SQLStore(f"sqlite:///{tmp_path}/a.db")
    try:
        file_locks = store.open().backend.locks
        assert isinstance(file_locks, locks.FileLocks)
        with store.turn("b", "c1", "u1"):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: ask the kernel who could block its lock of c1's byte
                code = 1
                try:
                    assert getattr(file_locks._local, "opened", None) is None  # forgotten
                    opened, _ = file_locks.acquire("b", "another conversation")
                    query = locks._FLOCK.pack(fcntl.F_WRLCK, 0, locks._slot("b", "c1"), 1, 0)
                    answer = fcntl.fcntl(opened.fd, fcntl.F_OFD_GETLK, query)
                    os.write(write, struct.pack("h", locks._FLOCK.unpack(answer)[0]))
                    code = 0
                finally:
                    os._exit(code)
            os.close(write)
            answer = os.read(read, 2)
            os.close(read)
            _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert struct.unpack("h", answer) == (fcntl.F_WRLCK,)  # the parent's lock, seen
    finally:
        store.close()
