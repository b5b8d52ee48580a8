"""``export_parquet`` / ``workbench export``: incremental, atomic, readable after a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import workbench as wb
from tests.analytics.shop_kit import Played, play
from workbench.analytics import AnalyticsError, export_parquet
from workbench.analytics import _export as export_module


def conversations_by_outcome(source: object) -> dict[str, str]:
    frame = wb.analytics.open(source).sql("SELECT conversation_id, outcome FROM conversations")
    return dict(zip(frame.conversation_id, frame.outcome, strict=True))


def test_each_run_appends_only_the_new_events(shop: Played, tmp_path: Path) -> None:
    bot, out = shop.bot, tmp_path / "export"
    first = export_parquet(bot, out)
    rows = len(bot.store.events(bot.name))
    assert (first.new_events, first.events, first.conversations) == (rows, rows, 7)
    again = export_parquet(bot, out)
    assert (again.new_events, again.file) == (0, None)
    play(bot)  # seven more conversations
    third = export_parquet(bot, out)
    total = len(bot.store.events(bot.name))
    assert third.new_events == total - rows and third.events == total
    files = sorted((out / "events").glob("*.parquet"))
    assert len(files) == 2
    ids = [pq.read_table(f, columns=["id"]).column("id").to_pylist() for f in files]
    assert ids[0][-1] < ids[1][0] and len(set(ids[0] + ids[1])) == total
    assert conversations_by_outcome(out) == conversations_by_outcome(bot)
    manifest = json.loads((out / "export.json").read_text())
    assert manifest["bot"] == "shop" and manifest["last_id"] == ids[1][-1]
    assert "exported" in str(third) and f"{total:,} in all" in str(third)


def test_a_crash_mid_export_leaves_a_readable_set(
    shop: Played, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot, out = shop.bot, tmp_path / "export"
    export_parquet(bot, out)
    before = conversations_by_outcome(out)
    play(bot)

    def crash(*_args: object) -> None:
        raise KeyboardInterrupt  # as if the process were stopped mid-file

    monkeypatch.setattr(export_module.pq.ParquetWriter, "write_batch", crash)
    with pytest.raises(KeyboardInterrupt):
        export_parquet(bot, out)
    monkeypatch.undo()
    assert (out / "events" / ".events.tmp").exists()  # the half-written file is hidden...
    assert conversations_by_outcome(out) == before  # ...and the set reads as before
    export_parquet(bot, out)  # the next run completes it
    assert conversations_by_outcome(out) == conversations_by_outcome(bot)


def test_a_half_written_file_from_elsewhere_is_named(shop: Played, tmp_path: Path) -> None:
    out = tmp_path / "export"
    export_parquet(shop.bot, out)
    good = next((out / "events").glob("*.parquet"))
    broken = out / "events" / "copied.parquet"
    broken.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(AnalyticsError, match=r"copied\.parquet: not a complete Parquet file"):
        wb.analytics.open(out)
    with pytest.raises(AnalyticsError, match=r"copied\.parquet: not a complete Parquet file"):
        export_parquet(shop.bot, out)
    broken.unlink()
    (out / "conversations.parquet").unlink()
    with pytest.raises(AnalyticsError, match=r"no conversations\.parquet"):
        wb.analytics.open(out)


def test_an_export_folder_belongs_to_one_bot_and_store(tmp_path: Path, shop: Played) -> None:
    out = tmp_path / "export"
    export_parquet(shop.bot, out)
    manifest = out / "export.json"
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "bot": "another"}))
    with pytest.raises(AnalyticsError, match="holds an export of bot 'another'"):
        export_parquet(shop.bot, out)
    with pytest.raises(AnalyticsError, match="already a folder of Parquet files"):
        export_parquet(out, tmp_path / "again")
