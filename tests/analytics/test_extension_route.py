"""The route for users who can ``INSTALL sqlite`` / ``postgres``: the store ATTACHed read-only
and read in place. The extensions cannot be installed offline, so the same code runs here on a
DuckDB file holding the store's two tables (ATTACH of a DuckDB file needs no extension)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.analytics.shop_kit import Played
from workbench.analytics import Analytics, NoTranscriptsError
from workbench.analytics._extensions import ExtensionReader, ExtensionUnavailable
from workbench.analytics._load import new_database
from workbench.analytics._scope import Scope
from workbench.analytics._sources import Source
from workbench.analytics._sqlite import SQLiteReader
from workbench.analytics._views import define_base_views


def as_duckdb_store(shop: Played, path: Path) -> None:
    """The shop's store tables, columns as the store has them, in a DuckDB file."""
    assert shop.bot.path is not None
    reader = SQLiteReader(shop.bot.path / ".workbench" / "workbench.db", None, "shop")
    events = [batch for batch in reader.events()]
    conversations = reader.conversations()
    reader.close()
    con = duckdb.connect(str(path))
    for batch in events:
        con.register("batch", batch)
        con.execute(
            "CREATE TABLE IF NOT EXISTS wb_events AS SELECT *, 0 AS conversation_key "
            "FROM batch LIMIT 0"
        )
        con.execute("INSERT INTO wb_events SELECT *, 0 FROM batch")
    con.register("c", conversations)
    con.execute(
        "CREATE TABLE wb_conversations AS SELECT bot, conversation_id AS id, user_id, "
        "CASE WHEN has_session THEN '{}' END AS session, turn, updated_at, has_session FROM c"
    )
    con.close()


def test_an_attached_store_reads_like_a_copied_one(shop: Played, tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    as_duckdb_store(shop, path)
    con = new_database()
    reader = ExtensionReader(con, "duckdb", str(path), "shop", "attached")
    reader.relations()
    define_base_views(con)
    a = Analytics(con, Source("sqlite", str(path), "attached", "shop"), Scope())
    found = a.sql("SELECT conversation_id, outcome, last_node FROM conversations")
    assert {
        r.conversation_id: (r.outcome, r.last_node) for r in found.itertuples()
    } == shop.expected
    assert reader.event_count() == len(shop.bot.store.events("shop"))
    assert sum(b.num_rows for b in reader.events(after=3)) == reader.event_count(3)
    assert reader.conversations().num_rows == 7


def test_a_missing_extension_or_table(tmp_path: Path) -> None:
    con = new_database()
    with pytest.raises(ExtensionUnavailable):
        ExtensionReader(con, "sqlite", str(tmp_path / "x.db"), None, "x")  # not installed here
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(NoTranscriptsError, match="holds no transcripts"):
        ExtensionReader(new_database(), "duckdb", str(empty), None, "empty")
