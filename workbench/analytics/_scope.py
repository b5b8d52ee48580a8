"""Which conversations an :class:`~workbench.analytics.Analytics` looks at: a date range, a
channel, a flow they went through, real or simulated (``analytics.filter(...)``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from typing import Any

from workbench.analytics._errors import AnalyticsError
from workbench.analytics._extensions import quote_literal

__all__ = ["Scope"]

When = dt.date | dt.datetime | str | None


def _moment(value: When, name: str, *, end: bool) -> dt.datetime | None:
    """A UTC datetime from a date, datetime or ISO text; an end date means the whole day."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise AnalyticsError(f"{name}={value!r}: not a date (YYYY-MM-DD)") from None
        value = parsed.date() if len(value.strip()) == 10 else parsed
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    moment = dt.datetime.combine(value, dt.time())
    return moment + dt.timedelta(days=1) if end else moment


@dataclass(frozen=True)
class Scope:
    """Conversations started in ``[start, end]`` (an end date includes its whole day, UTC), on
    ``channel``, that went through ``flow``, ``simulated`` or real (None: no condition)."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None
    channel: str | None = None
    flow: str | None = None
    simulated: bool | None = None

    @classmethod
    def of(
        cls,
        start: When = None,
        end: When = None,
        channel: str | None = None,
        flow: str | None = None,
        simulated: bool | None = None,
    ) -> Scope:
        return cls(
            _moment(start, "start", end=False),
            _moment(end, "end", end=True),
            channel or None,
            flow or None,
            simulated,
        )

    def narrowed(self, other: Scope) -> Scope:
        """This scope with ``other``'s conditions added (they replace the same ones)."""
        changes: dict[str, Any] = {
            f.name: getattr(other, f.name)
            for f in fields(other)
            if getattr(other, f.name) is not None
        }
        return replace(self, **changes)

    def condition(self) -> str | None:
        """SQL on ``all_conversations``, or None for every conversation."""
        parts = []
        if self.start is not None:
            parts.append(f"started_at >= TIMESTAMP {quote_literal(self.start.isoformat())}")
        if self.end is not None:
            parts.append(f"started_at < TIMESTAMP {quote_literal(self.end.isoformat())}")
        if self.channel is not None:
            parts.append(f"channel = {quote_literal(self.channel)}")
        if self.flow is not None:
            parts.append(f"list_contains(flows, {quote_literal(self.flow)})")
        if self.simulated is not None:
            parts.append("simulated" if self.simulated else "NOT simulated")
        return " AND ".join(parts) or None

    def describe(self) -> str:
        """The conditions in words ("" for none)."""
        words = []
        if self.start is not None or self.end is not None:
            end = self.end - dt.timedelta(microseconds=1) if self.end is not None else None
            words.append(f"started {_day(self.start)} to {_day(end)}")
        if self.channel is not None:
            words.append(f"channel {self.channel}")
        if self.flow is not None:
            words.append(f"through flow {self.flow}")
        if self.simulated is not None:
            words.append("simulated" if self.simulated else "real")
        return ", ".join(words)


def _day(moment: dt.datetime | None) -> str:
    return "…" if moment is None else moment.date().isoformat()
