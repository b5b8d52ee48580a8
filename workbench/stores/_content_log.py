"""The history of a bot's content elements: every revision, who made it, when, its fields.

``store.content_log`` (a :class:`ContentLog`) keeps it; the content manager
(:class:`~workbench.runtime.ContentManager`) writes the files and asks the log to record. An
edit of one element holds that element's lock (:meth:`ContentLog.edit`) from reading its latest
revision to recording the next: two editors saving the same element at once cannot both win,
and the second one sees the first one's revision as its conflict.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from workbench.schema import ConflictError, ContentRevision
from workbench.stores._locks import KeyedLocks

__all__ = ["ContentEdit", "ContentLog", "MemoryContentLog", "PendingEdit"]


class ContentEdit(Protocol):
    """One element being edited: its latest revision, and what to record."""

    latest: ContentRevision | None

    def record(self, revision: ContentRevision) -> None:
        """Record ``revision`` (``latest.revision + 1``) when the edit ends normally."""
        ...


class ContentLog(Protocol):
    """Revisions of content elements, by bot."""

    def edit(self, bot: str, element_id: str) -> AbstractContextManager[ContentEdit]:
        """Lock the element for an edit (threads and processes of this store) and read its
        latest revision; the revision recorded is written when the ``with`` block ends, or a
        :class:`~workbench.ConflictError` says another edit recorded that number first."""
        ...

    def history(self, bot: str, element_id: str) -> list[ContentRevision]:
        """Every revision of the element, newest first."""
        ...

    def latest(
        self, bot: str, element_ids: Sequence[str] | None = None
    ) -> dict[str, ContentRevision]:
        """The latest revision of each element (of those named, or all)."""
        ...

    def record(self, bot: str, revisions: Sequence[ContentRevision]) -> None:
        """Record revisions without a lock; a number already there is left as it is (two
        processes noticing the same hand edit record it once)."""
        ...


class PendingEdit:
    """A :class:`ContentEdit` under way: the latest revision read, the one recorded."""

    def __init__(self, latest: ContentRevision | None) -> None:
        self.latest = latest
        self.recorded: ContentRevision | None = None

    def record(self, revision: ContentRevision) -> None:
        self.recorded = revision


class MemoryContentLog:
    """:class:`ContentLog` in process memory (the memory store's)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._locks = KeyedLocks()
        self._revisions: dict[tuple[str, str], list[ContentRevision]] = {}

    @contextmanager
    def edit(self, bot: str, element_id: str) -> Iterator[ContentEdit]:
        held = self._locks.acquire(bot, f"\0content:{element_id}")
        try:
            edit = PendingEdit(self._latest(bot, element_id))
            yield edit
            if edit.recorded is not None:
                self._append(bot, [edit.recorded], strict=True)
        finally:
            self._locks.release(held)

    def history(self, bot: str, element_id: str) -> list[ContentRevision]:
        with self._lock:
            return list(reversed(self._revisions.get((bot, element_id), [])))

    def latest(
        self, bot: str, element_ids: Sequence[str] | None = None
    ) -> dict[str, ContentRevision]:
        with self._lock:
            if element_ids is None:
                element_ids = [e for (b, e) in self._revisions if b == bot]
            found = {e: self._revisions.get((bot, e)) for e in element_ids}
        return {e: revisions[-1] for e, revisions in found.items() if revisions}

    def record(self, bot: str, revisions: Sequence[ContentRevision]) -> None:
        self._append(bot, revisions, strict=False)

    def _latest(self, bot: str, element_id: str) -> ContentRevision | None:
        with self._lock:
            revisions = self._revisions.get((bot, element_id))
            return revisions[-1] if revisions else None

    def _append(self, bot: str, revisions: Sequence[ContentRevision], *, strict: bool) -> None:
        with self._lock:
            for revision in revisions:
                kept = self._revisions.setdefault((bot, revision.element_id), [])
                if revision.revision == len(kept) + 1:
                    kept.append(revision)
                elif strict:
                    raise ConflictError(
                        f"content element {revision.element_id!r}: revision "
                        f"{revision.revision} was recorded by another edit first"
                    )
