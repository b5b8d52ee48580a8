"""The flow graph without a widget: cytoscape elements, the layered layout, traces, the SVG."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest

import workbench as wb
from tests.conftest import SAMPLE_BOTS
from workbench.engine import ConditionChecked, FlowReturned, NodeEntered, SessionEnded
from workbench.notebook._graph_elements import GraphElements, graph_elements, trace_path
from workbench.notebook._graph_layout import Layout, layout_elements
from workbench.notebook._graph_svg import graph_svg
from workbench.runtime import TurnTrace
from workbench.testing import big_flow

SVG = "{http://www.w3.org/2000/svg}"
PIZZA_NODES = {
    "main": {
        "welcome": "falls_through",
        "remember_size": "falls_through",
        "ask_size": "waits",
        "size_again": "falls_through",
        "ask_toppings": "waits",
        "more_toppings": "waits",
        "confirm": "waits",
        "pay": "calls",
        "thanks": "ends",
        "not_paid": "ends",
        "cancelled": "ends",
    },
    "checkout": {
        "ask_payment": "waits",
        "card_number": "waits",
        "paid": "falls_through",
        "declined": "falls_through",
    },
}


@pytest.fixture(scope="module")
def pizza() -> wb.Bot:
    return wb.Bot.load(SAMPLE_BOTS / "pizza", db="memory://")


def by_id(elements: GraphElements) -> dict[str, Any]:
    return {e["data"]["id"]: e for e in [*elements["nodes"], *elements["edges"]]}


def edges_between(elements: GraphElements, source: str, target: str) -> list[dict[str, Any]]:
    return [
        dict(e["data"])
        for e in elements["edges"]
        if e["data"]["source"] == source and e["data"]["target"] == target
    ]


def test_every_pizza_node_is_there_with_its_kind_and_flow(pizza: wb.Bot) -> None:
    elements = graph_elements(pizza.flows)
    nodes = {n["data"]["id"]: n for n in elements["nodes"]}
    for flow, kinds in PIZZA_NODES.items():
        assert nodes[f"flow:{flow}"]["data"]["kind"] == "flow"
        assert "parent" not in nodes[f"flow:{flow}"]["data"]
        for name, kind in kinds.items():
            node = nodes[f"{flow}.{name}"]
            assert node["data"]["kind"] == kind
            assert node["data"]["parent"] == f"flow:{flow}"
            assert node["data"]["label"] == name
            assert kind in node["classes"].split()
    assert nodes["main.welcome"]["data"]["start"] is True
    assert "start" in nodes["checkout.ask_payment"]["classes"].split()
    assert nodes["main.pay"]["data"]["call"] == "checkout"
    regular = [
        n
        for n in nodes.values()
        if n["data"]["kind"] in ("waits", "falls_through", "calls", "ends")
    ]
    assert len(regular) == sum(len(kinds) for kinds in PIZZA_NODES.values())


def test_edges_carry_their_conditions_and_kinds(pizza: wb.Bot) -> None:
    elements = graph_elements(pizza.flows)
    [edge] = edges_between(elements, "main.ask_size", "main.ask_toppings")
    assert (edge["label"], edge["when"], edge["kind"], edge["order"]) == (
        "state.size",
        "state.size",
        "next",
        0,
    )
    [fallback] = edges_between(elements, "main.ask_size", "main.size_again")
    assert (fallback["label"], fallback["when"]) == ("else", "")
    [always] = edges_between(elements, "main.remember_size", "main.ask_toppings")
    assert always["label"] == ""
    [card] = edges_between(elements, "checkout.card_number", "checkout.paid")
    assert card["label"] == "state.card_last4 and len(str(state.card_last4)) == 4"
    [retry] = edges_between(elements, "main.confirm", "main.confirm")
    assert retry["label"] == "else"


def test_calls_returns_terminals_and_catch_all(pizza: wb.Bot) -> None:
    elements = graph_elements(pizza.flows)
    nodes = {n["data"]["id"]: n["data"] for n in elements["nodes"]}
    [call] = edges_between(elements, "main.pay", "checkout.ask_payment")
    assert call["kind"] == "call"
    [back] = edges_between(elements, "checkout.RETURN", "main.pay")
    assert back["kind"] == "return"
    assert nodes["checkout.RETURN"]["kind"] == "return"
    assert nodes["checkout.RETURN"]["parent"] == "flow:checkout"
    assert nodes["main.END"]["kind"] == "end"
    assert "checkout.END" not in nodes  # nothing in checkout goes to END
    for source in ("main.thanks", "main.not_paid", "main.cancelled"):
        assert edges_between(elements, source, "main.END")
    assert edges_between(elements, "checkout.paid", "checkout.RETURN")
    assert nodes["main.CATCH_ALL"]["kind"] == "catch_all"
    [catch] = edges_between(elements, "main.CATCH_ALL", "main.cancelled")
    assert (catch["kind"], catch["label"]) == ("catch_all", 'intent == "cancel"')


def test_the_elements_are_json_and_consistent(pizza: wb.Bot) -> None:
    elements = graph_elements(pizza.flows, positions=True)
    assert json.loads(json.dumps(elements)) == elements
    ids = [e["data"]["id"] for e in [*elements["nodes"], *elements["edges"]]]
    assert len(ids) == len(set(ids))
    seen: set[str] = set()
    for node in elements["nodes"]:
        parent = node["data"].get("parent")
        assert parent is None or parent in seen  # compounds come before their children
        seen.add(node["data"]["id"])
        assert ("position" in node) == (node["data"]["kind"] != "flow")
    for edge in elements["edges"]:
        assert edge["data"]["source"] in seen and edge["data"]["target"] in seen


def test_one_flow_links_to_the_flows_it_calls(pizza: wb.Bot) -> None:
    elements = graph_elements(pizza.flows, "main")
    nodes = {n["data"]["id"]: n["data"] for n in elements["nodes"]}
    assert not any(n.startswith("checkout.") or n == "flow:checkout" for n in nodes)
    ref = nodes["ref:checkout.ask_payment"]
    assert (ref["kind"], ref["flow"], ref["label"]) == ("flow_ref", "checkout", "checkout")
    [call] = edges_between(elements, "main.pay", "ref:checkout.ask_payment")
    assert call["kind"] == "call"
    assert not [e for e in elements["edges"] if e["data"]["kind"] == "return"]
    with pytest.raises(wb.BotError, match="no flow named 'nope'"):
        graph_elements(pizza.flows, "nope")


def test_timeouts_and_jumps_to_other_flows() -> None:
    bot = wb.Bot.new("t")
    bot.set_flow(
        "help",
        {
            "start": "info",
            "nodes": {
                "info": {"on_enter": [{"say": {"text": "Help"}}], "next": [{"to": "RETURN"}]}
            },
        },
    )
    bot.set_flow(
        "main",
        """start: ask
timeout: bye
nodes:
  ask:
    on_receive: []
    timeout: nudge
    next:
      - when: text == "help"
        to: help.info
  nudge:
    next: [{to: ask}]
  bye:
    next: [{to: END}]
""",
    )
    elements = graph_elements(bot.flows)
    [own] = edges_between(elements, "main.ask", "main.nudge")
    assert (own["kind"], own["label"]) == ("timeout", "timeout")
    [flow_timeout] = edges_between(elements, "main.TIMEOUT", "main.bye")
    assert flow_timeout["kind"] == "timeout"
    [jump] = edges_between(elements, "main.ask", "help.info")
    assert (jump["kind"], jump["label"]) == ("next", 'text == "help"')
    alone = graph_elements(bot.flows, "main")
    [ref] = [n["data"] for n in alone["nodes"] if n["data"]["kind"] == "flow_ref"]
    assert (ref["id"], ref["label"]) == ("ref:help.info", "help")


def test_trace_path_follows_a_turn(pizza: wb.Bot) -> None:
    conv = pizza.conversation("path")
    traces: list[dict[str, Any]] = []
    pizza.turn_listeners.append(lambda _cid, outcome: traces.append(outcome.trace))
    try:
        conv.say("hi")
        conv.say("large")
        conv.say("cancel")
    finally:
        pizza.turn_listeners.pop()
    assert trace_path(traces[0]) == ["main.welcome", "main.ask_size"]
    assert trace_path(traces[1]) == ["main.ask_size", "main.ask_toppings"]
    assert trace_path(traces[2]) == [
        "main.ask_toppings",
        "main.CATCH_ALL",
        "main.cancelled",
        "main.END",
    ]


def test_trace_path_through_a_call_and_its_return() -> None:
    trace = TurnTrace(
        turn=3,
        trigger="message",
        channel="web",
        language="en",
        node_before="checkout.ask_payment",
        steps=(
            ConditionChecked("checkout.ask_payment", "x", True, "paid"),
            NodeEntered("checkout.paid"),
            ConditionChecked("checkout.paid", "", True, "RETURN"),
            FlowReturned("checkout", "main.pay"),
            ConditionChecked("main.pay", "state.paid", True, "thanks"),
            NodeEntered("main.thanks"),
            ConditionChecked("main.thanks", "", True, "END"),
            SessionEnded(),
        ),
    )
    assert trace_path(trace) == [
        "checkout.ask_payment",
        "checkout.paid",
        "checkout.RETURN",
        "main.pay",
        "main.thanks",
        "main.END",
    ]


def check_layout(elements: GraphElements, layout: Layout) -> None:
    """No two node boxes overlap, every node sits inside its flow's frame, frames apart."""
    boxes = sorted(layout.boxes.items(), key=lambda item: item[1].left)
    for i, (a, box) in enumerate(boxes):
        for b, other in boxes[i + 1 :]:
            if other.left >= box.right:
                break
            assert not box.overlaps(other), f"{a} overlaps {b}"
    for node in elements["nodes"]:
        parent = node["data"].get("parent")
        if parent:
            frame, box = layout.frames[parent], layout.boxes[node["data"]["id"]]
            assert frame.left <= box.left and box.right <= frame.right
            assert frame.top <= box.top and box.bottom <= frame.bottom
    frames = list(layout.frames.values())
    for i, frame in enumerate(frames):
        assert not any(frame.overlaps(other) for other in frames[i + 1 :])


def test_the_pizza_layout_is_layered_and_clean(pizza: wb.Bot) -> None:
    elements = graph_elements(pizza.flows)
    layout = layout_elements(elements)
    check_layout(elements, layout)
    y = {node: box.y for node, box in layout.boxes.items()}
    # the conversation reads top to bottom; retries and "deny" loops go back up
    assert y["main.welcome"] < y["main.ask_size"] < y["main.ask_toppings"] < y["main.confirm"]
    assert y["main.confirm"] < y["main.pay"] < y["main.thanks"] < y["main.END"]
    assert y["checkout.ask_payment"] < y["checkout.card_number"] < y["checkout.paid"]
    assert y["checkout.paid"] < y["checkout.RETURN"]
    assert layout.routes["main.confirm->main.ask_size:next1"].back
    assert layout.routes["main.confirm->main.confirm:next2"].loop


def test_a_300_node_flow_lays_out_without_overlaps() -> None:
    bot = wb.Bot.new("big")
    bot.set_flow("main", big_flow(300))
    elements = graph_elements(bot.flows, positions=True)
    regular = [n for n in elements["nodes"] if n["data"]["kind"] in ("waits", "falls_through")]
    assert len(regular) == 300
    layout = layout_elements(elements)
    assert len(layout.boxes) == len(elements["nodes"]) - 1  # all but the flow compound
    check_layout(elements, layout)
    # readable: layered top to bottom, neither a tower nor a line
    assert 0.1 < layout.width / layout.height < 10
    assert layout_elements(graph_elements(bot.flows)) == layout  # deterministic


def test_svg_export_is_well_formed_with_one_group_per_node(pizza: wb.Bot) -> None:
    elements = graph_elements(pizza.flows)
    svg = graph_svg(elements, layout_elements(elements), title="pizza")
    root = ET.fromstring(svg)
    groups = root.iter(f"{SVG}g")
    classes = [g.get("class", "").split() for g in groups]
    node_groups = [c for c in classes if c[0] == "node"]
    assert len(node_groups) == len([n for n in elements["nodes"] if n["data"]["kind"] != "flow"])
    assert sum(c[0] == "flow" for c in classes) == 2
    assert sum(c[0] == "edge" for c in classes) == len(elements["edges"])
    texts = {"".join(t.itertext()) for t in root.iter(f"{SVG}text")}
    assert {"ask_size", "checkout", 'intent == "cancel"', "END", "RETURN"} <= texts
    ids = {g.get("id") for g in root.iter(f"{SVG}g")}
    assert {"main.ask_size", "flow:main", "main.CATCH_ALL"} <= ids
