"""The list of messages: a search box (every field, every language), filters by type and by
language, and the matching elements, each shown by its name and its first words."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape

import ipywidgets as widgets

from workbench.content import ContentType, Element
from workbench.dashboards._content_index import summary
from workbench.dashboards._form_fields import language_name

__all__ = ["ElementList", "Query"]

SHOWN = 300
"""At most this many elements are listed (a search narrows a longer list)."""

Query = tuple[str, str | None, str | None]
"""What the list asks for: the text searched, the type (None: all), the language (None: all)."""


class ElementList:
    """The left column: search, filters and the list. ``on_query`` is called when the search or
    a filter changes, ``on_pick`` with the id of the element a person picked."""

    def __init__(
        self,
        types: Mapping[str, ContentType],
        languages: list[str],
        on_query: Callable[[], None],
        on_pick: Callable[[str], None],
    ) -> None:
        self.languages = languages
        self.search = widgets.Text(
            placeholder="Search: any word, in any language",
            continuous_update=True,
            layout=widgets.Layout(width="98%"),
        )
        self.search.add_class("wb-search")
        self.type = widgets.Dropdown(
            options=[("All types", "")] + [(t.title, name) for name, t in types.items()],
            value="",
            layout=widgets.Layout(width="49%"),
        )
        self.type.add_class("wb-filter-type")
        self.language = widgets.Dropdown(
            options=[("All languages", "")] + [(language_name(lang), lang) for lang in languages],
            value="",
            layout=widgets.Layout(width="49%", display="" if len(languages) > 1 else "none"),
        )
        self.language.add_class("wb-filter-language")
        self.select = widgets.Select(options=[], rows=20, layout=widgets.Layout(width="98%"))
        self.select.add_class("wb-list")
        self.count = widgets.HTML("")
        self._quiet = False
        self._on_pick = on_pick
        for control in (self.search, self.type, self.language):
            control.observe(lambda _change: on_query(), names="value")
        self.select.observe(self._picked, names="value")
        self.widget = widgets.VBox(
            [
                self.search,
                widgets.HBox([self.type, self.language]),
                self.count,
                self.select,
            ],
            layout=widgets.Layout(width="100%"),
        )

    def query(self) -> Query:
        return (
            str(self.search.value),
            str(self.type.value) or None,
            str(self.language.value) or None,
        )

    def show(self, elements: list[Element], selected: str | None) -> None:
        """List ``elements`` (the first :data:`SHOWN`), ``selected`` highlighted if listed."""
        language = str(self.language.value) or self.languages[0]
        default = self.languages[0]
        shown = elements[:SHOWN]
        options = [(_label(e, language, default), e.id) for e in shown]
        ids = {e.id for e in shown}
        if selected is not None and selected not in ids:
            options.insert(0, (selected, selected))  # the open one stays listed
            ids.add(selected)
        self._quiet = True
        try:
            self.select.options = options
            self.select.value = selected if selected in ids else None
        finally:
            self._quiet = False
        self.count.value = _count(len(elements), len(shown), str(self.search.value).strip())

    def highlight(self, element_id: str | None) -> None:
        """Select ``element_id`` in the list without opening it (it is open already)."""
        values = {value for _label, value in self.select.options}
        self._quiet = True
        try:
            self.select.value = element_id if element_id in values else None
        finally:
            self._quiet = False

    def _picked(self, change: Mapping[str, object]) -> None:
        new = change.get("new")
        if not self._quiet and isinstance(new, str):
            self._on_pick(new)


def _label(element: Element, language: str, default: str) -> str:
    line = summary(element, language, default, width=60)
    return f"{element.id} — {line}" if line else element.id


def _count(found: int, shown: int, text: str) -> str:
    style = "color:#607d8b;font-size:12px;margin:2px 0"
    match = f" match “{escape(text)}”" if text else ""
    if found == 0:
        none = match.replace(" match ", " matches ") if match else " here"
        return f"<div class='wb-count' style='{style}'>No message{none}.</div>"
    more = f" (the first {shown} shown: search to narrow the list)" if shown < found else ""
    plural = "s" if found != 1 else ""
    verb = match if found != 1 or not match else match.replace(" match ", " matches ")
    return f"<div class='wb-count' style='{style}'>{found:,} message{plural}{verb}{more}</div>"
