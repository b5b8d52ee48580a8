"""Entities found by rules: list entities (exact and fuzzy), regex entities, numbers."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

from workbench.nlu._data import NLUData
from workbench.nlu._fuzzy_filter import FuzzyFilter
from workbench.nlu._numbers import find_numbers
from workbench.nlu._tokens import words
from workbench.schema import Entity

__all__ = ["EntityMatcher", "resolve_overlaps"]


def _extract_one() -> Any:
    """rapidfuzz's ``process.extractOne``, imported on the first fuzzy comparison: most
    messages never need one (see ``_fuzzy_filter``), and ``import`` stays lighter."""
    from rapidfuzz import process

    return process.extractOne


def _ratio() -> Any:
    from rapidfuzz import fuzz

    return fuzz.ratio


_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
MIN_FUZZY_LENGTH = 4
"""Phrases shorter than this match exactly only ("ham" must not match "had")."""
WORD_MEMO = 50_000
"""Words whose fuzzy match (or the lack of one) is kept (then the memo starts again)."""
_UNSEEN: Any = object()
"""A word not in the memo (None there means "no match")."""


@dataclass(frozen=True)
class _Phrase:
    entity: str
    value: str
    threshold: float


class EntityMatcher:
    """Finds the list and regex entities of an :class:`NLUData`, and numbers."""

    def __init__(self, data: NLUData) -> None:
        self._phrases: dict[str, list[_Phrase]] = defaultdict(list)
        for entity, values in data.entities.items():
            threshold = data.fuzziness(entity)
            for value, synonyms in values.items():
                for phrase in dict.fromkeys((value, *synonyms)):
                    key = " ".join(phrase.lower().split())
                    if key:
                        self._phrases[key].append(_Phrase(entity, value, threshold))
        keys = sorted(self._phrases, key=len, reverse=True)  # longest first
        alternatives = "|".join(map(re.escape, keys))
        self._exact = (
            re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if keys else None
        )
        by_length: dict[int, list[str]] = defaultdict(list)
        for phrase, owners in self._phrases.items():
            if len(phrase) >= MIN_FUZZY_LENGTH and any(o.threshold > 0 for o in owners):
                by_length[len(phrase.split())].append(phrase)
        self._fuzzy = dict(by_length)
        self._filter = FuzzyFilter(
            {
                phrase: (min(o.threshold for o in self._phrases[phrase] if o.threshold > 0), size)
                for size, phrases in by_length.items()
                for phrase in phrases
            },
            MIN_FUZZY_LENGTH,
        )
        self._words: dict[str, tuple[str, float] | None] = {}
        self._regexes = {
            name: re.compile(pattern, re.IGNORECASE) for name, pattern in data.regexes.items()
        }

    def find(self, text: str) -> list[Entity]:
        """Every entity in ``text``: list entities (no overlaps among them), regexes, numbers."""
        tokens = words(text) if text.isascii() else None
        found = self._list_entities(text, tokens)
        for name, pattern in self._regexes.items():
            for match in pattern.finditer(text):
                if match.end() > match.start():
                    group = 1 if pattern.groups else 0
                    value = match.group(group) if match.group(group) is not None else match.group()
                    found.append(Entity(name, value, match.group(), *match.span()))
        found += find_numbers(text, tokens)
        if len(found) > 1:
            found.sort(key=_position)
        return found

    def list_entities(self, text: str) -> list[Entity]:
        """List entities: exact (longest first) matches, then fuzzy ones in the gaps."""
        return self._list_entities(text, words(text) if text.isascii() else None)

    def _list_entities(self, text: str, tokens: list[str] | None) -> list[Entity]:
        """:meth:`list_entities`; ``tokens`` are the words of an ASCII text (else None)."""
        found: list[Entity] = []
        taken: list[tuple[int, int]] = []
        if self._exact is not None:
            for match in self._exact.finditer(text):
                start, end = match.span()
                key = " ".join(match.group().lower().split())
                for phrase in self._phrases[key]:
                    found.append(Entity(phrase.entity, phrase.value, match.group(), start, end))
                taken.append((start, end))
        if self._fuzzy:
            found.extend(self._fuzzy_matches(text, taken, tokens))
        return found

    def _fuzzy_matches(
        self, text: str, taken: list[tuple[int, int]], tokens: list[str] | None
    ) -> list[Entity]:
        # only windows that overlap no exact match and that some phrase may match are scored:
        # scoring others could only add candidates without a match, which change nothing
        # below. Most messages have no such window, which the words outside the exact
        # matches tell; the windows themselves are found only otherwise
        words = _free_words(text, taken, tokens)
        several: set[str] | None = None
        gated: list[tuple[int, list[str]]] = []
        for size, phrases in self._fuzzy.items():
            if size > len(words):
                continue
            if size == 1:
                if not self._any_word_matches(words):
                    continue
            else:
                if several is None:
                    several = self._filter.phrases_may_match(text, taken)
                if several.isdisjoint(phrases):
                    continue
            gated.append((size, phrases))
        if not gated:
            return []
        spans = [m.span() for m in _TOKEN.finditer(text)]
        candidates: list[tuple[float, int, int, str]] = []
        for size, phrases in gated:
            windows = [(spans[i][0], spans[i + size - 1][1]) for i in range(len(spans) - size + 1)]
            for start, end in windows:
                if taken and any(start < b and a < end for a, b in taken):
                    continue
                best = (
                    self._word_match(text[start:end])
                    if size == 1
                    else self._window_match(text[start:end], phrases)
                )
                if best is not None:
                    candidates.append((best[1] / 100.0, start, end, best[0]))
        found: list[Entity] = []
        for score, start, end, phrase in sorted(candidates, key=lambda c: (-c[0], c[1])):
            if any(start < b and a < end for a, b in taken):
                continue
            owners = [o for o in self._phrases[phrase] if 0 < o.threshold <= score]
            for owner in owners:
                found.append(Entity(owner.entity, owner.value, text[start:end], start, end, score))
            if owners:
                taken.append((start, end))
        return found

    def _any_word_matches(self, words: list[str]) -> bool:
        """Whether one of ``words`` matches a one-word phrase (:meth:`_word_match`)."""
        memo = self._words
        for word in words:
            found = memo.get(word, _UNSEEN)  # one lookup: another thread may clear the memo
            if found is _UNSEEN:
                found = self._word_match(word)
            if found is not None:
                return True
        return False

    def _word_match(self, word: str) -> tuple[str, float] | None:
        """The one-word phrase that ``word`` (one token) matches fuzzily and its score, if that
        makes an entity (else None).

        Words repeat, so the answer is kept: scoring a word that the filter lets through ("done"
        against "money") costs more than the rest of a message's entities."""
        memo = self._words
        known = memo.get(word, _UNSEEN)
        if known is not _UNSEEN:
            return cast(tuple[str, float] | None, known)
        found = None
        if self._filter.check_word(word):
            found = self._window_match(word, self._fuzzy[1])
        if len(memo) >= WORD_MEMO:
            memo.clear()
        memo[word] = found
        return found

    def _window_match(self, window: str, phrases: list[str]) -> tuple[str, float] | None:
        """The phrase that fuzzily matches ``window`` best and its score, if that makes an
        entity (a phrase scoring below all its owners' thresholds makes none)."""
        window = " ".join(window.lower().split())
        if len(window) < MIN_FUZZY_LENGTH:
            return None
        best = _extract_one()(window, phrases, scorer=_ratio(), score_cutoff=50)
        if best is None:
            return None
        phrase, score = best[0], best[1]
        if any(0 < o.threshold <= score / 100.0 for o in self._phrases[phrase]):
            return phrase, score
        return None


def _position(entity: Entity) -> tuple[int, int]:
    """Sort key of entities: by start, the longest first."""
    return entity.start, -entity.end


def _free_words(text: str, taken: list[tuple[int, int]], tokens: list[str] | None) -> list[str]:
    """The tokens that fuzzy matching slides over, or, for an ASCII text without apostrophes,
    those outside the ``taken`` spans, lower-cased (the word filter lower-cases them anyway);
    ``tokens`` are the words of an ASCII text (else None).

    Without an apostrophe the tokens of an ASCII text are its runs of letters and digits. An
    exact match has no word character on either side, so a run is inside one or outside all:
    the words of the text between the matches are the tokens that overlap none, found at a
    fraction of the regex's cost. With an apostrophe a token may span two runs, so all tokens
    are tested."""
    if tokens is None or "'" in text:
        return _TOKEN.findall(text)
    if not taken:
        return tokens
    gaps = []
    end = 0
    for start, stop in taken:
        gaps.append(text[end:start])
        end = stop
    gaps.append(text[end:])
    return words(" ".join(gaps))


def resolve_overlaps(entities: list[Entity], preferred: list[Entity]) -> list[Entity]:
    """``preferred`` entities (trained slots) replace rule matches of the same type they overlap."""
    kept = [
        e
        for e in entities
        if not any(p.type == e.type and e.start < p.end and p.start < e.end for p in preferred)
    ]
    return sorted(kept + preferred, key=lambda e: (e.start, -e.end))
