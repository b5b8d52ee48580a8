"""The admin routes: ``Authorization: Bearer $WORKBENCH_ADMIN_TOKEN`` on every one; with no
token set they refuse everyone."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.responses import Response

from workbench.schema import ContentError
from workbench.server._conversations import ConversationId
from workbench.server._errors import error_response
from workbench.server._json import json_bytes
from workbench.server._models import (
    ErrorOut,
    ProactiveElement,
    ProactiveIn,
    RepliesOut,
    StatusOut,
)
from workbench.server._service import BotService, UnknownConversation
from workbench.server._settings import ADMIN_TOKEN_ENV


def require_admin(request: Request) -> None:
    token: str | None = request.app.state.service.settings.admin_token
    if not token:
        raise HTTPException(403, f"admin routes are off: set {ADMIN_TOKEN_ENV} to use them")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(
        given.strip().encode(), token.encode()
    ):
        raise HTTPException(401, "admin token missing or wrong", {"WWW-Authenticate": "Bearer"})


router = APIRouter(
    prefix="/api/v1/admin",
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    responses={
        401: {"model": ErrorOut, "description": "No token, or a wrong one."},
        403: {"model": ErrorOut, "description": "No admin token is set on the server."},
    },
)


@router.get("/status", response_model=StatusOut)
def status(request: Request) -> Response:
    """This instance, its bot and its store."""
    service: BotService = request.app.state.service
    return Response(json_bytes(service.status()), media_type="application/json")


@router.post(
    "/conversations/{conversation_id}/messages",
    response_model=RepliesOut,
    responses={
        404: {"model": ErrorOut, "description": "No such conversation, or content element."},
        422: {"model": ErrorOut, "description": "The request is not valid."},
    },
)
def send_proactive(
    conversation_id: ConversationId, message: ProactiveIn, request: Request
) -> Response:
    """Say something into a conversation without a user message (a proactive message): open
    WebSockets of the conversation get it at once; the session does not move."""
    service: BotService = request.app.state.service
    try:
        if isinstance(message, ProactiveElement):
            replies = service.send(conversation_id, element=message.element, text=None)
        else:
            replies = service.send(conversation_id, element=None, text=message.text)
    except UnknownConversation:
        return error_response(404, f"no conversation {conversation_id!r}")
    except ContentError as exc:
        return error_response(404, str(exc))
    body = {"replies": [reply.to_json() for reply in replies]}
    return Response(json_bytes(body), media_type="application/json")


@router.post("/expire-idle")
def expire_idle(
    request: Request,
    older_than: Annotated[float, Query(ge=0, le=10**9, allow_inf_nan=False)] = 0.0,
) -> dict[str, int]:
    """Run the timeout path of the conversations idle for more than ``older_than`` seconds now
    (the janitor does it on its own every ``--janitor-interval`` seconds)."""
    service: BotService = request.app.state.service
    return {"expired": service.expire_idle(older_than)}
