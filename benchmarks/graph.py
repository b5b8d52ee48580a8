"""Flow graph benchmark: the Python side of ``bot.graph()`` for large flows.

    python benchmarks/graph.py [--sizes 100,300,1000] [--runs 5]

Prints one JSON object on stdout (progress goes to stderr). For a generated flow of each size (a
menu and six chains of questions with retries, skips, jumps back and a way back to the menu:
``tests/notebook/test_graph.py::big_flow``'s shape), the median milliseconds of:

- ``elements_ms``: ``graph_elements(flows)`` (the cytoscape JSON the server API returns);
- ``layout_ms``: the layered layout (cycle breaking, layering, ordering, coordinates);
- ``svg_ms``: the static SVG export from that layout;
- ``widget_ms``: ``FlowGraph(bot)`` with no browser attached (element widgets + layout);
- ``highlight_ms``: one live highlight (current node + a 4-node path), as after every turn;
- ``refresh_ms``: a refresh after an edit that changes one condition (elements updated in place)
  plus the edit itself (``bot.set_flow``, which compiles the flow): ``set_flow_ms`` alone.

The in-browser render time is measured by the browser tests, not here.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from importlib import metadata
from typing import Any

import workbench as wb
from workbench.notebook._graph import FlowGraph
from workbench.notebook._graph_elements import graph_elements
from workbench.notebook._graph_layout import layout_elements
from workbench.notebook._graph_svg import graph_svg
from workbench.testing import big_flow


def log(message: str) -> None:
    print(f"[graph] {message}", file=sys.stderr, flush=True)


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def measure(size: int, runs: int) -> dict[str, Any]:
    bot = wb.Bot.new("bench")
    flow = big_flow(size)
    bot.set_flow("main", flow)
    flows = bot.flows
    elements = graph_elements(flows)
    layout = layout_elements(elements)
    graph = FlowGraph(bot, live=False)
    path = ["main.menu", "main.s0_000", "main.s0_001", "main.s0_002"]
    edited = json.loads(json.dumps(flow))
    edited["nodes"]["menu"]["next"][0]["when"] = "intent == 'first'"
    versions = [flow, edited]

    bot.change_listeners.remove(graph._on_change)  # refresh by hand, after each edit

    def refresh() -> None:
        graph.refresh()
        versions.reverse()
        bot.set_flow("main", versions[0])

    figures = {
        "nodes": len(elements["nodes"]),
        "edges": len(elements["edges"]),
        "elements_ms": median_ms(lambda: graph_elements(flows), runs),
        "layout_ms": median_ms(lambda: layout_elements(elements), runs),
        "svg_ms": median_ms(lambda: graph_svg(elements, layout), runs),
        "widget_ms": median_ms(lambda: FlowGraph(bot, live=False).close(), runs),
        "highlight_ms": median_ms(lambda: graph.highlight(path[-1], path), runs),
        "refresh_ms": median_ms(refresh, runs),
        "set_flow_ms": median_ms(lambda: bot.set_flow("main", flow), runs),
        "layout_size_px": [round(layout.width), round(layout.height)],
    }
    graph.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, Any] = {}
    for size in (int(s) for s in args.sizes.split(",")):
        log(f"{size} nodes")
        results[str(size)] = measure(size, args.runs)
    print(
        json.dumps(
            {
                "benchmark": "graph",
                "python": platform.python_version(),
                "ipycytoscape": metadata.version("ipycytoscape"),
                "runs": args.runs,
                "sizes": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
