"""How an NLU evaluation reads: a few lines for ``print``, a table for a notebook.

``print(cv)`` of a cross-validation, or of its ``report``, says how many examples were scored,
the headline scores and the weakest intents, in a few lines; in a notebook the same objects show
the per-intent table (and, for a cross-validation, its least confident mistakes). The data
(``texts``, ``labels``, ``confusion``...) stays on the objects for charts and DataFrames.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from workbench.schema import plural

__all__ = ["MISTAKES_SHOWN", "WEAKEST_SHOWN", "report_html", "report_lines"]

WEAKEST_SHOWN = 3
"""Intents that ``print`` names as the weakest (lowest F1)."""
MISTAKES_SHOWN = 10
"""Mistakes a cross-validation's HTML lists (``cv.mistakes()`` has them all)."""
_CELL = "padding:2px 8px;text-align:right"
_LEFT = "padding:2px 8px;text-align:left"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _scores(report: Any) -> str:
    """``accuracy 91.2%, in scope 93.0%, out of scope recall 80.0%, macro F1 0.90``."""
    parts = [f"accuracy {_percent(report.accuracy)}"]
    if report.in_scope_accuracy is not None and report.oos_recall is not None:
        parts.append(f"in scope {_percent(report.in_scope_accuracy)}")
        parts.append(f"out of scope recall {_percent(report.oos_recall)}")
    parts.append(f"macro F1 {report.macro_f1:.2f}")
    return ", ".join(parts)


def _weakest(per_intent: Mapping[str, tuple[float, float, float, int]]) -> list[str]:
    ranked = sorted(per_intent.items(), key=lambda item: (item[1][2], item[0]))
    return [f"{name} ({f1:.2f})" for name, (_, _, f1, _) in ranked[:WEAKEST_SHOWN] if f1 < 1.0]


def report_lines(report: Any, title: str) -> list[str]:
    """``title``, the scores, and the weakest intents by F1 (none when every one is perfect)."""
    lines = [title, _scores(report)]
    weakest = _weakest(report.per_intent)
    lines.append(f"weakest intents: {', '.join(weakest)}" if weakest else "every intent: F1 1.00")
    return lines


def _intent_rows(per_intent: Mapping[str, tuple[float, float, float, int]]) -> str:
    rows = []
    for name, (precision, recall, f1, support) in sorted(
        per_intent.items(), key=lambda item: (item[1][2], item[0])
    ):
        colour = "#b00020" if f1 < 0.7 else "inherit"
        rows.append(
            f"<tr><td style='{_LEFT}'><code>{escape(name)}</code></td>"
            f"<td style='{_CELL}'>{precision:.2f}</td><td style='{_CELL}'>{recall:.2f}</td>"
            f"<td style='{_CELL};color:{colour}'><b>{f1:.2f}</b></td>"
            f"<td style='{_CELL}'>{support}</td></tr>"
        )
    head = "".join(
        f"<th style='{_LEFT if h == 'intent' else _CELL}'>{h}</th>"
        for h in ("intent", "precision", "recall", "F1", "examples")
    )
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _mistake_rows(mistakes: Sequence[Mapping[str, Any]]) -> str:
    shown = mistakes[:MISTAKES_SHOWN]
    rows = "".join(
        f"<tr><td style='{_LEFT}'>{escape(str(m['text']))}</td>"
        f"<td style='{_LEFT}'><code>{escape(str(m['expected']))}</code></td>"
        f"<td style='{_LEFT}'><code>{escape(str(m['predicted']))}</code></td>"
        f"<td style='{_CELL}'>{float(m['confidence']):.2f}</td></tr>"
        for m in shown
    )
    head = "".join(
        f"<th style='{_LEFT if h != 'confidence' else _CELL}'>{h}</th>"
        for h in ("text", "expected", "predicted", "confidence")
    )
    more = len(mistakes) - len(shown)
    tail = f"<p>… {plural(more, 'more mistake')} in <code>.mistakes()</code></p>" if more else ""
    return f"<table><tr>{head}</tr>{rows}</table>{tail}"


def report_html(
    report: Any, title: str, mistakes: Sequence[Mapping[str, Any]] | None = None
) -> str:
    """The title and scores, the per-intent table (weakest first) and, when given, the least
    confident mistakes."""
    parts = [
        f"<p><b>{escape(title)}</b><br>{escape(_scores(report))}</p>",
        _intent_rows(report.per_intent),
    ]
    if mistakes is not None:
        label = plural(len(mistakes), "mistake")
        parts.append(f"<p><b>{label}</b>{', least confident first' if mistakes else ''}</p>")
        if mistakes:
            parts.append(_mistake_rows(mistakes))
    return "".join(parts)
