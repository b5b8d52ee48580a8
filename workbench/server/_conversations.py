"""The conversation routes: send a message, read the transcript, reset."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from workbench.schema import TranscriptEvent
from workbench.server._errors import error_response
from workbench.server._json import json_bytes
from workbench.server._models import (
    CONVERSATION_ID,
    ErrorOut,
    EventsOut,
    MessageIn,
    RepliesOut,
    ResetOut,
)
from workbench.server._service import BotService, UnknownConversation

ConversationId = Annotated[
    str,
    Path(
        pattern=CONVERSATION_ID,
        description="1-128 characters: letters, digits and _ . : @ - (not first).",
    ),
]
ERRORS = {
    404: {"model": ErrorOut, "description": "No such conversation."},
    413: {"model": ErrorOut, "description": "The body is too large."},
    422: {"model": ErrorOut, "description": "The request is not valid."},
    429: {"model": ErrorOut, "description": "Too many messages from this client."},
}

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"])


def _json(data: object) -> Response:
    return Response(json_bytes(data), media_type="application/json")


def _service(request: Request) -> BotService:
    service: BotService = request.app.state.service
    return service


@router.post(
    "/{conversation_id}/messages",
    response_model=RepliesOut,
    responses={k: v for k, v in ERRORS.items() if k != 404},
)
def post_message(conversation_id: ConversationId, message: MessageIn, request: Request) -> Response:
    """Send a user message; answers the bot's replies. A ``message_id`` sent again answers the
    replies of the first one and changes nothing."""
    outcome = _service(request).say(
        conversation_id,
        message.text,
        user_id=message.user_id,
        message_id=message.message_id,
        payload=message.payload,
    )
    return _json({"replies": [reply.to_json() for reply in outcome.replies]})


def event_json(event: TranscriptEvent) -> dict[str, object]:
    return {
        "conversation_id": event.conversation_id,
        "user_id": event.user_id,
        "turn": event.turn,
        "seq": event.seq,
        "ts": event.ts,
        "type": event.type,
        "flow": event.flow,
        "node": event.node,
        "intent": event.intent,
        "confidence": event.confidence,
        "text": event.text,
        "payload": event.payload,
        "channel": event.channel,
        "language": event.language,
    }


@router.get(
    "/{conversation_id}/events",
    response_model=EventsOut,
    responses={404: ERRORS[404], 422: ERRORS[422]},
)
def get_events(conversation_id: ConversationId, request: Request) -> Response:
    """The conversation's transcript rows, in order."""
    try:
        events = _service(request).events(conversation_id)
    except UnknownConversation:
        return error_response(404, f"no conversation {conversation_id!r}")
    return _json({"events": [event_json(event) for event in events]})


@router.delete(
    "/{conversation_id}",
    response_model=ResetOut,
    responses={404: ERRORS[404], 422: ERRORS[422]},
)
def reset_conversation(conversation_id: ConversationId, request: Request) -> Response:
    """Forget the conversation's open session (its transcript and the user's variables stay)."""
    try:
        _service(request).reset(conversation_id)
    except UnknownConversation:
        return error_response(404, f"no conversation {conversation_id!r}")
    return _json({"conversation_id": conversation_id, "reset": True})
