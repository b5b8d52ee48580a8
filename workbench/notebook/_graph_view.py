"""How the flow graph widget opens: the cytoscape layouts it offers, its first zoom and pan,
and the colour scale shown beside an overlay."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from workbench.notebook._graph_elements import GraphElements
from workbench.notebook._graph_layout import Layout
from workbench.notebook._graph_style import format_value

__all__ = ["ASSUMED_WIDTH", "BACK_BEND", "LAYOUTS", "first_view", "pixels", "scale_html"]

_FIT = {"fit": True, "padding": 24, "animate": False}
LAYOUTS: dict[str, dict[str, Any]] = {
    # "layered" = the Python layout (same picture as to_svg), shown with cytoscape's preset
    "layered": {"name": "preset", **_FIT},
    # bundled with ipycytoscape 1.3.3 (cytoscape-dagre, -klay, -cola) or built into cytoscape.js
    "dagre": {"name": "dagre", "rankDir": "TB", "nodeSep": 30, "rankSep": 60, **_FIT},
    "klay": {"name": "klay", "klay": {"direction": "DOWN", "spacing": 30}, **_FIT},
    "cola": {"name": "cola", "nodeSpacing": 20, **_FIT},
    "breadthfirst": {"name": "breadthfirst", "directed": True, "spacingFactor": 1.1, **_FIT},
    "cose": {"name": "cose", **_FIT},
    "grid": {"name": "grid", **_FIT},
    "circle": {"name": "circle", **_FIT},
    "concentric": {"name": "concentric", **_FIT},
}
BACK_BEND = 21.0  # px beside the layer positions that edges going back up run along
ASSUMED_WIDTH = 600.0  # px of canvas beside the details panel, for the first view
READABLE_ZOOM = 0.45  # below this a fitted graph's labels are too small to read
START_ZOOM = 0.8


def first_view(
    elements: GraphElements, layout: Layout, width: float, height: float
) -> dict[str, Any]:
    """Preset-layout options showing the graph in a ``width`` x ``height`` canvas."""
    zoom = min((width - 20) / (layout.width or 1), (height - 20) / (layout.height or 1), 1.0)
    if zoom >= READABLE_ZOOM:
        pan = {"x": (width - zoom * layout.width) / 2, "y": (height - zoom * layout.height) / 2}
        return {"fit": False, "zoom": zoom, "pan": pan}
    starts = [n["data"]["id"] for n in elements["nodes"] if n["data"].get("start")]
    start = layout.boxes.get(starts[0]) if starts else None
    start = start or next(iter(layout.boxes.values()))
    pan = {"x": width / 2 - START_ZOOM * start.x, "y": 40 - START_ZOOM * start.top}
    return {"fit": False, "zoom": START_ZOOM, "pan": pan}


def pixels(css: str, default: float = 600.0) -> float:
    text = css.strip().removesuffix("px")
    try:
        return float(text)
    except ValueError:
        return default


def scale_html(label: str, low: float, high: float, color: Callable[[float], str], fmt: Any) -> str:
    stops = ", ".join(color(i / 4) for i in range(5))
    return (
        f'<div style="display:flex;align-items:center;gap:6px;font-size:11px;margin-left:12px">'
        f"<span>{escape(label)}</span><span>{escape(format_value(low, fmt))}</span>"
        f'<span style="display:inline-block;width:120px;height:10px;'
        f'background:linear-gradient(to right, {stops});border:1px solid #d1d5db"></span>'
        f"<span>{escape(format_value(high, fmt))}</span></div>"
    )
