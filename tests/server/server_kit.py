"""Real ``workbench serve`` processes for the server tests, and the bot they serve."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

ADMIN_TOKEN = "s3cret-token"
"""The admin token of the module-scoped ``server`` fixture."""

FLOW = """\
start: hello
timeout: timed_out
nodes:
  hello:
    on_enter: [{say: {text: "Hello!"}}]
    next:
      - when: text == "menu"
        to: menu
      - to: listen
  listen:
    on_receive:
      - set: {count: "{{ (state.count or 0) + 1 }}"}
    next:
      - when: text == "menu"
        to: menu
      - when: text == "bye"
        to: goodbye
      - to: echo
  echo:
    on_enter: [{say: {text: "you said {{ text }} (#{{ state.count }})"}}]
    next: [{to: listen}]
  menu:
    on_enter: [{say: pick}, {say: offer}, {say: deals}, {say: logo}]
    next: [{to: listen}]
  goodbye:
    on_enter: [{say: {text: "Bye!"}}]
    next: [{to: END}]
  timed_out:
    on_enter: [{say: {text: "Still there?"}}]
    next: [{to: END}]
"""
CONTENT = """\
pick:
  type: choice
  text: "Pick a <b>size</b>"
  choices:
    - {title: "Small <i>", value: small}
    - {title: Large, value: large}
offer:
  type: card
  title: "Today's <script>alert(1)</script> offer"
  subtitle: Two for one
  image: https://example.invalid/pizza.png
  buttons:
    - {title: Order, value: order}
deals:
  type: carousel
  text: Deals
  cards:
    - {title: Margherita, subtitle: classic, buttons: [{title: Pick margherita, value: m}]}
    - {title: Diavola, subtitle: hot, buttons: [{title: Pick diavola, value: d}]}
logo:
  type: image
  image: https://example.invalid/logo.png
  title: Our logo
"""
BOT_FILES = {
    "bot.yml": "name: echo\nlanguages: [en]\n",
    "flows/main.flow.yml": FLOW,
    "content/messages.yml": CONTENT,
}


def write_echo_bot(folder: Path, name: str = "echo") -> Path:
    for relative, text in BOT_FILES.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("name: echo", f"name: {name}"))
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(
    process: subprocess.Popen[Any], url: str, seconds: float, log: Callable[[], str]
) -> None:
    """Until ``url/healthz`` answers 200; the server's ``log()`` in the error if it exits or
    does not answer in time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited: {log()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)  # polling a condition, with a bound
    raise AssertionError(f"the server did not answer in {seconds} s: {log()}")


class ServerProcess:
    """``workbench serve BOT`` in a subprocess, ready once ``/healthz`` answers 200."""

    def __init__(
        self,
        folder: Path,
        db: str,
        *args: str,
        env: Mapping[str, str] | None = None,
        port: int | None = None,
        wait: bool = True,
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder.parent / f"server-{self.port}.log"
        command: Sequence[str] = [
            str(Path(sys.executable).parent / "workbench"), "serve", str(folder),
            "--db", db, "--port", str(self.port), *args,
        ]  # fmt: skip
        environment = {**os.environ, "WORKBENCH_ADMIN_TOKEN": "", **(env or {})}
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
        if wait:
            self.wait_ready()

    def wait_ready(self, seconds: float = 60.0) -> None:
        wait_healthy(self.process, self.url, seconds, self.log.read_text)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()


def say(client: httpx.Client, url: str, cid: str, text: str, **fields: Any) -> httpx.Response:
    return client.post(f"{url}/api/v1/conversations/{cid}/messages", json={"text": text, **fields})


def texts(response: httpx.Response) -> list[str]:
    return [reply["text"] for reply in response.json()["replies"]]


StartServer = Callable[..., ServerProcess]
