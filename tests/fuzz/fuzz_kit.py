"""What the fuzz tests share: the seed, how many cases to run, and the budgets each case has.

``make test`` runs a bounded number of cases (about a minute for the whole fuzz suite); set
``WORKBENCH_FUZZ_CASES`` to run more (``WORKBENCH_FUZZ_CASES=5000``), and ``WORKBENCH_FUZZ_SEED``
to explore other cases (the default seed keeps every run the same).
"""

from __future__ import annotations

import os
import random

SEED = int(os.environ.get("WORKBENCH_FUZZ_SEED", "23"))
SCALE_ENV = "WORKBENCH_FUZZ_CASES"


def cases(default: int) -> int:
    """How many cases a fuzz test runs: ``default``, or ``WORKBENCH_FUZZ_CASES`` when set."""
    value = os.environ.get(SCALE_ENV)
    return int(value) if value else default


def rng(name: str) -> random.Random:
    """A generator seeded by :data:`SEED` and the test's name: the same cases on every run."""
    return random.Random(f"{SEED}:{name}")


FIXED_TEXTS = [
    "hi \ud800",
    "\udfff",
    "large\x00pizza",
    "\x00",
    "\ud83d\ude00 pair as surrogates",
    "a\udc80\udcffb",
    "",
    " ",
    "\r\n\t",
    "\ufeffBOM first",
    "\u202eRTL override\u202c",
    "zero\u200bwidth\u200djoiner",
    "e\u0301\u0301\u0301 combining",
    "{{ 7 * 7 }}",
    "{% for i in range(10) %}x{% endfor %}",
    "{{ ''.__class__.__mro__ }}",
    "%s%s%s%n %(x)s {0} {}",
    "'; DROP TABLE wb_events; --",
    '"\\u0000" \\x00 \\ud800',
    "\x1b[31mred\x1b[0m \x07 \x7f",
    "large pizza with ham",
    "\uff2c\uff21\uff32\uff27\uff25 \uff50\uff49\uff5a\uff5a\uff41",
    "\U0010ffff\U000e0001",
    "x" * 50_000,
    "pizza " * 8_000,
]
"""Texts that broke, or could break, a turn; the random ones come on top of these."""

_ALPHABET = [
    (0x00, 0x20),  # control characters, NUL included
    (0x20, 0x7F),
    (0x80, 0x800),
    (0xD800, 0xE000),  # lone surrogates
    (0xFFF0, 0x10000),
    (0x1F300, 0x1F700),
    (0x10FFF0, 0x110000),
]


def random_text(rand: random.Random) -> str:
    """A short text of characters from every corner of Unicode (surrogates and NUL included)."""
    length = rand.choice([1, 2, 5, 20, 200])
    chars = []
    for _ in range(length):
        low, high = rand.choice(_ALPHABET)
        chars.append(chr(rand.randrange(low, high)))
    return "".join(chars)
