"""Fixtures of the engine tests: ``make_bot(flows={"main": "...yaml..."}, content=...,
actions=..., intents=..., settings=..., db=...)`` writes a bot folder under ``tmp_path`` and
returns the loaded :class:`workbench.Bot`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from engine_kit import Clock, MakeBot, write_bot

import workbench as wb
import workbench.runtime._bot as runtime_bot
import workbench.runtime._turn as runtime_turn


@pytest.fixture
def make_bot(tmp_path: Path) -> MakeBot:
    """Write a bot folder under ``tmp_path`` and load it (memory store unless ``db`` is given)."""
    count = 0

    def make(
        flows: Mapping[str, str],
        content: Mapping[str, str] | str | None = None,
        actions: str | None = None,
        intents: str | None = None,
        settings: str = "",
        db: str = "memory://",
    ) -> wb.Bot:
        nonlocal count
        count += 1
        folder = write_bot(tmp_path / f"bot{count}", flows, content, actions, intents, settings)
        return wb.Bot.load(folder, db=db)

    return make


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Replace the clock the runtime stamps turns with (no sleeps needed for idle times)."""
    fake = Clock(1000.0)
    monkeypatch.setattr(runtime_bot, "time", fake)  # idle times
    monkeypatch.setattr(runtime_turn, "time", fake)  # turns' timestamps
    return fake
