"""JupyterLab in Chromium: a notebook shows the flow graph and the emulator; clicking a quick
reply answers and moves the graph's highlight to the new node."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import SCREENSHOTS, Lab, open_notebook, run_all_cells, write_notebook

pytestmark = pytest.mark.browser

CELLS = [
    'import workbench as wb\nbot = wb.Bot.load("sample_bots/pizza", db="memory://")\n'
    "graph = bot.graph()\ngraph",
    'chat = bot.chat(graph=graph)\nchat.send("hi")\nchat',
]
CURRENT_NODES = """() => {
  const cys = Array.from(document.querySelectorAll('div'))
    .map(d => d._cyreg && d._cyreg.cy).filter(Boolean);
  return cys.flatMap(cy => cy.$('node.current').map(n => n.id()));
}"""


def test_graph_and_emulator_render_and_stay_in_sync(lab: Lab, browser: Any) -> None:
    page = open_notebook(browser, lab, write_notebook(lab, "e2e.ipynb", CELLS))
    run_all_cells(page)
    # the graph: cytoscape draws on canvases inside the widget
    page.wait_for_function("() => document.querySelectorAll('canvas').length > 0", timeout=60_000)
    page.wait_for_function(f"() => ({CURRENT_NODES})().includes('main.ask_size')", timeout=30_000)
    # the emulator: the bot's first replies and its quick replies
    page.get_by_text("What size would you like?").first.wait_for(timeout=30_000)
    large = page.get_by_role("button", name="Large", exact=True)
    large.wait_for(timeout=30_000)
    large.click()
    page.get_by_text("Which toppings?").first.wait_for(timeout=30_000)
    page.wait_for_function(
        f"() => ({CURRENT_NODES})().includes('main.ask_toppings')", timeout=30_000
    )
    assert page.evaluate(CURRENT_NODES) == ["main.ask_toppings"]
    if os.environ.get("WORKBENCH_SCREENSHOTS") == "1":
        save_screenshots(page)
    page.close()


def save_screenshots(page: Any) -> None:
    """``WORKBENCH_SCREENSHOTS=1 pytest tests/e2e`` refreshes the images in docs/img/."""
    outputs = page.locator(".jp-OutputArea-output")
    outputs.nth(0).screenshot(path=str(Path(SCREENSHOTS / "graph.png")))
    outputs.nth(outputs.count() - 1).screenshot(path=str(Path(SCREENSHOTS / "emulator.png")))
