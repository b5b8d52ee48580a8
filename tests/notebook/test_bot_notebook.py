"""The notebook Bot: the Python flow builder and ``bot.test()``."""

from __future__ import annotations

from pathlib import Path

import workbench as wb
from tests.conftest import SAMPLE_BOTS
from workbench.flows import do, set_


def test_the_builder_makes_the_same_flow_as_yaml() -> None:
    main = (
        wb.FlowBuilder("main", start="ask")
        .node(
            "ask",
            say={"text": "Size?"},
            on_receive=[set_(size="{{ text }}")],
            next=[("state.size == 'xl'", "sorry"), "done"],
        )
        .node("sorry", say={"text": "No XL."}, to="ask")
        .node("done", on_enter=[do("note", size="{{ state.size }}")], to="END")
        .catch_all(("intent == 'cancel'", "END"))
    )
    yaml_text = """start: ask
catch_all:
  next: [{when: "intent == 'cancel'", to: END}]
nodes:
  ask:
    on_enter: [{say: {text: "Size?"}}]
    on_receive: [{set: {size: "{{ text }}"}}]
    next: [{when: "state.size == 'xl'", to: sorry}, {to: done}]
  sorry:
    on_enter: [{say: {text: "No XL."}}]
    next: [{to: ask}]
  done:
    on_enter: [{do: note, args: {size: "{{ state.size }}"}}]
    next: [{to: END}]
"""
    built, written = wb.Bot.new("a"), wb.Bot.new("b")
    for bot in (built, written):
        bot.add_action(lambda ctx: {"noted": ctx.args["size"]}, "note")
    built.set_flow("main", main)
    written.set_flow("main", yaml_text)
    assert built.flows.version == written.flows.version
    conv = built.conversation("u")
    assert [r.text for r in conv.say("hi")] == ["Size?"]
    assert [r.text for r in conv.say("xl")] == ["No XL.", "Size?"]
    conv.say("large")
    assert conv.node is None


def test_bot_test_reports_a_table_and_leaves_the_store_alone(tmp_path: Path) -> None:
    bot = wb.Bot.load(SAMPLE_BOTS / "pizza", db=f"sqlite:///{tmp_path}/pizza.db")
    report = bot.test()
    assert str(report) == "nodes covered: 15/15\n6 passed, 0 failed"
    frame = report.to_frame()
    assert list(frame.columns) == ["test", "where", "passed", "turns", "failures"]
    assert frame["passed"].all()
    assert "6 passed, 0 failed" in report._repr_html_()
    assert bot.events() == []  # tests ran on a private in-memory copy


def test_bot_test_shows_failures_with_their_turn(tmp_path: Path) -> None:
    bot = wb.Bot.new("t")
    bot.set_flow("main", "start: a\nnodes:\n  a:\n    on_enter: [{say: {text: Hi}}]\n")
    convo = tmp_path / "a.convo.yml"
    convo.write_text("- name: greets\n  turns:\n    - user: x\n      bot: [Hello]\n")
    report = bot.test([convo])
    (failure,) = report.to_frame()["failures"]
    assert failure.endswith(":3: turn 1 'x': reply 1: expected 'Hello', got 'Hi'")
    assert str(report).splitlines() == [
        f"FAIL greets ({convo}:1)",
        f"  {failure}",
        "nodes covered: 1/1",
        "0 passed, 1 failed",
    ]
    assert "expected &#x27;Hello&#x27;" in report._repr_html_()
