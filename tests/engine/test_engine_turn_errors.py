"""Turn errors (action raising, template error, loop guard): rolled back, recorded, answered."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_kit import MakeBot, Stepper, texts

import workbench as wb
from workbench.runtime import DEFAULT_TURN_ERROR
from workbench.schema import TurnError

FLOW = """
    start: ask
    nodes:
      ask:
        on_enter: [{say: {text: "question"}}]
        on_receive:
          - set: {count: "{{ (state.count or 0) + 1 }}", user.seen: "{{ text }}"}
          - set: {bot.last: "{{ text }}"}
        next:
          - when: text == "boom"
            to: explode
          - when: text == "divide"
            to: divide
          - when: text == "bad set"
            to: bad_set
          - to: ask
      explode:
        on_enter:
          - say: {text: "about to explode"}
          - set: {exploding: true}
          - do: explode
        next: [{to: ask}]
      divide:
        on_enter:
          - say: {text: "about to divide"}
          - say: {text: "{{ 1/0 }}"}
        next: [{to: ask}]
      bad_set:
        on_enter:
          - set: {ratio: "{{ 1/0 }}"}
        next: [{to: ask}]
"""

ACTIONS = """
    from workbench import action

    @action
    def explode(ctx):
        ctx.state["touched"] = True
        ctx.user["touched"] = True
        ctx.say("from the action")
        raise ValueError("the oven jammed")
"""


@pytest.fixture(params=["memory", "sqlite"])
def bot(request: pytest.FixtureRequest, make_bot: MakeBot, tmp_path: Path) -> wb.Bot:
    db = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path}/wb.db"
    return make_bot({"main": FLOW}, actions=ACTIONS, db=db)


def _started(bot: wb.Bot) -> wb.Conversation:
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    conv.say("warm up")
    assert conv.state == {"count": 1}
    assert conv.user == {"seen": "warm up"}
    return conv


@pytest.mark.parametrize("trigger", ["boom", "divide", "bad set"])
def test_turn_error_rolls_the_conversation_back(bot: wb.Bot, trigger: str) -> None:
    conv = _started(bot)
    conv.say(trigger)
    assert conv.node == "main.ask"
    assert conv.state == {"count": 1}
    assert conv.user == {"seen": "warm up"}
    assert bot.store.bot_vars(bot.name) == {"last": "warm up"}


@pytest.mark.parametrize("trigger", ["boom", "divide", "bad set"])
def test_turn_error_answers_with_the_default_text_only(bot: wb.Bot, trigger: str) -> None:
    conv = _started(bot)
    replies = conv.say(trigger)  # does not raise
    assert texts(replies) == [DEFAULT_TURN_ERROR]


def test_action_error_cause_is_in_last_error_and_trace(bot: wb.Bot) -> None:
    conv = _started(bot)
    conv.say("boom")
    assert conv.last_error is not None
    assert "explode" in conv.last_error
    assert "ValueError" in conv.last_error
    assert "the oven jammed" in conv.last_error
    assert conv.last_trace.error == conv.last_error


def test_template_error_cause_is_in_last_error(bot: wb.Bot) -> None:
    conv = _started(bot)
    conv.say("divide")
    assert conv.last_error is not None
    assert "template error" in conv.last_error
    assert "1/0" in conv.last_error
    assert "main.divide" in conv.last_error


def test_turn_error_is_recorded_in_the_transcript(bot: wb.Bot) -> None:
    conv = _started(bot)
    before = len(conv.events)
    conv.say("boom")
    rows = conv.events[before:]
    assert [r.type for r in rows] == ["user", "turn_error", "bot"]
    error = rows[1]
    assert error.text == conv.last_error
    assert (error.flow, error.node) == ("main", "explode")
    assert error.turn == rows[0].turn == rows[2].turn
    assert rows[2].text == DEFAULT_TURN_ERROR


def test_conversation_goes_on_normally_after_a_turn_error(bot: wb.Bot) -> None:
    conv = _started(bot)
    conv.say("boom")
    assert texts(conv.say("fine")) == ["question"]
    assert conv.last_error is None
    assert conv.state == {"count": 2}
    assert conv.user == {"seen": "fine"}
    assert bot.store.bot_vars(bot.name) == {"last": "fine"}


def test_turn_error_content_element_is_the_reply(make_bot: MakeBot) -> None:
    bot = make_bot(
        {"main": FLOW},
        actions=ACTIONS,
        content='turn_error: "Oops, the oven jammed. Could you say that again?"\n',
    )
    conv = _started(bot)
    assert texts(conv.say("boom")) == ["Oops, the oven jammed. Could you say that again?"]
    assert conv.events[-1].text == "Oops, the oven jammed. Could you say that again?"


def test_turn_error_on_the_first_message_leaves_no_session(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: a
                nodes:
                  a:
                    on_enter:
                      - set: {user.tried: true}
                      - say: {text: "{{ state.items | join }}{{ 1/0 }}"}
                    on_receive: []
            """
        }
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == [DEFAULT_TURN_ERROR]
    assert conv.node is None
    assert conv.state == {}
    assert conv.user == {}
    assert [r.type for r in conv.events] == ["user", "turn_error", "bot"]


def test_turn_error_in_a_timeout_turn_rolls_back(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_enter: [{say: {text: "question"}}]
                    on_receive: []
                    timeout: broken
                  broken:
                    on_enter:
                      - set: {timed_out: true}
                      - say: {text: "{{ 1/0 }}"}
                    next: [{to: END}]
            """
        }
    )
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    assert texts(conv.timeout()) == [DEFAULT_TURN_ERROR]
    assert conv.last_error is not None
    assert conv.node == "main.ask"
    assert conv.state == {}
    assert conv.events[-2].type == "turn_error"


def test_step_raises_turn_error_and_leaves_its_inputs_untouched() -> None:
    s = Stepper(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_receive:
                      - set: {x: 1, user.y: 2, bot.z: 3}
                      - say: {text: "{{ 1/0 }}"}
            """
        }
    )
    s.send("hi")
    session_before = {"stack": list(s.session["stack"]), "state": dict(s.state)}
    with pytest.raises(TurnError, match="template error"):
        s.send("go")
    assert s.session is not None
    assert s.state == session_before["state"] == {}
    assert s.session["stack"] == session_before["stack"]
    assert s.user == {} and s.bot == {}
