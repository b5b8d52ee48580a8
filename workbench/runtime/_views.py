"""Views of a bot that live in higher layers (the notebook's graph and emulator, the test runner,
the simulator), reached from :class:`~workbench.runtime.Bot`'s methods without the runtime
importing them.

The runtime declares what it needs (:class:`Views`); the package that provides it registers
itself as an entry point of the group ``workbench.views`` (``pyproject.toml``: the notebook
layer's :class:`~workbench.notebook.NotebookViews`), as pandas finds its plotting backends. The
first view asked for loads it. So there is one ``Bot`` class, whatever imported it, and the
runtime (layer 4) depends on nothing above it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from workbench.schema import WorkbenchError

if TYPE_CHECKING:
    from workbench.runtime._bot import Bot

GROUP = "workbench.views"


class Views(Protocol):
    """What ``bot.graph()``, ``bot.chat()``, ``bot.test()``, ... call (the bot comes first)."""

    def graph(self, bot: Bot, flow: str | None, **options: Any) -> Any: ...

    def chat(self, bot: Bot, user_id: str, **options: Any) -> Any: ...

    def test(self, bot: Bot, files: Iterable[str | Path] | None) -> Any: ...

    def simulate(self, bot: Bot, n: int, **options: Any) -> Any: ...

    def nlu_tester(self, bot: Bot) -> Any: ...

    def evaluate_nlu(
        self, bot: Bot, folds: int, threshold: float | None, **options: Any
    ) -> Any: ...

    def review_unhandled(self, bot: Bot, texts: Iterable[str] | None, **options: Any) -> Any: ...


_loaded: list[Views] = []


def views() -> Views:
    """The registered views (loaded on first use)."""
    if not _loaded:
        from importlib import metadata  # ~20 ms: only when a view is first asked for

        found = sorted(metadata.entry_points(group=GROUP), key=lambda ep: ep.name)
        if not found:
            raise WorkbenchError(
                "the notebook views are not installed: pip install 'bot-workbench[lab]'"
            )
        _loaded.append(found[0].load()())
    return _loaded[0]
