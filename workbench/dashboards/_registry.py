"""The dashboards ``workbench dashboard NAME BOT`` serves, and their pages' notebooks.

A dashboard is a function that builds its page for a bot folder (``module:function``, imported
only when the page is built) and a one-cell Voilà notebook calling it,
``notebooks/dashboards/FILE.ipynb`` in a checkout (written to a temporary folder when installed
from a wheel). Adding one is an entry in :data:`DASHBOARDS` and its notebook
(``dashboard_notebook(name)`` writes it).
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

__all__ = [
    "BOT_ENV",
    "DASHBOARDS",
    "Dashboard",
    "dashboard_notebook",
    "known",
    "notebook_path",
    "page",
]

BOT_ENV = "WORKBENCH_BOT"
"""The bot folder a dashboard shows (set by ``workbench dashboard``; Voilà's kernel inherits
the server's environment)."""


@dataclass(frozen=True)
class Dashboard:
    name: str
    title: str
    builder: str
    """``module:function``: takes the bot folder (or None) and builds the page, a widget."""
    file: str
    """Its notebook's name in ``notebooks/dashboards/``."""
    preheat: bool = False
    """Voilà runs the page in a kernel before anyone asks for it (then keeps one ready): the
    page shows in ~2 s instead of ~3 s. Only for pages that read what they show when asked
    (the content editor reads the files again on every search and open)."""


DASHBOARDS: dict[str, Dashboard] = {
    "content": Dashboard(
        "content",
        "Content editor",
        "workbench.dashboards._content_editor:content_editor",
        "content_editor.ipynb",
        preheat=True,
    ),
    "analytics": Dashboard(
        "analytics",
        "Conversation analytics",
        "workbench.dashboards._analytics_page:analytics_page",
        "analytics.ipynb",
    ),
}


def known(name: str) -> Dashboard:
    if name not in DASHBOARDS:
        raise ValueError(f"no dashboard {name!r} (there are: {', '.join(DASHBOARDS)})")
    return DASHBOARDS[name]


def page(name: str, bot: str | Path | None = None) -> Any:
    """The page of dashboard ``name`` for ``bot`` (default: ``$WORKBENCH_BOT``).

    Returned when it displays as the cell's result (it has ``_repr_mimebundle_``); a builder
    that draws its page itself (the content editor) gets None back here, so a notebook's last
    line shows the page once.
    """
    module, _, function = known(name).builder.partition(":")
    folder = bot if bot is not None else os.environ.get(BOT_ENV) or None
    built = getattr(importlib.import_module(module), function)(
        Path(folder) if folder is not None else None
    )
    return built if hasattr(built, "_repr_mimebundle_") else None


def dashboard_notebook(name: str, default_bot: str | None = None) -> dict[str, Any]:
    """The page's notebook (nbformat 4 JSON): one cell showing dashboard ``name`` for the bot
    folder in ``WORKBENCH_BOT``, else ``default_bot`` (relative to the notebook's folder)."""
    dashboard = known(name)
    bot = "" if default_bot is None else f", {default_bot!r}"
    source = (
        f"# {dashboard.title} (Voilà): `workbench dashboard {name} BOT` serves it with the bot\n"
        f"# folder in {BOT_ENV}.\n"
        "import os\n\n"
        "from workbench.dashboards import page\n\n"
        f"page({name!r}, os.environ.get({BOT_ENV!r}{bot}))"
    )
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": name,
                "metadata": {},
                "outputs": [],
                "source": source,
            }
        ],
        "metadata": {
            "title": f"Bot Workbench · {dashboard.title}",
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def notebook_path(name: str) -> Path:
    """The dashboard's notebook: ``notebooks/dashboards/FILE`` in a checkout; installed from a
    wheel, the same notebook written to a temporary folder."""
    dashboard = known(name)
    checkout = Path(workbench.__file__).resolve().parent.parent / "notebooks" / "dashboards"
    path = checkout / dashboard.file
    if path.is_file():
        return path
    folder = Path(tempfile.gettempdir()) / "workbench-dashboards"
    folder.mkdir(exist_ok=True)
    path = folder / dashboard.file
    path.write_text(json.dumps(dashboard_notebook(name), indent=1), encoding="utf-8")
    return path
