"""Questions about what users said: fallback rate over time, unhandled messages, intents and
confidence.

A *fallback* is a user message the NLU made nothing of: intent ``none`` (or no intent) and no
entity. A message like "large" at a size question has no intent but carries an entity, and the
flow handles it; "hi" at a pizza bot without a greeting intent is a fallback.
"""

from __future__ import annotations

from workbench.analytics._answer import Answer, answer
from workbench.analytics._errors import AnalyticsError
from workbench.analytics._funnel import PERIODS
from workbench.analytics._queries import Queries

__all__ = ["FALLBACK", "confidence", "fallback_rate", "intents", "unhandled"]

FALLBACK = "(intent IN ('none', '') AND coalesce(json_array_length(payload, '$.entities'), 0) = 0)"
"""SQL, on a ``user`` row of ``events``: the message is a fallback (see the module docstring)."""
MESSAGES = "type = 'user' AND text <> ''"
"""SQL: a user message (a quick-reply click sends its value as text; a timeout has no row)."""


def _period(by: str, what: str) -> str:
    if by not in PERIODS:
        raise AnalyticsError(f"{what}: by={by!r}: use one of {', '.join(PERIODS)}")
    return by


def fallback_rate(q: Queries, by: str, low_confidence: float) -> Answer:
    """See :meth:`Analytics.fallback_rate`."""
    period = _period(by, "fallback_rate")
    frame = q.sql(
        f"""
        SELECT date_trunc('{period}', time) AS {period}, count(*) AS messages,
               count(*) FILTER (WHERE {FALLBACK}) AS fallbacks,
               count(*) FILTER (WHERE NOT {FALLBACK} AND intent NOT IN ('none', '')
                                AND confidence < ?) AS low_confidence
        FROM events WHERE {MESSAGES}
        GROUP BY 1 ORDER BY 1
        """,
        [float(low_confidence)],
    )
    frame["fallback_rate"] = frame["fallbacks"] / frame["messages"]
    frame["low_confidence_rate"] = frame["low_confidence"] / frame["messages"]
    return answer(frame, "fallback_rate", by=period)


def unhandled(q: Queries, limit: int) -> Answer:
    """See :meth:`Analytics.unhandled`."""
    frame = q.sql(
        f"""
        SELECT regexp_replace(trim(text), '\\s+', ' ', 'g') AS text, count(*) AS count,
               count(DISTINCT conversation_id) AS conversations,
               mode(flow_node) AS node, max(time) AS last_seen
        FROM events WHERE {MESSAGES} AND {FALLBACK}
        GROUP BY 1 ORDER BY count DESC, text LIMIT ?
        """,
        [int(limit)],
    )
    return answer(frame, "unhandled")


def intents(q: Queries) -> Answer:
    """See :meth:`Analytics.intents`."""
    frame = q.sql(
        f"""
        SELECT CASE WHEN intent = '' THEN 'none' ELSE intent END AS intent,
               count(*) AS messages,
               count(*) / sum(count(*)) OVER ()::DOUBLE AS share,
               avg(confidence) AS mean_confidence
        FROM events WHERE {MESSAGES}
        GROUP BY 1 ORDER BY messages DESC, intent
        """
    )
    return answer(frame, "intents")


def confidence(q: Queries, bins: int) -> Answer:
    """See :meth:`Analytics.confidence`."""
    if bins < 1:
        raise AnalyticsError(f"confidence: bins={bins}: at least 1")
    frame = q.sql(
        f"""
        SELECT bin / {bins}::DOUBLE AS bin_start, (bin + 1) / {bins}::DOUBLE AS bin_end,
               understood, count(*) AS messages
        FROM (
            SELECT least(floor(coalesce(confidence, 0) * {bins}), {bins - 1})::INTEGER AS bin,
                   intent NOT IN ('none', '') AS understood
            FROM events WHERE {MESSAGES}
        ) GROUP BY ALL ORDER BY bin_start, understood
        """
    )
    return answer(frame, "confidence")
