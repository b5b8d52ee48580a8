"""A slow action in one conversation does not hold the server's other conversations back
(turns of a worker run one at a time on SQLite, but one that waits lets the others go on)."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import httpx
from server_kit import FLOW, StartServer, say, texts

SLOW_ACTIONS = """\
import time
from pathlib import Path

from workbench import ActionContext, action

HERE = Path(__file__).parent


@action
def wait_for_release(ctx: ActionContext) -> dict[str, object]:
    # a slow call (an HTTP request, a payment): another conversation's turn ends it (through
    # files: the two actions need not share a module instance)
    (HERE / "waiting").touch()
    deadline = time.monotonic() + 20
    while not (HERE / "released").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    return {"released": "yes" if (HERE / "released").exists() else "no, timed out"}


@action
def release(ctx: ActionContext) -> dict[str, object]:
    (HERE / "released").touch()
    return {}
"""


def test_other_conversations_go_on_while_an_action_waits(
    start_server: StartServer, echo_bot: Path
) -> None:
    flow = FLOW.replace(
        '      - when: text == "bye"\n',
        '      - when: text == "slow"\n        to: slow\n'
        '      - when: text == "release"\n        to: release\n'
        '      - when: text == "bye"\n',
    )
    flow += (
        "  slow:\n    on_enter:\n      - do: wait_for_release\n"
        '      - say: {text: "released: {{ state.released }}"}\n'
        "    next: [{to: listen}]\n"
        '  release:\n    on_enter: [{do: release}, {say: {text: "released"}}]\n'
        "    next: [{to: listen}]\n"
    )
    (echo_bot / "flows" / "main.flow.yml").write_text(flow)
    (echo_bot / "actions.py").write_text(SLOW_ACTIONS)
    server = start_server()
    slow, other = uuid.uuid4().hex, uuid.uuid4().hex
    answers: dict[str, list[str]] = {}
    with httpx.Client(timeout=30) as client:
        assert texts(say(client, server.url, slow, "hi")) == ["Hello!"]

        def send_slow() -> None:
            with httpx.Client(timeout=30) as own:
                answers["slow"] = texts(say(own, server.url, slow, "slow"))

        waiting = threading.Thread(target=send_slow)
        waiting.start()
        deadline = time.monotonic() + 20
        while not (echo_bot / "waiting").exists() and time.monotonic() < deadline:
            time.sleep(0.02)  # polling a condition, with a bound
        assert (echo_bot / "waiting").exists(), "the slow action did not start"
        # while the slow turn waits, another conversation has whole turns, and one of them
        # ends the wait (had they waited behind it, the slow one would time out first)
        assert texts(say(client, server.url, other, "hi")) == ["Hello!"]
        assert texts(say(client, server.url, other, "x")) == ["you said x (#1)"]
        assert texts(say(client, server.url, other, "release")) == ["released"]
        waiting.join(30)
        assert answers["slow"] == ["released: yes"]
