"""Reading a whole bot folder, collecting every problem before giving up."""

from __future__ import annotations

import os
from pathlib import Path

from workbench.runtime._source import CompiledBot, compile_source, read_source


def display_name(folder: Path) -> str:
    """The folder as users wrote it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(folder)
    except ValueError:
        return str(folder)
    return str(folder) if relative.startswith("..") else relative


def read_folder(folder: Path) -> CompiledBot:
    """Load and check a bot folder; raises :class:`BotError` listing every error found."""
    return compile_source(read_source(folder, display_name(folder)))
