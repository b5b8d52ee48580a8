"""Trained slots: a linear-chain CRF (python-crfsuite) over tokens, with BIO labels.

Features of a token: the word, its shape, prefixes and suffixes, its neighbours, the list or
regex entity it falls in (a gazetteer) and the utterance's intent, so one model serves every
intent. The model file is bytes, kept inside the saved recogniser.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycrfsuite  # type: ignore[import-untyped]

from workbench.nlu._annotations import Slot, Utterance
from workbench.schema import Entity

__all__ = ["SlotTagger", "tokenize"]

_TOKEN = re.compile(r"[^\W_]+|[^\w\s]|_", re.UNICODE)
Features = dict[str, str | float]
CRF_PARAMS: dict[str, object] = {
    "algorithm": "ap",  # averaged perceptron: as accurate as L-BFGS here, several times faster
    "max_iterations": 10,
    "feature.possible_transitions": True,
}
MIN_CONFIDENCE = 0.5
"""A slot whose least sure token is below this marginal probability is dropped."""


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


_DIGIT = re.compile(r"\d")
_LOWER = re.compile("[a-z]")
_UPPER = re.compile("[A-Z]")
_RUN = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def _shape(word: str) -> str:
    """``"Paris"`` → ``"Xxx"``, ``"2024"`` → ``"dd"`` (words repeat: this is cached)."""
    shape = _UPPER.sub("X", _LOWER.sub("x", _DIGIT.sub("d", word)))
    return _RUN.sub(r"\1\1", shape)


def _gazette(tokens: list[Token], entities: Sequence[Entity]) -> list[str]:
    """Per token the BIO tag of the entity it falls in (rule matches), or ""."""
    tags = [""] * len(tokens)
    for entity in entities:
        inside = [i for i, t in enumerate(tokens) if t.start < entity.end and entity.start < t.end]
        for n, i in enumerate(inside):
            if not tags[i]:
                tags[i] = ("B-" if n == 0 else "I-") + entity.type
    return tags


def features(tokens: list[Token], entities: Sequence[Entity], intent: str) -> list[Features]:
    words = [t.text.lower() for t in tokens]
    gazette = _gazette(tokens, entities)
    padded = ["<s>", "<s>", *words, "</s>", "</s>"]
    result: list[Features] = []
    for i, token in enumerate(tokens):
        word = words[i]
        f: Features = {
            "bias": 1.0,
            "w": word,
            "p3": word[:3],
            "s2": word[-2:],
            "s3": word[-3:],
            "shape": _shape(token.text),
            "intent": intent,
            "w-2": padded[i],
            "w-1": padded[i + 1],
            "w+1": padded[i + 3],
            "w+2": padded[i + 4],
            "w-1|w": f"{padded[i + 1]}|{word}",
            "w|w+1": f"{word}|{padded[i + 3]}",
            "intent|w": f"{intent}|{word}",
        }
        if gazette[i]:
            f["ent"] = gazette[i]
        if i > 0 and gazette[i - 1]:
            f["ent-1"] = gazette[i - 1]
        if i + 1 < len(tokens) and gazette[i + 1]:
            f["ent+1"] = gazette[i + 1]
        result.append(f)
    return result


def bio(tokens: list[Token], slots: Sequence[Slot]) -> list[str]:
    labels = ["O"] * len(tokens)
    for slot in slots:
        inside = [i for i, t in enumerate(tokens) if t.start < slot.end and slot.start < t.end]
        for n, i in enumerate(inside):
            labels[i] = ("B-" if n == 0 else "I-") + slot.name
    return labels


class SlotTagger:
    """Tags the slots of a text; built from annotated utterances with :meth:`fit`."""

    def __init__(self, model: bytes) -> None:
        self.model = model
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(model)
        self._lock = threading.Lock()  # a crfsuite tagger holds the last sequence it tagged

    @classmethod
    def fit(
        cls,
        examples: Sequence[tuple[Utterance, str]],
        entities_of: dict[str, list[Entity]] | None = None,
    ) -> SlotTagger | None:
        """Train on ``(utterance, intent)`` pairs; None when no utterance has a slot.

        ``entities_of`` maps a text to its rule entities (the gazetteer features).
        """
        if not any(u.slots for u, _ in examples):
            return None
        params = dict(CRF_PARAMS)
        trainer = pycrfsuite.Trainer(algorithm=str(params.pop("algorithm")), verbose=False)
        for utterance, intent in examples:
            tokens = tokenize(utterance.text)
            if tokens:
                rules = (entities_of or {}).get(utterance.text, [])
                trainer.append(features(tokens, rules, intent), bio(tokens, utterance.slots))
        trainer.set_params(params)
        handle, name = tempfile.mkstemp(suffix=".crfsuite")
        os.close(handle)
        path = Path(name)
        try:
            trainer.train(str(path))
            return cls(path.read_bytes())
        finally:
            path.unlink(missing_ok=True)

    def tag(self, text: str, intent: str, rules: Sequence[Entity] = ()) -> list[Entity]:
        """The slots of ``text`` as entities (value = the text; confidence = min marginal)."""
        tokens = tokenize(text)
        if not tokens:
            return []
        with self._lock:
            labels = self._tagger.tag(features(tokens, rules, intent))
            marginals = [self._tagger.marginal(label, i) for i, label in enumerate(labels)]
        found: list[Entity] = []
        i = 0
        while i < len(tokens):
            label = labels[i]
            if label == "O" or label[2:] == "":
                i += 1
                continue
            name = label[2:]
            j = i + 1
            while j < len(tokens) and labels[j] == f"I-{name}":
                j += 1
            confidence = min(marginals[i:j])
            start, end = tokens[i].start, tokens[j - 1].end
            if confidence >= MIN_CONFIDENCE:
                found.append(Entity(name, text[start:end], text[start:end], start, end, confidence))
            i = j
        return found
