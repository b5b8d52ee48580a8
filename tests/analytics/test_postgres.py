"""The same answers from PostgreSQL (read with COPY into Arrow), and an export from it."""

from __future__ import annotations

from pathlib import Path

import pytest

import workbench as wb
from tests.analytics.shop_kit import play, write_shop
from workbench.analytics import AnalyticsError, NoTranscriptsError, export_parquet
from workbench.runtime import Bot

pytestmark = pytest.mark.postgres


def test_answers_and_export_from_postgres(tmp_path: Path, pg_schema_url: str) -> None:
    bot = Bot.load(write_shop(tmp_path / "shop"), db=pg_schema_url)
    try:
        played = play(bot)
        a = wb.analytics.open(bot)
        dropoff = dict(zip(a.dropoff().node, a.dropoff().conversations, strict=True))
        expected: dict[str, int] = {}
        for outcome, node in played.expected.values():
            if outcome != "end":
                expected[node] = expected.get(node, 0) + 1
        assert dropoff == expected
        assert list(a.funnel(["main.hello", "main.ask", "main.thanks"]).conversations) == [7, 3, 1]
        assert a.errors().errors.sum() == 2
        result = export_parquet(bot, tmp_path / "export", settle=0)
        assert result.new_events == len(bot.store.events(bot.name))
        again = wb.analytics.open(tmp_path / "export")
        assert (
            dict(zip(again.dropoff().node, again.dropoff().conversations, strict=True)) == dropoff
        )
        settled = export_parquet(bot, tmp_path / "later")  # default: the last minute waits
        assert settled.new_events == 0 and settled.conversations == 7
    finally:
        bot.store.close()


def test_postgres_sources_that_cannot_be_read(pg_schema_url: str) -> None:
    with pytest.raises(NoTranscriptsError, match="holds no transcripts"):
        wb.analytics.open(pg_schema_url)  # a schema without the store's tables
    with pytest.raises(AnalyticsError, match="cannot connect"):
        wb.analytics.open("postgresql://postgres@127.0.0.1:1/nothing")
    with pytest.raises(AnalyticsError) as caught:
        wb.analytics.open("postgresql://postgres:secret@127.0.0.1:1/x")
    assert "secret" not in str(caught.value) and "***" in str(caught.value)
