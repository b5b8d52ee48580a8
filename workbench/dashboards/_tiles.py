"""Small pieces of HTML the dashboards show: KPI tiles, notes, a CSV download link."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from html import escape

import pandas as pd

__all__ = ["csv_link", "kpi_tiles", "note_html", "table_html"]

KPIS = (
    ("conversations", "conversations", "{:,.0f}"),
    ("users", "users", "{:,.0f}"),
    ("completion_rate", "reached END", "{:.0%}"),
    ("fallback_rate", "not understood", "{:.1%}"),
    ("turn_errors", "turn errors", "{:,.0f}"),
    ("median_turns", "median turns", "{:,.0f}"),
)
_TILE = (
    "display:inline-block;min-width:130px;margin:0 10px 10px 0;padding:10px 14px;"
    "border:1px solid #d0d7de;border-radius:8px;background:#f6f8fa"
)


def kpi_tiles(figures: Mapping[str, float]) -> str:
    """One tile per headline figure; each carries ``data-kpi`` and its raw value."""
    tiles = []
    for key, label, fmt in KPIS:
        value = float(figures.get(key, 0.0))
        tiles.append(
            f"<div class='wb-kpi' data-kpi='{key}' data-value='{value}' style='{_TILE}'>"
            f"<div style='font-size:24px;font-weight:600'>{escape(fmt.format(value))}</div>"
            f"<div style='color:#57606a'>{escape(label)}</div></div>"
        )
    return "<div class='wb-kpis'>" + "".join(tiles) + "</div>"


def note_html(text: str, kind: str = "info") -> str:
    colour = {"info": "#57606a", "empty": "#0969da", "error": "#cf222e"}[kind]
    return (
        f"<div class='wb-note wb-{kind}' style='color:{colour};margin:6px 0'>{escape(text)}</div>"
    )


def csv_link(frame: pd.DataFrame, filename: str, label: str = "Download CSV") -> str:
    """A link that downloads ``frame`` as a CSV file (a data: URL: no server round trip)."""
    data = base64.b64encode(frame.to_csv(index=False).encode("utf-8")).decode("ascii")
    return (
        f"<a class='wb-csv' download='{escape(filename)}' "
        f"href='data:text/csv;charset=utf-8;base64,{data}'>{escape(label)}</a>"
    )


def table_html(frame: pd.DataFrame, columns: list[str]) -> str:
    """A plain table of a few columns (escaped)."""
    head = "".join(
        f"<th style='text-align:left;padding:2px 10px'>{escape(c)}</th>" for c in columns
    )
    rows = []
    for record in frame[columns].itertuples(index=False):
        cells = "".join(
            f"<td style='padding:2px 10px'>{escape('' if pd.isna(v) else str(v))}</td>"
            for v in record
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<table class='wb-table'><tr>{head}</tr>{''.join(rows)}</table>"
