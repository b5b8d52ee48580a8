"""A store made by an older workbench is migrated when it is opened, also by several processes
at once. Version 1 is rebuilt here as that workbench made it (its tables, written out)."""

from __future__ import annotations

import dataclasses
import multiprocessing
import traceback
from typing import Any

import pytest
import sqlalchemy
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Double,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    insert,
)

from workbench.schema import TranscriptEvent
from workbench.stores import SQLStore, open_store
from workbench.stores._tables import SCHEMA_VERSION

V1 = MetaData()
"""The layout of schema version 1 (``workbench/stores/_tables.py`` before version 2)."""
Table(
    "wb_conversations",
    V1,
    Column("bot", Text, primary_key=True),
    Column("id", Text, primary_key=True),
    Column("user_id", Text, nullable=False),
    Column("session", Text, nullable=True),
    Column("turn", Integer, nullable=False, default=0),
    Column("updated_at", Double, nullable=False, default=0.0),
    Column("has_session", Boolean, nullable=False, default=False),
    Index("ix_wb_conversations_open", "bot", "has_session"),
)
Table(
    "wb_users",
    V1,
    Column("bot", Text, primary_key=True),
    Column("user_id", Text, primary_key=True),
    Column("vars", Text, nullable=False, default="{}"),
)
Table(
    "wb_bots",
    V1,
    Column("bot", Text, primary_key=True),
    Column("vars", Text, nullable=False, default="{}"),
)
Table(
    "wb_events",
    V1,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("bot", Text, nullable=False),
    Column("conversation_id", Text, nullable=False),
    Column("user_id", Text, nullable=False),
    Column("turn", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("ts", Double, nullable=False),
    Column("type", Text, nullable=False),
    Column("flow", Text, nullable=False),
    Column("node", Text, nullable=False),
    Column("intent", Text, nullable=False),
    Column("confidence", Double, nullable=True),
    Column("text", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Index("ix_wb_events_conversation", "bot", "conversation_id", "id"),
)
Table(
    "wb_versions",
    V1,
    Column("bot", Text, primary_key=True),
    Column("version", Text, primary_key=True),
    Column("definition", Text, nullable=False),
    Column("created_at", Double, nullable=False),
)
Table("wb_schema", V1, Column("version", Integer, nullable=False))

SESSION = '{"stack":[{"flow":"main","node":"ask"}],"waiting":true,"state":{"n":1},"version":"v1","started_at":1.0}'  # noqa: E501


def engine_of(url: str) -> sqlalchemy.Engine:
    return sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))


def make_version_1_store(url: str, bot: str) -> None:
    """A store as workbench wrote it with schema version 1: one conversation of one turn."""
    engine = engine_of(url)
    t = V1.tables
    with engine.begin() as conn:
        V1.create_all(conn)
        conn.execute(insert(t["wb_schema"]).values(version=1))
        conn.execute(
            insert(t["wb_conversations"]).values(
                bot=bot,
                id="c1",
                user_id="u1",
                session=SESSION,
                turn=1,
                updated_at=2.0,
                has_session=True,
            )
        )
        conn.execute(insert(t["wb_users"]).values(bot=bot, user_id="u1", vars='{"name":"Ann"}'))
        row = {"bot": bot, "conversation_id": "c1", "user_id": "u1", "turn": 1, "ts": 1.5}
        row |= {"flow": "", "node": "", "intent": "", "confidence": None, "payload": "{}"}
        conn.execute(
            insert(t["wb_events"]),
            [
                row | {"seq": 0, "type": "user", "text": "hi"},
                row | {"seq": 1, "type": "bot", "text": "hello"},
            ],
        )
    engine.dispose()


def columns_and_version(url: str) -> tuple[set[str], list[Any]]:
    engine = engine_of(url)
    try:
        columns = {c["name"] for c in sqlalchemy.inspect(engine).get_columns("wb_events")}
        with engine.connect() as conn:
            versions = [row[0] for row in conn.exec_driver_sql("SELECT version FROM wb_schema")]
    finally:
        engine.dispose()
    return columns, versions


def test_a_version_1_store_is_migrated_when_opened(fresh_url: str, bot: str) -> None:
    make_version_1_store(fresh_url, bot)
    assert columns_and_version(fresh_url) == ({c.name for c in V1.tables["wb_events"].c}, [1])
    store = SQLStore(fresh_url)
    try:
        old = store.events(bot, "c1")
        assert [(e.text, e.channel, e.language) for e in old] == [
            ("hi", "web", ""),
            ("hello", "web", ""),
        ]
        with store.turn(bot, "c1", "u1") as tx:  # the conversation goes on where it was
            record = tx.conversation
            assert record.turn == 1 and record.session is not None
            assert record.session["state"] == {"n": 1} and tx.user_vars == {"name": "Ann"}
            record.turn += 1
            new = TranscriptEvent("c1", "u1", 2, 3.0, "user", text="salut", seq=0)
            tx.save(record, [new, dataclasses.replace(new, seq=1, channel="text", language="fr")])
        events = store.events(bot, "c1")
        assert [(e.turn, e.channel, e.language) for e in events] == [
            (1, "web", ""),
            (1, "web", ""),
            (2, "web", ""),
            (2, "text", "fr"),
        ]
        assert list(store.iter_events(bot)) == events
    finally:
        store.close()
    columns, versions = columns_and_version(fresh_url)
    assert {"channel", "language"} <= columns and versions == [SCHEMA_VERSION] == [4]
    assert "wb_content_revisions" in tables(fresh_url)  # version 3: the content log
    assert "wb_messages" in tables(fresh_url)  # version 4: the idempotency keys


def tables(url: str) -> set[str]:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def open_and_turn(url: str, bot: str, worker: int, barrier: Any, errors: Any) -> None:
    """Process target: open the old store together with the others, then run one turn."""
    try:
        barrier.wait(timeout=60)
        store = open_store(url)
        try:
            with store.turn(bot, f"w{worker}", "u1") as tx:
                event = TranscriptEvent(f"w{worker}", "u1", 1, 1.0, "user", language="en")
                tx.save(tx.conversation, [event], {f"w{worker}": True})
        finally:
            store.close()
    except BaseException:
        errors.put(traceback.format_exc())
        raise


def test_processes_opening_a_version_1_store_at_once_migrate_it_once(
    fresh_url: str, bot: str
) -> None:
    make_version_1_store(fresh_url, bot)
    ctx = multiprocessing.get_context("spawn")
    barrier, errors = ctx.Barrier(3), ctx.Queue()
    processes = [
        ctx.Process(target=open_and_turn, args=(fresh_url, bot, w, barrier, errors))
        for w in range(3)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    failures = [errors.get() for _ in range(errors.qsize())] if not errors.empty() else []
    assert [p.exitcode for p in processes] == [0, 0, 0], "\n".join(failures)
    assert columns_and_version(fresh_url)[1] == [SCHEMA_VERSION]
    store = open_store(fresh_url)
    try:
        assert store.user_vars(bot, "u1") == {"name": "Ann", "w0": True, "w1": True, "w2": True}
        assert sorted((e.conversation_id, e.language) for e in store.events(bot))[-3:] == [
            ("w0", "en"),
            ("w1", "en"),
            ("w2", "en"),
        ]
    finally:
        store.close()


@pytest.mark.parametrize("version", [SCHEMA_VERSION + 1])
def test_a_store_newer_than_this_workbench_is_refused_not_migrated(
    fresh_url: str, bot: str, version: int
) -> None:
    make_version_1_store(fresh_url, bot)
    engine = engine_of(fresh_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE wb_schema SET version = {version}")
    engine.dispose()
    with pytest.raises(Exception, match="newer than this workbench"):
        SQLStore(fresh_url)
    assert columns_and_version(fresh_url)[0] == {c.name for c in V1.tables["wb_events"].c}
