"""The hot route, ``POST /api/v1/conversations/{cid}/messages``, as plain ASGI.

FastAPI's per-request machinery (routing, dependency solving, its middleware stack) cost more
CPU than the turn itself. This handler does the same work directly: the same checks (the
:class:`MessageIn` model, the conversation id pattern), the same answers (200 with the replies,
422 with the problems, 500 without a traceback), the turn in a worker thread. The FastAPI route
of the same path stays for the OpenAPI schema (and answers if this handler is not installed).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from concurrent.futures import ThreadPoolExecutor

from pydantic import ValidationError

from workbench.server._errors import validation_problems
from workbench.server._gate import TurnGate
from workbench.server._json import json_bytes
from workbench.server._limits import ASGIApp, Receive, Scope, Send
from workbench.server._models import CONVERSATION_ID, MessageIn
from workbench.server._service import BotService

log = logging.getLogger("workbench.server")
PREFIX = "/api/v1/conversations/"
SUFFIX = "/messages"
_ID = re.compile(CONVERSATION_ID)
_JSON = [(b"content-type", b"application/json")]


async def _answer(send: Send, status: int, data: object) -> None:
    body = json_bytes(data)
    headers = [*_JSON, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _body(receive: Receive) -> bytes | None:
    """The whole body (None if the client went away)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


class FastMessages:
    """Serve the messages route itself; pass every other request on to ``app``.

    Turns run on ``threads`` threads; ``limit`` of them at once (None: all, with no
    :class:`TurnGate` in their way)."""

    def __init__(
        self, app: ASGIApp, service: BotService, threads: int = 32, limit: int | None = None
    ) -> None:
        self.app, self.service = app, service
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="workbench-turn")
        self.gate = None if limit is None else TurnGate(self.executor, limit)
        """None: every turn goes straight to a thread (no bookkeeping per request)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            path: str = scope["path"]
            if path.startswith(PREFIX) and path.endswith(SUFFIX):
                cid = path[len(PREFIX) : -len(SUFFIX)]
                if "/" not in cid:
                    await self.message(cid, receive, send)
                    return
        await self.app(scope, receive, send)

    async def message(self, cid: str, receive: Receive, send: Send) -> None:
        body = await _body(receive)
        if body is None:
            return
        if not _ID.match(cid):
            problem = f"path.conversation_id: String should match pattern '{CONVERSATION_ID}'"
            await _answer(send, 422, {"error": "the request is not valid", "problems": [problem]})
            return
        try:
            message = MessageIn.model_validate_json(body)
        except ValidationError as exc:
            errors = exc.errors()
            for each in errors:
                each["loc"] = ("body", *each.get("loc", ()))
            invalid = any(e.get("type") == "json_invalid" for e in errors)
            summary = "the body is not valid JSON" if invalid else "the request is not valid"
            await _answer(send, 422, {"error": summary, "problems": validation_problems(errors)})
            return
        say = functools.partial(
            self.service.say,
            cid,
            message.text,
            user_id=message.user_id,
            message_id=message.message_id,
            payload=message.payload,
        )
        try:
            if self.gate is None:
                outcome = await asyncio.get_running_loop().run_in_executor(self.executor, say)
            else:
                outcome = await self.gate.run(say)
        except Exception as exc:
            log.error("message to %r failed: %r", cid, exc, exc_info=exc)
            await _answer(
                send, 500, {"error": "internal error (see the server's log)", "problems": []}
            )
            return
        await _answer(send, 200, {"replies": [reply.to_json() for reply in outcome.replies]})

    def close(self) -> None:
        self.executor.shutdown(wait=True)
