"""``NLUModel``: a trained recogniser (intents, rule entities, trained slots), saved as one file.

The file is an ``.npz`` archive (numpy arrays plus a JSON header): loading it runs no code, unlike
a pickle, so a model file is as safe to open as a data file.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from workbench.nlu._classifier import NONE, ConfidenceParts, IntentClassifier
from workbench.nlu._data import NLUData
from workbench.nlu._entities import EntityMatcher, resolve_overlaps
from workbench.nlu._slots import SlotTagger
from workbench.schema import Entity, NLUResult

__all__ = ["FORMAT", "NLUModel"]

FORMAT = "workbench-nlu/2"
READABLE = ("workbench-nlu/1", FORMAT)
"""Formats :meth:`NLUModel.load` reads. 2 adds the semantic support; a model of format 1 has
none and parses as it did. A workbench that knows only 1 refuses a model of format 2 instead
of parsing without the support against a threshold calibrated with it."""


class NLUModel:
    """What :func:`workbench.nlu.train` returns: ``parse`` one text, ``predict`` many.

    ``threshold`` is the confidence below which the intent is ``none``: calibrated on the
    training data unless given.
    """

    def __init__(
        self,
        classifier: IntentClassifier,
        entities: NLUData,
        slots: SlotTagger | None = None,
        *,
        engine: str = "default",
        language: str = "en",
        threshold: float | None = None,
    ) -> None:
        self.classifier = classifier
        # the entities alone (copied, not validated again: see _entities)
        self.entity_data = (
            entities.model_copy(update={"intents": {}}) if entities.intents else entities
        )
        self.slots = slots
        self.engine = engine
        self.language = language
        self._threshold = threshold
        self._matcher = EntityMatcher(self.entity_data)

    @property
    def threshold(self) -> float:
        if self._threshold is not None:
            return self._threshold
        return self.classifier.calibration.threshold

    @property
    def calibrated_threshold(self) -> float:
        return self.classifier.calibration.threshold

    @property
    def intents(self) -> tuple[str, ...]:
        return tuple(c for c in self.classifier.classes if c != NONE)

    def with_threshold(self, threshold: float | None) -> NLUModel:
        """The same model with another threshold (None = the calibrated one); it shares
        everything else, lookup tables included."""
        model = copy.copy(self)
        model._threshold = threshold
        return model

    # --- understanding --------------------------------------------------------------------
    def parse(self, text: str) -> NLUResult:
        """Intent (``none`` when out of scope), its confidence, ranked intents, entities."""
        intent, confidence, ranked_list = self.classifier.decide(text, self.threshold)
        ranked = tuple(ranked_list)
        if self.slots is None:  # rule entities only: as entities() finds them
            return NLUResult(intent, confidence, ranked, tuple(self._matcher.find(text)))
        slot_intent = intent if intent != NONE or not ranked else ranked[0][0]
        return NLUResult(intent, confidence, ranked, self.entities(text, slot_intent))

    def explain(self, text: str) -> ConfidenceParts:
        """Why ``text`` gets its intent: the model's calibrated probability times the shares
        kept for the words it shares with the intent's examples and for how close its meaning
        comes to the nearest one, against the threshold."""
        return self.classifier.explain(text, self.threshold)

    def predict(self, texts: Sequence[str]) -> list[str]:
        """Intent names for a batch of texts (``none`` for out of scope)."""
        return self.classifier.predict(list(texts), self.threshold)

    def entities(self, text: str, intent: str = NONE) -> tuple[Entity, ...]:
        """Rule entities (lists, regexes, numbers), and trained slots when there are some."""
        rules = self._matcher.find(text)
        if self.slots is None:
            return tuple(rules)
        slots = [self._normalize(s, rules) for s in self.slots.tag(text, intent, rules)]
        return tuple(resolve_overlaps(rules, slots))

    def _normalize(self, slot: Entity, rules: list[Entity]) -> Entity:
        """A slot named like a list or regex entity takes that entity's value."""
        for rule in rules:
            if rule.type == slot.type and rule.start < slot.end and slot.start < rule.end:
                return Entity(
                    slot.type, rule.value, slot.text, slot.start, slot.end, slot.confidence
                )
        return slot

    # --- saving ---------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the model to one ``.npz`` file (atomically); returns the path."""
        meta, arrays = self.classifier.state()
        header = {
            "format": FORMAT,
            "engine": self.engine,
            "language": self.language,
            "threshold": self._threshold,
            "classifier": meta,
            "entities": self.entity_data.model_dump(mode="json", exclude_defaults=True),
        }
        arrays = dict(arrays)
        arrays["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
        if self.slots is not None:
            arrays["slots"] = np.frombuffer(self.slots.model, dtype=np.uint8)
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                np.savez(file, **arrays)  # type: ignore[arg-type]
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return target

    @classmethod
    def load(cls, path: str | Path) -> NLUModel:
        """Read a model written by :meth:`save`; ValueError if it is not one."""
        # read from the open file, not from its bytes in memory: a copy less, ~20 ms of a
        # CLINC150 model's 26 MB
        with open(path, "rb") as file:
            try:
                archive = np.load(file, allow_pickle=False)
                if not isinstance(archive, np.lib.npyio.NpzFile):
                    raise ValueError("one array, not an archive of them")
                with archive:
                    arrays: dict[str, npt.NDArray[Any]] = {k: archive[k] for k in archive.files}
                header = json.loads(arrays.pop("header").tobytes())
                if not isinstance(header, dict):
                    raise ValueError("its header is not an object")
            except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile) as exc:
                raise ValueError(f"{path}: not a workbench NLU model ({exc})") from None
        if header.get("format") not in READABLE:
            raise ValueError(f"{path}: unsupported NLU model format {header.get('format')!r}")
        slots = SlotTagger(arrays.pop("slots").tobytes()) if "slots" in arrays else None
        classifier = IntentClassifier.from_state(header["classifier"], arrays)
        return cls(
            classifier,
            _entities(header["entities"]),
            slots,
            engine=header["engine"],
            language=header["language"],
            threshold=header["threshold"],
        )


def _entities(saved: dict[str, Any]) -> NLUData:
    """The entity data saved with a model. With none (a model of intents alone), the empty
    value is made without validation: validating builds NLUData's schema on first use (pydantic
    scans its plugins then), ~30 ms of a fresh process's load of a CLINC150 model (its load and
    first parse: 330 ms before this and the copy in ``__init__``, 297 ms after)."""
    if not saved:
        return NLUData.model_construct()
    return NLUData.model_validate(saved)
