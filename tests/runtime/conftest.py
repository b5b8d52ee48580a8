"""Fixtures of the runtime tests: ``make_bot(flows={"main": "...yaml..."}, content=...,
actions=..., intents=..., db=...)`` writes a bot folder under ``tmp_path`` and loads it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from runtime_kit import MakeBot, write_bot

import workbench as wb


@pytest.fixture
def make_bot(tmp_path: Path) -> MakeBot:
    """Write a bot folder under ``tmp_path`` and load it (memory store unless ``db`` is given)."""
    count = 0

    def make(
        flows: Mapping[str, str],
        content: str | None = None,
        actions: str | None = None,
        intents: str | None = None,
        db: str = "memory://",
    ) -> wb.Bot:
        nonlocal count
        count += 1
        folder = write_bot(tmp_path / f"bot{count}", flows, content, actions, intents)
        return wb.Bot.load(folder, db=db)

    return make
