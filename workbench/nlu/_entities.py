"""Entities found by rules: list entities (exact and fuzzy), regex entities, numbers."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from workbench.nlu._data import NLUData
from workbench.nlu._fuzzy_filter import FuzzyFilter
from workbench.nlu._numbers import find_numbers
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
        alternatives = "|".join(re.escape(p) for p in sorted(self._phrases, key=len, reverse=True))
        self._exact = (
            re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
            if self._phrases
            else None
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
        self._regexes = {
            name: re.compile(pattern, re.IGNORECASE) for name, pattern in data.regexes.items()
        }

    def find(self, text: str) -> list[Entity]:
        """Every entity in ``text``: list entities (no overlaps among them), regexes, numbers."""
        found = self.list_entities(text)
        for name, pattern in self._regexes.items():
            for match in pattern.finditer(text):
                if match.end() > match.start():
                    group = 1 if pattern.groups else 0
                    value = match.group(group) if match.group(group) is not None else match.group()
                    found.append(Entity(name, value, match.group(), *match.span()))
        found.extend(find_numbers(text))
        return sorted(found, key=lambda e: (e.start, -e.end))

    def list_entities(self, text: str) -> list[Entity]:
        """List entities: exact (longest first) matches, then fuzzy ones in the gaps."""
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
            found.extend(self._fuzzy_matches(text, taken))
        return found

    def _fuzzy_matches(self, text: str, taken: list[tuple[int, int]]) -> list[Entity]:
        # windows that no phrase may match (see _fuzzy_filter) are not scored: scoring them
        # could only add candidates without a match, which change nothing below
        words = _TOKEN.findall(text)
        sizes: list[tuple[int, list[str]]] = []
        several: set[str] | None = None
        for size, phrases in self._fuzzy.items():
            if size > len(words):
                continue
            if size == 1:
                if any(map(self._filter.word_may_match, words)):
                    sizes.append((size, phrases))
                continue
            if several is None:
                several = self._filter.phrases_may_match(text, taken)
            if not several.isdisjoint(phrases):
                sizes.append((size, phrases))
        if not sizes:
            return []
        tokens = [m.span() for m in _TOKEN.finditer(text)]
        candidates: list[tuple[float, int, int, str]] = []
        for size, phrases in sizes:
            if size == 1:
                windows = [(a, b) for a, b in tokens if self._filter.word_may_match(text[a:b])]
            else:
                windows = [
                    (tokens[i][0], tokens[i + size - 1][1]) for i in range(len(tokens) - size + 1)
                ]
            for start, end in windows:
                if taken and any(start < b and a < end for a, b in taken):
                    continue
                window = " ".join(text[start:end].lower().split())
                if len(window) < MIN_FUZZY_LENGTH:
                    continue
                best = _extract_one()(window, phrases, scorer=_ratio(), score_cutoff=50)
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


def resolve_overlaps(entities: list[Entity], preferred: list[Entity]) -> list[Entity]:
    """``preferred`` entities (trained slots) replace rule matches of the same type they overlap."""
    kept = [
        e
        for e in entities
        if not any(p.type == e.type and e.start < p.end and p.start < e.end for p in preferred)
    ]
    return sorted(kept + preferred, key=lambda e: (e.start, -e.end))
