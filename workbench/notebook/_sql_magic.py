"""``%%sql``: a cell of DuckDB SQL over a bot's transcripts, answered as a pandas DataFrame.

    %%sql a                      # a variable holding wb.analytics.open(...), or a Bot
    SELECT outcome, count(*) FROM conversations GROUP BY 1

    %%sql --source sample_bots/pizza -o outcomes
    SELECT ...

Without a variable, the one ``Analytics`` in the namespace is used (or ``bot``). ``$name`` in the
query is bound to the notebook variable ``name``. A query or source error shows as one line.
"""

from __future__ import annotations

import argparse
import re
import shlex
from typing import Any

import workbench.analytics as wa
from workbench.runtime import Bot
from workbench.schema import WorkbenchError

__all__ = ["sql_magic"]

_PARAM = re.compile(r"\$([A-Za-z_]\w*)")
_OPENED: dict[str, Any] = {}
"""Sources opened by ``--source`` (or for a Bot variable), kept for the next cells."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="%%sql", add_help=False)
    parser.add_argument("variable", nargs="?", help="an Analytics or a Bot variable")
    parser.add_argument("--source", help="a bot folder, store URL or Parquet folder")
    parser.add_argument("-o", "--out", help="also store the DataFrame in this variable")
    return parser


def _usage(message: str) -> Exception:
    from IPython.core.error import UsageError  # one line, no traceback

    return UsageError(message)


def _opened(key: str, source: Any) -> Any:
    if key not in _OPENED:
        _OPENED[key] = wa.open(source)
    return _OPENED[key]


def _analytics(namespace: dict[str, Any], variable: str | None, source: str | None) -> Any:
    if source:
        return _opened(f"source:{source}", source)
    if variable is not None:
        if variable not in namespace:
            raise _usage(f"%%sql: no variable {variable!r}")
        value = namespace[variable]
    else:
        found = [v for v in namespace.values() if isinstance(v, wa.Analytics)]
        if len(found) != 1 and not isinstance(namespace.get("bot"), Bot):
            raise _usage(
                "%%sql: name the source: %%sql a (a = wb.analytics.open(...)) or --source BOT"
            )
        value = found[0] if len(found) == 1 else namespace["bot"]
    if isinstance(value, wa.Analytics):
        return value
    if isinstance(value, Bot):
        return _opened(f"bot:{id(value)}", value)
    raise _usage(f"%%sql: {variable} is a {type(value).__name__}, not an Analytics or a Bot")


def sql_magic(namespace: dict[str, Any], line: str, cell: str) -> Any:
    """``%%sql [VARIABLE] [--source S] [-o NAME]``: the cell's query as a DataFrame."""
    try:
        args = _parser().parse_args(shlex.split(line))
    except SystemExit:
        raise _usage("%%sql [VARIABLE] [--source BOT_OR_URL] [-o NAME]") from None
    params = {name: namespace[name] for name in _PARAM.findall(cell) if name in namespace}
    try:
        analytics = _analytics(namespace, args.variable, args.source)
        frame = analytics.sql(cell, params or None)
    except WorkbenchError as exc:
        raise _usage(str(exc)) from None
    if args.out:
        namespace[args.out] = frame
    return frame
