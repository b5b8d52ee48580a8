"""Shared fixtures: paths of the repository and a way to write bot folders."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
import sqlalchemy

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_BOTS = ROOT / "sample_bots"

BotWriter = Callable[..., Path]


def write_bot(folder: Path, files: Mapping[str, str], name: str = "t") -> Path:
    """Write a bot folder: ``files`` maps relative paths to their text."""
    folder.mkdir(parents=True, exist_ok=True)
    if "bot.yml" not in files:
        (folder / "bot.yml").write_text(f"name: {name}\n")
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


@pytest.fixture
def bot_folder(tmp_path: Path) -> BotWriter:
    """``bot_folder({"flows/main.flow.yml": "..."})`` writes a bot folder under tmp_path."""

    def make(files: Mapping[str, str], name: str = "t") -> Path:
        return write_bot(tmp_path / name, files, name)

    return make


PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The test PostgreSQL database; skipped if unreachable, but a failure when CI=true."""
    url = os.environ.get("WORKBENCH_TEST_PG", PG_DEFAULT)
    engine = sqlalchemy.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except sqlalchemy.exc.SQLAlchemyError as error:
        message = f"PostgreSQL unreachable at {url}: {str(error).splitlines()[0]}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    finally:
        engine.dispose()
    return url
