"""Voilà dashboards for the people who never open a notebook: the content editor and the
conversation analytics. ``workbench dashboard content|analytics BOT`` serves one (see
:mod:`._registry` to add one); ``notebooks/dashboards/*.ipynb`` are the same pages for plain
``voila``. Nothing here loads before it is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench._lazy import attach

if TYPE_CHECKING:
    from workbench.dashboards._analytics_page import AnalyticsPage, analytics_page
    from workbench.dashboards._content_editor import ContentEditor, content_editor
    from workbench.dashboards._registry import (
        DASHBOARDS,
        Dashboard,
        dashboard_notebook,
        notebook_path,
        page,
    )
    from workbench.dashboards._serve import serve, voila_command

__getattr__, __dir__ = attach(
    __name__,
    {
        "AnalyticsPage": "workbench.dashboards._analytics_page",
        "analytics_page": "workbench.dashboards._analytics_page",
        "ContentEditor": "workbench.dashboards._content_editor",
        "content_editor": "workbench.dashboards._content_editor",
        "DASHBOARDS": "workbench.dashboards._registry",
        "Dashboard": "workbench.dashboards._registry",
        "dashboard_notebook": "workbench.dashboards._registry",
        "notebook_path": "workbench.dashboards._registry",
        "page": "workbench.dashboards._registry",
        "serve": "workbench.dashboards._serve",
        "voila_command": "workbench.dashboards._serve",
    },
)

__all__ = [
    "DASHBOARDS",
    "AnalyticsPage",
    "ContentEditor",
    "Dashboard",
    "analytics_page",
    "content_editor",
    "dashboard_notebook",
    "notebook_path",
    "page",
    "serve",
    "voila_command",
]
