"""Content element types and their fields (pydantic): text, choice, image, card."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _variations(value: Any) -> Any:
    """``text`` may be one string or a list of variations; always keep a non-empty list."""
    if isinstance(value, str):
        return [value]
    return value


class ChoiceItem(_Fields):
    title: str = Field(min_length=1)
    value: str = Field(min_length=1)

    @classmethod
    def of(cls, item: Any) -> Any:
        if isinstance(item, str | int | float):
            return {"title": str(item), "value": str(item)}
        return item


class TextFields(_Fields):
    text: list[str] = Field(min_length=1)
    _norm = field_validator("text", mode="before")(_variations)


class ChoiceFields(_Fields):
    text: list[str] = Field(min_length=1)
    choices: list[ChoiceItem] = Field(min_length=1)
    _norm = field_validator("text", mode="before")(_variations)

    @field_validator("choices", mode="before")
    @classmethod
    def _items(cls, value: Any) -> Any:
        return [ChoiceItem.of(v) for v in value] if isinstance(value, list) else value


class ImageFields(_Fields):
    image: str = Field(min_length=1)
    title: str = ""


class CardButton(_Fields):
    title: str = Field(min_length=1)
    value: str = ""
    url: str = ""


class CardFields(_Fields):
    title: str = Field(min_length=1)
    subtitle: str = ""
    image: str = ""
    buttons: list[CardButton] = Field(default_factory=list)


ElementType = Literal["text", "choice", "image", "card"]
FIELD_MODELS: dict[str, type[_Fields]] = {
    "text": TextFields,
    "choice": ChoiceFields,
    "image": ImageFields,
    "card": CardFields,
}
