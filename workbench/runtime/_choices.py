"""Plain-text channels: answering a numbered choice by its number or its title."""

from __future__ import annotations

from workbench.schema import Session


def resolve_choice(session: Session | None, text: str) -> str:
    """The value of the choice ``text`` picks (``"2"`` or ``"Large"``), else ``text`` as is."""
    if session is None or not session.get("choices"):
        return text
    choices = session.get("choices") or []
    typed = text.strip()
    if typed.isdigit() and 1 <= int(typed) <= len(choices):
        return choices[int(typed) - 1]["value"]
    lowered = typed.lower()
    for choice in choices:
        if choice["title"].lower() == lowered:
            return choice["value"]
    return text
