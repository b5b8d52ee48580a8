"""The janitor: runs the timeout path of idle conversations in the background."""

from __future__ import annotations

import threading

from workbench.runtime._bot import Bot


class Janitor:
    """Calls ``bot.expire_idle(idle)`` every ``interval`` seconds until stopped.

    Safe with several server instances: each timeout runs under the conversation's lock and
    re-checks that the conversation is still idle; a conversation another turn holds (a user's
    message, another instance's janitor) is skipped, not waited for (PostgreSQL: ``SKIP
    LOCKED``), so the janitors of N instances share the work instead of queueing on it.
    """

    def __init__(self, bot: Bot, *, idle: float | None = None, interval: float = 30.0) -> None:
        self.bot = bot
        self.idle = idle if idle is not None else bot.settings.session_timeout
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.expired = 0

    def run_once(self) -> int:
        """Expire idle conversations, then let the store tidy up (SQLite: a WAL checkpoint,
        so that cost does not land on a user's turn)."""
        count = len(self.bot.expire_idle(self.idle))
        self.expired += count
        checkpoint = getattr(self.bot.store, "checkpoint", None)
        if callable(checkpoint):
            checkpoint()
        return count

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.run_once()
            except Exception:  # keep the janitor alive; the next round tries again
                import logging  # only on a failure

                logging.getLogger(__name__).exception("janitor round failed")

    def start(self) -> Janitor:
        self._thread = threading.Thread(target=self._loop, name="workbench-janitor", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
