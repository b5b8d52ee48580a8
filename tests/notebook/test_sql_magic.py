"""``%%sql`` in a real IPython shell: a DataFrame from the transcripts, errors in one line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

import workbench as wb
from tests.analytics.shop_kit import Played, played_shop


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Played]:
    yield from played_shop(tmp_path)


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:IPython.*")


@pytest.fixture
def shell() -> Iterator[InteractiveShell]:
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "workbench")
    yield ip
    InteractiveShell.clear_instance()


def run(shell: InteractiveShell, cell: str) -> object:
    result = shell.run_cell(cell, store_history=False)
    error = result.error_in_exec or result.error_before_exec
    if error is not None:
        raise error
    return result.result


def test_a_sql_cell_returns_a_dataframe(shell: InteractiveShell, shop: Played) -> None:
    shell.user_ns["a"] = wb.analytics.open(shop.bot)
    frame = run(shell, "%%sql a\nSELECT outcome, count(*) AS n FROM conversations GROUP BY 1")
    assert isinstance(frame, pd.DataFrame)
    assert dict(zip(frame.outcome, frame.n, strict=True)) == {
        "end": 3, "open": 1, "timeout": 2, "error": 1
    }  # fmt: skip
    shell.user_ns["wanted"] = "timeout"
    run(shell, "%%sql -o timed_out\nSELECT * FROM conversations WHERE outcome = $wanted")
    assert len(shell.user_ns["timed_out"]) == 2  # the one Analytics in the namespace, a $name


def test_a_bot_variable_or_a_source_works_too(shell: InteractiveShell, shop: Played) -> None:
    shell.user_ns["bot"] = shop.bot
    assert run(shell, "%%sql\nSELECT count(*) AS n FROM conversations").n[0] == 7
    assert shop.bot.path is not None
    frame = run(shell, f"%%sql --source {shop.bot.path}\nSELECT DISTINCT bot FROM events")
    assert list(frame.bot) == ["shop"]


def test_errors_are_one_line(shell: InteractiveShell, shop: Played) -> None:
    shell.user_ns["a"] = wb.analytics.open(shop.bot)
    with pytest.raises(UsageError, match=r'query failed: .*"nope"'):
        run(shell, "%%sql a\nSELECT nope FROM events")
    with pytest.raises(UsageError, match="no variable 'b'"):
        run(shell, "%%sql b\nSELECT 1")
    shell.user_ns["n"] = 3
    with pytest.raises(UsageError, match="n is a int"):
        run(shell, "%%sql n\nSELECT 1")
    with pytest.raises(UsageError, match="no such bot folder"):
        run(shell, "%%sql --source /no/where\nSELECT 1")
