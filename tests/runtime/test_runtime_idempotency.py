"""A message sent again with the same ``message_id`` answers the first replies, changes
nothing, on every store."""

from __future__ import annotations

from pathlib import Path

import pytest
from runtime_kit import MakeBot, texts

MAIN = """\
start: ask
nodes:
  ask:
    on_enter: [{say: {text: "Count?"}}]
    on_receive: [{set: {n: "{{ (state.n or 0) + 1 }}"}}]
    next: [{to: tell}]
  tell:
    on_enter: [{say: {text: "n={{ state.n }}"}}]
    next: [{to: ask}]
"""


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_repeated_message_id_is_answered_once(
    make_bot: MakeBot, tmp_path: Path, store: str
) -> None:
    db = "memory://" if store == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    bot = make_bot({"main": MAIN}, db=db)
    conv = bot.conversation("u1")
    conv.say("hi", message_id="m0")
    first = conv.say("one", message_id="m1")
    events = len(conv.events)
    again = conv.say("one, again", message_id="m1")
    assert again == first and texts(first) == ["n=1", "Count?"]
    assert len(conv.events) == events and conv.state["n"] == 1
    assert conv.last_trace is not None and conv.last_trace.replies == tuple(first)
    assert texts(conv.say("two", message_id="m2")) == ["n=2", "Count?"]
    assert texts(conv.say("three")) == ["n=3", "Count?"]
