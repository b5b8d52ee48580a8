"""Questions about the flows: the ordered funnel, drop-off, nodes reached, common paths."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import pandas as pd

from workbench.analytics._answer import Answer, answer
from workbench.analytics._errors import AnalyticsError
from workbench.analytics._extensions import quote_literal
from workbench.analytics._queries import Queries
from workbench.analytics._views import ends

__all__ = ["BY_COLUMNS", "PERIODS", "dropoff", "funnel", "paths", "reached"]


PERIODS = ("day", "week", "month")
BY_COLUMNS = (*PERIODS, "channel", "language", "simulated", "bot")
"""What a funnel can be split by (a period: when the conversation reached its first step)."""


def _checked_nodes(nodes: Sequence[str]) -> list[str]:
    if isinstance(nodes, str) or not nodes:
        raise AnalyticsError("funnel: give a list of nodes, as ['flow.node', ...]")
    bad = [n for n in nodes if not isinstance(n, str) or "." not in n]
    if bad:
        raise AnalyticsError(f"funnel: nodes are written flow.node (got {bad[0]!r})")
    return list(nodes)


def _place(node: str) -> str:
    """SQL: an ``events`` row is at ``flow.node`` (on the stored columns, so Parquet filters)."""
    flow, name = node.split(".", 1)
    return f"(flow = {quote_literal(flow)} AND node = {quote_literal(name)})"


def _by_source(by: str | None) -> str:
    """The column of the first step's row that ``by`` is made from."""
    if by is None:
        return "NULL"
    if by not in BY_COLUMNS:
        raise AnalyticsError(f"funnel: by={by!r}: use one of {', '.join(BY_COLUMNS)}")
    return "ts" if by in PERIODS else by


def _by_value(by: str | None) -> str:
    """``by`` from that column (a period is truncated once per conversation, not per row)."""
    if by in PERIODS:
        return f"date_trunc('{by}', make_timestamp(CAST(round(first * 1000000) AS BIGINT)))"
    return "first"


def funnel(q: Queries, nodes: Sequence[str], by: str | None) -> Answer:
    """See :meth:`Analytics.funnel`. One pass over the rows of the funnel's nodes: per
    conversation, how many steps it completed in order (a greedy match of its node rows, in
    ``id`` order, against the steps), and its ``by`` value at its first step.

    Rows are filtered on the stored ``flow`` and ``node`` columns (Parquet pushes that down)
    and each node becomes a small integer before the per-conversation lists are made.
    """
    steps = _checked_nodes(nodes)
    distinct = list(dict.fromkeys(steps))
    numbers = [distinct.index(node) + 1 for node in steps]
    places = [_place(node) for node in distinct]
    cases = " ".join(f"WHEN {place} THEN {i}" for i, place in enumerate(places, start=1))
    reached = (
        f"list_reduce(list(hit ORDER BY id), lambda m, x: CASE WHEN m < {len(steps)} "
        f"AND x = ({numbers})[m + 1] THEN m + 1 ELSE m END, 0)"
    )
    per = q.sql(
        f"""
        SELECT {_by_value(by)} AS by_value, reached, count(*) AS conversations FROM (
            SELECT {reached} AS reached,
                   arg_min({_by_source(by)}, id) FILTER (WHERE hit = 1) AS first
            FROM (SELECT bot, conversation_id, id, ts, channel, language,
                         starts_with(conversation_id, 'sim-') AS simulated,
                         CASE {cases} END AS hit
                  FROM events WHERE type = 'node' AND ({" OR ".join(places)}))
            GROUP BY bot, conversation_id
        ) GROUP BY ALL
        """
    )
    per = per[per["reached"] > 0]  # here, not in SQL: DuckDB would compute the lists twice
    frame = _steps_frame(per, steps, by)
    if by is None and (frame["conversations"] == 0).any():
        _check_known(q, [n for n, c in zip(steps, frame["conversations"], strict=True) if not c])
    return answer(frame, "funnel", by=by, value="conversations")


def _steps_frame(per: pd.DataFrame, steps: list[str], by: str | None) -> pd.DataFrame:
    """``reached`` counts → conversations at each step (those that reached it or further)."""
    rows = []
    groups = per.groupby("by_value", dropna=False, sort=True) if by else [(None, per)]
    for value, group in groups:
        counts = dict(zip(group["reached"], group["conversations"], strict=True))
        first = sum(counts.values())
        for step, node in enumerate(steps, start=1):
            n = sum(c for r, c in counts.items() if r >= step)
            row = {
                "step": step,
                "node": node,
                "conversations": n,
                "share": n / first if first else 0.0,
            }
            rows.append({by: value, **row} if by else row)
    columns = ([by] if by else []) + ["step", "node", "conversations", "share"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["conversations"] = frame["conversations"].astype("int64")
    frame["share"] = frame["share"].astype("float64")
    return frame


def _check_known(q: Queries, nodes: list[str]) -> None:
    """A node no conversation ever entered, anywhere in the source, is most likely a typo."""
    known = set(q.sql("SELECT DISTINCT flow_node FROM all_events WHERE type = 'node'")["flow_node"])
    for node in nodes:
        if node not in known:
            close = difflib.get_close_matches(node, sorted(known), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise AnalyticsError(f"funnel: no conversation in {q.where} ever entered {node}{hint}")


def dropoff(q: Queries) -> Answer:
    """See :meth:`Analytics.dropoff`: the ``conversations`` view's rule, computed with only the
    aggregates it needs."""
    frame = q.sql(
        f"""
        SELECT last_node AS node, count(*) AS conversations,
               count(*) / any_value(total)::DOUBLE AS share
        FROM (SELECT last_node, outcome, count(*) OVER () AS total
              FROM ({ends("events", details=False)}))
        WHERE outcome <> 'end' AND last_node IS NOT NULL
        GROUP BY last_node ORDER BY conversations DESC, node
        """
    )
    return answer(frame, "dropoff", value="conversations")


def reached(q: Queries) -> Answer:
    """See :meth:`Analytics.reached`."""
    frame = q.sql(
        """
        SELECT node, count(*) AS conversations, sum(entries)::BIGINT AS visits FROM (
            SELECT flow_node AS node, count(*) AS entries FROM events
            WHERE type = 'node' GROUP BY bot, conversation_id, flow_node
        ) GROUP BY node ORDER BY conversations DESC, node
        """
    )
    return answer(frame, "reached", value="conversations")


def paths(q: Queries, flow: str | None, limit: int) -> Answer:
    """See :meth:`Analytics.paths`."""
    step = "node" if flow else "flow_node"
    where = "" if flow is None else f" AND flow = {quote_literal(flow)}"
    frame = q.sql(
        f"""
        WITH walks AS (
            SELECT list({step} ORDER BY id) AS nodes FROM events
            WHERE type = 'node'{where} GROUP BY bot, conversation_id
        ), runs AS (
            SELECT array_to_string(
                list_filter(nodes, lambda x, i: i = 1 OR x <> nodes[i - 1]), ' → ') AS path
            FROM walks
        )
        SELECT path, count(*) AS conversations,
               count(*) / (SELECT count(*) FROM runs)::DOUBLE AS share
        FROM runs GROUP BY path ORDER BY conversations DESC, path LIMIT ?
        """,
        [int(limit)],
    )
    return answer(frame, "paths", flow=flow)


def suggest_funnel(q: Queries, flow: str | None, steps: int) -> list[str]:
    """See :meth:`Analytics.suggest_funnel`: up to ``steps`` nodes, evenly spaced, of the
    typical successful journey. Of the conversations that reached END, take the last node
    whose conversations went deepest (the most nodes, median; of those within one node of the
    deepest, the most common): a completed order rather than a cancellation, which ends
    earlier; then the most common path (each node once, in first-entry order) ending there.
    With no conversation at END: the most entered nodes."""
    where = "" if flow is None else f" AND flow = {quote_literal(flow)}"
    walks = q.sql(
        f"""
        WITH walks AS (
            SELECT list(flow_node ORDER BY id) AS nodes
            FROM events e SEMI JOIN conversations c
                ON c.bot = e.bot AND c.conversation_id = e.conversation_id
                AND c.outcome = 'end'
            WHERE type = 'node'{where}
            GROUP BY e.bot, e.conversation_id
        ), paths AS (
            SELECT list_filter(nodes, lambda x, i: i = 1 OR NOT list_contains(nodes[1:i - 1], x))
                AS path
            FROM walks
        ), endings AS (
            SELECT path[-1] AS last, median(len(path)) AS depth, count(*) AS n
            FROM paths GROUP BY 1
        ), deepest AS (
            SELECT last FROM endings
            ORDER BY depth >= (SELECT max(depth) FROM endings) - 1 DESC, n DESC, last LIMIT 1
        )
        SELECT path, count(*) AS conversations FROM paths
        WHERE path[-1] = (SELECT last FROM deepest)
        GROUP BY path ORDER BY conversations DESC, len(path) DESC LIMIT 1
        """
    )
    best = [str(node) for node in walks["path"].iloc[0]] if len(walks) else []
    if not best:
        best = list(
            q.sql(
                f"SELECT flow_node, count(DISTINCT conversation_id) AS n FROM events "
                f"WHERE type = 'node'{where} GROUP BY 1 ORDER BY n DESC, flow_node LIMIT ?",
                [int(steps)],
            ).flow_node
        )
    if len(best) <= steps:
        return best
    picks = sorted({round(i * (len(best) - 1) / (steps - 1)) for i in range(steps)})
    return [best[i] for i in picks]
