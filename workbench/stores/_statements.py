"""The hot-path statements of one turn, built with Core and compiled once per store.

A turn runs a handful of statements. Executing them through ``Connection.execute`` costs tens of
microseconds each in SQLAlchemy's Python layers, more than SQLite needs to run them, so the store
compiles them for its dialect and runs the SQL text on the DBAPI cursor with positional
parameters (sqlite3 caches and psycopg prepares repeated statements). On PostgreSQL, where each
statement is a network round trip, the statements are shaped to need few of them.

Each statement is compiled on first use: a store opened only to read never compiles them, and
each backend compiles only the statements it runs. The dialect-specific constructs (``INSERT
... ON CONFLICT``) are imported from the dialect in use only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

from sqlalchemy import Dialect, bindparam, false, literal_column, null, select, union_all, update
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

from workbench.stores import _tables as t
from workbench.stores._tables import CONVERSATION_COLUMNS, CONVERSATION_FIELDS, EVENT_COLUMNS

_EMPTY: Any = literal_column("'{}'")


def _b(name: str) -> Any:
    return bindparam(name)


def dialect_insert(dialect: Dialect) -> Any:
    """The dialect's INSERT construct, which has ``on_conflict_do_nothing/do_update``."""
    if dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


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

    The parameters each takes are named in the ``_compile`` calls below. SQLite turns write
    under the database's write lock (``BEGIN IMMEDIATE``), so they need no row locks;
    PostgreSQL turns lock the rows they change (FOR UPDATE). See ``_sqlite`` and ``_postgres``.
    """

    def __init__(self, engine_dialect: Dialect) -> None:
        self._dialect = positional(engine_dialect)
        self._append_events: dict[int, str] = {}

    # -- reading -------------------------------------------------------------------------------

    @cached_property
    def read_turn(self) -> str:
        """SQLite: the user's and the bot's variables with the conversation, in one SELECT.

        Params ``bot, user_id, bot, bot, id``; answers ``user vars, bot vars, user_id, session,
        turn, updated_at`` (the last four NULL when the conversation does not exist).
        """
        c, u, b = t.conversations, t.users, t.bots
        one = select(literal_column("1").label("one")).subquery("one")
        conversation = (c.c.bot == _b("bot")) & (c.c.id == _b("id"))
        statement = select(
            select(u.c.vars).where(_user_key()).scalar_subquery(),
            select(b.c.vars).where(_bot_key()).scalar_subquery(),
            *_record_columns(),
        ).select_from(one.outerjoin(c, conversation))
        return _compile(statement, self._dialect, "bot", "user_id", "bot", "bot", "id")

    @cached_property
    def lock_conversation(self) -> Compiled:
        """PostgreSQL: params ``bot, id, user_id`` by name; answers ``user_id, session, turn,
        updated_at`` (see :func:`_lock_conversation`)."""
        return _lock_conversation(self._dialect)

    @cached_property
    def lock_conversation_skip_locked(self) -> Compiled:
        """PostgreSQL: :attr:`lock_conversation`, but a row another transaction holds is
        skipped (``SKIP LOCKED``): no row comes back, nothing waits."""
        return _lock_conversation(self._dialect, skip_locked=True)

    @cached_property
    def read_vars(self) -> str:
        """The user's and the bot's variables: params ``bot, user_id, bot``; answers ``user vars,
        bot vars`` (NULL for a row that does not exist)."""
        u, b = t.users, t.bots
        statement = select(
            select(u.c.vars).where(_user_key()).scalar_subquery(),
            select(b.c.vars).where(_bot_key()).scalar_subquery(),
        )
        return _compile(statement, self._dialect, "bot", "user_id", "bot")

    # -- the conversation ----------------------------------------------------------------------

    @cached_property
    def upsert_conversation(self) -> str:
        """Insert or overwrite the whole conversation row (params :data:`CONVERSATION_COLUMNS`)."""
        return _upsert_conversation(self._dialect)

    @cached_property
    def update_conversation(self) -> str:
        """Update an existing row whose ``has_session`` stays: the open-sessions index is left
        alone. Params :data:`CONVERSATION_FIELDS`, then ``bot, id``."""
        return _update_conversation(self._dialect, CONVERSATION_FIELDS)

    @cached_property
    def update_conversation_flag(self) -> str:
        """Update an existing row, ``has_session`` too. Params :data:`CONVERSATION_FIELDS`,
        ``has_session``, then ``bot, id``."""
        return _update_conversation(self._dialect, (*CONVERSATION_FIELDS, "has_session"))

    def append_events(self, rows: int) -> str:
        """A multi-row INSERT of ``rows`` events (at most :data:`EVENTS_PER_STATEMENT`).

        Only the one-row statement is compiled (compiling a 64-row one takes SQLAlchemy tens of
        milliseconds); its VALUES group is repeated.
        """
        sql = self._append_events.get(rows)
        if sql is None:
            head, group = self._one_event.rsplit(" VALUES ", 1)
            sql = self._append_events[rows] = f"{head} VALUES {', '.join([group] * rows)}"
        return sql

    @cached_property
    def _one_event(self) -> str:
        statement = t.events.insert().inline().values({n: _b(n) for n in EVENT_COLUMNS})
        sql = _compile(statement, self._dialect, *EVENT_COLUMNS)
        if sql.count(" VALUES ") != 1 or not sql.endswith(")"):
            raise RuntimeError(f"unexpected event INSERT: {sql}")
        return sql

    # -- idempotency keys ----------------------------------------------------------------------

    @cached_property
    def read_message(self) -> str:
        """The replies stored for a message id (params ``bot, conversation_id, message_id``)."""
        m = t.messages
        statement = select(m.c.replies).where(
            (m.c.bot == _b("bot"))
            & (m.c.conversation_id == _b("conversation_id"))
            & (m.c.message_id == _b("message_id"))
        )
        return _compile(statement, self._dialect, "bot", "conversation_id", "message_id")

    @cached_property
    def insert_message(self) -> str:
        """Remember a message's replies (params ``bot, conversation_id, message_id, turn,
        replies, created_at``)."""
        names = ("bot", "conversation_id", "message_id", "turn", "replies", "created_at")
        statement = t.messages.insert().values({n: _b(n) for n in names})
        return _compile(statement, self._dialect, *names)

    # -- user and bot variables ----------------------------------------------------------------

    @cached_property
    def upsert_user(self) -> str:
        """Write the user's variables (params ``bot, user_id, vars``)."""
        statement = dialect_insert(self._dialect)(t.users).values(
            bot=_b("bot"), user_id=_b("user_id"), vars=_b("vars")
        )
        statement = statement.on_conflict_do_update(
            index_elements=[t.users.c.bot, t.users.c.user_id],
            set_={"vars": statement.excluded.vars},
        )
        return _compile(statement, self._dialect, "bot", "user_id", "vars")

    @cached_property
    def upsert_bot(self) -> str:
        """Write the bot's variables (params ``bot, vars``)."""
        statement = dialect_insert(self._dialect)(t.bots).values(bot=_b("bot"), vars=_b("vars"))
        statement = statement.on_conflict_do_update(
            index_elements=[t.bots.c.bot], set_={"vars": statement.excluded.vars}
        )
        return _compile(statement, self._dialect, "bot", "vars")

    @cached_property
    def create_user(self) -> str:
        """PostgreSQL: make sure the user's row exists, to lock it (params ``bot, user_id``)."""
        statement = (
            dialect_insert(self._dialect)(t.users)
            .values(bot=_b("bot"), user_id=_b("user_id"), vars=_EMPTY)
            .on_conflict_do_nothing()
        )
        return _compile(statement, self._dialect, "bot", "user_id")

    @cached_property
    def lock_user(self) -> str:
        """PostgreSQL: lock and read the user's variables (params ``bot, user_id``)."""
        statement = select(t.users.c.vars).where(_user_key()).with_for_update()
        return _compile(statement, self._dialect, "bot", "user_id")

    @cached_property
    def create_bot(self) -> str:
        """PostgreSQL: make sure the bot's row exists, to lock it (param ``bot``)."""
        statement = (
            dialect_insert(self._dialect)(t.bots)
            .values(bot=_b("bot"), vars=_EMPTY)
            .on_conflict_do_nothing()
        )
        return _compile(statement, self._dialect, "bot")

    @cached_property
    def lock_bot(self) -> str:
        """PostgreSQL: lock and read the bot's variables (param ``bot``)."""
        statement = select(t.bots.c.vars).where(_bot_key()).with_for_update()
        return _compile(statement, self._dialect, "bot")


def _user_key() -> Any:
    u = t.users
    return (u.c.bot == _b("bot")) & (u.c.user_id == _b("user_id"))


def _bot_key() -> Any:
    return t.bots.c.bot == _b("bot")


def _record_columns() -> tuple[Any, ...]:
    """What :func:`workbench.stores._rows.record_of` reads, in order."""
    c = t.conversations
    return (c.c.user_id, c.c.session, c.c.turn, c.c.updated_at)


def _lock_conversation(dialect: Dialect, *, skip_locked: bool = False) -> Compiled:
    """Read the conversation row, locked.

    On PostgreSQL one statement inserts the row if missing and locks it: the new row comes from
    the INSERT's RETURNING (our uncommitted insert is as good as a lock), an existing one from
    ``SELECT ... FOR UPDATE``. If another transaction inserted the row while this one waited, the
    statement's snapshot shows neither: no row comes back and the turn runs it again.
    """
    c = t.conversations
    columns = _record_columns()
    locked = select(*columns).where((c.c.bot == _b("bot")) & (c.c.id == _b("id")))
    if dialect.name != "postgresql":
        return Compiled.of(locked, dialect)
    fresh = (
        dialect_insert(dialect)(c)
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
    existing = locked.with_for_update(skip_locked=skip_locked).cte("locked")
    return Compiled.of(union_all(select(*fresh.c), select(*existing.c)), dialect)


def _upsert_conversation(dialect: Dialect) -> str:
    """Upsert of the whole conversation row."""
    c = t.conversations
    statement = dialect_insert(dialect)(c).values({n: _b(n) for n in CONVERSATION_COLUMNS})
    changed = ("user_id", "session", "turn", "updated_at", "has_session")
    statement = statement.on_conflict_do_update(
        index_elements=[c.c.bot, c.c.id],
        set_={name: statement.excluded[name] for name in changed},
    )
    return _compile(statement, dialect, *CONVERSATION_COLUMNS)


def _update_conversation(dialect: Dialect, fields: tuple[str, ...]) -> str:
    c = t.conversations
    statement = (
        update(c)
        .where((c.c.bot == _b("bot")) & (c.c.id == _b("id")))
        .values({name: _b(name) for name in fields})
    )
    return _compile(statement, dialect, *fields, "bot", "id")
