"""``recognizer_for``: trained on first load, read from the cache after; settings apply."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from workbench.config import NLUSettings
from workbench.nlu import (
    NLUData,
    NLUModel,
    SimpleRecognizer,
    _train,
    cache_key,
    recognizer_for,
)

DATA = NLUData.model_validate(
    {
        "intents": {
            "yes": ["yes", "yes please", "sure", "ok", "of course", "yeah"],
            "no": ["no", "no thanks", "nope", "not really", "never", "nah"],
            "help": ["help", "I need help", "can you help me", "what can you do", "assist me"],
        },
        "entities": {"size": {"small": ["little"]}},
    }
)


def test_a_second_load_reads_the_cached_model(tmp_path: Path, monkeypatch: Any) -> None:
    cache = tmp_path / ".workbench" / "nlu-cache"
    first = recognizer_for(DATA, None, cache)
    assert isinstance(first, NLUModel)
    files = list(cache.glob("default-*.npz"))
    assert len(files) == 1 and cache_key(DATA)[:24] in files[0].name
    assert (cache / ".gitignore").read_text().endswith("*\n")

    def no_training(*args: Any, **kwargs: Any) -> NLUModel:
        raise AssertionError("trained again")

    monkeypatch.setattr(_train, "train", no_training)
    second = recognizer_for(DATA, None, cache)
    assert second.parse("yes please") == first.parse("yes please")
    third = recognizer_for(DATA, None, cache)
    assert third.parse("nope") == first.parse("nope")


def test_changed_data_trains_again_and_old_models_are_pruned(tmp_path: Path) -> None:
    for n in range(5):
        intents = {**DATA.intents, "extra": [f"extra utterance {n}", f"another {n}"]}
        recognizer_for(NLUData(intents=intents), None, tmp_path)
    assert len(list(tmp_path.glob("default-*.npz"))) == 3


def test_a_corrupt_cache_file_is_retrained(tmp_path: Path) -> None:
    path = tmp_path / f"default-{cache_key(DATA)[:24]}.npz"
    path.write_bytes(b"garbage")
    model = recognizer_for(DATA, None, tmp_path)
    assert model.parse("nope").intent == "no"
    assert NLUModel.load(path).parse("nope").intent == "no"


def test_a_threshold_written_in_bot_yml_overrides_the_calibrated_one(tmp_path: Path) -> None:
    calibrated = recognizer_for(DATA, NLUSettings(), tmp_path)
    written = recognizer_for(DATA, NLUSettings(threshold=0.9), tmp_path)
    assert isinstance(calibrated, NLUModel)
    assert written.threshold == 0.9  # type: ignore[attr-defined]  # read from the cache file
    assert calibrated.threshold == calibrated.calibrated_threshold


def test_the_simple_engine_is_still_available() -> None:
    simple = recognizer_for(DATA, NLUSettings(engine="simple", threshold=0.4))
    assert isinstance(simple, SimpleRecognizer) and simple.threshold == 0.4


def test_an_unknown_engine_is_an_error_naming_the_line_of_bot_yml(tmp_path: Path) -> None:
    from workbench import Bot, BotError

    (tmp_path / "bot.yml").write_text("name: magic\nnlu:\n  engine: magic\n")
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "main.flow.yml").write_text("start:\n  on_enter: [{say: hi}]\n")
    with pytest.raises(BotError) as error:
        Bot.load(tmp_path, db="memory://")
    assert "bot.yml:3:" in str(error.value) and "engine" in str(error.value)


def test_import_workbench_does_not_load_the_trained_engine() -> None:
    code = (
        "import sys, workbench, workbench.nlu; "
        "heavy = [m for m in ('sklearn', 'numpy', 'scipy', 'pycrfsuite') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_reading_a_cached_model_does_not_need_scikit_learn(tmp_path: Path) -> None:
    recognizer_for(DATA, None, tmp_path)
    (tmp_path / "data.json").write_text(DATA.model_dump_json())
    code = (
        "import sys; from pathlib import Path; from workbench.nlu import NLUData, recognizer_for\n"
        f"folder = Path({str(tmp_path)!r})\n"
        "data = NLUData.model_validate_json((folder / 'data.json').read_text())\n"
        "assert recognizer_for(data, None, folder).parse('nope').intent == 'no'\n"
        "print('sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
