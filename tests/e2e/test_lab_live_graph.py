"""JupyterLab in Chromium: a graph drawn from a bot built in cells follows the cells run after it.

The notebook draws the graph of a one-flow bot; once the page shows it, the later cells add a
flow, call it from ``main`` and run a turn that fails in it. The same drawn graph (no redraw by
hand) then shows every node of both flows, the failed turn's path up to the failing node, that
node in red, and the emulator's debugger marks the failure. Then one cell per kind of change
(a node added, a node removed, a flow renamed, a flow removed, a message's text changed): after
each, the graph, its flow picker, its details panel and the emulator show the bot as it is.

The tutorial ``notebooks/01-first-bot.ipynb`` run whole (Run All): its graph, drawn before the
live edit added the ``pay`` flow, shows all 12 nodes, and still does after the flow picker went to
``pay`` and back to "every flow" and after "fit", every node inside the canvas.
"""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import Lab, open_notebook, run_all_cells, write_notebook

pytestmark = pytest.mark.browser

MAIN = """%%flow main
start: hello
nodes:
  hello:
    on_enter: [{say: {text: "Coffee or tea?"}}]
    on_receive: [{set: {drink: "{{ text }}"}}]
    next: [{to: END}]
"""
PAY_FLOW = """start: ask_method
nodes:
  ask_method:
    on_enter: [{say: {text: "Card or cash?"}}]
    on_receive: [{set: {method: "{{ text }}"}}]
    next: [{to: charge}]
  charge:
    on_enter: [{do: charge}]
    next: [{to: RETURN}]
"""
PAY = f"%%flow pay\n{PAY_FLOW}"
MAIN_CALLS_PAY = """%%flow main
start: hello
nodes:
  hello:
    on_enter: [{say: {text: "Coffee or tea?"}}]
    on_receive: [{set: {drink: "{{ text }}"}}]
    next: [{to: pay}]
  pay:
    call: pay
    next: [{to: END}]
"""
CHARGE = """@bot.add_action
def charge(ctx):
    raise RuntimeError("the card reader is offline")
"""
# one cell per kind of change, run after the failed turn
PAY_WITH_RECEIPT = PAY.replace("next: [{to: charge}]", "next: [{to: receipt}]") + (
    "  receipt:\n    on_enter: [{say: {text: Receipt?}}]\n    next: [{to: charge}]\n"
)
MAIN_CALLS_CHECKOUT = MAIN_CALLS_PAY.removeprefix("%%flow main\n").replace("pay", "checkout")
RENAME_PAY = (  # a flow renamed: the same flow under a new name, its caller, the old one removed
    f'bot.set_flow("checkout", """{PAY_FLOW}""")\n'
    f'bot.set_flow("main", """{MAIN_CALLS_CHECKOUT}""")\n'
    'bot.remove_flow("pay")'
)
MAIN_SAYS_GREET = MAIN.removeprefix("%%flow main\n").replace('{text: "Coffee or tea?"}', "greet")
REMOVE_CHECKOUT = (  # a flow removed (main now says a content element)
    'bot.set_content("greet", "Coffee or tea?")\n'
    f'bot.set_flow("main", """{MAIN_SAYS_GREET}""")\n'
    'bot.remove_flow("checkout")'
)
NEW_TEXT = "%%content\ngreet: Tea, coffee or juice?"
CELLS = [
    "%load_ext workbench\nimport workbench as wb\nbot = wb.Bot.new('coffee')",
    MAIN,
    "graph = bot.graph()\ngraph",
    # --- run once the page shows the graph above
    CHARGE,
    PAY,
    MAIN_CALLS_PAY,
    "chat = bot.chat(graph=graph)\nchat.send('hi')\nchat.send('tea')\nchat.send('card')\nchat",
    "print('last cell done:', chat.conversation.last_error)",
    # --- then one at a time
    PAY_WITH_RECEIPT,
    PAY,
    RENAME_PAY,
    REMOVE_CHECKOUT,
    NEW_TEXT,
    "print('listening:', len(bot.change_listeners))",
]
LATER = 3  # the first cell that runs after the graph is on the page
CHANGES = 8  # the first cell of one change
# every cytoscape instance on the page, with its nodes and their classes
CANVASES = """() => Array.from(document.querySelectorAll('div'))
  .map(d => d._cyreg && d._cyreg.cy).filter(Boolean)
  .map(cy => cy.nodes().map(n => [n.id(), n.classes()]))"""
MAIN_NODES = {"flow:main", "main.hello", "main.END"}
BOTH_FLOWS = {
    "flow:main",
    "main.hello",
    "main.pay",
    "main.END",
    "flow:pay",
    "pay.ask_method",
    "pay.charge",
    "pay.RETURN",
}
RENAMED = {
    "flow:main",
    "main.hello",
    "main.checkout",
    "main.END",
    "flow:checkout",
    "checkout.ask_method",
    "checkout.charge",
    "checkout.RETURN",
}
# after each change cell: the nodes drawn and the flow picker's choices
AFTER_CHANGE = [
    (BOTH_FLOWS | {"pay.receipt"}, ["every flow", "main", "pay"]),
    (BOTH_FLOWS, ["every flow", "main", "pay"]),
    (RENAMED, ["every flow", "main", "checkout"]),
    (MAIN_NODES, ["every flow", "main"]),
]
PICKER = ".jp-OutputArea-output select"


def drawn(page: Any) -> list[dict[str, list[str]]]:
    """Each canvas on the page: node id -> its classes."""
    return [{node: classes for node, classes in cy} for cy in page.evaluate(CANVASES)]


def wait_for_nodes(page: Any, ids: set[str]) -> None:
    wanted = sorted(ids)
    page.wait_for_function(
        f"""() => ({CANVASES})().some(cy => {{
          const ids = cy.map(([id]) => id).sort();
          return JSON.stringify(ids) === JSON.stringify({wanted!r});
        }})""",
        timeout=60_000,
    )


def run_from_menu(page: Any, cell: int, item: str) -> None:
    """Select code cell ``cell`` (by its prompt) and pick ``item`` in the Run menu."""
    page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt").nth(cell).click()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name=item, exact=True).click()


def run_cells(page: Any, first: int, count: int = 1) -> None:
    """Run ``count`` code cells from ``first`` on, as Shift+Enter does one after the other."""
    page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt").nth(first).click()
    for _ in range(count):
        page.keyboard.press("Shift+Enter")


def picker_choices(page: Any) -> list[str]:
    options = page.locator(PICKER).first.evaluate("s => Array.from(s.options).map(o => o.text)")
    return [text.replace("\xa0", " ") for text in options]


def click_node(page: Any, element_id: str) -> None:
    """Click a node of the (only) notebook graph where cytoscape drew it: the canvas scrolled
    into the middle of the window, once cytoscape has its size (a canvas made while scrolled
    out of sight is sized when it shows, a moment later)."""
    container = "Array.from(document.querySelectorAll('div')).find(d => d._cyreg && d._cyreg.cy)"
    page.evaluate(f"() => ({container}).scrollIntoView({{block: 'center'}})")
    page.wait_for_function(
        f"""() => {{
            const container = {container};
            const cy = container._cyreg.cy, box = container.getBoundingClientRect();
            return Math.abs(cy.width() - box.width) < 3 && Math.abs(cy.height() - box.height) < 3;
        }}""",
        timeout=30_000,
    )
    x, y = page.evaluate(
        f"""id => {{
            const container = {container};
            const p = container._cyreg.cy.getElementById(id).renderedPosition();
            const box = container.getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }}""",
        element_id,
    )
    page.mouse.click(x, y)


def test_the_drawn_graph_follows_later_cells(lab: Lab, browser: Any) -> None:
    page = open_notebook(browser, lab, write_notebook(lab, "live-graph.ipynb", CELLS))
    run_from_menu(page, LATER, "Run All Above Selected Cell")
    wait_for_nodes(page, MAIN_NODES)  # the graph is on the page, with main's nodes

    run_cells(page, LATER, CHANGES - LATER)
    page.get_by_text("last cell done: action 'charge' failed").wait_for(timeout=60_000)
    outputs = "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    assert "Traceback" not in outputs, outputs
    check_failed_turn(page)
    check_every_kind_of_change(page)
    check_a_graph_cell_run_again(page)
    page.close()


def check_a_graph_cell_run_again(page: Any) -> None:
    """The graph's cell run again: its new graph replaces the old one on the page, and the old
    one stops following the bot (JupyterLab sends the cell's id with each run)."""
    run_cells(page, 2)
    run_cells(page, len(CELLS) - 1)
    page.get_by_text("listening: 2").wait_for(timeout=60_000)  # the new graph and the emulator
    assert [set(canvas) for canvas in drawn(page)] == [MAIN_NODES]


def check_failed_turn(page: Any) -> None:
    """The graph drawn before the flow existed shows both flows, nothing else is drawn, and the
    failed turn: its path up to the failure, the failing node in red; the conversation stays
    where it waited before the turn. The emulator's debugger lists the steps up to the failure,
    the failure marked."""
    wait_for_nodes(page, BOTH_FLOWS)
    page.wait_for_function(
        f"() => ({CANVASES})().some(cy => cy.some(([id, c]) => id === 'pay.charge'"
        " && c.includes('error')))",
        timeout=30_000,
    )
    [canvas] = drawn(page)
    assert set(canvas) == BOTH_FLOWS
    marked = {node for node, classes in canvas.items() if "path" in classes}
    assert {"pay.ask_method", "pay.charge"} <= marked, canvas
    assert [n for n, classes in canvas.items() if "error" in classes] == ["pay.charge"]
    assert [n for n, classes in canvas.items() if "current" in classes] == ["pay.ask_method"]
    failed = page.locator(".wb-failed")
    failed.first.wait_for(timeout=30_000)
    assert "failed at pay.charge" in failed.first.inner_text()
    assert "the card reader is offline" in failed.first.inner_text()


def check_every_kind_of_change(page: Any) -> None:
    """A node added, a node removed, a flow renamed, a flow removed: each redraws the one
    graph and its flow picker; a message's new text shows in the details of the node that says
    it, and the emulator announces every edit."""
    from playwright.sync_api import expect  # there: the browser fixture ran

    for cell, (nodes, choices) in enumerate(AFTER_CHANGE, start=CHANGES):
        run_cells(page, cell)
        wait_for_nodes(page, nodes)
        assert [set(canvas) for canvas in drawn(page)] == [nodes]
        assert picker_choices(page) == choices
    graph = page.locator(".jp-OutputArea-output", has=page.get_by_role("button", name="fit"))
    click_node(page, "main.hello")
    # its details (text content: the output may be scrolled out of the window, undrawn)
    expect(graph).to_contain_text("say greet (text)Coffee or tea?", timeout=30_000)

    run_cells(page, CHANGES + len(AFTER_CHANGE))  # the message's text changed
    expect(graph).to_contain_text("say greet (text)Tea, coffee or juice?", timeout=30_000)
    log = page.locator(".jp-OutputArea-output").filter(has_text="💬 coffee")
    expect(log).to_contain_text("bot updated (content, NLU or actions changed)")
    updates = log.text_content().count("bot updated (flows changed)")
    assert updates >= len(AFTER_CHANGE), log.text_content()


TUTORIAL = "notebooks/01-first-bot.ipynb"
MAIN_FLOW = ["welcome", "ask_drink", "ask_size", "confirm", "pay", "thanks", "END"]
PAY_FLOW_NODES = {"flow:pay", "pay.ask_method", "pay.paid", "pay.RETURN"}
TUTORIAL_NODES = {"flow:main", *(f"main.{n}" for n in MAIN_FLOW), *PAY_FLOW_NODES}
# nodes of the first canvas outside the part of the graph the canvas shows (by more than a
# graph unit: "fit" puts the outermost boxes on the edges)
OUTSIDE = """() => {
  const cy = Array.from(document.querySelectorAll('div')).find(d => d._cyreg && d._cyreg.cy)
    ._cyreg.cy;
  const view = cy.extent();
  return cy.nodes().filter(n => {
    const box = n.boundingBox();
    return box.x1 < view.x1 - 1 || box.x2 > view.x2 + 1 || box.y1 < view.y1 - 1
      || box.y2 > view.y2 + 1;
  }).map(n => n.id());
}"""


def test_the_tutorial_graph_shows_the_flow_added_after_it(lab: Lab, browser: Any) -> None:
    """The tutorial run whole: its graph (drawn before the live edit) shows both flows, one flow
    when picked, both again, and every node after "fit"."""
    shutil.copy(ROOT / TUTORIAL, lab.root / "first-bot.ipynb")
    page = open_notebook(browser, lab, "first-bot.ipynb")
    run_all_cells(page)
    page.get_by_text("versions match: True").wait_for(timeout=120_000)
    outputs = "\n".join(page.locator(".jp-OutputArea-output").all_text_contents())
    assert "Traceback" not in outputs, outputs
    assert len(TUTORIAL_NODES) == 12
    wait_for_nodes(page, TUTORIAL_NODES)

    picker = page.locator(PICKER).first
    picker.scroll_into_view_if_needed()
    assert picker_choices(page) == ["every flow", "main", "pay"]
    picker.select_option(label="pay")
    wait_for_nodes(page, PAY_FLOW_NODES)
    picker.select_option(label="every flow")
    wait_for_nodes(page, TUTORIAL_NODES)
    page.get_by_role("button", name="fit").click()
    page.wait_for_function(f"() => ({OUTSIDE})().length === 0", timeout=30_000)
    [canvas] = drawn(page)
    assert set(canvas) == TUTORIAL_NODES
    page.close()
