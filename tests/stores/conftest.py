"""Fixtures for the store tests: every contract test runs on memory, a SQLite file and PostgreSQL.

PostgreSQL comes from ``WORKBENCH_TEST_PG`` (default: the local server, user ``postgres``, then
``root``). If it cannot be reached the PostgreSQL tests are skipped, except when ``CI`` is
``true``: there a missing server is a failure, not a silent skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy

from workbench.stores import MemoryStore, SQLStore, Store

PG_ENV = "WORKBENCH_TEST_PG"
PG_DEFAULTS = (
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://root@127.0.0.1:5432/test",
)
BACKENDS = [
    "memory",
    "sqlite",
    pytest.param("postgres", marks=pytest.mark.postgres),
]


def _reachable(url: str) -> str | None:
    """None if ``url`` answers, else why not."""
    engine = sqlalchemy.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except sqlalchemy.exc.SQLAlchemyError as error:
        return f"{url}: {error.__class__.__name__}: {str(error).splitlines()[0]}"
    finally:
        engine.dispose()
    return None


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The URL of the test PostgreSQL database (skip, or fail under CI, if unreachable)."""
    candidates = [os.environ[PG_ENV]] if os.environ.get(PG_ENV) else list(PG_DEFAULTS)
    problems = []
    for url in candidates:
        problem = _reachable(url)
        if problem is None:
            return url
        problems.append(problem)
    message = "PostgreSQL unreachable (set WORKBENCH_TEST_PG): " + "; ".join(problems)
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def bot() -> str:
    """A bot name no other test uses: tests share the PostgreSQL database."""
    return f"test-{uuid.uuid4().hex}"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The URL of a store of ``backend`` (a fresh file for SQLite, the shared db for PG)."""
    if backend == "memory":
        return "memory://"
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(store_url: str, bot: str) -> Iterator[Store]:
    """A store of each backend; on PostgreSQL the test's rows are deleted afterwards."""
    opened: Store = MemoryStore() if store_url == "memory://" else SQLStore(store_url)
    yield opened
    opened.close()
    if store_url.startswith("postgresql"):
        delete_bot_rows(store_url, bot)


@pytest.fixture
def pg_bot(pg_url: str, bot: str) -> Iterator[str]:
    """A bot name for a test that opens its own PostgreSQL stores; its rows go afterwards."""
    yield bot
    delete_bot_rows(pg_url, bot)


def delete_bot_rows(url: str, bot: str) -> None:
    """Remove every row of ``bot`` (and of ``bot-...``) from the shared test database."""
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as conn:
        tables = (
            "wb_conversations",
            "wb_users",
            "wb_bots",
            "wb_events",
            "wb_versions",
            "wb_messages",
        )
        for table in tables:
            conn.execute(
                sqlalchemy.text(f"DELETE FROM {table} WHERE bot = :bot OR bot LIKE :family"),
                {"bot": bot, "family": f"{bot}-%"},
            )
    engine.dispose()


@pytest.fixture
def fresh_pg_url(pg_url: str) -> Iterator[str]:
    """The test database, with a schema of its own: the store's tables do not exist yet."""
    schema = f"wb_test_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(pg_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = sqlalchemy.make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A SQLite file or PostgreSQL schema that has no tables yet."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.db'}"
    return str(request.getfixturevalue("fresh_pg_url"))
