"""``bot.send``: the bot speaks into a conversation without a user message."""

from __future__ import annotations

import pytest
from runtime_kit import MakeBot, texts

from workbench.schema import ContentError

MAIN = """\
start: ask
nodes:
  ask:
    on_enter: [{say: {text: "Size?"}}]
    on_receive: [{set: {size: "{{ text }}"}}]
    next: [{to: done}]
  done:
    on_enter: [{say: {text: "A {{ state.size }} one."}}]
    next: [{to: END}]
"""
CONTENT = """\
shipped:
  type: choice
  text: Your order shipped!
  choices:
    - {title: Track, value: track}
"""


def test_a_proactive_message_is_a_turn_of_its_own_and_the_session_stays(
    make_bot: MakeBot,
) -> None:
    bot = make_bot({"main": MAIN}, content=CONTENT)
    conv = bot.conversation("u1")
    conv.say("hi")
    sent = bot.send(conv.id, element="shipped")
    assert sent is not None and texts(sent) == ["Your order shipped!"]
    assert [c.title for c in sent[0].choices] == ["Track"]
    assert texts(bot.send(conv.id, text="An agent will call you.") or []) == [
        "An agent will call you."
    ]
    assert conv.node == "main.ask"  # still waiting where it was
    assert texts(conv.say("large")) == ["A large one."]
    rows = [(e.turn, e.type, e.text) for e in conv.events if e.type in ("user", "bot")]
    assert rows == [
        (1, "user", "hi"),
        (1, "bot", "Size?"),
        (2, "bot", "Your order shipped!"),
        (3, "bot", "An agent will call you."),
        (4, "user", "large"),
        (4, "bot", "A large one."),
    ]


def test_a_proactive_message_needs_a_conversation_and_a_known_element(
    make_bot: MakeBot,
) -> None:
    bot = make_bot({"main": MAIN}, content=CONTENT)
    assert bot.send("nobody", text="hello?") is None
    conv = bot.conversation("u1")
    conv.say("hi")
    with pytest.raises(ContentError, match="nope"):
        bot.send(conv.id, element="nope")
    with pytest.raises(ValueError, match="not both"):
        bot.send(conv.id, element="shipped", text="x")
