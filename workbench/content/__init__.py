"""Content: typed message elements checked against JSON Schemas (text, choice, image, card,
carousel, and a bot's own types), in one or several languages, rendered through templates and
shaped for the channel that shows them (:func:`for_channel`)."""

from __future__ import annotations

from workbench.content._channels import for_channel
from workbench.content._element import Element, make_element
from workbench.content._files import element_yaml, write_element
from workbench.content._library import (
    ContentLibrary,
    FileCache,
    Signature,
    content_signature,
    load_content,
    load_types,
    strings_of,
)
from workbench.content._localized import Localized
from workbench.content._schemas import BUILTIN_TYPES, LANGUAGE_PATTERN
from workbench.content._types import TYPES, ContentType, Renderer, custom_type

__all__ = [
    "BUILTIN_TYPES",
    "LANGUAGE_PATTERN",
    "TYPES",
    "ContentLibrary",
    "ContentType",
    "Element",
    "FileCache",
    "Localized",
    "Renderer",
    "Signature",
    "content_signature",
    "custom_type",
    "element_yaml",
    "for_channel",
    "load_content",
    "load_types",
    "make_element",
    "strings_of",
    "write_element",
]
