"""`open_store` and `default_url`: which store a URL, the environment or a folder gives."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from workbench.schema import WorkbenchError
from workbench.stores import MemoryStore, SQLStore, default_url, open_store

PIZZA = Path(__file__).resolve().parents[2] / "sample_bots" / "pizza"


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORKBENCH_DB", raising=False)


def test_memory_url() -> None:
    store = open_store("memory://")
    assert isinstance(store, MemoryStore)
    assert store.url == "memory://"


def test_default_is_sqlite_under_the_folder(tmp_path: Path) -> None:
    store = open_store(folder=tmp_path)
    try:
        assert isinstance(store, SQLStore)
        db = tmp_path / ".workbench" / "workbench.db"
        assert store.url == default_url(tmp_path) == f"sqlite:///{db.resolve()}"
        with store.turn("b", "c1", "u1") as tx:
            tx.save(tx.conversation, [])
        assert db.is_file()
        assert (tmp_path / ".workbench" / ".gitignore").read_text().splitlines()[-1] == "*"
    finally:
        store.close()
    reopened = open_store(folder=str(tmp_path))
    try:
        assert reopened.get_conversation("b", "c1") is not None
    finally:
        reopened.close()
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_folder_defaults_to_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    store = open_store()
    try:
        assert store.url == default_url(tmp_path)
        assert not (tmp_path / ".workbench" / "workbench.db").exists()  # opens on first use
        store.open()
        assert (tmp_path / ".workbench" / "workbench.db").is_file()
    finally:
        store.close()


def test_environment_variable_overrides_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere' / 'env.db'}"
    monkeypatch.setenv("WORKBENCH_DB", url)
    store = open_store(folder=tmp_path / "bot")
    try:
        assert store.url == url
        assert store.get_conversation("b", "c1") is None  # the first use opens the file
        assert (tmp_path / "elsewhere" / "env.db").is_file()
        assert not (tmp_path / "bot").exists()
    finally:
        store.close()
    monkeypatch.setenv("WORKBENCH_DB", "memory://")
    assert isinstance(open_store(folder=tmp_path), MemoryStore)


def test_explicit_url_overrides_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_DB", f"sqlite:///{tmp_path / 'env.db'}")
    assert isinstance(open_store("memory://"), MemoryStore)


def test_unsupported_url() -> None:
    with pytest.raises(WorkbenchError, match="unsupported store URL"):
        open_store("mysql://localhost/db")
    with pytest.raises(WorkbenchError, match="not a store URL"):
        open_store("no url at all")


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    SQLStore(url).close()
    with closing(sqlite3.connect(tmp_path / "new.db")) as conn, conn:
        conn.execute("UPDATE wb_schema SET version = version + 1")
    with pytest.raises(WorkbenchError, match="newer than this workbench"):
        SQLStore(url)
    store = open_store(url)  # a bot's store opens on first use: the refusal comes then
    with pytest.raises(WorkbenchError, match="newer than this workbench"):
        store.get_conversation("b", "c1")
    with pytest.raises(WorkbenchError, match="newer than this workbench"):
        store.open()


def test_a_bot_on_sqlite_opens_its_store_on_first_use(tmp_path: Path) -> None:
    """Loading a bot, drawing it, linting it import no SQLAlchemy; the first turn opens the
    store and writes the flow version the load recorded."""
    db = tmp_path / "wb.db"
    script = f"""
import sys, pathlib, workbench as wb
bot = wb.Bot.load({str(PIZZA)!r}, db={f"sqlite:///{db}"!r})
bot.graph()
assert "sqlalchemy" not in sys.modules, "Bot.load imported SQLAlchemy"
assert not pathlib.Path({str(db)!r}).exists(), "Bot.load opened the store"
print(bot.conversation("u1").say("hi")[0].text)
print(bot.store.get_version("pizza", bot.flows.version) is not None)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "True"


@pytest.mark.postgres
def test_plain_postgresql_urls_use_psycopg(pg_url: str) -> None:
    plain = pg_url.replace("postgresql+psycopg://", "postgresql://")
    for url in (plain, plain.replace("postgresql://", "postgres://")):
        store = open_store(url)
        try:
            assert isinstance(store, SQLStore)
            assert store.url.startswith("postgresql+psycopg://")
            assert store.get_conversation("no-such-bot", "c") is None
        finally:
            store.close()
