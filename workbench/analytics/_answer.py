"""``Answer``: what every analytics question returns, a pandas DataFrame that charts itself.

One convention everywhere: ``answer.chart()`` is its altair chart, and a per-node answer (one
with a ``node`` column of ``flow.node`` names) gives ``answer.by_node()``, a Series that
``graph.overlay`` takes as it is::

    graph.overlay(a.dropoff().by_node(), label="drop-off")

It stays an ``Answer`` through pandas operations (filtering, sorting, ``head``...), so a
narrowed answer still charts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbench.analytics._errors import AnalyticsError

if TYPE_CHECKING:
    import altair as alt

__all__ = ["Answer", "answer"]


class Answer(pd.DataFrame):  # type: ignore[misc]  # pandas has no type information here
    """A DataFrame with :meth:`chart` (and :meth:`by_node` for per-node answers)."""

    _metadata = ["_wb_kind", "_wb_options"]

    @property
    def _constructor(self) -> type[Answer]:
        return Answer

    @property
    def kind(self) -> str:
        """Which question this answers (``funnel``, ``dropoff``, ...)."""
        kind = getattr(self, "_wb_kind", None)
        if not kind:
            raise AnalyticsError("this DataFrame is not a workbench analytics answer")
        return str(kind)

    @property
    def options(self) -> dict[str, Any]:
        return dict(getattr(self, "_wb_options", None) or {})

    def chart(self) -> alt.TopLevelMixin:
        """The answer as an altair chart (Vega-Lite 5, drawn offline by JupyterLab and Voilà).

        altair loads with the first chart: importing it takes ~1.2 s (its JSON schema checks
        compile grammars), which answers that are not charted need not pay.
        """
        charts = importlib.import_module("workbench.analytics._charts")
        made: alt.TopLevelMixin = charts.chart(self.kind, pd.DataFrame(self), self.options)
        return made

    def by_node(self) -> pd.Series:
        """``{flow.node: figure}`` for ``graph.overlay``: the answer's main figure per node
        (summed over its other columns, such as the days of a funnel by day)."""
        value = self.options.get("value")
        if "node" not in self.columns or value is None:
            raise AnalyticsError(f"a {self.kind} answer is not per node")
        frame = pd.DataFrame(self)
        frame = frame[frame["node"].notna()]
        series = frame.groupby("node", sort=False)[value].sum()
        series.name = value
        return series


def answer(frame: pd.DataFrame, kind: str, **options: Any) -> Answer:
    """``frame`` as an :class:`Answer` charted by ``CHARTS[kind]`` with ``options``."""
    result = Answer(frame)
    result._wb_kind = kind
    result._wb_options = options
    return result
