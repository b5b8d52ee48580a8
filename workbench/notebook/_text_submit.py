"""Enter in a text box, without losing what was typed while the kernel was busy.

With ``continuous_update=True`` the front end syncs the text as it is typed, but holds back
later updates while one is waiting for a busy kernel; the "submit" message of Enter is not
held back, so the kernel could see Enter after only the first letters. Here the box syncs its
text only when it is committed (Enter or leaving the box: ``continuous_update=False``, as
ipywidgets recommends instead of the deprecated ``on_submit``). On Enter the browser sends the
"submit" message first and the committed text right after, so Enter on an empty kernel-side box
waits for that text (for ``ENTER_WINDOW``: a text committed later came from leaving the box);
Enter on text already committed (the box was left and re-entered) sends it at once. One case
stays wrong: leave the box, come back, type more and press Enter at once — the text committed
on leaving is sent (the kernel cannot know more is coming).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

__all__ = ["EnterToSubmit"]

ENTER_WINDOW = 1.0
"""Seconds within which a committed text still belongs to the Enter before it."""


class EnterToSubmit:
    """Calls ``submit(text)`` and clears ``box`` when the user presses Enter in it.

    ``on_leave``: also submit when the user leaves the box with new text (harmless for a
    read-only tester, surprising in a chat).
    """

    def __init__(
        self, box: widgets.Text, submit: Callable[[str], object], *, on_leave: bool = False
    ) -> None:
        self.box = box
        self._submit = submit
        self.on_leave = on_leave
        self._enter_at: float | None = None
        self._clearing = False
        box.continuous_update = False
        box.on_msg(self._on_msg)
        box.observe(self._on_value, names="value")

    def send(self) -> None:
        """Submit what the box holds now (a "Send" button)."""
        self._enter_at = None
        text = self.box.value
        if text.strip():
            self._clear()
            self._submit(text)

    def _on_msg(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        if content.get("event") != "submit":
            return
        if self.box.value.strip():
            self.send()
        else:  # the committed text follows, unless Enter was pressed in an empty box
            self._enter_at = time.monotonic()

    def _on_value(self, change: dict[str, Any]) -> None:
        if self._clearing:
            return
        # The text committed by Enter comes right behind its "submit" (both wait together
        # while the kernel is busy); text arriving later was committed by leaving the box.
        after_enter = (
            self._enter_at is not None and time.monotonic() - self._enter_at < ENTER_WINDOW
        )
        self._enter_at = None
        if after_enter or self.on_leave:
            self.send()

    def _clear(self) -> None:
        self._clearing = True
        try:
            self.box.value = ""
        finally:
            self._clearing = False
