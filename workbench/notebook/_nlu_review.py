"""Turning what users said and the bot did not understand into training examples.

The user messages of the bot's transcripts are parsed again with the current model; those
still out of scope are listed with the model's closest guess, most confident first. A person
picks an intent for each (or skips it), and "Add to the bot" writes them to
``nlu/intents.yml`` (comments kept) and retrains.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

import ipywidgets as widgets

from workbench.nlu import NLUData, Suggestion, load_nlu_data, unhandled, with_examples
from workbench.nlu._intents_file import add_examples
from workbench.runtime import Bot
from workbench.schema import WorkbenchError, plural

__all__ = ["UnhandledReview", "user_messages"]

SKIP = ""


RECENT = 20_000
"""User messages reviewed by default: the most recent ones (a server's store holds millions)."""


def user_messages(bot: Bot, recent: int = RECENT) -> list[str]:
    """The last ``recent`` texts users sent this bot, from its transcripts in the store."""
    texts: deque[str] = deque(maxlen=recent)
    texts.extend(e.text for e in bot.store.iter_events(bot.name) if e.type == "user" and e.text)
    return list(texts)


class UnhandledReview:
    """A table of unhandled messages with an intent picker each; see the module docstring."""

    def __init__(self, bot: Bot, texts: Iterable[str] | None = None, *, limit: int = 25) -> None:
        self.bot = bot
        self.limit = limit
        self._texts = list(texts) if texts is not None else None
        self.written = False
        """Whether the last :meth:`add` wrote to ``nlu/intents.yml``."""
        self.suggestions: list[Suggestion] = []
        self.pickers: list[widgets.Dropdown] = []
        self.rows = widgets.VBox([])
        self.status = widgets.HTML("")
        guesses = widgets.Button(description="Use the closest guesses", icon="magic")
        add = widgets.Button(description="Add to the bot", icon="plus", button_style="primary")
        guesses.on_click(lambda _b: self.use_guesses())
        add.on_click(lambda _b: self._add_from_ui())
        self.widget = widgets.VBox(
            [
                widgets.HTML("<b>📥 Messages the bot did not understand</b>"),
                self.rows,
                widgets.HBox([guesses, add]),
                self.status,
            ]
        )
        self.refresh()

    def refresh(self) -> None:
        """Parse the messages again with the bot's current model and list the unhandled ones."""
        texts = self._texts if self._texts is not None else user_messages(self.bot)
        self.suggestions = unhandled(self.bot.nlu, texts)[: self.limit]
        intents = sorted(name for name in self.bot.source.nlu.intents if name != "none")
        options = [("— skip —", SKIP), *[(name, name) for name in intents], ("none", "none")]
        self.pickers = [
            widgets.Dropdown(options=options, value=SKIP, layout=widgets.Layout(width="200px"))
            for _ in self.suggestions
        ]
        self.rows.children = [
            widgets.HBox(
                [
                    widgets.HTML(
                        f"<span style='display:inline-block;width:340px'>“{escape(s.text)}”"
                        f" <span style='color:#78909c'>x{s.count}</span></span>",
                    ),
                    picker,
                    widgets.HTML(
                        f"<span style='color:#78909c'>closest: {escape(s.closest)} "
                        f"({s.confidence:.2f})</span>"
                    ),
                ]
            )
            for s, picker in zip(self.suggestions, self.pickers, strict=True)
        ]
        if not self.suggestions:
            self.rows.children = [widgets.HTML("<i>Nothing left: every message is understood.</i>")]

    def use_guesses(self) -> None:
        """Pick each message's closest intent (a person then corrects the wrong ones)."""
        for suggestion, picker in zip(self.suggestions, self.pickers, strict=True):
            if suggestion.closest in dict(picker.options).values():
                picker.value = suggestion.closest

    def chosen(self) -> dict[str, list[str]]:
        """The picks made so far, as ``{intent: [texts]}``."""
        picks: dict[str, list[str]] = {}
        for suggestion, picker in zip(self.suggestions, self.pickers, strict=True):
            if picker.value != SKIP:
                picks.setdefault(str(picker.value), []).append(suggestion.text)
        return picks

    def add(self, additions: Mapping[str, Iterable[str]] | None = None) -> NLUData:
        """Add ``{intent: [texts]}`` (default: the picks) to the bot and retrain it.

        A bot loaded from a folder gets them in ``nlu/intents.yml`` too (comments kept) —
        unless its intents were edited in the notebook since (``set_intents``, ``%%intents``):
        the file then no longer says what the bot knows, so the examples are added to the bot
        only and ``written`` is False (``bot.save(folder)`` writes everything).
        """
        picks = {k: list(v) for k, v in (additions or self.chosen()).items()}
        self.written = self.bot.path is not None and self._file_is_current()
        if self.written:
            assert self.bot.path is not None
            data = add_examples(self.bot.path, picks)
        else:
            data = with_examples(self.bot.source.nlu, picks)
        self.bot.set_intents(data)
        self.refresh()
        return data

    def _file_is_current(self) -> bool:
        """Whether ``nlu/intents.yml`` holds what the bot was trained on."""
        assert self.bot.path is not None
        try:
            on_disk = load_nlu_data(self.bot.path, str(self.bot.path))
        except WorkbenchError:
            return False
        return on_disk.model_dump() == self.bot.source.nlu.model_dump()

    def _add_from_ui(self) -> None:
        picks = self.chosen()
        if not picks:
            self.status.value = "<i>Pick an intent for at least one message first.</i>"
            return
        try:
            self.add(picks)
        except (WorkbenchError, OSError) as exc:
            self.status.value = f"<span style='color:#c62828'>Not added: {escape(str(exc))}</span>"
            return
        count = sum(len(texts) for texts in picks.values())
        where = " and nlu/intents.yml" if self.written else ""
        if self.bot.path is not None and not self.written:
            where = (
                " (not to nlu/intents.yml: the bot's intents were edited in the notebook;"
                " bot.save(folder) writes them all)"
            )
        self.status.value = (
            f"✅ Added {plural(count, 'example')} to {', '.join(sorted(picks))}{where}; "
            "the bot retrained."
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
