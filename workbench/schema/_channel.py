"""Channels: where a conversation happens, and what its replies may contain there."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.schema._errors import WorkbenchError


@dataclass(frozen=True)
class Channel:
    """A channel and its capabilities. Replies are rendered once, then shaped for the channel:
    what it cannot show (buttons, cards, images) is written into the reply's text instead."""

    name: str
    quick_replies: bool = False
    """Choices as buttons; without them they are numbered inside the text ("2" answers)."""
    cards: bool = False
    """Cards (title, subtitle, image, buttons); without them: title + text + links."""
    carousels: bool = False
    """Several cards side by side."""
    images: bool = False
    """Images shown inline; without them: the title and the image's address."""
    markdown: bool = False
    """Text may use Markdown."""


WEB = Channel("web", quick_replies=True, cards=True, carousels=True, images=True, markdown=True)
"""Web chat, the emulator, the Python API and the server's JSON: structured replies."""
TEXT = Channel("text")
"""Plain text (a terminal, SMS): everything written into the text."""
CHANNELS: dict[str, Channel] = {WEB.name: WEB, TEXT.name: TEXT}
"""The built-in channels by name."""


def channel_named(channel: str | Channel) -> Channel:
    """The channel itself, or the built-in one of that name."""
    if isinstance(channel, Channel):
        return channel
    try:
        return CHANNELS[channel]
    except KeyError:
        known = ", ".join(CHANNELS)
        raise WorkbenchError(
            f"unknown channel {channel!r} (built in: {known}; or pass a workbench.Channel)"
        ) from None
