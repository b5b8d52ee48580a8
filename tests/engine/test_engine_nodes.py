"""Node semantics (Botpress X): on_enter, waiting, on_receive, falling through, no match = wait."""

from __future__ import annotations

from engine_kit import MakeBot, Stepper, texts

from workbench.schema import Entity


def test_on_enter_runs_when_a_node_is_entered(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: hello
                nodes:
                  hello:
                    on_enter:
                      - say: {text: "one"}
                      - set: {seen: true}
                      - say: {text: "two"}
                    on_receive: []
            """
        }
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == ["one", "two"]
    assert conv.state == {"seen": True}
    assert conv.node == "main.hello"


def test_node_with_on_receive_waits(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_enter: [{say: {text: "question"}}]
                    on_receive: []
                    next:
                      - to: done
                  done:
                    on_enter: [{say: {text: "done"}}]
                    on_receive: []
            """
        }
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == ["question"]
    assert conv.node == "main.ask"


def test_empty_on_receive_list_still_waits() -> None:
    s = Stepper(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_receive: []
                    next: [{to: after}]
                  after:
                    on_enter: [{say: {text: "after"}}]
                    on_receive: []
            """
        }
    )
    assert s.send("first") == []
    assert s.stack == ["main.ask"]
    assert s.send("second") == ["after"]
    assert s.stack == ["main.after"]


def test_next_message_runs_on_receive_then_first_matching_next(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_enter: [{say: {text: "size?"}}]
                    on_receive:
                      - set: {answer: "{{ text }}"}
                    next:
                      - when: state.answer == "nothing"
                        to: none_node
                      - when: state.answer == "big"
                        to: big
                      - to: other
                  none_node:
                    on_enter: [{say: {text: "none"}}]
                    on_receive: []
                  big:
                    on_enter: [{say: {text: "big it is"}}]
                    on_receive: []
                  other:
                    on_enter: [{say: {text: "other"}}]
                    on_receive: []
            """
        }
    )
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    assert texts(conv.say("big")) == ["big it is"]
    assert conv.node == "main.big"
    assert conv.state == {"answer": "big"}


def test_first_matching_next_wins_even_when_later_ones_hold_too() -> None:
    s = Stepper(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_receive: []
                    next:
                      - when: text == "go"
                        to: first
                      - when: true
                        to: second
                  first:
                    on_enter: [{say: {text: "first"}}]
                    on_receive: []
                  second:
                    on_enter: [{say: {text: "second"}}]
                    on_receive: []
            """
        }
    )
    s.send("hi")
    assert s.send("go") == ["first"]


def test_node_without_on_receive_falls_through_at_once(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: a
                nodes:
                  a:
                    on_enter: [{say: {text: "a"}}]
                    next: [{to: b}]
                  b:
                    on_enter: [{say: {text: "b"}}]
                    next: [{to: c}]
                  c:
                    on_enter: [{say: {text: "c"}}]
                    on_receive: []
            """
        }
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == ["a", "b", "c"]
    assert conv.node == "main.c"


def test_no_matching_next_waits_and_next_message_reevaluates() -> None:
    s = Stepper(
        {
            "main": """
                start: gate
                nodes:
                  gate:
                    on_enter: [{say: {text: "gate"}}]
                    next:
                      - when: text == "open"
                        to: inside
                  inside:
                    on_enter: [{say: {text: "inside"}}]
                    on_receive: []
            """
        }
    )
    assert s.send("hello") == ["gate"]
    assert s.stack == ["main.gate"]
    # waiting at a node without on_receive: on_enter does not run again, next re-evaluated
    assert s.send("still closed") == []
    assert s.stack == ["main.gate"]
    assert s.send("open") == ["inside"]
    assert s.stack == ["main.inside"]


def test_waiting_node_without_match_runs_on_receive_again_each_message() -> None:
    s = Stepper(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_enter: [{say: {text: "ask"}}]
                    on_receive:
                      - set: {tries: "{{ (state.tries or 0) + 1 }}"}
                    next:
                      - when: text == "ok"
                        to: done
                  done:
                    on_enter: [{say: {text: "done"}}]
                    on_receive: []
            """
        }
    )
    s.send("hi")
    assert s.send("nope") == []
    assert s.state == {"tries": 1}
    assert s.send("nope") == []
    assert s.state == {"tries": 2}
    assert s.stack == ["main.ask"]
    assert s.send("ok") == ["done"]
    assert s.state == {"tries": 3}


def test_next_omitted_is_empty_so_the_node_waits(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: a
                nodes:
                  a:
                    on_enter: [{say: {text: "a"}}]
                    next: [{to: listen}]
                  listen:
                    on_enter: [{say: {text: "listening"}}]
                    on_receive:
                      - set: {heard: "{{ text }}"}
            """
        }
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == ["a", "listening"]
    assert texts(conv.say("one")) == []
    assert conv.node == "main.listen"
    assert conv.state == {"heard": "one"}


def test_node_without_next_and_without_on_receive_waits() -> None:
    s = Stepper(
        {
            "main": """
                start: only
                nodes:
                  only:
                    on_enter: [{say: {text: "only"}}]
            """
        }
    )
    assert s.send("hi") == ["only"]
    assert s.stack == ["main.only"]
    assert s.send("again") == []
    assert s.stack == ["main.only"]


def test_first_message_is_visible_to_conditions_the_start_node_falls_through() -> None:
    s = Stepper(
        {
            "main": """
                start: welcome
                nodes:
                  welcome:
                    on_enter: [{say: {text: "welcome"}}]
                    next:
                      - when: intent == "order" and entities.size == "large"
                        to: large
                      - when: text == "plain"
                        to: plain
                      - to: other
                  large:
                    on_enter: [{say: {text: "large {{ entities.size }} ({{ text }})"}}]
                    on_receive: []
                  plain:
                    on_enter: [{say: {text: "plain"}}]
                    on_receive: []
                  other:
                    on_enter: [{say: {text: "other"}}]
                    on_receive: []
            """
        }
    )
    large = Entity("size", "large", "big", 2, 5)
    assert s.send("a big pizza", intent="order", confidence=0.9, entities=[large]) == [
        "welcome",
        "large large (a big pizza)",
    ]
    assert s.stack == ["main.large"]


def test_first_message_text_visible_at_runtime(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: welcome
                nodes:
                  welcome:
                    next:
                      - when: intent == "order"
                        to: order
                      - to: chat
                  order:
                    on_enter: [{say: {text: "ordering"}}]
                    on_receive: []
                  chat:
                    on_enter: [{say: {text: "chatting"}}]
                    on_receive: []
            """
        },
        intents="""
            intents:
              order: [I want a pizza, order pizza]
              greet: [hello, good morning]
        """,
    )
    assert texts(bot.conversation(user_id="u1").say("order pizza")) == ["ordering"]
    assert texts(bot.conversation(user_id="u2").say("hello")) == ["chatting"]


def test_waiting_start_node_does_not_receive_the_first_message(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_enter: [{say: {text: "name?"}}]
                    on_receive:
                      - set: {name: "{{ text }}"}
                    next:
                      - when: state.name
                        to: greet
                  greet:
                    on_enter: [{say: {text: "hi {{ state.name }}"}}]
                    on_receive: []
            """
        }
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("first")) == ["name?"]
    assert conv.state == {}
    assert conv.node == "main.ask"
    assert texts(conv.say("Ada")) == ["hi Ada"]
    assert conv.state == {"name": "Ada"}


def test_transition_to_the_same_waiting_node_reenters_it() -> None:
    s = Stepper(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_enter: [{say: {text: "again?"}}]
                    on_receive: []
                    next: [{to: ask}]
            """
        }
    )
    assert s.send("hi") == ["again?"]
    assert s.send("x") == ["again?"]
    assert s.stack == ["main.ask"]


def test_bare_on_receive_key_also_waits() -> None:
    s = Stepper(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_enter: [{say: {text: "question"}}]
                    on_receive:
                    next: [{to: after}]
                  after:
                    on_enter: [{say: {text: "after"}}]
                    on_receive: []
            """
        }
    )
    assert s.send("hi") == ["question"]
    assert s.stack == ["main.ask"]
