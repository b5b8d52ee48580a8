"""Shaping a rendered reply for a channel: the one place that decides what each channel shows.

A reply is rendered once, whole (text, choices, image, card fields), then shaped here by the
channel's capabilities (:class:`~workbench.schema.Channel`): what the channel cannot show is
written into the text, so nothing the bot says is lost on a plain-text channel.
"""

from __future__ import annotations

from typing import Any

from workbench.schema import Channel, Choice, Reply


def for_channel(reply: Reply, channel: Channel) -> Reply:
    """``reply`` as ``channel`` shows it (the reply itself when the channel shows it all)."""
    kind = reply.type
    if kind == "carousel" and not channel.carousels:
        return _carousel_as_cards(reply, channel)
    if kind == "card" and not channel.cards:
        return _card_as_text(reply, channel)
    if kind == "image" and not channel.images:
        lines = [reply.text] if reply.text else []
        lines.append(f"[image: {reply.extra.get('image', '')}]")
        return Reply("text", "\n".join(lines), element=reply.element)
    if reply.choices and not channel.quick_replies:
        return Reply("text", _numbered(reply.text, reply.choices), element=reply.element)
    return reply


def _card_as_text(reply: Reply, channel: Channel) -> Reply:
    """A card as title, subtitle, image address and links; its value buttons are choices."""
    return _as_text(_card_lines(reply.extra), reply, channel)


def _carousel_as_cards(reply: Reply, channel: Channel) -> Reply:
    """A carousel on a channel without carousels: its cards one after the other, as text when
    the channel has no cards either (a channel with cards but no carousels gets the first card
    and the others as text would be odd: it gets them all as text)."""
    blocks = ["\n".join(_card_lines(card)) for card in reply.extra.get("cards", ())]
    lines = ([reply.text] if reply.text else []) + ["\n\n".join(blocks)]
    return _as_text(lines, reply, channel)


def _card_lines(card: dict[str, Any]) -> list[str]:
    lines = [str(card.get(key)) for key in ("title", "subtitle") if card.get(key)]
    if card.get("image"):
        lines.append(f"[image: {card['image']}]")
    lines += [f"{b['title']}: {b['url']}" for b in card.get("buttons", ()) if b.get("url")]
    return lines


def _as_text(lines: list[str], reply: Reply, channel: Channel) -> Reply:
    text = "\n".join(lines)
    if reply.choices and not channel.quick_replies:
        return Reply("text", _numbered(text, reply.choices), element=reply.element)
    return Reply("text", text, reply.choices, element=reply.element)


def _numbered(text: str, choices: tuple[Choice, ...]) -> str:
    """The text, then one line per choice: ``  1. Small`` (answered by number or title)."""
    lines = [text] if text else []
    lines += [f"  {i}. {choice.title}" for i, choice in enumerate(choices, 1)]
    return "\n".join(lines)
