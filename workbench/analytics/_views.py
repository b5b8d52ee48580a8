"""The views analysts query: ``events``, ``turns`` and ``conversations`` (DuckDB SQL).

They are defined over two relations every source provides, ``wb_events`` and
``wb_conversations`` (:mod:`._columns`): tables copied from a store, views over Parquet files,
or views over a store attached by a DuckDB extension. Times are UTC ``TIMESTAMP`` values.

How a conversation ended (``outcome``), from its rows and its conversation row; the "last turn"
is its turn counter (which counts timeouts that wrote no row):

- ``error``: its last turn was a turn error (a ``turn_error`` row in that turn);
- ``open``: its session is still open (``wb_conversations.session`` is not NULL);
- ``timeout``: the session was ended by a timeout: the last turn has no ``user`` row (a timeout
  turn writes the rows of the timeout path, if any, and no user message);
- ``end``: the user's last message took the conversation to END. A conversation reset through
  the API (its session forgotten) reads as ``end`` too.

``last_node`` is where the conversation waited when the user stopped: the last node entered up
to the turn of the user's last message. Nodes a trailing timeout turn entered are not counted
(the user had already gone), so drop-off matches ``bot.simulate``'s ``drop_offs``.
"""

from __future__ import annotations

import duckdb

__all__ = ["BASE_VIEWS", "VIEWS", "define_base_views", "define_views", "ends"]

EVENTS = """
SELECT id, bot, conversation_id, user_id, turn, seq,
       make_timestamp(CAST(round(ts * 1000000) AS BIGINT)) AS time, ts,
       type, flow, node,
       CASE WHEN node <> '' THEN flow || '.' || node END AS flow_node,
       intent, confidence, text, payload, channel, language,
       starts_with(conversation_id, 'sim-') AS simulated
FROM wb_events
"""

TURNS = """
SELECT bot, conversation_id, turn,
       any_value(user_id) AS user_id,
       min(time) AS time,
       CASE WHEN bool_or(type = 'user') THEN 'message' ELSE 'timeout' END AS kind,
       any_value(text) FILTER (WHERE type = 'user') AS text,
       any_value(intent) FILTER (WHERE type = 'user') AS intent,
       any_value(confidence) FILTER (WHERE type = 'user') AS confidence,
       any_value(flow_node) FILTER (WHERE type = 'user') AS waiting_at,
       coalesce(list(flow_node ORDER BY seq) FILTER (WHERE type = 'node'), []) AS path,
       count(*) FILTER (WHERE type = 'bot') AS replies,
       any_value(text) FILTER (WHERE type = 'turn_error') AS error,
       any_value(channel) AS channel,
       any_value(language) AS language,
       any_value(simulated) AS simulated
FROM all_events
GROUP BY bot, conversation_id, turn
"""

ENDS = """
    max(turn) AS last_row_turn,
    max(turn) FILTER (WHERE type = 'user') AS last_user_turn,
    max(turn) FILTER (WHERE type = 'turn_error') AS last_error_turn,
    max(turn) FILTER (WHERE type = 'node') AS last_node_turn,
    arg_max(flow, id) FILTER (WHERE type = 'node') AS last_flow,
    arg_max(node, id) FILTER (WHERE type = 'node') AS last_node_name"""
"""Aggregates of a conversation's rows that say how it ended and where (see the docstring)."""

DETAILS = """,
    arg_min(user_id, id) AS user_id,
    arg_min(channel, id) AS channel,
    arg_min(language, id) AS language,
    min(ts) AS first_ts,
    max(ts) AS last_ts,
    count(*) FILTER (WHERE type = 'user') AS messages,
    count(*) FILTER (WHERE type = 'turn_error') AS errors,
    list_sort(list(DISTINCT flow) FILTER (WHERE type = 'node')) AS flows"""
"""The other aggregates of the ``conversations`` view."""

OUTCOME = """CASE
        WHEN last_error_turn IS NOT NULL AND last_error_turn >= turns THEN 'error'
        WHEN has_session THEN 'open'
        WHEN coalesce(last_user_turn, 0) < turns THEN 'timeout'
        ELSE 'end'
    END"""


def ends(rows: str, details: bool) -> str:
    """Per conversation of the ``rows`` relation (``wb_events`` or a scope's ``events``): its
    ``outcome`` and ``last_node`` (and the ``DETAILS`` if asked), with its conversation row.

    Bot rows are left out: every turn that has one has a user, node or turn_error row too.
    The last node before trailing timeout turns is looked up again only for the conversations
    that have such turns (``late``), most have none.
    """
    return f"""
WITH per AS MATERIALIZED (
    SELECT bot, conversation_id, {ENDS}{DETAILS if details else ""}
    FROM {rows} WHERE type <> 'bot'
    GROUP BY bot, conversation_id
),
late AS (
    SELECT e.bot, e.conversation_id, arg_max(e.flow, e.id) AS flow, arg_max(e.node, e.id) AS node
    FROM {rows} e JOIN per p ON e.bot = p.bot AND e.conversation_id = p.conversation_id
    WHERE p.last_node_turn > p.last_user_turn AND e.type = 'node' AND e.turn <= p.last_user_turn
    GROUP BY e.bot, e.conversation_id
),
joined AS (
    SELECT p.*, greatest(coalesce(c.turn, 0), p.last_row_turn) AS turns,
           coalesce(c.has_session, true) AS has_session,
           c.updated_at,
           CASE WHEN p.last_node_turn > p.last_user_turn THEN l.flow || '.' || l.node
                ELSE p.last_flow || '.' || p.last_node_name END AS last_node
    FROM per p
    LEFT JOIN wb_conversations c ON c.bot = p.bot AND c.conversation_id = p.conversation_id
    LEFT JOIN late l ON l.bot = p.bot AND l.conversation_id = p.conversation_id
)
SELECT *, {OUTCOME} AS outcome FROM joined
"""


CONVERSATIONS = f"""
SELECT bot, conversation_id, user_id, channel, language,
       make_timestamp(CAST(round(first_ts * 1000000) AS BIGINT)) AS started_at,
       make_timestamp(CAST(round(greatest(coalesce(updated_at, 0), last_ts) * 1000000) AS BIGINT))
           AS ended_at,
       round(greatest(coalesce(updated_at, 0), last_ts) - first_ts, 3) AS duration_s,
       turns, messages, last_node, outcome, coalesce(flows, []) AS flows, errors,
       starts_with(conversation_id, 'sim-') AS simulated
FROM ({ends("wb_events", details=True)})
"""

BASE_VIEWS = {"all_events": EVENTS, "all_turns": TURNS, "all_conversations": CONVERSATIONS}
"""The views over every row of the source (a scope's views select from them)."""
VIEWS = ("events", "turns", "conversations")
"""The views users query: one scope's rows (every row unless filtered)."""


def define_base_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create :data:`BASE_VIEWS` once ``wb_events`` and ``wb_conversations`` exist."""
    for name, query in BASE_VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {query}")


def define_views(con: duckdb.DuckDBPyConnection, condition: str | None) -> None:
    """This connection's ``events``, ``turns`` and ``conversations`` (temporary views): the
    conversations meeting ``condition`` (SQL on ``all_conversations``), or all of them."""
    if condition is None:
        for name in VIEWS:
            con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM all_{name}")
        return
    con.execute(
        "CREATE OR REPLACE TEMP VIEW conversations AS "
        f"SELECT * FROM all_conversations WHERE {condition}"
    )
    for name in ("events", "turns"):
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM all_{name} x "
            "WHERE EXISTS (SELECT 1 FROM conversations c "
            "WHERE c.bot = x.bot AND c.conversation_id = x.conversation_id)"
        )
