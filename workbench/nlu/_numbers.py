"""The system entity ``number``: digits (``12``, ``2.5``, ``1,000``) and number words
(``twenty-five``, ``a hundred and two``, ``three thousand``)."""

from __future__ import annotations

import re

from workbench.schema import Entity

__all__ = ["find_numbers"]

_DIGITS = re.compile(r"(?<![\w.,])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\w)(?![.,]\d)")
_WORD = re.compile(r"[A-Za-z]+")
_UNIT_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_TEN_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_UNITS = {w: i for i, w in enumerate(_UNIT_WORDS.split(" "))}
_TENS = {w: 10 * i for i, w in enumerate(_TEN_WORDS.split(" "), 2)}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_GLUE = {"and", "-"}
_FIRST_WORDS = frozenset(_UNITS) | frozenset(_TENS) | {"hundred", "dozen"}
"""The words a spelled-out number can start with ("a" only before "hundred" or "dozen")."""
_FIRST_BYTES = frozenset(word.encode() for word in _FIRST_WORDS)
_ANY_DIGIT = re.compile(r"\d")
_FOLD = bytes(
    c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 else 35 if 48 <= c <= 57 else 32
    for c in range(256)
)
"""A byte table for ASCII text: letters lower-cased, digits turned into ``#``, all else blank."""


MAX_DIGITS = 300
"""Longest run of digits read as a number (a float holds ~308 digits; Python refuses to read
integers of more than 4,300 digits, which a message must not turn into a crash)."""


def _digits(text: str) -> list[Entity]:
    found = []
    for match in _DIGITS.finditer(text):
        raw = match.group()
        plain = raw.replace(",", "")
        if len(plain) > MAX_DIGITS:
            continue
        value: int | float = float(plain) if "." in plain else int(plain)
        found.append(Entity("number", value, raw, *match.span()))
    return found


class _Reader:
    """Accumulates number words left to right; ``accepts`` says whether a word continues."""

    def __init__(self) -> None:
        self.total = 0
        self.current = 0
        self.last = ""

    def accepts(self, word: str) -> bool:
        if word in _UNITS:
            return self.last in ("", "tens", "hundred", "scale") and not (
                self.last == "tens" and _UNITS[word] >= 10
            )
        if word in _TENS:
            return self.last in ("", "hundred", "scale")
        if word in ("hundred", "dozen"):
            return self.last in ("", "unit", "a")
        if word in _SCALES:
            return self.last in ("unit", "tens", "hundred", "a")
        return False

    def add(self, word: str) -> None:
        if word == "a":
            self.current, self.last = 1, "a"
        elif word in _UNITS:
            self.current += _UNITS[word]
            self.last = "unit"
        elif word in _TENS:
            self.current += _TENS[word]
            self.last = "tens"
        elif word in ("hundred", "dozen"):
            self.current = max(self.current, 1) * (100 if word == "hundred" else 12)
            self.last = "hundred"
        else:
            self.total += max(self.current, 1) * _SCALES[word]
            self.current, self.last = 0, "scale"

    @property
    def value(self) -> int:
        return self.total + self.current


def _words(text: str) -> list[Entity]:
    tokens = [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
    found: list[Entity] = []
    i = 0
    while i < len(tokens):
        word, start, _ = tokens[i]
        reader = _Reader()
        j = i
        if word == "a" and i + 1 < len(tokens) and tokens[i + 1][0] in ("hundred", "dozen"):
            reader.add("a")
            j += 1
        end = -1
        while j < len(tokens):
            current = tokens[j][0]
            between = text[tokens[j - 1][2] : tokens[j][1]].strip() if j > i else ""
            if j > i and between not in ("", "-"):
                break
            if current == "and" and reader.last in ("hundred", "scale") and j + 1 < len(tokens):
                j += 1
                continue
            if not reader.accepts(current):
                break
            reader.add(current)
            end = tokens[j][2]
            j += 1
        if end < 0:
            i += 1
            continue
        found.append(Entity("number", reader.value, text[start:end], start, end))
        i = max(j, i + 1)
    return found


def find_numbers(text: str, words: list[str] | None = None) -> list[Entity]:
    """Every number in ``text``, by position (``words``: those of ``_tokens.words``, if the
    caller has them).

    Most messages hold no number: a text without a digit has no digits to read, and one
    without a word that a number can start with has no number words (both checks are far
    cheaper than reading). An ASCII text's words are its runs of letters and digits: unless
    one holds a digit, they are the runs of letters that ``_WORD`` finds, lower-cased. Without
    them, one byte ``translate`` finds both: ``#`` where the text has digits, and between
    blanks and ``#`` its letters, lower-cased."""
    if text.isascii():
        if text.isdigit():  # "4242", "1": the whole text, as _DIGITS reads it
            if len(text) > MAX_DIGITS:
                return []
            return [Entity("number", int(text), text, 0, len(text))]
        if words is not None and all(map(str.isalpha, words)):
            digits, spelled = False, not _FIRST_WORDS.isdisjoint(words)
        else:
            folded = text.encode().translate(_FOLD)
            digits = b"#" in folded
            spelled = not _FIRST_BYTES.isdisjoint(
                (folded.replace(b"#", b" ") if digits else folded).split()
            )
    else:
        digits = _ANY_DIGIT.search(text) is not None
        spelled = not _FIRST_WORDS.isdisjoint(map(str.lower, _WORD.findall(text)))
    found = _digits(text) if digits else []
    if spelled:
        found += _words(text)
    return sorted(found, key=lambda e: e.start) if len(found) > 1 else found
