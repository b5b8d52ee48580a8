"""pytest plugin: collects ``tests/*.convo.yml`` of bot folders, one test per conversation.

Registered through the ``pytest11`` entry point, so ``pytest sample_bots/`` just works.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from workbench.runtime import Bot
from workbench.stores import MemoryStore
from workbench.testing._runner import run_convo
from workbench.testing._spec import ConvoTest, load_convo_file

_BOTS: dict[Path, Bot] = {}


def _bot(folder: Path) -> Bot:
    """One bot per folder and session, on an in-memory store (tests leave no files)."""
    if folder not in _BOTS:
        _BOTS[folder] = Bot.load(folder, store=MemoryStore())
    return _BOTS[folder]


class ConvoFailure(Exception):
    """The failing expectations of one conversation test."""


class ConvoItem(pytest.Item):
    def __init__(self, *, test: ConvoTest, folder: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.test = test
        self.folder = folder

    def runtest(self) -> None:
        result = run_convo(_bot(self.folder), self.test)
        if result.failures:
            raise ConvoFailure("\n".join(result.failures))

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, ConvoFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, max(self.test.line - 1, 0), f"convo: {self.test.name}"


class ConvoFile(pytest.File):
    def collect(self) -> Iterator[ConvoItem]:
        folder = self.path.parent.parent
        for test in load_convo_file(self.path):
            yield ConvoItem.from_parent(self, name=test.name, test=test, folder=folder)


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> ConvoFile | None:
    if file_path.name.endswith(".convo.yml") and (file_path.parent.parent / "bot.yml").exists():
        return ConvoFile.from_parent(parent, path=file_path)
    return None
