"""Cell magics: ``%%flow NAME``, ``%%content`` and ``%%intents`` edit a live bot; ``%%convo``
writes its conversation tests.

``%load_ext workbench`` registers them. The cell body is the YAML of a flow file, of a content
file, of ``nlu/intents.yml`` or of a ``tests/*.convo.yml``; re-running the cell updates the bot
(the graph and the emulator refresh through the bot's change listeners). A mistake shows as one
short message naming the line in the cell, and the bot keeps running its previous version.

IPython is imported inside the functions: ``import workbench`` must not pay for it.
"""

from __future__ import annotations

import argparse
import re
import shlex
from collections.abc import Callable
from typing import Any

from workbench.config import LineDict, parse_yaml
from workbench.notebook._sql_magic import sql_magic
from workbench.runtime import Bot
from workbench.schema import BotError, ContentError, plural
from workbench.testing import load_convo_text

BODY_FIRST_LINE = 2
"""The cell's first line is the ``%%magic`` line itself, so the YAML starts on line 2."""


TEST_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
"""A ``%%convo`` name: ``bot.save`` writes the cell as ``tests/NAME.convo.yml``."""


def _parser(name: str, positional: bool | str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"%%{name}", add_help=False)
    if positional == "optional":
        parser.add_argument("name", nargs="?")
    elif positional:
        parser.add_argument("flow")
    parser.add_argument("--bot", default="bot", help="the variable holding the bot")
    return parser


def _bot(namespace: dict[str, Any], variable: str) -> Bot:
    """The bot in ``variable``; a fresh in-memory one is created there if it is missing."""
    bot = namespace.get(variable)
    if bot is None:
        bot = namespace[variable] = Bot.new()
    if not isinstance(bot, Bot):
        raise BotError(f"{variable!r} is not a workbench Bot (it is a {type(bot).__name__})")
    return bot


def _usage_error(message: str) -> Exception:
    from IPython.core.error import UsageError  # shows one line, no traceback

    return UsageError(message)


def _run(edit: Callable[[], None]) -> None:
    try:
        edit()
    except (BotError, ContentError) as exc:
        raise _usage_error(str(exc)) from None


def flow_magic(namespace: dict[str, Any], line: str, cell: str) -> None:
    """``%%flow NAME [--bot VAR]``: the cell is a flow file."""
    args = _parser("flow", True).parse_args(shlex.split(line))
    bot = _bot(namespace, args.bot)
    file = f"<%%flow {args.flow}>"
    _run(lambda: bot.set_flow(args.flow, cell, first_line=BODY_FIRST_LINE, file=file))


def content_magic(namespace: dict[str, Any], line: str, cell: str) -> None:
    """``%%content [--bot VAR]``: the cell maps element ids to elements (a content file)."""
    args = _parser("content", False).parse_args(shlex.split(line))
    bot = _bot(namespace, args.bot)

    def edit() -> None:
        data = parse_yaml(cell, "<%%content>", first_line=BODY_FIRST_LINE)
        if not isinstance(data, LineDict):
            raise BotError("a %%content cell maps element ids to elements", "<%%content>", 2)
        for element_id, element in data.items():
            bot.set_content(element_id, element if isinstance(element, dict) else str(element))

    _run(edit)


def intents_magic(namespace: dict[str, Any], line: str, cell: str) -> None:
    """``%%intents [--bot VAR]``: the cell is ``nlu/intents.yml`` (intents and entities)."""
    args = _parser("intents", False).parse_args(shlex.split(line))
    bot = _bot(namespace, args.bot)

    def edit() -> None:
        data = parse_yaml(cell, "<%%intents>", first_line=BODY_FIRST_LINE) or {}
        bot.set_intents(data.get("intents") or {}, data.get("entities") or {})

    _run(edit)


def convo_magic(namespace: dict[str, Any], line: str, cell: str) -> None:
    """``%%convo [NAME] [--bot VAR]``: the cell is a ``.convo.yml`` (conversations with what the
    bot must answer); ``bot.test()`` runs it. NAME defaults to the first conversation's name."""
    args = _parser("convo", "optional").parse_args(shlex.split(line))
    bot = _bot(namespace, args.bot)
    file = f"<%%convo {args.name}>" if args.name else "<%%convo>"

    def edit() -> None:
        if args.name is not None and not TEST_NAME.fullmatch(args.name):
            raise BotError(f"bad test name {args.name!r}: use letters, digits, - and _", file, 1)
        # the magic's own line becomes a comment: lines in reports are the cell's lines
        text = f"# %%convo {line.strip()}\n{cell}"
        tests = load_convo_text(text, file)
        if not tests:
            raise BotError("a %%convo cell holds a list of conversations: - name: ...", file, 2)
        name = args.name or "_".join(re.findall(r"[a-z0-9]+", tests[0].name.lower())) or "convo"
        bot.convo_tests[name] = text
        print(f"{plural(len(tests), 'conversation test')} in {name!r}: bot.test() runs them")

    _run(edit)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext workbench`` registers ``%%flow``, ``%%content``, ``%%intents``, ``%%convo``
    and ``%%sql`` (DuckDB over transcripts: see :mod:`workbench.notebook._sql_magic`)."""
    for name, magic in (
        ("flow", flow_magic),
        ("content", content_magic),
        ("intents", intents_magic),
        ("convo", convo_magic),
        ("sql", sql_magic),
    ):

        def cell_magic(line: str, cell: str, _magic: Any = magic) -> Any:
            return _magic(ipython.user_ns, line, cell)

        ipython.register_magic_function(cell_magic, magic_kind="cell", magic_name=name)
