"""``Conversation``: a handle on one conversation of a bot; its state lives in the store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.runtime._context import TurnOutcome
from workbench.runtime._trace import TurnTrace
from workbench.schema import Channel, Message, Reply, TranscriptEvent

if TYPE_CHECKING:  # the Bot creates conversations; this module only needs its type
    from workbench.runtime._bot import Bot


class Conversation:
    """Talk to a bot as one user: ``conv.say("hi")`` returns the bot's replies, rendered for
    the conversation's ``channel`` in its ``language``."""

    def __init__(
        self, bot: Bot, conversation_id: str, user_id: str, channel: Channel, language: str
    ) -> None:
        self.bot = bot
        self.id = conversation_id
        self.user_id = user_id
        self.channel = channel
        self.language = language
        self.last_error: str | None = None
        self._last: TurnOutcome | None = None

    @property
    def last_trace(self) -> TurnTrace | None:
        """The debugger trace of the last turn run through this handle (built when read)."""
        return None if self._last is None else self._last.trace

    def say(
        self, text: str = "", payload: dict[str, Any] | None = None, message_id: str | None = None
    ) -> list[Reply]:
        """Send a user message; returns the replies (a turn error answers, never raises)."""
        message = Message(text, payload, self.user_id, message_id, self.channel, self.language)
        outcome = self._last = self.bot.handle(self.id, message)
        self.last_error = outcome.error
        return outcome.replies

    def timeout(self) -> list[Reply]:
        """Run the timeout path now, as if the user had gone silent."""
        outcome = self.bot.timeout(self.id, channel=self.channel)
        if outcome is None:
            return []
        self._last = outcome
        self.last_error = outcome.error
        return outcome.replies

    @property
    def state(self) -> dict[str, Any]:
        """The session's variables (``{}`` when no session is open)."""
        record = self.bot.store.get_conversation(self.bot.name, self.id)
        if record is None or record.session is None:
            return {}
        return record.session["state"]

    @property
    def node(self) -> str | None:
        """Where the conversation waits, as ``flow.node`` (None when no session is open)."""
        record = self.bot.store.get_conversation(self.bot.name, self.id)
        if record is None or record.session is None:
            return None
        frame = record.session["stack"][-1]
        return f"{frame['flow']}.{frame['node']}"

    @property
    def user(self) -> dict[str, Any]:
        return self.bot.store.user_vars(self.bot.name, self.user_id)

    @property
    def events(self) -> list[TranscriptEvent]:
        return self.bot.store.events(self.bot.name, self.id)

    def reset(self) -> None:
        """Forget the open session (user variables and the transcript stay)."""
        self.bot.store.reset(self.bot.name, self.id)

    def __repr__(self) -> str:
        return (
            f"<Conversation {self.id!r} of {self.bot.name!r} user={self.user_id!r} "
            f"channel={self.channel.name!r} language={self.language!r}>"
        )
