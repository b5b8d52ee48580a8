"""The static token table shipped in ``workbench/nlu/static`` (built by
``scripts/distill_static.py``), read with numpy: its vectors join the TF-IDF scores in the
default engine (English) and the TF-IDF features in the opt-in ``static`` engine."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from workbench.nlu import load, train
from workbench.nlu._embed import EmbeddingFeaturizer
from workbench.nlu._static import TABLE, TABLE_FILES, StaticEncoder, serves

EXAMPLES = {
    "order": ["I want a pizza", "order a pizza", "can I get a pizza", "a pizza please"],
    "hours": ["when are you open", "opening hours", "what time do you close", "are you open"],
    "cancel": ["cancel my order", "forget it", "never mind", "cancel"],
}


def test_a_missing_table_is_named_with_how_to_rebuild_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"scripts/distill_static\.py"):
        StaticEncoder(tmp_path)


def test_the_shipped_table_is_the_one_its_provenance_records() -> None:
    provenance = (TABLE / "PROVENANCE.md").read_text(encoding="utf-8")
    for name in TABLE_FILES:
        data = (TABLE / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() in provenance, name
        assert len(data) < 2_000_000, name  # no file in git over 2 MB
    assert "Apache License" in (TABLE / "LICENSE").read_text(encoding="utf-8")


def test_wordpiece_splits_words_as_bert_does() -> None:
    encoder = StaticEncoder.shared()
    tokens = (TABLE / "minilm_static_tokens.txt").read_text(encoding="utf-8").split("\n")
    assert [tokens[i] for i in encoder.token_ids("Playing, café!")] == ["playing", ",", "cafe", "!"]
    assert [tokens[i] for i in encoder.token_ids("unaffordable")] == [
        "una",
        "##ff",
        "##ord",
        "##able",
    ]
    assert encoder.token_ids("") == []


def test_sentence_vectors_put_paraphrases_closer_than_unrelated_sentences() -> None:
    vectors = StaticEncoder.shared().encode(
        ["what time do you close", "until what hour are you open", "cancel my pizza order", ""]
    )
    assert vectors.shape == (4, 256) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-5)
    assert not vectors[3].any()
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_the_static_engine_trains_saves_and_loads(tmp_path: Path) -> None:
    model = train(EXAMPLES, engine="static")
    assert model.engine == "static"
    result = model.parse("until what hour do you stay open?")
    assert result.intent == "hours" and 0.0 <= result.confidence <= 1.0
    loaded = load(model.save(tmp_path / "static.npz"))
    assert loaded.engine == "static"
    assert loaded.parse("cancel it please") == model.parse("cancel it please")


def test_the_table_serves_english_only() -> None:
    assert serves("en") and serves("en-GB") and not serves("fr")
    model = train(EXAMPLES, language="fr", engine="static")
    assert model.parse("order a pizza").intent == "order"


def test_the_default_engine_fuses_the_vectors_for_english_only(tmp_path: Path) -> None:
    english = train(EXAMPLES)
    assert isinstance(english.classifier.featurizer, EmbeddingFeaturizer)
    assert english.engine == "default"
    # no word in common with the examples of "hours": the vectors carry the meaning
    assert english.parse("till when do you stay up").intents[0][0] == "hours"
    loaded = load(english.save(tmp_path / "default.npz"))
    assert loaded.parse("shut at what time") == english.parse("shut at what time")
    french = train(EXAMPLES, language="fr")
    assert not isinstance(french.classifier.featurizer, EmbeddingFeaturizer)
