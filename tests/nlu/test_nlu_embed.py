"""The ``embed`` engine (extra ``nlu-embed``): skipped when the extra is not installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.nlu import load, train
from workbench.nlu._embed import available

pytestmark = pytest.mark.skipif(not available(), reason="the nlu-embed extra is not installed")

EXAMPLES = {
    "order": ["I want a pizza", "order a pizza", "can I get a pizza", "a pizza please"],
    "hours": ["when are you open", "opening hours", "what time do you close", "are you open"],
    "cancel": ["cancel my order", "forget it", "never mind", "cancel"],
}


def test_embeddings_understand_paraphrases_without_shared_words(tmp_path: Path) -> None:
    model = train(EXAMPLES, engine="embed")
    assert model.engine == "embed"
    result = model.parse("until what hour do you stay open?")
    assert result.intent == "hours" and 0.0 <= result.confidence <= 1.0
    loaded = load(model.save(tmp_path / "embed.npz"))
    assert loaded.engine == "embed"
    assert loaded.parse("cancel it please") == model.parse("cancel it please")
