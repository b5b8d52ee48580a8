"""The chat emulator: talk to a bot in an ipywidgets chat, with a per-turn debugger beside it.

``bot.chat()`` or ``emulator(bot)``. The emulator listens to the bot: turns run in code on the
same conversation show up in its log, edits of the bot are announced, and a flow graph given as
``graph=`` is highlighted after every turn. A recorded conversation saves as a ``.convo.yml``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from html import escape
from pathlib import Path
from typing import Any, Protocol

import ipywidgets as widgets

from workbench.notebook._emulator_debugger import empty_html, turn_html, turn_label
from workbench.notebook._emulator_record import TIMEOUT_LABEL, Turn, write_convo
from workbench.notebook._emulator_render import LogEntry, log_html
from workbench.notebook._lifetime import Lifetime, weak_method
from workbench.notebook._text_submit import EnterToSubmit
from workbench.runtime import Bot, Conversation, TurnOutcome
from workbench.schema import Choice, Reply, WorkbenchError, plural

DEFAULT_USER = "notebook-user"


class Highlighter(Protocol):
    """What the emulator needs of a flow graph (``FlowGraph`` has it)."""

    def highlight(self, node: str | None, path: list[str] = ...) -> Any: ...


class Emulator:
    """A chat with the bot (left) and a debugger of every turn (right).

    Display it as the last expression of a cell; drive it from code with :meth:`send`,
    :meth:`click`, :meth:`reset`, :meth:`switch_user` and :meth:`timeout`.
    """

    def __init__(
        self,
        bot: Bot,
        user_id: str = DEFAULT_USER,
        *,
        conversation_id: str | None = None,
        graph: Highlighter | None = None,
        language: str | None = None,
    ) -> None:
        self.bot = bot
        self.graph = graph
        languages = list(bot.settings.languages)
        if language is not None and language not in languages:
            raise ValueError(f"bot {bot.name!r} has no language {language!r} (has {languages})")
        self.conversation: Conversation = bot.conversation(
            user_id, conversation_id, language=language or languages[0]
        )
        self.turns: list[Turn] = []
        """Every turn seen, oldest first (its own and those run in code on its conversation)."""
        self._entries: list[LogEntry] = []
        self._choices: tuple[Choice, ...] = ()
        self._pending: tuple[str, str] | None = None
        self._version = bot.flows.version
        self._build()
        self._lifetime = Lifetime(self, self._box, self.close)
        bot.turn_listeners.append(self._on_turn)
        bot.change_listeners.append(self._on_change)

    # --- widgets --------------------------------------------------------------------------
    def _build(self) -> None:
        full = widgets.Layout(width="100%")
        self.user_box = widgets.Text(
            value=self.conversation.user_id,
            description="User",
            layout=widgets.Layout(width="220px"),
        )
        self.switch_button = widgets.Button(description="Switch user", icon="user")
        self.language_box = widgets.Dropdown(
            options=list(self.bot.settings.languages),
            value=self.language,
            description="Language",
            layout=widgets.Layout(width="170px"),
        )
        self.reset_button = widgets.Button(description="Reset", icon="refresh")
        self.timeout_button = widgets.Button(description="Timeout", icon="clock-o")
        self.status = widgets.HTML()
        self.log = widgets.HTML(layout=full)
        self.choice_bar = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.input = widgets.Text(
            placeholder="Type a message and press Enter", layout=widgets.Layout(flex="1")
        )
        self.send_button = widgets.Button(description="Send", button_style="primary", icon="send")
        self.save_path = widgets.Text(
            value=str(self._default_path()), layout=widgets.Layout(flex="1")
        )
        self.save_button = widgets.Button(description="Save as test", icon="save")
        self.turn_list = widgets.Select(options=[], rows=7, layout=full)
        self.debugger = widgets.HTML(empty_html(), layout=full)

        # the widgets call back weakly: they must not keep the emulator alive (see _lifetime)
        self.switch_button.on_click(weak_method(self._on_switch))
        self.reset_button.on_click(weak_method(self._on_reset))
        self.timeout_button.on_click(weak_method(self._on_timeout))
        self.save_button.on_click(weak_method(self._on_save))
        self._enter = EnterToSubmit(self.input, weak_method(self._on_submit))
        self.send_button.on_click(weak_method(self._on_send))
        self.language_box.observe(weak_method(self._on_language), names="value")
        self.turn_list.observe(weak_method(self._on_select), names="value")

        toolbar = widgets.HBox(
            [
                self.user_box,
                self.switch_button,
                self.language_box,
                self.reset_button,
                self.timeout_button,
            ],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        chat = widgets.VBox(
            [
                widgets.HTML(f"<b>💬 {self.bot.name}</b>"),
                toolbar,
                self.status,
                self.log,
                self.choice_bar,
                widgets.HBox([self.input, self.send_button]),
                widgets.HBox([self.save_path, self.save_button]),
            ],
            layout=widgets.Layout(width="55%", padding="0 8px 0 0"),
        )
        debug = widgets.VBox(
            [widgets.HTML("<b>🔎 Debugger</b>"), self.turn_list, self.debugger],
            layout=widgets.Layout(width="45%"),
        )
        self._box = widgets.HBox([chat, debug], layout=full)
        self._render()

    @property
    def widget(self) -> widgets.HBox:
        """The whole emulator, to embed in a layout (that keeps it alive until closed)."""
        self._lifetime.pin(self)
        return self._box

    def _default_path(self) -> Path:
        if self.bot.path is not None:
            return self.bot.path / "tests" / "recorded.convo.yml"
        return Path("recorded.convo.yml")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    @property
    def language(self) -> str:
        """The language the conversation is in (the emulator's language picker)."""
        return self.conversation.language

    @language.setter
    def language(self, language: str) -> None:
        self.conversation.language = language

    # --- driving it -----------------------------------------------------------------------
    def send(self, text: str, *, shown: str | None = None) -> list[Reply]:
        """Send a user message (``shown`` is what the user bubble shows, default ``text``)."""
        self._pending = (text, text if shown is None else shown)
        try:
            return self.conversation.say(text)
        finally:
            self._pending = None

    @property
    def choices(self) -> tuple[Choice, ...]:
        """The quick replies offered by the last turn (the buttons under the log)."""
        return self._choices

    def click(self, choice: int | str) -> list[Reply]:
        """Click a quick reply by index or title: sends its value, shows its title."""
        if isinstance(choice, int):
            if not 0 <= choice < len(self._choices):
                raise IndexError(f"no choice {choice}: {len(self._choices)} offered")
            picked = self._choices[choice]
        else:
            found = [c for c in self._choices if c.title.lower() == choice.lower()]
            if not found:
                titles = [c.title for c in self._choices]
                raise ValueError(f"no choice titled {choice!r} (offered: {titles})")
            picked = found[0]
        return self.send(picked.value, shown=picked.title)

    def timeout(self) -> list[Reply]:
        """Run the timeout path now, as if the user had gone silent."""
        seen = len(self.turns)
        self._pending = (TIMEOUT_LABEL, TIMEOUT_LABEL)
        try:
            replies = self.conversation.timeout()
        finally:
            self._pending = None
        if len(self.turns) == seen:
            self._note("no open session: nothing to time out")
        return replies

    def reset(self) -> None:
        """Forget the open session: a new session starts, same user (user variables stay)."""
        self.conversation.reset()
        self._choices = ()
        self._note(f"conversation reset: new session for {self.conversation.user_id}")
        self._highlight(None, [])

    def switch_user(self, user_id: str) -> None:
        """Talk as another user, in a new conversation."""
        user_id = user_id.strip()
        if not user_id:
            raise ValueError("a user id cannot be empty")
        self.conversation = self.bot.conversation(user_id, language=self.language)
        self.user_box.value = user_id
        self._choices = ()
        self._note(f"now talking as {user_id} (new conversation)")
        self._highlight(None, [])

    def save_convo(
        self, path: str | Path, name: str = "recorded conversation", *, overwrite: bool = False
    ) -> Path:
        """Write the recorded turns as a ``.convo.yml`` conversation test (see ``workbench
        test``): exact reply texts (element ids for varying ones), where each turn waits,
        ``ended`` and ``error`` flags. A reset or a user switch starts a new conversation.

        The file joins the bot's tests (``bot.convo_tests``): ``bot.test()`` runs it, and
        ``bot.save(folder)`` copies it into the folder's ``tests/``."""
        written = write_convo(path, self.turns, self.bot, name, overwrite=overwrite)
        self.bot.convo_tests[written.name.removesuffix(".convo.yml")] = written
        return written

    def close(self) -> None:
        """Stop listening to the bot and close the widgets (closing ``chat.widget`` does too)."""
        if self._on_turn in self.bot.turn_listeners:
            self.bot.turn_listeners.remove(self._on_turn)
        if self._on_change in self.bot.change_listeners:
            self.bot.change_listeners.remove(self._on_change)
        self._lifetime.close()

    # --- listening to the bot -------------------------------------------------------------
    def _on_turn(self, conversation_id: str, outcome: TurnOutcome) -> None:
        if conversation_id != self.conversation.id:
            return
        pending, self._pending = self._pending, None
        kind = outcome.trace.trigger
        payload: dict[str, Any] | None = None
        if pending is not None:
            said, shown = pending
        elif kind == "timeout":
            said = shown = TIMEOUT_LABEL
        else:
            said, payload = self._said_in_code(outcome.turn)
            shown = said
        turn = Turn(
            number=outcome.turn,
            kind=kind,
            user=said,
            shown=shown,
            user_id=self.conversation.user_id,
            conversation_id=conversation_id,
            replies=tuple(outcome.replies),
            trace=outcome.trace,
            payload=payload,
            language=outcome.trace.language,
        )
        self.turns.append(turn)
        self._show_turn(turn, from_code=pending is None)
        show_trace = getattr(self.graph, "show_trace", None)
        if callable(show_trace):  # a FlowGraph draws the whole path (catch-alls, END, errors)
            show_trace(outcome.trace)
        else:
            self._highlight(turn.node, turn.path)

    def _said_in_code(self, number: int) -> tuple[str, dict[str, Any] | None]:
        """The text (and payload) of a turn run in code, from the transcript."""
        for event in reversed(self.bot.events(self.conversation.id)):
            if event.type == "user" and event.turn == number:
                payload = event.payload.get("payload")
                return event.text, payload if isinstance(payload, dict) else None
        return "", None

    def _on_change(self, bot: Bot) -> None:
        version = bot.flows.version
        what = "flows changed" if version != self._version else "content, NLU or actions changed"
        self._version = version
        languages = list(bot.settings.languages)
        if list(self.language_box.options) != languages:
            self.language_box.options = languages
            if self.language not in languages:
                self.language = languages[0]
            self.language_box.value = self.language
        self._note(f"bot updated ({what}) — version {version}")

    # --- showing --------------------------------------------------------------------------
    def _show_turn(self, turn: Turn, *, from_code: bool) -> None:
        if turn.kind == "timeout":
            self._entries.append(LogEntry("note", "timeout: the user went silent"))
        else:
            who = "from code" if from_code else ""
            self._entries.append(LogEntry("user", turn.shown, who=who))
        self._entries += [LogEntry("bot", reply=r) for r in turn.replies]
        if turn.error:
            self._entries.append(LogEntry("error", f"turn error: {turn.error}"))
        self._choices = tuple(c for r in turn.replies for c in r.choices)
        if turn.ended:
            self._entries.append(LogEntry("note", "session ended"))
        self._render()

    def _note(self, text: str, kind: str = "note") -> None:
        self._entries.append(LogEntry(kind, text))
        self._render()

    def _render(self) -> None:
        self.log.value = log_html(self._entries)
        where = self.conversation.node or "no open session"
        self.status.value = (
            f"<span style='font-size:11px;color:#607d8b'>user <b>"
            f"{escape(self.conversation.user_id)}</b> · conversation "
            f"{escape(self.conversation.id[:8])} · waits at <b>{escape(where)}</b> · "
            f"language {escape(self.language)}</span>"
        )
        self._render_choices()
        self._render_turn_list()

    def _render_choices(self) -> None:
        old = self.choice_bar.children
        buttons = []
        for i, choice in enumerate(self._choices):
            button = widgets.Button(description=choice.title, tooltip=f"sends {choice.value!r}")
            button.on_click(partial(weak_method(self._on_choice), i))
            buttons.append(button)
        self.choice_bar.children = buttons
        for child in old:
            child.close()

    def _on_choice(self, index: int, _button: Any) -> None:
        self._guard(self.click, index)

    def _render_turn_list(self) -> None:
        options = [(turn_label(t), i) for i, t in reversed(list(enumerate(self.turns)))]
        if list(self.turn_list.options) == options:
            return
        self.turn_list.options = options
        self.turn_list.value = len(self.turns) - 1 if self.turns else None
        self._on_select({"new": self.turn_list.value})

    def _on_select(self, change: dict[str, Any]) -> None:
        index = change.get("new")
        if isinstance(index, int) and 0 <= index < len(self.turns):
            self.debugger.value = turn_html(self.turns[index])
        else:
            self.debugger.value = empty_html()

    def _highlight(self, node: str | None, path: list[str]) -> None:
        if self.graph is not None:
            self.graph.highlight(node, path)

    # --- UI events ------------------------------------------------------------------------
    def _on_switch(self, _button: Any) -> None:
        self._guard(self.switch_user, self.user_box.value)

    def _on_reset(self, _button: Any) -> None:
        self._guard(self.reset)

    def _on_timeout(self, _button: Any) -> None:
        self._guard(self.timeout)

    def _on_save(self, _button: Any) -> None:
        self._guard(self._save_from_ui)

    def _on_submit(self, text: str) -> None:
        self._guard(self.send, text)

    def _on_send(self, _button: Any) -> None:
        self._enter.send()

    def _guard(self, action: Callable[..., Any], *args: Any) -> None:
        """Run a button's action; a problem the user can fix shows in the log, in red."""
        try:
            action(*args)
        except (WorkbenchError, ValueError, IndexError, OSError) as exc:
            self._note(str(exc), kind="error")

    def _on_language(self, change: dict[str, Any]) -> None:
        self.language = str(change["new"])
        self._note(f"language: {self.language} (from the next message)")

    def _save_from_ui(self) -> None:
        path = self.save_convo(self.save_path.value)
        self._note(f"saved {plural(len(self.turns), 'turn')} as a conversation test: {path}")


def emulator(bot: Bot, **options: Any) -> Emulator:
    """A chat emulator for ``bot`` (same options as :class:`Emulator`)."""
    return Emulator(bot, **options)


__all__ = ["Emulator", "emulator"]
