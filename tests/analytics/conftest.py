"""Fixtures of the analytics tests: the shop bot with conversations (see ``shop_kit``), and a
PostgreSQL schema of the test's own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.analytics.shop_kit import Played, played_shop


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Played]:
    yield from played_shop(tmp_path)
