"""Where simulated turns run (a staging store) and how they reach the bot's store."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLE_BOTS
from workbench.runtime import Bot
from workbench.schema import ConversationRecord, TranscriptEvent
from workbench.stores import MemoryStore
from workbench.testing._simulate import simulate
from workbench.testing._simulate_run import CHUNK
from workbench.testing._simulate_store import Recorder, StagingStore

PIZZA = SAMPLE_BOTS / "pizza"


class BulkStore(Recorder):
    """A memory store with ``append_conversations`` that ``simulate`` does not see as an
    in-process memory store (a Recorder passes everything on): it stages and copies."""

    def __init__(self) -> None:
        super().__init__(MemoryStore())
        self.url = "bulk://"
        self.calls: list[tuple[int, int, dict[str, dict[str, Any]], dict[str, Any]]] = []

    def append_conversations(
        self,
        bot: str,
        conversations: Sequence[ConversationRecord],
        events: Sequence[TranscriptEvent],
        user_changes: dict[str, dict[str, Any]],
        bot_changes: dict[str, Any],
    ) -> None:
        self.calls.append((len(conversations), len(events), user_changes, bot_changes))
        by_conversation: dict[str, list[TranscriptEvent]] = {}
        for event in events:
            by_conversation.setdefault(event.conversation_id, []).append(event)
        for record in conversations:
            with self.turn(bot, record.id, record.user_id) as tx:
                tx.save(
                    record, by_conversation.get(record.id, []), user_changes.get(record.user_id)
                )
        if bot_changes:
            with self.turn(bot, "bulk", "bulk") as tx:
                tx.save(ConversationRecord("bulk", "bulk"), [], None, bot_changes)


def test_a_store_with_append_conversations_gets_a_chunk_per_call() -> None:
    store = BulkStore()
    bot = Bot.load(PIZZA, store=store)
    n = CHUNK + 20
    report = simulate(bot, n, seed=9, progress=False)
    assert [calls[0] for calls in store.calls] == [CHUNK, 20]
    assert sum(calls[1] for calls in store.calls) == len(bot.events())
    orders = report.reached.get("main.thanks", 0)
    assert orders > 0
    assert sum(len(calls[2]) for calls in store.calls) == orders  # user.orders of each buyer
    assert store.bot_vars("pizza") == {"orders_total": orders}  # bot-wide counter carried over
    direct = simulate(Bot.load(PIZZA, db="memory://"), n, seed=9, progress=False)
    assert report == direct


def test_without_append_conversations_each_conversation_is_one_turn_transaction(
    tmp_path: Path,
) -> None:
    bot = Bot.load(PIZZA, db=f"sqlite:///{tmp_path}/x.db")
    report = simulate(bot, 30, seed=9, progress=False)
    orders = report.reached.get("main.thanks", 0)
    assert bot.store.bot_vars("pizza") == ({"orders_total": orders} if orders else {})
    buyers = [
        f"sim-random-{report.run_id}-{n}"
        for n in range(30)
        if any(e.node == "thanks" for e in bot.events(f"sim-{report.run_id}-{n}"))
    ]
    assert len(buyers) == orders
    assert all(bot.store.user_vars("pizza", user) == {"orders": 1} for user in buyers)


def test_a_staging_turn_reads_copies_and_keeps_nothing_that_would_not_survive_json() -> None:
    store = StagingStore({"count": 1})
    with store.turn("b", "c", "u") as tx:
        assert tx.bot_vars == {"count": 1}
        tx.bot_vars["count"] = 99  # a turn may change what it read: nothing else sees it
        session: Any = {"stack": [], "state": {"a": [1]}, "version": "v", "started_at": 0.0}
        tx.save(ConversationRecord("c", "u", session, 1), [], {"name": "Ada"}, {"count": 2})
    session["state"]["a"].append(2)
    record = store.get_conversation("b", "c")
    assert record is not None and record.session is not None
    assert record.session["state"] == {"a": [1]}
    assert store.bot_vars("b") == {"count": 2}
    assert store.user_vars("b", "u") == {"name": "Ada"}
    assert store.written["c"].user_changes == {"name": "Ada"}
    unstorable: Any = {"stack": [], "state": {"s": {1, 2}}, "version": "v", "started_at": 0.0}
    with pytest.raises(TypeError), store.turn("b", "c", "u") as tx:
        tx.save(ConversationRecord("c", "u", unstorable, 2), [])  # a set is not JSON
    record = store.get_conversation("b", "c")
    assert record is not None and record.turn == 1  # the failed turn changed nothing


def test_a_failed_turn_is_not_recorded() -> None:
    store = StagingStore({})
    with pytest.raises(RuntimeError), store.turn("b", "c", "u") as tx:
        tx.save(ConversationRecord("c", "u", None, 1), [])
        raise RuntimeError("the turn failed after saving")
    assert store.written == {} and store.get_conversation("b", "c") is None
