"""A small, fast recogniser for the sample bots: TF-IDF cosine over utterances, list entities.

It is deliberately simple (the trained classifier is a separate piece); it scores a message in
microseconds using an inverted index, so the engine benchmark measures the engine, not the NLU.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import Protocol

from workbench.nlu._data import NLUData
from workbench.schema import Entity, NLUResult

_WORD = re.compile(r"[a-z0-9']+")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")


class Recognizer(Protocol):
    """Anything that turns a user's text into an :class:`NLUResult`."""

    def parse(self, text: str) -> NLUResult: ...


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class SimpleRecognizer:
    """Intents by the best TF-IDF cosine with any utterance; list entities by (synonym) words."""

    def __init__(self, data: NLUData, threshold: float = 0.5) -> None:
        self.threshold = threshold
        self._intent_of: list[str] = []
        self._index: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self._idf: dict[str, float] = {}
        self._phrases: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._build_intents(data)
        self._entities = self._build_entities(data)

    def _build_intents(self, data: NLUData) -> None:
        docs = [(name, set(tokens(u))) for name, us in data.intents.items() for u in us]
        docs = [(name, words) for name, words in docs if words]
        frequency: dict[str, int] = defaultdict(int)
        for _, words in docs:
            for word in words:
                frequency[word] += 1
        self._idf = {w: math.log(1 + len(docs) / f) for w, f in frequency.items()}
        for i, (name, words) in enumerate(docs):
            self._intent_of.append(name)
            norm = math.sqrt(sum(self._idf[w] ** 2 for w in words))
            for word in words:
                self._index[word].append((i, self._idf[word] / norm))

    def _build_entities(self, data: NLUData) -> re.Pattern[str] | None:
        """One alternation of every value and synonym, longest first, with a lookup back."""
        for entity, values in data.entities.items():
            for value, synonyms in values.items():
                for phrase in {value, *synonyms}:
                    self._phrases[phrase.lower()].append((entity, value))
        if not self._phrases:
            return None
        alternatives = "|".join(re.escape(p) for p in sorted(self._phrases, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def parse(self, text: str) -> NLUResult:
        words = set(tokens(text))
        scores: dict[int, float] = defaultdict(float)
        known = [w for w in words if w in self._idf]
        if known:
            norm = math.sqrt(sum(self._idf[w] ** 2 for w in known))
            for word in known:
                weight = self._idf[word] / norm
                for doc, doc_weight in self._index[word]:
                    scores[doc] += weight * doc_weight
            # unknown words dilute the match: "pizza" alone beats "pizza on mars"
            scores = {d: s * math.sqrt(len(known) / len(words)) for d, s in scores.items()}
        best: dict[str, float] = {}
        for doc, score in scores.items():
            name = self._intent_of[doc]
            best[name] = max(best.get(name, 0.0), min(score, 1.0))
        ranked = tuple(sorted(best.items(), key=lambda item: -item[1])[:5])
        intent, confidence = ranked[0] if ranked else ("none", 0.0)
        if confidence < self.threshold:
            intent = "none"
        return NLUResult(intent, round(confidence, 4), ranked, self.entities(text))

    def entities(self, text: str) -> tuple[Entity, ...]:
        found: list[Entity] = []
        if self._entities is not None:
            for match in self._entities.finditer(text.lower()):
                start, end = match.span()
                for entity, value in self._phrases[match.group()]:
                    found.append(Entity(entity, value, text[start:end], start, end))
        for match in _NUMBER.finditer(text):
            digits = match.group()
            number = float(digits) if "." in digits else int(digits)
            found.append(Entity("number", number, digits, *match.span()))
        return tuple(sorted(found, key=lambda e: e.start))
