"""The conversation explorer: find stored conversations, read one as a chat with the path of
each turn, replay it in the emulator, save it as a ``.convo.yml`` test.

>>> explorer = ConversationExplorer(bot)                  # doctest: +SKIP
>>> explorer.search(outcome="error")                     # doctest: +SKIP
>>> explorer.open("c0ffee")                              # doctest: +SKIP
>>> explorer.replay()                                    # doctest: +SKIP
>>> explorer.save_test("tests/regression.convo.yml")     # doctest: +SKIP

A replay runs the stored user messages (and timeouts) on a copy of the bot with an in-memory
store, so neither the bot's store nor its conversations change; the saved test is what the
replay recorded (the bot as it is now), and the explorer says at which turns the bot now
answers differently from the stored conversation.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

import workbench.analytics as wa
from workbench.notebook._emulator import Emulator
from workbench.notebook._emulator_record import varies
from workbench.notebook._explorer_turns import StoredTurn, stored_turns, transcript_html
from workbench.runtime import Bot, compile_source
from workbench.schema import Reply, WorkbenchError, plural
from workbench.stores import MemoryStore

__all__ = ["ConversationExplorer"]

ANY = ""


class ConversationExplorer:
    """See the module docstring. ``source`` is a Bot, an ``Analytics`` or anything
    ``wb.analytics.open`` takes; ``bot`` (for replays) defaults to the source's bot."""

    def __init__(self, source: Any, bot: Bot | None = None, *, limit: int = 200) -> None:
        self.analytics = source if isinstance(source, wa.Analytics) else wa.open(source)
        self.bot = bot if bot is not None else (source if isinstance(source, Bot) else None)
        self.limit = limit
        self.found = pd.DataFrame()
        self.conversation: dict[str, Any] | None = None
        self.turns: list[StoredTurn] = []
        self.emulator: Emulator | None = None
        self._build()
        self.search()

    # --- widgets ----------------------------------------------------------------------------
    def _build(self) -> None:
        w, a = widgets, self.analytics
        nodes = list(a.reached()["node"])
        intents = list(a.intents()["intent"])
        self.outcome = w.Dropdown(
            description="Ended",
            options=[("any way", ANY), *[(o, o) for o in ("end", "open", "timeout", "error")]],
        )
        self.reached = w.Dropdown(
            description="Reached", options=[("any node", ANY), *zip(nodes, nodes, strict=True)]
        )
        self.intent = w.Dropdown(
            description="Intent", options=[("any", ANY), *zip(intents, intents, strict=True)]
        )
        self.errors = w.Dropdown(
            description="Errors", options=[("either", ANY), ("with", "yes"), ("without", "no")]
        )
        self.start, self.end = w.DatePicker(description="From"), w.DatePicker(description="To")
        self.results = w.Select(options=[], rows=10, layout=w.Layout(width="100%"))
        self.transcript = w.HTML()
        self.status = w.HTML()
        self.replay_button = w.Button(description="Replay in the emulator")
        self.save_path = w.Text(value=str(self._default_path()), layout=w.Layout(flex="1"))
        self.save_button = w.Button(description="Save as test")
        self.emulator_box = w.VBox()
        for control in (self.outcome, self.reached, self.intent, self.errors, self.start, self.end):
            control.observe(lambda _c: self._guard(self.search), names="value")
        self.results.observe(self._on_pick, names="value")
        self.replay_button.on_click(lambda _b: self._guard(self.replay))
        self.save_button.on_click(
            lambda _b: self._guard(lambda: self.save_test(self.save_path.value))
        )
        filters = w.HBox(
            [self.outcome, self.reached, self.intent, self.errors, self.start, self.end],
            layout=w.Layout(flex_flow="row wrap"),
        )
        actions = w.HBox([self.replay_button, self.save_path, self.save_button])
        self.widget = w.VBox(
            [w.HTML("<b>🔍 Conversations</b>"), filters, self.results, self.status,
             self.transcript, actions, self.emulator_box]
        )  # fmt: skip

    def _default_path(self) -> Path:
        folder = self.bot.path if self.bot is not None else None
        return (folder / "tests" if folder else Path()) / "replayed.convo.yml"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _guard(self, action: Any) -> None:
        try:
            action()
        except (WorkbenchError, ValueError, FileExistsError) as exc:
            self.status.value = f"<span style='color:#b00020'>{escape(str(exc))}</span>"

    # --- finding and reading ----------------------------------------------------------------
    def search(
        self,
        *,
        outcome: str | None = None,
        reached: str | None = None,
        intent: str | None = None,
        errors: bool | None = None,
    ) -> pd.DataFrame:
        """The conversations the filters (the widgets', or these arguments) let through."""
        flag = {ANY: None, "yes": True, "no": False}[self.errors.value]
        scoped = self.analytics.filter(start=self.start.value, end=self.end.value)
        self.found = scoped.find_conversations(
            outcome=outcome or self.outcome.value or None,
            reached=reached or self.reached.value or None,
            intent=intent or self.intent.value or None,
            errors=errors if errors is not None else flag,
            limit=self.limit,
        )
        scoped.close()
        self.results.options = [
            (_label(row), row.conversation_id) for row in self.found.itertuples()
        ]
        self.status.value = plural(len(self.found), "conversation") + (
            f" (the {self.limit} most recent)" if len(self.found) == self.limit else ""
        )
        return self.found

    def _on_pick(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self._guard(lambda: self.open(str(change["new"])))

    def open(self, conversation_id: str) -> list[StoredTurn]:
        """Show a stored conversation as a chat; returns its turns."""
        rows = self.analytics.transcript(conversation_id)
        info = self.analytics.sql(
            "SELECT * FROM conversations WHERE conversation_id = ?", [conversation_id]
        )
        self.conversation = (
            info.iloc[0].to_dict() if len(info) else {"conversation_id": conversation_id}
        )
        self.turns = stored_turns(rows, self.conversation.get("turns"))
        user = str(self.conversation.get("user_id", ""))
        self.transcript.value = transcript_html(self.turns, user)
        ended = self.conversation.get("outcome", "?")
        self.status.value = escape(
            f"{conversation_id} · {user} · {plural(len(self.turns), 'turn')} · {ended}"
        )
        return self.turns

    # --- replaying and saving -----------------------------------------------------------------
    def replay(self) -> Emulator:
        """Play the open conversation's messages and timeouts in an emulator, on a copy of the
        bot with its own in-memory store; notes the turns where the replies differ."""
        if self.conversation is None:
            raise ValueError("open a conversation first")
        if self.bot is None:
            raise ValueError("replaying needs the bot: ConversationExplorer(source, bot=bot)")
        twin = Bot(compile_source(self.bot.source), MemoryStore(), self.bot.path)
        if self.emulator is not None:
            self.emulator.close()
        emulator = self.emulator = Emulator(
            twin, user_id=str(self.conversation.get("user_id") or "replay")
        )
        changed = []
        for turn in self.turns:
            replies = emulator.timeout() if turn.text is None else emulator.send(turn.text)
            if not _same(turn.replies, replies, twin):
                changed.append(turn.number)
        self.emulator_box.children = [emulator.widget]
        self.status.value = escape(
            f"replayed {plural(len(self.turns), 'turn')}: "
            + (
                f"the bot now answers differently at turn {', '.join(map(str, changed))}"
                if changed
                else "same replies"
            )
        )
        return emulator

    def save_test(
        self, path: str | Path, name: str | None = None, *, overwrite: bool = False
    ) -> Path:
        """Save the replay (made now if needed) as a ``.convo.yml`` conversation test."""
        emulator = self.emulator or self.replay()
        cid = (self.conversation or {}).get("conversation_id", "")
        saved = emulator.save_convo(path, name or f"replay of {cid}", overwrite=overwrite)
        self.status.value = escape(f"saved {saved}")
        return saved


def _same(stored: list[Reply], now: list[Reply], bot: Bot) -> bool:
    """Whether a turn's replies are the same as stored; a reply of an element with several
    text variations counts as the same (the rows do not say which variation was picked)."""
    if len(stored) != len(now):
        return False
    return all(
        old.text == new.text or varies(bot, new.element)
        for old, new in zip(stored, now, strict=True)
    )


def _label(row: Any) -> str:
    started = f"{row.started_at:%Y-%m-%d %H:%M}" if pd.notna(row.started_at) else "?"
    where = f" at {row.last_node}" if isinstance(row.last_node, str) else ""
    return f"{started} · {row.user_id} · {plural(int(row.turns), 'turn')} · {row.outcome}{where}"
