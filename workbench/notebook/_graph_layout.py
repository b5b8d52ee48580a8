"""The flow graph's layout, computed in Python: each flow laid out on its own, top to bottom
(``_graph_layered``), then the flows' frames packed in rows. The widget shows this with
cytoscape's ``preset`` layout and the SVG export draws the same boxes, so both pictures agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.notebook._graph_layered import Box, LayeredGroup, Point, Route

if TYPE_CHECKING:  # the element types only: _graph_elements imports this module
    from workbench.notebook._graph_elements import GraphElements, NodeData

__all__ = [
    "Box",
    "Layout",
    "Point",
    "Route",
    "apply_positions",
    "layout_elements",
    "node_size",
    "segments",
]

CHAR_WIDTH = 7.0  # at the 12px sans-serif both views use
NODE_HEIGHT = 38.0
PSEUDO_HEIGHT = 26.0
PAD = 24.0  # inside a flow's frame
TITLE = 26.0  # the flow's name above its nodes
FLOW_GAP = 60.0
ROW_WIDTH = 1800.0  # frames are packed in rows about this wide
PSEUDO_KINDS = ("end", "return", "catch_all", "timeout")


@dataclass(frozen=True)
class Layout:
    boxes: dict[str, Box]  # every node but the flow compounds
    frames: dict[str, Box]  # the flow compounds (``flow:NAME``)
    routes: dict[str, Route]  # by edge id
    width: float
    height: float


def node_size(data: NodeData) -> tuple[float, float]:
    """The box a node gets: wide enough for its label."""
    label_width = CHAR_WIDTH * len(data["label"])
    if data["kind"] in PSEUDO_KINDS:
        return max(56.0, label_width + 20), PSEUDO_HEIGHT
    return min(max(90.0, label_width + 30), 260.0), NODE_HEIGHT


def segments(route: Route, bend: float = 0.0) -> tuple[list[float], list[float]] | None:
    """A routed edge's bend points as cytoscape ``segments`` (distances from the straight line
    between its ends, and weights along it); None for a straight edge. ``bend`` shifts the
    bend points sideways (back edges run beside the forward ones)."""
    if route.loop or len(route.points) <= 2:
        return None
    (x0, y0), (x1, y1) = route.points[0], route.points[-1]
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy or 1.0
    distances, weights = [], []
    for x, y in route.points[1:-1]:
        px, py = x + bend - x0, y - y0
        weights.append(round((px * dx + py * dy) / length2, 4))
        distances.append(round((py * dx - px * dy) / length2**0.5, 1))  # cytoscape: + = left
    return distances, weights


def _moved(route: Route, dx: float, dy: float) -> Route:
    points = tuple((x + dx, y + dy) for x, y in route.points)
    return Route(points, route.back, route.loop)


def layout_elements(elements: GraphElements) -> Layout:
    """Positions for every node and edge of ``graph_elements(...)``; deterministic."""
    frames_order = [n["data"]["id"] for n in elements["nodes"] if n["data"]["kind"] == "flow"]
    members: dict[str, list[str]] = {f: [] for f in frames_order}
    sizes: dict[str, tuple[float, float]] = {}
    roots: dict[str, list[str]] = defaultdict(list)
    parent_of: dict[str, str] = {}
    for node in elements["nodes"]:
        data = node["data"]
        if data["kind"] == "flow":
            continue
        parent = data.get("parent", "")
        members.setdefault(parent, []).append(data["id"])
        parent_of[data["id"]] = parent
        sizes[data["id"]] = node_size(data)
        if data.get("start") or data["kind"] in ("catch_all", "timeout"):
            roots[parent].append(data["id"])
    inner: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for edge in elements["edges"]:
        e = edge["data"]
        owner = parent_of.get(e["source"])
        if owner is not None and owner == parent_of.get(e["target"]):
            inner[owner].append((e["id"], e["source"], e["target"]))
    boxes: dict[str, Box] = {}
    frames: dict[str, Box] = {}
    routes: dict[str, Route] = {}
    cursor_x = cursor_y = row_height = width = 0.0
    for group_id, group_members in members.items():
        group = LayeredGroup(group_members, sizes, inner[group_id], roots[group_id])
        group.run()
        left, top, right, bottom = group.extent()
        frame_w, frame_h = right - left + 2 * PAD, bottom - top + 2 * PAD + TITLE
        if cursor_x > 0 and cursor_x + frame_w > ROW_WIDTH:
            cursor_x, cursor_y, row_height = 0.0, cursor_y + row_height + FLOW_GAP, 0.0
        dx, dy = cursor_x + PAD - left, cursor_y + PAD + TITLE - top
        boxes.update({n: b.moved(dx, dy) for n, b in group.boxes().items()})
        routes.update({eid: _moved(r, dx, dy) for eid, r in group.routes().items()})
        if group_id:
            frames[group_id] = Box(cursor_x + frame_w / 2, cursor_y + frame_h / 2, frame_w, frame_h)
        cursor_x += frame_w + FLOW_GAP
        row_height = max(row_height, frame_h)
        width = max(width, cursor_x - FLOW_GAP)
    for edge in elements["edges"]:
        e = edge["data"]
        if e["id"] not in routes and e["source"] in boxes and e["target"] in boxes:
            a, b = boxes[e["source"]], boxes[e["target"]]
            routes[e["id"]] = Route(((a.x, a.y), (b.x, b.y)), back=b.y <= a.y)
    return Layout(boxes, frames, routes, width, cursor_y + row_height)


def apply_positions(elements: GraphElements, layout: Layout | None = None) -> Layout:
    """Add ``position`` and ``width``/``height`` to every non-compound node (in place)."""
    layout = layout or layout_elements(elements)
    for node in elements["nodes"]:
        box = layout.boxes.get(node["data"]["id"])
        if box is not None:
            node["position"] = {"x": round(box.x, 1), "y": round(box.y, 1)}
            node["data"]["width"] = box.width
            node["data"]["height"] = box.height
    return layout
