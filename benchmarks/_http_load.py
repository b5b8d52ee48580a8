"""A lean HTTP/1.1 load generator: ``concurrency`` users, each on its own keep-alive
connection, playing pizza orders (``_scenario.script``) one message after the other against
``POST /api/v1/conversations/{cid}/messages``, for a fixed time.

Raw asyncio streams with the request bytes written by hand: an HTTP client library would cost
the 2-core machine more CPU than the server it measures.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

from _scenario import Reply, script


@dataclass
class Load:
    """What a run measured: each turn's end time and latency (ns), errors, and the replies of
    the first conversation (checked against the expected ones)."""

    ends: list[int] = field(default_factory=list)
    latencies: list[int] = field(default_factory=list)
    errors: int = 0
    first: list[list[Reply]] = field(default_factory=list)


async def _request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, cid: str, text: str
) -> tuple[int, bytes]:
    body = json.dumps({"text": text}).encode()
    head = (
        f"POST /api/v1/conversations/{cid}/messages HTTP/1.1\r\nHost: bench\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    writer.write(head.encode() + body)
    headers = await reader.readuntil(b"\r\n\r\n")
    status = int(headers[9:12])
    length = 0
    for line in headers.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    return status, await reader.readexactly(length)


def _replies(body: bytes) -> list[Reply]:
    data: Any = json.loads(body)
    return [(r["text"], [c["title"] for c in r["choices"]]) for r in data["replies"]]


async def _user(port: int, run: str, user: int, stop: float, load: Load) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    conversation = user
    try:
        while time.perf_counter() < stop:
            cid = f"{run}-{user}-{conversation}"
            for text in script(conversation):
                started = time.perf_counter_ns()
                status, body = await _request(reader, writer, cid, text)
                ended = time.perf_counter_ns()
                if status != 200:
                    load.errors += 1
                    continue
                load.ends.append(ended)
                load.latencies.append(ended - started)
                if user == 0 and conversation == 0:
                    load.first.append(_replies(body))
            conversation += 10_000
    finally:
        writer.close()


async def _run(port: int, run: str, concurrency: int, seconds: float) -> Load:
    load = Load()
    stop = time.perf_counter() + seconds
    await asyncio.gather(*(_user(port, run, user, stop, load) for user in range(concurrency)))
    return load


def run_load(port: int, run: str, concurrency: int, seconds: float) -> Load:
    """Play for ``seconds`` (users finish the conversation they are in)."""
    try:
        import uvloop  # uvicorn[standard] brings it: a faster loop for the client too

        return uvloop.run(_run(port, run, concurrency, seconds))
    except ImportError:
        return asyncio.run(_run(port, run, concurrency, seconds))
