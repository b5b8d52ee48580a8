"""How a :class:`~workbench.testing.SimulationReport` reads: a few lines for ``print(report)``,
a summary card for notebooks (``_repr_html_``)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from workbench.schema import plural

if TYPE_CHECKING:
    from workbench.testing._simulate_report import SimulationReport

TOP = 3
"""Nodes named per list in the text (drop-offs, errors, dead ends)."""
ROWS = 5
"""Nodes shown per list in the HTML card."""


def ratio_text(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.1%})" if whole else "—"


def ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Largest first, then by name."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def top_text(counts: dict[str, int], limit: int = 5) -> str:
    """``a (3), b (1), … 2 more``: the largest counts first."""
    if not counts:
        return "none"
    top = ranked(counts)
    text = ", ".join(f"{n} ({c:,})" for n, c in top[:limit])
    return text + (f", … {len(top) - limit} more" if len(top) > limit else "")


def _coverage(report: SimulationReport) -> tuple[str, str]:
    nodes = ratio_text(len(report.nodes) - len(report.never_reached), len(report.nodes))
    edges = ratio_text(len(report.transitions) - len(report.never_taken), len(report.transitions))
    return nodes, edges


def _outcomes(report: SimulationReport) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in report.outcomes.items()) or "none"


def _errors(report: SimulationReport, limit: int) -> str:
    count = report.turn_errors
    return f"{plural(count, 'turn error')}: {top_text(report.error_counts, limit)}" if count else ""


def report_text(report: SimulationReport) -> str:
    """What ``print(report)`` shows: conversations, outcomes, coverage, where users drop off
    and where turns fail."""
    nodes, edges = _coverage(report)
    lines = [
        f"Simulation of {report.bot!r}: {plural(report.conversations, 'conversation')} "
        f"({plural(report.turns, 'turn')}), user {report.user}, seed {report.seed}",
        f"outcomes: {_outcomes(report)}",
        f"node coverage: {nodes}; transitions: {edges}",
    ]
    if report.never_reached:
        shown = report.never_reached[: TOP * 2]
        more = len(report.never_reached) - len(shown)
        tail = f", … {more} more" if more else ""
        lines.append(f"never reached: {', '.join(shown)}{tail}")
    lines.append(f"top drop-offs: {top_text(report.drop_offs, TOP)}")
    if report.dead_ends:
        lines.append(f"dead ends: {top_text(report.dead_ends, TOP)}")
    lines.append(_errors(report, TOP) or "turn errors: none")
    return "\n".join(lines)


def _bar(value: int, most: int, colour: str) -> str:
    width = round(100 * value / most) if most else 0
    return (
        "<div style='display:inline-block;width:90px;height:8px;background:#eceff1;"
        f"border-radius:3px;vertical-align:middle'><div style='width:{width}%;height:8px;"
        f"background:{colour};border-radius:3px'></div></div>"
    )


def _node_list(counts: dict[str, int], colour: str, whole: int) -> str:
    """The largest counts as rows with a bar (relative to ``whole`` conversations)."""
    if not counts:
        return "<i>none</i>"
    rows = [
        f"<div><code>{html.escape(node)}</code> {_bar(count, whole, colour)} {count:,}</div>"
        for node, count in ranked(counts)[:ROWS]
    ]
    more = len(counts) - ROWS
    return "".join(rows) + (f"<div><i>… {plural(more, 'more node')}</i></div>" if more > 0 else "")


def report_html(report: SimulationReport) -> str:
    """A summary card: figures, coverage bars, the top drop-offs, dead ends, loops, errors."""
    nodes, edges = _coverage(report)
    lengths = report.length_stats()
    reached = len(report.nodes) - len(report.never_reached)
    whole = report.conversations
    rows = [
        (
            "conversations",
            html.escape(f"{report.conversations:,} ({plural(report.turns, 'turn')})"),
        ),
        ("outcomes", html.escape(_outcomes(report))),
        ("node coverage", f"{_bar(reached, len(report.nodes), '#43a047')} {html.escape(nodes)}"),
        ("never reached", html.escape(", ".join(report.never_reached) or "—")),
        ("transition coverage", html.escape(edges)),
        ("drop-offs", _node_list(report.drop_offs, "#fb8c00", whole)),
        ("dead ends", _node_list(report.dead_ends, "#8e24aa", whole)),
        ("loops", _node_list(report.loops, "#1e88e5", whole)),
        ("turn errors", _node_list(report.error_counts, "#e53935", whole)),
        (
            "lengths",
            f"mean {lengths['mean']}, p50 {lengths['p50']}, p95 {lengths['p95']}, "
            f"max {lengths['max']} turns",
        ),
    ]
    body = "".join(
        f"<tr><th style='text-align:left;vertical-align:top;padding-right:12px'>{name}</th>"
        f"<td style='text-align:left'>{value}</td></tr>"
        for name, value in rows
    )
    title = html.escape(f"Simulation of {report.bot!r} · user {report.user} · seed {report.seed}")
    return f"<table><caption style='text-align:left'><b>{title}</b></caption>{body}</table>"
