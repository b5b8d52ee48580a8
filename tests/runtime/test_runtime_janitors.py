"""Timeout janitors of several instances on one store: each idle conversation's timeout runs
once, and a conversation in a turn is skipped, not waited for."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from runtime_kit import MakeBot

import workbench as wb

MAIN = """\
start: ask
timeout: gone
nodes:
  ask:
    on_enter: [{say: {text: "Hi?"}}]
    on_receive: []
    next: [{to: ask}]
  gone:
    on_enter: [{say: {text: "Bye for now"}}]
    next: [{to: END}]
"""


def test_each_timeout_runs_once_whatever_the_janitors(make_bot: MakeBot, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'shared.db'}"
    first = make_bot({"main": MAIN}, db=db)
    assert first.path is not None
    others = [wb.Bot.load(first.path, db=db) for _ in range(3)]
    for n in range(20):
        first.conversation(f"u{n}", conversation_id=f"c{n}").say("hi")
    with ThreadPoolExecutor(4) as pool:
        rounds = list(pool.map(lambda bot: bot.expire_idle(0), [first, *others]))
    fired = [cid for answered in rounds for cid in answered]
    assert sorted(fired) == sorted(f"c{n}" for n in range(20))
    byes = [e for e in first.events() if e.type == "bot" and e.text == "Bye for now"]
    assert len(byes) == 20


def test_a_conversation_in_a_turn_is_skipped(make_bot: MakeBot, tmp_path: Path) -> None:
    bot = make_bot({"main": MAIN}, db=f"sqlite:///{tmp_path / 'db.sqlite'}")
    bot.conversation("u1", conversation_id="busy").say("hi")
    bot.conversation("u2", conversation_id="idle").say("hi")
    entered, done = threading.Event(), threading.Event()

    def hold() -> None:
        with bot.store.turn(bot.name, "busy", "u1"):
            entered.set()
            done.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    assert entered.wait(30)
    try:
        assert list(bot.expire_idle(0)) == ["idle"]
    finally:
        done.set()
        holder.join()
    assert list(bot.expire_idle(0)) == ["busy"]
