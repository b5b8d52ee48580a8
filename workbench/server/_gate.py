"""``TurnGate``: how many turns of one worker process run at once.

Turns run in worker threads, so that one waiting (on the store, or in a slow action) never holds
the event loop. But on the memory and SQLite stores a turn is CPU work under the GIL: several
running at once only take the GIL from each other at every call that lets go of it (each
SQLite call, each ``stat``), and each of them ends as late as the slowest. Measured with
``benchmarks/server.py``'s load at 8 concurrent conversations on SQLite (2-core VM shared with
other work, median of 6 runs of 2 s, two sessions): p99 latency 52-109 ms with turns free to
run side by side, 26-28 ms one at a time; server CPU per turn within the noise of that machine
(1.00-1.44 ms either way).

So the gate lets ``limit`` turns run at once, and waiting turns start as soon as one ends,
first come first served. A turn that has run for ``stall`` seconds is no longer counted: it
is waiting on something (a slow action, another process's lock), and the next turn starts
beside it, so a slow action holds other conversations back by ``stall`` at most, not for as
long as it runs. PostgreSQL turns wait on the network several times each: the server gives
them no limit (one at a time there cut the throughput to a third, same load).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor
from typing import TypeVar

T = TypeVar("T")

STALL_SECONDS = 0.02
"""A turn running this long is taken to be waiting (a normal turn takes well under 1 ms)."""


class TurnGate:
    """Run blocking calls on ``executor``, at most ``limit`` of them at once that have been
    running for less than ``stall`` seconds; the others wait their turn, first come first
    served. Use it from one event loop."""

    def __init__(self, executor: Executor, limit: int = 1, stall: float = STALL_SECONDS) -> None:
        self.executor, self.limit, self.stall = executor, limit, stall
        self._started: dict[int, float] = {}
        """Start time (loop clock) of each running call, by ticket."""
        self._ticket = 0
        self._admitted = 0
        """Calls let in whose coroutine has not resumed yet (they hold a place)."""
        self._queue: deque[asyncio.Future[None]] = deque()
        self._timer: asyncio.TimerHandle | None = None

    async def run(self, call: Callable[[], T]) -> T:
        loop = asyncio.get_running_loop()
        if self._queue or self._busy(loop.time()) >= self.limit:
            admitted: asyncio.Future[None] = loop.create_future()
            self._queue.append(admitted)
            self._arm(loop)
            try:
                await admitted
            except BaseException:  # the request went away
                if admitted.done() and not admitted.cancelled():  # after it was let in
                    self._admitted -= 1
                    self._admit(loop)
                admitted.cancel()
                raise
            self._admitted -= 1
        self._ticket += 1
        ticket = self._ticket
        self._started[ticket] = loop.time()
        self._arm(loop)
        try:
            return await loop.run_in_executor(self.executor, call)
        finally:
            del self._started[ticket]
            self._admit(loop)

    def _running(self, now: float) -> list[float]:
        """The start times of the running calls that are not stalled."""
        return [started for started in self._started.values() if now - started < self.stall]

    def _busy(self, now: float) -> int:
        return len(self._running(now)) + self._admitted

    def _admit(self, loop: asyncio.AbstractEventLoop) -> None:
        """Let waiting calls start while there is room."""
        free = self.limit - self._busy(loop.time())
        while self._queue and free > 0:
            admitted = self._queue.popleft()
            if not admitted.done():  # else its request went away
                admitted.set_result(None)
                self._admitted += 1
                free -= 1
        self._arm(loop)

    def _arm(self, loop: asyncio.AbstractEventLoop) -> None:
        """While calls wait, look again when the oldest running call becomes stalled."""
        if self._timer is not None or not self._queue:
            return
        running = self._running(loop.time())
        if not running:  # nothing runs (the places are let in): their end admits the next
            return

        def fire() -> None:
            self._timer = None
            self._admit(loop)

        self._timer = loop.call_at(min(running) + self.stall, fire)

    def __repr__(self) -> str:
        waiting = len(self._queue)
        return f"<TurnGate limit={self.limit} running={len(self._started)} waiting={waiting}>"
