"""The pizza bot of ``_botbuilder_pizza`` behind aiohttp, with the workbench server's route and
reply JSON: ``python _botbuilder_server.py PORT`` serves until killed.

Its state is botbuilder's ``MemoryStorage`` with its transcript logger (workbench always writes a
transcript): botbuilder-python ships no SQLite or PostgreSQL storage, so its peer is workbench's
memory store.
"""

from __future__ import annotations

import sys
from typing import Any

from _botbuilder_pizza import BotbuilderPizza
from aiohttp import web


def make_app() -> web.Application:
    bot = BotbuilderPizza(transcript=True)

    async def message(request: web.Request) -> web.Response:
        data: Any = await request.json()
        cid = request.match_info["cid"]
        replies = await bot.say(cid, data.get("user_id") or cid, data["text"])
        body = {
            "replies": [
                {"type": "text", "text": text, "choices": [{"title": c, "value": c} for c in cs]}
                for text, cs in replies
            ]
        }
        return web.json_response(body)

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/api/v1/conversations/{cid}/messages", message)
    app.router.add_get("/healthz", healthz)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
