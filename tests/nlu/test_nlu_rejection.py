"""What the out-of-scope threshold is calibrated on: held-out examples scored as unseen text,
and lexical support that weighs less as a bot has more intents."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.nlu._features import Featurizer
from workbench.nlu._support import FULL_SUPPORT, MANY_SUPPORT, full_support

TEXTS = ["order a pizza", "cancel my pizza order", "when are you open", "zanzibar express"]


def test_a_held_out_row_loses_the_ngrams_only_it_has_and_is_normalised_again() -> None:
    featurizer, features = Featurizer.fit_transform(TEXTS)
    seen = np.zeros(featurizer.tfidf_size, dtype=np.bool_)
    seen[np.unique(features[:3].indices)] = True  # the vocabulary without the last text
    rows = featurizer.as_unseen(features, seen)
    word = featurizer.word_size
    assert rows[3, :word].nnz == 0  # none of its words was seen
    assert rows[3, word:].nnz > 0  # some of its char n-grams were ("an", "ex", ...)
    assert not rows[3][:, np.flatnonzero(~seen)].nnz
    for index in range(3):  # the seen texts are unchanged
        assert np.allclose(rows[index].toarray(), features[index].toarray())
    chars = rows[3, word:].toarray()
    assert np.isclose(np.linalg.norm(chars), 1.0)
    assert featurizer.coverage_among("order a zanzibar", seen) == pytest.approx((2 / 3) ** 0.5)


def test_lexical_support_matters_less_as_a_bot_has_more_intents() -> None:
    assert full_support(3) == full_support(10) == FULL_SUPPORT
    assert full_support(50) == full_support(150) == MANY_SUPPORT
    assert MANY_SUPPORT < full_support(30) < FULL_SUPPORT
