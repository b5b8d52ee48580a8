"""`call` + RETURN, nested calls, RETURN in the top flow."""

from __future__ import annotations

from engine_kit import MakeBot, Stepper, texts


def test_return_comes_back_into_the_callers_next(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: pay
                nodes:
                  pay:
                    call: checkout
                    next:
                      - when: state.paid
                        to: thanks
                      - to: sorry
                  thanks:
                    on_enter: [{say: {text: "thanks"}}]
                    on_receive: []
                  sorry:
                    on_enter: [{say: {text: "sorry"}}]
                    on_receive: []
            """,
            "checkout": """
                start: ask
                nodes:
                  ask:
                    on_enter: [{say: {text: "pay?"}}]
                    on_receive:
                      - set: {paid: "{{ text == 'yes' }}"}
                    next: [{to: RETURN}]
            """,
        }
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == ["pay?"]
    assert conv.node == "checkout.ask"
    assert texts(conv.say("yes")) == ["thanks"]
    assert conv.node == "main.thanks"
    assert conv.state == {"paid": True}

    other = bot.conversation(user_id="u2")
    other.say("hi")
    assert texts(other.say("no")) == ["sorry"]


def test_call_pushes_the_callee_on_the_stack() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                nodes:
                  a:
                    call: sub
                    next: [{to: b}]
                  b:
                    on_receive: []
            """,
            "sub": """
                start: s
                nodes:
                  s:
                    on_receive: []
                    next: [{to: RETURN}]
            """,
        }
    )
    s.send("hi")
    assert s.stack == ["main.a", "sub.s"]
    s.send("x")
    assert s.stack == ["main.b"]


def test_nested_calls_unwind_one_level_per_return() -> None:
    s = Stepper(
        {
            "main": """
                start: call_b
                nodes:
                  call_b:
                    call: b
                    next: [{to: back_in_main}]
                  back_in_main:
                    on_enter: [{say: {text: "main again"}}]
                    on_receive: []
            """,
            "b": """
                start: call_c
                nodes:
                  call_c:
                    call: c
                    next: [{to: back_in_b}]
                  back_in_b:
                    on_enter: [{say: {text: "b again"}}]
                    on_receive: []
                    next: [{to: RETURN}]
            """,
            "c": """
                start: in_c
                nodes:
                  in_c:
                    on_enter: [{say: {text: "in c"}}]
                    on_receive: []
                    next: [{to: RETURN}]
            """,
        }
    )
    assert s.send("hi") == ["in c"]
    assert s.stack == ["main.call_b", "b.call_c", "c.in_c"]
    assert s.send("x") == ["b again"]
    assert s.stack == ["main.call_b", "b.back_in_b"]
    assert s.send("y") == ["main again"]
    assert s.stack == ["main.back_in_main"]


def test_return_unwinds_only_one_level_even_when_the_caller_falls_through() -> None:
    s = Stepper(
        {
            "main": """
                start: call_b
                nodes:
                  call_b:
                    call: b
                    next: [{to: main_done}]
                  main_done:
                    on_enter: [{say: {text: "main done"}}]
                    on_receive: []
            """,
            "b": """
                start: call_c
                nodes:
                  call_c:
                    call: c
                    next: [{to: b_done}]
                  b_done:
                    on_enter: [{say: {text: "b done"}}]
                    next: [{to: RETURN}]
            """,
            "c": """
                start: in_c
                nodes:
                  in_c:
                    on_receive: []
                    next: [{to: RETURN}]
            """,
        }
    )
    s.send("hi")
    # c RETURNs to b.call_c's next, b_done falls through to its own RETURN, back to main
    assert s.send("x") == ["b done", "main done"]
    assert s.stack == ["main.main_done"]


def test_call_node_on_enter_runs_before_the_call(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: pay
                nodes:
                  pay:
                    on_enter:
                      - say: {text: "before the call"}
                      - set: {amount: 12}
                    call: checkout
                    next: [{to: END}]
            """,
            "checkout": """
                start: ask
                nodes:
                  ask:
                    on_enter: [{say: {text: "pay {{ state.amount }}?"}}]
                    on_receive: []
                    next: [{to: RETURN}]
            """,
        }
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == ["before the call", "pay 12?"]
    assert conv.node == "checkout.ask"


def test_callee_and_caller_share_the_conversation_state() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                nodes:
                  a:
                    on_enter: [{set: {x: 1}}]
                    call: sub
                    next: [{to: b}]
                  b:
                    on_enter: [{say: {text: "x={{ state.x }} y={{ state.y }}"}}]
                    on_receive: []
            """,
            "sub": """
                start: s
                nodes:
                  s:
                    on_enter: [{set: {y: "{{ state.x + 1 }}"}}]
                    next: [{to: RETURN}]
            """,
        }
    )
    assert s.send("hi") == ["x=1 y=2"]


def test_return_with_no_matching_caller_next_waits_at_the_caller() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                nodes:
                  a:
                    call: sub
                    next:
                      - when: text == "go"
                        to: b
                  b:
                    on_enter: [{say: {text: "b"}}]
                    on_receive: []
            """,
            "sub": """
                start: s
                nodes:
                  s:
                    on_receive: []
                    next: [{to: RETURN}]
            """,
        }
    )
    s.send("hi")
    assert s.send("nope") == []
    assert s.stack == ["main.a"]
    assert s.send("go") == ["b"]
    assert s.stack == ["main.b"]


def test_return_in_the_top_flow_acts_as_end(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_enter: [{say: {text: "question"}}]
                    on_receive:
                      - set: {answer: "{{ text }}"}
                      - set: {user.answer: "{{ text }}"}
                    next: [{to: RETURN}]
            """
        }
    )
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    assert texts(conv.say("42")) == []
    assert conv.node is None
    assert conv.state == {}
    assert conv.user == {"answer": "42"}
    assert texts(conv.say("again")) == ["question"]
    assert conv.node == "main.ask"


def test_call_of_a_flow_that_returns_at_once() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                nodes:
                  a:
                    call: noop
                    next: [{to: b}]
                  b:
                    on_enter: [{say: {text: "b"}}]
                    on_receive: []
            """,
            "noop": """
                start: n
                nodes:
                  n:
                    on_enter: [{say: {text: "n"}}]
                    next: [{to: RETURN}]
            """,
        }
    )
    assert s.send("hi") == ["n", "b"]
    assert s.stack == ["main.b"]
