"""Helpers for the runtime tests (imported by name; pytest puts this folder on ``sys.path``)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import workbench as wb
from workbench.schema import Reply

MakeBot = Callable[..., wb.Bot]


def write_bot(
    folder: Path,
    flows: Mapping[str, str],
    content: str | None = None,
    actions: str | None = None,
    intents: str | None = None,
) -> Path:
    """Write a bot folder named ``t``; YAML and Python texts are dedented."""
    (folder / "flows").mkdir(parents=True, exist_ok=True)
    (folder / "bot.yml").write_text("name: t\n")
    for name, text in flows.items():
        (folder / "flows" / f"{name}.flow.yml").write_text(textwrap.dedent(text))
    if content is not None:
        (folder / "content").mkdir(exist_ok=True)
        (folder / "content" / "messages.yml").write_text(textwrap.dedent(content))
    if actions is not None:
        (folder / "actions.py").write_text(textwrap.dedent(actions))
    if intents is not None:
        (folder / "nlu").mkdir(exist_ok=True)
        (folder / "nlu" / "intents.yml").write_text(textwrap.dedent(intents))
    return folder


def texts(replies: Iterable[Reply]) -> list[str]:
    return [r.text for r in replies]
