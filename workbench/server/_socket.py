"""The WebSocket of one conversation: messages in, transcript rows out.

``/api/v1/conversations/{cid}/ws?after_turn=T&after_seq=S``: the server sends every user and
bot row of the transcript after position ``(T, S)``, in order, then each new one as it is
written: the replies to this socket's messages, to messages sent over HTTP, and those of turns
nobody asked for (a timeout the janitor ran, on this instance or another). A client that
reconnects with the position of the last row it showed gets exactly the rows it missed.

Client → server: ``{"type": "message", "text", "message_id", "payload"}`` (the fields of a
POSTed message). Server → client: ``{"type": "event", "event": row}``, ``{"type": "typing"}``
while a turn runs, ``{"type": "ack", "message_id"}`` once it is saved, ``{"type": "error",
"error"}`` for a message that was refused (nothing stored).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import orjson
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from workbench.server._conversations import ConversationId, event_json
from workbench.server._errors import validation_problems
from workbench.server._models import SocketMessageIn
from workbench.server._service import BotService

router = APIRouter()
SHOWN = ("user", "bot")
"""The transcript rows a chat shows."""


class _Socket:
    """One open socket: a reader (the client's messages) and a follower (the transcript)."""

    def __init__(
        self, websocket: WebSocket, service: BotService, cid: str, after: tuple[int, int]
    ) -> None:
        self.ws, self.service, self.cid, self.after = websocket, service, cid, after
        self.user_id = cid
        self.send_lock = asyncio.Lock()
        self.wake = service.hub.subscribe(cid)

    async def send(self, data: dict[str, Any]) -> None:
        async with self.send_lock:
            await self.ws.send_json(data)

    async def follow(self) -> None:
        interval = self.service.settings.poll_interval
        while True:
            self.wake.clear()
            rows = await run_in_threadpool(self.service.events_after, self.cid, self.after)
            for event in rows:
                if event.type in SHOWN:
                    await self.send({"type": "event", "event": event_json(event)})
                self.after = (event.turn, event.seq)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), interval)

    async def read(self) -> None:
        while True:
            text = await self.ws.receive_text()
            try:
                message = SocketMessageIn.model_validate_json(text)
            except ValidationError as exc:
                problems = validation_problems(exc.errors())
                await self.refuse(text, "the message is not valid", problems=problems)
                continue
            wait = self.service.rate_limited(self.client())
            if wait:
                await self.refuse(text, "too many messages: try again later", retry=wait)
                continue
            await self.send({"type": "typing"})
            await run_in_threadpool(
                self.service.say,
                self.cid,
                message.text,
                user_id=message.user_id or self.user_id,
                message_id=message.message_id,
                payload=message.payload,
            )
            self.wake.set()
            await self.send({"type": "ack", "message_id": message.message_id})

    async def refuse(self, text: str, error: str, **details: Any) -> None:
        """Say why a message was refused, with its ``message_id`` when it has one."""
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError:
            data = None
        message_id = data.get("message_id") if isinstance(data, dict) else None
        if not isinstance(message_id, str):
            message_id = None
        await self.send({"type": "error", "error": error, "message_id": message_id, **details})

    def client(self) -> str:
        return self.ws.client.host if self.ws.client else "?"


@router.websocket("/api/v1/conversations/{conversation_id}/ws")
async def conversation_socket(
    websocket: WebSocket,
    conversation_id: ConversationId,
    after_turn: int = 0,
    after_seq: int = -1,
) -> None:
    service: BotService = websocket.app.state.service
    await websocket.accept()
    socket = _Socket(websocket, service, conversation_id, (after_turn, after_seq))
    follower = asyncio.create_task(socket.follow())
    try:
        await socket.read()
    except WebSocketDisconnect:
        pass
    finally:
        follower.cancel()
        with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
            await follower
        service.hub.unsubscribe(conversation_id, socket.wake)
