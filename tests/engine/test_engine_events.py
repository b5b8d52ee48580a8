"""``step`` returns one ordered list of typed events, renders nothing and runs no user code:
actions are requests the caller answers, replies are elements with the variables to render."""

from __future__ import annotations

import json
import textwrap
from typing import Any

import pytest
from engine_kit import no_actions

from workbench.content import ContentLibrary
from workbench.engine import (
    ActionCalled,
    ActionContext,
    ActionReturned,
    ConditionChecked,
    FlowCalled,
    FlowReturned,
    NodeEntered,
    Program,
    Say,
    SessionEnded,
    SessionStarted,
    StepResult,
    Timeout,
    TimeoutTaken,
    Turn,
    TurnFailed,
    UserMessage,
    VariableSet,
    Waiting,
    step,
)
from workbench.flows import flow_set_from_texts
from workbench.schema import NLUResult, Session

FLOWS = {
    "main": """
        start: hello
        nodes:
          hello:
            on_enter:
              - say: {text: "Hi {{ user.name }}, size?"}
              - set: {asked: true}
            on_receive:
              - set: {size: "{{ text }}", user.name: "Ada"}
              - do: price
                args: {size: "{{ state.size }}"}
            next:
              - when: state.price > 10
                to: pay
              - to: hello
          pay:
            call: checkout
            next: [{to: END}]
          timeout:
            on_enter: [{say: {text: "bye"}}]
            next: [{to: END}]
    """,
    "checkout": """
        start: card
        nodes:
          card:
            on_enter: [{say: {text: "That is {{ state.price }}."}}]
            next: [{to: RETURN}]
    """,
}


def program() -> Program:
    texts = {name: textwrap.dedent(text) for name, text in FLOWS.items()}
    built, problems = Program.build(flow_set_from_texts(texts), ContentLibrary())
    assert not problems
    return built


def message(text: str) -> UserMessage:
    return UserMessage(text, None, NLUResult())


def run(turn: Turn, answers: list[Any]) -> tuple[StepResult, list[ActionContext]]:
    """Drive a step, answering its action requests in order (an exception is thrown in)."""
    asked: list[ActionContext] = []
    try:
        ctx = next(turn)
        while True:
            asked.append(ctx)
            answer = answers.pop(0)
            ctx = turn.throw(answer) if isinstance(answer, Exception) else turn.send(answer)
    except StopIteration as done:
        return done.value, asked


def kinds(result: StepResult) -> list[str]:
    return [event.kind for event in result.events]


def test_a_new_session_is_an_ordered_list_of_typed_events() -> None:
    result = no_actions(step(program(), None, {}, {}, message("hi"), now=5.0))
    assert result.events == [
        SessionStarted(program().flows.version),
        NodeEntered("main.hello"),
        result.events[2],  # the Say, checked below
        VariableSet("main.hello", "state", "asked", True),
        Waiting("main.hello"),
    ]
    say = result.events[2]
    assert isinstance(say, Say) and say.node == "main.hello" and say.element.id == ""
    assert say.element.render(say.names).text == "Hi , size?"  # rendered by the caller, later
    assert result.session is not None and result.session["started_at"] == 5.0
    assert result.state == {"asked": True} and not result.ended


def test_actions_are_requests_answered_by_the_caller() -> None:
    first = no_actions(step(program(), None, {}, {}, message("hi"), now=0.0))
    session = first.session
    result, asked = run(
        step(program(), session, {}, {"visits": 1}, message("large"), now=0.0), [{"price": 12}]
    )
    (ctx,) = asked
    assert (ctx.action, ctx.args, ctx.node) == ("price", {"size": "large"}, "main.hello")
    # the action works on the turn's own variables (the step's working copy)
    assert ctx.state == {"asked": True, "size": "large", "price": 12}
    assert ctx.user == {"name": "Ada"} and ctx.bot == {"visits": 1}
    assert kinds(result) == [
        "set",
        "set",
        "action_call",
        "action",
        "set",  # what the action changed
        "condition",
        "enter",
        "call",
        "enter",
        "say",
        "condition",
        "return",
        "condition",
        "end",
    ]
    assert result.events[2] == ActionCalled("main.hello", "price", {"size": "large"})
    assert result.events[3] == ActionReturned("main.hello", "price", {"price": 12})
    assert result.events[4] == VariableSet("main.hello", "state", "price", 12)
    assert result.events[5] == ConditionChecked("main.hello", "state.price > 10", True, "pay")
    assert result.events[7] == FlowCalled("main.pay", "checkout")
    assert result.events[11] == FlowReturned("checkout", "main.pay")
    assert result.events[-1] == SessionEnded()
    assert result.ended and result.session is None
    assert result.user_changes == {"name": "Ada"} and result.bot_changes == {}


def test_a_say_keeps_the_variables_as_they_were_when_said() -> None:
    flows = {
        "main": """
            start: a
            nodes:
              a:
                on_enter:
                  - set: {n: 1}
                  - say: {text: "n={{ state.n }}"}
                  - set: {n: 2}
                  - say: {text: "n={{ state.n }}"}
                on_receive: []
        """
    }
    texts = {name: textwrap.dedent(text) for name, text in flows.items()}
    built, _ = Program.build(flow_set_from_texts(texts), ContentLibrary())
    result = no_actions(step(built, None, {}, {}, message("hi"), now=0.0))
    said = [e.element.render(e.names).text for e in result.events if isinstance(e, Say)]
    assert said == ["n=1", "n=2"]


def test_a_failing_action_ends_the_events_and_leaves_the_inputs_untouched() -> None:
    first = no_actions(step(program(), None, {}, {}, message("hi"), now=0.0))
    session = first.session
    assert session is not None
    before = json.dumps(session, sort_keys=True)
    user: dict[str, Any] = {"name": "Bob"}
    result, _ = run(
        step(program(), session, user, {}, message("large"), now=0.0), [ValueError("oven")]
    )
    failure = result.failure
    assert isinstance(failure, TurnFailed)
    assert "action 'price' failed: ValueError: oven" in failure.message
    assert failure.node == "main.hello" and failure.reason == "error"
    assert kinds(result)[:3] == ["set", "set", "action_call"]  # the path up to the failure
    assert result.session is session and json.dumps(session, sort_keys=True) == before
    assert user == {"name": "Bob"}
    assert result.user_changes == {} and result.bot_changes == {} and not result.ended


def test_an_action_changing_variables_in_place_is_recorded() -> None:
    first = no_actions(step(program(), None, {}, {}, message("hi"), now=0.0))

    def price(ctx: ActionContext) -> None:
        ctx.state["price"] = 9
        ctx.bot["quotes"] = 1
        ctx.say("computing")

    turn = step(program(), first.session, {}, {}, message("small"), now=0.0)
    ctx = next(turn)
    price(ctx)
    with pytest.raises(StopIteration) as done:
        turn.send(None)
    result: StepResult = done.value.value
    returned = [e for e in result.events if isinstance(e, ActionReturned)]
    assert returned == [ActionReturned("main.hello", "price", {}, ("computing",))]
    changes = [e for e in result.events if isinstance(e, VariableSet) and e.node == "main.hello"]
    assert VariableSet("main.hello", "state", "price", 9) in changes
    assert VariableSet("main.hello", "bot", "quotes", 1) in changes
    assert result.bot_changes == {"quotes": 1}


def test_a_timeout_is_its_own_input() -> None:
    first = no_actions(step(program(), None, {}, {}, message("hi"), now=0.0))
    result = no_actions(step(program(), first.session, {}, {}, Timeout(), now=0.0))
    assert result.events[0] == TimeoutTaken("main.hello", "timeout")
    assert kinds(result) == ["timeout", "enter", "say", "condition", "end"]
    nothing = no_actions(step(program(), None, {}, {}, Timeout(), now=0.0))
    assert nothing.events == [] and nothing.session is None


def test_events_are_plain_data_for_the_trace() -> None:
    first = no_actions(step(program(), None, {}, {}, message("hi"), now=0.0))
    data = [event.to_json() for event in first.events]
    assert json.loads(json.dumps(data)) == data
    assert data[2] == {"kind": "say", "node": "main.hello", "element": ""}
    assert data[3] == {"kind": "set", "node": "main.hello", "name": "asked", "value": True}
    session: Session | None = first.session
    assert session is not None and session["stack"] == [{"flow": "main", "node": "hello"}]
