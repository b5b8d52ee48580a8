"""The "missing translations" view: each text that lacks one of the bot's languages, with a
button that opens its message in the editor."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Protocol

import ipywidgets as widgets

from workbench.dashboards._form_fields import language_name
from workbench.dashboards._ui import button

__all__ = ["MissingTranslations"]


class MissingTranslation(Protocol):
    """What ``bot.content.missing_translations()`` lists (its class is the runtime's own)."""

    @property
    def element(self) -> str: ...
    @property
    def field(self) -> str: ...
    @property
    def languages(self) -> tuple[str, ...]: ...


SHOWN = 300


class MissingTranslations:
    """The list of untranslated texts; "Open" calls ``on_open(element_id)``."""

    def __init__(self, languages: list[str], on_open: Callable[[str], None]) -> None:
        self.languages = languages
        self.on_open = on_open
        self.summary = widgets.HTML("")
        self.rows = widgets.VBox([])
        self.refresh_button = button("Check again")
        self.widget = widgets.VBox([self.summary, self.refresh_button, self.rows])
        self.widget.add_class("wb-missing")

    def show(self, missing: Sequence[MissingTranslation]) -> None:
        if len(self.languages) < 2:
            self.summary.value = (
                f"<p>This bot speaks {escape(language_name(self.languages[0]))} only: there is "
                "nothing to translate. (Developers add languages in <code>bot.yml</code>.)</p>"
            )
            self.rows.children = []
            return
        if not missing:
            self.summary.value = "<p>✅ Every text is written in every language of the bot.</p>"
            self.rows.children = []
            return
        elements = len({m.element for m in missing})
        self.summary.value = (
            f"<p>{len(missing)} text{'s' if len(missing) != 1 else ''} in {elements} "
            f"message{'s' if elements != 1 else ''} are not translated into every language "
            "yet. Until they are, the bot says them in its default language "
            f"({escape(language_name(self.languages[0]))}).</p>"
        )
        self.rows.children = [self._row(m) for m in missing[:SHOWN]]

    def _row(self, missing: MissingTranslation) -> widgets.Widget:
        languages = ", ".join(language_name(lang) for lang in missing.languages)
        text = widgets.HTML(
            f"<b>{escape(missing.element)}</b> · {escape(missing.field)} · missing: "
            f"<span style='color:#c62828'>{escape(languages)}</span>",
            layout=widgets.Layout(flex="1 1 auto"),
        )
        open_it = button("Open", tooltip=f"Open {missing.element} in the editor")
        open_it.on_click(lambda _b: self.on_open(missing.element))
        row = widgets.HBox([text, open_it], layout=widgets.Layout(align_items="center"))
        row.add_class("wb-missing-row")
        return row
