"""JupyterLab in Chromium: a graph drawn from a bot built in cells follows the cells run after it.

The notebook draws the graph of a one-flow bot; once the page shows it, the later cells add a
flow, call it from ``main`` and run a turn that fails in it. The same drawn graph (no redraw by
hand) then shows every node of both flows, the failed turn's path up to the failing node, that
node in red, and the emulator's debugger marks the failure.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Lab, open_notebook, write_notebook

pytestmark = pytest.mark.browser

MAIN = """%%flow main
start: hello
nodes:
  hello:
    on_enter: [{say: {text: "Coffee or tea?"}}]
    on_receive: [{set: {drink: "{{ text }}"}}]
    next: [{to: END}]
"""
PAY = """%%flow pay
start: ask_method
nodes:
  ask_method:
    on_enter: [{say: {text: "Card or cash?"}}]
    on_receive: [{set: {method: "{{ text }}"}}]
    next: [{to: charge}]
  charge:
    on_enter: [{do: charge}]
    next: [{to: RETURN}]
"""
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
]
LATER = 3  # the first cell that runs after the graph is on the page
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


def test_the_drawn_graph_follows_later_cells(lab: Lab, browser: Any) -> None:
    page = open_notebook(browser, lab, write_notebook(lab, "live-graph.ipynb", CELLS))
    run_from_menu(page, LATER, "Run All Above Selected Cell")
    wait_for_nodes(page, MAIN_NODES)  # the graph is on the page, with main's nodes

    run_from_menu(page, LATER, "Run Selected Cell and All Below")
    page.get_by_text("last cell done: action 'charge' failed").wait_for(timeout=60_000)
    outputs = "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    assert "Traceback" not in outputs, outputs

    # the graph drawn before the flow existed shows both flows, and nothing else is drawn
    wait_for_nodes(page, BOTH_FLOWS)
    page.wait_for_function(
        f"() => ({CANVASES})().some(cy => cy.some(([id, c]) => id === 'pay.charge'"
        " && c.includes('error')))",
        timeout=30_000,
    )
    [canvas] = drawn(page)
    assert set(canvas) == BOTH_FLOWS
    # the failed turn: its path up to the failure, the failing node in red; the conversation
    # stays where it waited before the turn
    marked = {node for node, classes in canvas.items() if "path" in classes}
    assert {"pay.ask_method", "pay.charge"} <= marked, canvas
    assert [n for n, classes in canvas.items() if "error" in classes] == ["pay.charge"]
    assert [n for n, classes in canvas.items() if "current" in classes] == ["pay.ask_method"]
    # the emulator's debugger lists the steps up to the failure, the failure marked
    failed = page.locator(".wb-failed")
    failed.first.wait_for(timeout=30_000)
    assert "failed at pay.charge" in failed.first.inner_text()
    assert "the card reader is offline" in failed.first.inner_text()
    page.close()
