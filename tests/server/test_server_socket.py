"""The conversation WebSocket: the transcript rows in order, the replies of turns nobody asked
for (a timeout), and a reconnect that gets exactly the rows it missed."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from server_kit import ADMIN_TOKEN, ServerProcess, StartServer, say
from websockets.sync.client import ClientConnection, connect

TIMEOUT = 20.0


def socket_url(server: ServerProcess, cid: str, after: tuple[int, int] = (0, -1)) -> str:
    base = server.url.replace("http://", "ws://")
    return f"{base}/api/v1/conversations/{cid}/ws?after_turn={after[0]}&after_seq={after[1]}"


def receive(ws: ClientConnection) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ws.recv(timeout=TIMEOUT))
    return data


def rows_until(ws: ClientConnection, text: str) -> list[tuple[str, str]]:
    """The (type, text) of the rows received up to the one whose text is ``text``."""
    rows: list[tuple[str, str]] = []
    while not rows or rows[-1][1] != text:
        data = receive(ws)
        if data["type"] == "event":
            rows.append((data["event"]["type"], data["event"]["text"]))
    return rows


def test_messages_over_the_socket_come_back_as_rows_in_order(server: ServerProcess) -> None:
    cid = uuid.uuid4().hex
    with connect(socket_url(server, cid)) as ws:
        ws.send(json.dumps({"type": "message", "text": "hi", "message_id": "a"}))
        assert receive(ws) == {"type": "typing"}
        ws.send(json.dumps({"type": "message", "text": "pizza", "message_id": "b"}))
        rows = rows_until(ws, "you said pizza (#1)")
    assert rows == [
        ("user", "hi"),
        ("bot", "Hello!"),
        ("user", "pizza"),
        ("bot", "you said pizza (#1)"),
    ]


def test_a_bad_message_over_the_socket_is_refused_and_the_socket_goes_on(
    server: ServerProcess,
) -> None:
    cid = uuid.uuid4().hex
    with connect(socket_url(server, cid)) as ws:
        ws.send(json.dumps({"type": "message", "text": 5, "message_id": "x"}))
        refused = receive(ws)
        assert refused["type"] == "error" and refused["message_id"] == "x"
        ws.send("{not json")
        assert receive(ws)["type"] == "error"
        ws.send(json.dumps({"type": "message", "text": "hi"}))
        assert rows_until(ws, "Hello!") == [("user", "hi"), ("bot", "Hello!")]


def test_a_reconnect_gets_exactly_the_rows_it_missed(server: ServerProcess) -> None:
    cid = uuid.uuid4().hex
    with httpx.Client(timeout=30) as client:
        say(client, server.url, cid, "hi")
        say(client, server.url, cid, "one")
        with connect(socket_url(server, cid)) as ws:  # from the start: the whole transcript
            assert rows_until(ws, "you said one (#1)")[0] == ("user", "hi")
        last = client.get(f"{server.url}/api/v1/conversations/{cid}/events").json()["events"][-1]
        say(client, server.url, cid, "two")  # while nobody listens
        with connect(socket_url(server, cid, (last["turn"], last["seq"]))) as ws:
            assert rows_until(ws, "you said two (#2)") == [
                ("user", "two"),
                ("bot", "you said two (#2)"),
            ]


def test_a_timeout_is_pushed_to_the_open_socket(start_server: StartServer) -> None:
    server = start_server("--janitor-interval", "0", env={"WORKBENCH_ADMIN_TOKEN": ADMIN_TOKEN})
    cid = uuid.uuid4().hex
    with connect(socket_url(server, cid)) as ws, httpx.Client(timeout=30) as client:
        say(client, server.url, cid, "hi")
        assert rows_until(ws, "Hello!") == [("user", "hi"), ("bot", "Hello!")]
        expired = client.post(
            f"{server.url}/api/v1/admin/expire-idle?older_than=0",
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        )
        assert expired.json() == {"expired": 1}
        assert rows_until(ws, "Still there?") == [("bot", "Still there?")]


def test_the_janitor_runs_timeouts_on_its_own(start_server: StartServer, echo_bot: Any) -> None:
    (echo_bot / "bot.yml").write_text("name: echo\nlanguages: [en]\nsession_timeout: 0.2\n")
    server = start_server("--janitor-interval", "0.2")
    cid = uuid.uuid4().hex
    with connect(socket_url(server, cid)) as ws:
        ws.send(json.dumps({"type": "message", "text": "hi"}))
        assert rows_until(ws, "Still there?") == [
            ("user", "hi"),
            ("bot", "Hello!"),
            ("bot", "Still there?"),
        ]


def test_a_proactive_message_is_pushed_to_the_open_socket(server: ServerProcess) -> None:
    cid = uuid.uuid4().hex
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    url = f"{server.url}/api/v1/admin/conversations/{cid}/messages"
    with connect(socket_url(server, cid)) as ws, httpx.Client(timeout=30) as client:
        assert client.post(url, json={"text": "early"}, headers=admin).status_code == 404
        say(client, server.url, cid, "hi")
        assert rows_until(ws, "Hello!") == [("user", "hi"), ("bot", "Hello!")]
        sent = client.post(url, json={"element": "pick"}, headers=admin)
        assert sent.status_code == 200
        assert sent.json()["replies"][0]["choices"][1] == {"title": "Large", "value": "large"}
        assert rows_until(ws, "Pick a <b>size</b>") == [("bot", "Pick a <b>size</b>")]
        unknown = client.post(url, json={"element": "nope"}, headers=admin)
        assert unknown.status_code == 404 and "nope" in unknown.json()["error"]
        both = client.post(url, json={"element": "pick", "text": "x"}, headers=admin)
        assert both.status_code == 422
        assert client.post(url, json={"text": "hi"}).status_code == 401
