"""``TurnGate``: turns of one worker run one at a time (CPU work under the GIL), in the order
they came, but one that waits (a slow action) does not hold the others back until it ends."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from workbench.server._gate import TurnGate


def test_turns_run_one_at_a_time_in_arrival_order() -> None:
    running, most, order = 0, 0, []
    lock = threading.Lock()

    def turn(number: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.002)  # short, well under the stall time
        with lock:
            running -= 1
            order.append(number)
        return number

    async def main() -> list[int]:
        gate = TurnGate(ThreadPoolExecutor(8), limit=1, stall=5.0)
        return await asyncio.gather(*(gate.run(lambda n=n: turn(n)) for n in range(20)))

    assert asyncio.run(main()) == list(range(20))
    assert most == 1
    assert order == list(range(20))


def test_a_waiting_turn_does_not_hold_the_others_until_it_ends() -> None:
    slow_may_end = threading.Event()
    ended: list[str] = []

    def slow() -> str:
        slow_may_end.wait(30)
        ended.append("slow")
        return "slow"

    def quick(name: str) -> str:
        ended.append(name)
        if len(ended) == 2:
            slow_may_end.set()  # both quick turns ended while the slow one still ran
        return name

    async def main() -> list[str]:
        gate = TurnGate(ThreadPoolExecutor(4), limit=1, stall=0.05)
        return await asyncio.gather(
            gate.run(slow), gate.run(lambda: quick("a")), gate.run(lambda: quick("b"))
        )

    assert asyncio.run(main()) == ["slow", "a", "b"]
    assert ended == ["a", "b", "slow"]


def test_a_request_that_goes_away_while_it_waits_gives_its_place_on() -> None:
    async def main() -> list[str]:
        gate = TurnGate(ThreadPoolExecutor(4), limit=1, stall=5.0)
        first = asyncio.ensure_future(gate.run(lambda: time.sleep(0.05) or "first"))
        await asyncio.sleep(0)
        gone = asyncio.ensure_future(gate.run(lambda: "gone"))
        last = asyncio.ensure_future(gate.run(lambda: "last"))
        await asyncio.sleep(0)
        gone.cancel()
        return [await first, await last]

    assert asyncio.run(main()) == ["first", "last"]
