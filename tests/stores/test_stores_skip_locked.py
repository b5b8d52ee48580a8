"""``store.turn(..., wait=False)``: a conversation another turn holds raises
``ConversationBusy`` at once (the timeout janitors of several instances skip it, PostgreSQL with
``SKIP LOCKED``); a free one opens as usual."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from workbench.schema import ConversationRecord
from workbench.stores import ConversationBusy, SQLStore, Store


@contextmanager
def held(store: Store, bot: str, cid: str) -> Iterator[None]:
    """Another thread holds a turn of ``cid`` for the duration."""
    entered, done = threading.Event(), threading.Event()

    def hold() -> None:
        with store.turn(bot, cid, "u1"):
            entered.set()
            done.wait(30)

    thread = threading.Thread(target=hold)
    thread.start()
    assert entered.wait(30)
    try:
        yield
    finally:
        done.set()
        thread.join()


def save_one(store: Store, bot: str, cid: str) -> None:
    with store.turn(bot, cid, "u1") as tx:
        tx.save(ConversationRecord(cid, "u1", None, tx.conversation.turn + 1, 0.0), [])


def test_a_turn_that_does_not_wait_skips_a_held_conversation(store: Store, bot: str) -> None:
    save_one(store, bot, "c1")
    with held(store, bot, "c1"):
        with pytest.raises(ConversationBusy), store.turn(bot, "c1", "u1", wait=False):
            pass
        with store.turn(bot, "c2", "u1", wait=False) as tx:  # others are free
            assert tx.conversation.turn == 0
    with store.turn(bot, "c1", "u1", wait=False) as tx:  # free again
        assert tx.conversation.turn == 1


@pytest.mark.postgres
def test_skip_locked_across_stores_on_postgresql(pg_url: str, pg_bot: str) -> None:
    """Two stores (as two server instances): the row lock itself is skipped."""
    first, second = SQLStore(pg_url), SQLStore(pg_url)
    try:
        save_one(first, pg_bot, "c1")
        busy = pytest.raises(ConversationBusy)
        with held(first, pg_bot, "c1"), busy, second.turn(pg_bot, "c1", "u1", wait=False):
            pass
        with second.turn(pg_bot, "c1", "u1", wait=False) as tx:
            assert tx.conversation.turn == 1
    finally:
        first.close()
        second.close()
