"""``create_app``: the FastAPI application of one server process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from starlette.responses import Response

from workbench.runtime import Bot
from workbench.server import _admin, _chat, _conversations, _socket
from workbench.server._errors import install_error_handlers
from workbench.server._fast import FastMessages
from workbench.server._limits import ASGIApp, BodyLimit, RateLimit, Receive, Scope, Send
from workbench.server._malloc import limit_malloc_arenas
from workbench.server._metrics import CountErrors
from workbench.server._service import BotService
from workbench.server._settings import ServerSettings

API_VERSION = "1"


class WorkbenchAPI(FastAPI):
    """FastAPI behind the server's own ASGI layers (CORS, error counts, body size, rate limit,
    then the messages route): every request meets them first, and only what they pass on
    goes through FastAPI's routing and middleware. The messages route so skips FastAPI's own
    layers (server errors, telemetry, its body limit): measured in-process on the pizza bot with
    the turn stubbed out, 100-108 -> 89-100 µs of CPU per request with the hop to the turn's
    thread, 23 -> 9 µs without it (best of 5 x 2,000 requests, same machine load)."""

    front: ASGIApp | None = None
    """The layers in front (``create_app`` sets them); None: FastAPI alone."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.front is None:
            await super().__call__(scope, receive, send)
        else:
            await self.front(scope, receive, send)

    async def serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        """FastAPI itself (what the layers in front pass on)."""
        await super().__call__(scope, receive, send)


def create_app(settings: ServerSettings, bot: Bot | None = None) -> FastAPI:
    """The app serving ``settings.bot`` (loaded now unless given): call it once per process."""
    service = BotService(settings, bot or Bot.load(settings.bot, db=settings.db))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.hub.bind(asyncio.get_running_loop())
        service.start()
        try:
            yield
        finally:
            service.stop()

    app = WorkbenchAPI(
        title=f"Bot Workbench: {service.bot.name}",
        version=API_VERSION,
        description="Talk to the bot over HTTP; read transcripts; admin routes need a token.",
        lifespan=lifespan,
        docs_url=None,  # FastAPI's pages load their scripts from a CDN: nothing here does
        redoc_url=None,
    )
    app.state.service = service
    install_error_handlers(app)
    app.include_router(_conversations.router)
    app.include_router(_admin.router)
    app.include_router(_socket.router)
    app.include_router(_chat.router)

    @app.get("/healthz", tags=["server"])
    def healthz() -> dict[str, str]:
        """200 once the bot is loaded and the store is open."""
        return {"status": "ok", "bot": service.bot.name}

    @app.get("/metrics", tags=["server"], response_class=Response)
    def metrics(request: Request) -> Response:
        """Prometheus metrics of this process."""
        return Response(service.metrics.render(), media_type=service.metrics.content_type)

    # Turns run side by side on every store. Running the memory and SQLite stores' turns one at
    # a time (``TurnGate(limit=1)``) cut SQLite's p99 at 8 concurrent from 69-91 to 22-26 ms,
    # but in 3 of ~27 runs of tests/server/test_server_slow_action.py (two in a whole-suite
    # run) another conversation's turns then waited for a slow action's whole 20 s, for a
    # reason not found yet: off until it is.
    front: ASGIApp = FastMessages(app.serve, service=service, limit=None)
    if service.limiter is not None:
        front = RateLimit(front, limiter=service.limiter)
    front = BodyLimit(front, limit=settings.max_body)
    front = CountErrors(front, metrics=service.metrics)
    if settings.cors_origins:
        front = CORSMiddleware(
            front,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Content-Type", "Authorization"],
        )
    app.front = front
    return app


def app_from_env() -> FastAPI:
    """The app of a worker process started by ``workbench serve`` (see ``_run``)."""
    limit_malloc_arenas()
    return create_app(ServerSettings.from_env())
