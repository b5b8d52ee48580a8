"""The SQL text a SQLite turn runs, written out: the statements of
:class:`~workbench.stores._statements.TurnStatements` as SQLAlchemy compiles them for SQLite.

Why written out: compiling them needs SQLAlchemy, whose import (~150 ms) would be most of the
time a bot takes to load. Opening a SQLite file and running turns needs only this text and the
stdlib ``sqlite3``. ``tests/stores/test_stores_sqlite_text.py`` compiles the Core statements and
checks that they are exactly this text, so the tables in ``_tables.py`` stay the one definition.
"""

from __future__ import annotations

from workbench.stores._layout import CONVERSATION_COLUMNS, CONVERSATION_FIELDS, EVENT_COLUMNS


def _params(count: int) -> str:
    return ", ".join(["?"] * count)


def _set(names: tuple[str, ...]) -> str:
    return ", ".join(f"{name}=?" for name in names)


def _excluded(names: tuple[str, ...]) -> str:
    return ", ".join(f"{name} = excluded.{name}" for name in names)


_C = "wb_conversations"
_KEY = f"WHERE {_C}.bot = ? AND {_C}.id = ?"
_ONE_EVENT_VALUES = f"({_params(len(EVENT_COLUMNS))})"


class SQLiteStatements:
    """The SQLite members of ``TurnStatements`` (same names, same parameters), as constants."""

    read_turn = (
        "SELECT (SELECT wb_users.vars \nFROM wb_users \n"
        "WHERE wb_users.bot = ? AND wb_users.user_id = ?) AS anon_1, "
        "(SELECT wb_bots.vars \nFROM wb_bots \nWHERE wb_bots.bot = ?) AS anon_2, "
        f"{_C}.user_id, {_C}.session, {_C}.turn, {_C}.updated_at \n"
        f"FROM (SELECT 1 AS one) AS one LEFT OUTER JOIN {_C} "
        f"ON {_C}.bot = ? AND {_C}.id = ?"
    )
    upsert_conversation = (
        f"INSERT INTO {_C} ({', '.join(CONVERSATION_COLUMNS)}) "
        f"VALUES ({_params(len(CONVERSATION_COLUMNS))}) ON CONFLICT (bot, id) DO UPDATE SET "
        + _excluded(CONVERSATION_COLUMNS[2:])
    )
    update_conversation = f"UPDATE {_C} SET {_set(CONVERSATION_FIELDS)} {_KEY}"
    update_conversation_flag = (
        f"UPDATE {_C} SET {_set((*CONVERSATION_FIELDS, 'has_session'))} {_KEY}"
    )
    upsert_user = (
        "INSERT INTO wb_users (bot, user_id, vars) VALUES (?, ?, ?) "
        "ON CONFLICT (bot, user_id) DO UPDATE SET vars = excluded.vars"
    )
    upsert_bot = (
        "INSERT INTO wb_bots (bot, vars) VALUES (?, ?) "
        "ON CONFLICT (bot) DO UPDATE SET vars = excluded.vars"
    )
    put_version = (
        "INSERT INTO wb_versions (bot, version, definition, created_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"
    )
    """Params ``bot, version, definition, created_at`` (not a turn's: run by ``put_version``)."""
    _insert_events = f"INSERT INTO wb_events ({', '.join(EVENT_COLUMNS)}) VALUES "

    def __init__(self) -> None:
        self._append_events: dict[int, str] = {}

    def append_events(self, rows: int) -> str:
        """A multi-row INSERT of ``rows`` events (at most ``EVENTS_PER_STATEMENT``)."""
        sql = self._append_events.get(rows)
        if sql is None:
            sql = self._insert_events + ", ".join([_ONE_EVENT_VALUES] * rows)
            self._append_events[rows] = sql
        return sql
