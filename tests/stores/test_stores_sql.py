"""What only the SQL stores do: schema checks and updates, SQLite's connections and its WAL."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy

from workbench.schema import TranscriptEvent
from workbench.stores import MemoryStore, SQLStore
from workbench.stores import _schema as schema_module
from workbench.stores._connections import ThreadConnections
from workbench.stores._tables import SCHEMA_VERSION


def one_turn(store: SQLStore, bot: str, cid: str, text: str = "hi") -> None:
    with store.turn(bot, cid, "u1") as tx:
        record = tx.conversation
        record.turn += 1
        event = TranscriptEvent(cid, "u1", record.turn, 1.0, "user", text=text)
        tx.save(record, [event], {"n": record.turn})


def indexes(url: str, table: str) -> dict[str, list[str]]:
    engine = sqlalchemy.create_engine(url)
    try:
        found = sqlalchemy.inspect(engine).get_indexes(table)
    finally:
        engine.dispose()
    return {str(index["name"]): [str(c) for c in index["column_names"]] for index in found}


def test_opening_a_current_store_skips_schema_setup(
    fresh_url: str, bot: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    SQLStore(fresh_url).close()

    def fail(_engine: object) -> None:
        raise AssertionError("create_schema ran on a current schema")

    monkeypatch.setattr(schema_module, "create_schema", fail)
    store = SQLStore(fresh_url)
    try:
        one_turn(store, bot, "c1")
        assert store.user_vars(bot, "u1") == {"n": 1}
    finally:
        store.close()


def test_the_first_layout_gets_the_current_indexes(fresh_url: str, bot: str) -> None:
    """A store made by an earlier workbench loses its retired index and gets the new one."""
    store = SQLStore(fresh_url)
    one_turn(store, bot, "c1")
    store.close()
    url = fresh_url.replace("postgresql://", "postgresql+psycopg://")
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as conn:  # back to the first layout
        conn.exec_driver_sql("DROP INDEX ix_wb_conversations_open")
        conn.exec_driver_sql(
            "CREATE INDEX ix_wb_conversations_idle"
            " ON wb_conversations (bot, has_session, updated_at)"
        )
    engine.dispose()

    store = SQLStore(fresh_url)
    try:
        assert store.user_vars(bot, "u1") == {"n": 1}
        one_turn(store, bot, "c1")
        assert [e.turn for e in store.events(bot, "c1")] == [1, 2]
        assert store.idle_conversations(bot, 2.0**40) == []
    finally:
        store.close()
    assert indexes(url, "wb_conversations") == {"ix_wb_conversations_open": ["bot", "has_session"]}
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as conn:  # a compatible change: the version stays
        assert conn.exec_driver_sql("SELECT version FROM wb_schema").all() == [(SCHEMA_VERSION,)]
    engine.dispose()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> SQLStore:
    return SQLStore(f"sqlite:///{tmp_path / 'store.db'}")


def test_a_database_error_leaves_the_store_usable(sqlite_store: SQLStore) -> None:
    try:
        with pytest.raises(sqlite3.Error), sqlite_store.turn("b", "c1", "u1") as tx:
            bad = TranscriptEvent("c1", "u1", 1, 1.0, "user", text=object())  # type: ignore[arg-type]
            tx.save(tx.conversation, [bad])
        assert sqlite_store.get_conversation("b", "c1") is None
        one_turn(sqlite_store, "b", "c1")
        assert [e.text for e in sqlite_store.events("b")] == ["hi"]
    finally:
        sqlite_store.close()


def test_sqlite_turns_keep_one_connection_per_thread(sqlite_store: SQLStore) -> None:
    """Each thread's connection is reused by its turns and closed when the thread ends."""
    connections = sqlite_store.open().backend.connections
    assert isinstance(connections, ThreadConnections)
    seen: list[list[sqlite3.Connection]] = [[] for _ in range(4)]

    def work(worker: int) -> None:
        for n in range(3):
            one_turn(sqlite_store, "b", f"c{worker}", str(n))
            seen[worker].append(connections.get())

    def is_closed(connection: sqlite3.Connection) -> bool:
        try:
            connection.execute("SELECT 1")
        except sqlite3.ProgrammingError:
            return True
        return False

    try:
        threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(len({id(c) for c in mine}) == 1 for mine in seen)
        assert len({id(mine[0]) for mine in seen}) == 4
        assert all(is_closed(mine[0]) for mine in seen)  # their threads have ended
        assert len(connections._open) == 0  # (the schema is checked on the engine's pool)
        assert [e.text for e in sqlite_store.events("b", "c3")] == ["0", "1", "2"]
    finally:
        sqlite_store.close()
    assert len(connections._open) == 0


def test_checkpoint_copies_the_log_into_the_database(tmp_path: Path) -> None:
    store = SQLStore(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        for n in range(20):
            one_turn(store, "b", f"c{n}")
        store.checkpoint()
        # The database file alone, without its WAL, now holds every turn.
        shutil.copy(tmp_path / "store.db", tmp_path / "copy.db")
        with closing(sqlite3.connect(tmp_path / "copy.db")) as copy:
            assert copy.execute("SELECT count(*) FROM wb_conversations").fetchone() == (20,)
        # And the log started over: it holds one page (the header rewritten to restart it).
        with closing(sqlite3.connect(tmp_path / "store.db")) as other:
            assert other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone() == (0, 1, 1)
        store.checkpoint()  # nothing new: no write
        one_turn(store, "b", "c0")
        assert store.user_vars("b", "u1") == {"n": 2}
    finally:
        store.close()
    MemoryStore().checkpoint()  # no log, nothing to do


@pytest.mark.postgres
def test_checkpoint_is_a_no_op_on_postgresql(pg_url: str, pg_bot: str) -> None:
    store = SQLStore(pg_url)
    try:
        store.checkpoint()
        one_turn(store, pg_bot, "c1")
        assert store.user_vars(pg_bot, "u1") == {"n": 1}
    finally:
        store.close()
