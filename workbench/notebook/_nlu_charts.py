"""Charts of an NLU evaluation (altair): confusion matrix, F1 per intent, the threshold curve,
the few-shot curve.

They take the plain results of :mod:`workbench.nlu` (an ``IntentReport``, the points of a
threshold curve), so the same charts serve a bot's cross-validation and a public benchmark.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import altair as alt

    from workbench.nlu import IntentReport

__all__ = ["confusion_chart", "f1_chart", "few_shot_chart", "threshold_chart"]


def _offline_renderer() -> None:
    """Charts as Vega-Lite JSON, which JupyterLab renders itself: altair's default HTML output
    loads Vega from a CDN, which an offline machine cannot reach. A renderer the user chose
    is left alone."""
    import altair as alt

    if alt.renderers.active == "default":
        alt.renderers.enable("mimetype")


def confusion_chart(report: IntentReport, *, size: int = 420) -> alt.LayerChart:
    """Expected intents (rows) against predicted ones (columns); the diagonal is right."""
    import altair as alt  # notebook dependencies (the ``lab`` extra), loaded on first chart
    import pandas as pd

    _offline_renderer()

    labels = list(report.labels)
    cells = [
        {"expected": e, "predicted": p, "count": report.confusion[i][j]}
        for i, e in enumerate(labels)
        for j, p in enumerate(labels)
        if report.confusion[i][j]
    ]
    base = alt.Chart(pd.DataFrame(cells, columns=["expected", "predicted", "count"])).encode(
        x=alt.X("predicted:N", title="predicted", sort=labels),
        y=alt.Y("expected:N", title="expected", sort=labels),
    )
    heat = base.mark_rect().encode(
        color=alt.Color("count:Q", scale=alt.Scale(scheme="blues"), title="examples"),
        tooltip=["expected:N", "predicted:N", "count:Q"],
    )
    text = base.mark_text(fontSize=10).encode(text="count:Q")
    chart: alt.LayerChart = (heat + text).properties(
        width=size, height=size, title="Confusion matrix"
    )
    return chart


def f1_chart(report: IntentReport) -> alt.Chart:
    """F1 per intent, worst first, with precision, recall and the number of examples."""
    import altair as alt  # notebook dependencies (the ``lab`` extra), loaded on first chart
    import pandas as pd

    _offline_renderer()

    rows = [
        {"intent": name, "precision": p, "recall": r, "f1": f, "examples": n}
        for name, (p, r, f, n) in report.per_intent.items()
    ]
    order = [
        name for name, _ in sorted(report.per_intent.items(), key=lambda kv: (kv[1][2], kv[0]))
    ]
    chart: alt.Chart = (
        alt.Chart(pd.DataFrame(rows))
        .mark_bar()
        .encode(
            x=alt.X("f1:Q", scale=alt.Scale(domain=[0, 1]), title="F1"),
            y=alt.Y("intent:N", sort=order, title=None),
            color=alt.Color(
                "f1:Q", scale=alt.Scale(scheme="redyellowgreen", domain=[0, 1]), legend=None
            ),
            tooltip=[
                "intent:N",
                alt.Tooltip("precision:Q", format=".2f"),
                alt.Tooltip("recall:Q", format=".2f"),
                alt.Tooltip("f1:Q", format=".2f"),
                "examples:Q",
            ],
        )
        .properties(width=420, title=f"F1 per intent (macro F1 {report.macro_f1:.2f})")
    )
    return chart


def threshold_chart(
    points: Sequence[dict[str, float | None]], threshold: float | None = None
) -> alt.Chart | alt.LayerChart:
    """In-scope accuracy and out-of-scope recall as the threshold rises; a rule marks
    ``threshold`` (the one the bot uses)."""
    import altair as alt  # notebook dependencies (the ``lab`` extra), loaded on first chart
    import pandas as pd

    _offline_renderer()

    names = {
        "in_scope_accuracy": "in-scope accuracy",
        "oos_recall": "out-of-scope recall",
        "accuracy": "overall accuracy",
    }
    rows = [
        {"threshold": point["threshold"], "measure": label, "value": point[key]}
        for point in points
        for key, label in names.items()
        if point.get(key) is not None
    ]
    lines = (
        alt.Chart(pd.DataFrame(rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("threshold:Q", scale=alt.Scale(domain=[0, 1]), title="threshold"),
            y=alt.Y("value:Q", scale=alt.Scale(domain=[0, 1]), title=None),
            color=alt.Color("measure:N", title=None),
            tooltip=["threshold:Q", "measure:N", alt.Tooltip("value:Q", format=".3f")],
        )
    )
    chart: alt.Chart | alt.LayerChart = lines
    if threshold is not None:
        rule = (
            alt.Chart(pd.DataFrame([{"threshold": threshold}]))
            .mark_rule(strokeDash=[4, 4], color="gray")
            .encode(x="threshold:Q")
        )
        chart = lines + rule
    return chart.properties(width=460, height=260, title="Out-of-scope threshold")


def few_shot_chart(points: Sequence[dict[str, str | int | float | None]]) -> alt.Chart:
    """Accuracy against examples per intent (``workbench.nlu.few_shot_curve``): one colour per
    engine, closed-set top-1 solid, accuracy after the out-of-scope threshold dashed."""
    import altair as alt  # notebook dependencies (the ``lab`` extra), loaded on first chart
    import pandas as pd

    _offline_renderer()

    names = {
        "closed_set_top1": "closed-set top-1",
        "in_scope_accuracy": "after rejection",
    }
    rows = [
        {
            "engine": point["engine"],
            "examples per intent": point["examples_per_intent"],
            "measure": label,
            "accuracy": point[key],
        }
        for point in points
        for key, label in names.items()
        if point.get(key) is not None
    ]
    chart: alt.Chart = (
        alt.Chart(pd.DataFrame(rows))
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "examples per intent:Q", scale=alt.Scale(type="log"), title="examples per intent"
            ),
            y=alt.Y("accuracy:Q", scale=alt.Scale(domain=[0, 1]), title="in-scope accuracy"),
            color=alt.Color("engine:N"),
            strokeDash=alt.StrokeDash("measure:N", title=None),
            tooltip=[
                "engine:N",
                "examples per intent:Q",
                "measure:N",
                alt.Tooltip("accuracy:Q", format=".3f"),
            ],
        )
        .properties(width=460, height=260, title="Few-shot curve")
    )
    return chart
