"""Simulated users for :func:`~workbench.testing.simulate`: random, scripted, personas.

A simulated user decides its next move from what it can see (:class:`Turn`: the bot's last
replies, where the conversation waits, how long it has been stuck there) and a random generator
that the simulation seeds per conversation, so a run is reproducible. A move is a message (text),
:data:`TIMEOUT` (the user goes silent and the conversation's timeout path runs, as the janitor
would run it later) or ``None`` (the user leaves).
"""

from __future__ import annotations

import random
import re
import string
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final, TypeAlias

from workbench.nlu import NLUData
from workbench.runtime import Bot
from workbench.schema import Choice, Reply
from workbench.testing._runner import find_convo_files
from workbench.testing._spec import load_convo_file


class Timeout:
    """The type of :data:`TIMEOUT`."""

    def __repr__(self) -> str:
        return "TIMEOUT"


TIMEOUT: Final = Timeout()
"""A move meaning "the user went silent": the conversation's timeout path runs, then it stops."""

Move: TypeAlias = "str | Timeout | None"
"""A simulated user's move: a message, :data:`TIMEOUT`, or None to leave."""

UserFunction: TypeAlias = Callable[[Sequence[Reply], int, random.Random], "str | Timeout | None"]
"""``fn(replies, turn_index, rng) -> text | TIMEOUT | None``: the simplest simulated user."""


@dataclass(frozen=True, slots=True)
class Turn:
    """What a simulated user knows before its next move."""

    index: int
    """0 for the message that starts the conversation."""
    replies: Sequence[Reply]
    """The bot's replies to the previous move (empty before the first)."""
    node: str | None
    """Where the conversation waits, as ``flow.node`` (None before the first message)."""
    stuck: int
    """How many moves in a row left the conversation waiting at ``node`` again."""

    @property
    def choices(self) -> list[Choice]:
        """The choices the last replies offered (buttons / quick replies)."""
        return [c for r in self.replies for c in r.choices]


class SimulatedUser(ABC):
    """Base class of simulated users. ``name`` shows in user ids (``sim-<name>-...``)."""

    name: str = "user"

    def for_bot(self, bot: Bot) -> SimulatedUser:
        """This user ready to talk to ``bot`` (e.g. with its NLU data); called once per run."""
        return self

    @abstractmethod
    def message(self, turn: Turn, rng: random.Random) -> Move:
        """The next move: text, :data:`TIMEOUT` or None (leave)."""


@dataclass(frozen=True)
class Vocabulary:
    """What a :class:`RandomUser` says: utterances per intent, phrases per entity."""

    intents: tuple[tuple[str, ...], ...] = ()
    """The utterances of each intent (an intent is picked at random, then an utterance)."""
    entities: tuple[tuple[str, ...], ...] = ()
    """The values and synonyms of each entity."""
    greetings: tuple[str, ...] = ("hi", "hello", "hey")
    """What a first message may be besides an utterance."""

    @classmethod
    def from_nlu(cls, data: NLUData) -> Vocabulary:
        intents = tuple(tuple(u) for u in data.intents.values() if u)
        entities = tuple(
            tuple(
                dict.fromkeys(p for value, synonyms in values.items() for p in (value, *synonyms))
            )
            for values in data.entities.values()
            if values
        )
        return cls(intents, entities)


@dataclass(frozen=True)
class RandomUser(SimulatedUser):
    """Picks offered choices, otherwise says random things drawn from the bot's NLU data.

    Each move: leave with probability ``leave`` (after the first message; a leaving user goes
    silent, so the timeout path runs, with probability ``silence``); if the last replies
    offered choices, pick one with probability ``choose`` (mostly its value, sometimes its title
    or its number); otherwise send gibberish (``gibberish``), a digit string (``number``, for
    number slots), or an utterance of a random intent, with an entity value or synonym spliced
    in with probability ``entity`` (or alone, half of those times).
    """

    name: str = "random"
    choose: float = 0.8
    entity: float = 0.3
    number: float = 0.1
    gibberish: float = 0.05
    leave: float = 0.03
    silence: float = 0.25
    vocabulary: Vocabulary | None = field(default=None, repr=False)
    """None = the bot's own NLU data (see :meth:`for_bot`)."""

    def for_bot(self, bot: Bot) -> RandomUser:
        if self.vocabulary is not None:
            return self
        return replace(self, vocabulary=Vocabulary.from_nlu(bot.source.nlu))

    def message(self, turn: Turn, rng: random.Random) -> Move:
        if turn.index and rng.random() < self.leave:
            return TIMEOUT if rng.random() < self.silence else None
        choices = turn.choices
        if choices and rng.random() < self.choose:
            number = rng.randrange(len(choices))
            pick, how = choices[number], rng.random()
            return pick.value if how < 0.7 else pick.title if how < 0.9 else str(number + 1)
        return self.free_text(turn, rng)

    def free_text(self, turn: Turn, rng: random.Random) -> str:
        """A message typed rather than picked."""
        vocabulary = self.vocabulary or Vocabulary()
        draw = rng.random()
        if draw < self.gibberish:
            letters = string.ascii_lowercase
            return "".join(rng.choice(letters) for _ in range(rng.randint(3, 10)))
        if draw < self.gibberish + self.number:
            return _digits(rng)
        if not vocabulary.intents or (turn.index == 0 and rng.random() < 0.3):
            text = rng.choice(vocabulary.greetings)
        else:
            text = rng.choice(rng.choice(vocabulary.intents))
        if vocabulary.entities and rng.random() < self.entity:
            phrase = rng.choice(rng.choice(vocabulary.entities))
            if rng.random() < 0.5:
                return phrase
            words = text.split()
            words.insert(rng.randint(0, len(words)), phrase)
            return " ".join(words)
        return text


def _digits(rng: random.Random) -> str:
    length = 4 if rng.random() < 0.6 else rng.randint(1, 6)
    return "".join(rng.choice(string.digits) for _ in range(length))


@dataclass(frozen=True)
class ScriptedUser(SimulatedUser):
    """Says ``script`` in order (a :data:`TIMEOUT` entry goes silent), then leaves."""

    script: Sequence[str | Timeout]
    name: str = "scripted"

    def message(self, turn: Turn, rng: random.Random) -> Move:
        return self.script[turn.index] if turn.index < len(self.script) else None


@dataclass(frozen=True)
class Persona(SimulatedUser):
    """A user with a script, goals per node, and limited patience.

    Each move: leave once the conversation stayed at one node ``patience`` moves in a row;
    otherwise say the next line of ``script``; after the script, where the conversation waits
    at a node listed in ``goals`` say one of its answers (picked at random); elsewhere hand over
    to ``then`` (None = leave).
    """

    name: str
    script: Sequence[str | Timeout] = ()
    goals: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """``{"flow.node": [answers...]}``: what this persona says while waiting there."""
    patience: int = 3
    then: SimulatedUser | None = None

    def for_bot(self, bot: Bot) -> Persona:
        return self if self.then is None else replace(self, then=self.then.for_bot(bot))

    def message(self, turn: Turn, rng: random.Random) -> Move:
        if turn.stuck >= self.patience:
            return None
        if turn.index < len(self.script):
            return self.script[turn.index]
        answers = self.goals.get(turn.node or "")
        if answers:
            return rng.choice(list(answers))
        return None if self.then is None else self.then.message(turn, rng)


@dataclass(frozen=True)
class FunctionUser(SimulatedUser):
    """A plain function ``fn(replies, turn_index, rng)`` as a simulated user."""

    fn: UserFunction
    name: str = "custom"

    def message(self, turn: Turn, rng: random.Random) -> Move:
        return self.fn(turn.replies, turn.index, rng)


PERSONAS: Final[Mapping[str, SimulatedUser]] = {
    "random": RandomUser(),
    "clicker": RandomUser(name="clicker", choose=1.0, leave=0.02),
    "typist": RandomUser(name="typist", choose=0.0),
    "impatient": RandomUser(name="impatient", leave=0.25),
}
"""Built-in simulated users by name (``--user NAME``)."""


def named_user(name: str, folder: Path | None = None) -> SimulatedUser:
    """A built-in persona, or a scripted user playing the conversation test called ``name`` in
    ``FOLDER/tests/*.convo.yml`` (its user messages and timeouts, up to a new conversation)."""
    if name in PERSONAS:
        return PERSONAS[name]
    names: list[str] = []
    for path in find_convo_files(folder) if folder is not None else []:
        for test in load_convo_file(path):
            names.append(test.name)
            if test.name == name:
                script: list[str | Timeout] = []
                for turn in test.spec.turns:
                    if turn.new_conversation:
                        break
                    script.append(TIMEOUT if turn.timeout else turn.user or "")
                return ScriptedUser(script, name=slug(name))
    known = ", ".join([*PERSONAS, *(repr(n) for n in names)])
    raise ValueError(f"no simulated user called {name!r}: use one of {known}")


def as_user(user: str | SimulatedUser | UserFunction, bot: Bot) -> SimulatedUser:
    """Resolve what ``simulate(user=...)`` was given and prepare it for ``bot``."""
    resolved: SimulatedUser
    if isinstance(user, SimulatedUser):
        resolved = user
    elif isinstance(user, str):
        resolved = named_user(user, bot.path)
    elif callable(user):
        resolved = FunctionUser(user, slug(getattr(user, "__name__", "") or "custom"))
    else:
        raise TypeError(f"user must be a name, a SimulatedUser or a function, not {user!r}")
    return resolved.for_bot(bot)


def slug(name: str) -> str:
    """A name fit for an id: letters, digits and underscores, at most 24 characters."""
    text = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").lower()[:24].strip("_")
    return text or "custom"


__all__ = [
    "PERSONAS",
    "TIMEOUT",
    "FunctionUser",
    "Move",
    "Persona",
    "RandomUser",
    "ScriptedUser",
    "SimulatedUser",
    "Timeout",
    "Turn",
    "UserFunction",
    "Vocabulary",
    "as_user",
    "named_user",
    "slug",
]
