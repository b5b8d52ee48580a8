"""The layered (Sugiyama-style) layout of one flow, in local coordinates.

Cycles are broken by ranking nodes by their distance from the start node (nodes at the same
distance in topological order), so retry loops become back edges; nodes get the longest-path
layer, edges longer than one layer get dummy points, barycentric sweeps order each layer (keeping
the order with fewest crossings), and x positions come from alternating sweeps that put every node
as close as possible to the mean of its neighbours while keeping the boxes apart (an isotonic
regression per layer). ``END``/``RETURN`` sit in a last layer of their own.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections import defaultdict, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from heapq import heapify, heappop, heappush
from itertools import pairwise

__all__ = ["Box", "LayeredGroup", "Point", "Route"]

NODE_GAP = 36.0  # between boxes of one layer
DUMMY_GAP = 14.0  # next to the bend points of long edges
DUMMY_WIDTH = 6.0
LOOP_SPACE = 40.0  # right of a node with a self-loop (a retry): its arc and label
RANK_GAP = 64.0  # between layers: room for the condition labels
SWEEPS = 24
TERMINAL_SUFFIXES = (".END", ".RETURN")
MIN_LAYER_HEIGHT = 26.0

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle by its centre and size."""

    x: float
    y: float
    width: float
    height: float

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def right(self) -> float:
        return self.x + self.width / 2

    @property
    def top(self) -> float:
        return self.y - self.height / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height / 2

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def moved(self, dx: float, dy: float) -> Box:
        return Box(self.x + dx, self.y + dy, self.width, self.height)


@dataclass(frozen=True, slots=True)
class Route:
    """Where an edge runs: centre of its source, bend points, centre of its target."""

    points: tuple[Point, ...]
    back: bool = False  # against the layering (a loop back up): drawn bent aside
    loop: bool = False  # from a node to itself


def _isotonic(values: Sequence[float]) -> list[float]:
    """The non-decreasing sequence closest to ``values`` (least squares; pool adjacent
    violators)."""
    blocks: list[list[float]] = []  # [sum, count]
    for value in values:
        blocks.append([value, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    out: list[float] = []
    for total, count in blocks:
        out += [total / count] * int(count)
    return out


def _topological(nodes: list[str], out: dict[str, list[str]]) -> list[str]:
    """``nodes`` in an order where edges go forward, except those that close a cycle in a DFS
    (children in transition order); among unconstrained nodes the given order stays."""
    index = {node: i for i, node in enumerate(nodes)}
    state: dict[str, int] = {}
    closing: set[tuple[str, str]] = set()
    for root in nodes:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(out[root]))]
        while stack:
            node, todo = stack[-1]
            for target in todo:
                if state.get(target) == 1:
                    closing.add((node, target))
                elif target not in state:
                    state[target] = 1
                    stack.append((target, iter(out[target])))
                    break
            else:
                state[node] = 2
                stack.pop()
    missing = dict.fromkeys(nodes, 0)
    for node in nodes:
        for target in out[node]:
            if (node, target) not in closing:
                missing[target] += 1
    ready = [index[n] for n in nodes if not missing[n]]
    heapify(ready)
    ordered: list[str] = []
    while ready:
        node = nodes[heappop(ready)]
        ordered.append(node)
        for target in out[node]:
            if (node, target) not in closing:
                missing[target] -= 1
                if not missing[target]:
                    heappush(ready, index[target])
    return ordered


@dataclass
class LayeredGroup:
    """One flow's nodes and the edges between them, laid out in local coordinates."""

    members: list[str]
    sizes: dict[str, tuple[float, float]]
    edges: list[tuple[str, str, str]]  # (edge id, source, target), both ends members
    roots: list[str]
    layer: dict[str, int] = field(default_factory=dict)
    layers: list[list[str]] = field(default_factory=list)
    up: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    down: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    chains: dict[str, list[str]] = field(default_factory=dict)  # edge id -> its points' ids
    back: set[str] = field(default_factory=set)
    loops: set[str] = field(default_factory=set)  # nodes with an edge to themselves
    x: dict[str, float] = field(default_factory=dict)
    y: dict[str, float] = field(default_factory=dict)

    def terminal(self, node: str) -> bool:
        return node.endswith(TERMINAL_SUFFIXES)

    def layered_edges(self) -> Iterator[tuple[str, str, str]]:
        for eid, source, target in self.edges:
            if source != target and not self.terminal(source) and not self.terminal(target):
                yield eid, source, target

    def break_cycles(self) -> list[str]:
        """Rank the nodes by their distance from the roots (how far into the conversation they
        are), nodes at the same distance in topological order; an edge against the ranking is a
        back edge (a retry loop). Returns the nodes ranked."""
        out: dict[str, list[str]] = defaultdict(list)
        for _, source, target in self.layered_edges():
            out[source].append(target)
        depth: dict[str, int] = {}
        found: list[str] = []
        for root in [*self.roots, *self.members]:
            if root in depth or self.terminal(root):
                continue
            depth[root] = 0 if root in self.roots else max(depth.values(), default=0)
            queue = deque([root])
            while queue:
                node = queue.popleft()
                found.append(node)
                for target in out[node]:
                    if target not in depth:
                        depth[target] = depth[node] + 1
                        queue.append(target)
        levels: dict[int, list[str]] = defaultdict(list)
        for node in found:
            levels[depth[node]].append(node)
        ranked: list[str] = []
        for level in sorted(levels):
            same = {n: [t for t in out[n] if depth.get(t) == level] for n in levels[level]}
            ranked += _topological(levels[level], same)
        rank = {node: i for i, node in enumerate(ranked)}
        for eid, source, target in self.layered_edges():
            if rank[target] < rank[source]:
                self.back.add(eid)
        return ranked

    def dag(self) -> Iterator[tuple[str, str, str]]:
        """The layered edges, back edges turned round."""
        for eid, source, target in self.layered_edges():
            yield (eid, target, source) if eid in self.back else (eid, source, target)

    def assign_layers(self, order: list[str]) -> None:
        preds: dict[str, list[str]] = defaultdict(list)
        succs: dict[str, list[str]] = defaultdict(list)
        for _, source, target in self.dag():
            preds[target].append(source)
            succs[source].append(target)
        missing = {node: len(preds[node]) for node in order}
        ready = [node for node in order if not missing[node]]
        while ready:
            node = ready.pop()
            self.layer[node] = max((self.layer[p] + 1 for p in preds[node]), default=0)
            for target in succs[node]:
                missing[target] -= 1
                if not missing[target]:
                    ready.append(target)
        last = max(self.layer.values(), default=-1) + 1
        for node in self.members:
            if self.terminal(node):
                self.layer[node] = last

    def build_layers(self, order: list[str]) -> None:
        """Layers in discovery order, with a dummy node per layer a long edge crosses."""
        rank = {node: i for i, node in enumerate(order)}
        depth = max(self.layer.values(), default=-1) + 1
        self.layers = [[] for _ in range(depth)]
        for node in sorted(self.layer, key=lambda n: rank.get(n, len(rank))):
            self.layers[self.layer[node]].append(node)
        for eid, source, target in self.dag():
            chain = [source]
            for k in range(self.layer[source] + 1, self.layer[target]):
                dummy = f"~{eid}~{k}"
                self.layers[k].append(dummy)
                self.sizes[dummy] = (DUMMY_WIDTH, 0.0)
                chain.append(dummy)
            chain.append(target)
            for a, b in pairwise(chain):
                self.down[a].append(b)
                self.up[b].append(a)
            self.chains[eid] = chain
        for _, source, target in self.edges:
            if self.terminal(target) and source != target:
                self.up[target].append(source)

    def order_layers(self) -> None:
        """Barycentric sweeps down and up the layers; keeps the order with fewest crossings."""
        pos = {node: float(i) for layer in self.layers for i, node in enumerate(layer)}
        best, fewest = [list(layer) for layer in self.layers], self.crossings(pos)
        for sweep in range(SWEEPS):
            downward = sweep % 2 == 0
            last = len(self.layers) - 1
            indexes = range(1, last + 1) if downward else range(last - 1, -1, -1)
            near = self.up if downward else self.down
            for i in indexes:

                def key(node: str, near: dict[str, list[str]] = near) -> float:
                    around = near.get(node) or []
                    return sum(pos[n] for n in around) / len(around) if around else pos[node]

                self.layers[i].sort(key=key)
                for j, node in enumerate(self.layers[i]):
                    pos[node] = float(j)
            crossings = self.crossings(pos)
            if crossings < fewest:
                best, fewest = [list(layer) for layer in self.layers], crossings
        self.layers = best

    def crossings(self, pos: dict[str, float]) -> int:
        """Edge crossings between adjacent layers (inversions, counted with bisect)."""
        total = 0
        for layer in self.layers:
            ends = sorted((pos[a], pos[b]) for a in layer for b in self.down.get(a, ()))
            seen: list[float] = []
            for _, b in ends:
                total += len(seen) - bisect_right(seen, b)
                insort(seen, b)
        return total

    def gap(self, a: str, b: str) -> float:
        between = DUMMY_GAP if a.startswith("~") or b.startswith("~") else NODE_GAP
        loop = LOOP_SPACE if a in self.loops else 0.0
        return (self.sizes[a][0] + self.sizes[b][0]) / 2 + between + loop

    def place(self, layer: list[str], desired: dict[str, float]) -> None:
        offsets = [0.0]
        for a, b in pairwise(layer):
            offsets.append(offsets[-1] + self.gap(a, b))
        fitted = _isotonic([desired[node] - off for node, off in zip(layer, offsets, strict=True)])
        for node, value, off in zip(layer, fitted, offsets, strict=True):
            self.x[node] = value + off

    def coordinates(self) -> None:
        for layer in self.layers:
            self.place(layer, dict.fromkeys(layer, 0.0))
        passes = [range(1, len(self.layers)), range(len(self.layers) - 2, -1, -1)] * 4
        for indexes in [*passes, range(1, len(self.layers))]:
            for i in indexes:
                near = self.up if indexes.step > 0 else self.down
                if i == len(self.layers) - 1 and indexes.step > 0:
                    self.layers[i].sort(key=lambda n: self._mean(self.up.get(n), n))
                desired = {n: self._mean(near.get(n), n) for n in self.layers[i]}
                self.place(self.layers[i], desired)
        top = 0.0
        for layer in self.layers:
            height = max((self.sizes[n][1] for n in layer), default=0.0) or MIN_LAYER_HEIGHT
            for node in layer:
                self.y[node] = top + height / 2
            top += height + RANK_GAP

    def _mean(self, near: list[str] | None, node: str) -> float:
        return sum(self.x[n] for n in near) / len(near) if near else self.x[node]

    def run(self) -> None:
        self.loops = {source for _, source, target in self.edges if source == target}
        order = self.break_cycles()
        self.assign_layers(order)
        self.build_layers(order)
        self.order_layers()
        self.coordinates()

    def point(self, node: str) -> Point:
        return (self.x[node], self.y[node])

    def routes(self) -> dict[str, Route]:
        routes: dict[str, Route] = {}
        for eid, source, target in self.edges:
            if source == target:
                routes[eid] = Route((self.point(source),), loop=True)
            elif eid in self.chains:
                points = [self.point(n) for n in self.chains[eid]]
                if eid in self.back:
                    points.reverse()
                routes[eid] = Route(tuple(points), back=eid in self.back)
            else:
                back = self.layer[target] <= self.layer[source]
                routes[eid] = Route((self.point(source), self.point(target)), back=back)
        return routes

    def boxes(self) -> dict[str, Box]:
        return {n: Box(self.x[n], self.y[n], *self.sizes[n]) for n in self.members}

    def extent(self) -> tuple[float, float, float, float]:
        xs = [self.x[n] - self.sizes[n][0] / 2 for n in self.x] or [0.0]
        xe = [
            self.x[n] + self.sizes[n][0] / 2 + (LOOP_SPACE if n in self.loops else 0.0)
            for n in self.x
        ] or [0.0]
        ys = [self.y[n] - self.sizes[n][1] / 2 for n in self.y] or [0.0]
        ye = [self.y[n] + self.sizes[n][1] / 2 for n in self.y] or [0.0]
        return min(xs), min(ys), max(xe), max(ye)
