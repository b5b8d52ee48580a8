"""Bad input gets a 4xx with a JSON message: no traceback, nothing stored."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from server_kit import ServerProcess, StartServer, say


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client


JSON = {"Content-Type": "application/json"}
BAD_BODIES: list[tuple[str, bytes, int]] = [
    ("not JSON", b'{"text": ', 422),
    ("not an object", b'["hi"]', 422),
    ("a number for the text", b'{"text": 42}', 422),
    ("null for the text", b'{"text": null}', 422),
    ("an unknown field", b'{"text": "hi", "admin": true}', 422),
    ("a control character", b'{"text": "hi\\u0000there"}', 422),
    ("an escape character", b'{"text": "\\u001b[31mred"}', 422),
    ("a lone surrogate", b'{"text": "\\ud800"}', 422),
    ("invalid UTF-8", b'{"text": "\xff\xfe"}', 422),
    ("a too long text", b'{"text": "' + b"x" * 5000 + b'"}', 422),
    ("a user id with spaces", b'{"text": "hi", "user_id": "a b"}', 422),
    ("an empty message id", b'{"text": "hi", "message_id": ""}', 422),
    ("a payload that is a list", b'{"text": "hi", "payload": [1]}', 422),
    ("a huge body", b'{"text": "' + b"x" * 70_000 + b'"}', 413),
]


@pytest.mark.parametrize(("what", "body", "status"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_a_bad_message_is_refused_and_nothing_is_stored(
    server: ServerProcess, client: httpx.Client, what: str, body: bytes, status: int
) -> None:
    cid = uuid.uuid4().hex
    answer = client.post(
        f"{server.url}/api/v1/conversations/{cid}/messages", content=body, headers=JSON
    )
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    error = answer.json()
    assert error["error"] and isinstance(error["problems"], list)
    assert "Traceback" not in answer.text and "xxxxxxxx" not in answer.text
    assert client.get(f"{server.url}/api/v1/conversations/{cid}/events").status_code == 404


def test_a_huge_body_without_a_length_is_refused(
    server: ServerProcess, client: httpx.Client
) -> None:
    cid = uuid.uuid4().hex

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 1000
        yield b'"}'

    answer = client.post(
        f"{server.url}/api/v1/conversations/{cid}/messages", content=chunks(), headers=JSON
    )
    assert answer.status_code == 413 and "larger than" in answer.json()["error"]
    assert client.get(f"{server.url}/api/v1/conversations/{cid}/events").status_code == 404


@pytest.mark.parametrize("cid", ["-starts-with-dash", "x" * 129, "a b", "caf%C3%A9", "a%00b"])
def test_a_bad_conversation_id_is_refused(
    server: ServerProcess, client: httpx.Client, cid: str
) -> None:
    answer = client.post(f"{server.url}/api/v1/conversations/{cid}/messages", json={"text": "hi"})
    assert answer.status_code == 422
    assert "conversation_id" in answer.json()["problems"][0]


def test_script_tags_are_text_like_any_other(server: ServerProcess, client: httpx.Client) -> None:
    """A user may type markup: it is stored and answered as the text it is (the web chat
    escapes it when it shows it)."""
    cid = uuid.uuid4().hex
    say(client, server.url, cid, "hi")
    answer = say(client, server.url, cid, "<script>alert(1)</script>")
    assert answer.json()["replies"][0]["text"] == "you said <script>alert(1)</script> (#1)"


def test_rate_limit_refuses_the_messages_over_it(
    start_server: StartServer, client: httpx.Client
) -> None:
    server = start_server("--janitor-interval", "0", "--rate-limit", "3")
    cid = uuid.uuid4().hex
    answers = [say(client, server.url, cid, f"m{i}") for i in range(4)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    refused = answers[3]
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert "3 messages a minute" in refused.json()["error"]
    events = client.get(f"{server.url}/api/v1/conversations/{cid}/events").json()["events"]
    assert [e["text"] for e in events if e["type"] == "user"] == ["m0", "m1", "m2"]


def test_no_cors_headers_unless_configured(
    server: ServerProcess, start_server: StartServer, client: httpx.Client
) -> None:
    origin = {"Origin": "https://shop.example"}
    assert (
        "access-control-allow-origin"
        not in client.get(f"{server.url}/healthz", headers=origin).headers
    )
    allowed = start_server("--janitor-interval", "0", "--cors-origin", "https://shop.example")
    answer = client.get(f"{allowed.url}/healthz", headers=origin)
    assert answer.headers["access-control-allow-origin"] == "https://shop.example"
    other = client.get(f"{allowed.url}/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
