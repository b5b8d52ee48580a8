"""The hot-path statements of one turn, built with Core and compiled once per store.

A turn runs a handful of statements. Executing them through ``Connection.execute`` costs tens of
microseconds each in SQLAlchemy's Python layers, more than SQLite needs to run them, so the store
compiles them once for its dialect and runs the SQL text on the DBAPI cursor with positional
parameters (sqlite3 caches and psycopg prepares repeated statements). On PostgreSQL, where each
statement is a network round trip, the statements are shaped to need few of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Dialect, bindparam, false, literal_column, null, select, union_all, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

from workbench.stores import _tables as t

EVENT_COLUMNS = tuple(col.name for col in t.events.c if col.name != "id")
"""The parameters of one event row, in order (see :meth:`TurnStatements.append_events`)."""
CONVERSATION_COLUMNS = tuple(col.name for col in t.conversations.c)
"""The parameters of :attr:`TurnStatements.save_conversation`, in order."""
EVENTS_PER_STATEMENT = 64
"""Rows per multi-row INSERT: 64 x 13 parameters stay under old SQLite's limit of 999."""

_EMPTY: Any = literal_column("'{}'")


def _b(name: str) -> Any:
    return bindparam(name)


def dialect_insert(dialect: Dialect) -> Any:
    """The dialect's INSERT construct, which has ``on_conflict_do_nothing/do_update``."""
    return postgresql.insert if dialect.name == "postgresql" else sqlite.insert


def positional(dialect: Dialect) -> Dialect:
    """``dialect``, or a copy using ``%s`` placeholders if it uses named ones (psycopg)."""
    if dialect.positional:
        return dialect
    return type(dialect)(paramstyle="format")  # type: ignore[call-arg]


@dataclass(frozen=True)
class Compiled:
    """SQL text whose parameters differ per dialect, and how to lay them out."""

    sql: str
    names: tuple[str, ...]

    @classmethod
    def of(cls, statement: ClauseElement, dialect: Dialect) -> Compiled:
        compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
        return cls(compiled.string, tuple(compiled.positiontup or ()))

    def params(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple([values[name] for name in self.names])


def _compile(statement: ClauseElement, dialect: Dialect, *names: str) -> str:
    """The SQL text of ``statement``; checks that it takes exactly ``names``, in that order."""
    compiled = Compiled.of(statement, dialect)
    if compiled.names != names:
        raise RuntimeError(f"unexpected parameters {compiled.names} in {compiled.sql}")
    return compiled.sql


class TurnStatements:
    """Every statement a turn runs, as SQL text for the DBAPI cursor of one dialect.

    The parameters each takes are named in the ``_compile`` calls below. FOR UPDATE renders on
    PostgreSQL only: on SQLite, ``BEGIN IMMEDIATE`` already holds the lock.
    """

    def __init__(self, engine_dialect: Dialect) -> None:
        d = self._dialect = positional(engine_dialect)
        ins = dialect_insert(d)
        u, b = t.users, t.bots
        user_key = (u.c.bot == _b("bot")) & (u.c.user_id == _b("user_id"))
        bot_key = b.c.bot == _b("bot")
        self.lock_conversation = _lock_conversation(d)
        """Params ``bot, id, user_id`` by name; answers ``user_id, session, turn, updated_at``."""
        self.read_vars = _compile(
            select(
                select(u.c.vars).where(user_key).scalar_subquery(),
                select(b.c.vars).where(bot_key).scalar_subquery(),
            ),
            d,
            *("bot", "user_id", "bot"),
        )
        self.create_user = _compile(
            ins(u)
            .values(bot=_b("bot"), user_id=_b("user_id"), vars=_EMPTY)
            .on_conflict_do_nothing(),
            d,
            *("bot", "user_id"),
        )
        self.lock_user = _compile(
            select(u.c.vars).where(user_key).with_for_update(), d, "bot", "user_id"
        )
        self.write_user = _compile(
            update(u).where(user_key).values(vars=_b("vars")), d, "vars", "bot", "user_id"
        )
        self.create_bot = _compile(
            ins(b).values(bot=_b("bot"), vars=_EMPTY).on_conflict_do_nothing(), d, "bot"
        )
        self.lock_bot = _compile(select(b.c.vars).where(bot_key).with_for_update(), d, "bot")
        self.write_bot = _compile(
            update(b).where(bot_key).values(vars=_b("vars")), d, "vars", "bot"
        )
        self.save_conversation = _save_conversation(d)
        self._append_events: dict[int, str] = {}

    def append_events(self, rows: int) -> str:
        """A multi-row INSERT of ``rows`` events (at most :data:`EVENTS_PER_STATEMENT`)."""
        sql = self._append_events.get(rows)
        if sql is None:
            values = [{n: _b(f"{n}_{i}") for n in EVENT_COLUMNS} for i in range(rows)]
            names = [f"{n}_{i}" for i in range(rows) for n in EVENT_COLUMNS]
            statement = t.events.insert().inline().values(values)
            sql = self._append_events[rows] = _compile(statement, self._dialect, *names)
        return sql


def _lock_conversation(dialect: Dialect) -> Compiled:
    """Read the conversation row, locked.

    On PostgreSQL one statement inserts the row if missing and locks it: the new row comes from
    the INSERT's RETURNING (our uncommitted insert is as good as a lock), an existing one from
    ``SELECT ... FOR UPDATE``. If another transaction inserted the row while this one waited, the
    statement's snapshot shows neither: no row comes back and the turn runs it again.
    """
    c = t.conversations
    columns = (c.c.user_id, c.c.session, c.c.turn, c.c.updated_at)
    locked = select(*columns).where((c.c.bot == _b("bot")) & (c.c.id == _b("id")))
    if dialect.name != "postgresql":
        return Compiled.of(locked, dialect)
    fresh = (
        postgresql.insert(c)
        .values(
            bot=_b("bot"),
            id=_b("id"),
            user_id=_b("user_id"),
            session=null(),
            turn=literal_column("0"),
            updated_at=literal_column("0.0"),
            has_session=false(),
        )
        .on_conflict_do_nothing()
        .returning(*columns)
        .cte("fresh")
    )
    existing = locked.with_for_update().cte("locked")
    return Compiled.of(union_all(select(*fresh.c), select(*existing.c)), dialect)


def _save_conversation(dialect: Dialect) -> str:
    """Upsert of the whole conversation row."""
    c = t.conversations
    statement = dialect_insert(dialect)(c).values({n: _b(n) for n in CONVERSATION_COLUMNS})
    changed = ("user_id", "session", "turn", "updated_at", "has_session")
    statement = statement.on_conflict_do_update(
        index_elements=[c.c.bot, c.c.id],
        set_={name: statement.excluded[name] for name in changed},
    )
    return _compile(statement, dialect, *CONVERSATION_COLUMNS)
