"""The flow graph as cytoscape JSON: what the widget draws and ``GET bots/{path}/graph`` returns.

No widgets here (``graph_elements`` is a pure function of a ``FlowSet``), so the server can use it
without ipywidgets. Ids (cytoscape has one id space for nodes and edges):

- ``flow:NAME`` — a flow, drawn as a compound node around its nodes (``kind`` ``"flow"``);
- ``FLOW.NODE`` — a node of a flow (``kind`` ``waits`` | ``falls_through`` | ``calls`` | ``ends``),
  the same ``flow.node`` text the engine's trace uses;
- ``FLOW.END`` / ``FLOW.RETURN`` — the flow's terminals (``kind`` ``end`` / ``return``), only when
  something goes there; ``FLOW.CATCH_ALL`` / ``FLOW.TIMEOUT`` — pseudo-nodes the flow's
  ``catch_all`` and ``timeout`` transitions start from (node names are lower case, so these
  never clash with a node);
- ``ref:FLOW.NODE`` — in a one-flow view, a node of another flow that a call or jump leads to
  (``kind`` ``flow_ref``);
- edges ``SOURCE->TARGET:KINDn`` with ``kind`` ``next`` | ``call`` | ``return`` | ``catch_all`` |
  ``timeout`` and ``label`` = the condition (``"else"`` for an unconditional fallback).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NotRequired, TypedDict

from workbench.engine import ConditionChecked, FlowReturned, NodeEntered, TimeoutTaken
from workbench.flows import END, RETURN, Flow, FlowSet, Node, Transition
from workbench.notebook._graph_layout import apply_positions
from workbench.runtime import TurnTrace
from workbench.schema import BotError

__all__ = [
    "EdgeData",
    "EdgeElement",
    "GraphElements",
    "NodeData",
    "NodeElement",
    "Position",
    "flow_id",
    "graph_elements",
    "resolve_target",
    "trace_path",
]

TERMINALS = ("END", "RETURN", "CATCH_ALL", "TIMEOUT")
PSEUDO_KINDS = {"END": "end", "RETURN": "return", "CATCH_ALL": "catch_all", "TIMEOUT": "timeout"}
PSEUDO_LABELS = {"END": "END", "RETURN": "RETURN", "CATCH_ALL": "catch-all", "TIMEOUT": "timeout"}


class NodeData(TypedDict):
    id: str
    label: str
    kind: str
    flow: str
    parent: NotRequired[str]  # the flow compound it sits in (absent on compounds)
    node: NotRequired[str]  # the node's name (flow nodes only)
    start: NotRequired[bool]  # the flow's start node
    call: NotRequired[str]  # the called flow (``calls`` nodes)
    description: NotRequired[str]
    file: NotRequired[str]
    line: NotRequired[int]
    width: NotRequired[float]  # with positions=True: the box the layout made room for
    height: NotRequired[float]


class Position(TypedDict):
    x: float
    y: float


class NodeElement(TypedDict):
    data: NodeData
    classes: str
    position: NotRequired[Position]  # with positions=True: the box's centre (not on compounds)


class EdgeData(TypedDict):
    id: str
    source: str
    target: str
    label: str
    kind: str
    flow: str  # the flow that holds the transition
    when: str  # the condition's source text ("" = always)
    order: int  # position in its ``next`` / ``catch_all`` list


class EdgeElement(TypedDict):
    data: EdgeData
    classes: str


class GraphElements(TypedDict):
    nodes: list[NodeElement]
    edges: list[EdgeElement]


def flow_id(flow: str) -> str:
    """The id of a flow's compound node."""
    return f"flow:{flow}"


def resolve_target(flow: str, target: str) -> str:
    """The element id a ``to`` of ``flow`` leads to (``END``/``RETURN`` are per-flow terminals)."""
    if target in (END, RETURN):
        return f"{flow}.{target}"
    return target if "." in target else f"{flow}.{target}"


class _Builder:
    def __init__(self, flows: FlowSet, shown: list[str]) -> None:
        self.flows = flows
        self.shown = shown
        self.nodes: dict[str, NodeElement] = {}
        self.edges: list[EdgeElement] = []
        self.refs: dict[str, NodeElement] = {}

    # --- nodes ----------------------------------------------------------------------------
    def compound(self, flow: Flow) -> None:
        data = NodeData(id=flow_id(flow.name), label=flow.name, kind="flow", flow=flow.name)
        if flow.description:
            data["description"] = flow.description
        if flow.file:
            data["file"] = flow.file
        self.nodes[data["id"]] = NodeElement(data=data, classes="flow")

    def node(self, flow: Flow, node: Node) -> None:
        data = NodeData(
            id=node.qualified,
            label=node.name,
            kind=node.kind,
            flow=flow.name,
            parent=flow_id(flow.name),
            node=node.name,
            start=node.name == flow.start,
        )
        if node.call is not None:
            data["call"] = node.call
        if node.description:
            data["description"] = node.description
        if flow.file:
            data["file"] = flow.file
        if node.line:
            data["line"] = node.line
        classes = node.kind + (" start" if data["start"] else "")
        self.nodes[data["id"]] = NodeElement(data=data, classes=classes)

    def pseudo(self, flow: str, which: str) -> str:
        """The id of a terminal or pseudo-node of ``flow``, created on first use."""
        element_id = f"{flow}.{which}"
        if element_id not in self.nodes:
            kind = PSEUDO_KINDS[which]
            data = NodeData(
                id=element_id,
                label=PSEUDO_LABELS[which],
                kind=kind,
                flow=flow,
                parent=flow_id(flow),
            )
            self.nodes[element_id] = NodeElement(data=data, classes=f"{kind} pseudo")
        return element_id

    def target(self, flow: str, target: str) -> str:
        """The id a transition of ``flow`` leads to, making terminals and ref nodes as needed."""
        element_id = resolve_target(flow, target)
        if target in (END, RETURN):
            return self.pseudo(flow, target)
        other = element_id.partition(".")[0]
        if other in self.shown:
            return element_id
        if element_id not in self.refs:
            callee = self.flows.flows[other]
            name = element_id.partition(".")[2]
            label = other if name == callee.start else element_id
            data = NodeData(
                id=f"ref:{element_id}",
                label=label,
                kind="flow_ref",
                flow=other,
                parent=flow_id(flow),
            )
            data["node"] = name
            self.refs[element_id] = NodeElement(data=data, classes="flow_ref")
        return f"ref:{element_id}"

    # --- edges ----------------------------------------------------------------------------
    def edge(
        self,
        source: str,
        target: str,
        kind: str,
        flow: str,
        label: str,
        when: str = "",
        order: int = 0,
    ) -> None:
        suffix = f"{kind}{order}" if kind in ("next", "catch_all") else kind
        data = EdgeData(
            id=f"{source}->{target}:{suffix}",
            source=source,
            target=target,
            label=label,
            kind=kind,
            flow=flow,
            when=when,
            order=order,
        )
        self.edges.append(EdgeElement(data=data, classes=kind))

    def transitions(
        self, source: str, flow: str, transitions: Iterable[Transition], kind: str
    ) -> None:
        for order, t in enumerate(transitions):
            label = t.source or ("else" if order else "")
            self.edge(source, self.target(flow, t.target), kind, flow, label, t.source, order)

    def flow_edges(self, flow: Flow) -> None:
        for node in flow.nodes.values():
            if node.call is not None:
                callee = self.flows.flows[node.call]
                start = self.target(flow.name, f"{callee.name}.{callee.start}")
                self.edge(node.qualified, start, "call", flow.name, f"call {callee.name}")
                if callee.name in self.shown and _returns(callee):
                    returned = self.pseudo(callee.name, RETURN)
                    self.edge(returned, node.qualified, "return", callee.name, "return")
            self.transitions(node.qualified, flow.name, node.next, "next")
            if node.timeout is not None:
                target = self.target(flow.name, node.timeout)
                self.edge(node.qualified, target, "timeout", flow.name, "timeout")
        if flow.catch_all:
            source = self.pseudo(flow.name, "CATCH_ALL")
            self.transitions(source, flow.name, flow.catch_all, "catch_all")
        if flow.timeout is not None:
            source = self.pseudo(flow.name, "TIMEOUT")
            self.edge(source, self.target(flow.name, flow.timeout), "timeout", flow.name, "timeout")

    def result(self) -> GraphElements:
        return GraphElements(nodes=[*self.nodes.values(), *self.refs.values()], edges=self.edges)


def _returns(flow: Flow) -> bool:
    return any(t.target == RETURN for node in flow.nodes.values() for t in node.next) or any(
        t.target == RETURN for t in flow.catch_all
    )


def shown_flows(flows: FlowSet, flow: str | None) -> list[str]:
    """The flows a view shows, ``main`` first, then the others in the order they are defined."""
    if flow is not None:
        if flow not in flows.flows:
            known = ", ".join(sorted(flows.flows)) or "none yet"
            raise BotError(f"no flow named {flow!r} (flows: {known})")
        return [flow]
    names = list(flows.flows)
    return sorted(names, key=lambda name: (name != "main", names.index(name)))


def graph_elements(
    flows: FlowSet, flow: str | None = None, *, positions: bool = False
) -> GraphElements:
    """The flows as cytoscape elements: ``{"nodes": [...], "edges": [...]}``, JSON-ready.

    ``flow=None`` shows every flow, each as a compound node (``flow:NAME``) holding its nodes,
    with ``call`` edges to the called flow's start and ``return`` edges back from its RETURN.
    ``flow="NAME"`` shows that flow alone: calls and jumps to other flows end at ``ref:`` nodes.
    Compounds come before their children, nodes before edges (the order cytoscape needs).
    ``positions=True`` adds the layered layout's ``position`` (box centre) and ``width``/``height``
    to every non-compound node, as the widget and the SVG export draw it.
    """
    builder = _Builder(flows, shown_flows(flows, flow))
    for name in builder.shown:
        builder.compound(flows.flows[name])
    for name in builder.shown:
        for node in flows.flows[name].nodes.values():
            builder.node(flows.flows[name], node)
    for name in builder.shown:
        builder.flow_edges(flows.flows[name])
    elements = builder.result()
    if positions:
        apply_positions(elements)
    return elements


def trace_path(trace: TurnTrace) -> list[str]:
    """The element ids a turn went through, in order, from its debugger trace.

    Starts at ``node_before`` (the waiting node that received the message), then every node
    entered, with the pseudo-nodes and terminals in between (``FLOW.CATCH_ALL``, ``FLOW.RETURN``,
    ``FLOW.END``), so consecutive ids are the ends of the edges the turn took.
    """
    path: list[str] = []

    def add(element_id: str | None) -> None:
        if element_id and (not path or path[-1] != element_id):
            path.append(element_id)

    add(trace.node_before)
    for step in trace.steps:
        if isinstance(step, NodeEntered):
            add(step.node)
        elif isinstance(step, ConditionChecked) and step.value:
            flow, _, name = step.node.partition(".")
            if name == "catch_all":
                add(f"{flow}.CATCH_ALL")
            if step.to in (END, RETURN):
                add(f"{flow}.{step.to}")
        elif isinstance(step, FlowReturned):
            add(f"{step.flow}.RETURN")
            add(step.to)
        elif isinstance(step, TimeoutTaken):
            add(step.node)
            if step.to == END:
                add(f"{step.node.partition('.')[0]}.END")
    return path
