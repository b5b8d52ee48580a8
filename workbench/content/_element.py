"""A content element: validated fields with their templates compiled, rendered into replies."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from workbench.content._types import FIELD_MODELS
from workbench.expressions import ExpressionError, Template, compile_template
from workbench.schema import Choice, ContentError, Reply


@dataclass(frozen=True)
class Element:
    """A content element as editors see it: ``id``, ``type``, ``fields`` and ``revision``."""

    id: str
    type: str
    fields: dict[str, Any]
    revision: int = 1
    file: str = ""
    line: int = 0
    _compiled: Any = field(default=None, repr=False, compare=False)
    _static: bool = field(default=False, repr=False, compare=False)

    @property
    def static(self) -> bool:
        """No field is a template: it renders the same whatever the variables."""
        return self._static

    def render(
        self,
        names: Mapping[str, Any],
        rng: random.Random | None = None,
        language: str | None = None,
    ) -> Reply:
        """The reply this element gives, whole, with its templates rendered over ``names``
        (shape it for a channel with :func:`~workbench.content.for_channel`).

        ``language`` is the conversation's; an element's fields hold one text for every
        language for now (per-language values are the content manager's next step).
        """
        compiled: Any = self._compiled
        return _render(self, compiled, names, rng or random.Random())


def _compile(value: Any, where: str) -> Any:
    if isinstance(value, str):
        try:
            return compile_template(value)
        except ExpressionError as exc:
            raise ContentError(f"{where}: bad template {value!r}: {exc}") from None
    if isinstance(value, dict):
        return {k: _compile(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_compile(v, f"{where}[{i}]") for i, v in enumerate(value)]
    return value


def make_element(
    element_id: str, data: Mapping[str, Any], *, revision: int = 1, file: str = "", line: int = 0
) -> Element:
    """Validate an element's data (``type`` defaults to text); raises ContentError naming the
    element and the field."""
    fields = {k: v for k, v in data.items() if k != "type"}
    kind = str(data.get("type", "text"))
    model = FIELD_MODELS.get(kind)
    label = f"content element {element_id!r}" if element_id else "inline element"
    if model is None:
        known = ", ".join(FIELD_MODELS)
        raise ContentError(f"{label}: unknown type {kind!r} (known: {known})")
    try:
        clean = model.model_validate(fields).model_dump(mode="json")
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        message = "unknown field" if first["type"] == "extra_forbidden" else first["msg"]
        raise ContentError(f"{label}: field {loc!r}: {message}") from None
    compiled = _compile(clean, label)
    static = all(t.is_static for t in _templates(compiled))
    return Element(element_id, kind, clean, revision, file, line, compiled, static)


def _templates(value: Any) -> list[Template]:
    if isinstance(value, Template):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _templates(v)]
    if isinstance(value, list):
        return [t for v in value for t in _templates(v)]
    return []


def _text(value: Any, names: Mapping[str, Any]) -> str:
    return value.render(names) if isinstance(value, Template) else str(value)


def _render(element: Element, c: Any, names: Mapping[str, Any], rng: random.Random) -> Reply:
    kind = element.type
    if kind in ("text", "choice"):
        variations = c["text"]
        text = _text(variations[rng.randrange(len(variations))], names)
        choices: tuple[Choice, ...] = ()
        if kind == "choice":
            choices = tuple(
                Choice(_text(ch["title"], names), _text(ch["value"], names)) for ch in c["choices"]
            )
        return Reply(kind, text, choices, element=element.id)
    if kind == "image":
        title = _text(c["title"], names)
        image = {"image": _text(c["image"], names), "title": title}
        return Reply("image", title, (), image, element=element.id)
    buttons = [{k: text for k, v in b.items() if (text := _text(v, names))} for b in c["buttons"]]
    extra: dict[str, Any] = {
        "title": _text(c["title"], names),
        "subtitle": _text(c["subtitle"], names),
        "image": _text(c["image"], names),
        "buttons": buttons,
    }
    choices = tuple(Choice(b["title"], b["value"]) for b in buttons if b.get("value"))
    return Reply("card", extra["title"], choices, extra, element=element.id)
