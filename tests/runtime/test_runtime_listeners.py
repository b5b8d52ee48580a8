"""``bot.turn_listeners`` / ``bot.change_listeners``: bound methods held weakly, functions kept."""

from __future__ import annotations

import gc

import pytest

import workbench as wb
from workbench.runtime import Listeners, TurnOutcome
from workbench.schema import Message

MAIN = "start: ask\nnodes:\n  ask:\n    on_enter: [{say: {text: Hi}}]\n    next: [{to: END}]\n"


class Counter:
    def __init__(self) -> None:
        self.turns = 0

    def on_turn(self, conversation_id: str, outcome: TurnOutcome) -> None:
        self.turns += 1


def test_a_listener_object_that_is_gone_stops_being_called() -> None:
    bot = wb.Bot.new("t")
    bot.set_flow("main", MAIN)
    kept, dropped = Counter(), Counter()
    seen: list[str] = []
    bot.turn_listeners.append(kept.on_turn)
    bot.turn_listeners.append(dropped.on_turn)
    bot.turn_listeners.append(lambda cid, outcome: seen.append(cid))  # a lambda is kept
    bot.conversation(conversation_id="c1").say("hi")
    del dropped
    gc.collect()
    assert len(bot.turn_listeners) == 2
    bot.conversation(conversation_id="c2").say("hi")
    assert kept.turns == 2 and seen == ["c1", "c2"]


def test_listeners_read_like_a_list() -> None:
    listeners: Listeners[[str, TurnOutcome]] = Listeners()
    got: list[str] = []
    first = Counter()

    def second(conversation_id: str, outcome: TurnOutcome) -> None:
        got.append(conversation_id)

    listeners.append(first.on_turn)
    listeners.append(second)
    assert first.on_turn in listeners and second in listeners and len(listeners) == 2
    listeners.remove(first.on_turn)
    assert first.on_turn not in listeners
    with pytest.raises(ValueError):
        listeners.remove(first.on_turn)
    bot = wb.Bot.new("t")
    bot.set_flow("main", MAIN)
    outcome = bot.handle("c1", Message(text="hi"))
    listeners.notify("c1", outcome)
    assert got == ["c1"] and first.turns == 0
    assert listeners.pop() == second and not list(listeners)
