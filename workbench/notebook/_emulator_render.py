"""HTML of the emulator's chat log: bubbles, choices, cards and images, every text escaped."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

from workbench.schema import Reply

LOG_HEIGHT = "380px"
MAX_ENTRIES = 400
"""The log shows the newest entries only, so a long session does not grow the widget forever."""

_USER = (
    "align-self:flex-end;background:#1976d2;color:#fff;border-radius:12px 12px 2px 12px;"
    "padding:6px 10px;margin:3px 0;max-width:75%;white-space:pre-wrap;word-wrap:break-word"
)
_BOT = (
    "align-self:flex-start;background:#eceff1;color:#212121;border-radius:12px 12px 12px 2px;"
    "padding:6px 10px;margin:3px 0;max-width:75%;white-space:pre-wrap;word-wrap:break-word"
)
_NOTE = "align-self:center;color:#757575;font-size:11px;margin:4px 0;font-style:italic"
_ERROR = (
    "align-self:flex-start;color:#b71c1c;background:#ffebee;border:1px solid #e57373;"
    "border-radius:6px;padding:4px 8px;margin:3px 0;font-size:12px;max-width:85%"
)
_CHIP = (
    "display:inline-block;border:1px solid #1976d2;color:#1976d2;border-radius:10px;"
    "padding:0 6px;margin:2px 2px 0 0;font-size:11px;background:#fff"
)


@dataclass(frozen=True)
class LogEntry:
    """One line of the chat log: a user bubble, a bot reply, a note or a turn error."""

    kind: str  # "user" | "bot" | "note" | "error"
    text: str = ""
    reply: Reply | None = None
    who: str = ""


def safe_url(url: str) -> str | None:
    """``url`` if it is safe to put in ``src``/``href`` (http(s), a relative path or a data
    image); None otherwise (``javascript:`` and friends are never emitted)."""
    url = url.strip()
    if not url:
        return None
    if url.lower().startswith("data:image/"):
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme in ("http", "https") or (not parts.scheme and not parts.netloc):
        return url
    return None


def _image(url: str, alt: str) -> str:
    src = safe_url(url)
    if src is None:
        return f"<div style='font-size:11px;color:#757575'>[image: {escape(url)}]</div>"
    return (
        f"<img src='{escape(src, quote=True)}' alt='{escape(alt, quote=True)}' "
        "style='max-width:220px;max-height:160px;border-radius:6px;display:block;margin:2px 0'>"
    )


def _chips(reply: Reply) -> str:
    if not reply.choices:
        return ""
    chips = "".join(f"<span style='{_CHIP}'>{escape(c.title)}</span>" for c in reply.choices)
    return f"<div>{chips}</div>"


def _card(reply: Reply) -> str:
    extra = reply.extra
    parts = []
    if extra.get("image"):
        parts.append(_image(str(extra["image"]), str(extra.get("title", ""))))
    parts.append(f"<div style='font-weight:600'>{escape(str(extra.get('title', '')))}</div>")
    if extra.get("subtitle"):
        subtitle = escape(str(extra["subtitle"]))
        parts.append(f"<div style='font-size:12px;color:#546e7a'>{subtitle}</div>")
    for button in extra.get("buttons") or []:
        title = escape(str(button.get("title", "")))
        href = safe_url(str(button.get("url", "")))
        if href is not None:
            link = escape(href, quote=True)
            parts.append(
                f"<a href='{link}' target='_blank' rel='noopener noreferrer' "
                f"style='{_CHIP};text-decoration:none'>{title} ↗</a>"
            )
        elif button.get("value"):
            parts.append(f"<span style='{_CHIP}'>{title}</span>")
    return "".join(parts)


def reply_html(reply: Reply) -> str:
    """The inside of a bot bubble for one reply, by type."""
    if reply.type == "image":
        url = str(reply.extra.get("image", ""))
        title = str(reply.extra.get("title", ""))
        caption = f"<div style='font-size:12px'>{escape(title)}</div>" if title else ""
        return _image(url, title) + caption
    if reply.type == "card":
        return _card(reply)
    return escape(reply.text) + _chips(reply)


def entry_html(entry: LogEntry) -> str:
    if entry.kind == "user":
        who = (
            f"<div style='font-size:10px;opacity:.8'>{escape(entry.who)}</div>" if entry.who else ""
        )
        return f"<div class='wb-user' style='{_USER}'>{who}{escape(entry.text)}</div>"
    if entry.kind == "bot" and entry.reply is not None:
        kind = escape(entry.reply.type, quote=True)
        return f"<div class='wb-bot wb-{kind}' style='{_BOT}'>{reply_html(entry.reply)}</div>"
    if entry.kind == "error":
        return f"<div class='wb-error' style='{_ERROR}'>⚠ {escape(entry.text)}</div>"
    return f"<div class='wb-note' style='{_NOTE}'>{escape(entry.text)}</div>"


def log_html(entries: list[LogEntry]) -> str:
    """The whole log. ``column-reverse`` keeps the newest message in view as the log grows."""
    hidden = max(0, len(entries) - MAX_ENTRIES)
    inner = "".join(entry_html(e) for e in entries[hidden:]) or (
        f"<div style='{_NOTE}'>Say something to start the conversation.</div>"
    )
    if hidden:
        inner = f"<div style='{_NOTE}'>… {hidden} earlier entries not shown</div>" + inner
    return (
        f"<div style='height:{LOG_HEIGHT};overflow-y:auto;display:flex;"
        "flex-direction:column-reverse;border:1px solid #cfd8dc;border-radius:6px;"
        "padding:6px;font-family:var(--jp-ui-font-family, sans-serif);font-size:13px'>"
        f"<div style='display:flex;flex-direction:column'>{inner}</div></div>"
    )
