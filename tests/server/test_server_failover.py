"""Scale-out on PostgreSQL under load and a fault: two server instances on one database, 200
conversations at once, one instance killed with SIGKILL in the middle.

Each simulated client sends its messages one after the other, each with a ``message_id``, to
its instance; when that instance is gone it sends the same message (same id) to the other one,
as a load balancer's retry would. Afterwards every conversation's transcript holds each message
exactly once, in order, with the replies the client got, and every conversation goes on at the
surviving instance. Bounded: 200 x 6 messages, each request with a timeout.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy
from server_kit import ServerProcess, write_echo_bot

CONVERSATIONS = 200
MESSAGES = 6
KILL_AFTER = CONVERSATIONS * MESSAGES // 3
"""Acknowledged turns before the first instance is killed."""
REQUEST_TIMEOUT = 30.0


@pytest.fixture
def pg_schema_url(pg_url: str) -> Iterator[str]:
    """``pg_url`` with a schema of its own (created empty: the servers create the tables)."""
    schema = f"srv_{uuid.uuid4().hex[:12]}"
    engine = sqlalchemy.create_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in pg_url else "?"
    yield f"{pg_url}{separator}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    engine.dispose()


class Clients:
    """The simulated clients and what they were told."""

    def __init__(self, urls: list[str], victim: ServerProcess) -> None:
        self.urls = urls
        self.victim = victim
        self.acknowledged = 0
        self.failovers = 0
        self.replies: dict[str, list[list[str]]] = {}

    async def send(self, client: httpx.AsyncClient, cid: str, index: int, text: str) -> list[str]:
        """Send until acknowledged: to the conversation's instance, then to the other one."""
        body = {"text": text, "message_id": f"{cid}-{index}"}
        home = int(cid, 16) % 2
        order = [self.urls[home], self.urls[1 - home]]
        for attempt in range(20):
            url = order[0] if attempt == 0 else order[1]
            try:
                answer = await client.post(f"{url}/api/v1/conversations/{cid}/messages", json=body)
            except httpx.TransportError:
                self.failovers += 1
                order = [order[1], order[1]]
                continue
            assert answer.status_code == 200, answer.text
            self.acknowledged += 1
            if self.acknowledged == KILL_AFTER:
                self.victim.kill()  # SIGKILL, mid-load
            return [reply["text"] for reply in answer.json()["replies"]]
        raise AssertionError(f"{cid}: message {index} never acknowledged")

    async def conversation(self, client: httpx.AsyncClient, cid: str) -> None:
        told = self.replies[cid] = []
        for index in range(MESSAGES):
            told.append(await self.send(client, cid, index, "hi" if index == 0 else f"m{index}"))

    async def run(self, cids: list[str]) -> None:
        limits = httpx.Limits(max_connections=CONVERSATIONS * 2)
        async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT, limits=limits) as client:
            await asyncio.gather(*(self.conversation(client, cid) for cid in cids))


@pytest.mark.postgres
def test_no_acknowledged_turn_is_lost_when_an_instance_dies(
    pg_schema_url: str, tmp_path: Path
) -> None:
    folder = write_echo_bot(tmp_path / "echo", name=f"load{uuid.uuid4().hex[:8]}")
    # both start at once on an empty schema: each creates or migrates it safely
    servers = [ServerProcess(folder, pg_schema_url, "--janitor-interval", "0", wait=False)]
    servers.append(ServerProcess(folder, pg_schema_url, "--janitor-interval", "0", wait=False))
    try:
        for server in servers:
            server.wait_ready()
        victim, survivor = servers
        clients = Clients([victim.url, survivor.url], victim)
        cids = [uuid.uuid4().hex for _ in range(CONVERSATIONS)]
        asyncio.run(clients.run(cids))
        assert victim.process.returncode is not None and clients.failovers > 0

        expected = ["Hello!"] + [f"you said m{i} (#{i})" for i in range(1, MESSAGES)]
        with httpx.Client(timeout=REQUEST_TIMEOUT) as client:
            for cid in cids:
                assert [texts[0] for texts in clients.replies[cid]] == expected
                rows = client.get(f"{survivor.url}/api/v1/conversations/{cid}/events")
                events = rows.json()["events"]
                users = [e["text"] for e in events if e["type"] == "user"]
                bots = [e["text"] for e in events if e["type"] == "bot"]
                assert users == ["hi"] + [f"m{i}" for i in range(1, MESSAGES)], cid
                assert bots == expected, cid
                turns = [e["turn"] for e in events if e["type"] == "user"]
                assert turns == list(range(1, MESSAGES + 1)), cid
                goes_on = client.post(
                    f"{survivor.url}/api/v1/conversations/{cid}/messages", json={"text": "more"}
                )
                assert goes_on.json()["replies"][0]["text"] == f"you said more (#{MESSAGES})"
    finally:
        for server in servers:
            server.stop()
