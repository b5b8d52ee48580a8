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


def test_import_workbench_leaves_jinja_yaml_and_sqlalchemy_for_later() -> None:
    code = (
        "import sys, workbench; print(sorted({'jinja2', 'yaml', 'sqlalchemy'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
