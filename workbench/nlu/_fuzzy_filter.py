"""Which list-entity phrases a window of a message could match fuzzily at all: a q-gram filter.

Fuzzy matching scores every window of one to a few words against the entity phrases (rapidfuzz,
a few microseconds a window), and almost every window matches nothing. The filter proves that
cheaply from bigrams (pairs of adjacent characters), so that a window is scored only when some
phrase may reach its threshold: a one-word window is tested on its own (the answer is kept, words
repeat), windows of several words are tested all at once on the message.

Why it is exact. ``fuzz.ratio(w, p) / 100 = 2 m / (|w| + |p|)`` where ``m`` is the length of the
longest common subsequence. Along such a subsequence there are ``m - 1`` pairs of consecutive
matched characters; a pair is broken by an unmatched character of ``w`` or of ``p`` between
them, so at least ``3 m - 1 - |w| - |p|`` pairs are adjacent in both strings: bigrams that ``w``
and ``p`` share, counted with repeats (no more than ``p`` has of each). A phrase that shares fewer
bigrams with a window (or with the whole message, of which every window is a piece: lower-cased,
blanks collapsed, exact matches blotted out) than that bound, for the least ``m`` that reaches
its threshold, cannot match it. A phrase whose bound is not positive (a low threshold) always
passes.
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from collections.abc import Mapping

__all__ = ["FuzzyFilter"]

BLANK = "\x00"
"""Stands for the characters of exact matches (no window overlaps them): in no phrase."""
EPSILON = 1e-9
WORD_MEMO = 50_000
"""Words whose candidate phrases are kept (then the memo starts again)."""

Index = dict[str, list[tuple[str, int]]]
"""Bigram → (phrase, how often the phrase has it)."""


class FuzzyFilter:
    """Built from each phrase's lowest threshold and word count."""

    def __init__(self, phrases: Mapping[str, tuple[float, int]], min_length: int) -> None:
        self._min_length = min_length
        self._usable = all(BLANK not in phrase for phrase in phrases)
        self._always: set[str] = set()
        self._needed: dict[str, dict[int, int]] = {}  # phrase → window length → bigrams
        self._least: dict[str, int] = {}  # phrase → least over window lengths
        self._single: Index = {}  # one-word phrases
        self._multiple: Index = {}
        for phrase, (threshold, size) in phrases.items():
            needed = _needed(len(phrase), threshold, min_length)
            if not needed:
                continue  # no window length reaches the threshold
            least = min(needed.values())
            if least <= 0:
                self._always.add(phrase)
                continue
            self._needed[phrase] = needed
            self._least[phrase] = least
            index = self._single if size == 1 else self._multiple
            for bigram, count in Counter(_bigrams(phrase)).items():
                index.setdefault(bigram, []).append((phrase, count))
        self._letters = set("".join(self._single))  # the characters of their bigrams
        self._words: dict[str, bool] = {}
        self._all = set(phrases)

    def word_may_match(self, word: str) -> bool:
        """Whether some one-word phrase may reach its threshold against ``word`` (one token of
        a message, as fuzzy matching scores it: lower-cased, at least ``min_length`` long)."""
        if not self._usable or self._always:
            return True
        found = self._words.get(word)
        if found is None:
            found = self.check_word(word)
            if len(self._words) >= WORD_MEMO:
                self._words.clear()
            self._words[word] = found
        return found

    def check_word(self, word: str) -> bool:
        """:meth:`word_may_match` without its memo, for a caller that keeps its own. A word
        without a character of the one-word phrases (a number) shares no bigram with them."""
        if not self._usable or self._always:
            return True
        window = word.lower()
        length = len(window)
        if length < self._min_length or self._letters.isdisjoint(window):
            return False
        needed = self._needed
        return any(
            n >= needed[phrase].get(length, n + 1)
            for phrase, n in _shared(window, self._single).items()
        )

    def phrases_may_match(self, text: str, taken: list[tuple[int, int]]) -> set[str]:
        """The phrases of several words that may match a window of ``text`` overlapping no
        ``taken`` span (all of them when the filter cannot tell)."""
        if not self._usable or "\u03a3" in text:
            # capital sigma lower-cases by its context: a window might not be a piece of the
            # lower-cased text
            return self._all
        for start, end in taken:
            text = text[:start] + BLANK * (end - start) + text[end:]
        shared = _shared(" ".join(text.lower().split()), self._multiple)
        least = self._least
        found = {phrase for phrase, n in shared.items() if n >= least[phrase]}
        return found | self._always if self._always else found


def _bigrams(text: str) -> map[str]:
    return map(operator.add, text, text[1:])


def _shared(text: str, index: Index) -> dict[str, int]:
    """What each phrase of ``index`` shares with the bigrams of ``text``: each bigram of the
    text counts once, as often as the phrase has it (that can only overestimate)."""
    shared: dict[str, int] = {}
    for bigram in index.keys() & _bigrams(text):
        for phrase, count in index[bigram]:
            shared[phrase] = shared.get(phrase, 0) + count
    return shared


def _needed(length: int, threshold: float, min_length: int) -> dict[int, int]:
    """Per window length (at least ``min_length``) that can reach ``threshold`` against a
    phrase of ``length``: the fewest bigrams they share when it does."""
    low = threshold - EPSILON  # never overestimate what a match needs
    if low <= 0:
        return {min_length: 0}
    needed: dict[int, int] = {}
    longest = math.ceil(length * 2 / low) + 1  # 2 min(|w|, |p|) / (|w| + |p|) >= threshold
    for window in range(min_length, longest + 1):
        total = window + length
        common = math.ceil(low * total / 2)
        if common <= min(window, length):
            needed[window] = 3 * common - 1 - total
    return needed
