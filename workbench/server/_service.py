"""``BotService``: the bot one server process runs, and what its routes ask of it.

The service keeps no conversation state: every turn reads and writes the store, under the
conversation's lock, so any instance can take any message of any conversation. Before each
turn the bot looks at its folder (``Bot.refresh``: a few ``stat`` calls): a flow, content, NLU or
action change that a deploy or an editor made reaches every instance on its next turn.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
import time
import uuid
from typing import Any

from workbench.runtime import Bot, Janitor, TurnOutcome
from workbench.schema import Message, Reply, TranscriptEvent
from workbench.server._hub import Hub
from workbench.server._limits import RateLimiter
from workbench.server._metrics import Metrics
from workbench.server._settings import ServerSettings

log = logging.getLogger("workbench.server")


class UnknownConversation(LookupError):
    pass


class BotService:
    """One process's bot, its janitor and its metrics."""

    def __init__(self, settings: ServerSettings, bot: Bot) -> None:
        self.settings = settings
        self.bot = bot
        self.instance = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.started = time.time()
        self.metrics = Metrics(self.open_conversations)
        self.janitor: Janitor | None = None
        self._refreshing = threading.Lock()
        self.hub = Hub()
        bot.turn_listeners.append(self.hub.turn_done)
        self.limiter = RateLimiter(settings.rate_limit) if settings.rate_limit > 0 else None

    # --- lifecycle ----------------------------------------------------------------------
    def start(self) -> None:
        self.bot.store.open()  # a store that cannot open stops the server now, not at a turn
        if self.settings.janitor_interval > 0:
            self.janitor = Janitor(self.bot, interval=self.settings.janitor_interval).start()

    def stop(self) -> None:
        if self.janitor is not None:
            self.janitor.stop()
        self.bot.store.close()

    # --- conversations ------------------------------------------------------------------
    def say(
        self,
        conversation_id: str,
        text: str,
        *,
        user_id: str | None = None,
        message_id: str | None = None,
        payload: dict[str, Any] | None = None,
    ) -> TurnOutcome:
        """Run one user message (or answer a repeated ``message_id``) and count it."""
        started = time.perf_counter()
        with self._refreshing:  # one thread reloads; the others then see the new bot
            self.bot.refresh()
        message = Message(text, payload, user_id or conversation_id, message_id, "web")
        outcome = self.bot.handle(conversation_id, message)
        self.metrics.turn(
            time.perf_counter() - started,
            error=outcome.error is not None,
            repeated=outcome.repeated,
        )
        if outcome.error is not None:
            log.warning(
                "turn error",
                extra={
                    "conversation_id": conversation_id,
                    "turn": outcome.turn,
                    "error": outcome.error,
                },
            )
        return outcome

    def events(self, conversation_id: str) -> list[TranscriptEvent]:
        """The conversation's transcript rows in order (:class:`UnknownConversation` if it
        never had a turn)."""
        events = self.bot.store.events(self.bot.name, conversation_id)
        if not events and self.bot.store.get_conversation(self.bot.name, conversation_id) is None:
            raise UnknownConversation(conversation_id)
        return events

    def events_after(self, conversation_id: str, after: tuple[int, int]) -> list[TranscriptEvent]:
        """The rows written after position ``(turn, seq)``, in order.

        A turn writes all its rows in one commit, with the conversation's new turn number: when
        that number has not passed the position's turn there is nothing new, and a one-row read
        says so (a socket looks every ``poll_interval`` seconds)."""
        record = self.bot.store.get_conversation(self.bot.name, conversation_id)
        if record is None or record.turn <= after[0]:
            return []
        events = self.bot.store.events(self.bot.name, conversation_id)
        return [e for e in events if (e.turn, e.seq) > after]

    def rate_limited(self, client: str) -> int:
        """0 if ``client`` may send a message now, else the seconds to wait."""
        return 0 if self.limiter is None else self.limiter.wait(client, time.time())

    def reset(self, conversation_id: str) -> None:
        if self.bot.store.get_conversation(self.bot.name, conversation_id) is None:
            raise UnknownConversation(conversation_id)
        self.bot.store.reset(self.bot.name, conversation_id)

    def send(self, conversation_id: str, *, element: str | None, text: str | None) -> list[Reply]:
        """A proactive message (:class:`UnknownConversation` if there is no such one)."""
        replies = self.bot.send(conversation_id, element=element, text=text)
        if replies is None:
            raise UnknownConversation(conversation_id)
        return replies

    def expire_idle(self, older_than: float) -> int:
        answered = self.bot.expire_idle(older_than)
        self.metrics.timeouts.inc(len(answered))
        return len(answered)

    # --- status -------------------------------------------------------------------------
    def open_conversations(self) -> int:
        return len(self.bot.store.idle_conversations(self.bot.name, math.inf))

    def status(self) -> dict[str, Any]:
        turns = sum(
            sample.value
            for metric in self.metrics.turns.collect()
            for sample in metric.samples
            if sample.name.endswith("_total")
        )
        return {
            "bot": self.bot.name,
            "flow_version": self.bot.flows.version,
            "instance": self.instance,
            "pid": os.getpid(),
            "store": _redacted(self.bot.store.url),
            "open_conversations": self.open_conversations(),
            "turns": int(turns),
            "uptime_seconds": round(time.time() - self.started, 3),
        }


def _redacted(url: str) -> str:
    """The store URL without its password."""
    scheme, sep, rest = url.partition("://")
    if "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{host}" if ":" in credentials else url
