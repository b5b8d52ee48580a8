"""One message's whole path (DESIGN.md): channel → store → middleware → NLU → engine step →
replies rendered for the channel and language → middleware → transcript + state saved together.

The store locks the conversation for the turn (turns of one conversation never interleave) but
holds no database-wide lock while NLU, the step and the bot's actions run; what the turn writes
is committed in one short transaction at the end, or nothing is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.engine import Say, StepResult, Timeout, TurnFailed, UserMessage, step
from workbench.runtime._choices import resolve_choice
from workbench.runtime._context import TurnContext, TurnOutcome, run_onion
from workbench.runtime._replies import Replayed, replay, trace_steps
from workbench.runtime._trace import Step, TurnTrace
from workbench.runtime._transcript import TurnRows
from workbench.runtime._unstorable import UNSTORABLE, unstorable_message
from workbench.schema import (
    CHANNELS,
    WEB,
    Channel,
    ConversationRecord,
    Message,
    NLUResult,
    Reply,
    Session,
    channel_named,
    storable_text,
)
from workbench.stores import ConversationBusy, TurnTransaction

if TYPE_CHECKING:  # the Bot runs turns; this module only needs its type
    from workbench.runtime._bot import Bot


@dataclass(frozen=True)
class IdleTimeout:
    """A timeout: run the timeout path of the open session, if it has been idle since
    ``idle_since`` (None: whenever it was last active)."""

    idle_since: float | None = None
    channel: str | Channel | None = None
    """None: the channel of the conversation's last message."""


Incoming = Message | IdleTimeout


def storable_message(conversation_id: str, message: Message) -> tuple[str, Message]:
    """The conversation id and message as every store keeps them (see :func:`storable_text`):
    the one normalisation of what users send, at the edge, before anything reads it."""
    text, user_id = message.text, message.user_id
    if not isinstance(text, str):  # a number or None from Python: the text the user sees
        text = "" if text is None else str(text)
    clean = storable_text(text)
    clean_user = storable_text(user_id)
    clean_id = storable_text(conversation_id)
    language, message_id = message.language, message.message_id
    clean_language = language if language is None else storable_text(language)
    clean_message_id = message_id if message_id is None else storable_text(message_id)
    if (
        clean is message.text
        and clean_user is user_id
        and clean_language is language
        and clean_message_id is message_id
    ):
        return clean_id, message
    return clean_id, Message(
        clean,
        message.payload,
        clean_user,
        clean_message_id,
        message.channel,
        clean_language,
    )


def run_turn(
    bot: Bot, conversation_id: str, user_id: str, incoming: Incoming
) -> TurnOutcome | None:
    """Run one turn and save it; None for a timeout that finds nothing to do."""
    message_id = incoming.message_id if isinstance(incoming, Message) else None
    # A janitor's timeout waits for nothing: a conversation in a turn now is not idle (or
    # another instance's janitor is running its timeout), so it is skipped.
    janitor = isinstance(incoming, IdleTimeout) and incoming.idle_since is not None
    try:
        with bot.store.turn(
            bot.name, conversation_id, user_id, **_NO_WAIT if janitor else {}
        ) as tx:
            done = _run(bot, tx, incoming, message_id)
    except ConversationBusy:
        if janitor:
            return None
        raise
    if not isinstance(done, _Turn):
        return done
    outcome = done.outcome()
    bot.turn_listeners.notify(conversation_id, outcome)
    return outcome


_NO_WAIT: dict[str, bool] = {"wait": False}


def _run(
    bot: Bot, tx: TurnTransaction, incoming: Incoming, message_id: str | None
) -> _Turn | TurnOutcome | None:
    """Inside the turn's transaction: the turn run and saved, or what answers without one (a
    timeout with nothing to do, a message id answered before)."""
    record = tx.conversation
    session = record.session
    if isinstance(incoming, IdleTimeout) and (
        session is None
        or (incoming.idle_since is not None and record.updated_at >= incoming.idle_since)
    ):
        return None
    if message_id is not None:
        answered = tx.recall(message_id)
        if answered is not None:  # sent again: the first answer, nothing changes
            return _answered_before(record, [Reply.from_json(r) for r in answered])
    turn = _Turn(bot, record, tx.user_vars, tx.bot_vars, incoming)
    turn.run()
    try:
        tx.save(*turn.to_save())
    except UNSTORABLE as exc:  # nothing was staged: the turn becomes a turn error
        turn.unstorable(exc)
        tx.save(*turn.to_save())
    if message_id is not None:
        tx.remember(message_id, [reply.to_json() for reply in turn.ctx.replies])
    return turn


class _Turn:
    """The work of one turn, between reading the conversation and saving it."""

    def __init__(
        self,
        bot: Bot,
        record: ConversationRecord,
        user: dict[str, Any],
        bot_vars: dict[str, Any],
        incoming: Incoming,
    ) -> None:
        self.bot, self.record, self.user, self.bot_vars = bot, record, user, bot_vars
        self.user_before, self.bot_before = dict(user), dict(bot_vars)  # for the trace
        self.number = record.turn + 1
        self.started = time.time()
        session = record.session
        self.user_id = record.user_id
        self.channel = _channel_of(incoming, session)
        self.language = _language_of(incoming, session, bot.settings.languages[0])
        self.timeout = isinstance(incoming, IdleTimeout)
        message = incoming if isinstance(incoming, Message) else Message()
        text = resolve_choice(session, message.text) if not self.timeout else ""
        self.ctx = TurnContext(
            record.id,
            self.user_id,
            text,
            message.payload,
            channel=self.channel,
            language=self.language,
            timeout=self.timeout,
        )
        self.result: StepResult | None = None
        self.replayed = _NOTHING_SENT
        self.failure: TurnFailed | None = None
        self.rows = TurnRows(
            record.id, self.user_id, self.number, self.started, self.channel.name, self.language
        )

    # --- the path -----------------------------------------------------------------------
    def run(self) -> None:
        run_onion(self.ctx, self.bot.middleware, self.core)

    def core(self) -> None:
        """NLU, the engine step and the replies: the innermost layer of the middleware onion."""
        ctx, bot = self.ctx, self.bot
        where = _where(self.record.session) or ""
        failure: TurnFailed | None = None
        if not self.timeout:
            if ctx.nlu is None:
                try:
                    ctx.nlu = (
                        bot.nlu_for(self.language).parse(ctx.text) if ctx.text else NLUResult()
                    )
                except Exception as exc:  # a recogniser that fails is a turn error
                    failure = TurnFailed(f"NLU failed: {type(exc).__name__}: {exc}")
            self.rows.user(ctx.text, ctx.payload, ctx.nlu or NLUResult(), where)
        self.rows_start = len(self.rows.rows)
        if failure is None:
            nlu = ctx.nlu or NLUResult()
            incoming = Timeout() if self.timeout else UserMessage(ctx.text, ctx.payload, nlu)
            session = self.record.session
            self.result = result = bot.actions.drive(
                step(
                    bot.program_for(session),
                    session,
                    self.user,
                    self.bot_vars,
                    incoming,
                    now=self.started,
                    max_visits=bot.settings.max_node_visits,
                )
            )
            failure = result.failure
            if failure is None:
                languages = (self.language, bot.settings.languages[0])
                self.replayed = replay(result.events, self.channel, languages, bot.rng, self.rows)
                failure = self.replayed.failure
        if failure is None:
            ctx.replies = list(self.replayed.replies)
            return
        self.failure = failure
        del self.rows.rows[self.rows_start :]  # the rolled-back path leaves no node rows
        ctx.error = failure.message
        self.rows.error(failure.message, failure.node or where)
        ctx.replies = [bot.turn_error_reply(self.channel, self.language)]

    def unstorable(self, exc: BaseException) -> None:
        """The turn made a value no store can keep: roll it back as a turn error."""
        result, where = self.result, _where(self.record.session) or ""
        message = unstorable_message(exc, result, self.rows.rows[: self.rows_start])
        self.failure = TurnFailed(message)
        del self.rows.rows[self.rows_start :]
        self.ctx.error = message
        self.rows.error(message, where)
        self.ctx.replies = [self.bot.turn_error_reply(self.channel, self.language)]

    # --- what to save -------------------------------------------------------------------
    def to_save(
        self,
    ) -> tuple[ConversationRecord, list[Any], dict[str, Any], dict[str, Any]]:
        """The conversation row, the transcript rows and the changed user and bot variables."""
        ctx, result = self.ctx, self.result
        if self.failure is not None or result is None:
            for reply in ctx.replies:
                self.rows.bot(reply, "")
            record = ConversationRecord(
                self.record.id, self.user_id, self.record.session, self.number, time.time()
            )
            return record, self.rows.rows, {}, {}
        if ctx.replies != self.replayed.replies:  # outgoing middleware replaced them
            self.rows.replace_replies(self.rows_start, result.events, ctx.replies)
        session = self._session_after(result.session)
        record = ConversationRecord(self.record.id, self.user_id, session, self.number, time.time())
        return record, self.rows.rows, result.user_changes, result.bot_changes

    def _session_after(self, session: Session | None) -> Session | None:
        """The step's session, with the choices just offered and the channel and language."""
        if session is None:
            return None
        offered = self.replayed.offered
        if offered:
            session["choices"] = [{"title": c.title, "value": c.value} for c in offered]
        session["channel"] = self.channel.name
        session["language"] = self.language
        return session

    # --- what the caller gets -----------------------------------------------------------
    def outcome(self) -> TurnOutcome:
        ctx = self.ctx
        return TurnOutcome(list(ctx.replies), self.number, ctx.error, self.trace)

    def trace(self) -> TurnTrace:
        ctx, before = self.ctx, self.record.session
        result = None if self.failure is not None else self.result
        after = before if result is None else result.session
        if self.result is None:  # failed before the step (the NLU)
            steps: list[Step] = [self.failure] if self.failure else []
        elif self.result.failure is not None:  # failed in the step: nothing was sent
            steps = [e for e in self.result.events if not isinstance(e, Say)]
        else:
            steps = trace_steps(self.result.events, self.replayed)
        return TurnTrace(
            turn=self.number,
            trigger="timeout" if self.timeout else "message",
            channel=self.channel.name,
            language=self.language,
            text=ctx.text,
            nlu=None if self.timeout else (ctx.nlu or NLUResult()),
            node_before=_where(before),
            node_after=_where(after),
            steps=tuple(steps),
            state_before=before["state"] if before else {},
            state_after=after["state"] if after else {},
            user_before=self.user_before,
            user_after={**self.user_before, **(result.user_changes if result else {})},
            bot_before=self.bot_before,
            bot_after={**self.bot_before, **(result.bot_changes if result else {})},
            replies=tuple(ctx.replies),
            ended=result is not None and result.ended,
            error=ctx.error,
        )


def _answered_before(record: ConversationRecord, replies: list[Reply]) -> TurnOutcome:
    """A message whose ``message_id`` was seen: the replies stored then; no turn ran."""
    where = _where(record.session)
    state = record.session["state"] if record.session else {}

    def trace() -> TurnTrace:
        channel = record.session.get("channel", "web") if record.session else "web"
        language = str(record.session.get("language", "")) if record.session else ""
        return TurnTrace(
            turn=record.turn,
            trigger="message",
            channel=str(channel),
            language=language,
            node_before=where,
            node_after=where,
            state_before=state,
            state_after=state,
            replies=tuple(replies),
        )

    return TurnOutcome(replies, record.turn, None, trace, repeated=True)


_NOTHING_SENT = Replayed()
"""What a turn that failed before its replies were rendered sent (nothing; never changed)."""


def _channel_of(incoming: Incoming, session: Session | None) -> Channel:
    """A message's own channel; for a timeout, the one asked for, else the channel of the
    conversation's last message (a channel the runtime does not know by name is ``web``)."""
    if incoming.channel is not None:
        return channel_named(incoming.channel)
    name = session.get("channel") if session is not None else None
    return CHANNELS.get(name or "web", WEB)


def _language_of(incoming: Incoming, session: Session | None, default: str) -> str:
    if isinstance(incoming, Message) and incoming.language:
        return incoming.language
    if session is not None and session.get("language"):
        return str(session.get("language"))
    return default


def _where(session: Session | None) -> str | None:
    if session is None:
        return None
    frame = session["stack"][-1]
    return f"{frame['flow']}.{frame['node']}"
