"""Natural language understanding: intents, entities and slots.

``train(examples)`` returns an :class:`NLUModel` (calibrated intents with out-of-scope
detection, list/regex/number entities, trained slots); ``recognizer_for`` is what a bot uses
(trained on load, cached by a hash of the data). ``SimpleRecognizer`` is the untrained matcher.
The modules that need scikit-learn are imported on first use, so ``import workbench`` stays light.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench._lazy import attach
from workbench.nlu._annotations import Slot, Utterance, parse_utterance
from workbench.nlu._cache import cache_key, recognizer_for
from workbench.nlu._data import NLUData, load_nlu_data, load_nlu_languages
from workbench.nlu._simple import Recognizer, SimpleRecognizer, tokens

if TYPE_CHECKING:
    from workbench.nlu._benchmarks import run_benchmarks
    from workbench.nlu._cross_validation import CrossValidation, cross_validate
    from workbench.nlu._datasets import data_root
    from workbench.nlu._eval import IntentReport, evaluate_intents, slot_f1, threshold_curve
    from workbench.nlu._few_shot import few_shot_curve
    from workbench.nlu._model import NLUModel
    from workbench.nlu._review import Suggestion, unhandled, with_examples
    from workbench.nlu._train import train

_LAZY = {
    "NLUModel": "workbench.nlu._model",
    "train": "workbench.nlu._train",
    "IntentReport": "workbench.nlu._eval",
    "evaluate_intents": "workbench.nlu._eval",
    "slot_f1": "workbench.nlu._eval",
    "threshold_curve": "workbench.nlu._eval",
    "few_shot_curve": "workbench.nlu._few_shot",
    "run_benchmarks": "workbench.nlu._benchmarks",
    "CrossValidation": "workbench.nlu._cross_validation",
    "cross_validate": "workbench.nlu._cross_validation",
    "data_root": "workbench.nlu._datasets",
    "Suggestion": "workbench.nlu._review",
    "unhandled": "workbench.nlu._review",
    "with_examples": "workbench.nlu._review",
}


__getattr__, __dir__ = attach(__name__, _LAZY)
"""The trained engine (scikit-learn, numpy) loads on first use."""


def load(path: str | Path) -> NLUModel:
    """Read a model saved with :meth:`NLUModel.save`."""
    model: type[NLUModel] = __getattr__("NLUModel")
    return model.load(path)


__all__ = [
    "CrossValidation",
    "IntentReport",
    "NLUData",
    "NLUModel",
    "Recognizer",
    "SimpleRecognizer",
    "Slot",
    "Suggestion",
    "Utterance",
    "cache_key",
    "cross_validate",
    "data_root",
    "evaluate_intents",
    "few_shot_curve",
    "load",
    "load_nlu_data",
    "load_nlu_languages",
    "parse_utterance",
    "recognizer_for",
    "run_benchmarks",
    "slot_f1",
    "threshold_curve",
    "tokens",
    "train",
    "unhandled",
    "with_examples",
]
