"""``SimulationReport``: what a simulation run found, as numbers, a table, HTML or a graph."""

from __future__ import annotations

import inspect
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.flows import END, RETURN
from workbench.schema import plural
from workbench.testing._simulate_run import Edge, Plan, Tally
from workbench.testing._simulate_views import ranked, report_html, report_text

if TYPE_CHECKING:  # pandas is optional: imported by ``to_frame`` only
    import pandas as pd

METRICS = ("visits", "reached", "drop_offs", "dead_ends", "loops", "errors")
"""What :meth:`SimulationReport.show` can overlay on the graph."""


def display_url(url: str) -> str:
    """A store URL fit to show: its password hidden."""
    return re.sub(r"^([a-z0-9+]+://[^:/@]*:)[^@/]*@", r"\1***@", url)


def edge_text(edge: Edge) -> str:
    source, target, when = edge
    return f"{source} -> {target}" + (f" when {when}" if when else "")


def _percentile(ordered: list[int], q: float) -> int:
    """Nearest-rank percentile of sorted values (0 for none)."""
    if not ordered:
        return 0
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass
class SimulationReport:
    """What ``simulate`` found. Nodes are ``flow.node``. Two runs with the same seed compare
    equal (``run_id``, timing and the store are left out of the comparison).

    - A node is *visited* each time a turn enters it; a transition ``(from, to, when)`` is
      *taken* when its condition held and the engine followed it (``from`` is ``flow.node`` or
      ``flow.catch_all``, ``to`` is ``flow.node``, ``END`` or ``RETURN``). A turn that fails
      (a turn error) is rolled back, so what it entered does not count.
    - A conversation *drops off* at the node where its session waited when the user stopped
      (left, went silent, or ran out of turns).
    - It stops at a *dead end* there if that node has no way out (no ``next``, no ``call``) or
      its last ``STUCK_TURNS`` (3) moves all left it waiting at that node.
    - It *loops* at every node it entered ``LOOP_ENTRIES`` (3) times or more.
    """

    bot: str
    user: str
    seed: int
    max_turns: int
    conversations: int
    turns: int
    nodes: list[str]
    """Every node of the bot's flows."""
    visits: dict[str, int]
    """Times each node was entered, over all conversations."""
    reached: dict[str, int]
    """Conversations that entered each node at least once."""
    transitions: list[Edge]
    """Every transition of the flows: (from, to, when)."""
    taken: dict[Edge, int]
    """Times each transition was taken."""
    lengths: list[int]
    """Turns of each conversation, in order (user messages and timeouts)."""
    outcomes: dict[str, int]
    """How conversations stopped: ``ended`` (the session ended), ``left``, ``timeout`` (the user
    went silent and the timeout path ran), ``max_turns``."""
    drop_offs: dict[str, int]
    """Conversations whose user stopped while the session waited at each node."""
    dead_ends: dict[str, int]
    """Conversations that stopped at a dead end, by node."""
    loops: dict[str, int]
    """Conversations that entered each node ``LOOP_ENTRIES`` (3) times or more."""
    loop_max: dict[str, int]
    """The most entries of each looping node in one conversation."""
    errors: dict[str, dict[str, int]]
    """Turn errors by node, then by message."""
    run_id: str = field(default="", compare=False)
    """Conversation ids are ``sim-<run_id>-<n>``, user ids ``sim-<user>-<run_id>-<n>``."""
    seconds: float = field(default=0.0, compare=False)
    workers: int = field(default=1, compare=False)
    store: str = field(default="", compare=False)
    """The store the transcripts went to (its URL, password hidden)."""
    source: Any = field(default=None, compare=False, repr=False)
    """The bot that was simulated (``show`` asks it for its graph)."""

    @classmethod
    def of(
        cls, tally: Tally, plan: Plan, bot: Any, seconds: float, workers: int
    ) -> SimulationReport:
        flow_map = plan.flow_map
        return cls(
            bot=bot.name,
            user=plan.user.name,
            seed=plan.seed,
            max_turns=plan.max_turns,
            conversations=tally.conversations,
            turns=tally.turns,
            nodes=list(flow_map.nodes),
            visits={n: tally.visits[n] for n in sorted(tally.visits)},
            reached={n: tally.reached[n] for n in sorted(tally.reached)},
            transitions=list(flow_map.edges),
            taken={e: tally.taken[e] for e in sorted(tally.taken)},
            lengths=tally.lengths,
            outcomes=dict(sorted(tally.outcomes.items())),
            drop_offs=_ranked(tally.drop_offs),
            dead_ends=_ranked(tally.dead_ends),
            loops=_ranked(tally.loops),
            loop_max=dict(sorted(tally.loop_max.items())),
            errors={n: _ranked(m) for n, m in sorted(tally.errors.items())},
            run_id=plan.run_id,
            seconds=seconds,
            workers=workers,
            store=display_url(bot.store.url),
            source=bot,
        )

    # --- derived figures ------------------------------------------------------------------
    @property
    def never_reached(self) -> list[str]:
        return [n for n in self.nodes if not self.visits.get(n)]

    @property
    def node_coverage(self) -> float:
        """Visited nodes / all nodes (1.0 for a bot without nodes)."""
        if not self.nodes:
            return 1.0
        return sum(1 for n in self.nodes if self.visits.get(n)) / len(self.nodes)

    @property
    def never_taken(self) -> list[Edge]:
        return [e for e in self.transitions if not self.taken.get(e)]

    @property
    def transition_coverage(self) -> float:
        """Declared transitions taken at least once / all declared transitions."""
        if not self.transitions:
            return 1.0
        return sum(1 for e in self.transitions if self.taken.get(e)) / len(self.transitions)

    @property
    def turn_errors(self) -> int:
        return sum(sum(m.values()) for m in self.errors.values())

    @property
    def error_counts(self) -> dict[str, int]:
        """Turn errors per node, most first."""
        return _ranked({n: sum(m.values()) for n, m in self.errors.items()})

    def length_stats(self) -> dict[str, float]:
        ordered = sorted(self.lengths)
        mean = sum(ordered) / len(ordered) if ordered else 0.0
        return {
            "mean": round(mean, 2),
            "p50": _percentile(ordered, 50),
            "p95": _percentile(ordered, 95),
            "max": ordered[-1] if ordered else 0,
        }

    def metric(self, name: str) -> dict[str, float]:
        """One number per node (every node, 0 where nothing happened): one of :data:`METRICS`."""
        if name not in METRICS:
            raise ValueError(f"unknown metric {name!r}: use one of {', '.join(METRICS)}")
        if name == "errors":
            values: dict[str, int] = {n: sum(m.values()) for n, m in self.errors.items()}
        else:
            values = getattr(self, name)
        return {n: float(values.get(n, 0)) for n in self.nodes}

    # --- views ----------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """The report as JSON-able data."""
        per_s = self.conversations / self.seconds if self.seconds else None
        return {
            "bot": self.bot,
            "run_id": self.run_id,
            "user": self.user,
            "seed": self.seed,
            "store": self.store,
            "conversations": self.conversations,
            "turns": self.turns,
            "max_turns": self.max_turns,
            "seconds": round(self.seconds, 3),
            "conversations_per_s": round(per_s, 1) if per_s else None,
            "workers": self.workers,
            "node_coverage": {
                "visited": len(self.nodes) - len(self.never_reached),
                "total": len(self.nodes),
                "ratio": round(self.node_coverage, 4),
                "never_reached": self.never_reached,
            },
            "transition_coverage": {
                "taken": len(self.transitions) - len(self.never_taken),
                "total": len(self.transitions),
                "ratio": round(self.transition_coverage, 4),
                "never_taken": [edge_text(e) for e in self.never_taken],
                "by_transition": [
                    {"from": a, "to": b, "when": when, "count": count}
                    for (a, b, when), count in self.taken.items()
                ],
            },
            "lengths": self.length_stats(),
            "outcomes": self.outcomes,
            "turn_errors": {
                "count": self.turn_errors,
                "by_node": {
                    n: {"count": sum(m.values()), "messages": m} for n, m in self.errors.items()
                },
            },
            "dead_ends": self.dead_ends,
            "loops": {
                n: {"conversations": c, "max_entries": self.loop_max.get(n, 0)}
                for n, c in self.loops.items()
            },
            "drop_offs": self.drop_offs,
            "visits": self.visits,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per node: visits, conversations, drop_offs, dead_ends, loops, errors."""
        import pandas as pd

        rows = {
            "visits": self.metric("visits"),
            "conversations": self.metric("reached"),
            "drop_offs": self.metric("drop_offs"),
            "dead_ends": self.metric("dead_ends"),
            "loops": self.metric("loops"),
            "errors": self.metric("errors"),
        }
        frame = pd.DataFrame(rows, index=pd.Index(self.nodes, name="node"))
        return frame.astype("int64")

    def __str__(self) -> str:
        """A few lines: conversations, outcomes, coverage, top drop-offs and turn errors."""
        return report_text(self)

    def __repr__(self) -> str:
        nodes = len(self.nodes) - len(self.never_reached)
        return (
            f"<SimulationReport {self.bot!r}: {plural(self.conversations, 'conversation')}, "
            f"node coverage {nodes}/{len(self.nodes)}>"
        )

    def _repr_html_(self) -> str:
        return report_html(self)

    def edge_counts(self) -> dict[tuple[str, str], int]:
        """Transitions taken, keyed ``(source, target)`` the way the flow graph names its
        elements: ``flow.node``, ``flow.END``, ``flow.RETURN``, ``flow.CATCH_ALL``."""
        counts: dict[tuple[str, str], int] = {}
        for (source, target, _), count in self.taken.items():
            flow, _, node = source.partition(".")
            if node == "catch_all":
                source = f"{flow}.CATCH_ALL"
            if target in (END, RETURN):
                target = f"{flow}.{target}"
            counts[(source, target)] = counts.get((source, target), 0) + count
        return counts

    def show(self, graph: Any = None, metric: str = "visits") -> Any:
        """Overlay ``metric`` (visits by default; see :data:`METRICS`) on the bot's graph.

        ``graph`` is anything with ``overlay(values, label=...)``; None draws the simulated
        bot's graph (``bot.graph()``). With visits, transitions are coloured by how often they
        were taken if ``overlay`` takes ``edges=``. Returns the graph.
        """
        values = self.metric(metric)
        if graph is None:
            graph = self.source.graph()
        if metric == "visits" and "edges" in inspect.signature(graph.overlay).parameters:
            graph.overlay(values, label=metric, edges=self.edge_counts())
        else:
            graph.overlay(values, label=metric)
        return graph


def _ranked(counts: dict[str, int]) -> dict[str, int]:
    """Largest first, then by name: reports read top-down."""
    return dict(ranked(counts))
