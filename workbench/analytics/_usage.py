"""Questions about conversations and users: outcomes, lengths, durations, returning users and
retention cohorts, content sent, turn errors, and the headline figures (KPIs)."""

from __future__ import annotations

import math

import pandas as pd

from workbench.analytics._answer import Answer, answer
from workbench.analytics._queries import Queries
from workbench.analytics._understanding import FALLBACK, MESSAGES, _period

__all__ = [
    "DURATIONS",
    "content_usage",
    "durations",
    "errors",
    "kpis",
    "lengths",
    "outcomes",
    "retention",
    "returning_users",
]

OUTCOMES = ("end", "open", "timeout", "error")
DURATIONS = (
    (10, "< 10 s"),
    (30, "10-30 s"),
    (60, "30 s-1 min"),
    (120, "1-2 min"),
    (300, "2-5 min"),
    (900, "5-15 min"),
    (3600, "15-60 min"),
    (math.inf, "> 1 h"),
)
"""Duration buckets: (upper bound in seconds, label)."""


def outcomes(q: Queries) -> Answer:
    """See :meth:`Analytics.outcomes`: every outcome, 0 where none ended so."""
    counts = q.sql("SELECT outcome, count(*) AS n FROM conversations GROUP BY 1")
    found = dict(zip(counts["outcome"], counts["n"], strict=True))
    total = sum(found.values())
    frame = {
        "outcome": list(OUTCOMES),
        "conversations": [int(found.get(o, 0)) for o in OUTCOMES],
        "share": [found.get(o, 0) / total if total else 0.0 for o in OUTCOMES],
    }
    return answer(pd.DataFrame(frame), "outcomes")


def lengths(q: Queries) -> Answer:
    """See :meth:`Analytics.lengths`."""
    frame = q.sql(
        "SELECT turns, count(*) AS conversations FROM conversations GROUP BY 1 ORDER BY 1"
    )
    return answer(frame, "lengths")


def durations(q: Queries) -> Answer:
    """See :meth:`Analytics.durations`."""
    cases = " ".join(
        f"WHEN duration_s < {bound} THEN {i}"
        for i, (bound, _) in enumerate(DURATIONS)
        if math.isfinite(bound)
    )
    counts = q.sql(
        f"SELECT CASE {cases} ELSE {len(DURATIONS) - 1} END AS bucket, count(*) AS n "
        "FROM conversations GROUP BY 1"
    )
    found = dict(zip(counts["bucket"], counts["n"], strict=True))
    frame = {
        "duration": [label for _, label in DURATIONS],
        "conversations": [int(found.get(i, 0)) for i in range(len(DURATIONS))],
    }
    return answer(pd.DataFrame(frame), "durations")


def returning_users(q: Queries, by: str) -> Answer:
    """See :meth:`Analytics.returning_users`. A user is new in the period of their first
    conversation in the whole source (not only in the filtered ones)."""
    period = _period(by, "returning_users")
    frame = q.sql(
        f"""
        WITH firsts AS (
            SELECT bot, user_id, date_trunc('{period}', min(started_at)) AS first
            FROM all_conversations GROUP BY bot, user_id
        ), active AS (
            SELECT DISTINCT bot, user_id, date_trunc('{period}', started_at) AS period
            FROM conversations
        )
        SELECT a.period AS {period}, count(*) AS users,
               count(*) FILTER (WHERE f.first = a.period) AS new_users,
               count(*) FILTER (WHERE f.first < a.period) AS returning_users
        FROM active a JOIN firsts f USING (bot, user_id)
        GROUP BY 1 ORDER BY 1
        """
    )
    return answer(frame, "returning_users", by=period)


def retention(q: Queries, by: str) -> Answer:
    """See :meth:`Analytics.retention`: ``share`` is of the cohort's users in its own period."""
    period = _period(by, "retention")
    frame = q.sql(
        f"""
        WITH firsts AS (
            SELECT bot, user_id, date_trunc('{period}', min(started_at)) AS cohort
            FROM all_conversations GROUP BY bot, user_id
        ), active AS (
            SELECT DISTINCT bot, user_id, date_trunc('{period}', started_at) AS period
            FROM conversations
        ), counted AS (
            SELECT f.cohort, date_diff('{period}', f.cohort, a.period) AS periods_later,
                   count(*) AS users
            FROM active a JOIN firsts f USING (bot, user_id) GROUP BY ALL
        )
        SELECT cohort, periods_later, users,
               users / (max(users) FILTER (WHERE periods_later = 0)
                        OVER (PARTITION BY cohort))::DOUBLE AS share
        FROM counted ORDER BY cohort, periods_later
        """
    )
    return answer(frame, "retention", by=period)


def content_usage(q: Queries, limit: int) -> Answer:
    """See :meth:`Analytics.content_usage`. Transcript rows carry the reply as sent (its JSON:
    type, text, choices), not the content element it came from, so replies are counted by node
    and text: a varying element shows as one row per variation."""
    frame = q.sql(
        """
        SELECT flow_node AS node, coalesce(json_extract_string(payload, '$.type'), 'text') AS type,
               text, count(*) AS sends, count(DISTINCT conversation_id) AS conversations
        FROM events WHERE type = 'bot'
        GROUP BY ALL ORDER BY sends DESC, node, text LIMIT ?
        """,
        [int(limit)],
    )
    return answer(frame, "content_usage", value="sends")


def errors(q: Queries) -> Answer:
    """See :meth:`Analytics.errors`."""
    frame = q.sql(
        """
        SELECT flow_node AS node, count(*) AS errors,
               count(DISTINCT conversation_id) AS conversations, mode(text) AS message
        FROM events WHERE type = 'turn_error'
        GROUP BY 1 ORDER BY errors DESC, node
        """
    )
    return answer(frame, "errors", value="errors")


def kpis(q: Queries) -> dict[str, float]:
    """See :meth:`Analytics.kpis`."""
    row = q.sql(
        f"""
        SELECT count(*) AS conversations, count(DISTINCT user_id) AS users,
               coalesce(sum(messages), 0) AS messages,
               coalesce(avg((outcome = 'end')::INTEGER), 0) AS completion_rate,
               coalesce(sum(errors), 0) AS turn_errors,
               coalesce(median(turns), 0) AS median_turns,
               coalesce(median(duration_s), 0) AS median_duration_s,
               (SELECT coalesce(avg({FALLBACK}::INTEGER), 0) FROM events WHERE {MESSAGES})
                   AS fallback_rate
        FROM conversations
        """
    ).iloc[0]
    return {name: float(value) for name, value in row.items()}
