"""The content log (:class:`~workbench.stores.ContentLog`) of a SQL store: table
``wb_content_revisions``, one row per revision, ``(bot, element_id, revision)`` unique.

An edit holds the element's lock (the store's conversation locks, on a key no conversation can
have) from reading the latest revision to inserting the next; across PostgreSQL instances, which
share no locks, the unique key refuses the second of two editors recording the same number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Column,
    Double,
    Engine,
    Index,
    Integer,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.exc import IntegrityError

from workbench.schema import ConflictError, ContentRevision, RevisionAction
from workbench.stores._content_log import PendingEdit
from workbench.stores._json import dump_json, load_json
from workbench.stores._statements import dialect_insert
from workbench.stores._tables import metadata

__all__ = ["SQLContentLog", "content_revisions"]

content_revisions = Table(
    "wb_content_revisions",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("bot", Text, nullable=False),
    Column("element_id", Text, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("author", Text, nullable=False),
    Column("at", Double, nullable=False),
    Column("action", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("file", Text, nullable=False),
    Column("fields", Text, nullable=True),
    UniqueConstraint("bot", "element_id", "revision", name="uq_wb_content_revision"),
    Index("ix_wb_content_revisions_bot", "bot", "id"),
)
"""Every revision of every element (``fields``: JSON text, NULL for a deletion)."""

_COLUMNS = ("element_id", "revision", "author", "at", "action", "fields", "type", "file")

Exclusive = Callable[[str, str], AbstractContextManager[Any]]
"""The store's ``exclusive(bot, key)``: a lock across its threads (and processes, on SQLite)."""


class SQLContentLog:
    """:class:`~workbench.stores.ContentLog` on an engine (see the module docstring)."""

    def __init__(self, engine: Engine, exclusive: Exclusive) -> None:
        self._engine = engine
        self._exclusive = exclusive

    @contextmanager
    def edit(self, bot: str, element_id: str) -> Iterator[PendingEdit]:
        with self._exclusive(bot, f"\0content:{element_id}"):
            latest = self.latest(bot, [element_id]).get(element_id)
            edit = PendingEdit(latest)
            yield edit
            if edit.recorded is None:
                return
            try:
                with self._engine.begin() as conn:
                    conn.execute(content_revisions.insert(), [_row(bot, edit.recorded)])
            except IntegrityError:
                raise ConflictError(
                    f"content element {element_id!r}: revision {edit.recorded.revision} was "
                    "recorded by another edit first"
                ) from None

    def history(self, bot: str, element_id: str) -> list[ContentRevision]:
        r = content_revisions
        query = (
            select(*(r.c[name] for name in _COLUMNS))
            .where(r.c.bot == bot, r.c.element_id == element_id)
            .order_by(r.c.revision.desc())
        )
        with self._engine.connect() as conn:
            return [_revision(row) for row in conn.execute(query)]

    def latest(
        self, bot: str, element_ids: Sequence[str] | None = None
    ) -> dict[str, ContentRevision]:
        r = content_revisions
        newest = select(r.c.element_id, func.max(r.c.revision).label("revision")).where(
            r.c.bot == bot
        )
        if element_ids is not None:
            if not element_ids:
                return {}
            newest = newest.where(r.c.element_id.in_(list(element_ids)))
        newest_sub = newest.group_by(r.c.element_id).subquery()
        query = (
            select(*(r.c[name] for name in _COLUMNS))
            .join(
                newest_sub,
                (r.c.element_id == newest_sub.c.element_id)
                & (r.c.revision == newest_sub.c.revision),
            )
            .where(r.c.bot == bot)
        )
        with self._engine.connect() as conn:
            return {row[0]: _revision(row) for row in conn.execute(query)}

    def record(self, bot: str, revisions: Sequence[ContentRevision]) -> None:
        """Insert the revisions whose numbers are free, in one transaction (a number another
        process recorded first is skipped)."""
        if not revisions:
            return
        insert = dialect_insert(self._engine.dialect)(content_revisions).on_conflict_do_nothing()
        with self._engine.begin() as conn:
            conn.execute(insert, [_row(bot, revision) for revision in revisions])


def _row(bot: str, revision: ContentRevision) -> dict[str, Any]:
    return {
        "bot": bot,
        "element_id": revision.element_id,
        "revision": revision.revision,
        "author": revision.author,
        "at": revision.at,
        "action": revision.action,
        "type": revision.type,
        "file": revision.file,
        "fields": None if revision.fields is None else dump_json(revision.fields),
    }


def _revision(row: Any) -> ContentRevision:
    element_id, revision, author, at, action, fields, kind, file = row
    return ContentRevision(
        element_id,
        revision,
        author,
        at,
        cast(RevisionAction, action),
        None if fields is None else cast(dict[str, Any], load_json(fields)),
        kind,
        file,
    )
