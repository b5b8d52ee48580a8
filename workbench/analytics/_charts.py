"""The chart of each analytics answer (altair 5: Vega-Lite 5, drawn offline by JupyterLab
and by Voilà). Each takes the answer's plain DataFrame and its options."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import altair as alt
import pandas as pd

__all__ = ["CHARTS", "chart"]

WIDTH = 460
Chart = alt.TopLevelMixin
PERIOD_FORMATS = {"day": "%b %d", "week": "%b %d", "month": "%b %Y"}


def _chart(chart: Any) -> Chart:
    """altair's chained calls are typed loosely: say what they make."""
    return cast(Chart, chart)


def _tooltip(frame: pd.DataFrame) -> list[alt.Tooltip]:
    """Every column, typed from its dtype (an empty answer gives altair nothing to infer from)."""
    tips = []
    for name, dtype in frame.dtypes.items():
        code = "N"
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            code = "Q"
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            code = "T"
        percent = name in ("share", "value") or str(name).endswith("_rate")
        tip = (
            alt.Tooltip(f"{name}:{code}", format=".1%")
            if percent
            else alt.Tooltip(f"{name}:{code}")
        )
        tips.append(tip)
    return tips


def _bars(
    frame: pd.DataFrame, label: str, value: str, title: str, *, sort: Any = "-x", **extra: Any
) -> alt.Chart:
    """Horizontal bars, one per ``label``, longest first (by default)."""
    height = max(60, 22 * max(len(frame), 1))
    return cast(
        alt.Chart,
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(
            x=alt.X(f"{value}:Q", title=value.replace("_", " ")),
            y=alt.Y(f"{label}:N", sort=sort, title=None, axis=alt.Axis(labelLimit=260)),
            tooltip=_tooltip(frame),
            **extra,
        )
        .properties(width=WIDTH, height=height),
    )


def _funnel(frame: pd.DataFrame, by: str | None = None, **_: Any) -> Chart:
    order = list(dict.fromkeys(frame["node"]))
    if by in PERIOD_FORMATS:
        return _chart(
            alt.Chart(frame, title="Funnel by " + by)
            .mark_line(point=True)
            .encode(
                x=alt.X(f"{by}:T", title=by, axis=alt.Axis(format=PERIOD_FORMATS[by])),
                y=alt.Y("conversations:Q"),
                color=alt.Color("node:N", sort=order, title="step"),
                tooltip=_tooltip(frame),
            )
            .properties(width=WIDTH, height=240)
        )
    extra: dict[str, Any] = {}
    if by is not None:
        extra = {"color": alt.Color(f"{by}:N"), "yOffset": alt.YOffset(f"{by}:N")}
    bars = _bars(frame, "node", "conversations", "Funnel", sort=order, **extra)
    if by is not None:
        return bars
    text = bars.mark_text(align="left", dx=4).encode(
        text=alt.Text("share:Q", format=".0%"), color=alt.value("#333")
    )
    return _chart(bars + text)


def _dropoff(frame: pd.DataFrame, **_: Any) -> Chart:
    return _bars(frame, "node", "conversations", "Where conversations stop (not reaching END)")


def _reached(frame: pd.DataFrame, **_: Any) -> Chart:
    return _bars(frame, "node", "conversations", "Conversations that entered each node")


def _errors(frame: pd.DataFrame, **_: Any) -> Chart:
    frame = frame.assign(node=frame["node"].fillna("(before any node)"))
    return _bars(frame, "node", "errors", "Turn errors by node", color=alt.value("#c62828"))


def _paths(frame: pd.DataFrame, flow: str | None = None, **_: Any) -> Chart:
    title = "Most common paths" + (f" through {flow}" if flow else "")
    return _bars(frame, "path", "conversations", title)


def _content(frame: pd.DataFrame, **_: Any) -> Chart:
    frame = frame.assign(reply=frame["text"].str.slice(0, 60), node=frame["node"].fillna(""))
    return _bars(frame, "reply", "sends", "Replies sent", color=alt.Color("node:N"))


def _unhandled(frame: pd.DataFrame, **_: Any) -> Chart:
    return _bars(frame, "text", "count", "Messages the bot did not understand")


def _intents(frame: pd.DataFrame, **_: Any) -> Chart:
    return _bars(frame, "intent", "messages", "Intents of user messages")


def _outcomes(frame: pd.DataFrame, **_: Any) -> Chart:
    return _bars(frame, "outcome", "conversations", "How conversations ended", sort=None)


def _fallback(frame: pd.DataFrame, by: str = "day", **_: Any) -> Chart:
    rates = frame.melt(
        id_vars=[by], value_vars=["fallback_rate", "low_confidence_rate"], var_name="measure"
    )
    return _chart(
        alt.Chart(rates, title="Fallback and low-confidence rate")
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{by}:T", title=by, axis=alt.Axis(format=PERIOD_FORMATS[by])),
            y=alt.Y("value:Q", title="share of user messages", axis=alt.Axis(format="%")),
            color=alt.Color("measure:N", title=None),
            tooltip=[alt.Tooltip(f"{by}:T"), "measure:N", alt.Tooltip("value:Q", format=".1%")],
        )
        .properties(width=WIDTH, height=220)
    )


def _confidence(frame: pd.DataFrame, **_: Any) -> Chart:
    frame = frame.assign(understood=frame["understood"].map({True: "an intent", False: "none"}))
    return _chart(
        alt.Chart(frame, title="Confidence of user messages")
        .mark_bar()
        .encode(
            x=alt.X("bin_start:Q", bin="binned", title="confidence"),
            x2="bin_end:Q",
            y=alt.Y("messages:Q", stack=True),
            color=alt.Color("understood:N", title="understood as"),
            tooltip=_tooltip(frame),
        )
        .properties(width=WIDTH, height=220)
    )


def _lengths(frame: pd.DataFrame, **_: Any) -> Chart:
    return _chart(
        alt.Chart(frame, title="Conversation length")
        .mark_bar()
        .encode(x=alt.X("turns:O"), y=alt.Y("conversations:Q"), tooltip=_tooltip(frame))
        .properties(width=WIDTH, height=220)
    )


def _durations(frame: pd.DataFrame, **_: Any) -> Chart:
    return _chart(
        alt.Chart(frame, title="Conversation duration")
        .mark_bar()
        .encode(
            x=alt.X("duration:N", sort=list(frame["duration"]), title=None),
            y=alt.Y("conversations:Q"),
            tooltip=_tooltip(frame),
        )
        .properties(width=WIDTH, height=220)
    )


def _returning(frame: pd.DataFrame, by: str = "week", **_: Any) -> Chart:
    users = frame.melt(id_vars=[by], value_vars=["new_users", "returning_users"], var_name="who")
    return _chart(
        alt.Chart(users, title="New and returning users")
        .mark_bar()
        .encode(
            x=alt.X(f"{by}:T", title=by, axis=alt.Axis(format=PERIOD_FORMATS[by])),
            y=alt.Y("value:Q", title="users", stack=True),
            color=alt.Color("who:N", title=None),
            tooltip=[alt.Tooltip(f"{by}:T"), "who:N", "value:Q"],
        )
        .properties(width=WIDTH, height=220)
    )


def _retention(frame: pd.DataFrame, by: str = "week", **_: Any) -> Chart:
    base = alt.Chart(frame, title=f"Retention by first {by}").encode(
        x=alt.X("periods_later:O", title=f"{by}s later"),
        y=alt.Y("cohort:O", timeUnit="yearmonthdate", title="cohort"),
    )
    heat = base.mark_rect().encode(
        color=alt.Color("share:Q", scale=alt.Scale(scheme="blues", domain=[0, 1])),
        tooltip=_tooltip(frame),
    )
    layered = heat + base.mark_text().encode(text=alt.Text("share:Q", format=".0%"))
    return _chart(layered).properties(width=WIDTH, height=max(60, 24 * frame["cohort"].nunique()))


CHARTS: dict[str, Callable[..., Chart]] = {
    "funnel": _funnel,
    "dropoff": _dropoff,
    "reached": _reached,
    "errors": _errors,
    "paths": _paths,
    "content_usage": _content,
    "unhandled": _unhandled,
    "intents": _intents,
    "outcomes": _outcomes,
    "fallback_rate": _fallback,
    "confidence": _confidence,
    "lengths": _lengths,
    "durations": _durations,
    "returning_users": _returning,
    "retention": _retention,
}
"""Answer kind -> its chart."""


def chart(kind: str, frame: pd.DataFrame, options: dict[str, Any]) -> Chart:
    """The chart of a ``kind`` of answer, with altair's offline renderer on."""
    if alt.renderers.active == "default":  # its HTML loads Vega from a CDN: not offline
        alt.renderers.enable("mimetype")
    return CHARTS[kind](frame, **options)
