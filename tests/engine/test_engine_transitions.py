"""Targets: `flow.node` jumps (no return, they replace the current flow) and END."""

from __future__ import annotations

from engine_kit import MakeBot, Stepper, texts


def test_jump_to_another_flow_enters_that_node() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                nodes:
                  a:
                    on_enter: [{say: {text: "a"}}]
                    next: [{to: other.middle}]
            """,
            "other": """
                start: first
                nodes:
                  first:
                    on_enter: [{say: {text: "first (not entered)"}}]
                    on_receive: []
                  middle:
                    on_enter: [{say: {text: "middle"}}]
                    on_receive: []
            """,
        }
    )
    assert s.send("hi") == ["a", "middle"]
    assert s.stack == ["other.middle"]


def test_jump_has_no_return_so_return_in_the_jumped_to_top_flow_ends(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: a
                nodes:
                  a:
                    next: [{to: other.o}]
                  after:
                    on_enter: [{say: {text: "never back in main"}}]
                    on_receive: []
            """,
            "other": """
                start: o
                nodes:
                  o:
                    on_enter: [{say: {text: "in other"}}]
                    on_receive: []
                    next: [{to: RETURN}]
            """,
        }
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == ["in other"]
    assert conv.node == "other.o"
    assert texts(conv.say("x")) == []
    assert conv.node is None


def test_jump_replaces_the_current_flow_in_the_call_stack() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                nodes:
                  a:
                    call: sub
                    next: [{to: back}]
                  back:
                    on_enter: [{say: {text: "back in main"}}]
                    on_receive: []
            """,
            "sub": """
                start: s
                nodes:
                  s:
                    on_receive: []
                    next: [{to: other.o}]
            """,
            "other": """
                start: o
                nodes:
                  o:
                    on_enter: [{say: {text: "in other"}}]
                    on_receive: []
                    next: [{to: RETURN}]
            """,
        }
    )
    s.send("hi")
    assert s.stack == ["main.a", "sub.s"]
    assert s.send("x") == ["in other"]
    assert s.stack == ["main.a", "other.o"]
    # RETURN goes back to the node that called the flow jumped from
    assert s.send("y") == ["back in main"]
    assert s.stack == ["main.back"]


def test_jump_back_into_main_from_a_called_flow_keeps_the_stack_depth() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                nodes:
                  a:
                    call: sub
                    next: [{to: after_call}]
                  after_call:
                    on_enter: [{say: {text: "after call"}}]
                    on_receive: []
                  elsewhere:
                    on_enter: [{say: {text: "elsewhere"}}]
                    on_receive: []
                    next: [{to: RETURN}]
            """,
            "sub": """
                start: s
                nodes:
                  s:
                    next: [{to: main.elsewhere}]
            """,
        }
    )
    assert s.send("hi") == ["elsewhere"]
    assert s.stack == ["main.a", "main.elsewhere"]
    assert s.send("x") == ["after call"]
    assert s.stack == ["main.after_call"]


def test_end_closes_the_session_and_keeps_user_and_bot_variables(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_enter: [{say: {text: "name?"}}]
                    on_receive:
                      - set: {name: "{{ text }}", user.name: "{{ text }}", bot.last: "{{ text }}"}
                    next: [{to: bye}]
                  bye:
                    on_enter: [{say: {text: "bye {{ state.name }}"}}]
                    next: [{to: END}]
            """
        }
    )
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    assert texts(conv.say("Ada")) == ["bye Ada"]
    assert conv.node is None
    assert conv.state == {}
    assert conv.user == {"name": "Ada"}
    assert bot.store.bot_vars(bot.name) == {"last": "Ada"}


def test_after_end_the_next_message_starts_a_new_session_at_mains_start(
    make_bot: MakeBot,
) -> None:
    bot = make_bot(
        {
            "main": """
                start: welcome
                nodes:
                  welcome:
                    on_enter:
                      - say: {text: "welcome (count={{ state.count }})"}
                      - set: {count: "{{ (state.count or 0) + 1 }}"}
                    on_receive: []
                    next:
                      - when: text == "bye"
                        to: END
                      - to: other.o
            """,
            "other": """
                start: o
                nodes:
                  o:
                    on_receive: []
                    next: [{to: END}]
            """,
        }
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == ["welcome (count=)"]
    assert conv.state == {"count": 1}
    conv.say("go")
    assert conv.node == "other.o"
    conv.say("x")
    assert conv.node is None
    # a fresh session: main's start again, with empty state
    assert texts(conv.say("hello again")) == ["welcome (count=)"]
    assert conv.node == "main.welcome"
    assert conv.state == {"count": 1}


def test_end_inside_a_called_flow_ends_the_whole_session() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                nodes:
                  a:
                    call: sub
                    next: [{to: b}]
                  b:
                    on_enter: [{say: {text: "not reached"}}]
                    on_receive: []
            """,
            "sub": """
                start: s
                nodes:
                  s:
                    on_receive: []
                    next: [{to: END}]
            """,
        }
    )
    s.send("hi")
    assert s.send("x") == []
    assert s.session is None
    assert s.last is not None and s.last.ended
