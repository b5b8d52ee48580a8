"""The Jupyter server API the JupyterLab extension talks to, through a real Jupyter server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPClientError

from tests.jupyter.conftest import Api

PIZZA = "sample_bots/pizza"  # sent URL-encoded as one segment


async def call(api: Api, *parts: str, method: str = "GET", body: Any = None) -> Any:
    response = await api(method, *parts, body=body)
    return json.loads(response.body) if response.body else None


async def error(api: Api, *parts: str, method: str = "GET", body: Any = None) -> Any:
    with pytest.raises(HTTPClientError) as raised:
        await call(api, *parts, method=method, body=body)
    response = raised.value.response
    assert response is not None
    assert response.headers["Content-Type"].startswith("application/json")
    return raised.value.code, json.loads(response.body)


async def test_lists_the_bots_below_the_root(api: Api, lab_root: Path) -> None:
    bots = (await call(api, "bots"))["bots"]
    assert [(b["name"], b["path"]) for b in bots] == [
        ("pizza", "sample_bots/pizza"),
        ("support", "sample_bots/support"),
        ("survey", "sample_bots/survey"),
    ]
    assert bots[0]["flows"] == ["checkout", "main"]
    assert bots[0]["languages"] == ["en"]


async def test_jp_fetch_reaches_the_api(jp_fetch: Any, lab_root: Path) -> None:
    response = await jp_fetch("workbench", "api", "bots")
    assert len(json.loads(response.body)["bots"]) == 3


async def test_graph_of_every_flow_with_lint_and_style(api: Api, lab_root: Path) -> None:
    graph = await call(api, "bots", PIZZA, "graph")
    assert set(graph["flows"]) == {"main", "checkout"}
    nodes = {n["data"]["id"]: n for n in graph["flows"]["main"]["nodes"]}
    assert nodes["main.ask_size"]["data"]["kind"] == "waits"
    assert "position" in nodes["main.ask_size"]
    edges = {(e["data"]["source"], e["data"]["target"]) for e in graph["flows"]["main"]["edges"]}
    assert ("main.ask_size", "main.ask_toppings") in edges
    assert graph["lint"] == []
    assert any(rule["selector"].startswith("node") for rule in graph["style"])


async def test_a_broken_flow_is_lint_with_its_file_and_line(api: Api, lab_root: Path) -> None:
    flow = lab_root / "sample_bots/pizza/flows/main.flow.yml"
    flow.write_text(flow.read_text().replace("to: ask_toppings\n", "to: nowhere\n", 1))
    graph = await call(api, "bots", PIZZA, "graph")
    assert graph["flows"] == {}
    [problem] = graph["lint"]
    assert problem["file"] == "sample_bots/pizza/flows/main.flow.yml"
    assert problem["line"] > 1
    assert "nowhere" in problem["message"]


async def test_chat_answers_with_replies_trace_and_path(api: Api, lab_root: Path) -> None:
    said = await call(
        api,
        "bots",
        PIZZA,
        "conversations",
        "c1",
        "messages",
        method="POST",
        body={"text": "hi", "user_id": "ada"},
    )
    assert said["replies"][1]["text"] == "What size would you like?"
    assert [c["title"] for c in said["replies"][1]["choices"]] == ["Small", "Medium", "Large"]
    assert said["node"] == "main.ask_size"
    assert said["path"] == ["main.welcome", "main.ask_size"]
    assert said["trace"]["node_after"] == "main.ask_size"
    assert "enter" in [step["kind"] for step in said["trace"]["steps"]]

    again = await call(
        api,
        "bots",
        PIZZA,
        "conversations",
        "c1",
        "messages",
        method="POST",
        body={"text": "large"},
    )
    assert again["trace"]["state_after"]["size"] == "large"
    assert again["path"][0] == "main.ask_size"


async def test_delete_resets_the_conversation(api: Api, lab_root: Path) -> None:
    path = ("bots", PIZZA, "conversations", "c2")
    await call(api, *path, "messages", method="POST", body={"text": "hi"})
    assert await call(api, *path, method="DELETE") is None
    said = await call(api, *path, "messages", method="POST", body={"text": "hi"})
    assert said["path"] == ["main.welcome", "main.ask_size"]  # a new session, from the start


async def test_unknown_language_is_a_clear_error(api: Api, lab_root: Path) -> None:
    code, body = await error(
        api,
        "bots",
        PIZZA,
        "conversations",
        "c3",
        "messages",
        method="POST",
        body={"text": "hi", "language": "xx"},
    )
    assert code == 400
    assert "does not speak 'xx'" in body["message"]


async def test_new_bot_from_the_scaffold(api: Api, lab_root: Path) -> None:
    created = await call(api, "bots", method="POST", body={"path": "mine/hello"})
    assert created["path"] == "mine/hello"
    assert (lab_root / "mine/hello/flows/main.flow.yml").is_file()
    assert "mine/hello" in [b["path"] for b in (await call(api, "bots"))["bots"]]
    code, body = await error(api, "bots", method="POST", body={"path": "mine/hello"})
    assert code == 409
    assert "not empty" in body["message"]


async def test_save_flow_writes_the_file_and_answers_its_graph(api: Api, lab_root: Path) -> None:
    text = (
        "start: hello\nnodes:\n  hello:\n    on_enter: [{say: {text: Hi}}]\n    next: [{to: END}]\n"
    )
    graph = await call(api, "bots", PIZZA, "flows", "extra", method="PUT", body={"text": text})
    assert (lab_root / "sample_bots/pizza/flows/extra.flow.yml").read_text() == text
    assert "extra.hello" in {n["data"]["id"] for n in graph["flows"]["extra"]["nodes"]}
    code, body = await error(
        api, "bots", PIZZA, "flows", "extra", method="PUT", body={"text": "a: [b"}
    )
    assert code == 422
    assert "not valid YAML" in body["message"]
    assert (lab_root / "sample_bots/pizza/flows/extra.flow.yml").read_text() == text


async def test_tests_results_point_at_failing_lines(api: Api, lab_root: Path) -> None:
    passing = await call(api, "bots", PIZZA, "tests", method="POST", body={})
    assert passing["failed"] == 0
    assert passing["summary"] == f"{passing['passed']} passed, 0 failed"
    convo = lab_root / "sample_bots/pizza/tests/order.convo.yml"
    convo.write_text(convo.read_text().replace('"What size would you like?"', '"Which size?"', 1))
    failing = await call(api, "bots", PIZZA, "tests", method="POST", body={})
    assert failing["failed"] == 1
    [result] = [r for r in failing["results"] if not r["passed"]]
    failure = result["failures"][0]
    assert failure["file"] == "sample_bots/pizza/tests/order.convo.yml"
    assert failure["line"] >= result["line"]
    assert "Which size?" in failure["text"]


@pytest.mark.parametrize(
    "parts",
    [
        ("bots", "../outside", "graph"),
        ("bots", "/etc", "graph"),
        ("bots", "sample_bots/../..", "graph"),
    ],
)
async def test_paths_outside_the_root_are_refused(
    api: Api, lab_root: Path, parts: tuple[str, ...]
) -> None:
    code, body = await error(api, *parts)
    assert code == 403
    assert "root" in body["message"]


async def test_create_outside_the_root_is_refused(api: Api, lab_root: Path) -> None:
    code, _ = await error(api, "bots", method="POST", body={"path": "../evil"})
    assert code == 403
    assert not (lab_root.parent / "evil").exists()


async def test_a_folder_without_bot_yml_is_not_found(api: Api, lab_root: Path) -> None:
    code, body = await error(api, "bots", "sample_bots", "graph")
    assert code == 404
    assert "bot.yml" in body["message"]


@pytest.mark.parametrize(
    ("method", "parts", "body"),
    [
        ("GET", ("bots",), None),
        ("POST", ("bots",), {"path": "x"}),
        ("GET", ("bots", PIZZA, "graph"), None),
        ("PUT", ("bots", PIZZA, "flows", "extra"), {"text": "start: a"}),
        ("POST", ("bots", PIZZA, "conversations", "c", "messages"), {"text": "hi"}),
        ("DELETE", ("bots", PIZZA, "conversations", "c"), None),
        ("POST", ("bots", PIZZA, "tests"), {}),
        ("POST", ("bots", PIZZA, "dashboards", "content"), {}),
    ],
)
async def test_every_route_refuses_unauthenticated_requests(
    api: Api, lab_root: Path, method: str, parts: tuple[str, ...], body: Any
) -> None:
    with pytest.raises(HTTPClientError) as raised:
        await api(method, *parts, body=body, auth=False)
    assert raised.value.code == 403
    assert not (lab_root / "x").exists()
    assert not (lab_root / "sample_bots/pizza/flows/extra.flow.yml").exists()


async def test_an_unknown_dashboard_is_not_found(api: Api, lab_root: Path) -> None:
    code, body = await error(api, "bots", PIZZA, "dashboards", "nope", method="POST", body={})
    assert code == 404
    assert "content" in body["message"]
    assert "analytics" in body["message"]


async def test_a_dashboard_starts_and_its_page_answers(
    api: Api, lab_root: Path, jp_serverapp: Any
) -> None:
    dashboards = jp_serverapp.web_app.settings["workbench_dashboards"]
    try:
        opened = await call(api, "bots", PIZZA, "dashboards", "content", method="POST", body={})
        assert opened["title"] == "Content editor"
        assert opened["url"].startswith("http://127.0.0.1:")
        page = await AsyncHTTPClient().fetch(opened["url"], request_timeout=120)
        assert page.code == 200
        again = await call(api, "bots", PIZZA, "dashboards", "content", method="POST", body={})
        assert again["url"] == opened["url"]  # one Voilà per dashboard and bot
    finally:
        dashboards.stop()
