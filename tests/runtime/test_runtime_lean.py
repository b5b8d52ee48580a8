"""What keeps a turn and ``import workbench`` lean (no timings: what gets imported or kept)."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import workbench as wb

PIZZA = Path(__file__).resolve().parents[2] / "sample_bots" / "pizza"


@pytest.fixture
def no_gc() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_a_turn_leaves_no_reference_cycles(no_gc: None) -> None:
    """Everything a turn allocates is freed by reference counting, not by the collector."""
    bot = wb.Bot.load(PIZZA, db="memory://")

    @bot.use
    def passthrough(ctx: wb.TurnContext, call_next: object) -> None:
        call_next()  # type: ignore[operator]

    conv = bot.conversation("u1")
    for text in ["hi", "small", "ham", "done"]:
        conv.say(text)
    gc.collect()
    for text in ["hi", "large"]:
        conv.say(text)
    assert gc.collect() == 0


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter imported for ``code`` (not those it starts with: a
    ``.pth`` file or ``sitecustomize`` may import some)."""

    def loaded(snippet: str) -> set[str]:
        script = f"import sys\n{snippet}\nprint('\\n'.join(sys.modules))"
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
        return set(done.stdout.split())

    return loaded(code) - loaded("pass")


HEAVY = {"jinja2", "yaml", "sqlalchemy", "pydantic", "rapidfuzz", "numpy", "importlib.metadata"}


def test_import_workbench_loads_no_subpackage() -> None:
    """``import workbench`` is the package alone: its names load their subpackage on use."""
    loaded = _modules_after("import workbench")
    # workbench._lazy is the loader of those names itself, not a subpackage
    assert {name for name in loaded if name.startswith("workbench.")} == {"workbench._lazy"}
    assert not HEAVY & loaded


def test_the_bot_class_leaves_tests_widgets_and_templates_for_later() -> None:
    loaded = _modules_after("from workbench import Bot")
    later_libraries = {"jinja2", "yaml", "sqlalchemy", "numpy", "rapidfuzz", "importlib.metadata"}
    assert not later_libraries & loaded
    later = ("workbench.testing.", "workbench.notebook._graph", "workbench.notebook._magic")
    assert not {name for name in loaded if name.startswith(later)}


def test_lazy_names_are_the_public_api() -> None:
    """Every name of ``__all__`` resolves (to the subpackage's own object) and ``dir`` lists
    it; subpackages are attributes after ``import workbench`` alone, as before."""
    import workbench.notebook
    import workbench.runtime
    import workbench.schema

    for name in wb.__all__:
        assert getattr(wb, name) is not None
        assert name in dir(wb)
    assert wb.Bot is workbench.runtime.Bot
    assert wb.Conversation is workbench.runtime.Conversation
    assert wb.BotError is workbench.schema.BotError
    assert wb.nlu.__name__ == "workbench.nlu"
    with pytest.raises(AttributeError):
        _ = wb.no_such_name
    for package in (workbench.notebook, workbench.testing):
        for name in package.__all__:
            assert getattr(package, name) is not None
