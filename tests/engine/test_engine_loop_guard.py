"""Loop guard: more than `max_node_visits` visits of one node in one turn is a turn error."""

from __future__ import annotations

import pytest
from engine_kit import MakeBot, Stepper, texts

import workbench as wb
from workbench.runtime import DEFAULT_TURN_ERROR
from workbench.schema import TurnError


def _counting_loop(limit: int) -> dict[str, str]:
    """``spin`` is visited ``limit`` times in the first turn, then the bot waits at ``done``."""
    return {
        "main": f"""
            start: spin
            nodes:
              spin:
                on_enter:
                  - set: {{n: "{{{{ (state.n or 0) + 1 }}}}"}}
                next:
                  - when: state.n < {limit}
                    to: spin
                  - to: done
              done:
                on_enter: [{{say: {{text: "spun {{{{ state.n }}}} times"}}}}]
                on_receive: []
        """
    }


def test_endless_loop_is_a_turn_error_not_a_hang(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: a
                nodes:
                  a:
                    next: [{to: b}]
                  b:
                    next: [{to: a}]
            """
        }
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == [DEFAULT_TURN_ERROR]
    assert conv.last_error is not None
    assert "loop guard" in conv.last_error
    assert conv.node is None


def test_default_limit_is_ten_visits(make_bot: MakeBot) -> None:
    ok = make_bot(_counting_loop(10)).conversation(user_id="u1")
    assert texts(ok.say("hi")) == ["spun 10 times"]
    assert ok.last_error is None

    too_many = make_bot(_counting_loop(11)).conversation(user_id="u1")
    assert texts(too_many.say("hi")) == [DEFAULT_TURN_ERROR]
    assert too_many.last_error is not None
    assert "main.spin" in too_many.last_error


def test_limit_comes_from_bot_yml(make_bot: MakeBot) -> None:
    ok = make_bot(_counting_loop(3), settings="max_node_visits: 3\n").conversation(user_id="u1")
    assert texts(ok.say("hi")) == ["spun 3 times"]

    bot = make_bot(_counting_loop(4), settings="max_node_visits: 3\n")
    too_many = bot.conversation(user_id="u1")
    too_many.say("hi")
    assert too_many.last_error is not None
    assert "loop guard" in too_many.last_error


def test_counts_node_visits_inside_one_flow_without_flow_hops() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                nodes:
                  a:
                    on_enter: [{set: {n: "{{ (state.n or 0) + 1 }}"}}]
                    next:
                      - when: state.n < 4
                        to: b
                  b:
                    next: [{to: a}]
            """
        },
        max_visits=3,
    )
    with pytest.raises(TurnError, match="loop guard"):
        s.send("hi")


def test_counts_visits_across_call_and_return() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                nodes:
                  a:
                    call: sub
                    next: [{to: a}]
            """,
            "sub": """
                start: s
                nodes:
                  s:
                    next: [{to: RETURN}]
            """,
        }
    )
    with pytest.raises(TurnError, match="loop guard"):
        s.send("hi")


def test_limit_is_per_node_not_a_total(make_bot: MakeBot) -> None:
    # a and b are each visited 6 times (12 node visits in all) with the default limit of 10
    bot = make_bot(
        {
            "main": """
                start: a
                nodes:
                  a:
                    on_enter: [{set: {n: "{{ (state.n or 0) + 1 }}"}}]
                    next: [{to: b}]
                  b:
                    next:
                      - when: state.n < 6
                        to: a
                      - to: done
                  done:
                    on_enter: [{say: {text: "n={{ state.n }}"}}]
                    on_receive: []
            """
        }
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == ["n=6"]
    assert conv.last_error is None


def test_limit_is_per_turn(make_bot: MakeBot) -> None:
    # each turn visits `spin` 6 times: 12 visits over two turns is fine
    bot = make_bot(
        {
            "main": """
                start: wait
                nodes:
                  wait:
                    on_receive: [{set: {n: 0}}]
                    next: [{to: spin}]
                  spin:
                    on_enter: [{set: {n: "{{ state.n + 1 }}"}}]
                    next:
                      - when: state.n < 6
                        to: spin
                      - to: wait
            """
        }
    )
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    conv.say("one")
    assert conv.last_error is None
    conv.say("two")
    assert conv.last_error is None
    assert conv.node == "main.wait"
    assert conv.state == {"n": 6}


def test_loop_guard_error_rolls_the_turn_back(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_enter: [{say: {text: "question"}}]
                    on_receive:
                      - set: {tries: "{{ (state.tries or 0) + 1 }}", user.seen: true}
                    next:
                      - when: text == "loop"
                        to: spin
                      - to: ask
                  spin:
                    next: [{to: spin}]
            """
        }
    )
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    conv.say("x")
    assert conv.state == {"tries": 1}
    assert texts(conv.say("loop")) == [DEFAULT_TURN_ERROR]
    assert conv.node == "main.ask"
    assert conv.state == {"tries": 1}
    assert [e.type for e in conv.events][-3:] == ["user", "turn_error", "bot"]
    assert texts(conv.say("y")) == ["question"]
    assert conv.state == {"tries": 2}


def test_loop_guard_is_a_turn_error_in_the_trace(make_bot: MakeBot) -> None:
    bot: wb.Bot = make_bot({"main": "start: a\nnodes:\n  a:\n    next: [{to: a}]\n"})
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    assert conv.last_trace.error == conv.last_error
    assert "loop guard" in conv.last_trace.error
