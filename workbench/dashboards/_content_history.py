"""The history of a message: every revision, newest first, with who made it, when, how, and
what it said; any earlier version can be restored (as a new revision: nothing is rewritten)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from html import escape
from typing import Any

import ipywidgets as widgets

from workbench.dashboards._ui import button
from workbench.schema import ContentRevision

__all__ = ["HistoryPanel", "changed_paths", "revision_words"]

SHOWN = 50
"""Revisions listed (the newest)."""

_ACTIONS = {
    "create": "created it",
    "update": "edited it",
    "delete": "deleted it",
    "revert": "restored an earlier version",
    "import": "imported translations",
}


def revision_words(revision: ContentRevision) -> str:
    """How the revision came, in words."""
    if revision.action == "file":
        return "first seen in its file" if revision.revision == 1 else "changed its file by hand"
    return _ACTIONS.get(revision.action, revision.action)


def _leaves(value: Any, at: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{at}.{key}" if at else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{at}[{index}]")
    else:
        yield at, value


def changed_paths(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """The fields (``text[0].fr``, ``choices[1].title``) that differ between two versions."""
    old, new = dict(_leaves(before or {})), dict(_leaves(after or {}))
    return sorted(path for path in old.keys() | new.keys() if old.get(path) != new.get(path))


def _said(fields: dict[str, Any] | None) -> str:
    if fields is None:
        return ""
    texts = [str(v) for _path, v in _leaves(fields) if isinstance(v, str) and v.strip()]
    line = " · ".join(texts)
    return line if len(line) <= 140 else line[:139] + "…"


def _row_html(revision: ContentRevision, older: ContentRevision | None, current: bool) -> str:
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(revision.at))
    now = " <span style='color:#2e7d32'>(current)</span>" if current else ""
    head = (
        f"<b>Revision {revision.revision}</b>{now} · {escape(when)} · "
        f"<b>{escape(revision.author)}</b> {escape(revision_words(revision))}"
    )
    said = _said(revision.fields)
    body = f"<div style='color:#37474f'>“{escape(said)}”</div>" if said else ""
    if older is not None and revision.fields is not None and older.fields is not None:
        changed = changed_paths(older.fields, revision.fields)
        if changed:
            fields = ", ".join(changed[:6]) + (" …" if len(changed) > 6 else "")
            body += f"<div style='color:#78909c;font-size:12px'>changed: {escape(fields)}</div>"
    return f"<div style='line-height:1.4'>{head}{body}</div>"


class HistoryPanel:
    """The revisions of one element; "Restore" calls ``on_restore(revision)``."""

    def __init__(self, on_restore: Callable[[int], None]) -> None:
        self.on_restore = on_restore
        self.title = widgets.HTML("")
        self.rows = widgets.VBox([])
        close = button("Close the history")
        close.on_click(lambda _b: self.hide())
        self.widget = widgets.VBox(
            [self.title, self.rows, close],
            layout=widgets.Layout(
                display="none", border="1px solid #cfd8dc", padding="6px", margin="6px 0"
            ),
        )
        self.widget.add_class("wb-history")
        self.element_id: str | None = None

    @property
    def visible(self) -> bool:
        return bool(self.widget.layout.display != "none")

    def show(self, element_id: str, revisions: list[ContentRevision], current: int | None) -> None:
        """List ``revisions`` (newest first); ``current`` is the revision open in the form."""
        self.element_id = element_id
        self.title.value = f"<h4 style='margin:2px 0'>History of {escape(element_id)}</h4>"
        shown = revisions[:SHOWN]
        rows: list[widgets.Widget] = []
        for index, revision in enumerate(shown):
            older = revisions[index + 1] if index + 1 < len(revisions) else None
            is_current = revision.revision == current
            parts: list[widgets.Widget] = [
                widgets.HTML(
                    _row_html(revision, older, is_current), layout=widgets.Layout(flex="1 1 auto")
                )
            ]
            if revision.fields is not None and not is_current:
                restore = button("Restore", tooltip=f"Restore revision {revision.revision}")
                restore.on_click(lambda _b, number=revision.revision: self.on_restore(number))
                parts.append(restore)
            row = widgets.HBox(
                parts, layout=widgets.Layout(border_bottom="1px solid #eceff1", padding="3px 0")
            )
            row.add_class("wb-revision")
            rows.append(row)
        if len(revisions) > SHOWN:
            rows.append(widgets.HTML(f"<i>… {len(revisions) - SHOWN} older revisions</i>"))
        self.rows.children = rows
        self.widget.layout.display = "flex"

    def hide(self) -> None:
        self.widget.layout.display = "none"
        self.element_id = None
