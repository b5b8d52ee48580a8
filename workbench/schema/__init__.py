"""Value types shared by every layer: messages, replies, NLU results, state, transcripts."""

from __future__ import annotations

from workbench.schema._channel import CHANNELS, TEXT, WEB, Channel, channel_named
from workbench.schema._content import ContentRevision, RevisionAction
from workbench.schema._errors import (
    BotError,
    ConflictError,
    ContentError,
    Problem,
    TurnError,
    WorkbenchError,
)
from workbench.schema._messages import Choice, Entity, Message, NLUResult, Reply, ReplyJSON
from workbench.schema._state import (
    ConversationRecord,
    EventType,
    Frame,
    Session,
    TranscriptEvent,
)
from workbench.schema._text import cut, plural, short_repr, storable_text

__all__ = [
    "CHANNELS",
    "TEXT",
    "WEB",
    "BotError",
    "Channel",
    "Choice",
    "ConflictError",
    "ContentError",
    "ContentRevision",
    "ConversationRecord",
    "Entity",
    "EventType",
    "Frame",
    "Message",
    "NLUResult",
    "Problem",
    "Reply",
    "ReplyJSON",
    "RevisionAction",
    "Session",
    "TranscriptEvent",
    "TurnError",
    "WorkbenchError",
    "channel_named",
    "cut",
    "plural",
    "short_repr",
    "storable_text",
]
