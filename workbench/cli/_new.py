"""``workbench new NAME``: scaffold a bot folder that passes its own test."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from workbench.cli._common import err, out

_FILES = {
    "bot.yml": """name: {name}
description: A new bot. Edit flows/main.flow.yml to change what it does.
languages: [en]
nlu:
  threshold: 0.5
""",
    "flows/main.flow.yml": """start: welcome
nodes:
  welcome:
    on_enter:
      - say: greeting
    next:
      - to: ask_name
  ask_name:
    on_enter:
      - say: ask_name
    on_receive:
      - set: {{user.name: "{{{{ text }}}}"}}
    next:
      - when: user.name
        to: goodbye
      - to: ask_name
  goodbye:
    on_enter:
      - say: goodbye
    next:
      - to: END
""",
    "content/messages.yml": """greeting: "Hello! I am {name}."
ask_name: "What is your name?"
goodbye: "Nice to meet you, {{{{ user.name }}}}. Bye!"
turn_error: "Sorry, something went wrong. Please try again."
""",
    "nlu/intents.yml": """intents:
  greet: [hi, hello, hey, good morning]
entities: {{}}
""",
    "actions.py": '''"""Actions of {name}: Python functions registered with @action."""

from workbench import ActionContext, action


@action
def shout(ctx: ActionContext) -> dict[str, object]:
    """An example action: stores the message in capitals."""
    return {{"shouted": str(ctx.args.get("text", "")).upper()}}
''',
    "tests/hello.convo.yml": """- name: greets and remembers the name
  turns:
    - user: hi
      bot: ["Hello! I am {name}.", "What is your name?"]
      node: main.ask_name
    - user: Ada
      bot: ["Nice to meet you, Ada. Bye!"]
      ended: true
      user_vars: {{name: Ada}}
""",
    ".gitignore": ".workbench/\n",
}


def scaffold(folder: Path) -> str:
    """Write a new bot into ``folder`` (created; it must be missing or empty); returns the
    bot's name. Raises :class:`FileExistsError` for a folder that is not empty."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FileExistsError(f"{folder}: already exists and is not empty")
    name = re.sub(r"[^A-Za-z0-9_\-]", "_", folder.resolve().name).lstrip("_-") or "bot"
    for relative, template in _FILES.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(name=name), encoding="utf-8")
    return name


def new(
    folder: Annotated[Path, typer.Argument(metavar="NAME", help="Folder to create.")],
) -> None:
    """Create a new bot folder with a flow, content, NLU data and a passing test."""
    try:
        scaffold(folder)
    except FileExistsError as exc:
        err.print(str(exc), style="red", markup=False)
        raise typer.Exit(1) from None
    out.print(
        f"Created {folder}. Try: workbench chat {folder}  ·  workbench test {folder}", markup=False
    )
