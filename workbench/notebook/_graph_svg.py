"""Static SVG of the flow graph, drawn from the Python layout: no browser needed.

One ``<g class="flow">`` frame per flow, one ``<g class="edge KIND">`` per transition (a path, its
condition as a label, the full text in ``<title>``), one ``<g class="node KIND">`` per node, in
that order so nodes sit on top. Highlight and overlay classes and colours of the widget carry over.
"""

from __future__ import annotations

import math
from collections import defaultdict
from html import escape
from typing import TYPE_CHECKING

from workbench.notebook._graph_layout import Box, Layout, Point, Route
from workbench.notebook._graph_style import EDGE_STYLES, ERROR, ERROR_FILL, FONT, NODE_STYLES, PATH

if TYPE_CHECKING:
    from workbench.notebook._graph_elements import EdgeElement, GraphElements, NodeElement

__all__ = ["graph_svg"]

MARGIN = 16.0
LABEL_CHARS = 32
LABEL_CHAR_WIDTH = 5.6  # at font-size 10
BACK_BEND = 42.0
PARALLEL_STEP = 26.0
LABEL_SPOTS = (0.5, 0.3, 0.7, 0.4, 0.6, 0.2, 0.8, 0.15, 0.9)  # along an edge's first leg
GRID = 100.0  # cell size of the label placer's spatial index


def _a(value: object) -> str:
    return escape(str(value), quote=True)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _clip(box: Box, toward: Point) -> Point:
    """Where the line from ``box``'s centre to ``toward`` leaves the box."""
    dx, dy = toward[0] - box.x, toward[1] - box.y
    if dx == 0 and dy == 0:
        return (box.x, box.y)
    scale = min(
        (box.width / 2) / abs(dx) if dx else math.inf,
        (box.height / 2) / abs(dy) if dy else math.inf,
    )
    scale = min(scale, 1.0)
    return (box.x + dx * scale, box.y + dy * scale)


def _shape(box: Box, shape: str, attrs: str) -> str:
    x, y, w, h = box.left, box.top, box.width, box.height
    if shape == "ellipse":
        return (
            f'<ellipse cx="{_n(box.x)}" cy="{_n(box.y)}" rx="{_n(w / 2)}" ry="{_n(h / 2)}" '
            f"{attrs}/>"
        )
    if shape in ("cut-rectangle", "hexagon", "rhomboid"):
        c = min(10.0, h / 3) if shape == "cut-rectangle" else min(h / 2, w / 4)
        if shape == "cut-rectangle":
            pts = [(x + c, y), (x + w - c, y), (x + w, y + c), (x + w, y + h - c),
                   (x + w - c, y + h), (x + c, y + h), (x, y + h - c), (x, y + c)]  # fmt: skip
        elif shape == "hexagon":
            pts = [(x + c, y), (x + w - c, y), (x + w, y + h / 2),
                   (x + w - c, y + h), (x + c, y + h), (x, y + h / 2)]  # fmt: skip
        else:
            pts = [(x + c, y), (x + w, y), (x + w - c, y + h), (x, y + h)]
        points = " ".join(f"{_n(px)},{_n(py)}" for px, py in pts)
        return f'<polygon points="{points}" {attrs}/>'
    return f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="8" ry="8" {attrs}/>'


def _node(node: NodeElement, box: Box) -> str:
    data = node["data"]
    classes = node["classes"].split()
    style = NODE_STYLES.get(data["kind"], NODE_STYLES["falls_through"])
    fill, stroke, text, width = style.fill, style.stroke, style.text, 2.0
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    if "start" in classes:
        width = 3.0
    if "overlay" in classes:
        fill = str(data.get("overlay_color", fill))
        text = str(data.get("overlay_text", text))
    if "path" in classes:
        stroke, width = PATH, 3.0
    if "current" in classes:
        stroke, width, dash = PATH, 6.0, ""
    if "error" in classes:
        fill, stroke, width = ERROR_FILL, ERROR, 4.0
    attrs = f'fill="{fill}" stroke="{stroke}" stroke-width="{_n(width)}"{dash}'
    lines = str(data.get("display", data["label"])).split("\n")
    first = box.y - (len(lines) - 1) * 7 + 4
    spans = "".join(
        f'<tspan x="{_n(box.x)}" y="{_n(first + 14 * i)}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    tip = escape(data.get("description") or data["id"])
    return (
        f'<g class="node {_a(" ".join(classes))}" id="{_a(data["id"])}"><title>{tip}</title>'
        f"{_shape(box, style.shape, attrs)}"
        f'<text text-anchor="middle" fill="{text}" font-size="12">{spans}</text></g>'
    )


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _label_box(text: str, at: Point, anchor: str) -> Box:
    width = LABEL_CHAR_WIDTH * len(_short(text)) + 4
    left = at[0] - width / 2 if anchor == "middle" else at[0] - 2
    return Box(left + width / 2, at[1], width, 13.0)


def _label(text: str, at: Point, anchor: str) -> str:
    if not text:
        return ""
    box = _label_box(text, at, anchor)
    return (
        f'<rect x="{_n(box.left)}" y="{_n(box.top)}" width="{_n(box.width)}" height="13" '
        f'fill="#ffffff" fill-opacity="0.85"/><text x="{_n(at[0])}" y="{_n(at[1] + 3.5)}" '
        f'text-anchor="{anchor}" font-size="10" fill="#374151">{escape(_short(text))}</text>'
    )


def _geometry(route: Route, a: Box, b: Box, bend: float) -> tuple[str, list[Point], str]:
    """An edge's path data, and where its label may go, best first (along its first leg)."""
    if route.loop:
        r = 16.0 + bend / 2
        x, y = a.right, a.y
        d = (
            f"M{_n(x)},{_n(y - 7)} C{_n(x + 2.4 * r)},{_n(y - 2 * r)} "
            f"{_n(x + 2.4 * r)},{_n(y + 2 * r)} {_n(x + 1)},{_n(y + 7)}"
        )
        return d, [(x + 1.9 * r + 2, y)], "start"
    points = list(route.points)
    if len(points) == 2 and bend:
        (x0, y0), (x1, y1) = points
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        nx, ny = (y1 - y0) / length, -(x1 - x0) / length
        control = ((x0 + x1) / 2 + nx * bend, (y0 + y1) / 2 + ny * bend)
        start, end = _clip(a, control), _clip(b, control)
        d = f"M{_n(start[0])},{_n(start[1])} Q{_n(control[0])},{_n(control[1])} "
        d += f"{_n(end[0])},{_n(end[1])}"
        candidates = [
            (
                (1 - t) ** 2 * start[0] + 2 * t * (1 - t) * control[0] + t**2 * end[0],
                (1 - t) ** 2 * start[1] + 2 * t * (1 - t) * control[1] + t**2 * end[1],
            )
            for t in LABEL_SPOTS
        ]
        return d, candidates, "middle"
    if route.back and len(points) > 2:
        points[1:-1] = [(x + BACK_BEND / 2, y) for x, y in points[1:-1]]
    points[0], points[-1] = _clip(a, points[1]), _clip(b, points[-2])
    d = "M" + " L".join(f"{_n(x)},{_n(y)}" for x, y in points)
    (x0, y0), (x1, y1) = points[0], points[1]
    return d, [(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t) for t in LABEL_SPOTS], "middle"


class _Labels:
    """Greedy label placement: the first spot along the edge that hits no box nor label."""

    def __init__(self, boxes: list[Box]) -> None:
        self.cells: dict[tuple[int, int], list[Box]] = defaultdict(list)
        for box in boxes:
            self.add(box)

    def _keys(self, box: Box) -> list[tuple[int, int]]:
        xs = range(int(box.left // GRID), int(box.right // GRID) + 1)
        ys = range(int(box.top // GRID), int(box.bottom // GRID) + 1)
        return [(x, y) for x in xs for y in ys]

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self.cells[key].append(box)

    def free(self, box: Box) -> bool:
        return not any(box.overlaps(other) for key in self._keys(box) for other in self.cells[key])

    def place(self, text: str, spots: list[Point], anchor: str) -> Point:
        for spot in spots:
            box = _label_box(text, spot, anchor)
            if self.free(box):
                self.add(box)
                return spot
        return spots[0]


def _edge(
    edge: EdgeElement, route: Route, ends: tuple[Box, Box], bend: float, labels: _Labels
) -> str:
    """One transition: its line, arrow and condition label."""
    data = edge["data"]
    classes = edge["classes"].split()
    style = EDGE_STYLES.get(data["kind"], EDGE_STYLES["next"])
    color, width, dash = style.color, style.width, style.dash
    if "overlay" in classes:
        color = str(data.get("overlay_color", color))
        width = float(data.get("overlay_width", width))  # type: ignore[arg-type]
    if "path" in classes:
        color, width, dash = PATH, 4.0, ""
    d, spots, anchor = _geometry(route, *ends, bend)
    text = str(data.get("display", data["label"]))
    at = labels.place(text, spots, anchor) if text else spots[0]
    marker = "path" if "path" in classes else data["kind"]
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    tip = f"{data['source']} → {data['target']}" + (f" when {data['when']}" if data["when"] else "")
    return (
        f'<g class="edge {_a(" ".join(classes))}" data-id="{_a(data["id"])}" '
        f'data-source="{_a(data["source"])}" data-target="{_a(data["target"])}">'
        f"<title>{escape(tip)}</title>"
        f'<path d="{d}" fill="none" stroke="{color}" stroke-width="{_n(width)}"{dashes} '
        f'marker-end="url(#arrow-{marker})"/>{_label(text, at, anchor)}</g>'
    )


def _bends(elements: GraphElements, layout: Layout) -> dict[str, float]:
    """How far each straight edge bows out: back edges to one side, parallel edges fanned."""
    seen: dict[tuple[str, str], int] = defaultdict(int)
    bends: dict[str, float] = {}
    for edge in elements["edges"]:
        data = edge["data"]
        route = layout.routes.get(data["id"])
        if route is None:
            continue
        pair = (data["source"], data["target"])
        index = seen[pair]
        seen[pair] += 1
        if route.loop:
            bends[data["id"]] = index * 14.0
            continue
        bend = BACK_BEND if route.back else 0.0
        if index:
            bend += PARALLEL_STEP * ((index + 1) // 2) * (1 if index % 2 else -1)
        if data["kind"] in ("call", "return") and not bend:
            bend = BACK_BEND / 2
        bends[data["id"]] = bend
    return bends


def _markers() -> str:
    colors = {kind: s.color for kind, s in EDGE_STYLES.items()} | {"path": PATH}
    return "".join(
        f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{color}"/></marker>'
        for kind, color in colors.items()
    )


def graph_svg(elements: GraphElements, layout: Layout, *, title: str = "") -> str:
    """The whole picture as one standalone SVG document."""
    width, height = layout.width + 2 * MARGIN, layout.height + 2 * MARGIN
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="{_n(-MARGIN)} {_n(-MARGIN)} {_n(width)} {_n(height)}" '
        f'font-family="{_a(FONT)}">',
        f"<title>{escape(title or 'flow graph')}</title>",
        f"<defs>{_markers()}</defs>",
        f'<rect x="{_n(-MARGIN)}" y="{_n(-MARGIN)}" width="{_n(width)}" height="{_n(height)}" '
        f'fill="#ffffff"/>',
    ]
    flow = NODE_STYLES["flow"]
    frame_attrs = f'fill="{flow.fill}" stroke="{flow.stroke}"'
    for node in elements["nodes"]:
        frame = layout.frames.get(node["data"]["id"])
        if frame is not None:
            parts.append(
                f'<g class="flow" id="{_a(node["data"]["id"])}">'
                f"{_shape(frame, 'round-rectangle', frame_attrs)}"
                f'<text x="{_n(frame.x)}" y="{_n(frame.top + 18)}" text-anchor="middle" '
                f'font-size="14" font-weight="bold" fill="#374151">{escape(node["data"]["label"])}'
                f"</text></g>"
            )
    bends = _bends(elements, layout)
    labels = _Labels(list(layout.boxes.values()))
    for edge in elements["edges"]:
        data = edge["data"]
        route = layout.routes.get(data["id"])
        a, b = layout.boxes.get(data["source"]), layout.boxes.get(data["target"])
        if route is not None and a is not None and b is not None:
            parts.append(_edge(edge, route, (a, b), bends.get(data["id"], 0.0), labels))
    for node in elements["nodes"]:
        box = layout.boxes.get(node["data"]["id"])
        if box is not None:
            parts.append(_node(node, box))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
