"""Semantic support: confidence falls for text that means nothing close to an intent's examples."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from workbench.nlu import load, train
from workbench.nlu._semantic_support import SEMANTIC_FULL, SemanticSupport, semantic_factor
from workbench.nlu._static import StaticEncoder

EXAMPLES = {
    "order": ["I want a pizza", "order a pizza please", "can I get a large pizza", "one pizza"],
    "hours": ["when are you open", "opening hours", "what time do you close", "business hours"],
    "delivery": ["do you deliver", "how long does delivery take", "is delivery free"],
}


def test_the_int8_vectors_give_the_cosine_of_the_float_ones() -> None:
    encoder = StaticEncoder.shared()
    texts = [text for examples in EXAMPLES.values() for text in examples]
    vectors = encoder.encode(texts)
    labels = np.array([i for i, e in enumerate(EXAMPLES.values()) for _ in e], dtype=np.int64)
    support = SemanticSupport.of_vectors(vectors, labels)
    probe = encoder.encode(["could I order a pizza"])[0]
    for label in range(3):
        exact = float((vectors[labels == label] @ probe).max())
        assert abs(support.of_vector(probe, label) - exact) < 0.01
    batch = support.of_matrix(np.vstack([probe, probe]), np.array([0, 2]))
    assert batch.tolist() == [support.of_vector(probe, 0), support.of_vector(probe, 2)]


def test_a_message_close_to_an_example_keeps_its_confidence_unrelated_text_loses_it() -> None:
    model = train(EXAMPLES)
    semantic = model.classifier.semantic
    assert semantic is not None
    encoder = StaticEncoder.shared()
    order = model.classifier.classes.index("order")
    close = semantic.of_vector(encoder.encode(["I want a pizza please"])[0], order)
    far = semantic.of_vector(encoder.encode(["my cat sleeps all day"])[0], order)
    assert close >= SEMANTIC_FULL and semantic_factor(close) == 1.0
    assert far < close and semantic_factor(far) < 1.0
    assert model.parse("I want a pizza please").intent == "order"


def test_batch_and_single_parses_agree_and_survive_saving(tmp_path: Path) -> None:
    model = train(EXAMPLES)
    texts = ["I want a pizza please", "are you open on sunday", "my cat sleeps all day"]
    names, confidence = model.classifier.top_scores(texts)
    for text, name, value in zip(texts, names, confidence.tolist(), strict=True):
        best, score = model.parse(text).intents[0]
        assert score == round(value, 4)
        assert best == name or score == 0.0  # all zero: a tie, either order
    loaded = load(model.save(tmp_path / "model.npz"))
    assert loaded.classifier.semantic is not None
    assert [loaded.parse(t) for t in texts] == [model.parse(t) for t in texts]


def test_a_language_without_the_static_table_has_no_semantic_support() -> None:
    model = train(EXAMPLES, language="fr")
    assert model.classifier.semantic is None


def test_the_static_engine_measures_similarity_on_unweighted_vectors() -> None:
    """Its SVM sees the vectors scaled by a weight; the similarity is still a cosine."""
    model = train(EXAMPLES, engine="static")
    semantic = model.classifier.semantic
    assert semantic is not None
    texts = ["I want a pizza please", "my cat sleeps all day"]
    _, confidence = model.classifier.top_scores(texts)
    assert [model.parse(t).intents[0][1] for t in texts] == [round(c, 4) for c in confidence]
    order = model.classifier.classes.index("order")
    vector = StaticEncoder.shared().encode(["I want a pizza please"])[0]
    assert 0.8 < semantic.of_vector(vector, order) <= 1.01


def test_explain_gives_the_parts_of_the_confidence_parse_reports() -> None:
    model = train({**EXAMPLES, "none": ["tell me a joke", "what is the weather", "who are you"]})
    texts = ["I want a pizza please", "deliver my cat", "my cat sleeps all day", "tell me a joke"]
    for text in texts:
        parts = model.explain(text)
        parsed = model.parse(text)
        assert parts.intent == parsed.intent, text
        assert parts.threshold == model.threshold
        if parts.best != "none":
            assert round(parts.confidence, 4) == parsed.confidence, text
            product = parts.model * parts.words * (parts.meaning or 1.0)
            assert abs(parts.confidence - product) < 1e-9, text
    unrelated = model.explain("my cat sleeps all day")
    assert unrelated.intent == "none" and unrelated.similarity is not None
    assert unrelated.meaning is not None and unrelated.meaning < 1.0
    assert model.explain("tell me a joke").best == "none"


def test_explain_without_sentence_vectors_and_with_one_intent() -> None:
    french = train(
        {
            "commander": ["je veux une pizza", "une pizza svp", "commander une pizza"],
            "horaires": ["vous ouvrez quand", "horaires d'ouverture", "fermez a quelle heure"],
        },
        language="fr",
    )
    parts = french.explain("je veux une pizza")
    assert parts.intent == "commander" and parts.similarity is None and parts.meaning is None
    single = train({"greet": ["hello", "hi there", "good morning"]})
    assert single.explain("hello there").intent == "greet"
    assert single.explain("pay my bill").intent == "none"


def test_with_no_support_at_all_parse_explain_and_predict_name_the_models_best() -> None:
    """A message sharing nothing with any example scores 0 everywhere: the model's order holds."""
    model = train(EXAMPLES).with_threshold(0.0)
    for text in ["👍", "zzz qqq"]:
        parsed = model.parse(text)
        assert parsed.intent == model.explain(text).intent == model.predict([text])[0], text


def test_a_model_saved_before_the_semantic_support_loads_and_newer_formats_are_refused(
    tmp_path: Path,
) -> None:
    import json

    import pytest

    model = train(EXAMPLES)
    path = model.save(tmp_path / "model.npz")
    with np.load(path) as archive:
        arrays = {k: archive[k] for k in archive.files if not k.startswith("semantic_")}
    header = json.loads(arrays["header"].tobytes())

    def saved(name: str, format: str) -> Path:
        target = tmp_path / name
        header["format"] = format
        np.savez(
            target, **{**arrays, "header": np.frombuffer(json.dumps(header).encode(), np.uint8)}
        )
        return target

    old = load(saved("old.npz", "workbench-nlu/1"))
    assert old.classifier.semantic is None
    assert old.parse("I want a pizza please").intent == "order"
    assert old.explain("I want a pizza please").meaning is None
    with pytest.raises(ValueError, match="unsupported NLU model format"):
        load(saved("future.npz", "workbench-nlu/9"))
    empty = tmp_path / "empty.npz"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match=r"empty\.npz: not a workbench NLU model"):
        load(empty)
    single = tmp_path / "single.npz"
    with open(single, "wb") as file:
        np.save(file, np.arange(3))
    with pytest.raises(ValueError, match=r"single\.npz: not a workbench NLU model"):
        load(single)
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "missing.npz")
