"""Reading a whole bot folder, collecting every problem before giving up."""

from __future__ import annotations

from pathlib import Path

from workbench.runtime._source import CompiledBot, compile_source, display_name, read_source


def read_folder(folder: Path) -> CompiledBot:
    """Load and check a bot folder; raises :class:`BotError` listing every error found."""
    return compile_source(read_source(folder, display_name(folder)))
