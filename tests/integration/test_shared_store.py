"""Several Bot objects (as several server instances would) sharing one database.

No conversation state lives in process memory: any instance can take the next turn, concurrent
turns of one conversation are serialised, and none is lost or applied twice.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import workbench as wb
from tests.conftest import SAMPLE_BOTS, BotWriter

COUNTER = {
    "flows/main.flow.yml": """start: count
nodes:
  count:
    on_enter:
      - set: {count: "{{ (state.count or 0) + 1 }}"}
      - say: {text: "{{ state.count }}"}
    on_receive: []
    next:
      - to: count
""",
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/shared.db"
    url: str = request.getfixturevalue("pg_url")
    return url


def test_instances_take_turns_on_one_conversation(db_url: str) -> None:
    name = f"pizza_{uuid.uuid4().hex[:8]}"
    bots = [wb.Bot.load(SAMPLE_BOTS / "pizza", db=db_url) for _ in range(2)]
    for bot in bots:  # a unique bot name keeps runs apart on the shared Postgres database
        bot.name = name
    cid = uuid.uuid4().hex
    script = ["hi", "large", "ham", "done", "yes", "cash"]
    replies = [bots[i % 2].conversation("ana", cid).say(text) for i, text in enumerate(script)]
    assert replies[-1][-1].text == "Thanks! Your large pizza is on its way. 🍕"
    events = bots[0].events(cid)
    assert [e.text for e in events if e.type == "user"] == script
    assert [e.turn for e in events if e.type == "user"] == list(range(1, 7))
    assert bots[1].store.user_vars(name, "ana") == {"orders": 1}
    for bot in bots:
        bot.store.close()


def test_concurrent_turns_are_serialised(db_url: str, bot_folder: BotWriter) -> None:
    """2 x 200 messages to one conversation from two instances on threads: count == 400."""
    folder = bot_folder(COUNTER, name=f"counter_{uuid.uuid4().hex[:8]}")
    bots = [wb.Bot.load(folder, db=db_url) for _ in range(2)]
    cid = uuid.uuid4().hex

    def send(i: int) -> str:
        return bots[i % 2].conversation("u", cid).say(f"m{i}")[0].text

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(send, range(400)))
    conv = bots[0].conversation("u", cid)
    # the first message starts the session (count 1); each later one re-enters the node
    assert conv.state["count"] == 400
    assert sorted(int(a) for a in answers) == list(range(1, 401))
    users = [e for e in bots[0].events(cid) if e.type == "user"]
    assert len(users) == 400
    assert sorted(e.turn for e in users) == list(range(1, 401))
    assert len({e.text for e in users}) == 400
    for bot in bots:
        bot.store.close()
