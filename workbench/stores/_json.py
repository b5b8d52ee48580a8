"""JSON as every JSON column stores it: compact text (portable across SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from typing import Any

_encode = json.JSONEncoder(separators=(",", ":")).encode


def dump_json(value: Any) -> str:
    """Compact JSON text, as every JSON column stores it."""
    return _encode(value)


def load_json(text: str | None) -> Any:
    """The value of a JSON column (``None`` for SQL NULL)."""
    return None if text is None else json.loads(text)
