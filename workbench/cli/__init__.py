"""The ``workbench`` command line (typer)."""

from __future__ import annotations

from workbench.cli._app import app, main

__all__ = ["app", "main"]
