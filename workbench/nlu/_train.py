"""``train``: examples (intent → utterances, slots annotated) in, a recogniser out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from workbench.nlu._annotations import Utterance, parse_utterance
from workbench.nlu._calibration import REJECT_SHARE
from workbench.nlu._data import NLUData
from workbench.nlu._entities import EntityMatcher
from workbench.nlu._intent_training import fit_intents
from workbench.nlu._model import NLUModel
from workbench.nlu._slots import SlotTagger

__all__ = ["ENGINES", "train"]

ENGINES = ("default", "embed")


def train(
    examples: Mapping[str, Sequence[str]] | NLUData,
    language: str = "en",
    engine: str = "default",
    *,
    entities: Mapping[str, Any] | None = None,
    threshold: float | None = None,
) -> NLUModel:
    """Train a recogniser.

    ``examples`` maps each intent to its utterances, where slots may be annotated
    (``"order a [large](size) pizza"``); the intent ``none`` holds examples of what the bot does
    not handle. ``entities`` takes the ``entities:`` section of ``nlu/intents.yml`` (list and
    regex entities); an :class:`NLUData` brings both. ``threshold`` overrides the out-of-scope
    threshold calibrated on the examples. ``engine`` is ``"default"`` (scikit-learn) or
    ``"embed"`` (adds all-MiniLM-L6-v2 sentence embeddings; needs the ``nlu-embed`` extra).
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown NLU engine {engine!r} (known: {', '.join(ENGINES)})")
    data = (
        examples
        if isinstance(examples, NLUData)
        else NLUData.model_validate(
            {"intents": {k: list(v) for k, v in examples.items()}, "entities": entities or {}}
        )
    )
    pairs = [
        (parse_utterance(raw), intent)
        for intent, utterances in data.intents.items()
        for raw in utterances
    ]
    pairs = [(u, intent) for u, intent in pairs if u.text.strip()]
    classifier = fit_intents(
        [u.text for u, _ in pairs],
        [intent for _, intent in pairs],
        REJECT_SHARE,
        embeddings=engine == "embed",
    )
    slots = _train_slots(pairs, EntityMatcher(data))
    return NLUModel(classifier, data, slots, engine=engine, language=language, threshold=threshold)


def _train_slots(pairs: list[tuple[Utterance, str]], matcher: EntityMatcher) -> SlotTagger | None:
    """A slot tagger on every utterance (None if no utterance annotates a slot): an utterance
    without annotations teaches that its words are no slot."""
    if not any(u.slots for u, _ in pairs):
        return None
    rules = {u.text: matcher.find(u.text) for u, _ in pairs}
    return SlotTagger.fit(pairs, rules)
