"""Finding conversations, and reading one (the conversation explorer's queries)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from workbench.analytics._errors import AnalyticsError
from workbench.analytics._queries import Queries
from workbench.analytics._usage import OUTCOMES

__all__ = ["find_conversations", "transcript"]

LISTED = (
    "bot, conversation_id, user_id, channel, started_at, turns, messages, last_node, outcome, "
    "errors, simulated"
)


def find_conversations(
    q: Queries,
    outcome: str | None,
    reached: str | None,
    intent: str | None,
    errors: bool | None,
    limit: int,
) -> pd.DataFrame:
    """See :meth:`Analytics.find_conversations`."""
    conditions: list[str] = []
    params: list[Any] = []
    if outcome:
        if outcome not in OUTCOMES:
            raise AnalyticsError(f"outcome={outcome!r}: use one of {', '.join(OUTCOMES)}")
        conditions.append("outcome = ?")
        params.append(outcome)
    for column, value, kind in (("flow_node", reached, "node"), ("intent", intent, "user")):
        if value:
            conditions.append(
                "EXISTS (SELECT 1 FROM events e WHERE e.bot = c.bot AND "
                f"e.conversation_id = c.conversation_id AND e.type = ? AND e.{column} = ?)"
            )
            params.extend([kind, value])
    if errors is not None:
        conditions.append("errors > 0" if errors else "errors = 0")
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    params.append(int(limit))
    return q.sql(
        f"SELECT {LISTED} FROM conversations c {where} "
        "ORDER BY started_at DESC, conversation_id LIMIT ?",
        params,
    )


def transcript(q: Queries, conversation_id: str) -> pd.DataFrame:
    """See :meth:`Analytics.transcript`."""
    rows = q.sql("SELECT * FROM events WHERE conversation_id = ? ORDER BY id", [conversation_id])
    if rows.empty:
        raise AnalyticsError(f"no conversation {conversation_id!r} in {q.where}")
    return rows
