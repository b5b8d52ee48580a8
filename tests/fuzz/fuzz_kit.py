"""What the fuzz tests share: the seed, how many cases to run, and the budgets each case has.

``make test`` runs a bounded number of cases (about a minute for the whole fuzz suite); set
``WORKBENCH_FUZZ_CASES`` to run more (``WORKBENCH_FUZZ_CASES=5000``), and ``WORKBENCH_FUZZ_SEED``
to explore other cases (the default seed keeps every run the same).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import workbench as wb

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


# --- mutated bot folders -----------------------------------------------------------------

SAMPLE_BOTS = Path(__file__).resolve().parents[2] / "sample_bots"
BOTS = ("pizza", "support", "survey")
MUTATIONS = (
    "delete",
    "duplicate",
    "reindent",
    "swap",
    "wrong_type",
    "broken_reference",
    "garbage",
    "invalid_utf8",
    "truncate",
    "deep_nesting",
    "alias_bomb",
    "tab",
    "huge_value",
)
_WRONG_VALUES = ("[1, 2]", "{a: 1}", "123", "null", "true", "''", "[[[]]]", "-1.5e300", "~")
_GARBAGE = ("{{", "}}", "{%", "&a", "*a", "!!python/object:os.system", "? ", "- ", ": ", "---", '"')


def copy_bot(name: str, target: Path) -> Path:
    """A sample bot copied to ``target`` (its NLU cache too: loads need not train again)."""
    shutil.copytree(
        SAMPLE_BOTS / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.db*")
    )
    return target


def mutate(rand: random.Random, folder: Path) -> list[str]:
    """Apply one to three mutations to the YAML files of ``folder``; what was done, as text."""
    files = sorted(p for p in folder.rglob("*.yml") if ".workbench" not in p.parts)
    done = []
    for _ in range(rand.choice([1, 1, 2, 3])):
        path = rand.choice(files)
        kind = rand.choice(MUTATIONS)
        data = path.read_bytes()
        path.write_bytes(_MUTATE[kind](rand, data))
        done.append(f"{kind} {path.relative_to(folder)}")
    return done


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n") or [b""]


def _at(rand: random.Random, lines: list[bytes]) -> int:
    return rand.randrange(len(lines))


def _delete(rand: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    del lines[_at(rand, lines)]
    return b"\n".join(lines)


def _duplicate(rand: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = _at(rand, lines)
    lines.insert(i, lines[i])
    return b"\n".join(lines)


def _reindent(rand: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = _at(rand, lines)
    lines[i] = rand.choice([b"  " + lines[i], lines[i].lstrip(), b" " + lines[i]])
    return b"\n".join(lines)


def _swap(rand: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i, j = _at(rand, lines), _at(rand, lines)
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def _wrong_type(rand: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = _at(rand, lines)
    head, colon, _ = lines[i].partition(b": ")
    if colon:
        lines[i] = head + b": " + rand.choice(_WRONG_VALUES).encode()
    else:
        lines[i] = lines[i] + b" " + rand.choice(_WRONG_VALUES).encode()
    return b"\n".join(lines)


def _broken_reference(rand: random.Random, data: bytes) -> bytes:
    words = re.findall(rb"[a-z_]{3,}", data)
    if not words:
        return data
    word = rand.choice(words)
    return data.replace(word, rand.choice([b"nope", b"END", b"RETURN", b"main.nope"]), 1)


def _garbage(rand: random.Random, data: bytes) -> bytes:
    at = rand.randrange(len(data) + 1)
    junk = rand.choice(_GARBAGE).encode() if rand.random() < 0.7 else rand.randbytes(8)
    return data[:at] + junk + data[at:]


def _invalid_utf8(rand: random.Random, data: bytes) -> bytes:
    at = rand.randrange(len(data) + 1)
    return data[:at] + rand.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"]) + data[at:]


def _truncate(rand: random.Random, data: bytes) -> bytes:
    return data[: rand.randrange(len(data) + 1)]


def _deep_nesting(rand: random.Random, data: bytes) -> bytes:
    depth = rand.choice([60, 300, 3000])
    if rand.random() < 0.5:
        return data + b"\ndeep: " + b"[" * depth + b"]" * depth + b"\n"
    return data + b"\ndeep:\n" + b"".join(b"  " * (i + 1) + b"- k:\n" for i in range(depth // 10))


def _alias_bomb(rand: random.Random, data: bytes) -> bytes:
    levels = rand.choice([5, 8, 10])
    lines = [b"bomb0: &b0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"bomb{i}: &b{i} [".encode() + b", ".join([f"*b{i - 1}".encode()] * 9) + b"]")
    return data + b"\n" + b"\n".join(lines) + b"\n"


def _tab(rand: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = _at(rand, lines)
    lines[i] = b"\t" + lines[i]
    return b"\n".join(lines)


def _huge_value(rand: random.Random, data: bytes) -> bytes:
    value = rand.choice([b"x" * 200_000, b"{{ '" + b"y" * 30_000 + b"' }}", b"9" * 5000])
    return data + b"\nhuge: " + value + b"\n"


_MUTATE = {
    "delete": _delete,
    "duplicate": _duplicate,
    "reindent": _reindent,
    "swap": _swap,
    "wrong_type": _wrong_type,
    "broken_reference": _broken_reference,
    "garbage": _garbage,
    "invalid_utf8": _invalid_utf8,
    "truncate": _truncate,
    "deep_nesting": _deep_nesting,
    "alias_bomb": _alias_bomb,
    "tab": _tab,
    "huge_value": _huge_value,
}


@dataclass
class Outcome:
    """What one mutated folder did: ``kind`` is ``loaded`` or ``bot_error`` (anything else is
    a failure: ``raw:ExceptionName``, ``no_file`` for a problem without a file)."""

    kind: str
    seconds: float
    peak_bytes: int
    detail: str = ""


def run_folder(folder: Path) -> Outcome:
    """Load the folder (and, when it loads, talk to it), measuring time and peak memory."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        kind, detail = _load_and_talk(folder)
    finally:
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return Outcome(kind, seconds, peak, detail)


def _load_and_talk(folder: Path) -> tuple[str, str]:
    try:
        bot = wb.Bot.load(folder, db="memory://")
    except wb.BotError as exc:
        if any(not problem.file for problem in exc.problems):
            return "no_file", str(exc)[:300]
        return "bot_error", str(exc.problems[0])[:300]
    except Exception as exc:
        return f"raw:{type(exc).__name__}", f"{exc}"[:300]
    try:
        conv = bot.conversation()
        for text in ("hi", "large pizza", "\ud800\x00", "1"):
            if not conv.say(text):
                return "no_reply", text
    except Exception as exc:
        return f"raw_turn:{type(exc).__name__}", f"{exc}"[:300]
    finally:
        bot.store.close()
    return "loaded", ""


def write_bot_files(folder: Path, flow: str, name: str) -> Path:
    """A bot folder of one flow (``main``), named ``name``."""
    (folder / "flows").mkdir(parents=True)
    (folder / "bot.yml").write_text(f"name: {name}\n", encoding="utf-8")
    (folder / "flows" / "main.flow.yml").write_text(flow, encoding="utf-8")
    return folder
