"""Timeouts: node `timeout` → flow `timeout` → node named `timeout` → flow named `timeout` → end;
``bot.expire_idle`` and the janitor."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from engine_kit import Clock, MakeBot, Stepper, texts

import workbench as wb


def _main(flow_timeout: bool, node_timeout: bool, timeout_node: bool) -> str:
    """A main flow waiting at ``ask`` with the chosen timeout paths declared."""
    return f"""
        start: ask
        {"timeout: flow_level" if flow_timeout else ""}
        nodes:
          ask:
            on_enter: [{{say: {{text: "question"}}}}]
            on_receive: []
            {"timeout: node_level" if node_timeout else ""}
            next: [{{to: ask}}]
          node_level:
            on_enter: [{{say: {{text: "node timeout"}}}}]
            next: [{{to: END}}]
          flow_level:
            on_enter: [{{say: {{text: "flow timeout"}}}}]
            next: [{{to: END}}]
          {"timeout:" if timeout_node else "unused:"}
            on_enter: [{{say: {{text: "node named timeout"}}}}]
            next: [{{to: END}}]
    """


TIMEOUT_FLOW = """
    start: bye
    nodes:
      intro:
        on_enter: [{say: {text: "not the start"}}]
        next: [{to: END}]
      bye:
        on_enter: [{say: {text: "timeout flow"}}]
        next: [{to: END}]
"""


def _stepper(flow_timeout: bool, node_timeout: bool, timeout_node: bool, flow: bool) -> Stepper:
    flows = {"main": _main(flow_timeout, node_timeout, timeout_node)}
    if flow:
        flows["timeout"] = TIMEOUT_FLOW
    s = Stepper(flows)
    assert s.send("hi") == ["question"]
    return s


def test_node_timeout_comes_first() -> None:
    s = _stepper(flow_timeout=True, node_timeout=True, timeout_node=True, flow=True)
    assert s.timeout() == ["node timeout"]
    assert s.session is None


def test_flow_timeout_comes_second() -> None:
    s = _stepper(flow_timeout=True, node_timeout=False, timeout_node=True, flow=True)
    assert s.timeout() == ["flow timeout"]


def test_node_named_timeout_comes_third() -> None:
    s = _stepper(flow_timeout=False, node_timeout=False, timeout_node=True, flow=True)
    assert s.timeout() == ["node named timeout"]


def test_flow_named_timeout_is_entered_at_its_start() -> None:
    s = _stepper(flow_timeout=False, node_timeout=False, timeout_node=False, flow=True)
    assert s.timeout() == ["timeout flow"]


def test_without_any_timeout_path_the_session_ends(make_bot: MakeBot) -> None:
    bot = make_bot({"main": _main(False, False, False)})
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    conv.say("x")
    assert conv.node == "main.ask"
    assert conv.timeout() == []
    assert conv.node is None
    assert conv.state == {}


def test_timeout_node_runs_like_any_node_and_may_wait(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_enter: [{say: {text: "question"}}]
                    on_receive: []
                    next: [{to: ask}]
                  timeout:
                    on_enter:
                      - say: {text: "are you still there?"}
                      - set: {timed_out: true}
                    on_receive:
                      - set: {answer: "{{ text }}"}
                    next:
                      - when: text == "yes"
                        to: ask
                      - to: END
            """
        }
    )
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    assert texts(conv.timeout()) == ["are you still there?"]
    assert conv.node == "main.timeout"
    assert conv.state == {"timed_out": True}
    assert texts(conv.say("yes")) == ["question"]
    assert conv.node == "main.ask"
    assert conv.state == {"timed_out": True, "answer": "yes"}


def test_node_timeout_target_may_fall_through_further() -> None:
    s = Stepper(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_receive: []
                    timeout: remind
                  remind:
                    on_enter: [{say: {text: "reminder"}}]
                    next: [{to: ask_again}]
                  ask_again:
                    on_enter: [{say: {text: "asking again"}}]
                    on_receive: []
            """
        }
    )
    s.send("hi")
    assert s.timeout() == ["reminder", "asking again"]
    assert s.stack == ["main.ask_again"]


def test_timeout_uses_the_innermost_flows_timeout_node() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                timeout: main_timeout
                nodes:
                  a:
                    call: sub
                    next: [{to: after}]
                  after:
                    on_enter: [{say: {text: "after"}}]
                    on_receive: []
                  main_timeout:
                    on_enter: [{say: {text: "main timeout"}}]
                    next: [{to: END}]
            """,
            "sub": """
                start: s
                nodes:
                  s:
                    on_receive: []
                  timeout:
                    on_enter: [{say: {text: "sub timeout"}}]
                    on_receive: []
                    next: [{to: RETURN}]
            """,
        }
    )
    s.send("hi")
    assert s.timeout() == ["sub timeout"]
    assert s.stack[-1] == "sub.timeout"
    assert s.send("x") == ["after"]
    assert s.stack == ["main.after"]


def test_timeout_uses_the_innermost_flows_node_and_flow_timeouts() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                timeout: main_timeout
                nodes:
                  a:
                    call: sub
                    next: [{to: END}]
                  main_timeout:
                    on_enter: [{say: {text: "main timeout"}}]
                    next: [{to: END}]
            """,
            "sub": """
                start: s
                timeout: sub_timeout
                nodes:
                  s:
                    on_receive: []
                    next: [{to: t}]
                  t:
                    on_receive: []
                    timeout: t_timeout
                  sub_timeout:
                    on_enter: [{say: {text: "sub flow timeout"}}]
                    on_receive: []
                  t_timeout:
                    on_enter: [{say: {text: "t node timeout"}}]
                    on_receive: []
            """,
        }
    )
    s.send("hi")
    assert s.stack[-1] == "sub.s"
    assert s.timeout() == ["sub flow timeout"]
    s.session = None  # a fresh session, this time waiting at sub.t
    s.send("hi")
    s.send("x")
    assert s.stack[-1] == "sub.t"
    assert s.timeout() == ["t node timeout"]


def test_callers_timeout_paths_are_not_consulted() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                timeout: main_timeout
                nodes:
                  a:
                    call: sub
                    next: [{to: END}]
                  main_timeout:
                    on_enter: [{say: {text: "main timeout"}}]
                    next: [{to: END}]
                  timeout:
                    on_enter: [{say: {text: "main node named timeout"}}]
                    next: [{to: END}]
            """,
            "sub": """
                start: s
                nodes:
                  s:
                    on_receive: []
            """,
            "timeout": TIMEOUT_FLOW,
        }
    )
    s.send("hi")
    assert s.timeout() == ["timeout flow"]


def test_flow_named_timeout_reached_from_a_called_flow() -> None:
    s = Stepper(
        {
            "main": """
                start: a
                nodes:
                  a:
                    call: sub
                    next: [{to: END}]
            """,
            "sub": """
                start: s
                nodes:
                  s:
                    on_receive: []
            """,
            "timeout": """
                start: sorry
                nodes:
                  sorry:
                    on_enter: [{say: {text: "timed out"}}]
                    on_receive: []
            """,
        }
    )
    s.send("hi")
    assert s.timeout() == ["timed out"]
    assert s.stack[-1] == "timeout.sorry"


def test_timeout_without_an_open_session_does_nothing(make_bot: MakeBot) -> None:
    bot = make_bot({"main": _main(True, True, True)})
    conv = bot.conversation(user_id="u1")
    assert conv.timeout() == []
    assert conv.node is None
    assert conv.events == []


# --- expire_idle and the janitor ---------------------------------------------------------

IDLE_BOT = {
    "main": """
        start: ask
        nodes:
          ask:
            on_enter: [{say: {text: "question"}}]
            on_receive: []
            next:
              - when: text == "bye"
                to: END
              - to: ask
          timeout:
            on_enter: [{say: {text: "are you there?"}}]
            on_receive: []
            next: [{to: ask}]
    """
}


@pytest.fixture(params=["memory", "sqlite"])
def idle_bot(request: pytest.FixtureRequest, make_bot: MakeBot, tmp_path: Path) -> wb.Bot:
    db = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path}/wb.db"
    return make_bot(IDLE_BOT, db=db)


def test_expire_idle_runs_the_timeout_path_of_idle_conversations_only(
    idle_bot: wb.Bot, clock: Clock
) -> None:
    old = idle_bot.conversation(user_id="old")
    old.say("hi")
    clock.now = 1400.0
    recent = idle_bot.conversation(user_id="recent")
    recent.say("hi")
    clock.now = 1600.0

    expired = idle_bot.expire_idle(older_than=300)

    assert list(expired) == [old.id]
    assert texts(expired[old.id]) == ["are you there?"]
    assert old.node == "main.timeout"
    assert recent.node == "main.ask"


def test_expire_idle_ignores_conversations_without_an_open_session(
    idle_bot: wb.Bot, clock: Clock
) -> None:
    ended = idle_bot.conversation(user_id="ended")
    ended.say("hi")
    ended.say("bye")
    assert ended.node is None
    events = len(ended.events)
    clock.now = 5000.0
    assert idle_bot.expire_idle(older_than=10) == {}
    assert ended.node is None
    assert len(ended.events) == events


def test_expire_idle_twice_only_expires_once(idle_bot: wb.Bot, clock: Clock) -> None:
    conv = idle_bot.conversation(user_id="u1")
    conv.say("hi")
    clock.now = 2000.0
    assert list(idle_bot.expire_idle(older_than=100)) == [conv.id]
    assert idle_bot.expire_idle(older_than=100) == {}
    clock.now = 2200.0
    # idle again, now at the timeout node: the node named timeout is its timeout path too
    assert texts(idle_bot.expire_idle(older_than=100)[conv.id]) == ["are you there?"]
    assert conv.node == "main.timeout"


def test_janitor_run_once_expires_idle_conversations(idle_bot: wb.Bot, clock: Clock) -> None:
    idle = idle_bot.conversation(user_id="idle")
    idle.say("hi")
    clock.now = 1900.0
    busy = idle_bot.conversation(user_id="busy")
    busy.say("hi")
    clock.now = 2000.0

    janitor = wb.Janitor(idle_bot, idle=500, interval=3600)
    assert janitor.run_once() == 1
    assert idle.node == "main.timeout"
    assert busy.node == "main.ask"
    assert janitor.run_once() == 0
    assert janitor.expired == 1


def test_janitor_idle_defaults_to_the_session_timeout_setting(make_bot: MakeBot) -> None:
    bot = make_bot(IDLE_BOT, settings="session_timeout: 120\n")
    assert wb.Janitor(bot).idle == 120


def test_janitor_start_and_stop_shut_down_cleanly(idle_bot: wb.Bot) -> None:
    janitor = wb.Janitor(idle_bot, idle=60, interval=3600).start()
    assert any(t.name == "workbench-janitor" for t in threading.enumerate())
    janitor.stop()
    assert not any(t.name == "workbench-janitor" for t in threading.enumerate())


def test_expire_idle_ends_sessions_without_a_timeout_path(make_bot: MakeBot, clock: Clock) -> None:
    bot = make_bot({"main": _main(False, False, False)})
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    clock.now = 5000.0
    assert bot.expire_idle(older_than=60) == {conv.id: []}
    assert conv.node is None
    assert bot.expire_idle(older_than=0) == {}
