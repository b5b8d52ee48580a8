"""JSON as every JSON column stores it: compact text (portable across SQLite and PostgreSQL).

A turn writes a few JSON values (the session, the events' payloads, changed variables).
``JSONEncoder.encode`` makes a new C encoder on every call, about half of its cost for values
this small, so :func:`dump_json` keeps one per thread (each has its own ``markers``, the dict in
which it detects circular references) and makes a new one after a call that failed, whose
markers may be left over. The text, and the errors, are those of ``JSONEncoder.encode``.
"""

from __future__ import annotations

import json
import threading
from json import encoder as _stdlib
from typing import Any

_SEPARATORS = (",", ":")
_encode = json.JSONEncoder(separators=_SEPARATORS).encode
"""The stdlib's encoder: the reference, and the fallback without the C accelerator."""
_make_c_encoder: Any = getattr(_stdlib, "c_make_encoder", None)
_local = threading.local()


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


def dump_json(value: Any) -> str:
    """Compact JSON text, as every JSON column stores it."""
    if _make_c_encoder is None:
        return _encode(value)
    try:
        encoder = _local.encoder
    except AttributeError:
        encoder = _new_encoder()
    try:
        return "".join(encoder(value, 0))
    except BaseException:
        _new_encoder()  # this one's markers may keep ids of the value that failed
        raise


def load_json(text: str | None) -> Any:
    """The value of a JSON column (``None`` for SQL NULL)."""
    return None if text is None else json.loads(text)
