"""A turn that made a value no store can keep: what failed, said in one short line.

Stores write values as JSON (see :func:`~workbench.stores.dump_json`); an integer of more than
4,300 digits (``{{ 10 ** 5000 }}``), an object an action returned that is not JSON, a cycle or
nesting deeper than the encoder goes make its ``save`` raise, with nothing staged. The runtime
then records a turn error instead (DESIGN.md: ``conv.say`` answers, never raises). Only this
failure path looks for the culprit; a turn that saves pays nothing for it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from workbench.engine import StepResult
from workbench.schema import TranscriptEvent
from workbench.stores import dump_json

UNSTORABLE = (ValueError, TypeError, RecursionError, OverflowError)
"""What a store's ``save`` raises for a value it cannot keep (the JSON encoder's errors)."""
_REASON_LIMIT = 120


def unstorable_message(
    exc: BaseException, result: StepResult | None, kept: list[TranscriptEvent]
) -> str:
    """The turn error's message, naming the variable (``state.n``) that cannot be stored.

    The payloads of the rows the failed turn keeps (the user's message) are checked too: one
    that cannot be stored is replaced by a note, so the turn error itself can be saved.
    """
    what = "a value of the turn"
    if result is not None:
        for name, value in _values(result):
            if not _storable(value):
                what = f"the value of {name}"
                break
    for row in kept:
        if row.payload and not _storable(row.payload):
            what = "the message's payload" if row.type == "user" else what
            row.payload.clear()
            row.payload["unstored"] = "the payload could not be stored"
    return f"cannot store {what}: {_reason(exc)}"


def _values(result: StepResult) -> Iterator[tuple[str, Any]]:
    session = result.session
    state: Mapping[str, Any] = session["state"] if session is not None else {}
    for scope, values in (("state", state), ("user", result.user_changes)):
        for key, value in values.items():
            yield f"{scope}.{key}", value
    for key, value in result.bot_changes.items():
        yield f"bot.{key}", value


def _storable(value: Any) -> bool:
    try:
        dump_json(value)
    except UNSTORABLE:
        return False
    return True


def _reason(exc: BaseException) -> str:
    """The encoder's reason, first sentence only and cut short (never a whole value)."""
    if isinstance(exc, RecursionError):
        return "it is nested too deeply"
    text = str(exc).split(";")[0].strip() or type(exc).__name__
    return text if len(text) <= _REASON_LIMIT else text[: _REASON_LIMIT - 3] + "..."
