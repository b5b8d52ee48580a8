"""The HTTP face of :class:`BotService` under ``{base_url}workbench/api/`` (Jupyter auth on
every verb; errors are JSON ``{"message": ...}``, never a traceback page)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from workbench.jupyter._bots import BotService
from workbench.jupyter._dashboards import DashboardService
from workbench.jupyter._paths import PathError, find_bots
from workbench.schema import BotError, WorkbenchError

__all__ = ["route_patterns", "setup_handlers"]

T = TypeVar("T")
BOT = r"(?P<path>[^/]+)"
CID = r"(?P<cid>[^/]+)"


class _Handler(APIHandler):
    """Runs the service in its one worker thread; turns errors users cause into JSON."""

    service: BotService
    dashboards: DashboardService
    executor: ThreadPoolExecutor

    def initialize(
        self, service: BotService, dashboards: DashboardService, executor: ThreadPoolExecutor
    ) -> None:
        self.service = service
        self.dashboards = dashboards
        self.executor = executor

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, fn, *args)

    def body(self) -> dict[str, Any]:
        try:
            data = json.loads(self.request.body or b"{}")
        except ValueError:
            raise web.HTTPError(400, "the body is not JSON") from None
        if not isinstance(data, dict):
            raise web.HTTPError(400, "the body must be a JSON object")
        return data

    def reply(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(data))

    def fail(self, status: int, message: str, **extra: Any) -> None:
        self.reply({"message": message, "reason": None, **extra}, status)

    async def guarded(self, fn: Callable[..., Any], *args: Any, status: int = 200) -> None:
        """Run ``fn`` and answer its result, or the error as JSON."""
        try:
            result = await self.run(fn, *args)
        except PathError as exc:
            self.fail(exc.status, exc.message)
        except BotError as exc:
            problems = [self.service.problem(p) for p in exc.problems]
            self.fail(422, str(exc), problems=problems)
        except (WorkbenchError, ValueError) as exc:
            self.fail(400, str(exc))
        else:
            if result is None:
                self.set_status(204)
                self.finish()
            else:
                self.reply(result, status)


class BotsHandler(_Handler):
    @web.authenticated
    async def get(self) -> None:
        await self.guarded(lambda: {"bots": find_bots(self.service.root)})

    @web.authenticated
    async def post(self) -> None:
        path = str(self.body().get("path") or "")
        await self.guarded(self.service.create, path, status=201)


class GraphHandler(_Handler):
    @web.authenticated
    async def get(self, path: str) -> None:
        await self.guarded(self.service.graph, path)


class FlowHandler(_Handler):
    @web.authenticated
    async def put(self, path: str, name: str) -> None:
        text = self.body().get("text")
        if not isinstance(text, str):
            raise web.HTTPError(400, 'the body needs "text": the flow\'s YAML')
        await self.guarded(self.service.save_flow, path, name, text)


class MessagesHandler(_Handler):
    @web.authenticated
    async def post(self, path: str, cid: str) -> None:
        await self.guarded(self.service.say, path, cid, self.body())


class ConversationHandler(_Handler):
    @web.authenticated
    async def delete(self, path: str, cid: str) -> None:
        await self.guarded(self.service.reset, path, cid)


class TestsHandler(_Handler):
    @web.authenticated
    async def post(self, path: str) -> None:
        await self.guarded(self.service.tests, path)


class DashboardHandler(_Handler):
    @web.authenticated
    async def post(self, path: str, name: str) -> None:
        await self.guarded(lambda: self.dashboards.open(name, self.service.folder(path)))


def route_patterns() -> list[tuple[str, type[_Handler]]]:
    """The routes, relative to ``workbench/api/``."""
    return [
        ("bots", BotsHandler),
        (f"bots/{BOT}/graph", GraphHandler),
        (f"bots/{BOT}/flows/(?P<name>[^/]+)", FlowHandler),
        (f"bots/{BOT}/conversations/{CID}/messages", MessagesHandler),
        (f"bots/{BOT}/conversations/{CID}", ConversationHandler),
        (f"bots/{BOT}/tests", TestsHandler),
        (f"bots/{BOT}/dashboards/(?P<name>[^/]+)", DashboardHandler),
    ]


def setup_handlers(
    web_app: Any, service: BotService, dashboards: DashboardService, executor: ThreadPoolExecutor
) -> None:
    base_url = web_app.settings["base_url"]
    options = {"service": service, "dashboards": dashboards, "executor": executor}
    handlers = [
        (url_path_join(base_url, "workbench/api", pattern) + "/?$", handler, options)
        for pattern, handler in route_patterns()
    ]
    web_app.add_handlers(".*$", handlers)
    web_app.settings["workbench_dashboards"] = dashboards  # stopped with the server
