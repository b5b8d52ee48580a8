"""What analytics raises: always a message naming the source or the query, never a traceback
from deep inside DuckDB, SQLite or PostgreSQL."""

from __future__ import annotations

from workbench.schema import WorkbenchError

__all__ = ["AnalyticsError", "NoTranscriptsError", "QueryError"]


class AnalyticsError(WorkbenchError):
    """A source that cannot be read (missing, not a store, a broken Parquet file...)."""


class NoTranscriptsError(AnalyticsError):
    """The source exists but holds no transcript rows (yet): dashboards show an empty state."""


class QueryError(AnalyticsError):
    """A query failed; the message names the query and what DuckDB said about it."""

    def __init__(self, query: str, reason: str) -> None:
        self.query, self.reason = query, reason
        shown = " ".join(query.split())
        if len(shown) > 300:
            shown = shown[:297] + "..."
        super().__init__(f"query failed: {reason}\n  query: {shown}")


def first_lines(error: BaseException, lines: int = 3) -> str:
    """The first lines of an error's message (DuckDB adds hints and links after them)."""
    text = str(error).strip()
    kept = [line.rstrip() for line in text.splitlines() if line.strip()][:lines]
    return "\n  ".join(kept) or type(error).__name__
