"""Every error the API answers is JSON ``{"error": ..., "problems": [...]}``: never a traceback,
never the input echoed back."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError, WebSocketRequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

log = logging.getLogger("workbench.server")


def error_response(
    status: int,
    error: str,
    problems: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body = orjson.dumps({"error": error, "problems": problems or []})
    return Response(body, status, headers=headers, media_type="application/json")


def _where(location: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in location) or "request"


def _message(error: Any) -> str:
    if error.get("type") == "string_pattern_mismatch" and tuple(error.get("loc", ()))[-1:] == (
        "text",
    ):
        return "control characters (other than tab and line breaks) are not allowed"
    return str(error.get("msg", "invalid"))


def validation_problems(errors: Any) -> list[str]:
    """``body.text: String should have at most 4096 characters`` per problem."""
    return [f"{_where(e.get('loc', ()))}: {_message(e)}" for e in errors]


async def _invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = validation_problems(exc.errors())
    if any("JSON decode error" in p for p in problems):
        return error_response(422, "the body is not valid JSON", problems)
    return error_response(422, "the request is not valid", problems)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    detail = exc.detail if isinstance(exc.detail, str) else "error"
    if exc.status_code == 400 and "parsing the body" in detail:
        return error_response(422, "the body is not valid JSON (or not UTF-8)", [detail], headers)
    return error_response(exc.status_code, detail, None, headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.error("request failed: %s %s: %r", request.method, request.url.path, exc, exc_info=exc)
    return error_response(500, "internal error (see the server's log)")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(WebSocketRequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
