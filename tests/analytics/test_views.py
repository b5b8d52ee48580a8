"""The ``events``, ``turns`` and ``conversations`` views over real conversations, read from
the SQLite store (through sqlite3 → Arrow) and from PostgreSQL (through COPY → Arrow)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import workbench as wb
from tests.analytics.shop_kit import Played, play, write_shop
from workbench.analytics import Analytics
from workbench.runtime import Bot


def check_conversations(a: Analytics, played: Played) -> None:
    conversations = a.sql("SELECT * FROM conversations ORDER BY conversation_id")
    assert set(conversations.conversation_id) == set(played.expected)
    found = {
        row.conversation_id: (row.outcome, row.last_node) for row in conversations.itertuples()
    }
    assert found == played.expected
    by_id = conversations.set_index("conversation_id")
    ends = next(c for c, seen in played.expected.items() if seen == ("end", "main.thanks"))
    assert by_id.loc[ends, "turns"] == by_id.loc[ends, "messages"] == 3
    assert list(by_id.loc[ends, "flows"]) == ["main"]
    burnt = next(c for c in played.expected if c.startswith("burnt-"))
    assert by_id.loc[burnt, "errors"] == 1
    silent = next(c for c in played.expected if c.startswith("silent-"))
    assert (by_id.loc[silent, "turns"], by_id.loc[silent, "messages"]) == (2, 1)
    assert not conversations.simulated.any()
    assert (conversations.ended_at >= conversations.started_at).all()
    assert set(conversations.channel) == {"web"} and set(conversations.language) == {"en"}


def check_turns_and_events(a: Analytics, played: Played) -> None:
    asleep = next(c for c in played.expected if c.startswith("asleep-"))
    turns = a.sql("SELECT * FROM turns WHERE conversation_id = ? ORDER BY turn", [asleep])
    assert list(turns.kind) == ["message", "message", "timeout"]
    assert list(turns.text[:2]) == ["hello", "a lamp"]
    assert [list(p) for p in turns.path] == [["main.hello"], ["main.ask"], ["main.on_timeout"]]
    assert list(turns.waiting_at[1:2]) == ["main.hello"]
    events = a.sql("SELECT * FROM events WHERE conversation_id = ? ORDER BY id", [asleep])
    assert list(events.type[:3]) == ["user", "node", "bot"]
    assert events.time.dtype.kind == "M"  # timestamps, UTC
    assert events.flow_node.iloc[1] == "main.hello"
    errors = a.sql("SELECT text FROM turns WHERE error IS NOT NULL")
    assert len(errors) == 2  # burnt and recovers


def test_views_on_sqlite(shop: Played) -> None:
    assert shop.bot.path is not None
    a = wb.analytics.open(shop.bot.path)
    check_conversations(a, shop)
    check_turns_and_events(a, shop)
    assert "shop" in a.where


def test_views_from_a_bot_object_and_its_in_memory_store(tmp_path: Path) -> None:
    bot = Bot.load(write_shop(tmp_path / "shop"), db="memory://")
    played = play(bot)
    check_conversations(wb.analytics.open(bot), played)


@pytest.mark.postgres
def test_views_on_postgres(tmp_path: Path, pg_schema_url: str) -> None:
    bot = Bot.load(write_shop(tmp_path / "shop"), db=pg_schema_url)
    played = play(bot)
    try:
        for source in (bot, pg_schema_url):
            a = wb.analytics.open(source, bot="shop")
            check_conversations(a, played)
            check_turns_and_events(a, played)
            a.close()
    finally:
        bot.store.close()


def test_a_store_of_several_bots_reads_one_or_all(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first = Bot.load(write_shop(tmp_path / "one", "one"), db=url)
    second = Bot.load(write_shop(tmp_path / "two", "two"), db=url)
    play(first)
    play(second)
    query = "SELECT bot, count(*) AS n FROM conversations GROUP BY 1"
    everything = wb.analytics.open(url).sql(query)
    assert dict(zip(everything.bot, everything.n, strict=True)) == {"one": 7, "two": 7}
    only = wb.analytics.open(url, bot="two").sql("SELECT DISTINCT bot FROM events")
    assert list(only.bot) == ["two"]
    via_bot = wb.analytics.open(second).sql("SELECT DISTINCT bot FROM conversations")
    assert list(via_bot.bot) == ["two"]


def test_filters_narrow_every_view(shop: Played) -> None:
    a = wb.analytics.open(shop.bot)
    everyone = len(a.sql("SELECT * FROM conversations"))
    real = a.filter(simulated=False)
    assert len(real.sql("SELECT * FROM conversations")) == everyone
    assert real.sql("SELECT count(*) AS n FROM events").n[0] > 0
    assert a.filter(simulated=True).sql("SELECT count(*) AS n FROM events").n[0] == 0
    assert a.filter(channel="text").kpis()["conversations"] == 0
    day = a.sql("SELECT min(started_at) AS d FROM conversations").d[0].date()
    assert a.filter(start=day, end=day).kpis()["conversations"] == everyone  # the whole day
    assert a.filter(end=str(day)).kpis()["conversations"] == everyone
    assert a.filter(start=day + dt.timedelta(days=1)).kpis()["conversations"] == 0
    assert a.filter(end=day - dt.timedelta(days=1)).kpis()["conversations"] == 0
    assert a.filter(flow="main").kpis()["conversations"] == everyone
    assert a.filter(flow="checkout").kpis()["conversations"] == 0
    assert "real" in repr(real)
    assert len(a.sql("SELECT * FROM conversations")) == everyone  # the original is unchanged
