"""The benchmark's conversation script, its expected replies, and latency statistics.

Every implementation plays the same full pizza order per conversation (greeting → size →
toppings → done → yes → card → 4 digits); the size and toppings rotate between conversations.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypedDict

__all__ = [
    "TURNS_PER_CONVERSATION",
    "Reply",
    "TurnStats",
    "check_replies",
    "final_reply",
    "script",
    "turn_stats",
]

SIZES = ("small", "medium", "large")
TOPPINGS = ("ham and olives", "cheese please", "mushrooms, peppers")
TURNS_PER_CONVERSATION = 7

Reply = tuple[str, list[str]]
"""A bot reply reduced to what both implementations share: (text, choice titles)."""

# The first conversation (script(0)) must produce exactly these replies, turn by turn.
_GREETINGS = ("Welcome to Pizza Palace!", "Hi, this is Pizza Palace!")
_EXPECTED: list[list[Reply | tuple[tuple[str, ...], list[str]]]] = [
    [(_GREETINGS, []), ("What size would you like?", ["Small", "Medium", "Large"])],
    [("Which toppings? (cheese, ham, mushrooms, olives, peppers — or say none)", [])],
    [("Added. Anything else on it? (say done when finished)", [])],
    [("A small pizza with ham, olives: $11.00. Shall I order it?", ["yes", "no"])],
    [("How would you like to pay?", ["Card", "Cash on delivery"])],
    [("Please type the last 4 digits of your card.", [])],
    [("Payment accepted (card).", []), ("Thanks! Your small pizza is on its way. 🍕", [])],
]


def script(conversation: int) -> list[str]:
    """The user's messages of the ``conversation``-th order."""
    size = SIZES[conversation % len(SIZES)]
    toppings = TOPPINGS[(conversation // len(SIZES)) % len(TOPPINGS)]
    return ["hi", size, toppings, "done", "yes", "card", f"{4242 + conversation % 5000:04d}"]


def final_reply(conversation: int) -> str:
    """The last reply of a completed ``conversation``-th order."""
    return f"Thanks! Your {SIZES[conversation % len(SIZES)]} pizza is on its way. 🍕"


def check_replies(name: str, turns: Sequence[Sequence[Reply]]) -> None:
    """Raise ``AssertionError`` unless ``turns`` (the replies to ``script(0)``) are as expected."""
    assert len(turns) == len(_EXPECTED), f"{name}: {len(turns)} turns, expected {len(_EXPECTED)}"
    for number, (got, expected) in enumerate(zip(turns, _EXPECTED, strict=True), 1):
        ok = len(got) == len(expected) and all(
            (g[0] in e[0] if isinstance(e[0], tuple) else g[0] == e[0]) and g[1] == e[1]
            for g, e in zip(got, expected, strict=True)
        )
        assert ok, f"{name}: turn {number} replied {list(got)!r}, expected {expected!r}"


class TurnStats(TypedDict):
    turns: int
    seconds: float
    turns_per_s: float
    cpu_seconds: float
    turns_per_cpu_s: float
    p50_ms: float
    p99_ms: float


def turn_stats(latencies_ns: list[int], seconds: float, cpu_seconds: float) -> TurnStats:
    """Throughput over the whole run (wall clock, and CPU time of the process, which other
    processes on a busy machine do not inflate) and nearest-rank percentiles of the latencies."""
    ordered = sorted(latencies_ns)

    def percentile(q: float) -> float:
        rank = max(1, math.ceil(q * len(ordered)))
        return round(ordered[rank - 1] / 1e6, 3)

    return {
        "turns": len(ordered),
        "seconds": round(seconds, 3),
        "turns_per_s": round(len(ordered) / seconds, 1),
        "cpu_seconds": round(cpu_seconds, 3),
        "turns_per_cpu_s": round(len(ordered) / cpu_seconds, 1),
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
    }
