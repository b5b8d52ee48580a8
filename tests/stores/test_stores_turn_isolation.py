"""A slow action holds its own conversation, never the others: through the public API, with an
async action in ``actions.py``, on every store (SQLite files and PostgreSQL above all).

No timings: the actions of 20 conversations meet at a barrier (if a turn held a database-wide
lock while its action runs, they could not all be there at once and the barrier breaks), and a
blocked action waits on an event while other conversations finish whole turns.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import workbench as wb
from tests.conftest import write_bot
from tests.stores.actions_sync import SHARED
from tests.stores.conftest import delete_bot_rows

CONVERSATIONS = 20
ROUNDS = 3
USERS = 5
GUARD = 60.0
"""Seconds after which a wait counts as a failure (never reached when the stores are right)."""

FLOW = """\
start: work
nodes:
  work:
    on_enter: [{do: slow}]
    on_receive: [{do: slow}]
"""
ACTIONS = """\
import asyncio

from workbench import ActionContext, action
from tests.stores.actions_sync import SHARED


@action
async def slow(ctx: ActionContext) -> dict[str, object]:
    \"\"\"A slow turn: waits (in a thread) for what the test says, then counts the turn.\"\"\"
    text = ctx.event["text"]
    await asyncio.to_thread(SHARED["wait"], text)
    conversation, number = text.split()
    n = int(ctx.state.get("n") or 0) + 1
    if n != int(number):
        raise AssertionError(f"{conversation}: turn {number} ran as turn {n}")
    ctx.say(f"turn {n}")
    return {"n": n, f"user.{conversation}": n, f"bot.{conversation}": n}
"""


@pytest.fixture
def slow_bot(store_url: str, tmp_path: Path) -> Iterator[wb.Bot]:
    """The slow bot on each store; its PostgreSQL rows are deleted afterwards."""
    name = f"test-{uuid.uuid4().hex}"
    folder = write_bot(
        tmp_path / "slow", {"flows/main.flow.yml": FLOW, "actions.py": ACTIONS}, name=name
    )
    bot = wb.Bot.load(folder, db=store_url)
    yield bot
    bot.store.close()
    SHARED.clear()
    if store_url.startswith("postgresql"):
        delete_bot_rows(store_url, name)


def texts(replies: list[wb.Reply]) -> list[str]:
    return [reply.text for reply in replies]


def test_actions_of_different_conversations_run_at_the_same_time(slow_bot: wb.Bot) -> None:
    barrier = threading.Barrier(CONVERSATIONS)
    SHARED["wait"] = lambda _text: barrier.wait(GUARD)

    def talk(i: int) -> list[list[str]]:
        conv = slow_bot.conversation(user_id=f"u{i % USERS}", conversation_id=f"c{i}")
        answers = []
        for k in range(1, ROUNDS + 1):
            answers.append(texts(conv.say(f"c{i} {k}")))
            assert conv.last_error is None, conv.last_error
        return answers

    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        answers = list(pool.map(talk, range(CONVERSATIONS)))
    assert answers == [[[f"turn {k}"] for k in range(1, ROUNDS + 1)]] * CONVERSATIONS
    assert not barrier.broken
    assert_every_turn_once(slow_bot, [f"c{i}" for i in range(CONVERSATIONS)], ROUNDS)
    store, name = slow_bot.store, slow_bot.name
    for u in range(USERS):
        mine = {f"c{i}": ROUNDS for i in range(CONVERSATIONS) if i % USERS == u}
        assert store.user_vars(name, f"u{u}") == mine
    assert store.bot_vars(name) == {f"c{i}": ROUNDS for i in range(CONVERSATIONS)}


def test_other_conversations_finish_turns_while_an_action_is_blocked(slow_bot: wb.Bot) -> None:
    entered, release = threading.Event(), threading.Event()

    def wait(text: str) -> None:
        if text.startswith("blocked"):
            entered.set()
            if not release.wait(GUARD):
                raise TimeoutError("the test never released the blocked action")

    SHARED["wait"] = wait
    blocked = slow_bot.conversation(user_id="ann", conversation_id="blocked")
    answer: list[list[str]] = []
    thread = threading.Thread(target=lambda: answer.append(texts(blocked.say("blocked 1"))))
    thread.start()
    try:
        assert entered.wait(GUARD)
        others = [f"c{i}" for i in range(4)]
        for i, cid in enumerate(others):  # Ann's other conversation too
            conv = slow_bot.conversation(user_id="ann" if i == 0 else f"u{i}", conversation_id=cid)
            for k in range(1, ROUNDS + 1):
                assert texts(conv.say(f"{cid} {k}")) == [f"turn {k}"]
        assert thread.is_alive() and not release.is_set()  # all that while it was blocked
        assert slow_bot.events("blocked") == []  # nothing of its turn is written yet
    finally:
        release.set()
        thread.join(GUARD)
    assert not thread.is_alive() and answer == [["turn 1"]]
    assert_every_turn_once(slow_bot, others, ROUNDS)
    assert_every_turn_once(slow_bot, ["blocked"], 1)
    # Its user's variables were changed by c0 meanwhile: the blocked turn merged its own key.
    assert slow_bot.store.user_vars(slow_bot.name, "ann") == {"c0": ROUNDS, "blocked": 1}


def assert_every_turn_once(bot: wb.Bot, conversation_ids: list[str], turns: int) -> None:
    """Every turn of the conversations is in the transcript exactly once, in order, its rows
    side by side; each conversation's state counted every turn."""
    events = bot.events()
    groups = [key for key, _ in itertools.groupby(events, lambda e: (e.conversation_id, e.turn))]
    assert len(groups) == len(set(groups))  # the rows of a turn are contiguous
    for cid in conversation_ids:
        rows = [e for e in events if e.conversation_id == cid]
        assert [e.turn for e in rows] == sorted(e.turn for e in rows)
        for k in range(1, turns + 1):
            turn = [e for e in rows if e.turn == k]
            assert [e.text for e in turn if e.type == "user"] == [f"{cid} {k}"]
            assert [e.text for e in turn if e.type == "bot"] == [f"turn {k}"]
        assert {e.turn for e in rows} == set(range(1, turns + 1))
        assert bot.conversation(conversation_id=cid).state["n"] == turns
