"""The production server: ``workbench serve BOT`` (FastAPI on uvicorn).

Routes, status codes and the admin-token rules are DESIGN.md's "Contracts other tools rely on";
the web chat is at ``/chat`` and embeds in any page with ``/chat.js``.
"""

from __future__ import annotations

from workbench.server._app import create_app
from workbench.server._run import serve
from workbench.server._settings import ServerSettings

__all__ = ["ServerSettings", "create_app", "serve"]
