"""Analytics over conversation transcripts: DuckDB into pandas, answers with charts.

>>> import workbench as wb
>>> a = wb.analytics.open("sample_bots/pizza")     # doctest: +SKIP
>>> a.sql("SELECT outcome, count(*) FROM conversations GROUP BY 1")   # doctest: +SKIP
>>> a.funnel(["main.ask_size", "main.confirm", "main.thanks"]).chart()  # doctest: +SKIP
>>> graph.overlay(a.dropoff().by_node(), label="drop-off")  # doctest: +SKIP

``open`` takes a :class:`workbench.Bot`, a bot folder, a store URL (``sqlite:///...``,
``postgresql://...``) or a folder of Parquet files written by ``workbench export``; it never
writes to the store. The names load their modules on first use: exporting needs no altair.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench._lazy import attach

if TYPE_CHECKING:
    from workbench.analytics._analytics import Analytics
    from workbench.analytics._answer import Answer
    from workbench.analytics._errors import AnalyticsError, NoTranscriptsError, QueryError
    from workbench.analytics._export import ExportResult, export_parquet

__getattr__, __dir__ = attach(
    __name__,
    {
        "Analytics": "workbench.analytics._analytics",
        "Answer": "workbench.analytics._answer",
        "AnalyticsError": "workbench.analytics._errors",
        "NoTranscriptsError": "workbench.analytics._errors",
        "QueryError": "workbench.analytics._errors",
        "ExportResult": "workbench.analytics._export",
        "export_parquet": "workbench.analytics._export",
    },
)


def open(source: Any, *, bot: str | None = None, progress: bool | None = None) -> Analytics:
    """Open the transcripts of ``source`` for analysis (read-only): a ``Bot``, a bot folder,
    a store URL, a SQLite file or a folder of Parquet files (``workbench export``).

    ``bot`` keeps only that bot's conversations (a bot or bot folder implies its own);
    ``progress`` shows a progress bar while a store is read (None: for big stores only).
    Raises :class:`AnalyticsError` naming the source when it cannot be read, and
    :class:`NoTranscriptsError` when it holds no transcripts.
    """
    from workbench.analytics._analytics import open_analytics  # loads DuckDB, pandas, altair

    return open_analytics(source, bot=bot, progress=progress)


__all__ = [
    "Analytics",
    "AnalyticsError",
    "Answer",
    "ExportResult",
    "NoTranscriptsError",
    "QueryError",
    "export_parquet",
    "open",
]
