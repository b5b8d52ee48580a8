"""Synthetic transcripts for ``analytics.py``: N events shaped like a pizza bot's real rows.

Made with DuckDB in a few seconds and kept in a folder as the Parquet set ``workbench export``
writes (``events/*.parquet``, ``conversations.parquet``), from which the SQLite and PostgreSQL
stores of the benchmark are filled.

Each conversation walks the pizza order ``welcome → ask_size → ask_toppings → more_toppings →
confirm → pay → thanks`` up to a random depth, one node per turn, sometimes saying a turn again
at the same node; every turn writes a user row, a node row and a bot row (the real bot writes
1-5 rows a turn). Conversations that reach ``thanks`` ended; the others are open (60%) or timed
out (a last turn without rows). A third are simulated (``sim-`` ids); users come back (a user
has three conversations on average). Ids follow time, as a store's do.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

NODES = ["welcome", "ask_size", "ask_toppings", "more_toppings", "confirm", "pay", "thanks"]
ROWS_PER_CONVERSATION = 13.5
"""3 rows a turn, (depth 0-6 → 1-7 turns, 3.5 on average) + a repeated turn half the time."""
START = 1_790_000_000.0  # 2026-09-21: thirty days of conversations from there
DAYS = 30
USER_TEXTS = ["hi", "large", "ham", "olives", "done", "yes", "card", "4242", "no", "what?"]
INTENTS = ["none", "none", "none", "none", "done", "affirm", "none", "none", "deny", "none"]


def _list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def generate(folder: Path, events: int, con: duckdb.DuckDBPyConnection | None = None) -> Path:
    """Write about ``events`` rows (and their conversations) under ``folder``; returns it."""
    con = con or duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    conversations = max(1, round(events / ROWS_PER_CONVERSATION))
    (folder / "events").mkdir(parents=True, exist_ok=True)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE conv AS
        SELECT c,
               CASE WHEN hash(c, 1) % 3 = 0 THEN 'sim-bench-' || c ELSE 'c' || c END AS cid,
               'u' || (hash(c, 2) % {max(1, conversations // 3)}) AS user_id,
               ({START} + c * {DAYS * 86400 / conversations})::DOUBLE AS start_ts,
               (hash(c, 3) % 7)::INTEGER AS depth,
               (hash(c, 4) % 2)::INTEGER AS again,
               hash(c, 5) % 10 < 6 AS stays_open
        FROM range({conversations}) r(c)
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rows AS
        WITH turns AS (
            SELECT *, unnest(range(1, depth + 2 + again)) AS turn FROM conv
        ), r AS (
            SELECT *, unnest([0, 1, 2]) AS seq,
                   least(turn - 1, depth) AS at_node,
                   greatest(least(turn - 2, depth), 0) AS was_at,
                   (hash(c, turn) % 10)::INTEGER AS said
            FROM turns
        )
        SELECT (row_number() OVER (ORDER BY start_ts + (turn - 1) * 20, c, turn, seq))::BIGINT
                   AS id,
               'pizza' AS bot, cid AS conversation_id, user_id, turn::INTEGER AS turn,
               seq::INTEGER AS seq, (start_ts + (turn - 1) * 20)::DOUBLE AS ts,
               ['user', 'node', 'bot'][seq + 1] AS type,
               CASE WHEN seq = 0 AND turn = 1 THEN '' ELSE 'main' END AS flow,
               CASE WHEN seq = 0 AND turn = 1 THEN ''
                    WHEN seq = 0 THEN {_list(NODES)}[was_at + 1]
                    ELSE {_list(NODES)}[at_node + 1] END AS node,
               CASE WHEN seq = 0 THEN {_list(INTENTS)}[said + 1] ELSE '' END AS intent,
               CASE WHEN seq = 0 THEN CASE WHEN said IN (4, 5, 8) THEN 0.9 ELSE 0.0 END
               END::DOUBLE AS confidence,
               CASE WHEN seq = 0 THEN {_list(USER_TEXTS)}[said + 1]
                    WHEN seq = 2 THEN 'Reply at ' || {_list(NODES)}[at_node + 1] ELSE '' END
                   AS text,
               CASE WHEN seq = 0 THEN '{{"entities":[],"intents":[["done",0.1]]}}'
                    WHEN seq = 1 THEN '{{}}'
                    ELSE '{{"type":"text","text":"Reply","choices":[]}}' END AS payload,
               'web' AS channel, 'en' AS language
        FROM r
    """)
    con.execute(f"""
        COPY (SELECT * FROM rows ORDER BY id)
        TO '{folder / "events" / "events-000000000001-bench.parquet"}'
        (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)
    """)
    con.execute(f"""
        COPY (
            SELECT 'pizza' AS bot, cid AS conversation_id, user_id,
                   (depth + 1 + again + CASE WHEN depth < 6 AND NOT stays_open THEN 1 ELSE 0 END)
                       ::INTEGER AS turn,
                   (start_ts + (depth + again) * 20 + 1)::DOUBLE AS updated_at,
                   depth < 6 AND stays_open AS has_session
            FROM conv ORDER BY c
        ) TO '{folder / "conversations.parquet"}' (FORMAT parquet, COMPRESSION zstd)
    """)
    return folder
