"""Which nodes a set of conversations visited, from their transcripts."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.runtime import Bot


@dataclass(frozen=True)
class NodeCoverage:
    visited: frozenset[str]
    all_nodes: frozenset[str]

    @property
    def missed(self) -> list[str]:
        return sorted(self.all_nodes - self.visited)

    @property
    def ratio(self) -> float:
        return len(self.visited & self.all_nodes) / len(self.all_nodes) if self.all_nodes else 1.0

    def __str__(self) -> str:
        """``nodes covered: 12/15 (missed: main.a, main.b)``, as ``workbench test`` prints it."""
        line = f"nodes covered: {len(self.visited & self.all_nodes)}/{len(self.all_nodes)}"
        return line + (f" (missed: {', '.join(self.missed)})" if self.missed else "")


def node_coverage(bot: Bot) -> NodeCoverage:
    """Nodes entered in any conversation of the bot's store, against all nodes of its flows."""
    visited = {f"{e.flow}.{e.node}" for e in bot.events() if e.type == "node"}
    nodes = {n.qualified for f in bot.flows.flows.values() for n in f.nodes.values()}
    return NodeCoverage(frozenset(visited), frozenset(nodes))
