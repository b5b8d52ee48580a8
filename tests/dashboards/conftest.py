"""Fixtures of the dashboards' tests: a copy of the pizza bot (English and French) and editors
on it, as two pages of the content editor would have them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import workbench as wb
import workbench.runtime._bot as runtime_bot
from tests.dashboards.editor_kit import pizza_copy
from workbench.dashboards._content_editor import ContentEditor


@pytest.fixture(scope="session")
def pizza_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The copy every test copies again: its NLU model is trained here, once."""
    folder = pizza_copy(tmp_path_factory.mktemp("template") / "pizza")
    wb.Bot.load(folder, db="memory://")
    return folder


@pytest.fixture
def pizza(tmp_path: Path, pizza_template: Path) -> Path:
    """This test's copy of the pizza bot."""
    return pizza_copy(tmp_path / "pizza", pizza_template)


@pytest.fixture
def db(tmp_path: Path) -> str:
    """The copy's store: a SQLite file, shared by every Bot of the test (as pages share one)."""
    return f"sqlite:///{tmp_path / 'wb.db'}"


@pytest.fixture(autouse=True)
def look_every_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Turns look at the content files on every turn (not every 50 ms): no waiting in tests."""
    monkeypatch.setattr(runtime_bot, "CONTENT_CHECK_SECONDS", 0.0)


Editor = Callable[[], ContentEditor]


@pytest.fixture
def editor(pizza: Path, db: str) -> Editor:
    """``editor()``: a content editor on the copy, with its own Bot, as a page has; its editor
    is "ann" (set ``.author.value`` to change)."""

    def make() -> ContentEditor:
        made = ContentEditor(wb.Bot.load(pizza, db=db))
        made.author.value = "ann"
        return made

    return make
