"""Reading a whole bot folder, collecting every problem before giving up."""

from __future__ import annotations

from pathlib import Path

from workbench.content import FileCache
from workbench.runtime._source import CompiledBot, compile_source, display_name, read_source


def read_folder(folder: Path, files: FileCache | None = None) -> CompiledBot:
    """Load and check a bot folder; raises :class:`BotError` listing every error found.

    ``files`` is filled with what each content file held (see ``load_content``)."""
    return compile_source(read_source(folder, display_name(folder), files))
