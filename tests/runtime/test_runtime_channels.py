"""Replies are rendered for the conversation's channel and language; the turn's trace is typed
and the transcript comes from the same ordered steps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from runtime_kit import MakeBot, texts

import workbench as wb
from workbench.engine import ActionCalled, ActionReturned, NodeEntered, TurnFailed
from workbench.runtime import ReplySent, TurnTrace
from workbench.schema import Channel, Choice, WorkbenchError

FLOWS = {
    "main": """
        start: ask
        nodes:
          ask:
            on_enter: [{say: size}]
            on_receive:
              - set: {size: "{{ text }}"}
            next:
              - when: text == "boom"
                to: broken
              - when: state.size
                to: card
              - to: ask
          card:
            on_enter:
              - say: offer
              - do: note
            on_receive: []
            next: [{to: END}]
          broken:
            on_enter:
              - set: {x: 1}
              - say: {text: "{{ 1/0 }}"}
          timeout:
            on_enter: [{say: size}]
            next: [{to: END}]
    """
}
CONTENT = """
    size:
      type: choice
      text: Which size?
      choices:
        - {title: Small, value: small}
        - {title: Large, value: large}
    offer:
      type: card
      title: "A {{ state.size }} pizza"
      subtitle: Fresh
      buttons:
        - {title: Order, value: order}
        - {title: Menu, url: "https://pizza.example/menu"}
"""
ACTIONS = """
    from workbench import action

    @action
    def note(ctx):
        ctx.say("noted")
        return {"noted": True}
"""
SETTINGS_FR = "languages: [fr, en]\n"


@pytest.fixture(params=["memory", "sqlite"])
def bot(request: pytest.FixtureRequest, make_bot: MakeBot, tmp_path: Path) -> wb.Bot:
    db = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path}/wb.db"
    return make_bot(FLOWS, content=CONTENT, actions=ACTIONS, db=db)


def test_the_web_channel_gets_structured_replies(bot: wb.Bot) -> None:
    conv = bot.conversation(user_id="ada")
    (reply,) = conv.say("hi")
    assert (reply.type, reply.text) == ("choice", "Which size?")
    assert reply.choices == (Choice("Small", "small"), Choice("Large", "large"))
    card, noted = conv.say("Large")  # a choice's title answers it
    assert card.type == "card" and card.title == "A large pizza" and noted.text == "noted"
    assert conv.state["size"] == "large"


def test_the_text_channel_writes_everything_into_the_text(bot: wb.Bot) -> None:
    conv = bot.conversation(user_id="ada", channel="text")
    assert [(r.type, r.text, r.choices) for r in conv.say("hi")] == [
        ("text", "Which size?\n  1. Small\n  2. Large", ())
    ]
    replies = conv.say("2")  # numbers answer the choices offered, on any channel
    assert texts(replies) == [
        "A large pizza\nFresh\nMenu: https://pizza.example/menu\n  1. Order",
        "noted",
    ]
    assert conv.state["size"] == "large"
    assert conv.say("1") == [] and conv.node is None  # "1" picked "Order": the flow ended


def test_rows_and_trace_carry_the_channel_and_language(make_bot: MakeBot, tmp_path: Path) -> None:
    bot = make_bot(FLOWS, content=CONTENT, actions=ACTIONS, db=f"sqlite:///{tmp_path}/wb.db")
    (bot.path / "bot.yml").write_text("name: t\n" + SETTINGS_FR)
    bot = wb.Bot.load(bot.path, db=f"sqlite:///{tmp_path}/wb.db")
    default = bot.conversation(user_id="u1")
    assert (default.channel.name, default.language) == ("web", "fr")  # the bot's first
    default.say("hi")
    english = bot.conversation(user_id="u2", channel="text", language="en")
    english.say("hi")
    assert {(r.channel, r.language) for r in default.events} == {("web", "fr")}
    assert {(r.channel, r.language) for r in english.events} == {("text", "en")}
    trace = english.last_trace
    assert trace is not None and (trace.channel, trace.language) == ("text", "en")


def test_a_timeout_answers_on_the_conversations_channel(bot: wb.Bot) -> None:
    conv = bot.conversation(user_id="ada", channel="text")
    conv.say("hi")
    outcome = bot.timeout(conv.id)  # no channel named: the conversation's last one
    assert outcome is not None
    (reply,) = outcome.replies
    assert reply.text == "Which size?\n  1. Small\n  2. Large"  # rendered for "text"
    assert [e.channel for e in conv.events if e.type == "bot"] == ["text", "text"]


def test_unknown_channels_are_refused_and_custom_ones_work(bot: wb.Bot) -> None:
    with pytest.raises(WorkbenchError, match="unknown channel 'fax'"):
        bot.conversation(channel="fax")
    buttons = Channel("kiosk", quick_replies=True)
    (reply,) = bot.conversation(user_id="k", channel=buttons).say("hi")
    assert reply.choices and reply.text == "Which size?"


def test_the_trace_is_typed_and_follows_the_one_list_of_steps(bot: wb.Bot) -> None:
    conv = bot.conversation(user_id="ada")
    conv.say("hi")
    conv.say("large")
    trace = conv.last_trace
    assert isinstance(trace, TurnTrace)
    assert (trace.turn, trace.trigger, trace.node_before, trace.node_after) == (
        2,
        "message",
        "main.ask",
        "main.card",
    )
    assert trace.nlu is not None and trace.text == "large"
    assert trace.path == ["main.card"]
    assert trace.state_before == {} and trace.state_after == {"size": "large", "noted": True}
    sent = [s for s in trace.steps if isinstance(s, ReplySent)]
    assert [(s.node, s.element, s.reply.text) for s in sent] == [
        ("main.card", "offer", "A large pizza"),
        ("main.card", "", "noted"),
    ]
    calls = [s for s in trace.steps if isinstance(s, ActionCalled | ActionReturned)]
    assert [s.kind for s in calls] == ["action_call", "action"]
    data = trace.to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["steps"][0]["kind"] == "set" and data["replies"][0]["type"] == "card"
    # the transcript rows of the turn follow the same steps, in order
    rows = [(r.type, r.node, r.text) for r in conv.events if r.turn == 2]
    assert rows == [
        ("user", "ask", "large"),
        ("node", "card", ""),
        ("bot", "card", "A large pizza"),
        ("bot", "card", "noted"),
    ]


def test_a_failed_turn_keeps_its_partial_path_in_the_trace(bot: wb.Bot) -> None:
    conv = bot.conversation(user_id="ada")
    conv.say("hi")
    conv.say("boom")
    trace = conv.last_trace
    assert trace is not None and trace.error == conv.last_error
    assert "template error" in trace.error and "division by zero" in trace.error
    assert isinstance(trace.steps[-1], TurnFailed) and trace.failure is trace.steps[-1]
    assert trace.failure.node == "main.broken"
    assert [s.node for s in trace.steps if isinstance(s, NodeEntered)] == ["main.broken"]
    assert trace.node_after == trace.node_before == "main.ask"  # rolled back
    assert trace.state_after == trace.state_before == {}
    assert [r.type for r in conv.events if r.turn == 2] == ["user", "turn_error", "bot"]
