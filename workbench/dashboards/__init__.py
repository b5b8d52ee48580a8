"""Voilà dashboards for the people who never open a notebook: the content editor and the
analytics dashboard. ``workbench dashboard content|analytics BOT`` serves one (see
:func:`serve`); ``notebooks/dashboards/*.ipynb`` are the same pages for plain ``voila``."""

from __future__ import annotations

from workbench.dashboards._serve import DASHBOARDS, dashboard_notebook, serve, voila_command

__all__ = ["DASHBOARDS", "dashboard_notebook", "serve", "voila_command"]
