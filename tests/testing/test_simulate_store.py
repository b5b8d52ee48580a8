"""Where simulated turns run (a staging memory store) and how they reach the bot's store."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SAMPLE_BOTS
from workbench.runtime import Bot
from workbench.schema import ConversationRecord, Session, TranscriptEvent
from workbench.stores import SQLStore
from workbench.stores._sqlite import SQLiteTurn
from workbench.testing._simulate import simulate
from workbench.testing._simulate_run import CHUNK
from workbench.testing._simulate_store import SEED, Staging

PIZZA = SAMPLE_BOTS / "pizza"


class CountingStore(SQLStore):
    """A SQLite store that counts the turns opened on it."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.turns = 0

    def turn(self, bot: str, conversation_id: str, user_id: str) -> SQLiteTurn:
        self.turns += 1
        turn = super().turn(bot, conversation_id, user_id)
        assert isinstance(turn, SQLiteTurn)
        return turn


def test_each_conversation_is_copied_by_one_turn_and_the_run_is_the_same(tmp_path: Path) -> None:
    store = CountingStore(f"sqlite:///{tmp_path}/x.db")
    bot = Bot.load(PIZZA, store=store)
    n = CHUNK + 20  # two chunks: the second starts from the bot variables the first copied
    report = simulate(bot, n, seed=9, progress=False, run_id="r1")
    played = {e.conversation_id for e in bot.events()}
    assert store.turns == len(played) == n  # every random user says something
    orders = report.reached.get("main.thanks", 0)
    assert orders > 0
    assert store.bot_vars("pizza") == {"orders_total": orders}  # carried from chunk to chunk
    buyers = {e.user_id for e in bot.events() if e.node == "thanks"}
    assert len(buyers) == orders
    assert all(store.user_vars("pizza", user) == {"orders": 1} for user in buyers)

    direct = Bot.load(PIZZA, db="memory://")
    assert simulate(direct, n, seed=9, progress=False, run_id="r1") == report
    assert transcript(bot) == transcript(direct)  # the same rows, but for their timestamps
    for cid in played:  # each conversation row is the last one the staging store had
        record = bot.store.get_conversation("pizza", cid)
        again = direct.store.get_conversation("pizza", cid)
        assert record is not None and again is not None
        assert (record.turn, timeless(record.session)) == (again.turn, timeless(again.session))


def timeless(session: Session | None) -> dict[str, object] | None:
    return None if session is None else {k: v for k, v in session.items() if k != "started_at"}


def transcript(bot: Bot) -> list[tuple[object, ...]]:
    rows = sorted(bot.events(), key=lambda e: (e.conversation_id, e.turn, e.seq))
    return [(e.conversation_id, e.user_id, e.turn, e.type, e.flow, e.node, e.text) for e in rows]


def test_staging_starts_from_the_targets_bot_variables_and_copies_what_changed(
    tmp_path: Path,
) -> None:
    target = SQLStore(f"sqlite:///{tmp_path}/x.db")
    try:
        with target.turn("b", "before", "u0") as tx:
            tx.save(tx.conversation, [], None, {"count": 1, "same": "x"})
        staging = Staging(target, "b")
        with target.turn("b", "meanwhile", "u9") as tx:  # another worker's copy, say
            tx.save(tx.conversation, [], None, {"same": "y"})
        for n, cid in enumerate(["c1", "c2", "c3"]):
            with staging.store.turn("b", cid, f"u{n}") as tx:
                assert tx.bot_vars["count"] == n + 1
                record = ConversationRecord(cid, f"u{n}", None, 1, 100.0 + n)
                event = TranscriptEvent(cid, f"u{n}", 1, 50.0 + n, "user", text=cid)
                user = {"n": n} if n != 1 else None
                tx.save(record, [event], user, {"count": n + 2, "same": "x"})
        with staging.store.turn("b", "c4", "u4"):
            pass  # no turn saved: nothing to copy
        staging.copy(["c1", "c2", "c3", "c4"])
        assert target.bot_vars("b") == {"count": 4, "same": "y"}  # only what the chunk changed
        assert [(e.conversation_id, e.ts) for e in target.events("b")] == [
            ("c1", 50.0),
            ("c2", 51.0),
            ("c3", 52.0),
        ]
        assert target.get_conversation("b", "c2") == ConversationRecord("c2", "u1", None, 1, 101.0)
        assert [target.user_vars("b", f"u{n}") for n in range(3)] == [{"n": 0}, {}, {"n": 2}]
        assert target.get_conversation("b", SEED) is None
        assert target.get_conversation("b", "c4") is None
    finally:
        target.close()
