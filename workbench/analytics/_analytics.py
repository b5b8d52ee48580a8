"""``Analytics``: DuckDB over a bot's transcripts, and the questions analysts ask of them.

``wb.analytics.open(source)`` loads a source (see :mod:`._load`); ``.sql(query)`` runs any
DuckDB query over the views ``events``, ``turns`` and ``conversations`` (:mod:`._views`) and
returns a pandas DataFrame. The other methods answer common questions; each returns an
:class:`~workbench.analytics.Answer` (a DataFrame with ``.chart()``). ``.filter(...)`` narrows
every view and answer to some conversations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

from workbench.analytics import _explore, _funnel, _understanding, _usage
from workbench.analytics._answer import Answer
from workbench.analytics._errors import QueryError, first_lines
from workbench.analytics._load import load, new_database
from workbench.analytics._scope import Scope, When
from workbench.analytics._sources import Source, resolve
from workbench.analytics._views import define_views

__all__ = ["Analytics", "open_analytics"]


def open_analytics(
    source: Any, *, bot: str | None = None, progress: bool | None = None
) -> Analytics:
    """See :func:`workbench.analytics.open`."""
    resolved = resolve(source, bot)
    con = new_database()
    try:
        live = load(resolved, con, progress)
    except BaseException:
        con.close()
        raise
    analytics = Analytics(con, resolved, Scope(), progress)
    analytics._live = live
    return analytics


class Analytics:
    """Transcripts of one source in DuckDB (see the module docstring)."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        source: Source,
        scope: Scope,
        progress: bool | None = None,
        root: Analytics | None = None,
    ) -> None:
        self._root_con: duckdb.DuckDBPyConnection = con if root is None else root._root_con
        self._con: duckdb.DuckDBPyConnection = con if root is None else self._root_con.cursor()
        self.source, self.scope, self._progress = source, scope, progress
        self._live: bool = root._live if root is not None else True
        """Whether the rows are read in place (Parquet, a DuckDB extension) or copied."""
        define_views(self._con, scope.condition())

    @property
    def where(self) -> str:
        """The source, as messages name it."""
        return self.source.where

    def __repr__(self) -> str:
        scope = self.scope.describe()
        return f"<Analytics of {self.where}{' · ' + scope if scope else ''}>"

    # --- SQL ------------------------------------------------------------------------------
    def sql(self, query: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        """Run a DuckDB query over ``events``, ``turns`` and ``conversations``; a DataFrame.

        A query that fails raises :class:`~workbench.analytics.QueryError` naming it.
        """
        try:
            return self._con.sql(query, params=params).df()
        except duckdb.Error as error:
            raise QueryError(query, f"{first_lines(error)} (source: {self.where})") from None

    def filter(
        self,
        *,
        start: When = None,
        end: When = None,
        channel: str | None = None,
        flow: str | None = None,
        simulated: bool | None = None,
    ) -> Analytics:
        """The same transcripts, narrowed to conversations started from ``start`` to ``end``
        (dates include their whole day, UTC), on ``channel``, through ``flow``, simulated or
        real. Conditions add to this object's own; it is left unchanged."""
        narrower = Scope.of(start, end, channel, flow, simulated)
        return Analytics(self._con, self.source, self.scope.narrowed(narrower), root=self)

    def refresh(self) -> None:
        """Read the store again (a store copied at ``open`` is a snapshot; Parquet files and
        stores read in place through a DuckDB extension are always current)."""
        if self.source.kind == "parquet" or not self._live:
            load(self.source, self._root_con, self._progress)
        define_views(self._con, self.scope.condition())

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Analytics:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- flows ----------------------------------------------------------------------------
    def funnel(self, nodes: Sequence[str], by: str | None = None) -> Answer:
        """Conversations that reached each ``flow.node`` after all the previous ones, in that
        order: ``step, node, conversations, share`` (of step 1), per ``by`` if given: ``day``,
        ``week`` or ``month`` (when the conversation reached the first node, UTC),
        ``channel``, ``language``, ``simulated`` or ``bot``."""
        return _funnel.funnel(self, nodes, by)

    def suggest_funnel(self, flow: str | None = None, steps: int = 5) -> list[str]:
        """A funnel to start from: the ``steps`` nodes (of ``flow``) most conversations entered,
        in the order they usually first enter them."""
        return _funnel.suggest_funnel(self, flow, steps)

    def dropoff(self) -> Answer:
        """Where conversations stop without reaching END: ``node, conversations, share`` (of
        all conversations), largest first (``last_node`` of ``conversations`` whose ``outcome``
        is not ``end``)."""
        return _funnel.dropoff(self)

    def reached(self) -> Answer:
        """``node, conversations, visits``: conversations that entered each node, and entries."""
        return _funnel.reached(self)

    def paths(self, flow: str | None = None, limit: int = 10) -> Answer:
        """The most common paths (nodes in order, repeats in a row shown once): ``path,
        conversations, share``; within ``flow`` if given (its node names only)."""
        return _funnel.paths(self, flow, limit)

    def errors(self) -> Answer:
        """Turn errors by node: ``node, errors, conversations, message`` (the most common)."""
        return _usage.errors(self)

    def content_usage(self, limit: int = 50) -> Answer:
        """Bot replies sent: ``node, type, text, sends, conversations``, most sent first."""
        return _usage.content_usage(self, limit)

    # --- understanding --------------------------------------------------------------------
    def fallback_rate(self, by: str = "day", low_confidence: float = 0.5) -> Answer:
        """User messages per ``by`` period and how many the NLU made nothing of (a
        *fallback*: intent ``none`` and no entity) or understood with a confidence under
        ``low_confidence``."""
        return _understanding.fallback_rate(self, by, low_confidence)

    def unhandled(self, limit: int = 25) -> Answer:
        """The most frequent fallback messages: ``text, count, conversations, node,
        last_seen``. ``bot.review_unhandled(a.unhandled().text)`` turns them into examples."""
        return _understanding.unhandled(self, limit)

    def intents(self) -> Answer:
        """``intent, messages, share, mean_confidence`` of user messages."""
        return _understanding.intents(self)

    def confidence(self, bins: int = 20) -> Answer:
        """Histogram of user messages' confidence, understood (an intent) or not (``none``)."""
        return _understanding.confidence(self, bins)

    # --- conversations and users ----------------------------------------------------------
    def outcomes(self) -> Answer:
        """``outcome, conversations, share``: how conversations ended (``end``, ``open``,
        ``timeout``, ``error``)."""
        return _usage.outcomes(self)

    def lengths(self) -> Answer:
        """``turns, conversations``: how many turns conversations last."""
        return _usage.lengths(self)

    def durations(self) -> Answer:
        """``duration, conversations`` in buckets from under 10 s to over an hour."""
        return _usage.durations(self)

    def returning_users(self, by: str = "week") -> Answer:
        """Users per ``by`` period: ``users, new_users, returning_users``."""
        return _usage.returning_users(self, by)

    def retention(self, by: str = "week") -> Answer:
        """Cohorts by first ``by`` period: ``cohort, periods_later, users, share``."""
        return _usage.retention(self, by)

    def kpis(self) -> dict[str, float]:
        """Headline figures: conversations, users, messages, completion and fallback rates,
        turn errors, median turns and duration."""
        return _usage.kpis(self)

    # --- single conversations ---------------------------------------------------------------
    def find_conversations(
        self,
        *,
        outcome: str | None = None,
        reached: str | None = None,
        intent: str | None = None,
        errors: bool | None = None,
        limit: int = 200,
    ) -> pd.DataFrame:
        """Conversations, most recent first: that ended so (``outcome``), entered the node
        ``reached``, had a message of ``intent``, had turn errors (or none)."""
        return _explore.find_conversations(self, outcome, reached, intent, errors, limit)

    def transcript(self, conversation_id: str) -> pd.DataFrame:
        """One conversation's rows in order (``events`` columns)."""
        return _explore.transcript(self, conversation_id)
