"""``bot.graph()``: the flows as a live ipycytoscape widget, with a details panel beside it.

>>> graph = bot.graph()                       # doctest: +SKIP
>>> graph.overlay({"main.ask_size": 120, "main.confirm": 80}, label="visits")  # doctest: +SKIP
>>> graph.to_svg("docs/img/pizza-graph.svg")  # doctest: +SKIP

The graph follows the bot: an edit (a re-run ``%%flow`` cell, a flow added or removed, content
changed) redraws it, and after every turn the current node and the path of that turn light up.
``close()`` (or closing ``graph.widget``) stops both; so does dropping every reference to a graph
that was never displayed (see :mod:`workbench.notebook._lifetime`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, cast

import ipycytoscape
import ipywidgets

from workbench.notebook._graph_details import details_html, placeholder_html
from workbench.notebook._graph_elements import GraphElements, graph_elements, trace_path
from workbench.notebook._graph_layout import Layout, apply_positions, segments
from workbench.notebook._graph_style import Colormap, colormap, cytoscape_style, format_value
from workbench.notebook._graph_style import text_color as _text_color
from workbench.notebook._graph_svg import graph_svg
from workbench.notebook._graph_view import (
    ASSUMED_WIDTH,
    BACK_BEND,
    LAYOUTS,
    first_view,
    pixels,
    scale_html,
)
from workbench.notebook._lifetime import Lifetime, close_tree, weak_method
from workbench.runtime import Bot, TurnOutcome, TurnTrace
from workbench.schema import plural

__all__ = ["LAYOUTS", "FlowGraph"]

ALL_FLOWS = ""  # the flow picker's value for "every flow"


class FlowGraph:
    """The flows of ``bot`` as an interactive graph; ``flow`` shows one flow only.

    ``layout`` is ``"layered"`` (default: computed in Python, identical to :meth:`to_svg`), a
    name from :data:`LAYOUTS` (``"dagre"``, ``"klay"``, ``"cola"``, ``"breadthfirst"``...) or a
    cytoscape layout dict. ``live=False`` leaves turns alone; ``follow`` restricts live highlight
    to one conversation id. Display it as it is, or embed ``graph.widget`` in another layout.
    """

    def __init__(
        self,
        bot: Bot,
        flow: str | None = None,
        *,
        layout: str | Mapping[str, Any] = "layered",
        height: str = "600px",
        live: bool = True,
        follow: str | None = None,
    ) -> None:
        if isinstance(layout, str) and layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r} (known: {', '.join(LAYOUTS)})")
        self.bot = bot
        self.flow = flow
        self.live = live
        self.follow = follow
        self.elements: GraphElements = {"nodes": [], "edges": []}
        self.layout: Layout | None = None
        self.selected: str | None = None
        self.current: str | None = None
        self.path: tuple[str, ...] = ()
        self.errors: set[str] = set()
        self._overlay: dict[str, tuple[float, str, float]] = {}  # id -> (value, colour, 0..1)
        self._overlay_label = ""
        self._overlay_fmt: str | Callable[[float], str] | None = None
        self._pushed: dict[str, tuple[str, dict[str, Any]]] = {}
        self._base_state: dict[str, tuple[str, dict[str, Any]]] = {}  # before any highlight
        self._nodes: dict[str, Any] = {}  # id -> ipycytoscape.Node
        self._edges: dict[str, Any] = {}  # id -> ipycytoscape.Edge
        self._pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._picking = False
        self._layout = dict(LAYOUTS[layout] if isinstance(layout, str) else layout)
        self._height, self._viewport = height, pixels(height)
        self.cytoscape = self._new_canvas()
        self.details = ipywidgets.HTML(
            placeholder_html(),
            layout=ipywidgets.Layout(
                width="340px", height=height, overflow="auto", border="1px solid #e5e7eb"
            ),
        )
        self.picker = ipywidgets.Dropdown(
            description="flow", layout=ipywidgets.Layout(width="260px")
        )
        self.picker.observe(weak_method(self._on_pick), names="value")
        self.legend = ipywidgets.HTML("")
        self.fit_button = ipywidgets.Button(
            description="fit",
            tooltip="show the whole graph",
            layout=ipywidgets.Layout(width="60px"),
        )
        self.fit_button.on_click(weak_method(self._on_fit))
        self._row = ipywidgets.HBox([self.cytoscape, self.details])
        self._box = ipywidgets.VBox(
            [ipywidgets.HBox([self.picker, self.fit_button, self.legend]), self._row]
        )
        self._lifetime = Lifetime(self, self._box, self.close)
        self.refresh()
        bot.change_listeners.append(self._on_change)
        bot.turn_listeners.append(self._on_turn)

    @property
    def widget(self) -> ipywidgets.VBox:
        """The whole view, to embed in another layout (it keeps this graph alive, following the
        bot, until it is closed)."""
        self._lifetime.pin(self)
        return self._box

    def _new_canvas(self) -> Any:
        canvas = ipycytoscape.CytoscapeWidget(
            layout=ipywidgets.Layout(height=self._height, width="auto", flex="1 1 auto"),
            min_zoom=0.05,
            max_zoom=4.0,
            tooltip_source="tooltip",
        )
        canvas.set_style(cytoscape_style())
        canvas.on("node", "click", weak_method(self._on_click))
        return canvas

    # --- building ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Rebuild from the bot's current flows (called after every edit of the bot)."""
        flows = self.bot.flows
        if self.flow is not None and self.flow not in flows.flows:
            self.flow = None  # the flow was removed: show them all
        self.elements = graph_elements(flows, self.flow)
        self.layout = apply_positions(self.elements)
        self._base_state = self._base()
        self._pairs = defaultdict(list)
        for edge in self.elements["edges"]:
            self._pairs[(edge["data"]["source"], edge["data"]["target"])].append(edge["data"]["id"])
        ids = [n["data"]["id"] for n in self.elements["nodes"]]
        ids += [e["data"]["id"] for e in self.elements["edges"]]
        if ids == [*self._nodes, *self._edges]:
            self._set_layout()
            self._sync(force_positions=True)
        else:
            self._rebuild()
        self._update_picker()
        if self.selected is not None:
            self._show_details(self.selected)

    def _set_layout(self) -> None:
        """The cytoscape layout. ``layered`` sets the first view itself (zoom and pan, not
        cytoscape's fit, which measures the canvas before JupyterLab has sized it): the whole
        graph when it is readable that small, else a readable zoom on the start node."""
        layout = dict(self._layout)
        if layout.get("name") == "preset" and self.layout is not None and self.layout.boxes:
            layout |= first_view(self.elements, self.layout, ASSUMED_WIDTH, self._viewport)
        if layout != self.cytoscape.cytoscape_layout:
            self.cytoscape.cytoscape_layout = layout

    def fit(self) -> None:
        """Fit the whole graph into the canvas (as the ``fit`` button does)."""
        # ipycytoscape resizes and fits the canvas when its layout's size changes
        nudged = f"{self._viewport + 0.5}px"
        current = self.cytoscape.layout.height
        self.cytoscape.layout.height = self._height if current == nudged else nudged

    def _rebuild(self) -> None:
        """New element widgets for everything (cytoscape needs compounds before children).

        Once elements were drawn, they go to a new canvas: ipycytoscape's view adds the new
        elements before it removes the old ones, so on the same canvas an element whose id
        stays (``main.hello`` after a ``%%flow`` cell ran again) would be refused as a duplicate
        and then removed with its old widget, and the picture would miss whole flows."""
        old_canvas = self.cytoscape if self._nodes or self._edges else None
        if old_canvas is not None:
            self.cytoscape = self._new_canvas()
        self._set_layout()
        self._pushed = {}
        self._nodes, self._edges = {}, {}
        path_edges = self._path_edges()
        base = self._base_state
        for node in self.elements["nodes"]:
            node_id = node["data"]["id"]
            state = self._state(node_id, *base[node_id], path_edges)
            widget = ipycytoscape.Node(data=state[1], classes=state[0])
            if "position" in node:
                widget.position = dict(node["position"])
            self._nodes[node_id], self._pushed[node_id] = widget, state
        for edge in self.elements["edges"]:
            edge_id = edge["data"]["id"]
            state = self._state(edge_id, *base[edge_id], path_edges)
            self._edges[edge_id] = ipycytoscape.Edge(data=state[1], classes=state[0])
            self._pushed[edge_id] = state
        graph = self.cytoscape.graph
        with graph.hold_sync():
            graph._adj = {}  # ipycytoscape's own bookkeeping; its add_* methods are not used
            graph.nodes = list(self._nodes.values())
            graph.edges = list(self._edges.values())
        if old_canvas is not None:
            self._row.children = (self.cytoscape, self.details)
            close_tree(old_canvas)

    def _base(self) -> dict[str, tuple[str, dict[str, Any]]]:
        out: dict[str, tuple[str, dict[str, Any]]] = {}
        for node in self.elements["nodes"]:
            out[node["data"]["id"]] = (node["classes"], dict(node["data"]))
        routes = self.layout.routes if self.layout is not None else {}
        routed = self._layout.get("name") == "preset"
        for edge in self.elements["edges"]:
            edge_id, classes, data = edge["data"]["id"], edge["classes"], dict(edge["data"])
            route = routes.get(edge_id)
            bent = segments(route, BACK_BEND if route.back else 0.0) if route and routed else None
            if bent is not None:  # long edges follow the layout's bend points
                classes += " routed"
                data["seg_d"], data["seg_w"] = (" ".join(map(str, v)) for v in bent)
            out[edge_id] = (classes, data)
        return out

    def _path_edges(self) -> set[str]:
        found: set[str] = set()
        for a, b in zip(self.path, self.path[1:], strict=False):
            found.update(self._pairs.get((a, b), ()))
        return found

    def _state(
        self,
        element_id: str,
        classes: str,
        data: dict[str, Any],
        path_edges: set[str] | None = None,
    ) -> tuple[str, dict[str, Any]]:
        """An element's classes and data with the highlight, overlay and selection applied."""
        data = dict(data)
        extra = []
        if element_id in self.path or element_id in (path_edges or ()):
            extra.append("path")
        if element_id == self.current:
            extra.append("current")
        if element_id in self.errors:
            extra.append("error")
        if element_id == self.selected:
            extra.append("picked")
        display = str(data.get("label", ""))
        if element_id in self._overlay:
            value, color, scaled = self._overlay[element_id]
            extra.append("overlay")
            text = format_value(value, self._overlay_fmt)
            text = f"{self._overlay_label}: {text}" if self._overlay_label else text
            is_edge = "source" in data
            display = (
                f"{display} · {text}"
                if is_edge and display
                else (text if is_edge else f"{display}\n{text}")
            )
            data |= {"overlay_value": value, "overlay_color": color}
            data |= {"overlay_text": _text_color(color), "overlay_width": 1.5 + 5 * scaled}
        data["display"] = display
        return " ".join([classes, *extra]), data

    def _sync(self, only: Iterable[str] | None = None, force_positions: bool = False) -> None:
        """Send the classes and data that changed to the browser (nothing else); ``only``
        limits the check to the elements a change can have touched."""
        path_edges = self._path_edges()
        positions = {n["data"]["id"]: n.get("position") for n in self.elements["nodes"]}
        ids = self._base_state.keys() if only is None else set(only) & self._base_state.keys()
        for element_id in ids:
            state = self._state(element_id, *self._base_state[element_id], path_edges)
            widget = self._nodes.get(element_id) or self._edges.get(element_id)
            if widget is None:
                continue
            if self._pushed.get(element_id) != state:
                with widget.hold_sync():
                    if self._pushed.get(element_id, ("", {}))[1] != state[1]:
                        widget.data = state[1]
                    widget.classes = state[0]
                self._pushed[element_id] = state
            position = positions.get(element_id)
            moved = position is not None and dict(widget.position) != position
            if force_positions and moved and element_id in self._nodes:
                widget.position = dict(position or {})

    # --- highlight --------------------------------------------------------------------------
    def highlight(
        self,
        node: str | None,
        path: Iterable[str] = (),
        *,
        error: bool = False,
        failed_at: str | None = None,
    ) -> None:
        """Mark ``node`` as current and ``path`` (element ids in order, as
        :func:`trace_path` gives them) as the last turn; edges between consecutive ids light up
        too. ``failed_at`` paints that node red (a turn failed there; ``error=True`` paints
        ``node`` itself). Unknown ids are ignored, ``highlight(None)`` clears."""
        before = {*self.path, *self._path_edges(), *self.errors, self.current or ""}
        self.current = node
        self.path = tuple(path)
        failed = failed_at or (node if error else None)
        self.errors = {failed} if failed else set()
        self._sync({*before, *self.path, *self._path_edges(), *self.errors, node or ""})

    def show_trace(self, trace: TurnTrace) -> None:
        """Highlight one turn from its debugger trace (``outcome.trace``): the path it took and
        where the conversation waits now; for a failed turn, the path up to the failure and the
        node it failed at in red (the conversation stays where it was)."""
        failed_at = None
        if trace.error is not None:
            failure, path = trace.failure, trace.path
            failed_at = (failure.node if failure else "") or (path[-1] if path else None)
            failed_at = failed_at or trace.node_before
        self.highlight(trace.node_after, trace_path(trace), failed_at=failed_at)

    def _on_turn(self, conversation_id: str, outcome: TurnOutcome) -> None:
        if self.live and self.follow in (None, conversation_id):
            self.show_trace(outcome.trace)

    # --- overlay ----------------------------------------------------------------------------
    def overlay(
        self,
        values: Mapping[str, float],
        *,
        label: str = "",
        edges: Mapping[tuple[str, str], float] | None = None,
        cmap: Colormap = "blues",
        fmt: str | Callable[[float], str] | None = None,
        vmin: float | None = None,
        vmax: float | None = None,
    ) -> None:
        """Colour nodes (``{"flow.node": figure}``) and edges (``{(source, target): figure}``)
        by a figure — visits, drop-off, errors — on a sequential scale from ``vmin`` (default:
        the smaller of 0 and the least value) to ``vmax`` (default: the greatest), and show it in
        their labels (``label: value``, formatted by ``fmt``, e.g. ``"{:.0%}"``). Accepts a
        pandas Series too. Replaces any previous overlay."""
        node_values = {str(k): float(v) for k, v in dict(values.items()).items()}
        edge_values = {
            (str(a), str(b)): float(v) for (a, b), v in dict((edges or {}).items()).items()
        }
        figures = [v for v in [*node_values.values(), *edge_values.values()] if not math.isnan(v)]
        low = min([0.0, *figures]) if vmin is None else vmin
        high = max(figures, default=1.0) if vmax is None else vmax
        color = colormap(cmap)

        def scaled(value: float) -> float:
            return 1.0 if high <= low else min(max((value - low) / (high - low), 0.0), 1.0)

        self._overlay = {}
        for element_id, value in node_values.items():
            if not math.isnan(value):
                self._overlay[element_id] = (value, color(scaled(value)), scaled(value))
        for pair, value in edge_values.items():
            for edge_id in self._pairs.get(pair, ()) if not math.isnan(value) else ():
                self._overlay[edge_id] = (value, color(scaled(value)), scaled(value))
        self._overlay_label, self._overlay_fmt = label, fmt
        self.legend.value = scale_html(label, low, high, color, fmt) if figures else ""
        self._sync()

    def clear_overlay(self) -> None:
        self._overlay, self._overlay_label = {}, ""
        self.legend.value = ""
        self._sync()

    # --- details and flow picker ------------------------------------------------------------
    def _on_click(self, event: Mapping[str, Any]) -> None:
        data = event.get("data") or {}
        element_id = str(data.get("id", ""))
        if data.get("kind") == "flow_ref" and data.get("flow") in self.bot.flows.flows:
            self.show_flow(str(data["flow"]))  # linked panels: open the other flow
        before, self.selected = self.selected, element_id
        self._show_details(element_id)
        self._sync({before or "", element_id})

    def _show_details(self, element_id: str) -> None:
        data = next(
            (n["data"] for n in self.elements["nodes"] if n["data"]["id"] == element_id), None
        )
        if data is None:
            self.details.value = placeholder_html(f"{element_id} is no longer in the bot.")
            self.selected = None
            return
        self.details.value = details_html(self.bot.flows, self.bot.program.content, data)

    def show_flow(self, flow: str | None) -> None:
        """Switch the view to one flow (``None``: every flow)."""
        if flow == self.flow:
            return
        self.flow = flow
        self.refresh()

    def _update_picker(self) -> None:
        names = sorted(self.bot.flows.flows, key=lambda n: (n != "main", n))
        options = [("every flow", ALL_FLOWS), *[(n, n) for n in names]]
        self._picking = True
        try:
            if list(self.picker.options) != options:
                self.picker.options = options
            self.picker.value = self.flow or ALL_FLOWS
        finally:
            self._picking = False

    def _on_pick(self, change: Mapping[str, Any]) -> None:
        if not self._picking:
            self.show_flow(change["new"] or None)

    # --- the rest ---------------------------------------------------------------------------
    def _on_change(self, bot: Bot) -> None:
        self.refresh()

    def _on_fit(self, _button: Any) -> None:
        self.fit()

    def to_svg(self, path: str | Path | None = None) -> str:
        """The graph as it looks now (highlight and overlay included) as a standalone SVG,
        drawn from the Python layout; written to ``path`` when given."""
        path_edges = self._path_edges()
        base = self._base_state
        elements: GraphElements = {"nodes": [], "edges": []}
        for node in self.elements["nodes"]:
            classes, data = self._state(node["data"]["id"], *base[node["data"]["id"]], path_edges)
            elements["nodes"].append({**node, "classes": classes, "data": cast(Any, data)})
        for edge in self.elements["edges"]:
            classes, data = self._state(edge["data"]["id"], *base[edge["data"]["id"]], path_edges)
            elements["edges"].append({"classes": classes, "data": cast(Any, data)})
        assert self.layout is not None
        title = f"{self.bot.name} — {self.flow}" if self.flow else self.bot.name
        svg = graph_svg(elements, self.layout, title=title)
        if path is not None:
            Path(path).write_text(svg, encoding="utf-8")
        return svg

    def close(self) -> None:
        """Stop following the bot and close every widget (closing ``graph.widget`` does too)."""
        if self._on_change in self.bot.change_listeners:
            self.bot.change_listeners.remove(self._on_change)
        if self._on_turn in self.bot.turn_listeners:
            self.bot.turn_listeners.remove(self._on_turn)
        self._lifetime.close()
        self._nodes, self._edges = {}, {}

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)  # shown: pinned to its widget

    def __repr__(self) -> str:
        shown = self.flow or "every flow"
        return f"<FlowGraph {self.bot.name!r} {shown}: {plural(len(self._nodes), 'node')}>"
