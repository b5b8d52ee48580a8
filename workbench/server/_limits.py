"""Request limits: the body size (413) and the per-client rate of messages (429).

Both are plain ASGI middleware, cheap on the hot path: a body is counted as it arrives (a
``Content-Length`` over the limit is refused before anything is read), and the rate limiter keeps
one fixed one-minute window per client address in this process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def _refuse(send: Send, status: int, error: str, headers: list[Any] | None = None) -> None:
    body = orjson.dumps({"error": error, "problems": []})
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Answer 413 to a request whose body is larger than ``limit`` bytes.

    A ``Content-Length`` over the limit is refused before anything is read (the HTTP server
    never passes on more than the length announced); a body sent without one (chunked) is read
    here first, up to the limit, then handed on whole.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit
        error = f"the body is larger than {limit} bytes"
        for name, value in scope["headers"]:
            if name == b"content-length":
                if not value.isdigit() or int(value) > limit:
                    await _refuse(send, 413, error)
                    return
                await self.app(scope, receive, send)
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _refuse(send, 413, error)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        whole: list[Message] = [{"type": "http.request", "body": b"".join(chunks)}]

        async def replay() -> Message:
            return whole.pop() if whole else await receive()

        await self.app(scope, replay, send)


class RateLimiter:
    """At most ``per_minute`` messages per client address in each minute (a fixed window),
    counted in this process: with N instances, a client that the load balancer spreads over
    them gets up to N times as many."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._window = 0
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def wait(self, client: str, now: float) -> int:
        """0 if the message is allowed, else the seconds until the next window."""
        window = int(now // 60)
        with self._lock:
            if window != self._window:
                self._window, self._counts = window, {}
            count = self._counts.get(client, 0) + 1
            self._counts[client] = count
        return 0 if count <= self.per_minute else max(1, 60 * (window + 1) - int(now))


class RateLimit:
    """Answer 429 (with ``Retry-After``) to the POSTs of a client over its limit."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app, self.limiter = app, limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            client = scope.get("client")
            wait = self.limiter.wait(client[0] if client else "?", time.time())
            if wait:
                error = f"more than {self.limiter.per_minute} messages a minute: try again later"
                await _refuse(send, 429, error, [(b"retry-after", str(wait).encode())])
                return
        await self.app(scope, receive, send)
