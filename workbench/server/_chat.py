"""The web chat: ``/chat`` (a page of its own) and ``/chat.js`` (a ``<script>`` for any site,
which opens ``/chat`` in a corner frame). The page's script shows every user text as text (never
as markup) and reconnects, without losing or repeating anything, after a server restart."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter
from starlette.responses import Response

router = APIRouter(tags=["web chat"])
_STATIC = files("workbench.server") / "static"
CHAT_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src http: https: data:; "
    "connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'"
)
"""The page runs its own script only: even markup that slipped into the page could not run."""


def _static(name: str) -> bytes:
    return (_STATIC / name).read_bytes()


def _file(name: str, media_type: str, **headers: str) -> Response:
    return Response(
        _static(name),
        media_type=media_type,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache", **headers},
    )


@router.get("/chat", response_class=Response)
def chat_page() -> Response:
    """The web chat."""
    return _file(
        "chat.html", "text/html; charset=utf-8", **{"Content-Security-Policy": CHAT_POLICY}
    )


@router.get("/chat/app.js", response_class=Response, include_in_schema=False)
def chat_script() -> Response:
    return _file("chat-app.js", "text/javascript; charset=utf-8")


@router.get("/chat/app.css", response_class=Response, include_in_schema=False)
def chat_style() -> Response:
    return _file("chat.css", "text/css; charset=utf-8")


@router.get("/chat.js", response_class=Response)
def embed_script() -> Response:
    """``<script src="https://BOT-SERVER/chat.js" async></script>`` adds the chat to a page."""
    return _file("embed.js", "text/javascript; charset=utf-8")
