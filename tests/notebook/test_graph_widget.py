"""``bot.graph()``: the ipycytoscape widget, live highlight, overlays, details, refresh, SVG."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import workbench as wb
from tests.conftest import SAMPLE_BOTS
from workbench.notebook._graph import FlowGraph
from workbench.notebook._graph_style import NODE_STYLES

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def pizza() -> wb.Bot:
    return wb.Bot.load(SAMPLE_BOTS / "pizza", db="memory://")


@pytest.fixture
def graph(pizza: wb.Bot) -> Iterator[FlowGraph]:
    g = pizza.graph()
    yield g
    g.close()


def classes(graph: FlowGraph, element_id: str) -> set[str]:
    widget = graph._nodes.get(element_id) or graph._edges[element_id]
    return set(widget.classes.split())


def marked(graph: FlowGraph, cls: str) -> set[str]:
    found = {i for i, w in graph._nodes.items() if cls in w.classes.split()}
    return found | {i for i, w in graph._edges.items() if cls in w.classes.split()}


def click(graph: FlowGraph, element_id: str) -> None:
    """What ipycytoscape does on a click: the callback gets the element's cytoscape JSON."""
    widget = graph._nodes[element_id]
    event = {"group": "nodes", "data": dict(widget.data), "position": dict(widget.position)}
    graph.cytoscape._interaction_handlers["node"]["click"](event)


def test_the_widget_holds_every_element_with_its_style(graph: FlowGraph) -> None:
    cy = graph.cytoscape
    node_ids = [n.data["id"] for n in cy.graph.nodes]
    assert node_ids[:2] == ["flow:main", "flow:checkout"]  # compounds before their children
    assert set(node_ids) == {n["data"]["id"] for n in graph.elements["nodes"]}
    assert len(cy.graph.edges) == len(graph.elements["edges"])
    ask = graph._nodes["main.ask_size"]
    assert ask.data["kind"] == "waits" and ask.data["parent"] == "flow:main"
    assert ask.position.keys() == {"x", "y"}
    assert "waits" in ask.classes.split()
    assert cy.cytoscape_layout["name"] == "preset"
    selectors = {rule["selector"] for rule in cy.cytoscape_style}
    assert {f"node.{kind}" for kind in NODE_STYLES} <= selectors
    assert {"node.current", "edge.path", "node.overlay", "node.error"} <= selectors
    edge = graph._edges["main.ask_size->main.ask_toppings:next0"]
    assert edge.data["display"] == "state.size"
    assert graph.widget.children[1].children == (cy, graph.details)
    assert "application/vnd.jupyter.widget-view+json" in graph._repr_mimebundle_()


def test_other_layouts_are_passed_to_cytoscape(pizza: wb.Bot) -> None:
    g = pizza.graph(layout="dagre", height="400px")
    try:
        assert g.cytoscape.cytoscape_layout["name"] == "dagre"
        assert g.cytoscape.layout.height == "400px"
    finally:
        g.close()
    with pytest.raises(ValueError, match="unknown layout 'spiral'"):
        FlowGraph(pizza, layout="spiral")


def test_highlight_marks_the_current_node_and_the_path(graph: FlowGraph) -> None:
    graph.highlight("main.confirm", ["main.ask_toppings", "main.confirm", "nowhere.x"])
    assert marked(graph, "current") == {"main.confirm"}
    assert marked(graph, "path") == {
        "main.ask_toppings",
        "main.confirm",
        "main.ask_toppings->main.confirm:next0",
    }
    graph.highlight(None)
    assert not marked(graph, "current") and not marked(graph, "path")


def test_turns_light_up_live_through_the_turn_listener(pizza: wb.Bot, graph: FlowGraph) -> None:
    conv = pizza.conversation("live")
    conv.say("hi")
    assert marked(graph, "current") == {"main.ask_size"}
    assert {"main.welcome", "main.ask_size", "main.welcome->main.ask_size:next1"} == marked(
        graph, "path"
    )
    conv.say("large")
    assert marked(graph, "current") == {"main.ask_toppings"}
    assert "main.ask_size->main.ask_toppings:next0" in marked(graph, "path")
    conv.say("cancel")  # the catch-all ends the session: no current node, the path to END
    assert not marked(graph, "current")
    assert {"main.CATCH_ALL->main.cancelled:catch_all0", "main.cancelled->main.END:next0"} <= (
        marked(graph, "path")
    )


def test_following_one_conversation_and_closing(pizza: wb.Bot, graph: FlowGraph) -> None:
    graph.follow = "mine"
    pizza.conversation(conversation_id="other").say("hi")
    assert not marked(graph, "current")
    pizza.conversation(conversation_id="mine").say("hi")
    assert marked(graph, "current") == {"main.ask_size"}
    graph.close()
    assert graph._on_turn not in pizza.turn_listeners
    assert graph._on_change not in pizza.change_listeners
    pizza.conversation(conversation_id="mine").say("large")  # a closed graph is left alone
    assert not graph._nodes


def test_a_failed_turn_paints_the_node_red() -> None:
    bot = wb.Bot.new("oops")

    def boom(ctx: wb.ActionContext) -> None:
        raise RuntimeError("kaput")

    bot.add_action(boom)
    bot.set_flow(
        "main",
        """start: ask
nodes:
  ask:
    on_receive: []
    next: [{to: fail}]
  fail:
    on_enter: [{do: boom}]
    next: [{to: END}]
""",
    )
    g = bot.graph()
    try:
        conv = bot.conversation("e")
        conv.say("hi")
        assert marked(g, "current") == {"main.ask"} and not marked(g, "error")
        conv.say("go")
        assert marked(g, "error") == {"main.fail"}  # where the turn failed
        assert marked(g, "current") == {"main.ask"}  # rolled back: the conversation stays there
        assert {"main.ask", "main.fail"} <= marked(g, "path")  # the path up to the failure
    finally:
        g.close()


def test_overlay_colours_nodes_and_edges_by_a_figure(graph: FlowGraph) -> None:
    visits = pd.Series({"main.ask_size": 120, "main.confirm": 30, "main.thanks": 0})
    graph.overlay(visits, label="visits", edges={("main.ask_size", "main.ask_toppings"): 90})
    assert marked(graph, "overlay") == {
        "main.ask_size",
        "main.confirm",
        "main.thanks",
        "main.ask_size->main.ask_toppings:next0",
    }
    ask, confirm, thanks = (
        graph._nodes[n].data for n in ("main.ask_size", "main.confirm", "main.thanks")
    )
    assert ask["display"] == "ask_size\nvisits: 120"
    assert ask["overlay_value"] == 120
    assert ask["overlay_color"] == "#1e3a8a"  # the top of the blue scale
    assert thanks["overlay_color"] == "#eff6ff"  # its bottom (the scale starts at 0)
    assert len({ask["overlay_color"], confirm["overlay_color"], thanks["overlay_color"]}) == 3
    assert ask["overlay_text"] == "#ffffff" and thanks["overlay_text"] == "#111827"
    edge = graph._edges["main.ask_size->main.ask_toppings:next0"].data
    assert edge["display"] == "state.size · visits: 90"
    assert "visits" in graph.legend.value
    graph.overlay({"main.pay": 0.25}, fmt="{:.0%}", cmap=["#ffffff", "#ff0000"], vmax=1.0)
    assert marked(graph, "overlay") == {"main.pay"}
    assert graph._nodes["main.pay"].data["display"] == "pay\n25%"
    assert graph._nodes["main.pay"].data["overlay_color"] == "#ffbfbf"
    graph.clear_overlay()
    assert not marked(graph, "overlay")
    assert graph._nodes["main.pay"].data["display"] == "pay"


def test_refresh_follows_edits_of_the_bot(pizza: wb.Bot, graph: FlowGraph) -> None:
    before, canvas = graph._nodes["main.ask_size"], graph.cytoscape
    graph.highlight("main.ask_size", ["main.welcome", "main.ask_size"])
    pizza.set_flow(
        "extra",
        {"start": "hello", "nodes": {"hello": {"next": [{"to": "END"}]}}},
    )
    assert "extra.hello" in graph._nodes and "flow:extra" in graph._nodes
    assert graph._nodes["main.ask_size"] is not before  # a new element set was sent
    # ...on a new canvas in the same view (see FlowGraph._rebuild), the old one closed
    assert graph.cytoscape is not canvas and graph.cytoscape in graph.widget.children[1].children
    assert canvas.comm is None and before.comm is None
    assert [n.data["id"] for n in graph.cytoscape.graph.nodes] == list(graph._nodes)
    assert marked(graph, "current") == {"main.ask_size"}  # the highlight survives
    assert ("extra", "extra") in list(graph.picker.options)
    pizza.remove_flow("extra")
    assert "extra.hello" not in graph._nodes


def test_a_folder_edited_on_disk_reaches_the_graph_and_emulator_on_refresh(
    tmp_path: Path,
) -> None:
    """A flow file saved by another tool (the flow editor, git): ``bot.refresh()`` reads the
    folder again, and the open graph and emulator follow."""
    folder = tmp_path / "pizza"
    shutil.copytree(SAMPLE_BOTS / "pizza", folder, ignore=shutil.ignore_patterns(".workbench"))
    bot = wb.Bot.load(folder, db="memory://")
    graph, chat = bot.graph(), bot.chat()
    flow = folder / "flows" / "main.flow.yml"
    flow.write_text(flow.read_text() + "  goodbye:\n    next: [{to: END}]\n")
    assert "main.goodbye" not in graph._nodes  # nothing watches the files between turns
    assert bot.refresh() is True
    assert "main.goodbye" in graph._nodes
    assert "bot updated (flows changed)" in chat.log.value
    graph.close()
    chat.close()


def test_a_condition_edit_updates_the_elements_in_place() -> None:
    bot = wb.Bot.new("edit")
    flow = """start: a
nodes:
  a:
    on_receive: []
    next: [{when: 'text == "x"', to: b}]
  b:
    next: [{to: END}]
"""
    bot.set_flow("main", flow)
    g = bot.graph()
    try:
        edge = g._edges["main.a->main.b:next0"]
        bot.set_flow("main", flow.replace('"x"', '"y"'))
        assert g._edges["main.a->main.b:next0"] is edge
        assert edge.data["label"] == 'text == "y"'
    finally:
        g.close()


def test_clicking_a_node_shows_its_instructions_and_content(graph: FlowGraph) -> None:
    click(graph, "main.ask_size")
    html = graph.details.value
    assert "ask_size" in html and "waits for the user" in html
    assert "What size would you like?" in html  # the content element's text
    assert ">Small<" in html and ">Large<" in html  # its choices
    assert "{{ entities.size }}" in html  # on_receive's set
    assert "state.size" in html and "size_again" in html  # transitions
    assert "main.flow.yml:21" in html
    assert graph.selected == "main.ask_size"
    assert "picked" in classes(graph, "main.ask_size")
    click(graph, "main.thanks")
    assert "log_order" in graph.details.value and "user.orders" in graph.details.value
    click(graph, "main.CATCH_ALL")
    assert "intent == &quot;cancel&quot;" in graph.details.value
    click(graph, "flow:checkout")
    assert "Ask how to pay" in graph.details.value


def test_inline_messages_and_text_are_escaped() -> None:
    bot = wb.Bot.new("esc")
    bot.set_flow(
        "main",
        "start: a\nnodes:\n  a:\n    on_enter: [{say: {text: '<b>bold</b> & co'}}]\n"
        "    next: [{to: END}]\n",
    )
    g = bot.graph()
    try:
        click(g, "main.a")
        assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in g.details.value
        assert "<b>bold</b>" not in g.details.value
    finally:
        g.close()


def test_one_flow_view_and_links_to_other_flows(pizza: wb.Bot) -> None:
    g = pizza.graph(flow="main")
    try:
        assert "checkout.ask_payment" not in g._nodes
        click(g, "ref:checkout.ask_payment")  # a linked panel: opens the other flow
        assert g.flow == "checkout" and g.picker.value == "checkout"
        assert "checkout.ask_payment" in g._nodes and "main.pay" not in g._nodes
        g.picker.value = ""
        assert g.flow is None and "main.pay" in g._nodes
    finally:
        g.close()


def test_svg_export_shows_what_the_widget_shows(graph: FlowGraph, tmp_path: Path) -> None:
    graph.highlight("main.ask_toppings", ["main.ask_size", "main.ask_toppings"])
    graph.overlay({"main.confirm": 5}, label="visits")
    target = tmp_path / "pizza.svg"
    svg = graph.to_svg(target)
    assert target.read_text(encoding="utf-8") == svg
    root = ET.fromstring(svg)
    nodes: dict[str, Any] = {
        g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("class", "").startswith("node ")
    }
    assert len(nodes) == len(graph._nodes) - 2  # every node but the two flow compounds
    assert "current" in nodes["main.ask_toppings"].get("class", "").split()
    assert "overlay" in nodes["main.confirm"].get("class", "").split()
    assert "visits: 5" in "".join(nodes["main.confirm"].itertext())
    edges = [g for g in root.iter(f"{SVG}g") if "path" in g.get("class", "").split()[1:]]
    assert any(e.get("data-id") == "main.ask_size->main.ask_toppings:next0" for e in edges)


def test_long_edges_follow_the_layout_and_the_first_view_is_readable(graph: FlowGraph) -> None:
    back = graph._edges["main.confirm->main.ask_size:next1"]  # "deny" goes back up two layers
    assert "routed" in back.classes.split()
    distances = [float(d) for d in back.data["seg_d"].split()]
    weights = [float(w) for w in back.data["seg_w"].split()]
    assert len(distances) == len(weights) >= 1 and all(0 < w < 1 for w in weights)
    assert "routed" not in graph._edges["main.ask_size->main.ask_toppings:next0"].classes
    view = graph.cytoscape.cytoscape_layout
    assert (view["name"], view["fit"]) == ("preset", False)
    assert 0.45 <= view["zoom"] <= 1.0  # the whole pizza bot, still readable
    graph.fit()
    assert graph.cytoscape.layout.height == "600.5px"  # makes ipycytoscape resize and fit
    graph.fit()
    assert graph.cytoscape.layout.height == "600px"


def test_a_big_graph_opens_on_its_start_node() -> None:
    bot = wb.Bot.new("big")
    nodes = {f"n{i:03d}": {"on_receive": [], "next": [{"to": f"n{i + 1:03d}"}]} for i in range(299)}
    nodes["n299"] = {"next": [{"to": "END"}]}
    bot.set_flow("main", {"start": "n000", "nodes": nodes})
    g = bot.graph(live=False)
    try:
        assert len([n for n in g._nodes if n.startswith("main.n")]) == 300
        view = g.cytoscape.cytoscape_layout
        assert (view["fit"], view["zoom"]) == (False, 0.8)
        start = g._nodes["main.n000"].position
        assert view["pan"]["x"] + 0.8 * start["x"] == pytest.approx(300)  # centred
        conv = bot.conversation("c")
        conv.say("hi")
        assert not marked(g, "current")  # live=False leaves turns alone
    finally:
        g.close()
