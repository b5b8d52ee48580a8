"""JSON answers: orjson, and the standard library for what orjson refuses (integers beyond 64
bits, which a payload may hold: JSON has no limit, and the store keeps them as sent)."""

from __future__ import annotations

import json

import orjson


def json_bytes(data: object) -> bytes:
    try:
        return orjson.dumps(data)
    except TypeError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
