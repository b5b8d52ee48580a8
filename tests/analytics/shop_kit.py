"""A small shop bot and real conversations on it, one per way a conversation can end.

``hello`` waits for a message: ``boom`` runs a failing action (a turn error), ``bye`` ends,
anything else goes to ``ask``, which waits; ``done`` ends there. A timeout at ``ask`` runs its
node timeout (``on_timeout``, which says something and ends); a timeout at ``hello`` simply
ends the session (no row is written).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import write_bot
from workbench.runtime import Bot
from workbench.stores import default_url

MAIN_FLOW = """\
start: hello
nodes:
  hello:
    on_enter: [{say: {text: "Hi! What do you need?"}}]
    on_receive: []
    next:
      - when: text == "boom"
        to: explode
      - when: text == "bye"
        to: END
      - to: ask
  ask:
    timeout: on_timeout
    on_enter: [{say: {text: "Tell me more."}}]
    on_receive: []
    next:
      - when: text == "done"
        to: thanks
      - to: ask
  thanks:
    on_enter: [{say: {text: "Thanks!"}}]
    next: [{to: END}]
  explode:
    on_enter: [{do: fail}]
    next: [{to: ask}]
  on_timeout:
    on_enter: [{say: {text: "Still there? Bye."}}]
    next: [{to: END}]
"""
ACTIONS = """\
from workbench import action


@action
def fail(ctx):
    raise RuntimeError("the warehouse is on fire")
"""
INTENTS = """\
intents:
  greet: [hello, hi there, good morning]
  order: [I want to buy something, I'd like to order, buy a lamp]
"""


@dataclass(frozen=True)
class Played:
    """Conversations played on the shop bot: id -> (outcome, last node) expected."""

    bot: Bot
    expected: dict[str, tuple[str, str]]


def write_shop(folder: Path, name: str = "shop") -> Path:
    files = {
        "bot.yml": f"name: {name}\nlanguages: [en]\n",
        "flows/main.flow.yml": MAIN_FLOW,
        "actions.py": ACTIONS,
        "nlu/intents.yml": INTENTS,
    }
    return write_bot(folder, files, name)


def play(bot: Bot) -> Played:
    """One conversation per outcome (and a few more), with what analytics must find."""
    expected: dict[str, tuple[str, str]] = {}

    def talk(user: str, *moves: str) -> str:
        conv = bot.conversation(user_id=user, conversation_id=f"{user}-{uuid.uuid4().hex[:6]}")
        for move in moves:
            conv.timeout() if move == "<timeout>" else conv.say(move)
        return conv.id

    expected[talk("ends", "hello", "a lamp", "done")] = ("end", "main.thanks")
    expected[talk("stays", "hello", "a lamp")] = ("open", "main.ask")
    expected[talk("silent", "hello", "<timeout>")] = ("timeout", "main.hello")
    expected[talk("asleep", "hello", "a lamp", "<timeout>")] = ("timeout", "main.ask")
    expected[talk("burnt", "hello", "boom")] = ("error", "main.hello")
    expected[talk("recovers", "hello", "boom", "bye")] = ("end", "main.hello")
    expected[talk("ends", "good morning", "bye")] = ("end", "main.hello")  # a returning user
    return Played(bot, expected)


def file_state(path: Path) -> tuple[str, int]:
    """A file's content hash and modification time (ns): unchanged means untouched."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def played_shop(tmp_path: Path) -> Iterator[Played]:
    """The shop bot on its default SQLite store, with :func:`play`'s conversations (the body
    of the ``shop`` fixtures)."""
    folder = write_shop(tmp_path / "shop")
    bot = Bot.load(folder, db=default_url(folder))  # its own file, whatever WORKBENCH_DB says
    yield play(bot)
    bot.store.close()
