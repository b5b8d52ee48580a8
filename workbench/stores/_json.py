"""JSON as every JSON column stores it: compact standard JSON text (portable across SQLite,
PostgreSQL, DuckDB and browsers).

A turn writes a few JSON values (the session, the events' payloads, changed variables), so
:func:`dump_json` writes them with orjson, ~10x faster than the stdlib's encoder for values this
small. Its text is UTF-8 (no ``\\u`` escapes), and NaN and the infinities are written as null,
as JavaScript's ``JSON.stringify`` does: the stdlib would write ``NaN``, which is not JSON and
which browsers, PostgreSQL and DuckDB refuse. Whatever orjson does not take as plain JSON data
(non-string keys, integers beyond 64 bits, subclasses of str, int, dict or list, dataclasses,
dates, nesting deeper than 254 levels, lone surrogates, cycles) goes to the stdlib's encoder,
which writes it as before (NaN and the infinities as null there too) or raises its own error.
(orjson also writes enums as their values and UUIDs as their text, where the stdlib refuses them.)
"""

from __future__ import annotations

import json
import math
from typing import Any

import orjson

_stdlib_strict = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode
"""The stdlib's compact encoder, refusing NaN and the infinities (see :func:`_stdlib_dump`)."""
_NOT_FINITE = "Out of range float values are not JSON compliant"
"""The start of the stdlib's error for NaN and the infinities when it refuses them."""


_ORJSON_OPTIONS = (
    orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
)
"""What orjson would write differently from the stdlib goes to ``default``, which refuses it."""
_orjson_dumps = orjson.dumps


def _refuse(value: Any) -> Any:
    raise TypeError  # orjson then raises, and dump_json asks the stdlib


def dump_json(value: Any) -> str:
    """Compact JSON text, as every JSON column stores it (see the module docstring)."""
    try:
        return _orjson_dumps(value, _refuse, _ORJSON_OPTIONS).decode()
    except TypeError:  # orjson.JSONEncodeError is one
        return _stdlib_dump(value)


def _stdlib_dump(value: Any) -> str:
    """The stdlib's compact text of ``value`` with NaN and the infinities as null, or its error."""
    try:
        return _stdlib_strict(value)
    except ValueError as error:
        if not str(error).startswith(_NOT_FINITE):
            raise
    return _stdlib_strict(_finite(value, set()))


def _finite(value: Any, open_ids: set[int]) -> Any:
    """``value`` with every NaN or infinite float replaced by None (``open_ids``: the containers
    being copied, to report a cycle as the stdlib does)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if not isinstance(value, (dict, list, tuple)):
        return value
    if id(value) in open_ids:
        raise ValueError("Circular reference detected")
    open_ids.add(id(value))
    try:
        if isinstance(value, dict):
            return {key: _finite(item, open_ids) for key, item in value.items()}
        return [_finite(item, open_ids) for item in value]
    finally:
        open_ids.discard(id(value))


_decoder: Any = json.decoder.JSONDecoder()
_scan_once = _decoder.scan_once
"""The scanner ``json.loads`` ends up in, called directly (see :func:`load_json`)."""


def load_json(text: str | None) -> Any:
    """The value of a JSON column (``None`` for SQL NULL).

    Columns hold :func:`dump_json` text: one value, no surrounding whitespace. Such text is
    scanned directly, skipping ``json.loads``'s three Python-level calls and two regex matches;
    anything else (whitespace, extra data, bytes, an error) goes through ``json.loads``, so the
    values and the errors are its own. (The stdlib reads ``NaN`` that older rows may hold.)
    """
    if text is None:
        return None
    if type(text) is str:
        try:
            value, end = _scan_once(text, 0)
        except (StopIteration, ValueError):
            return json.loads(text)
        if end == len(text):
            return value
    return json.loads(text)
