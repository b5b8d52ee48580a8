"""catch_all: checked on every message a waiting node receives, innermost flow first."""

from __future__ import annotations

from engine_kit import MakeBot, Stepper, texts

MAIN_WITH_HELP = """
    start: ask
    catch_all:
      next:
        - when: text == "help"
          to: help
    nodes:
      ask:
        on_enter: [{say: {text: "question"}}]
        on_receive:
          - set: {received: "{{ text }}"}
        next:
          - when: text == "ok"
            to: done
      help:
        on_enter:
          - say: {text: "helping"}
          - set: {helped: true}
        on_receive: []
        next: [{to: ask}]
      done:
        on_enter: [{say: {text: "done"}}]
        on_receive: []
"""


def test_catch_all_is_checked_on_a_message_a_waiting_node_receives(make_bot: MakeBot) -> None:
    conv = make_bot({"main": MAIN_WITH_HELP}).conversation(user_id="u1")
    conv.say("hi")
    assert texts(conv.say("help")) == ["helping"]
    assert conv.node == "main.help"


def test_catch_all_target_state_is_saved(make_bot: MakeBot) -> None:
    conv = make_bot({"main": MAIN_WITH_HELP}).conversation(user_id="u1")
    conv.say("hi")
    conv.say("help")
    assert conv.state == {"helped": True}
    assert texts(conv.say("back")) == ["question"]
    assert conv.state == {"helped": True}


def test_catch_all_taken_skips_the_waiting_nodes_on_receive(make_bot: MakeBot) -> None:
    conv = make_bot({"main": MAIN_WITH_HELP}).conversation(user_id="u1")
    conv.say("hi")
    conv.say("help")
    assert "received" not in conv.state


def test_catch_all_not_taken_lets_the_node_run_as_usual(make_bot: MakeBot) -> None:
    conv = make_bot({"main": MAIN_WITH_HELP}).conversation(user_id="u1")
    conv.say("hi")
    assert texts(conv.say("ok")) == ["done"]
    assert conv.state == {"received": "ok"}


def test_catch_all_is_not_checked_on_the_message_that_starts_a_session(
    make_bot: MakeBot,
) -> None:
    conv = make_bot({"main": MAIN_WITH_HELP}).conversation(user_id="u1")
    assert texts(conv.say("help")) == ["question"]
    assert conv.node == "main.ask"


def test_catch_all_target_equal_to_the_current_node_reenters_it() -> None:
    s = Stepper(
        {
            "main": """
                start: ask
                catch_all:
                  next:
                    - when: text == "repeat"
                      to: ask
                nodes:
                  ask:
                    on_enter:
                      - say: {text: "question {{ (state.n or 0) + 1 }}"}
                      - set: {n: "{{ (state.n or 0) + 1 }}"}
                    on_receive:
                      - set: {received: true}
                    next:
                      - when: text == "never"
                        to: ask
            """
        }
    )
    assert s.send("hi") == ["question 1"]
    assert s.send("repeat") == ["question 2"]
    assert s.stack == ["main.ask"]
    assert s.state == {"n": 2}


def test_innermost_flows_catch_all_is_checked_first() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                catch_all:
                  next:
                    - when: text == "x"
                      to: main_catch
                nodes:
                  a:
                    call: sub
                    next: [{to: END}]
                  main_catch:
                    on_enter: [{say: {text: "main caught"}}]
                    on_receive: []
            """,
            "sub": """
                start: s
                catch_all:
                  next:
                    - when: text == "x"
                      to: sub_catch
                nodes:
                  s:
                    on_receive: []
                  sub_catch:
                    on_enter: [{say: {text: "sub caught"}}]
                    on_receive: []
            """,
        }
    )
    s.send("hi")
    assert s.send("x") == ["sub caught"]
    assert s.stack == ["main.a", "sub.sub_catch"]


def test_callers_catch_all_applies_inside_a_called_flow_and_unwinds_the_calls() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                catch_all:
                  next:
                    - when: text == "cancel"
                      to: cancelled
                nodes:
                  a:
                    call: sub
                    next: [{to: END}]
                  cancelled:
                    on_enter: [{say: {text: "cancelled"}}]
                    on_receive: []
                    next: [{to: RETURN}]
            """,
            "sub": """
                start: call_deeper
                catch_all:
                  next:
                    - when: text == "other"
                      to: call_deeper
                nodes:
                  call_deeper:
                    call: deeper
                    next: [{to: RETURN}]
            """,
            "deeper": """
                start: d
                nodes:
                  d:
                    on_receive:
                      - set: {received: true}
            """,
        }
    )
    s.send("hi")
    assert s.stack == ["main.a", "sub.call_deeper", "deeper.d"]
    assert s.send("cancel") == ["cancelled"]
    assert s.stack == ["main.cancelled"]
    assert "received" not in s.state
    # the calls were unwound: RETURN from main now acts as END
    assert s.send("x") == []
    assert s.session is None


def test_catch_all_of_a_middle_flow_unwinds_only_the_calls_made_from_it() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                catch_all:
                  next:
                    - when: text == "main"
                      to: a
                nodes:
                  a:
                    call: sub
                    next: [{to: back_in_main}]
                  back_in_main:
                    on_enter: [{say: {text: "back in main"}}]
                    on_receive: []
            """,
            "sub": """
                start: call_deeper
                catch_all:
                  next:
                    - when: text == "restart"
                      to: restarted
                nodes:
                  call_deeper:
                    call: deeper
                    next: [{to: RETURN}]
                  restarted:
                    on_enter: [{say: {text: "sub restarted"}}]
                    on_receive: []
                    next: [{to: RETURN}]
            """,
            "deeper": """
                start: d
                nodes:
                  d:
                    on_receive: []
            """,
        }
    )
    s.send("hi")
    assert s.send("restart") == ["sub restarted"]
    assert s.stack == ["main.a", "sub.restarted"]
    assert s.send("x") == ["back in main"]
    assert s.stack == ["main.back_in_main"]


def test_catch_all_checked_at_a_node_waiting_for_lack_of_a_matching_next() -> None:
    s = Stepper(
        {
            "main": """
                start: gate
                catch_all:
                  next:
                    - when: text == "help"
                      to: help
                nodes:
                  gate:
                    next:
                      - when: text == "open"
                        to: gate
                  help:
                    on_enter: [{say: {text: "help"}}]
                    on_receive: []
            """
        }
    )
    s.send("hi")
    assert s.stack == ["main.gate"]
    assert s.send("help") == ["help"]
    assert s.stack == ["main.help"]


def test_catch_all_uses_nlu_intent(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: ask
                catch_all:
                  next:
                    - when: intent == "cancel"
                      to: cancelled
                nodes:
                  ask:
                    on_enter: [{say: {text: "size?"}}]
                    on_receive: []
                    next: [{to: ask}]
                  cancelled:
                    on_enter: [{say: {text: "cancelled"}}]
                    next: [{to: END}]
            """
        },
        intents="""
            intents:
              cancel: [cancel, stop, forget it]
              order: [pizza please]
        """,
    )
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    assert texts(conv.say("cancel")) == ["cancelled"]
    assert conv.node is None


def test_after_a_jump_the_catch_all_of_the_flow_jumped_from_no_longer_applies() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                nodes:
                  a:
                    next: [{to: first.f}]
            """,
            "first": """
                start: f
                catch_all:
                  next:
                    - when: text == "x"
                      to: caught
                nodes:
                  f:
                    on_receive: []
                    next:
                      - when: text == "jump"
                        to: second.s
                  caught:
                    on_enter: [{say: {text: "first caught"}}]
                    on_receive: []
            """,
            "second": """
                start: s
                catch_all:
                  next:
                    - when: text == "y"
                      to: caught
                nodes:
                  s:
                    on_enter: [{say: {text: "in second"}}]
                    on_receive: []
                  caught:
                    on_enter: [{say: {text: "second caught"}}]
                    on_receive: []
            """,
        }
    )
    s.send("hi")
    assert s.send("jump") == ["in second"]
    assert s.send("x") == []
    assert s.stack == ["second.s"]
    assert s.send("y") == ["second caught"]
