"""``train``: examples (intent → utterances, slots annotated) in, a recogniser out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from workbench.nlu._annotations import Utterance, parse_utterance
from workbench.nlu._classifier import NONE
from workbench.nlu._data import NLUData
from workbench.nlu._entities import EntityMatcher
from workbench.nlu._intent_training import fit_intents
from workbench.nlu._model import NLUModel
from workbench.nlu._slots import SlotTagger
from workbench.nlu._static import serves
from workbench.nlu._tokens import words

__all__ = ["ENGINES", "train"]

ENGINES = ("default", "embed", "static")


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
    (``"order a [large](size) pizza"``). An intent's label is any non-empty string
    (``"Refund_not_showing_up"``, ``"reverted_card_payment?"``): ``predict`` and ``parse`` give
    it back unchanged; ``none`` (in any case) holds examples of what the bot does not handle and
    is what out-of-scope messages get. ``entities`` takes the ``entities:`` section of
    ``nlu/intents.yml`` (list and regex entities); an :class:`NLUData` (a bot's file, whose
    intent names are identifiers) brings both. ``threshold`` overrides the out-of-scope
    threshold calibrated on the examples. ``engine`` is ``"default"`` (scikit-learn: TF-IDF
    n-grams, and for English the static vectors distilled from all-MiniLM-L6-v2 that ship with
    the package, fused with them at score level), ``"embed"`` (adds all-MiniLM-L6-v2 sentence
    embeddings; needs the ``nlu-embed`` extra) or ``"static"`` (experimental: the static
    vectors as SVM features; English only, other languages train as ``default``).

    Raises ValueError naming the label for a label that is not a non-empty string, an intent
    without examples, an example that is not a string, or an intent none of whose examples has
    a word to learn from.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown NLU engine {engine!r} (known: {', '.join(ENGINES)})")
    if isinstance(examples, NLUData):
        data, intents = examples, dict(examples.intents)
    else:
        data = NLUData.model_validate({"entities": entities or {}})
        intents = _checked(examples)
    pairs = [
        (parse_utterance(raw), intent)
        for intent, utterances in intents.items()
        for raw in utterances
    ]
    pairs = [(u, intent) for u, intent in pairs if u.text.strip()]
    if not isinstance(examples, NLUData):
        _each_intent_usable(intents, pairs)
    classifier = fit_intents(
        [u.text for u, _ in pairs],
        [intent for _, intent in pairs],
        embeddings=engine == "embed",
        static=engine == "static" and serves(language),
        fused=engine == "default" and serves(language),
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


def _checked(examples: Any) -> dict[str, list[str]]:
    """``{label: [utterances]}`` with ``none`` in any case made ``none``; ValueError naming the
    label for anything else than non-empty string labels with lists of strings."""
    if not isinstance(examples, Mapping):
        raise ValueError(
            f"examples must map each intent to its utterances, not {type(examples).__name__}"
        )
    intents: dict[str, list[str]] = {}
    for label, utterances in examples.items():
        if not isinstance(label, str) or not label.strip():
            raise ValueError(f"intent label {label!r}: a label must be a non-empty string")
        if isinstance(utterances, (str, bytes)) or not isinstance(utterances, Iterable):
            raise ValueError(
                f"intent {label!r}: its examples must be a list of strings, "
                f"not {type(utterances).__name__}"
            )
        texts = list(utterances)
        if not texts:
            raise ValueError(f"intent {label!r} has no examples")
        for text in texts:
            if not isinstance(text, str):
                raise ValueError(f"intent {label!r}: example {text!r} is not a string")
        name = NONE if label.strip().lower() == NONE else label
        intents.setdefault(name, []).extend(texts)
    return intents


def _each_intent_usable(
    intents: Mapping[str, list[str]], pairs: list[tuple[Utterance, str]]
) -> None:
    """ValueError naming the first intent none of whose examples has a word (letters or
    digits) to learn from: it could never be recognised."""
    usable = {intent for u, intent in pairs if words(u.text)}
    for label in intents:
        if label not in usable:
            raise ValueError(
                f"intent {label!r}: none of its examples has a word to learn from "
                f"(examples: {intents[label][:3]!r})"
            )
