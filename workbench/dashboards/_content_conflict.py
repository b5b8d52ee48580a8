"""When someone else saved a message after it was opened here: their version, shown read-only
beside the form that still holds this editor's text, and the two ways out (save mine over
theirs, or take theirs). Nothing either person typed is lost on the way."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from html import escape

import ipywidgets as widgets

from workbench.content import ContentType, Element
from workbench.dashboards._content_form import ContentForm
from workbench.dashboards._ui import button, message_html
from workbench.schema import ContentRevision

__all__ = ["ConflictPanel", "conflict_message"]


def conflict_message(element_id: str, latest: ContentRevision | None, opened: int) -> str:
    """The sentence an editor reads when their save was refused."""
    if latest is None:
        return f"Not saved: “{element_id}” changed after you opened it (revision {opened})."
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(latest.at))
    what = "deleted" if latest.fields is None else "changed"
    return (
        f"Not saved: {latest.author} {what} “{element_id}” at {when} (revision "
        f"{latest.revision}) after you opened revision {opened}. Your text is still in the "
        "form, and their version is shown beside it: save yours over theirs, or take theirs."
    )


class ConflictPanel:
    """Their version of the element, read-only; the buttons call the editor back."""

    def __init__(self, on_keep_mine: Callable[[], None], on_take_theirs: Callable[[], None]):
        self.title = widgets.HTML("")
        self.holder = widgets.VBox([])
        self.keep = button("Save mine over theirs", style="warning")
        self.take = button("Take theirs (drop mine)")
        self.keep.on_click(lambda _b: on_keep_mine())
        self.take.on_click(lambda _b: on_take_theirs())
        close = button("Close")
        close.on_click(lambda _b: self.hide())
        self.theirs: Element | None = None
        self.latest: ContentRevision | None = None
        """The revision in the way (who, when, and the file the element was in)."""
        self.form: ContentForm | None = None
        self.widget = widgets.VBox(
            [self.title, self.holder, widgets.HBox([self.keep, self.take, close])],
            layout=widgets.Layout(
                display="none", border="2px solid #ffb74d", padding="6px", width="100%"
            ),
        )
        self.widget.add_class("wb-conflict")

    @property
    def visible(self) -> bool:
        return bool(self.widget.layout.display != "none")

    def show(
        self,
        theirs: Element | None,
        latest: ContentRevision | None,
        content_type: ContentType,
        languages: Iterable[str],
    ) -> None:
        """Show ``theirs`` (None: they deleted it) as ``latest`` says who and when."""
        self.theirs, self.latest = theirs, latest
        who = f"{latest.author}, revision {latest.revision}" if latest else "someone else"
        self.title.value = f"<h3 style='margin:2px 0'>Their version ({escape(who)})</h3>"
        if theirs is None:
            self.form = None
            self.holder.children = [
                widgets.HTML(
                    message_html(
                        "warn",
                        "They deleted this message. Saving yours brings it back as it is in "
                        "your form.",
                    )
                )
            ]
            self.take.layout.display = "none"
        else:
            self.form = ContentForm(content_type, languages, theirs.fields, read_only=True)
            self.holder.children = [self.form.widget]
            self.take.layout.display = ""
        self.widget.layout.display = "flex"

    def hide(self) -> None:
        self.widget.layout.display = "none"
        self.theirs = self.latest = None
        self.form = None
        self.holder.children = []
