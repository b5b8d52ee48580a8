"""``Hub``: wakes the WebSockets of a conversation when one of its turns ends in this process.

Turns run in worker threads; each open socket waits on an ``asyncio.Event`` of the server's
event loop, set from the turn's thread. Turns run by other instances (a timeout another
instance's janitor ran) wake nobody here: the sockets also look at the store every
``poll_interval`` seconds.
"""

from __future__ import annotations

import asyncio
import threading

from workbench.runtime import TurnOutcome


class Hub:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiting: dict[str, set[asyncio.Event]] = {}
        self._lock = threading.Lock()

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """The loop the sockets' events belong to (the server's, once it runs)."""
        self._loop = loop

    def subscribe(self, conversation_id: str) -> asyncio.Event:
        event = asyncio.Event()
        with self._lock:
            self._waiting.setdefault(conversation_id, set()).add(event)
        return event

    def unsubscribe(self, conversation_id: str, event: asyncio.Event) -> None:
        with self._lock:
            events = self._waiting.get(conversation_id)
            if events is not None:
                events.discard(event)
                if not events:
                    del self._waiting[conversation_id]

    def turn_done(self, conversation_id: str, outcome: TurnOutcome) -> None:
        """A turn listener (see ``Bot.turn_listeners``): called in the turn's thread."""
        loop = self._loop
        with self._lock:
            events = list(self._waiting.get(conversation_id, ()))
        if loop is None or not events:
            return
        for event in events:
            loop.call_soon_threadsafe(event.set)
