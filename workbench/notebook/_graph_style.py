"""How the flow graph looks: one palette for the widget's cytoscape stylesheet and the SVG export.

Kinds differ by shape and border as well as colour (readable in greyscale and by colour-blind
readers): a node that waits has a solid border, one that falls through a dashed one, a call has cut
corners, an ending node is green; END/RETURN are dark ellipses. The last turn's path is orange,
the current node gets a thick orange border, a node where a turn failed is red.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "EDGE_STYLES",
    "ERROR",
    "NODE_STYLES",
    "PATH",
    "Colormap",
    "EdgeStyle",
    "NodeStyle",
    "colormap",
    "cytoscape_style",
    "format_value",
    "text_color",
]

PATH = "#ea580c"
ERROR = "#dc2626"
ERROR_FILL = "#fee2e2"
FONT = "Helvetica, Arial, sans-serif"  # cytoscape refuses quoted family names


@dataclass(frozen=True)
class NodeStyle:
    fill: str
    stroke: str
    shape: str  # a cytoscape shape name; the SVG export draws the same
    text: str = "#111827"
    dash: str = ""  # "" = solid border
    title: str = ""  # for the legend


@dataclass(frozen=True)
class EdgeStyle:
    color: str
    dash: str = ""
    width: float = 1.5
    title: str = ""


NODE_STYLES: dict[str, NodeStyle] = {
    "waits": NodeStyle("#dbeafe", "#1d4ed8", "round-rectangle", title="waits for the user"),
    "falls_through": NodeStyle(
        "#f3f4f6", "#4b5563", "round-rectangle", dash="5 3", title="falls through"
    ),
    "calls": NodeStyle("#f3e8ff", "#7e22ce", "cut-rectangle", title="calls a sub-flow"),
    "ends": NodeStyle("#dcfce7", "#15803d", "round-rectangle", title="ends the conversation"),
    "end": NodeStyle("#374151", "#111827", "ellipse", text="#ffffff", title="END"),
    "return": NodeStyle("#6b7280", "#374151", "ellipse", text="#ffffff", title="RETURN"),
    "catch_all": NodeStyle("#fef9c3", "#a16207", "hexagon", title="catch-all"),
    "timeout": NodeStyle("#ccfbf1", "#0f766e", "hexagon", title="timeout"),
    "flow_ref": NodeStyle("#ffffff", "#7e22ce", "rhomboid", dash="5 3", title="another flow"),
    "flow": NodeStyle("#f9fafb", "#9ca3af", "round-rectangle", title="flow"),
}

EDGE_STYLES: dict[str, EdgeStyle] = {
    "next": EdgeStyle("#6b7280", title="next"),
    "call": EdgeStyle("#7e22ce", "6 4", 2.0, title="call"),
    "return": EdgeStyle("#7e22ce", "2 3", 2.0, title="return"),
    "catch_all": EdgeStyle("#a16207", "6 4", title="catch-all"),
    "timeout": EdgeStyle("#0f766e", "2 3", title="timeout"),
}

Colormap = str | Sequence[str] | Callable[[float], str]
"""A palette name (``blues``, ``reds``, ``greens``, ``viridis``), colour stops, or a function of
a value scaled to 0..1 returning a CSS colour."""

PALETTES: dict[str, tuple[str, ...]] = {
    "blues": ("#eff6ff", "#bfdbfe", "#60a5fa", "#2563eb", "#1e3a8a"),
    "reds": ("#fff5f0", "#fcbba1", "#fb6a4a", "#cb181d", "#67000d"),
    "greens": ("#f0fdf4", "#bbf7d0", "#4ade80", "#16a34a", "#14532d"),
    "viridis": ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"),
}


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def colormap(cmap: Colormap) -> Callable[[float], str]:
    """A function from 0..1 to a ``#rrggbb`` colour, interpolating between the stops."""
    if callable(cmap):
        return cmap
    stops = PALETTES[cmap] if isinstance(cmap, str) else tuple(cmap)
    if isinstance(cmap, str) and cmap not in PALETTES:
        raise ValueError(f"unknown colour map {cmap!r} (known: {', '.join(PALETTES)})")
    if not stops:
        raise ValueError("a colour map needs at least one colour")
    rgb = [_rgb(s) for s in stops]

    def color(t: float) -> str:
        t = min(max(t, 0.0), 1.0) * (len(rgb) - 1)
        i = min(int(t), len(rgb) - 2) if len(rgb) > 1 else 0
        a, b = rgb[i], rgb[min(i + 1, len(rgb) - 1)]
        f = t - i
        return "#{:02x}{:02x}{:02x}".format(
            *(round(x + (y - x) * f) for x, y in zip(a, b, strict=True))
        )

    return color


def text_color(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (a ``#rrggbb`` colour)."""
    try:
        r, g, b = _rgb(background)
    except ValueError:
        return "#111827"
    return "#111827" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


def format_value(value: float, fmt: str | Callable[[float], str] | None = None) -> str:
    """``fmt`` (a format string such as ``"{:.0%}"`` or a function), else a short number."""
    if callable(fmt):
        return fmt(value)
    if fmt is not None:
        return fmt.format(value)
    if float(value).is_integer() and abs(value) < 1e9:
        return f"{int(value):,}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:,.1f}"


def cytoscape_style() -> list[dict[str, Any]]:
    """The widget's stylesheet (cytoscape.js selectors), from the palette above."""
    style: list[dict[str, Any]] = [
        {
            "selector": "node",
            "style": {
                "label": "data(display)",
                "font-family": FONT,
                "font-size": 12,
                "text-valign": "center",
                "text-halign": "center",
                "text-wrap": "wrap",
                "border-width": 2,
            },
        },
        {
            "selector": "node[width]",
            "style": {
                "width": "data(width)",
                "height": "data(height)",
                "text-max-width": "data(width)",
            },
        },
        {
            "selector": "edge",
            "style": {
                "curve-style": "bezier",
                "target-arrow-shape": "triangle",
                "arrow-scale": 1.1,
                "label": "data(display)",
                "font-family": FONT,
                "font-size": 10,
                "color": "#374151",
                "text-wrap": "ellipsis",
                "text-max-width": "160px",
                "text-background-color": "#ffffff",
                "text-background-opacity": 0.85,
                "text-background-padding": "1px",
                "loop-direction": "90deg",
                "loop-sweep": "-60deg",
            },
        },
    ]
    for kind, s in NODE_STYLES.items():
        css: dict[str, Any] = {
            "background-color": s.fill,
            "border-color": s.stroke,
            "shape": s.shape,
            "color": s.text,
        }
        if s.dash:
            css["border-style"] = "dashed"
        if kind == "flow":
            css |= {
                "label": "data(label)",
                "text-valign": "top",
                "text-halign": "center",
                "font-size": 14,
                "font-weight": "bold",
                "border-width": 1,
                "padding": "18px",
                "color": "#374151",
            }
        style.append({"selector": f"node.{kind}", "style": css})
    for kind, e in EDGE_STYLES.items():
        css = {"line-color": e.color, "target-arrow-color": e.color, "width": e.width}
        if e.dash:
            css["line-style"] = "dashed" if e.dash.startswith("6") else "dotted"
        style.append({"selector": f"edge.{kind}", "style": css})
    style += [
        {"selector": "node.start", "style": {"border-width": 3}},
        {
            "selector": "edge.routed",
            "style": {
                "curve-style": "segments",
                "segment-distances": "data(seg_d)",
                "segment-weights": "data(seg_w)",
                "edge-distances": "node-position",
            },
        },
        {
            "selector": "node.overlay",
            "style": {"background-color": "data(overlay_color)", "color": "data(overlay_text)"},
        },
        {
            "selector": "edge.overlay",
            "style": {
                "line-color": "data(overlay_color)",
                "target-arrow-color": "data(overlay_color)",
                "width": "data(overlay_width)",
            },
        },
        {"selector": "node.path", "style": {"border-color": PATH, "border-width": 3}},
        {
            "selector": "edge.path",
            "style": {
                "line-color": PATH,
                "target-arrow-color": PATH,
                "width": 4,
                "line-style": "solid",
                "z-index": 10,
            },
        },
        {
            "selector": "node.current",
            "style": {"border-color": PATH, "border-width": 6, "border-style": "double"},
        },
        {
            "selector": "node.error",
            "style": {"background-color": ERROR_FILL, "border-color": ERROR, "border-width": 4},
        },
        {
            "selector": "node:selected",
            "style": {"overlay-color": "#1d4ed8", "overlay-opacity": 0.12},
        },
    ]
    return style


def legend_html(kinds: Mapping[str, NodeStyle] = NODE_STYLES) -> str:
    """Small swatches naming each kind of node, for the details panel."""
    chips = []
    for kind, s in kinds.items():
        if kind == "flow":
            continue
        border = "dashed" if s.dash else "solid"
        radius = "50%" if s.shape == "ellipse" else "4px"
        chips.append(
            f'<span style="display:inline-flex;align-items:center;margin:2px 8px 2px 0">'
            f'<span style="display:inline-block;width:18px;height:12px;background:{s.fill};'
            f'border:2px {border} {s.stroke};border-radius:{radius};margin-right:4px"></span>'
            f"{s.title}</span>"
        )
    chips.append(
        f'<span style="display:inline-flex;align-items:center;margin:2px 8px 2px 0">'
        f'<span style="display:inline-block;width:18px;height:0;border-top:3px solid {PATH};'
        f'margin-right:4px"></span>last turn</span>'
    )
    return f'<div style="font-size:11px;line-height:1.4">{"".join(chips)}</div>'
