"""Content: typed message elements (text, choice, image, card) rendered through templates, and
shaped for the channel that shows them (:func:`for_channel`)."""

from __future__ import annotations

from workbench.content._channels import for_channel
from workbench.content._element import Element, make_element
from workbench.content._library import ContentLibrary, load_content
from workbench.content._types import FIELD_MODELS, ElementType

__all__ = [
    "FIELD_MODELS",
    "ContentLibrary",
    "Element",
    "ElementType",
    "for_channel",
    "load_content",
    "make_element",
]
