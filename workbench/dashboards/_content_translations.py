"""The "missing translations" view: each message with texts that lack one of the bot's
languages, which texts (in the words of the form) and which languages, and a button that opens
the message in the editor."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Protocol

import ipywidgets as widgets

from workbench.dashboards._form_fields import language_name
from workbench.dashboards._ui import button

__all__ = ["MissingTranslation", "MissingTranslations"]

SHOWN = 200
"""Messages listed at most."""


class MissingTranslation(Protocol):
    """What ``bot.content.missing_translations()`` lists (its class is the runtime's own)."""

    @property
    def element(self) -> str: ...
    @property
    def field(self) -> str: ...
    @property
    def languages(self) -> tuple[str, ...]: ...


Describe = Callable[[str, str], str]
"""``describe(element_id, field)``: the field in plain words (``Choice 2 > Button``)."""


class MissingTranslations:
    """The untranslated texts by message; "Open" calls ``on_open(element_id)``."""

    def __init__(self, languages: list[str], on_open: Callable[[str], None]) -> None:
        self.languages = languages
        self.on_open = on_open
        self.summary = widgets.HTML("")
        self.rows = widgets.VBox([])
        self.refresh_button = button("Check again")
        self.widget = widgets.VBox([self.summary, widgets.HBox([self.refresh_button]), self.rows])
        self.widget.add_class("wb-missing")

    def show(self, missing: Sequence[MissingTranslation], describe: Describe) -> None:
        if len(self.languages) < 2:
            self.summary.value = (
                f"<p>This bot speaks {escape(language_name(self.languages[0]))} only: there is "
                "nothing to translate. (Developers add languages in <code>bot.yml</code>.)</p>"
            )
            self.rows.children = []
            return
        if not missing:
            self.summary.value = "<p>✔ Every text is written in every language of the bot.</p>"
            self.rows.children = []
            return
        by_element: dict[str, list[MissingTranslation]] = {}
        for item in missing:
            by_element.setdefault(item.element, []).append(item)
        count = len(by_element)
        self.summary.value = (
            f"<p>{count} message{'s' if count != 1 else ''} ha{'ve' if count != 1 else 's'} "
            "texts not translated into every language yet. Until they are, the bot says "
            f"them in its default language, {escape(language_name(self.languages[0]))}.</p>"
        )
        self.rows.children = [
            self._row(element_id, items, describe)
            for element_id, items in list(by_element.items())[:SHOWN]
        ]

    def _row(
        self, element_id: str, items: list[MissingTranslation], describe: Describe
    ) -> widgets.Widget:
        lines = "".join(
            f"<div style='margin-left:12px'>{escape(describe(element_id, m.field))}: "
            f"<span style='color:#c62828'>missing in "
            f"{escape(', '.join(language_name(lang) for lang in m.languages))}</span></div>"
            for m in items
        )
        text = widgets.HTML(
            f"<b>{escape(element_id)}</b>{lines}", layout=widgets.Layout(flex="1 1 auto")
        )
        open_it = button("Open", tooltip=f"Open {element_id} in the editor")
        open_it.on_click(lambda _b: self.on_open(element_id))
        row = widgets.HBox(
            [text, open_it],
            layout=widgets.Layout(
                align_items="center", border_bottom="1px solid #eceff1", padding="4px 0"
            ),
        )
        row.add_class("wb-missing-row")
        return row
