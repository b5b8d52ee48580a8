"""Readers of the public NLU benchmarks kept in ``shared/data/nlu`` (never copied in the repo).

Each returns plain ``(text, intent)`` pairs (or annotated utterances for Snips); intent and slot
names are made identifiers (``AddToPlaylist`` → ``add_to_playlist``) and CLINC's ``oos`` is
``none``. The folder is ``$WORKBENCH_NLU_DATA``, else ``../shared/data/nlu`` next to the repo.
"""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path
from typing import Any

from workbench.nlu._annotations import Slot, Utterance

__all__ = [
    "ENV_VAR",
    "Pairs",
    "annotate",
    "banking77",
    "botpress_clinc150",
    "clinc150",
    "data_root",
    "identifier",
    "snips2017",
]

ENV_VAR = "WORKBENCH_NLU_DATA"
Pairs = list[tuple[str, str]]
SNIPS_INTENTS = (
    "AddToPlaylist",
    "BookRestaurant",
    "GetWeather",
    "PlayMusic",
    "RateBook",
    "SearchCreativeWork",
    "SearchScreeningEvent",
)


def data_root(repo: Path | None = None) -> Path:
    """Where the data sets are: ``$WORKBENCH_NLU_DATA`` or ``REPO/../shared/data/nlu``."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    base = repo or Path(__file__).resolve().parents[2]
    return base.parent / "shared" / "data" / "nlu"


def identifier(name: str) -> str:
    """``AddToPlaylist`` → ``add_to_playlist``; ``oos`` → ``none``."""
    if name == "oos":
        return "none"
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    return re.sub(r"[^a-z0-9_]+", "_", snake).strip("_")


def _pairs(rows: list[Any]) -> Pairs:
    return [(str(text), identifier(str(label))) for text, label in rows]


def clinc150(root: Path) -> dict[str, Pairs]:
    """CLINC150 "full": splits train, val, test, oos_train, oos_val, oos_test."""
    raw = json.loads((root / "clinc150" / "data_full.json").read_text(encoding="utf-8"))
    return {split: _pairs(rows) for split, rows in raw.items()}


def botpress_clinc150(root: Path, seed: int) -> tuple[Pairs, Pairs]:
    """Botpress's regression set: 20 utterances per intent (seed 42, 69 or 666), the 8,600 test."""
    folder = root / "botpress_clinc150_subsets"

    def read(name: str) -> Pairs:
        samples = json.loads((folder / name).read_text(encoding="utf-8"))["samples"]
        return [(s["text"], identifier(s["label"])) for s in samples]

    return read(f"clinc150_20_{seed}-train.en.ds.json"), read("clinc150_100-test.en.ds.json")


def banking77(root: Path) -> tuple[Pairs, Pairs]:
    """BANKING77 train and test (77 intents, no out-of-scope class)."""

    def read(name: str) -> Pairs:
        with (root / "banking77" / name).open(encoding="utf-8", newline="") as file:
            return [(row["text"], identifier(row["category"])) for row in csv.DictReader(file)]

    return read("train.csv"), read("test.csv")


def snips2017(root: Path, split: str) -> list[tuple[Utterance, str]]:
    """Snips 2017 ``train_full`` (~13.8k) or ``validate`` (700) utterances with their slots."""
    result: list[tuple[Utterance, str]] = []
    for intent in SNIPS_INTENTS:
        name = f"train_{intent}_full.json" if split == "train_full" else f"{split}_{intent}.json"
        # one training file has a few bytes that are not UTF-8 (see the data set's README)
        text = (root / "snips2017" / intent / name).read_bytes().decode("utf-8", errors="replace")
        for item in json.loads(text)[intent]:
            result.append((_snips_utterance(item["data"]), identifier(intent)))
    return result


def _snips_utterance(chunks: list[dict[str, str]]) -> Utterance:
    text = ""
    slots = []
    for chunk in chunks:
        if "entity" in chunk:
            slots.append(
                Slot(identifier(chunk["entity"]), len(text), len(text) + len(chunk["text"]))
            )
        text += chunk["text"]
    return Utterance(text, tuple(slots))


def annotate(utterance: Utterance) -> str:
    """The ``[text](slot)`` form of an utterance, as written in ``nlu/intents.yml``."""
    parts = []
    position = 0
    for slot in sorted(utterance.slots, key=lambda s: s.start):
        parts.append(utterance.text[position : slot.start])
        parts.append(f"[{utterance.text[slot.start : slot.end]}]({slot.name})")
        position = slot.end
    parts.append(utterance.text[position:])
    return "".join(parts)
