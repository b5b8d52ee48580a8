"""What the browser tests of the JupyterLab extension share: a fresh copy of the pizza bot, a
flow document opened in the flow editor, where a graph node is drawn."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import SAMPLE_BOTS
from tests.e2e.conftest import Lab

GRAPH = ".jp-WorkbenchGraph"


def pizza_copy(lab: Lab, name: str) -> str:
    """A fresh copy of the pizza bot at ``name/pizza``; returns that path."""
    target = lab.root / name / "pizza"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(SAMPLE_BOTS / "pizza", target, ignore=shutil.ignore_patterns(".workbench"))
    return f"{name}/pizza"


def open_flow(browser: Any, lab: Lab, bot: str, flow: str = "main") -> Any:
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(lab.page_url(f"{bot}/flows/{flow}.flow.yml"))
    page.wait_for_selector(f"{GRAPH}[data-nodes]", timeout=60_000)
    return page


def node_point(page: Any, element_id: str) -> tuple[float, float]:
    """Where a graph node is drawn on the page (cytoscape draws on a canvas)."""
    point = page.evaluate(
        """([selector, id]) => {
            const container = document.querySelector(selector);
            const cy = container._cyreg.cy;
            const p = cy.getElementById(id).renderedPosition();
            const box = container.getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        [GRAPH, element_id],
    )
    return float(point[0]), float(point[1])


def graph_classes(page: Any, element_id: str) -> list[str]:
    return page.evaluate(
        """([selector, id]) => document.querySelector(selector)._cyreg.cy
            .getElementById(id).classes()""",
        [GRAPH, element_id],
    )


def workbench_lint(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", "lint", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )


def flow_saved(bot: str) -> Any:
    """A response predicate: the PUT that saves the bot's main flow (answered once written)."""

    def match(response: Any) -> bool:
        return response.request.method == "PUT" and response.url.split("?")[0].endswith(
            f"api/contents/{bot}/flows/main.flow.yml"
        )

    return match
