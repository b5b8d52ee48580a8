"""In-browser render time of a 300-node flow graph, in JupyterLab and Debian's Chromium.

    python benchmarks/graph_browser.py [--nodes 300] [--runs 3]

Starts JupyterLab on a scratch folder, opens a notebook whose cell builds ``bot.graph()`` for a
generated flow (``benchmarks/graph.py``'s shape) and measures, in the page, the time from the
moment the widget's output area appears to the moment cytoscape holds every node with a position
and has drawn. Also reports the whole cell (kernel work + transfer + render). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
from _browser import CHROMIUM_ARGS, start_lab
from playwright.sync_api import sync_playwright

CELL = """import workbench as wb
from workbench.testing import big_flow
bot = wb.Bot.new("big")
bot.set_flow("main", big_flow({nodes}))
graph = bot.graph()
graph"""
CY_READY = """(n) => {
  const cy = Array.from(document.querySelectorAll('div')).map(d => d._cyreg && d._cyreg.cy)
    .filter(Boolean)[0];
  return !!cy && cy.nodes().length >= n && cy.nodes().every(x => x.renderedPosition().x !== 0);
}"""


def measure(page: Any, url: str, nodes: int) -> dict[str, float]:
    page.goto(url)
    page.get_by_text("| Idle").first.wait_for(timeout=60_000)
    page.locator(".jp-Cell").first.click()
    started = time.perf_counter()
    page.keyboard.press("Shift+Enter")
    page.wait_for_selector(".jp-OutputArea-output .lm-Widget", timeout=120_000)
    shown = time.perf_counter()
    page.wait_for_function(CY_READY, arg=nodes, timeout=120_000, polling="raf")
    drawn = time.perf_counter()
    return {"render_s": round(drawn - shown, 3), "cell_s": round(drawn - started, 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="graph-browser-"))
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(CELL.format(nodes=options.nodes))]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, root / "big.ipynb")
    server, port, token = start_lab(root)
    url = f"http://127.0.0.1:{port}/lab/tree/big.ipynb?token={token}"
    runs = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
            )
            for _ in range(options.runs):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                runs.append(measure(page, url, options.nodes))
                page.close()
                print(f"[graph-browser] {runs[-1]}", file=sys.stderr)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    render = statistics.median(r["render_s"] for r in runs)
    print(
        json.dumps(
            {
                "benchmark": "graph_browser",
                "nodes": options.nodes,
                "runs": runs,
                "render_s_median": render,
                "cell_s_median": statistics.median(r["cell_s"] for r in runs),
                "target": {"render_s": "< 1.5", "met": render < 1.5},
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
