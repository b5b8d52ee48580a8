"""JSON as every JSON column stores it: compact standard JSON text (portable across SQLite,
PostgreSQL, DuckDB and browsers).

A turn writes a few JSON values (the session, the events' payloads, changed variables), so
:func:`dump_json` writes them with orjson, ~10x faster than the stdlib's encoder for values this
small. Its text is UTF-8 (no ``\\u`` escapes), and NaN and the infinities are written as null,
as JavaScript's ``JSON.stringify`` does: the stdlib would write ``NaN``, which is not JSON and
which browsers, PostgreSQL and DuckDB refuse. Whatever orjson does not take as plain JSON data
(non-string keys, integers beyond 64 bits, subclasses of str, int, dict or list, dataclasses,
dates, nesting deeper than 254 levels, lone surrogates, cycles) goes to the stdlib's encoder,
which writes it as before or raises its own error. (orjson also writes enums as their values
and UUIDs as their text, where the stdlib refuses them.)

The stdlib's ``JSONEncoder.encode`` makes a new C encoder on every call, about half of its cost
for values this small, so the fallback keeps one per thread (each has its own ``markers``, the
dict in which it detects circular references) and makes a new one after a call that failed,
whose markers may be left over.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from json import encoder as _stdlib
from typing import Any

import orjson

_SEPARATORS = (",", ":")
_encode = json.JSONEncoder(separators=_SEPARATORS).encode
"""The stdlib's encoder: the reference, and the fallback without the C accelerator."""
_make_c_encoder: Any = getattr(_stdlib, "c_make_encoder", None)
_local = threading.local()
_encode_str: Callable[[str], str] = _stdlib.encode_basestring_ascii


def _default(value: Any) -> Any:
    """What ``JSONEncoder.default`` does."""
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _new_encoder() -> Any:
    """A C encoder set up as :data:`_encode`'s (``check_circular``, ``ensure_ascii``, ...)."""
    encoder = _make_c_encoder(
        {}, _default, _stdlib.encode_basestring_ascii, None, ":", ",", False, False, True
    )
    _local.encoder = encoder
    return encoder


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
    """The stdlib's compact text of ``value``, or its error, with a C encoder per thread."""
    if _make_c_encoder is None:
        return _encode(value)
    if type(value) is str:  # what JSONEncoder.encode does for a str first, too
        return _encode_str(value)
    try:
        encoder = _local.encoder
    except AttributeError:
        encoder = _new_encoder()
    try:
        return "".join(encoder(value, 0))
    except BaseException:
        _new_encoder()  # this one's markers may keep ids of the value that failed
        raise


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
