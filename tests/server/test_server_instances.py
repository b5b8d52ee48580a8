"""Several server processes on one store and one folder: any of them takes any message of any
conversation, and a change of the folder reaches each on its next turn."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
from server_kit import FLOW, ServerProcess, StartServer, say, texts


def test_a_conversation_goes_on_at_any_instance(start_server: StartServer) -> None:
    # both start at once on a new SQLite file: each creates or migrates the schema safely
    first, second = start_server(wait=False), start_server(wait=False)
    first.wait_ready()
    second.wait_ready()
    cid = uuid.uuid4().hex
    with httpx.Client(timeout=30) as client:
        servers = [first, second, first, second]
        answers = [texts(say(client, s.url, cid, f"m{i}")) for i, s in enumerate(servers)]
        assert answers == [
            ["Hello!"],
            ["you said m1 (#1)"],
            ["you said m2 (#2)"],
            ["you said m3 (#3)"],
        ]
        again = say(client, second.url, cid, "m2 again", message_id="k")
        assert texts(say(client, first.url, cid, "other", message_id="k")) == texts(again)


def test_a_flow_and_content_change_reach_every_instance_on_their_next_turn(
    start_server: StartServer, echo_bot: Path
) -> None:
    servers: list[ServerProcess] = [start_server(), start_server()]
    with httpx.Client(timeout=30) as client:
        old = uuid.uuid4().hex
        assert texts(say(client, servers[0].url, old, "hi")) == ["Hello!"]
        for server in servers:  # both have run the bot as it was
            assert texts(say(client, server.url, uuid.uuid4().hex, "hi")) == ["Hello!"]
        flow = echo_bot / "flows" / "main.flow.yml"
        flow.write_text(FLOW.replace('"you said ', '"now you said ').replace("Hello!", "Howdy!"))
        content = echo_bot / "content" / "messages.yml"
        content.write_text(content.read_text().replace("Pick a <b>size</b>", "Choose a size"))
        for server in servers:
            cid = uuid.uuid4().hex
            assert texts(say(client, server.url, cid, "hi")) == ["Howdy!"]
            assert texts(say(client, server.url, cid, "x")) == ["now you said x (#1)"]
            assert texts(say(client, server.url, cid, "menu"))[0] == "Choose a size"
        # a conversation started before the change keeps its flow version
        assert texts(say(client, servers[1].url, old, "x")) == ["you said x (#1)"]


def test_several_workers_serve_one_port(start_server: StartServer) -> None:
    server = start_server("--workers", "2", "--janitor-interval", "0")
    with httpx.Client(timeout=30) as client:
        for cid in (uuid.uuid4().hex, uuid.uuid4().hex, uuid.uuid4().hex):
            assert texts(say(client, server.url, cid, "hi")) == ["Hello!"]
            assert texts(say(client, server.url, cid, "x")) == ["you said x (#1)"]
