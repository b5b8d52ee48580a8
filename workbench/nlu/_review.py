"""Turning what the bot did not understand into training examples.

``unhandled(model, texts)`` lists the messages a model answers with ``none`` (say, the user
texts of transcripts), each with its closest intent, so that a person can confirm or correct
them; ``with_examples(data, {intent: [texts]})`` returns the NLU data with them added.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workbench.nlu._classifier import NONE
from workbench.nlu._data import NLUData
from workbench.nlu._simple import Recognizer

__all__ = ["Suggestion", "unhandled", "with_examples"]


@dataclass(frozen=True)
class Suggestion:
    """A message the model did not understand, its closest intent, and how many times it came."""

    text: str
    closest: str
    confidence: float
    count: int = 1


def unhandled(model: Recognizer, texts: Iterable[str]) -> list[Suggestion]:
    """The distinct texts predicted ``none``, most confident guess first."""
    counts: dict[str, int] = {}
    for text in texts:
        key = " ".join(text.split())
        if key:
            counts[key] = counts.get(key, 0) + 1
    suggestions = []
    for text, count in counts.items():
        result = model.parse(text)
        if result.intent == NONE:
            closest = result.intents[0][0] if result.intents else NONE
            suggestions.append(Suggestion(text, closest, result.confidence, count))
    return sorted(suggestions, key=lambda s: (-s.confidence, -s.count, s.text))


def with_examples(data: NLUData, additions: Mapping[str, Iterable[str]]) -> NLUData:
    """``data`` with utterances added to intents (new intents created; duplicates skipped)."""
    intents = {name: list(utterances) for name, utterances in data.intents.items()}
    for intent, texts in additions.items():
        current = intents.setdefault(intent, [])
        for text in texts:
            if text not in current:
                current.append(text)
    return NLUData.model_validate(
        {**data.model_dump(mode="json", exclude_defaults=True), "intents": intents}
    )
