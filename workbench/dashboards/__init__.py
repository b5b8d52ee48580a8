"""Voilà dashboards: ``workbench dashboard analytics BOT`` (see :mod:`._registry` to add one).

The pages are built from ipywidgets and altair charts; nothing here loads before it is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench._lazy import attach

if TYPE_CHECKING:
    from workbench.dashboards._analytics_page import AnalyticsPage, analytics_page
    from workbench.dashboards._registry import DASHBOARDS, Dashboard, notebook_path, page
    from workbench.dashboards._serve import serve

__getattr__, __dir__ = attach(
    __name__,
    {
        "AnalyticsPage": "workbench.dashboards._analytics_page",
        "analytics_page": "workbench.dashboards._analytics_page",
        "DASHBOARDS": "workbench.dashboards._registry",
        "Dashboard": "workbench.dashboards._registry",
        "notebook_path": "workbench.dashboards._registry",
        "page": "workbench.dashboards._registry",
        "serve": "workbench.dashboards._serve",
    },
)

__all__ = [
    "DASHBOARDS",
    "AnalyticsPage",
    "Dashboard",
    "analytics_page",
    "notebook_path",
    "page",
    "serve",
]
