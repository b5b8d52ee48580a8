"""What the content editor's buttons do: save (a new element, or an update on the revision the
form was opened at), the way out of a conflict, duplicate, delete (asking again, and once more
when the flows use it) and restore an earlier version.

Each action goes through ``bot.content`` and ends with one sentence on the status line. A
refused save writes nothing and keeps the form as it is: a conflict shows the other version
beside it, an invalid value is marked at its field, a file that cannot be written is said so.
:class:`ContentActions` is mixed into :class:`~workbench.dashboards._content_editor.ContentEditor`,
which builds the widgets these actions read and write.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from workbench.config import NAME_PATTERN
from workbench.content import ContentType, Element
from workbench.dashboards._content_conflict import ConflictPanel, conflict_message
from workbench.dashboards._content_form import ContentForm, field_message
from workbench.dashboards._content_history import HistoryPanel
from workbench.dashboards._content_preview import Preview
from workbench.dashboards._form_fields import error_html
from workbench.dashboards._ui import Confirm, Status
from workbench.runtime import Bot
from workbench.schema import ConflictError, ContentError

__all__ = ["ContentActions", "Opened"]

_NAME = re.compile(NAME_PATTERN)


@dataclass
class Opened:
    """The element in the form: its id (None until a new one is saved), its type, and the
    revision it was opened at (what a save is based on)."""

    id: str | None
    type: str
    revision: int | None


class ContentActions:
    """The editor's actions (see the module docstring)."""

    bot: Bot
    types: dict[str, ContentType]
    languages: list[str]
    opened: Opened | None
    form: ContentForm | None
    dirty: bool
    status: Status
    confirm: Confirm
    author: widgets.Text
    conflict: ConflictPanel
    history: HistoryPanel
    preview: Preview
    header: widgets.HTML
    actions: widgets.HBox
    form_holder: widgets.VBox
    new_id: widgets.Text
    new_id_error: widgets.HTML
    new_id_box: widgets.VBox

    # --- what the editor provides --------------------------------------------------------
    def _guard(self, action: Callable[..., Any], doing: str) -> Callable[..., None]:
        raise NotImplementedError

    def _open(self, element_id: str) -> None:
        raise NotImplementedError

    def _unless_unsaved(self, doing: str, then: Callable[[], None]) -> None:
        raise NotImplementedError

    def _set_actions(self, existing: bool) -> None:
        raise NotImplementedError

    def _header(self, element: Element) -> str:
        raise NotImplementedError

    def refresh_list(self) -> None:
        raise NotImplementedError

    # --- saving ------------------------------------------------------------------------
    def _who(self) -> str | None:
        name = str(self.author.value).strip()
        if not name:
            self.status.show(
                "warn", "Type your name at the top right first: the history shows who changed what."
            )
            return None
        return name

    def save(self) -> None:
        """Save the form: a new element is created, an existing one updated on the revision it
        was opened at (a change saved meanwhile by anyone is a conflict: nothing is written)."""
        opened, form = self.opened, self.form
        if opened is None or form is None:
            return
        author = self._who()
        if author is None:
            return
        form.clear_errors()
        fields = form.value()
        try:
            if opened.id is None:
                good, element_id = self._new_id()
                if not good:
                    return
                saved = self.bot.content.create(opened.type, fields, element_id, author=author)
            else:
                assert opened.revision is not None
                saved = self.bot.content.update(opened.id, fields, opened.revision, author=author)
        except ConflictError:
            self._conflict(opened)
            return
        except ContentError as exc:
            if opened.id is not None and opened.id not in self.bot.content:
                self._conflict(opened)  # deleted meanwhile
                return
            self._refused(exc, form)
            return
        self._saved(saved, "Saved")

    def _new_id(self) -> tuple[bool, str | None]:
        """Whether the name typed for a new element is good (if not, says why), and the name
        (None: one is made)."""
        name = str(self.new_id.value).strip()
        self.new_id_error.value = ""
        problem = ""
        if name and not _NAME.match(name):
            problem = "A name uses small letters, digits and _, and starts with a letter."
        elif name and name in self.bot.content:
            problem = f"There is already a message named “{name}”: choose another name."
        if problem:
            self.new_id_error.value = error_html(problem)
            self.status.show("error", f"Not saved: {problem}")
            return False, None
        return True, name or None

    def _refused(self, exc: ContentError, form: ContentForm) -> None:
        if exc.field:
            form.show_error(exc.field, str(exc))
            where = form.describe(exc.field)
            reason = field_message(str(exc))
            self.status.show(
                "error",
                f"Not saved (nothing was written): “{where}” needs a fix, marked in red "
                f"below. {reason}",
            )
        else:
            self.status.show("error", f"Not saved: {exc}. Your text is still in the form.")

    def _conflict(self, opened: Opened) -> None:
        assert opened.id is not None
        history = self.bot.content.history(opened.id)
        latest = history[0] if history else None
        theirs = self.bot.content.get(opened.id) if opened.id in self.bot.content else None
        kind = theirs.type if theirs is not None else opened.type  # a hand edit may change it
        self.conflict.show(theirs, latest, self.types[kind], self.languages)
        self.status.show("error", conflict_message(opened.id, latest, opened.revision or 0))

    def save_over_theirs(self) -> None:
        """Save the form on top of the version that was in the way."""
        opened, theirs, latest = self.opened, self.conflict.theirs, self.conflict.latest
        if opened is None or opened.id is None or self.form is None:
            return
        if theirs is not None:
            opened.revision = theirs.revision
            self.save()
            return
        author = self._who()  # they deleted it: bring it back, in its file, as the form says
        if author is None:
            return
        file = Path(latest.file).name if latest is not None and latest.file else None
        try:
            saved = self.bot.content.create(
                opened.type, self.form.value(), opened.id, file=file, author=author
            )
        except ContentError as exc:
            self._refused(exc, self.form)
            return
        self._saved(saved, "Saved")

    def take_theirs(self) -> None:
        """Drop the form's text for the version saved by the other person."""
        if self.opened is not None and self.opened.id is not None:
            self._open(self.opened.id)
            self.status.show("info", "Their version is open; your text was dropped.")

    def _saved(self, element: Element, verb: str) -> None:
        self.opened = Opened(element.id, element.type, element.revision)
        self.dirty = False
        self.conflict.hide()
        self.new_id_box.layout.display = "none"
        self._set_actions(True)
        self.header.value = self._header(element)
        self.refresh_list()
        if self.history.visible:
            self.show_history()
        self.status.show(
            "ok",
            f"{verb}: “{element.id}” is now revision {element.revision}. The bot says it "
            "from its next message.",
        )

    # --- duplicate, delete, history ----------------------------------------------------
    def duplicate(self) -> None:
        opened = self.opened
        if opened is None or opened.id is None:
            return
        if self.dirty:
            self.status.show(
                "warn", "Save your changes first: the copy is made of the saved message."
            )
            return
        author = self._who()
        if author is None:
            return
        copy = self.bot.content.duplicate(opened.id, author=author)
        self._open(copy.id)
        self.refresh_list()
        self.status.show("ok", f"Made “{copy.id}”, a copy of “{opened.id}”. Change it and save.")

    def delete(self) -> None:
        opened = self.opened
        if opened is None or opened.id is None or self._who() is None:
            return
        element_id = opened.id
        self.confirm.ask(
            f"Delete “{element_id}”? Its history keeps it: it can be restored from there.",
            "Delete",
            self._guard(lambda: self._delete(element_id, False), "delete the message"),
        )

    def _delete(self, element_id: str, force: bool) -> None:
        author = self._who()
        if author is None:
            return
        try:
            self.bot.content.delete(element_id, force, author=author)
        except ContentError as exc:
            used = self.bot.content.used_in(element_id)
            if not used or force:
                raise
            self.status.show("error", f"Not deleted: {exc}")
            self.confirm.ask(
                f"“{element_id}” is used in {', '.join(used)}. Deleting it anyway breaks the "
                "bot until a developer changes those steps: it will not start again, and the "
                "running bot keeps its old messages. Delete it anyway?",
                "Delete anyway",
                self._guard(lambda: self._delete(element_id, True), "delete the message"),
            )
            return
        self.opened, self.form, self.dirty = None, None, False
        self.form_holder.children = []
        self.actions.layout.display = "none"
        self.header.value = f"<h2 style='margin:4px 0'>{escape(element_id)} (deleted)</h2>"
        self.preview.clear()
        self.refresh_list()
        self.history.show(element_id, self.bot.content.history(element_id), None)
        self.status.show(
            "ok", f"Deleted “{element_id}”. Its history is below: “Restore” brings it back."
        )

    def show_history(self) -> None:
        opened = self.opened
        if opened is not None and opened.id is not None:
            self.history.show(opened.id, self.bot.content.history(opened.id), opened.revision)

    def restore(self, revision: int) -> None:
        """Write an earlier version back (as a new revision) and open it."""
        element_id = self.history.element_id
        if element_id is None:
            return
        self._unless_unsaved(
            f"restore revision {revision}", lambda: self._restore(element_id, revision)
        )

    def _restore(self, element_id: str, revision: int) -> None:
        author = self._who()
        if author is None:
            return
        restored = self.bot.content.revert(element_id, revision, author=author)
        self._open(restored.id)
        self._saved(restored, f"Restored revision {revision}")
        self.show_history()
