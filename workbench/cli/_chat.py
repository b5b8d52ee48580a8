"""``workbench chat BOT``: talk to a bot at a terminal or through a pipe."""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.prompt import Prompt
from rich.text import Text

from workbench.cli._common import err, is_terminal, load_bot, out


def chat(
    bot_folder: Annotated[Path, typer.Argument(metavar="BOT", help="The bot folder.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per reply.")] = False,
    user: Annotated[str, typer.Option("--user", help="The user id.")] = "cli-user",
    conversation: Annotated[str | None, typer.Option(help="Go on with this conversation.")] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="Store URL (default: the bot's SQLite file).")
    ] = None,
) -> None:
    """Chat with a bot. From a pipe, each input line is one user message."""
    bot = load_bot(bot_folder, db, turns=True)
    # the terminal is a plain-text channel; --json prints the web channel's structured replies
    conv = bot.conversation(
        user_id=user,
        conversation_id=conversation or uuid.uuid4().hex,
        channel="web" if as_json else "text",
    )
    interactive = is_terminal() and not as_json
    if interactive:
        out.print(f"[bold]{bot.name}[/bold] — type a message, Ctrl-D to quit.")
    while True:
        try:
            text = Prompt.ask("[cyan]you[/cyan]") if interactive else sys.stdin.readline()
        except (EOFError, KeyboardInterrupt):
            break
        if not interactive and text == "":
            break
        text = text.rstrip("\n")
        for reply in conv.say(text):
            if as_json:
                sys.stdout.write(json.dumps(reply.to_json(), ensure_ascii=False) + "\n")
            elif interactive:
                out.print(Text.assemble((bot.name, "bold green"), " ", reply.text))
            else:
                sys.stdout.write(reply.text + "\n")
        sys.stdout.flush()
        if conv.last_error and interactive:
            err.print(f"turn error: {conv.last_error}", style="red", markup=False)
