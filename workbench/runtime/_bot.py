"""``Bot``: a loaded bot folder bound to a store; one message's whole path lives here."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Self

from pydantic import ValidationError

from workbench.config import BotSettings
from workbench.content import ContentLibrary, Element
from workbench.engine import Program, StepResult, TurnInput, step
from workbench.flows import MAIN, FlowSet, flow_set_from_definition
from workbench.nlu import NLUData, Recognizer, recognizer_for
from workbench.runtime import _editing as editing
from workbench.runtime._actions import ActionFn, ActionRegistry
from workbench.runtime._choices import resolve_choice
from workbench.runtime._context import Middleware, TurnContext, TurnOutcome, run_onion
from workbench.runtime._conversation import Conversation
from workbench.runtime._folder import read_folder
from workbench.runtime._source import BotSource, CompiledBot, compile_source
from workbench.runtime._transcript import TurnEvents
from workbench.schema import (
    BotError,
    ConversationRecord,
    Message,
    NLUResult,
    Problem,
    Reply,
    Session,
    TranscriptEvent,
    TurnError,
)
from workbench.stores import Store, open_store

DEFAULT_TURN_ERROR = "Sorry, something went wrong on my side. Could you say that again?"


class Bot:
    """A bot ready to talk. Conversation state lives in the store, never in this object."""

    def __init__(self, compiled: CompiledBot, store: Store, path: Path | None = None) -> None:
        self.path = path
        self.name = compiled.source.settings.name
        self.store = store
        self.middleware: list[Middleware] = []
        self._programs: dict[str, Program] = {}
        self._rng = random.Random()
        self.change_listeners: list[Callable[[Bot], None]] = []
        """Called after the bot was edited (a flow, content, intents or an action changed)."""
        self.turn_listeners: list[Callable[[str, TurnOutcome], None]] = []
        """Called after every turn with the conversation id and its outcome (live views)."""
        self._apply(compiled)

    def _apply(self, compiled: CompiledBot) -> None:
        """Switch to a newly compiled source (conversations already running keep their
        flow version; the store remembers every version)."""
        source = compiled.source
        nlu = self._recognizer(source)  # may fail: then nothing has changed yet
        self.source = source
        self.settings: BotSettings = source.settings
        self.program = compiled.program
        self.actions = ActionRegistry(source.actions)
        self.warnings: list[Problem] = compiled.warnings
        self.nlu: Recognizer = nlu
        self._programs[self.flows.version] = self.program
        if self.flows.flows:
            self.store.put_version(self.name, self.flows.version, self.flows.definition)
        for listener in list(self.change_listeners):
            listener(self)

    def _recognizer(self, source: BotSource) -> Recognizer:
        """Train (or read from the cache) the NLU model of ``source``."""
        try:
            return recognizer_for(
                source.nlu, source.settings.nlu, self._nlu_cache(), source.settings.languages[0]
            )
        except ImportError as exc:  # the embed engine without its extra installed
            where = "bot.yml" if self.path is None else str(self.path / "bot.yml")
            raise BotError([Problem(where, 1, f"nlu.engine: {exc}")]) from None
        except ValueError as exc:  # e.g. no example has a word or character to learn from
            where = "nlu/intents.yml" if self.path is None else str(self.path / "nlu/intents.yml")
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
        compiled = read_folder(path)
        return cls(compiled, store or open_store(db, folder=path), path)

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
        return self.content.get(element_id)

    def set_intents(
        self,
        intents: Mapping[str, list[str]] | NLUData,
        entities: Mapping[str, Any] | None = None,
    ) -> None:
        """Replace the NLU data: intents with utterances, list entities with synonyms (or a
        whole :class:`~workbench.nlu.NLUData`, e.g. from ``workbench.nlu.with_examples``)."""
        if isinstance(intents, NLUData):
            if entities is not None:
                raise TypeError("pass the entities inside the NLUData, not next to it")
            self._rebuild(self.source.but(nlu=intents))
        else:
            self._rebuild(editing.with_nlu(self.source, intents, entities))

    def add_action(self, fn: ActionFn, name: str | None = None) -> ActionFn:
        """Register a Python function as an action (usable as a decorator)."""
        self._rebuild(editing.with_action(self.source, fn, name))
        return fn

    def save(self, folder: str | Path) -> Path:
        """Write the bot as a folder that loads back identically (same flow version)."""
        from workbench.runtime._save import write_folder  # inspect and yaml, on first save

        return write_folder(self.source, Path(folder))

    @property
    def flows(self) -> FlowSet:
        return self.program.flows

    @property
    def content(self) -> ContentLibrary:
        return self.program.content

    def use(self, middleware: Middleware) -> Middleware:
        """Add a middleware (usable as a decorator); the first added is the outermost."""
        self.middleware.append(middleware)
        return middleware

    def conversation(
        self,
        user_id: str = "user",
        conversation_id: str | None = None,
    ) -> Conversation:
        return Conversation(self, conversation_id or uuid.uuid4().hex, user_id)

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
            program, _ = Program.build(flows, self.content)
            self._programs[version] = program
        if program.content is not self.content:
            program = program.with_content(self.content)
        return program

    def handle(self, conversation_id: str, message: Message) -> TurnOutcome:
        """Run one user message through the whole path and persist it in one transaction."""
        outcome = self._turn(conversation_id, message.user_id or conversation_id, message)
        assert outcome is not None
        return outcome

    def _require_main(self) -> None:
        if MAIN not in self.flows.flows:
            raise BotError(
                f"bot {self.name!r} has no 'main' flow yet: add one (a %%flow main cell, or "
                "bot.set_flow('main', ...)) before talking to it"
            )

    def _turn(
        self,
        conversation_id: str,
        user_id: str,
        message: Message | None,
        idle_since: float | None = None,
    ) -> TurnOutcome | None:
        """One turn: a message, or a timeout when ``message`` is None."""
        self._require_main()
        with self.store.turn(self.name, conversation_id, user_id) as tx:
            record = tx.conversation
            if message is None and (
                record.session is None
                or (idle_since is not None and record.updated_at >= idle_since)
            ):
                return None
            user_id = record.user_id or user_id
            text = resolve_choice(record.session, message.text) if message else ""
            ctx = TurnContext(conversation_id, user_id, text, message.payload if message else None)
            events = TurnEvents(conversation_id, user_id, record.turn + 1, time.time())
            kind = "message" if message else "timeout"
            holder: list[StepResult | None] = [None]

            def core() -> None:
                holder[0] = self._core(ctx, record, tx.user_vars, tx.bot_vars, events, kind)

            run_onion(ctx, self.middleware, core)
            result = holder[0]
            events.outcome(result, ctx.replies)
            ok = result is not None and ctx.error is None
            session = result.session if result is not None and ok else record.session
            updated = ConversationRecord(
                conversation_id, user_id, session, record.turn + 1, time.time()
            )
            changes = (result.user_changes, result.bot_changes) if result and ok else ({}, {})
            tx.save(updated, events.rows, *changes)
        outcome = TurnOutcome(ctx.replies, ctx.trace, record.turn + 1, ctx.error)
        for listener in list(self.turn_listeners):
            listener(conversation_id, outcome)
        return outcome

    def _core(
        self,
        ctx: TurnContext,
        record: ConversationRecord,
        user: dict[str, Any],
        bot: dict[str, Any],
        events: TurnEvents,
        kind: str,
    ) -> StepResult | None:
        """NLU and the engine step: the innermost layer of the middleware onion."""
        session = record.session
        where = _frame(session)
        failure: TurnError | None = None
        if kind == "message" and ctx.nlu is None:
            try:
                ctx.nlu = self.nlu.parse(ctx.text) if ctx.text else NLUResult()
            except Exception as exc:  # a recogniser that fails is a turn error, as an action
                failure = TurnError(f"NLU failed: {type(exc).__name__}: {exc}")
        nlu = ctx.nlu or NLUResult()
        if kind == "message":
            events.user(ctx.text, ctx.payload, nlu, where)
        event = TurnInput("timeout" if kind == "timeout" else "message", ctx.text, ctx.payload, nlu)
        ctx.trace.update(_trace_before(record, session, user, bot, nlu, kind))
        try:
            if failure is not None:
                raise failure
            result = step(
                self.program_for(session),
                session,
                user,
                bot,
                event,
                actions=self.actions,
                now=time.time(),
                max_visits=self.settings.max_node_visits,
                rng=self._rng,
            )
        except TurnError as exc:
            ctx.error = str(exc)
            ctx.trace.update(
                {
                    "steps": [],
                    "error": ctx.error,
                    "ended": False,
                    "node_after": ctx.trace["node_before"],
                    "state_after": ctx.trace["state_before"],
                    "user_after": user,
                    "bot_after": bot,
                }
            )
            events.error(ctx.error, (exc.flow, exc.node) if exc.flow else where)
            ctx.replies = [self._turn_error_reply()]
            return None
        ctx.replies = list(result.replies)
        ctx.trace.update(_trace_after(result))
        ctx.trace["user_after"] = {**user, **result.user_changes}
        ctx.trace["bot_after"] = {**bot, **result.bot_changes}
        return result

    def _turn_error_reply(self) -> Reply:
        if "turn_error" in self.content:
            try:
                return self.content.get("turn_error").render({}, self._rng)
            except Exception:
                pass
        return Reply("text", DEFAULT_TURN_ERROR)

    # --- timeouts -----------------------------------------------------------------------
    def timeout(
        self,
        conversation_id: str,
        *,
        idle_since: float | None = None,
    ) -> TurnOutcome | None:
        """Run the timeout path of a conversation now (None if it has no open session, or
        it was active after ``idle_since``)."""
        known = self.store.get_conversation(self.name, conversation_id)
        if known is None or known.session is None:
            return None
        # the store loads the user's variables when the turn opens, so it needs the user now
        return self._turn(conversation_id, known.user_id, None, idle_since)

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

    def __repr__(self) -> str:
        return f"<Bot {self.name!r} flows={sorted(self.flows.flows)} store={self.store.url!r}>"


def _trace_before(
    record: ConversationRecord,
    session: Session | None,
    user: dict[str, Any],
    bot: dict[str, Any],
    nlu: NLUResult,
    kind: str,
) -> dict[str, Any]:
    return {
        "turn": record.turn + 1,
        "kind": kind,
        "nlu": nlu.as_trace(),
        "node_before": _where(session),
        # no copies needed: the engine works on its own copies and never changes these
        "state_before": session["state"] if session else {},
        "user_before": user,
        "bot_before": bot,
    }


def _trace_after(result: StepResult) -> dict[str, Any]:
    return {
        "steps": result.trace,
        "node_after": _where(result.session),
        "state_after": result.state if result.session else {},
        "ended": result.ended,
        "error": None,
    }


def _frame(session: Session | None) -> tuple[str, str]:
    if session is None:
        return ("", "")
    frame = session["stack"][-1]
    return (frame["flow"], frame["node"])


def _where(session: Session | None) -> str | None:
    if session is None:
        return None
    frame = session["stack"][-1]
    return f"{frame['flow']}.{frame['node']}"


__all__ = ["Bot", "BotError"]
