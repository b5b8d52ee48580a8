"""Rendering an element into the one reply shape, in a language, with its templates filled in.

A custom type renders through its ``@renderer`` (given the fields rendered: plain strings, in
the conversation's language) or, without one, as a reply of its own type whose text is the
``text`` or ``title`` field and whose other fields ride along.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from workbench.content._localized import Localized
from workbench.expressions import Template
from workbench.schema import Choice, ContentError, Reply

if TYPE_CHECKING:
    from workbench.content._element import Element


class _Renderer:
    """Renders one element's values: templates over ``names``, texts in the language."""

    __slots__ = ("default", "language", "names")

    def __init__(self, names: Mapping[str, Any], language: str | None, default: str | None):
        self.names, self.language, self.default = names, language, default

    def text(self, value: Any) -> str:
        if type(value) is Localized:
            value = value.pick(self.language, self.default)
        if type(value) is Template:
            return value.render(self.names)
        return "" if value is None else str(value)

    def value(self, value: Any) -> Any:
        """Every template inside ``value`` rendered (texts in the conversation's language)."""
        if isinstance(value, Localized | Template):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value

    def card(self, card: Mapping[str, Any]) -> dict[str, Any]:
        text = self.text
        buttons = [{k: t for k, v in b.items() if (t := text(v))} for b in card.get("buttons", ())]
        return {
            "title": text(card.get("title")),
            "subtitle": text(card.get("subtitle")),
            "image": text(card.get("image")),
            "buttons": buttons,
        }


def _button_choices(buttons: list[dict[str, str]]) -> tuple[Choice, ...]:
    return tuple(Choice(b["title"], b["value"]) for b in buttons if b.get("value"))


def render_element(
    element: Element,
    names: Mapping[str, Any],
    rng: random.Random,
    language: str | None,
    default: str | None,
) -> Reply:
    r = _Renderer(names, language, default)
    c: Any = element._compiled
    kind = element.type
    if kind in ("text", "choice"):
        variations = c["text"]
        text = r.text(variations[rng.randrange(len(variations))])
        choices: tuple[Choice, ...] = ()
        if kind == "choice":
            choices = tuple(Choice(r.text(ch["title"]), r.text(ch["value"])) for ch in c["choices"])
        return Reply(kind, text, choices, element=element.id)
    if kind == "image":
        title = r.text(c.get("title"))
        return Reply("image", title, (), {"image": r.text(c["image"]), "title": title}, element.id)
    if kind == "card":
        card = r.card(c)
        return Reply("card", card["title"], _button_choices(card["buttons"]), card, element.id)
    if kind == "carousel":
        cards = [r.card(each) for each in c["cards"]]
        offered = tuple(ch for card in cards for ch in _button_choices(card["buttons"]))
        return Reply("carousel", r.text(c.get("text")), offered, {"cards": cards}, element.id)
    return _custom(element, r.value(c), language)


def _custom(element: Element, fields: dict[str, Any], language: str | None) -> Reply:
    """A custom type's reply: its renderer's, or its fields as they are."""
    kind = element._kind
    renderer = kind.renderer if kind is not None else None
    if renderer is None:
        text = str(fields.get("text") or fields.get("title") or "")
        extra = {k: v for k, v in fields.items() if k != "text"}
        return Reply(element.type, text, (), extra, element.id)
    try:
        made = renderer(fields, language=language)
    except Exception as exc:  # the bot's own code: its failure is the turn's, with the cause
        raise ContentError(
            f"the renderer of content type {element.type!r} failed: {type(exc).__name__}: {exc}",
            element=element.id,
        ) from exc
    if isinstance(made, Reply):
        return (
            made
            if made.element
            else Reply(made.type, made.text, made.choices, made.extra, element.id)
        )
    if isinstance(made, Mapping):
        data = dict(made)
        data.setdefault("type", element.type)
        reply = Reply.from_json(data)
        return Reply(reply.type, reply.text, reply.choices, reply.extra, element.id)
    raise ContentError(
        f"the renderer of content type {element.type!r} returned {type(made).__name__}: "
        "it must return a reply dict ({'type', 'text', ...}) or a Reply",
        element=element.id,
    )
