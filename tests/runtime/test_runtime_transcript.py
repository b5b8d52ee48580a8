"""Transcript rows: one per event (user | bot | node | turn_error), in order, with their fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from runtime_kit import MakeBot, texts

import workbench as wb
from tests.conftest import SAMPLE_BOTS
from workbench.runtime import DEFAULT_TURN_ERROR

FLOWS = {
    "main": """
        start: welcome
        nodes:
          welcome:
            on_enter: [{say: {text: "welcome"}}]
            next: [{to: ask}]
          ask:
            on_enter: [{say: size_question}]
            on_receive:
              - set: {size: "{{ entities.size }}"}
            next:
              - when: text == "boom"
                to: broken
              - when: state.size
                to: done
              - to: ask
          done:
            on_enter: [{say: {text: "a {{ state.size }} pizza"}}]
            next: [{to: END}]
          broken:
            on_enter: [{say: {text: "{{ 1/0 }}"}}]
    """
}
CONTENT = """
    size_question:
      type: choice
      text: Which size?
      choices:
        - {title: Small, value: small}
        - {title: Large, value: large}
"""
INTENTS = """
    intents:
      order: [I want a pizza, a pizza please]
      greet: [hello, hi there]
    entities:
      size: [small, large]
"""


@pytest.fixture(params=["memory", "sqlite"])
def bot(request: pytest.FixtureRequest, make_bot: MakeBot, tmp_path: Path) -> wb.Bot:
    db = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path}/wb.db"
    return make_bot(FLOWS, content=CONTENT, intents=INTENTS, db=db)


def test_one_row_per_event_in_order(bot: wb.Bot) -> None:
    conv = bot.conversation(user_id="ada")
    conv.say("hello")
    rows = conv.events
    assert [r.type for r in rows if r.type != "node"] == ["user", "bot", "bot"]
    assert rows[0].type == "user"
    assert [(r.flow, r.node) for r in rows if r.type == "node"] == [
        ("main", "welcome"),
        ("main", "ask"),
    ]
    assert [r.text for r in rows if r.type == "bot"] == ["welcome", "Which size?"]


def test_every_row_carries_conversation_user_and_turn(bot: wb.Bot) -> None:
    conv = bot.conversation(user_id="ada")
    conv.say("hello")
    conv.say("large please")
    rows = conv.events
    assert {r.conversation_id for r in rows} == {conv.id}
    assert {r.user_id for r in rows} == {"ada"}
    assert sorted({r.turn for r in rows}) == [1, 2]
    assert [r.turn for r in rows] == sorted(r.turn for r in rows)
    assert all(isinstance(r.ts, float) and r.ts > 0 for r in rows)
    assert [r.ts for r in rows] == sorted(r.ts for r in rows)


def test_user_row_has_text_intent_confidence_and_entities(bot: wb.Bot) -> None:
    conv = bot.conversation(user_id="ada")
    conv.say("hello")
    conv.say("a large pizza please")
    [first, second] = [r for r in conv.events if r.type == "user"]
    assert first.text == "hello"
    assert first.intent == "greet"
    assert first.confidence is not None and first.confidence > 0.5
    assert second.text == "a large pizza please"
    assert second.intent == "order"
    assert second.turn == 2
    # the node that received the message
    assert (second.flow, second.node) == ("main", "ask")
    assert [e["value"] for e in second.payload["entities"] if e["type"] == "size"] == ["large"]


def test_user_row_keeps_the_message_payload(bot: wb.Bot) -> None:
    conv = bot.conversation(user_id="ada")
    conv.say("hello", payload={"button": "start"})
    [user] = [r for r in conv.events if r.type == "user"]
    assert user.payload["payload"] == {"button": "start"}


def test_bot_rows_name_the_node_that_said_them_and_carry_the_reply(bot: wb.Bot) -> None:
    conv = bot.conversation(user_id="ada")
    conv.say("hello")
    welcome, question = [r for r in conv.events if r.type == "bot"]
    assert (welcome.flow, welcome.node) == ("main", "welcome")
    assert (question.flow, question.node) == ("main", "ask")
    assert question.payload["type"] == "choice"
    assert question.payload["text"] == "Which size?"
    assert question.payload["choices"] == [
        {"title": "Small", "value": "small"},
        {"title": "Large", "value": "large"},
    ]


def test_node_rows_follow_the_visits_of_each_turn(bot: wb.Bot) -> None:
    conv = bot.conversation(user_id="ada")
    conv.say("hello")
    conv.say("nothing useful")
    conv.say("large")
    nodes = [(r.turn, r.node) for r in conv.events if r.type == "node"]
    assert nodes == [(1, "welcome"), (1, "ask"), (2, "ask"), (3, "done")]
    assert texts(conv.say("hello")) == ["welcome", "Which size?"]


def test_turn_error_row(bot: wb.Bot) -> None:
    conv = bot.conversation(user_id="ada")
    conv.say("hello")
    conv.say("boom")
    rows = [r for r in conv.events if r.turn == 2]
    assert [r.type for r in rows] == ["user", "turn_error", "bot"]
    user, error, reply = rows
    assert user.text == "boom"
    assert (error.flow, error.node) == ("main", "broken")
    assert "1/0" in error.text
    assert error.text == conv.last_error
    assert reply.text == DEFAULT_TURN_ERROR


def test_a_failing_recogniser_is_a_turn_error_not_a_crash(bot: wb.Bot) -> None:
    """A recogniser that raises (a bug, a model that cannot be read) costs the turn, not the
    conversation: the user is told, the session stays where it was, the next turn works."""

    class Broken:
        def parse(self, text: str) -> wb.NLUResult:
            raise RuntimeError("model file is corrupt")

    conv = bot.conversation(user_id="ada")
    conv.say("hello")
    working, bot.nlu = bot.nlu, Broken()
    assert texts(conv.say("large")) == [DEFAULT_TURN_ERROR]
    assert conv.last_error == "NLU failed: RuntimeError: model file is corrupt"
    rows = [r for r in conv.events if r.turn == 2]
    assert [(r.type, r.node) for r in rows] == [("user", "ask"), ("turn_error", "ask"), ("bot", "")]
    bot.nlu = working
    assert texts(conv.say("large")) == ["a large pizza"]


def test_rows_of_a_timeout_turn(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_receive: []
                  timeout:
                    on_enter: [{say: {text: "still there?"}}]
                    on_receive: []
            """
        }
    )
    conv = bot.conversation(user_id="ada")
    conv.say("hello")
    conv.timeout()
    rows = [r for r in conv.events if r.turn == 2]
    assert [(r.type, r.node, r.text) for r in rows] == [
        ("node", "timeout", ""),
        ("bot", "timeout", "still there?"),
    ]


def test_rows_of_all_conversations_are_kept_apart(bot: wb.Bot) -> None:
    a = bot.conversation(user_id="ada")
    b = bot.conversation(user_id="bob")
    a.say("hello")
    b.say("hello")
    a.say("large")
    assert {r.user_id for r in a.events} == {"ada"}
    assert {r.user_id for r in b.events} == {"bob"}
    everything = bot.events()
    assert len(everything) == len(a.events) + len(b.events)
    assert [r for r in everything if r.conversation_id == a.id] == a.events


def test_node_and_bot_rows_interleave_in_the_order_they_happened() -> None:
    bot = wb.Bot.load(SAMPLE_BOTS / "pizza", db="memory://")
    conv = bot.conversation("u1")
    conv.say("hi")
    rows = [(e.type, e.node) for e in conv.events]
    assert rows == [
        ("user", ""),
        ("node", "welcome"),
        ("bot", "welcome"),
        ("node", "ask_size"),
        ("bot", "ask_size"),
    ]
