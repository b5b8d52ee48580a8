"""The HTTP API of ``workbench serve`` (DESIGN.md "Contracts"), on a real server process and a
real SQLite file."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from server_kit import ADMIN_TOKEN, ServerProcess, StartServer, say, texts


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client


def new_id() -> str:
    return uuid.uuid4().hex


def test_healthz_answers_once_ready(server: ServerProcess, client: httpx.Client) -> None:
    answer = client.get(f"{server.url}/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok", "bot": "echo"}


def test_messages_get_replies_and_the_conversation_goes_on(
    server: ServerProcess, client: httpx.Client
) -> None:
    cid = new_id()
    assert texts(say(client, server.url, cid, "hi")) == ["Hello!"]
    assert texts(say(client, server.url, cid, "pizza")) == ["you said pizza (#1)"]
    assert texts(say(client, server.url, cid, "pasta")) == ["you said pasta (#2)"]


def test_a_repeated_message_id_answers_the_first_replies_and_changes_nothing(
    server: ServerProcess, client: httpx.Client
) -> None:
    cid = new_id()
    say(client, server.url, cid, "hi")
    first = say(client, server.url, cid, "pizza", message_id="m-1")
    events = client.get(f"{server.url}/api/v1/conversations/{cid}/events").json()["events"]
    again = say(client, server.url, cid, "something else", message_id="m-1")
    assert again.status_code == 200 and again.json() == first.json()
    assert texts(again) == ["you said pizza (#1)"]
    after = client.get(f"{server.url}/api/v1/conversations/{cid}/events").json()["events"]
    assert after == events
    assert texts(say(client, server.url, cid, "pasta", message_id="m-2")) == ["you said pasta (#2)"]


def test_events_are_the_transcript_rows_in_order(
    server: ServerProcess, client: httpx.Client
) -> None:
    cid = new_id()
    say(client, server.url, cid, "hi", user_id="ann")
    say(client, server.url, cid, "pizza", user_id="ann")
    answer = client.get(f"{server.url}/api/v1/conversations/{cid}/events")
    assert answer.status_code == 200
    rows = answer.json()["events"]
    said = [(r["turn"], r["type"], r["text"]) for r in rows if r["type"] in ("user", "bot")]
    assert said == [
        (1, "user", "hi"),
        (1, "bot", "Hello!"),
        (2, "user", "pizza"),
        (2, "bot", "you said pizza (#1)"),
    ]
    assert {r["user_id"] for r in rows} == {"ann"} and {r["channel"] for r in rows} == {"web"}
    assert {"flow", "node", "intent", "confidence", "ts", "language", "payload"} <= set(rows[0])


def test_an_unknown_conversation_is_a_404(server: ServerProcess, client: httpx.Client) -> None:
    cid = new_id()
    for answer in (
        client.get(f"{server.url}/api/v1/conversations/{cid}/events"),
        client.delete(f"{server.url}/api/v1/conversations/{cid}"),
    ):
        assert answer.status_code == 404
        assert cid in answer.json()["error"]


def test_delete_resets_the_conversation(server: ServerProcess, client: httpx.Client) -> None:
    cid = new_id()
    say(client, server.url, cid, "hi")
    say(client, server.url, cid, "pizza")
    answer = client.delete(f"{server.url}/api/v1/conversations/{cid}")
    assert answer.status_code == 200 and answer.json() == {"conversation_id": cid, "reset": True}
    assert texts(say(client, server.url, cid, "hi again")) == ["Hello!"]
    assert texts(say(client, server.url, cid, "pizza")) == ["you said pizza (#1)"]


def test_the_admin_status_needs_the_token(server: ServerProcess, client: httpx.Client) -> None:
    url = f"{server.url}/api/v1/admin/status"
    assert client.get(url).status_code == 401
    wrong = client.get(url, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    assert client.get(url, headers={"Authorization": ADMIN_TOKEN}).status_code == 401
    answer = client.get(url, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert answer.status_code == 200
    status = answer.json()
    assert status["bot"] == "echo" and status["store"].startswith("sqlite:///")
    assert status["pid"] == server.process.pid
    assert {"flow_version", "instance", "open_conversations", "turns"} <= set(status)


def test_admin_routes_refuse_everyone_without_a_token(
    start_server: StartServer, client: httpx.Client
) -> None:
    server = start_server("--janitor-interval", "0")
    for headers in ({}, {"Authorization": "Bearer x"}, {"Authorization": "Bearer anything"}):
        answer = client.get(f"{server.url}/api/v1/admin/status", headers=headers)
        assert answer.status_code == 403
        assert "WORKBENCH_ADMIN_TOKEN" in answer.json()["error"]


def test_openapi_describes_the_routes(server: ServerProcess, client: httpx.Client) -> None:
    spec = client.get(f"{server.url}/openapi.json").json()
    assert {
        "/healthz",
        "/api/v1/conversations/{conversation_id}/messages",
        "/api/v1/conversations/{conversation_id}/events",
        "/api/v1/conversations/{conversation_id}",
        "/api/v1/admin/status",
        "/metrics",
    } <= set(spec["paths"])


def test_metrics_count_turns(server: ServerProcess, client: httpx.Client) -> None:
    cid = new_id()
    say(client, server.url, cid, "hi", message_id="a")
    say(client, server.url, cid, "hi", message_id="a")
    answer = client.get(f"{server.url}/metrics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    lines = answer.text.splitlines()
    assert any(line.startswith('workbench_turns_total{outcome="repeated"} ') for line in lines)
    assert any(line.startswith("workbench_turn_seconds_bucket") for line in lines)
    assert any(line.startswith("workbench_open_conversations ") for line in lines)


def test_metrics_count_error_answers(server: ServerProcess, client: httpx.Client) -> None:
    client.post(f"{server.url}/api/v1/conversations/{new_id()}/messages", content=b"{")
    lines = client.get(f"{server.url}/metrics").text.splitlines()
    assert any(line.startswith('workbench_http_errors_total{status="422"} ') for line in lines)


def test_a_payload_keeps_integers_beyond_64_bits(
    server: ServerProcess, client: httpx.Client
) -> None:
    """Found by the fuzzer: JSON numbers have no size limit; the transcript answers them."""
    cid = new_id()
    big = 2**70
    assert say(client, server.url, cid, "hi", payload={"n": big}).status_code == 200
    events = client.get(f"{server.url}/api/v1/conversations/{cid}/events")
    assert events.status_code == 200
    assert events.json()["events"][0]["payload"]["payload"] == {"n": big}


def test_no_page_loads_scripts_from_elsewhere(server: ServerProcess, client: httpx.Client) -> None:
    assert client.get(f"{server.url}/docs").status_code == 404  # FastAPI's would use a CDN
    chat = client.get(f"{server.url}/chat")
    assert chat.status_code == 200 and "http" not in chat.text.split("<body>")[0]
    assert "script-src 'self'" in chat.headers["content-security-policy"]
