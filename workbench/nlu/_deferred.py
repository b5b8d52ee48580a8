"""Recognisers that cost nothing until the first message: a cached model read on first use,
and the entities-only recogniser of a bot without intents.

Why: reading a trained model needs numpy and scipy (about 150 ms to import), which would
make every ``Bot.load`` of an unchanged bot slow although most loads (a CLI command, a test,
a server worker) may never parse a message, or parse one much later. Training is not deferred:
a bot whose NLU data changed trains during ``Bot.load``, so no user waits seconds for a reply.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from workbench.nlu._data import NLUData
from workbench.nlu._entities import EntityMatcher
from workbench.schema import NLUResult

if TYPE_CHECKING:
    from workbench.nlu._model import NLUModel

__all__ = ["DeferredModel", "EntitiesOnly"]


class DeferredModel:
    """Stands for an :class:`NLUModel` until it is used; then reads it (once, thread-safe)
    and passes every call on to it (``parse``, ``predict``, ``threshold``...)."""

    def __init__(self, read: Callable[[], NLUModel]) -> None:
        self._read = read
        self._model: NLUModel | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> NLUModel:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._read()
        return self._model

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def parse(self, text: str) -> NLUResult:
        return self.model.parse(text)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.model, name)


class EntitiesOnly:
    """A bot with no intents yet: every message is ``none``, entities are still found."""

    def __init__(self, data: NLUData) -> None:
        self._matcher = EntityMatcher(data)

    def parse(self, text: str) -> NLUResult:
        return NLUResult("none", 0.0, (), tuple(self._matcher.find(text)))
