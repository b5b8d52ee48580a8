"""Fixtures of the analytics tests: the shop bot with conversations (see ``shop_kit``), and a
PostgreSQL schema of the test's own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy

from tests.analytics.shop_kit import Played, played_shop


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Played]:
    yield from played_shop(tmp_path)


@pytest.fixture
def pg_schema_url(pg_url: str) -> Iterator[str]:
    """The test PostgreSQL database with a schema of this test's own (its search_path)."""
    schema = f"wb_analytics_{uuid.uuid4().hex[:10]}"
    admin = sqlalchemy.create_engine(pg_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = sqlalchemy.make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()
