"""Variables: `set` keeps native types; state, user and bot scopes; unset reads as null / ""."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_kit import MakeBot, Stepper, texts

from workbench.schema import Entity


def _set_once(value: str) -> object:
    s = Stepper(
        {
            "main": f"""
                start: a
                nodes:
                  a:
                    on_enter:
                      - set: {{seed: 4, words: [x, y]}}
                      - set: {{v: {value!r}}}
                    on_receive: []
            """
        }
    )
    s.send("hi")
    return s.state["v"]


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ 41 + 1 }}", 42),
        ("{{ state.seed * 2.5 }}", 10.0),
        ("{{ [1, 2, state.seed] }}", [1, 2, 4]),
        ("{{ {'a': 1, 'b': state.words} }}", {"a": 1, "b": ["x", "y"]}),
        ("{{ state.never_set }}", None),
        ("{{ state.seed > 3 }}", True),
        ("{{ 'text' }}", "text"),
        ("  {{ state.seed }}  ", 4),
    ],
)
def test_set_of_a_lone_expression_keeps_its_native_type(template: str, expected: object) -> None:
    value = _set_once(template)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("n={{ state.seed }}", "n=4"),
        ("{{ state.seed }}{{ state.seed }}", "44"),
        ("{{ state.seed }} apples", "4 apples"),
        ("plain text", "plain text"),
        ("{{ state.never_set }}!", "!"),
    ],
)
def test_set_of_anything_else_is_a_rendered_string(template: str, expected: str) -> None:
    assert _set_once(template) == expected


def test_set_of_yaml_literals_keeps_them() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                nodes:
                  a:
                    on_enter:
                      - set: {n: 3, flag: false, nothing: null, items: [1, two]}
                    on_receive: []
            """
        }
    )
    s.send("hi")
    assert s.state == {"n": 3, "flag": False, "nothing": None, "items": [1, "two"]}


def test_native_values_survive_the_store(make_bot: MakeBot, tmp_path: Path) -> None:
    bot = make_bot(
        {
            "main": """
                start: a
                nodes:
                  a:
                    on_enter:
                      - set:
                          n: "{{ 2 * 21 }}"
                          items: "{{ ['a', 'b'] }}"
                          info: "{{ {'k': [1, 2]} }}"
                          nothing: "{{ state.missing }}"
                          user.n: "{{ 7 }}"
                    on_receive: []
            """
        },
        db=f"sqlite:///{tmp_path}/wb.db",
    )
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    assert conv.state == {"n": 42, "items": ["a", "b"], "info": {"k": [1, 2]}, "nothing": None}
    assert conv.user == {"n": 7}


def test_user_variables_are_kept_across_sessions_and_conversations(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: greet
                nodes:
                  greet:
                    on_enter:
                      - say: {text: "visit {{ (user.visits or 0) + 1 }}"}
                      - set: {user.visits: "{{ (user.visits or 0) + 1 }}"}
                    next: [{to: END}]
            """
        }
    )
    first = bot.conversation(user_id="ada")
    assert texts(first.say("hi")) == ["visit 1"]
    assert texts(first.say("hi")) == ["visit 2"]
    second = bot.conversation(user_id="ada")
    assert second.id != first.id
    assert texts(second.say("hi")) == ["visit 3"]
    assert second.user == {"visits": 3}
    assert texts(bot.conversation(user_id="bob").say("hi")) == ["visit 1"]


def test_bot_variables_are_shared_by_all_users(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: count
                nodes:
                  count:
                    on_enter:
                      - set: {bot.total: "{{ (bot.total or 0) + 1 }}"}
                      - say: {text: "total {{ bot.total }}"}
                    next: [{to: END}]
            """
        }
    )
    assert texts(bot.conversation(user_id="a").say("hi")) == ["total 1"]
    assert texts(bot.conversation(user_id="b").say("hi")) == ["total 2"]
    assert texts(bot.conversation(user_id="c").say("hi")) == ["total 3"]
    assert bot.store.bot_vars(bot.name) == {"total": 3}


def test_state_belongs_to_the_conversation(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_receive: [{set: {said: "{{ text }}"}}]
                    next: [{to: show}]
                  show:
                    on_enter: [{say: {text: "said {{ state.said }}"}}]
                    on_receive: []
            """
        }
    )
    a = bot.conversation(user_id="same")
    b = bot.conversation(user_id="same")
    a.say("hi")
    b.say("hi")
    assert texts(a.say("apple")) == ["said apple"]
    assert b.state == {}
    assert texts(b.say("pear")) == ["said pear"]
    assert a.state == {"said": "apple"}


def test_unset_values_render_as_empty_text(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: a
                nodes:
                  a:
                    on_enter:
                      - say:
                          text: >-
                            [{{ state.nope }}|{{ user.nope }}|{{ bot.nope }}|{{ state.a.b.c }}|{{
                            entities.size }}]
                      - set: {empty: null}
                      - say: {text: "[{{ state.empty }}]"}
                    on_receive: []
            """
        }
    )
    assert texts(bot.conversation(user_id="u1").say("hi")) == ["[||||]", "[]"]


def test_conditions_on_never_set_variables_read_null() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                nodes:
                  a:
                    next:
                      - when: state.nope or user.nope.deeper or bot.nope[0] or entities.size
                        to: wrong
                      - when: state.nope == null and user.nope.deeper == null and not bot.x
                        to: right
                  wrong:
                    on_enter: [{say: {text: "wrong"}}]
                    on_receive: []
                  right:
                    on_enter: [{say: {text: "right"}}]
                    on_receive: []
            """
        }
    )
    assert s.send("hi") == ["right"]


def test_set_can_read_values_set_earlier_in_the_same_turn() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                nodes:
                  a:
                    on_enter:
                      - set: {x: 2}
                      - set: {y: "{{ state.x * 10 }}", user.z: "{{ state.x + 1 }}"}
                      - say: {text: "{{ state.y }} {{ user.z }}"}
                    on_receive: []
            """
        }
    )
    assert s.send("hi") == ["20 3"]
    assert s.user == {"z": 3}


def test_event_text_and_entities_visible_in_on_receive_templates() -> None:
    s = Stepper(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_receive:
                      - set:
                          size: "{{ entities.size }}"
                          raw: "{{ text }}"
                          kind: "{{ event.type }}"
                          intent: "{{ intent }}"
                    next: [{to: ask}]
            """
        }
    )
    s.send("hi")
    s.send(
        "large one",
        intent="order",
        confidence=0.9,
        entities=[Entity("size", "large", "large", 0, 5)],
    )
    assert s.state == {"size": "large", "raw": "large one", "kind": "message", "intent": "order"}
