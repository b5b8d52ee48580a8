"""The dashboards ``workbench dashboard NAME BOT`` can serve, and where their notebooks are.

A dashboard is a Voilà notebook ``notebooks/dashboards/NAME.ipynb`` whose one cell calls
``workbench.dashboards.page("NAME")``, and a function building its page for a bot folder.
Adding one (say ``content``) is one entry in :data:`DASHBOARDS` pointing at that function, and
its notebook; ``workbench dashboard content BOT`` then serves it.
"""

from __future__ import annotations

import importlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import workbench

__all__ = ["BOT_ENV", "DASHBOARDS", "Dashboard", "notebook_path", "page"]

BOT_ENV = "WORKBENCH_BOT"
"""The bot folder a dashboard shows (set by ``workbench dashboard``; Voilà's kernel inherits
the server's environment)."""


@dataclass(frozen=True)
class Dashboard:
    name: str
    title: str
    builder: str
    """``module:function``, the function taking the bot folder (or None) and returning the
    page's root widget; imported only when the page is built."""


DASHBOARDS = {
    "analytics": Dashboard(
        "analytics",
        "Conversation analytics",
        "workbench.dashboards._analytics_page:analytics_page",
    ),
}


def _known(name: str) -> Dashboard:
    if name not in DASHBOARDS:
        raise ValueError(f"no dashboard {name!r} (there are: {', '.join(DASHBOARDS)})")
    return DASHBOARDS[name]


def notebook_path(name: str) -> Path:
    """The dashboard's notebook: ``notebooks/dashboards/NAME.ipynb`` in a checkout; installed
    from a wheel, the same one-cell notebook written to a temporary folder."""
    _known(name)
    checkout = Path(workbench.__file__).resolve().parent.parent / "notebooks" / "dashboards"
    path = checkout / f"{name}.ipynb"
    if path.is_file():
        return path
    folder = Path(tempfile.gettempdir()) / "workbench-dashboards"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.ipynb"
    path.write_text(json.dumps(_notebook(name), indent=1), encoding="utf-8")
    return path


def _notebook(name: str) -> dict[str, Any]:
    """A notebook (nbformat 4) whose one cell shows the dashboard's page."""
    source = f'from workbench.dashboards import page\n\npage("{name}")'
    return {
        "cells": [
            {"cell_type": "code", "execution_count": None, "id": name, "metadata": {},
             "outputs": [], "source": source}
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }  # fmt: skip


def page(name: str, bot: str | Path | None = None) -> Any:
    """The page of dashboard ``name`` for ``bot`` (default: ``$WORKBENCH_BOT``), a widget."""
    module, _, function = _known(name).builder.partition(":")
    folder = bot if bot is not None else os.environ.get(BOT_ENV) or None
    return getattr(importlib.import_module(module), function)(
        Path(folder) if folder is not None else None
    )
