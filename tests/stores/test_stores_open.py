"""`open_store` and `default_url`: which store a URL, the environment or a folder gives."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from workbench.schema import WorkbenchError
from workbench.stores import MemoryStore, SQLStore, default_url, open_store


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
    open_store(url).close()
    with closing(sqlite3.connect(tmp_path / "new.db")) as conn, conn:
        conn.execute("UPDATE wb_schema SET version = version + 1")
    with pytest.raises(WorkbenchError, match="newer than this workbench"):
        open_store(url)


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
