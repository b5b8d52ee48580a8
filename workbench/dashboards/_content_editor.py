"""The content editor: the Voilà page where content editors find, change, preview and publish
what the bot says, without seeing code. ``content_editor(BOT)`` draws it for a bot folder
(``workbench dashboard content BOT`` serves it).

Three columns: the messages (search and filters), the message open (its form, generated from
its type's schema, with save, duplicate, delete and history), and its preview (web chat and a
text-only channel, in the language picked, with sample values). A second tab lists the texts
not yet translated. Every save goes through ``bot.content`` with the revision the form was
opened at, so an editor never overwrites a change they have not seen: their text stays in the
form and the other version is shown beside it. The page never shows a traceback: every action
is guarded (:func:`~workbench.dashboards._ui.guarded`) and says what happened in plain words.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from IPython import display as ipython_display

from workbench.content import Element, make_element
from workbench.dashboards._content_actions import ContentActions, Opened
from workbench.dashboards._content_conflict import ConflictPanel
from workbench.dashboards._content_form import ContentForm, field_message, field_words
from workbench.dashboards._content_history import HistoryPanel
from workbench.dashboards._content_index import SearchIndex
from workbench.dashboards._content_list import ElementList
from workbench.dashboards._content_preview import Preview
from workbench.dashboards._content_translations import MissingTranslations
from workbench.dashboards._ui import Confirm, Status, button, guarded, log, log_to_server
from workbench.dashboards._ui import message_html as _message
from workbench.runtime import Bot
from workbench.schema import BotError, ContentError

__all__ = ["ContentEditor", "Opened", "content_editor"]


class ContentEditor(ContentActions):
    """The editor of one bot's content (see the module docstring). ``widget`` is the page."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.languages = list(bot.settings.languages)
        self.types = bot.content.types
        self.opened: Opened | None = None
        self.form: ContentForm | None = None
        self.dirty = False
        """Whether the form holds changes not saved yet."""
        self._index: SearchIndex | None = None
        self.status = Status()
        self.confirm = Confirm()
        self.author = widgets.Text(
            placeholder="Type your name",
            description="Your name",
            layout=widgets.Layout(width="280px"),
        )
        self.author.add_class("wb-author")
        self.list = ElementList(
            self.types,
            self.languages,
            self._guard(self.refresh_list, "search the messages"),
            self._guard(self.open, "open the message"),
        )
        self.preview = Preview(self.languages)
        self.preview.language.observe(
            lambda _c: self._guard(self.update_preview, "show the preview")(), names="value"
        )
        self.preview.samples.listeners.append(self._guard(self.update_preview, "show the preview"))
        self.history = HistoryPanel(self._guard(self.restore, "restore the version"))
        self.conflict = ConflictPanel(
            self._guard(self.save_over_theirs, "save the message"),
            self._guard(self.take_theirs, "open their version"),
        )
        self.translations = MissingTranslations(
            self.languages, self._guard(self._open_from_translations, "open the message")
        )
        self.translations.refresh_button.on_click(
            lambda _b: self._guard(self.refresh_translations, "list missing translations")()
        )
        self._build()
        self.refresh_list()

    # --- layout ------------------------------------------------------------------------
    def _guard(self, action: Callable[..., Any], doing: str) -> Callable[..., None]:
        return guarded(self.status, doing)(action)

    def _button(self, label: str, action: Callable[[], Any], doing: str, **kw: Any) -> Any:
        made = button(label, **kw)
        made.on_click(lambda _b: self._guard(action, doing)())
        return made

    def _build(self) -> None:
        left = widgets.VBox(
            [widgets.HTML("<h3 style='margin:4px 0'>Messages</h3>"), self.list.widget, self._new()],
            layout=widgets.Layout(width="28%"),
        )
        right = widgets.VBox(
            [self.conflict.widget, self.preview.widget], layout=widgets.Layout(width="32%")
        )
        columns = widgets.HBox([left, self._center(), right], layout=widgets.Layout(width="100%"))
        self.problems = widgets.HTML("")
        self.problems.add_class("wb-problems")
        messages = widgets.VBox([self.problems, columns], layout=widgets.Layout(width="100%"))
        self.tabs = widgets.Tab(children=[messages, self.translations.widget])
        self.tabs.set_title(0, "Messages")
        self.tabs.set_title(1, "Missing translations")
        self.tabs.observe(self._tab_changed, names="selected_index")
        top = widgets.HBox(
            [widgets.HTML(_title(self.bot)), self.author],
            layout=widgets.Layout(justify_content="space-between", align_items="center"),
        )
        self.widget = widgets.VBox([top, self.tabs], layout=widgets.Layout(width="100%"))
        self.widget.add_class("wb-content-editor")

    def _center(self) -> widgets.Widget:
        """The middle column: the message open, its buttons, what happened, its form."""
        self.header = widgets.HTML(_intro())
        self.new_id = widgets.Text(
            description="Name",
            placeholder="e.g. welcome_back (optional: one is made for you)",
            style={"description_width": "60px"},
            layout=widgets.Layout(width="98%"),
        )
        self.new_id.add_class("wb-new-id")
        self.new_id_error = widgets.HTML("")
        self.new_id_box = widgets.VBox(
            [self.new_id, self.new_id_error], layout=widgets.Layout(display="none")
        )
        self.save_button = self._button("Save", self.save, "save the message", style="primary")
        self.save_button.add_class("wb-save")
        self.actions = widgets.HBox(
            [
                self.save_button,
                self._button("Duplicate", self.duplicate, "duplicate the message"),
                self._button("Delete", self.delete, "delete the message", style="danger"),
                self._button("History", self.show_history, "show the history"),
            ],
            layout=widgets.Layout(display="none", flex_flow="row wrap"),
        )
        self.form_holder = widgets.VBox([], layout=widgets.Layout(width="100%"))
        return widgets.VBox(
            [
                self.header,
                self.actions,
                self.confirm.widget,
                self.status.widget,
                self.new_id_box,
                self.form_holder,
                self.history.widget,
            ],
            layout=widgets.Layout(width="40%", padding="0 12px"),
        )

    def _new(self) -> widgets.Widget:
        self.new_type = widgets.Dropdown(
            options=[(t.title, name) for name, t in self.types.items()],
            layout=widgets.Layout(width="60%"),
        )
        self.new_type.add_class("wb-new-type")
        make = self._button("New message", self.new, "start a new message", width="38%")
        make.add_class("wb-new")
        return widgets.VBox(
            [
                widgets.HTML("<div style='margin-top:8px'>New message of type</div>"),
                widgets.HBox([self.new_type, make]),
            ]
        )

    def _tab_changed(self, change: dict[str, Any]) -> None:
        if change.get("new") == 1:
            self._guard(self.refresh_translations, "list missing translations")()

    def _ipython_display_(self) -> None:
        """Shown once, by :func:`content_editor`; ``display(editor.widget)`` shows it again."""

    # --- the list ----------------------------------------------------------------------
    def refresh_list(self) -> None:
        """The list for the search and filters, from the content files as they are now."""
        self.bot.refresh_content(force=True)
        library = self.bot.content.library
        if self._index is None or self._index.library is not library:
            self._index = SearchIndex(library)
        text, kind, language = self.list.query()
        selected = self.opened.id if self.opened is not None else None
        self.list.show(self._index.search(text, kind, language), selected)
        self.problems.value = _problems_html(self.bot)

    def refresh_translations(self) -> None:
        self.bot.refresh_content(force=True)
        self.translations.show(self.bot.content.missing_translations(), self._words)

    def _words(self, element_id: str, field: str) -> str:
        """A field of an element in the words of its form."""
        element = self.bot.content.library.get(element_id)
        return field_words(self.types[element.type], element.fields, field)

    def _open_from_translations(self, element_id: str) -> None:
        self.tabs.selected_index = 0
        self.open(element_id)

    # --- opening -----------------------------------------------------------------------
    def open(self, element_id: str) -> None:
        """Open an element in the form (asking first if the form holds unsaved changes)."""
        if self.opened is not None and element_id == self.opened.id and not self.dirty:
            return
        self.bot.refresh_content(force=True)
        if element_id not in self.bot.content.ids():
            self.refresh_list()  # the list was older than the files: it is not now
            self.status.show("warn", f"“{element_id}” no longer exists: someone deleted it.")
            return
        self._unless_unsaved(f"open “{element_id}”", lambda: self._open(element_id))

    def new(self) -> None:
        """An empty form of the type picked; the element exists once saved."""
        kind = str(self.new_type.value)
        self._unless_unsaved("start a new message", lambda: self._new_form(kind))

    def _unless_unsaved(self, doing: str, then: Callable[[], None]) -> None:
        if not self.dirty:
            then()
            return
        self.list.highlight(self.opened.id if self.opened is not None else None)
        name = self.opened.id if self.opened is not None and self.opened.id else "the new message"
        self.confirm.ask(
            f"Your changes to “{name}” are not saved. Drop them and {doing}?",
            "Drop my changes",
            self._guard(then, doing),
        )

    def _open(self, element_id: str) -> None:
        element = self.bot.content.get(element_id)
        self.opened = Opened(element.id, element.type, element.revision)
        self._show(element.type, element.fields)
        self.header.value = self._header(element)
        self.new_id_box.layout.display = "none"
        self._set_actions(True)
        self.list.highlight(element.id)

    def _new_form(self, kind: str) -> None:
        self.opened = Opened(None, kind, None)
        self._show(kind, {})
        title = escape(self.types[kind].title)
        self.header.value = f"<h2 style='margin:4px 0'>New message</h2><div>{title}</div>"
        self.new_id.value = ""
        self.new_id_error.value = ""
        self.new_id_box.layout.display = "flex"
        self._set_actions(False)
        self.list.highlight(None)
        self.status.show("info", "Fill in the message, then press Save.")

    def _show(self, kind: str, fields: dict[str, Any]) -> None:
        """A fresh form for ``fields``; the panels of the previous element go."""
        form = ContentForm(
            self.types[kind],
            self.languages,
            fields,
            guard=lambda action: self._guard(action, "change the list of items"),
        )
        form.on_change(self._guard(self._changed, "show the preview"))
        self.form = form
        self.form_holder.children = [form.widget]
        self.dirty = False
        self.conflict.hide()
        self.history.hide()
        self.confirm.dismiss()
        self.status.clear()
        self.update_preview()

    def _set_actions(self, existing: bool) -> None:
        self.actions.layout.display = "flex"
        for child in self.actions.children[1:]:
            child.layout.display = "" if existing else "none"

    def _header(self, element: Element) -> str:
        used = self.bot.content.used_in(element.id)
        where = (
            f"said in {', '.join(escape(u) for u in used)}" if used else "not used in a flow yet"
        )
        return (
            f"<h2 style='margin:4px 0'>{escape(element.id)}</h2>"
            f"<div style='color:#546e7a'>{escape(self.types[element.type].title)} · revision "
            f"{element.revision} · content/{escape(Path(element.file).name)} · {where}</div>"
        )

    # --- typing and the preview --------------------------------------------------------
    def _changed(self) -> None:
        self.dirty = True
        self.update_preview()

    def candidate(self) -> Element | ContentError:
        """The element as the form holds it, or why it is not one yet."""
        assert self.opened is not None and self.form is not None
        fields = self.form.value()
        try:
            return make_element(
                self.opened.id or "new_message",
                {"type": self.opened.type, **fields},
                types=self.types,
            )
        except ContentError as exc:
            return exc

    def update_preview(self) -> None:
        if self.opened is None or self.form is None:
            self.preview.clear()
            return
        found = self.candidate()
        if isinstance(found, ContentError):
            where = f"“{self.form.describe(found.field)}”: " if found.field else ""
            reason = field_message(str(found)) if found.field else str(found)
            self.preview.problem(f"The preview waits for a fix. {where}{reason}")
            return
        self.form.clear_errors()
        self.preview.show(found)


def _title(bot: Bot) -> str:
    about = escape(bot.settings.description or "")
    return (
        f"<div style='font-size:15px'><b>{escape(bot.name)}</b>"
        f"<span style='color:#546e7a'> · {about}</span></div>"
    )


def _problems_html(bot: Bot) -> str:
    """What keeps the content files from loading (the bot runs the last version that did)."""
    if not bot.content_problems:
        return ""
    folder = f"{bot.path}/" if bot.path is not None else ""
    lines = "\n".join(f"• {str(p).replace(folder, '')}" for p in bot.content_problems[:10])
    return _message(
        "error",
        "The bot cannot use its content files as they are now: it keeps saying the last "
        "version that worked, and it will not start again until this is fixed (restore the "
        f"message, or ask a developer):\n{lines}",
    )


def _intro() -> str:
    return (
        "<h2 style='margin:4px 0'>Pick a message</h2>"
        "<div style='color:#546e7a'>Choose a message in the list on the left to change what "
        "the bot says, or start a new one below the list. The preview on the right shows it "
        "as users will see it.</div>"
    )


def _show_on_page(widget: widgets.Widget) -> None:
    ipython_display.display(widget)  # type: ignore[no-untyped-call]


def content_editor(bot_folder: str | Path) -> ContentEditor | None:
    """Draw the content editor of the bot folder and return it (None, with a message on the
    page, when the folder cannot be opened)."""
    log_to_server()
    try:
        editor = ContentEditor(Bot.load(bot_folder))
    except BotError as exc:
        _show_on_page(
            widgets.HTML(_message("error", f"The bot in {bot_folder} cannot be opened.\n{exc}"))
        )
        return None
    except Exception:
        log.exception("content editor: cannot open %s", bot_folder)
        _show_on_page(
            widgets.HTML(
                _message(
                    "error",
                    f"The content editor could not open {bot_folder}. The details are in the "
                    "dashboard server's log.",
                )
            )
        )
        return None
    _show_on_page(editor.widget)
    return editor
