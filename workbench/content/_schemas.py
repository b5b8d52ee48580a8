"""The built-in content types as JSON Schema (draft 7), with a UI-hint section for forms.

Each type is a schema of the element's fields (``type`` itself is not a field). Text that users
read is a *text value*: one string (the bot's default language) or one string per language
(``{en: Hello, fr: Bonjour}``); every string is a template. The ``x-ui`` section of a schema and of
its properties tells the content editor how to show a field: ``label`` (plain words), ``widget``
(``textarea``, ``url``, ``text``), ``help``, and the schema's ``order`` of fields. Custom types
declared in a bot folder are schemas in the same shape (see :mod:`workbench.content._types`).
"""

from __future__ import annotations

from typing import Any

LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
"""A language code: ``en``, ``fr``, ``pt-BR``."""

TEXT_VALUE: dict[str, Any] = {
    "oneOf": [
        {"type": "string"},
        {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": LANGUAGE_PATTERN},
            "additionalProperties": {"type": "string"},
        },
    ],
    "x-ui": {
        "widget": "text",
        "localized": True,
        "expects": "a text, or one text per language ({en: ..., fr: ...})",
    },
}
"""A string, or one string per language."""

VARIATIONS: dict[str, Any] = {
    "oneOf": [
        {"$ref": "#/definitions/text_value"},
        {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/text_value"}},
    ],
    "x-ui": {
        "label": "Message",
        "widget": "textarea",
        "variations": True,
        "expects": "a text, or a list of texts (one is picked at random)",
        "help": "What the bot says. Several variations: one is picked at random.",
    },
}

CHOICE_ITEM: dict[str, Any] = {
    "x-ui": {"expects": "a text (the title and the value), or {title, value}"},
    "oneOf": [
        {"type": "string", "minLength": 1},
        {"type": "number"},  # "choices: [1, 2, 3]": its text is the title and the value
        {
            "type": "object",
            "required": ["title", "value"],
            "additionalProperties": False,
            "properties": {
                "title": {"$ref": "#/definitions/text_value", "x-ui": {"label": "Button"}},
                "value": {
                    "type": "string",
                    "minLength": 1,
                    "x-ui": {"label": "Value sent", "help": "What the bot receives."},
                },
            },
        },
    ],
}

BUTTON: dict[str, Any] = {
    "type": "object",
    "required": ["title"],
    "additionalProperties": False,
    "properties": {
        "title": {"$ref": "#/definitions/text_value", "x-ui": {"label": "Button"}},
        "value": {"type": "string", "x-ui": {"label": "Value sent"}},
        "url": {"type": "string", "x-ui": {"label": "Link", "widget": "url"}},
    },
}

CARD: dict[str, Any] = {
    "type": "object",
    "required": ["title"],
    "additionalProperties": False,
    "properties": {
        "title": {"$ref": "#/definitions/text_value", "x-ui": {"label": "Title"}},
        "subtitle": {"$ref": "#/definitions/text_value", "x-ui": {"label": "Subtitle"}},
        "image": {"type": "string", "x-ui": {"label": "Image address", "widget": "url"}},
        "buttons": {
            "type": "array",
            "items": {"$ref": "#/definitions/button"},
            "x-ui": {"label": "Buttons"},
        },
    },
    "x-ui": {"order": ["title", "subtitle", "image", "buttons"]},
}

DEFINITIONS: dict[str, Any] = {
    "text_value": TEXT_VALUE,
    "variations": VARIATIONS,
    "choice": CHOICE_ITEM,
    "button": BUTTON,
    "card": CARD,
}
"""Shared by every type's schema (``#/definitions/...``); custom types may use them too."""


def _type(
    title: str, properties: dict[str, Any], required: list[str], order: list[str]
) -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": title,
        "type": "object",
        "required": required,
        "additionalProperties": False,
        "properties": properties,
        "definitions": DEFINITIONS,
        "x-ui": {"order": order},
    }


BUILTIN_TYPES: dict[str, dict[str, Any]] = {
    "text": _type("Text", {"text": {"$ref": "#/definitions/variations"}}, ["text"], ["text"]),
    "choice": _type(
        "Question with choices",
        {
            "text": {"$ref": "#/definitions/variations"},
            "choices": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/definitions/choice"},
                "x-ui": {"label": "Choices", "help": "Buttons the user can click."},
            },
        },
        ["text", "choices"],
        ["text", "choices"],
    ),
    "image": _type(
        "Image",
        {
            "image": {
                "type": "string",
                "minLength": 1,
                "x-ui": {"label": "Image address", "widget": "url"},
            },
            "title": {"$ref": "#/definitions/text_value", "x-ui": {"label": "Caption"}},
        },
        ["image"],
        ["image", "title"],
    ),
    "card": _type("Card", CARD["properties"], ["title"], CARD["x-ui"]["order"]),
    "carousel": _type(
        "Carousel",
        {
            "text": {"$ref": "#/definitions/text_value", "x-ui": {"label": "Introduction"}},
            "cards": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/definitions/card"},
                "x-ui": {"label": "Cards"},
            },
        },
        ["cards"],
        ["text", "cards"],
    ),
}
"""The built-in types: text (with variations), choice, image, card, carousel."""
