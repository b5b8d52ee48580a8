"""Shaping a rendered reply for a channel: the one place that decides what each channel shows.

A reply is rendered once, whole (text, choices, image, card fields), then shaped here by the
channel's capabilities (:class:`~workbench.schema.Channel`): what the channel cannot show is
written into the text, so nothing the bot says is lost on a plain-text channel.
"""

from __future__ import annotations

from workbench.schema import Channel, Choice, Reply


def for_channel(reply: Reply, channel: Channel) -> Reply:
    """``reply`` as ``channel`` shows it (the reply itself when the channel shows it all)."""
    kind = reply.type
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
    extra = reply.extra
    lines = [str(extra.get(key)) for key in ("title", "subtitle") if extra.get(key)]
    if extra.get("image"):
        lines.append(f"[image: {extra['image']}]")
    lines += [f"{b['title']}: {b['url']}" for b in extra.get("buttons", ()) if b.get("url")]
    text = "\n".join(lines)
    if reply.choices and not channel.quick_replies:
        return Reply("text", _numbered(text, reply.choices), element=reply.element)
    return Reply("text", text, reply.choices, element=reply.element)


def _numbered(text: str, choices: tuple[Choice, ...]) -> str:
    """The text, then one line per choice: ``  1. Small`` (answered by number or title)."""
    lines = [text] if text else []
    lines += [f"  {i}. {choice.title}" for i, choice in enumerate(choices, 1)]
    return "\n".join(lines)
