"""``Bot``: a bot folder (or one built in a notebook) bound to a store, and what users do with it:
talk (conversations, timeouts), edit it live, and open its views (graph, emulator, tests)."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Self

from pydantic import ValidationError

from workbench.config import BotSettings
from workbench.content import Element, FileCache, content_signature, for_channel
from workbench.engine import Program
from workbench.flows import MAIN, FlowSet, flow_set_from_definition
from workbench.nlu import NLUData, Recognizer, recognizer_for
from workbench.runtime import _editing as editing
from workbench.runtime._actions import ActionFn, ActionRegistry
from workbench.runtime._content import ContentManager
from workbench.runtime._context import Middleware, TurnOutcome
from workbench.runtime._conversation import Conversation
from workbench.runtime._folder import read_folder
from workbench.runtime._listeners import Listeners
from workbench.runtime._proactive import send_proactive
from workbench.runtime._source import BotSource, CompiledBot, compile_source, reload_content
from workbench.runtime._turn import IdleTimeout, run_turn, storable_message
from workbench.runtime._views import views
from workbench.runtime._watch import source_signature
from workbench.schema import (
    BotError,
    Channel,
    Message,
    Problem,
    Reply,
    Session,
    TranscriptEvent,
    channel_named,
    storable_text,
)
from workbench.stores import Store, open_store

DEFAULT_TURN_ERROR = "Sorry, something went wrong on my side. Could you say that again?"
CONTENT_CHECK_SECONDS = 0.05
"""How often turns look at the content files for changes (a look costs a few µs per file)."""


class Bot:
    """A bot ready to talk. Conversation state lives in the store, never in this object."""

    def __init__(self, compiled: CompiledBot, store: Store, path: Path | None = None) -> None:
        self.path = path
        self.name = compiled.source.settings.name
        self.store = store
        self.middleware: list[Middleware] = []
        self._programs: dict[str, Program] = {}
        self.rng = random.Random()
        """Picks text variations (seed it for repeatable replies)."""
        self.change_listeners: Listeners[[Bot]] = Listeners()
        """Called after the bot was edited (a flow, content, intents or an action changed).
        Bound methods are held weakly: a view nothing else refers to stops listening."""
        self.turn_listeners: Listeners[[str, TurnOutcome]] = Listeners()
        """Called after every turn with the conversation id and its outcome (live views);
        bound methods held weakly, as above."""
        self.convo_tests: dict[str, str | Path] = {}
        """Conversation tests kept with the bot, by name: the text of a ``%%convo`` cell, or a
        ``.convo.yml`` file ``chat.save_convo`` wrote. ``bot.test()`` runs them (with the
        folder's ``tests/``); ``bot.save(folder)`` writes them into ``tests/``."""
        self.content_problems: list[Problem] = []
        """Why the content files on disk were not taken (see :meth:`refresh_content`)."""
        self._content = ContentManager(self)
        self._content_checked = time.monotonic()
        self._content_files: FileCache = {}
        """The content files as last read (see ``load_content``): a change rereads that file."""
        self._content_signature = content_signature(path) if path is not None else ()
        self._source_signature = source_signature(path) if path is not None else ()
        self.source_problems: list[Problem] = []
        """Why the flows, NLU, settings or actions on disk were not taken (see :meth:`refresh`)."""
        self._apply(compiled)

    def _apply(self, compiled: CompiledBot) -> None:
        """Switch to a newly compiled source (conversations already running keep their
        flow version; the store remembers every version)."""
        source = compiled.source
        recognizers = self._recognizers(source)  # may fail: then nothing has changed yet
        self.source = source
        self.settings: BotSettings = source.settings
        self.program = compiled.program
        self.actions = ActionRegistry(source.actions)
        self.warnings: list[Problem] = compiled.warnings
        first = source.settings.languages[0]
        self.nlu: Recognizer = recognizers.pop(first)
        """The recogniser of the bot's first language."""
        self.other_nlu: dict[str, Recognizer] = recognizers
        """The recognisers of the other languages that have their own NLU data (see
        :meth:`nlu_for`)."""
        self._programs[self.flows.version] = self.program
        if self.flows.flows:
            self.store.put_version(self.name, self.flows.version, self.flows.definition)
        self.change_listeners.notify(self)

    def nlu_for(self, language: str) -> Recognizer:
        """The recogniser of ``language``: its own model when the bot has NLU data in that
        language (``nlu/intents.<lang>.yml``), else the first language's."""
        return self.other_nlu.get(language, self.nlu)

    def _recognizers(self, source: BotSource) -> dict[str, Recognizer]:
        """Train (or read from the cache) one NLU model per language with data."""
        languages = source.settings.languages
        datasets = {languages[0]: source.nlu}
        datasets.update(
            (language, data)
            for language, data in source.nlu_languages.items()
            if language in languages[1:]
        )
        return {
            language: self._recognizer(data, source, language, first=language == languages[0])
            for language, data in datasets.items()
        }

    def _recognizer(
        self, data: NLUData, source: BotSource, language: str, *, first: bool
    ) -> Recognizer:
        """Train (or read from the cache) the NLU model of one language."""
        try:
            return recognizer_for(data, source.settings.nlu, self._nlu_cache(), language)
        except ImportError as exc:  # the embed engine without its extra installed
            where = "bot.yml" if self.path is None else str(self.path / "bot.yml")
            raise BotError([Problem(where, 1, f"nlu.engine: {exc}")]) from None
        except ValueError as exc:  # e.g. no example has a word or character to learn from
            name = "nlu/intents.yml" if first else f"nlu/intents.{language}.yml"
            where = name if self.path is None else str(self.path / name)
            message = f"the NLU model cannot be trained on these examples: {exc}"
            raise BotError([Problem(where, 1, message)]) from None

    def _nlu_cache(self) -> Path | None:
        """Trained NLU models are cached next to the bot's own database (git-ignored)."""
        return None if self.path is None else self.path / ".workbench" / "nlu-cache"

    # --- loading and building -----------------------------------------------------------
    @classmethod
    def load(cls, folder: str | Path, *, db: str | None = None, store: Store | None = None) -> Self:
        """Load a bot folder; raises :class:`BotError` naming file and line of each problem.

        The store defaults to ``WORKBENCH_DB`` or SQLite at ``FOLDER/.workbench/workbench.db``.
        """
        path = Path(folder)
        files: FileCache = {}
        bot = cls(read_folder(path, files), store or open_store(db, folder=path), path)
        bot._content_files = files
        return bot

    @classmethod
    def new(
        cls, name: str = "notebook_bot", *, db: str = "memory://", store: Store | None = None
    ) -> Self:
        """An empty bot built in memory: add flows, content, intents and actions, then talk."""
        try:
            settings = BotSettings(name=name)
        except ValidationError as exc:
            raise BotError(f"bad bot name {name!r}: {exc.errors()[0]['msg']}") from None
        compiled = compile_source(BotSource(settings, in_memory=True))
        return cls(compiled, store or open_store(db))

    def _rebuild(self, source: BotSource) -> None:
        """Compile an edited source; on error raise and keep running the previous one."""
        self._apply(compile_source(source))

    def set_flow(
        self,
        name: str,
        flow: str | Mapping[str, Any],
        *,
        first_line: int = 1,
        file: str | None = None,
    ) -> None:
        """Add or replace a flow from YAML text (a ``%%flow`` cell) or a dict."""
        self._rebuild(editing.with_flow(self.source, name, flow, first_line, file))

    def remove_flow(self, name: str) -> None:
        self._rebuild(editing.without_flow(self.source, name))

    def set_content(self, element_id: str, element: str | Mapping[str, Any]) -> Element:
        """Add or replace a content element (a string is a text element)."""
        self._rebuild(editing.with_content(self.source, element_id, element))
        return self.program.content.get(element_id)

    def set_intents(
        self,
        intents: Mapping[str, list[str]] | NLUData,
        entities: Mapping[str, Any] | None = None,
        *,
        language: str | None = None,
    ) -> None:
        """Replace the NLU data: intents with utterances, list entities with synonyms (or a
        whole :class:`~workbench.nlu.NLUData`, e.g. from ``workbench.nlu.with_examples``).
        ``language``: one of the bot's languages (default: the first); each has its own
        model."""
        if isinstance(intents, NLUData) and entities is not None:
            raise TypeError("pass the entities inside the NLUData, not next to it")
        self._rebuild(editing.with_nlu(self.source, intents, entities, language))

    def add_action(self, fn: ActionFn, name: str | None = None) -> ActionFn:
        """Register a Python function as an action (usable as a decorator)."""
        self._rebuild(editing.with_action(self.source, fn, name))
        return fn

    def save(self, folder: str | Path) -> Path:
        """Write the bot as a folder that loads back identically (same flow version), with
        its :attr:`convo_tests` in ``tests/``."""
        from workbench.runtime._save import write_folder, write_tests  # inspect and yaml

        path = write_folder(self.source, Path(folder))
        write_tests(self.convo_tests, path)
        return path

    @property
    def flows(self) -> FlowSet:
        return self.program.flows

    @property
    def content(self) -> ContentManager:
        """The content manager: read, search and edit the bot's content elements, with
        revisions (see :class:`~workbench.runtime.ContentManager`)."""
        return self._content

    def remove_content(self, element_id: str) -> None:
        """Remove a content element of a bot built in a notebook (a folder bot's elements are
        deleted with ``bot.content.delete``, which edits the file)."""
        self._rebuild(editing.without_content(self.source, element_id))

    def refresh_content(self, *, force: bool = False) -> bool:
        """Read the content files again if they changed on disk (a save through
        ``bot.content`` from any process, or a hand edit); True if the content changed.

        Turns call it: a file change is seen by the first turn that starts
        :data:`CONTENT_CHECK_SECONDS` or more after the last look (``force``: look now).
        Content that no longer loads is not taken: the bot keeps running the previous one, and
        ``bot.content_problems`` says why.
        """
        folder = self.path
        if folder is None:
            return False
        now = time.monotonic()
        if not force and now - self._content_checked < CONTENT_CHECK_SECONDS:
            return False
        self._content_checked = now
        signature = content_signature(folder)
        if signature == self._content_signature:
            return False
        try:
            content = reload_content(folder, self.source, self._content_files)
            self._apply(compile_source(self.source.but(content=content), missing_content_ok=True))
        except BotError as exc:
            self.content_problems = list(exc.problems)
            self._content_signature = signature  # tried: wait for the next change
            return False
        self.content_problems = [
            p for p in self.warnings if "a turn that says it fails" in p.message
        ]
        self._content_signature = signature
        return True

    def refresh(self) -> bool:
        """Load the folder again if its flows, NLU data, settings or actions changed on disk
        (a deploy, another process), else its content if that changed; True if anything did.

        A server calls it before every turn, so that every instance on the folder runs a change
        from its next turn on. Conversations already running keep their flow version (the store
        holds every version). A folder that no longer loads is not taken: the bot keeps
        running the previous one, and ``bot.source_problems`` says why.
        """
        folder = self.path
        if folder is None:
            return False
        signature = source_signature(folder)
        if signature == self._source_signature:
            return self.refresh_content(force=True)
        self._source_signature = signature
        files: FileCache = {}
        try:
            compiled = read_folder(folder, files)
            self._apply(compiled)
        except BotError as exc:
            self.source_problems = list(exc.problems)
            return False
        self.source_problems = []
        self._content_files = files
        self._content_signature = content_signature(folder)
        self.content_problems = []
        return True

    def use(self, middleware: Middleware) -> Middleware:
        """Add a middleware (usable as a decorator); the first added is the outermost."""
        self.middleware.append(middleware)
        return middleware

    def conversation(
        self,
        user_id: str = "user",
        conversation_id: str | None = None,
        channel: str | Channel = "web",
        language: str | None = None,
    ) -> Conversation:
        """A handle on one conversation (a new one unless ``conversation_id`` is given).

        ``channel`` is where it happens: ``"web"`` (structured replies: quick replies, cards,
        images), ``"text"`` (plain text: choices numbered in the text) or a
        :class:`~workbench.schema.Channel`. ``language`` defaults to the bot's first language.
        """
        return Conversation(
            self,
            storable_text(conversation_id or uuid.uuid4().hex),
            storable_text(user_id),
            channel_named(channel),
            language or self.settings.languages[0],
        )

    # --- one message --------------------------------------------------------------------
    def program_for(self, session: Session | None) -> Program:
        """The program a session runs: the flow version it started on, current content."""
        if session is None:
            return self.program
        version = session["version"]
        program = self._programs.get(version)
        if program is None:
            definition = self.store.get_version(self.name, version)
            if definition is None:
                return self.program
            flows = flow_set_from_definition(definition, version)
            program, _ = Program.build(flows, self.program.content)
            self._programs[version] = program
        if program.content is not self.program.content:
            program = program.with_content(self.program.content)
        return program

    def handle(self, conversation_id: str, message: Message) -> TurnOutcome:
        """Run one user message through the whole path and save it (see ``_turn``)."""
        self._require_main()
        self.refresh_content()
        conversation_id, message = storable_message(conversation_id, message)
        outcome = run_turn(self, conversation_id, message.user_id or conversation_id, message)
        assert outcome is not None, "a message always makes a turn"
        return outcome

    def _require_main(self) -> None:
        if MAIN not in self.flows.flows:
            raise BotError(
                f"bot {self.name!r} has no 'main' flow yet: add one (a %%flow main cell, or "
                "bot.set_flow('main', ...)) before talking to it"
            )

    def turn_error_reply(self, channel: Channel, language: str) -> Reply:
        """What the user gets when a turn fails: the ``turn_error`` element, else a default."""
        if "turn_error" in self.program.content:
            try:
                element = self.program.content.get("turn_error")
                reply = element.render({}, self.rng, language, self.settings.languages[0])
                return for_channel(reply, channel)
            except Exception:
                pass
        return Reply("text", DEFAULT_TURN_ERROR)

    # --- timeouts -----------------------------------------------------------------------
    def timeout(
        self,
        conversation_id: str,
        *,
        idle_since: float | None = None,
        channel: str | Channel | None = None,
    ) -> TurnOutcome | None:
        """Run the timeout path of a conversation now (None if it has no open session, or
        it was active after ``idle_since``). Its replies are rendered for ``channel``, else for
        the channel of the conversation's last message."""
        self._require_main()
        self.refresh_content()
        known = self.store.get_conversation(self.name, conversation_id)
        if known is None or known.session is None:
            return None
        # the store loads the user's variables when the turn opens, so it needs the user now
        incoming = IdleTimeout(idle_since, channel)
        return run_turn(self, conversation_id, known.user_id, incoming)

    def send(
        self, conversation_id: str, *, element: str | None = None, text: str | None = None
    ) -> list[Reply] | None:
        """Say a content ``element`` or a ``text`` into a conversation without a user message
        (a proactive message: a turn of its own in the transcript; the session does not move).
        None if the conversation does not exist; an unknown element raises ``ContentError``."""
        self._require_main()
        self.refresh_content()
        outcome = send_proactive(self, conversation_id, element=element, text=text)
        return None if outcome is None else outcome.replies

    def expire_idle(self, older_than: float) -> dict[str, list[Reply]]:
        """Run the timeout path of every conversation idle for more than ``older_than`` s."""
        idle_since = time.time() - older_than
        answered: dict[str, list[Reply]] = {}
        for conversation_id in self.store.idle_conversations(self.name, idle_since):
            outcome = self.timeout(conversation_id, idle_since=idle_since)
            if outcome is not None:
                answered[conversation_id] = outcome.replies
        return answered

    # --- reading ------------------------------------------------------------------------
    def events(self, conversation_id: str | None = None) -> list[TranscriptEvent]:
        return self.store.events(self.name, conversation_id)

    def lint(self) -> list[Problem]:
        return list(self.warnings)

    # --- views (provided by the notebook and testing layers: see ``_views``) ---------------
    def graph(self, flow: str | None = None, **options: Any) -> Any:
        """The flows as an interactive graph (a ``FlowGraph``: ipycytoscape), live while
        conversations run."""
        return views().graph(self, flow, **options)

    def chat(self, user_id: str = "notebook-user", **options: Any) -> Any:
        """A chat emulator (an ``Emulator`` widget) with a state and trace debugger beside it."""
        return views().chat(self, user_id, **options)

    def test(self, files: Iterable[str | Path] | None = None) -> Any:
        """Run the conversation tests (default: the folder's ``tests/*.convo.yml``) on a private
        in-memory copy of the bot; the ``TestReport`` shows as a table, ``.to_frame()`` gives a
        DataFrame."""
        return views().test(self, files)

    def simulate(self, n: int, **options: Any) -> Any:
        """``n`` conversations with simulated users (a ``SimulationReport``); see
        :func:`workbench.testing.simulate`."""
        return views().simulate(self, n, **options)

    def nlu_tester(self) -> Any:
        """Type a sentence, see the ranked intents and entities of the bot's current model."""
        return views().nlu_tester(self)

    def evaluate_nlu(
        self, folds: int = 5, *, threshold: float | None = None, **options: Any
    ) -> Any:
        """Cross-validate the bot's intents (each fold held out in turn), with a progress bar.

        The ``CrossValidation`` has ``.report`` (accuracy, per-intent F1, confusion matrix),
        ``.curve()`` (scores by threshold) and ``.mistakes()``; ``workbench.notebook`` charts
        them. The scores use ``threshold``, else the one in ``bot.yml``, else the folds'
        calibrated one.
        """
        return views().evaluate_nlu(self, folds, threshold, **options)

    def review_unhandled(self, texts: Iterable[str] | None = None, **options: Any) -> Any:
        """What users said that the bot did not understand (default: from its transcripts),
        with an intent picker each; picks become training examples."""
        return views().review_unhandled(self, texts, **options)

    def __repr__(self) -> str:
        return f"<Bot {self.name!r} flows={sorted(self.flows.flows)} store={self.store.url!r}>"


__all__ = ["Bot", "BotError"]
