"""Turning pydantic validation errors into ``file:line: message`` problems."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from workbench.config._yaml import line_of
from workbench.schema import BotError, Problem

ModelT = TypeVar("ModelT", bound=BaseModel)


def _describe(error: Any) -> str:
    loc = ".".join(str(part) for part in error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key {loc!r}"
    if kind == "missing":
        return f"missing key {loc!r}"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{loc}: {message}" if loc else message


def validation_problems(exc: ValidationError, data: Any, file: str) -> list[Problem]:
    """One problem per pydantic error, each located at the line its path points to."""
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        problems.append(Problem(file, line_of(data, loc), _describe(error)))
    return problems


def validate(model: type[ModelT], data: Any, file: str) -> ModelT:
    """Validate YAML data against a model; errors raise :class:`BotError` with lines."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BotError(validation_problems(exc, data, file)) from None
