"""A SQLite file is opened and runs turns without SQLAlchemy: its SQL text is written out in
``_sqlite_statements`` and its layout in ``_layout``. These must be what the Core tables say."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.dialects import sqlite

from workbench.stores import _layout, _tables
from workbench.stores._sqlite import sqlite_file
from workbench.stores._sqlite_statements import SQLiteStatements
from workbench.stores._statements import TurnStatements, dialect_insert

TURN_STATEMENTS = (
    "read_turn",
    "upsert_conversation",
    "update_conversation",
    "update_conversation_flag",
    "upsert_user",
    "upsert_bot",
)


@pytest.mark.parametrize("name", TURN_STATEMENTS)
def test_written_out_statements_are_what_core_compiles(name: str) -> None:
    assert getattr(SQLiteStatements(), name) == getattr(TurnStatements(sqlite.dialect()), name)


@pytest.mark.parametrize("rows", [1, 2, 3, _layout.EVENTS_PER_STATEMENT])
def test_written_out_event_inserts_are_what_core_compiles(rows: int) -> None:
    compiled = TurnStatements(sqlite.dialect()).append_events(rows)
    assert SQLiteStatements().append_events(rows) == compiled


def test_written_out_version_insert_is_what_core_compiles() -> None:
    statement = (
        dialect_insert(sqlite.dialect())(_tables.versions)
        .values(bot="b", version="v", definition="{}", created_at=0.0)
        .on_conflict_do_nothing()
    )
    assert str(statement.compile(dialect=sqlite.dialect())) == SQLiteStatements.put_version


def test_layout_names_match_the_tables() -> None:
    assert tuple(c.name for c in _tables.events.c if c.name != "id") == _layout.EVENT_COLUMNS
    assert tuple(c.name for c in _tables.conversations.c) == _layout.CONVERSATION_COLUMNS
    assert _tables.schema.name == _layout.SCHEMA_TABLE


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////abs/x.db", "/abs/x.db"),
        ("sqlite+pysqlite:////abs/x.db", "/abs/x.db"),
        ("sqlite:///:memory:", None),
        ("sqlite://", None),
        ("sqlite:////abs/x.db?timeout=3", None),
        ("sqlite:////abs/a%20b.db", None),
        ("postgresql://localhost/db", None),
    ],
)
def test_which_urls_open_without_sqlalchemy(url: str, expected: str | None) -> None:
    assert sqlite_file(url) == expected


def test_relative_paths_are_taken_from_the_working_directory() -> None:
    assert sqlite_file("sqlite:///rel/x.db") == str(Path.cwd() / "rel" / "x.db")


def test_an_existing_file_runs_turns_without_importing_sqlalchemy(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    code = """
import sys
from workbench.schema import TranscriptEvent
from workbench.stores import open_store
store = open_store(sys.argv[1])
store.put_version("b", "v1", {"flows": {}})
with store.turn("b", "c1", "u1") as tx:
    record = tx.conversation
    record.turn += 1
    tx.save(record, [TranscriptEvent("c1", "u1", 1, 1.0, "user", text="hi")], {"n": 1})
store.close()
print("sqlalchemy" in sys.modules)
"""
    run = [sys.executable, "-c", code, url]
    first = subprocess.run(run, capture_output=True, text=True, check=True)
    assert first.stdout.split() == ["True"]  # a new file: SQLAlchemy creates the schema
    again = subprocess.run(run, capture_output=True, text=True, check=True)
    assert again.stdout.split() == ["False"]
