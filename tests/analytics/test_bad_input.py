"""Sources that cannot be read and queries that fail: one clear message naming the source or
the query, never a traceback from inside DuckDB; and a store is never written to."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import workbench as wb
from tests.analytics.shop_kit import Played, file_state, write_shop
from workbench.analytics import AnalyticsError, NoTranscriptsError, QueryError
from workbench.schema import WorkbenchError


def test_a_source_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(AnalyticsError, match=f"{missing}: no such bot folder"):
        wb.analytics.open(missing)
    with pytest.raises(AnalyticsError, match="no such SQLite store file"):
        wb.analytics.open(f"sqlite:///{missing}.db")
    with pytest.raises(AnalyticsError, match="in-memory store lives inside one process"):
        wb.analytics.open("memory://")
    with pytest.raises(AnalyticsError, match="cannot read transcripts from a int"):
        wb.analytics.open(42)


def test_sources_that_hold_no_transcripts(tmp_path: Path) -> None:
    folder = write_shop(tmp_path / "shop")  # a bot that never talked: no store yet
    with pytest.raises(NoTranscriptsError, match="the bot has no store yet"):
        wb.analytics.open(folder)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).execute("CREATE TABLE other (x)").connection.close()
    with pytest.raises(NoTranscriptsError, match=f"{empty}.*holds no transcripts"):
        wb.analytics.open(empty)
    with pytest.raises(NoTranscriptsError, match=r"no events/\*\.parquet"):
        wb.analytics.open(tmp_path)  # a folder that is neither a bot nor an export
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(AnalyticsError, match="not a bot folder, a SQLite store"):
        wb.analytics.open(text)


def test_a_store_without_this_bots_rows(shop: Played) -> None:
    url = shop.bot.store.url
    with pytest.raises(NoTranscriptsError, match="holds no transcripts of bot 'other'"):
        wb.analytics.open(url, bot="other")


def test_sql_errors_name_the_query(shop: Played) -> None:
    a = wb.analytics.open(shop.bot)
    with pytest.raises(QueryError) as caught:
        a.sql("SELECT nope FROM events")
    message = str(caught.value)
    assert 'Referenced column "nope" not found' in message
    assert "query: SELECT nope FROM events" in message
    assert "Traceback" not in message and "shop" in message
    assert isinstance(caught.value, WorkbenchError)
    with pytest.raises(QueryError, match="Table with name nothing does not exist"):
        a.sql("SELECT * FROM nothing")
    with pytest.raises(QueryError, match="syntax error"):
        a.sql("SELEC 1")
    assert a.sql("SELECT 1 AS one").one[0] == 1  # still usable afterwards


def test_bad_filters_and_answer_options(shop: Played) -> None:
    a = wb.analytics.open(shop.bot)
    with pytest.raises(AnalyticsError, match="start='yesterday': not a date"):
        a.filter(start="yesterday")
    with pytest.raises(AnalyticsError, match="by='hour'"):
        a.fallback_rate(by="hour")
    with pytest.raises(AnalyticsError, match="outcome='lost'"):
        a.find_conversations(outcome="lost")
    with pytest.raises(AnalyticsError, match="no conversation 'nope'"):
        a.transcript("nope")


def test_the_store_is_never_written(shop: Played, tmp_path: Path) -> None:
    assert shop.bot.path is not None
    db = shop.bot.path / ".workbench" / "workbench.db"
    shop.bot.store.close()  # every write the bot made is in the file now
    before = file_state(db)
    a = wb.analytics.open(shop.bot.path)
    a.sql("SELECT * FROM conversations")
    a.funnel(["main.hello", "main.ask"])
    a.refresh()
    wb.analytics.export_parquet(shop.bot.path, tmp_path / "export")
    a.close()
    assert file_state(db) == before


def test_the_read_only_connection_refuses_writes(shop: Played) -> None:
    from workbench.analytics._sqlite import SQLiteReader

    assert shop.bot.path is not None
    reader = SQLiteReader(shop.bot.path / ".workbench" / "workbench.db", "shop", "shop")
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader._db.execute("DELETE FROM wb_events")
    finally:
        reader.close()
