"""What every part of a dashboard shares: plain-words messages, buttons without icon fonts, a
confirmation row, and the guard that keeps Python tracebacks off the page.

Dashboards are for people who never see code, so no exception reaches the page: a callback
that fails shows a sentence (the error's own message when it is one of ours, which are written
for people) and the details go to the log of the server that runs the page (the kernel's real
stderr), never into the page.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from html import escape
from typing import Any, Literal, ParamSpec

import ipywidgets as widgets

from workbench.schema import WorkbenchError

__all__ = ["Confirm", "Status", "button", "guarded", "log", "log_to_server", "message_html"]

log = logging.getLogger("workbench.dashboards")

Kind = Literal["info", "ok", "warn", "error"]
_COLOURS: dict[str, tuple[str, str, str]] = {  # text, background, border
    "info": ("#0d47a1", "#e3f2fd", "#90caf9"),
    "ok": ("#1b5e20", "#e8f5e9", "#a5d6a7"),
    "warn": ("#e65100", "#fff3e0", "#ffcc80"),
    "error": ("#b71c1c", "#ffebee", "#ef9a9a"),
}
_ICONS = {"info": "•", "ok": "✔", "warn": "⚠", "error": "✖"}
"""Symbols every font has (emoji need a colour font, which some systems lack)."""
P = ParamSpec("P")


def message_html(kind: Kind, text: str) -> str:
    """A coloured box holding ``text`` (escaped; line breaks kept)."""
    colour, background, border = _COLOURS[kind]
    return (
        f"<div class='wb-message wb-{kind}' style='color:{colour};background:{background};"
        f"border:1px solid {border};border-radius:6px;padding:6px 10px;margin:4px 0;"
        f"white-space:pre-wrap;line-height:1.4'>{_ICONS[kind]} {escape(text)}</div>"
    )


class Status:
    """One line of feedback: what just happened, in plain words."""

    def __init__(self) -> None:
        self.widget = widgets.HTML("")
        self.kind: Kind | None = None
        self.text = ""

    def show(self, kind: Kind, text: str) -> None:
        self.kind, self.text = kind, text
        self.widget.value = message_html(kind, text)

    def clear(self) -> None:
        self.kind, self.text = None, ""
        self.widget.value = ""


def plain_error(exc: BaseException, doing: str) -> str:
    """What to tell a person about ``exc``: our errors are written for people; anything else
    is a fault of the program, told as such (its details are in the server's log)."""
    if isinstance(exc, WorkbenchError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"Could not {doing}: the files of the bot could not be read or written{where}."
    return (
        f"Something went wrong while trying to {doing}. Nothing you typed is lost. "
        "The details are in the dashboard server's log."
    )


def guarded(status: Status, doing: str) -> Callable[[Callable[P, Any]], Callable[P, None]]:
    """Wrap a callback so that any failure is logged and shown on ``status`` as a sentence."""

    def wrap(callback: Callable[P, Any]) -> Callable[P, None]:
        @functools.wraps(callback)
        def run(*args: P.args, **kwargs: P.kwargs) -> None:
            try:
                callback(*args, **kwargs)
            except Exception as exc:
                log.exception("content editor: failed to %s", doing)
                status.show("error", plain_error(exc, doing))

        return run

    return wrap


def log_to_server() -> None:
    """Send the dashboards' log to the kernel process's own stderr (the terminal or log of the
    server that runs the page), not into the page: stderr written in a cell shows on it."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.__stderr__)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def button(
    label: str,
    *,
    style: Literal["primary", "success", "info", "warning", "danger", ""] = "",
    tooltip: str = "",
    width: str = "auto",
) -> widgets.Button:
    """A button with words (icon fonts come from a CDN that offline pages cannot reach)."""
    return widgets.Button(
        description=label,
        button_style=style,
        tooltip=tooltip or label,
        layout=widgets.Layout(width=width),
    )


class Confirm:
    """A question with a "yes" button and a "no" button, hidden until asked."""

    def __init__(self) -> None:
        self.question = widgets.HTML("")
        self.yes = button("Yes", style="danger")
        self.no = button("Cancel")
        self.widget = widgets.HBox(
            [self.question, self.yes, self.no],
            layout=widgets.Layout(display="none", align_items="center", flex_flow="row wrap"),
        )
        self._action: Callable[[], None] | None = None
        self.yes.on_click(lambda _b: self._answer(True))
        self.no.on_click(lambda _b: self._answer(False))

    @property
    def asking(self) -> bool:
        return self._action is not None

    def ask(
        self, question: str, yes: str, action: Callable[[], None], *, danger: bool = True
    ) -> None:
        """Show ``question``; the "yes" button (labelled ``yes``) runs ``action``."""
        self.question.value = message_html("warn", question)
        self.yes.description = self.yes.tooltip = yes
        self.yes.button_style = "danger" if danger else "primary"
        self._action = action
        self.widget.layout.display = "flex"

    def dismiss(self) -> None:
        self._action = None
        self.widget.layout.display = "none"

    def _answer(self, yes: bool) -> None:
        action = self._action
        self.dismiss()
        if yes and action is not None:
            action()
