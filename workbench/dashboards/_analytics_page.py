"""The analytics dashboard: filters, headline figures, funnel, drop-off on the flow graph,
fallback trend and the messages the bot did not understand (with a CSV download).

Built for Voilà (``notebooks/dashboards/analytics.ipynb``, ``workbench dashboard analytics BOT``)
and usable in a notebook (``AnalyticsPage("sample_bots/pizza")``). Nothing it does can put a
traceback on the page: every action shows what went wrong in one line, and a store without
conversations shows an empty state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

import workbench.analytics as wa
from workbench.analytics import Analytics, NoTranscriptsError
from workbench.dashboards._tiles import csv_link, kpi_tiles, note_html, table_html
from workbench.notebook._graph import FlowGraph
from workbench.runtime import Bot
from workbench.schema import WorkbenchError
from workbench.stores import MemoryStore

__all__ = ["AnalyticsPage", "analytics_page"]

EVERY = ""
WHO = {"all": None, "real": False, "simulated": True}
EMPTY = (
    "No conversations yet. Talk to the bot (workbench chat BOT) or simulate some "
    "(workbench simulate BOT -n 200), then press Refresh."
)


def analytics_page(bot: Path | None) -> AnalyticsPage:
    """The page for a bot folder (None: the page asks for a bot folder or store URL)."""
    return AnalyticsPage(bot)


class AnalyticsPage:
    """The dashboard's widgets and what they show; ``widget`` is its root."""

    def __init__(self, source: Path | str | None) -> None:
        self.source = source
        self.analytics: Analytics | None = None
        self.scoped: Analytics | None = None
        self.graph: FlowGraph | None = None
        self.charts: dict[str, Any] = {}
        """The chart (or note) each section shows now, by section: funnel, dropoff, fallback."""
        self._quiet = False
        self._build()
        self._guard(self.reload)

    # --- widgets ----------------------------------------------------------------------------
    def _build(self) -> None:
        w = widgets
        self.title = w.HTML()
        self.source_box = w.Text(
            value="" if self.source is None else str(self.source),
            placeholder="a bot folder or a store URL",
            layout=w.Layout(width="420px"),
        )
        self.open_button = w.Button(description="Open")
        self._build_filters()
        self._build_sections()
        picker = [] if self.source is not None else [w.HBox([self.source_box, self.open_button])]
        filters = w.HBox(
            [self.start, self.end, self.flow, self.channel, self.who, self.refresh_button],
            layout=w.Layout(flex_flow="row wrap"),
        )
        self.widget = w.VBox([self.title, *picker, filters, self.status, self.body])

    def _build_filters(self) -> None:
        w = widgets
        self.start = w.DatePicker(description="From")
        self.end = w.DatePicker(description="To")
        self.flow = w.Dropdown(description="Flow", options=[("All flows", EVERY)])
        self.channel = w.Dropdown(description="Channel", options=[("All channels", EVERY)])
        self.who = w.ToggleButtons(
            options=[("All", "all"), ("Real", "real"), ("Simulated", "simulated")], value="all"
        )
        self.who.add_class("wb-who")
        self.refresh_button = w.Button(description="Refresh")
        self.open_button.on_click(lambda _b: self._guard(self._open_typed))
        self.refresh_button.on_click(lambda _b: self._guard(self.reload))
        self.steps = w.TagsInput(allow_duplicates=False, layout=w.Layout(width="95%"))
        for control in (self.start, self.end, self.flow, self.channel, self.who, self.steps):
            control.observe(self._on_filter, names="value")

    def _build_sections(self) -> None:
        w = widgets
        self.status = w.HTML()
        self.kpis = w.HTML()
        self.funnel_chart, self.dropoff_chart = w.Output(), w.Output()
        self.fallback_chart = w.Output()
        for name, output in (
            ("funnel", self.funnel_chart),
            ("dropoff", self.dropoff_chart),
            ("fallback", self.fallback_chart),
        ):
            output.add_class(f"wb-{name}-chart")
        self.graph_box = w.VBox()
        self.graph_box.add_class("wb-graph")
        self.unhandled = w.HTML()
        self.download = w.HTML()
        self.body = w.VBox(
            [
                self.kpis,
                _section("Funnel", "Conversations that reached each node after the previous ones."),
                self.steps,
                self.funnel_chart,
                _section("Drop-off", "Where conversations stop without reaching END."),
                self.graph_box,
                self.dropoff_chart,
                _section("Not understood", "Share of user messages the bot made nothing of."),
                self.fallback_chart,
                self.unhandled,
                self.download,
            ]
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # --- actions ------------------------------------------------------------------------------
    def _guard(self, action: Callable[[], None]) -> None:
        """Run an action; what goes wrong is one line on the page, never a traceback."""
        try:
            action()
        except NoTranscriptsError:
            self._empty(EMPTY)
        except WorkbenchError as exc:
            self.status.value = note_html(str(exc), "error")
        except Exception as exc:  # the page must stay up whatever happens
            self.status.value = note_html(
                f"Something went wrong: {type(exc).__name__}: {exc}", "error"
            )

    def _open_typed(self) -> None:
        self.source = self.source_box.value.strip() or None
        self.reload()

    def reload(self) -> None:
        """Read the source again (new conversations appear), keeping the filters."""
        self.title.value = "<h2>Conversation analytics</h2>"
        if self.source is None:
            self._empty("Type a bot folder or a store URL above, then Open.")
            return
        for opened in (self.scoped, self.analytics):
            if opened is not None:
                opened.close()
        self.scoped = self.analytics = None
        self.analytics = wa.open(self.source, progress=False)
        self.title.value = (
            f"<h2>Conversation analytics</h2><div style='color:#57606a'>"
            f"{escape(self.analytics.where)}</div>"
        )
        self._load_graph()
        self._set_options(self.analytics)
        self.update()

    def _load_graph(self) -> None:
        """The bot's flow graph (on a private in-memory store: nothing written anywhere)."""
        folder = self.analytics.source.folder if self.analytics else None
        if folder is None or self.graph is not None:
            return
        try:
            bot = Bot.load(folder, store=MemoryStore())
        except WorkbenchError as exc:
            self.graph_box.children = [widgets.HTML(note_html(f"No flow graph: {exc}", "error"))]
            return
        self.graph = FlowGraph(bot, height="520px", live=False)
        self.graph.widget.layout.width = "100%"
        self.graph_box.children = [self.graph.widget]

    def _set_options(self, a: Analytics) -> None:
        """Filter choices from the data: its flows, channels and dates."""
        spans = a.sql(
            "SELECT min(started_at)::DATE AS first, max(started_at)::DATE AS last "
            "FROM conversations"
        )
        flows = a.sql("SELECT DISTINCT unnest(flows) AS flow FROM conversations ORDER BY 1")
        channels = a.sql("SELECT DISTINCT channel FROM conversations ORDER BY 1")
        self._quiet = True
        try:
            self.flow.options = [("All flows", EVERY), *[(f, f) for f in flows.flow]]
            self.channel.options = [("All channels", EVERY), *[(c, c) for c in channels.channel]]
            if self.start.value is None:
                self.start.value = _date(spans["first"].iloc[0])
            if self.end.value is None:
                self.end.value = _date(spans["last"].iloc[0])
            if not self.steps.value:
                self.steps.value = a.suggest_funnel()
            self.steps.allowed_tags = list(a.reached()["node"])
        finally:
            self._quiet = False

    def filters(self) -> dict[str, Any]:
        return {
            "start": self.start.value,
            "end": self.end.value,
            "flow": self.flow.value or None,
            "channel": self.channel.value or None,
            "simulated": WHO[self.who.value],
        }

    def _on_filter(self, _change: Any) -> None:
        if not self._quiet and self.analytics is not None:
            self._guard(self.update)

    def update(self) -> None:
        """Compute every figure for the current filters."""
        if self.analytics is None:
            return
        if self.scoped is not None:
            self.scoped.close()
        self.scoped = a = self.analytics.filter(**self.filters())
        figures = a.kpis()
        self.body.layout.display = None
        self.kpis.value = kpi_tiles(figures)
        if not figures["conversations"]:
            self.status.value = note_html("No conversation matches these filters.", "empty")
        else:
            scope = a.scope.describe()
            self.status.value = note_html(f"Showing {scope or 'every conversation'}.")
        self._funnel(a)
        self._dropoff(a)
        self._fallback(a)

    def _funnel(self, a: Analytics) -> None:
        steps = list(self.steps.value)
        if len(steps) < 1:
            self._show("funnel", widgets.HTML(note_html("Pick the funnel's nodes above.")))
            return
        self._show("funnel", a.funnel(steps).chart())

    def _dropoff(self, a: Analytics) -> None:
        dropoff = a.dropoff()
        self._show("dropoff", dropoff.head(12).chart())
        if self.graph is not None:
            flow = self.flow.value or None
            if self.graph.flow != flow:
                self.graph.show_flow(flow)
            self.graph.overlay(dropoff.by_node(), label="drop-off")

    def _fallback(self, a: Analytics) -> None:
        self._show("fallback", a.fallback_rate(by="day").chart())
        unhandled = a.unhandled(limit=25)
        if unhandled.empty:
            self.unhandled.value = note_html("Every user message was understood.")
            self.download.value = ""
            return
        self.unhandled.value = "<b>Top messages not understood</b>" + table_html(
            unhandled, ["text", "count", "conversations", "node"]
        )
        self.download.value = csv_link(unhandled, "unhandled.csv", "Download these as CSV")

    def _show(self, section: str, thing: Any) -> None:
        output = {
            "funnel": self.funnel_chart,
            "dropoff": self.dropoff_chart,
            "fallback": self.fallback_chart,
        }[section]
        self.charts[section] = thing
        output.clear_output(wait=True)
        with output:
            display(thing)  # type: ignore[no-untyped-call]

    def _empty(self, message: str) -> None:
        self.status.value = note_html(message, "empty")
        self.kpis.value = ""
        self.body.layout.display = "none"


def _section(title: str, subtitle: str) -> widgets.HTML:
    return widgets.HTML(
        f"<h3 style='margin:18px 0 2px 0'>{escape(title)}</h3>"
        f"<div style='color:#57606a'>{escape(subtitle)}</div>"
    )


def _date(value: Any) -> dt.date | None:
    if value is None or pd.isna(value):  # no conversations
        return None
    return dt.date(value.year, value.month, value.day)
