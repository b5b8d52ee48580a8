"""``parse`` takes shortcuts (lookup tables, plain Python for small vectors, a fuzzy-match
filter); each must give exactly what the general path gives."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz import fuzz

from workbench.nlu import NLUModel, train
from workbench.nlu import _classifier as classifier_module
from workbench.nlu._features import analyze
from workbench.nlu._fuzzy_filter import FuzzyFilter
from workbench.nlu._support import Support

REPO = Path(__file__).resolve().parents[2]
SUPPORT_ARRAYS = ("data", "indices", "indptr", "labels", "width")
EXAMPLES = {
    "order": ["I want a pizza", "order a large pizza", "can I get a small pizza", "pizza please"],
    "greet": ["hi", "hello there", "good morning", "hey"],
    "hours": ["when are you open", "opening hours", "are you open on sunday"],
    "none": ["what's the weather like", "tell me a joke", "who is the president"],
}
ENTITIES = {
    "size": {"small": ["little"], "large": ["big", "family"]},
    "topping": {"mozzarella": ["extra cheese"], "mushrooms": [], "peppers": ["capsicum"]},
}
TEXTS = [
    "I want a pizza",
    "hello",
    "are you open tomorrow morning",
    "a big pizza with mozarella and mushroms please",
    "Café crème, s'il vous plaît",
    "",
    "!!!",
    "pizza pizza pizza",
    "tell me a joke about pizza",
    "twenty-five pizzas for 3 people",
]


@pytest.fixture(scope="module")
def model() -> NLUModel:
    return train(EXAMPLES, entities=ENTITIES)


def test_parsing_with_a_model_read_from_a_file_imports_no_scipy_or_sklearn(
    model: NLUModel, tmp_path: Path
) -> None:
    """scipy costs 150-250 ms to import: a bot's first reply after loading must not pay it."""
    path = model.save(tmp_path / "model.npz")
    code = (
        "import sys\n"
        "from workbench.nlu import load\n"
        f"result = load({str(path)!r}).parse('can I get a big pizza')\n"
        "print(result.intent, [e.value for e in result.entities])\n"
        "print(sorted(m for m in ('scipy', 'sklearn') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout.splitlines()
    assert out == ["order ['large']", "[]"]


def test_the_features_of_one_text_are_those_of_training(model: NLUModel) -> None:
    featurizer = model.classifier.featurizer
    for text in TEXTS + [u for utterances in EXAMPLES.values() for u in utterances]:
        row = featurizer.text_row(text)
        columns, values = featurizer._rows(*analyze(text))
        assert (row.columns, row.values) == (columns, values)  # same order, same bits
        assert row.columns[: row.word_count] == [c for c in columns if c < featurizer.word_size]
        assert row.coverage == featurizer.coverage(text)


def test_lexical_support_of_one_text_is_the_sparse_product(model: NLUModel) -> None:
    classifier = model.classifier
    support = Support(*(getattr(classifier.support, k) for k in SUPPORT_ARRAYS))
    rows = support.rows
    for text in TEXTS:
        row = classifier.featurizer.text_row(text)
        columns, values = row.columns[: row.word_count], row.values[: row.word_count]
        vector = np.zeros(rows.shape[1])
        vector[columns] = values
        for label in range(len(classifier.classes)):
            members = rows[support.labels == label]
            expected = float((members @ vector).max()) * row.coverage if columns else 0.0
            assert support.of_row(columns, values, label, row.coverage) == expected


def test_few_and_many_classes_give_the_same_answers(
    model: NLUModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plain Python below ``SMALL`` classes, numpy above: the same intents and confidences."""
    small = [model.parse(text) for text in TEXTS]
    monkeypatch.setattr(classifier_module, "SMALL", 0)
    assert [model.parse(text) for text in TEXTS] == small


def _variants(phrase: str, rng: random.Random) -> list[str]:
    letters = "abcdeilmnoprstuz"
    result = []
    for _ in range(30):
        chars = list(phrase)
        for _ in range(rng.randint(0, 3)):
            i = rng.randrange(len(chars) + 1)
            if rng.random() < 0.5 and i < len(chars) and len(chars) > 1:
                del chars[i]
            else:
                chars.insert(i, rng.choice(letters))
        result.append("".join(chars))
    return result


@pytest.mark.parametrize("threshold", [0.95, 0.85, 0.75, 0.6])
def test_the_fuzzy_filter_never_drops_a_window_that_matches(threshold: float) -> None:
    rng = random.Random(7)
    phrases = ["little", "large", "mozzarella", "peppers", "capsicum", "visa", "mushrooms"]
    several = ["extra cheese", "credit card", "cash on delivery"]
    fuzzy = FuzzyFilter({p: (threshold, len(p.split())) for p in phrases + several}, 4)
    words = [w for p in phrases for w in _variants(p, rng)] + ["pizza", "want", "really", "call"]
    dropped = 0
    for word in words:
        if not fuzzy.word_may_match(word) and len(word) >= 4:  # shorter words are no window
            dropped += 1
            assert all(fuzz.ratio(word.lower(), p) / 100.0 < threshold for p in phrases), word
    texts = [f"I want {w} please" for p in several for w in _variants(p, rng)]
    for text in texts:
        possible = fuzzy.phrases_may_match(text, [])
        window = " ".join(text.lower().split()[2:-1])
        for phrase in several:
            if phrase not in possible:
                dropped += 1
                assert fuzz.ratio(window, phrase) / 100.0 < threshold, (text, phrase)
    if threshold >= 0.85:
        assert dropped > len(words) // 3  # the filter does filter
