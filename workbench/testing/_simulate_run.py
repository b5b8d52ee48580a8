"""Playing simulated conversations and tallying what happened in them.

What is counted (visits, transitions taken, drop-offs, dead ends, loops) is defined in
:class:`~workbench.testing._simulate_report.SimulationReport`; it all comes from the debugger
trace of each turn (``enter`` steps, ``condition`` steps that held, ``node_after``).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from workbench.engine import ConditionChecked, NodeEntered
from workbench.flows import END, RETURN, FlowSet
from workbench.runtime import Bot, CompiledBot, Conversation
from workbench.schema import Reply
from workbench.stores import Store
from workbench.testing._simulate_store import Staging
from workbench.testing._simulate_users import SimulatedUser, Timeout, Turn, slug

LOOP_ENTRIES = 3
"""A conversation entering one node this many times or more loops there."""
STUCK_TURNS = 3
"""A conversation whose last this-many moves left it at the same node stopped at a dead end."""
CHUNK = 100
"""Conversations staged before they are copied into the bot's store (and progress reported)."""

Edge = tuple[str, str, str]
"""A transition: (from ``flow.node`` or ``flow.catch_all``, to, ``when`` source or "")."""


def _target(where: str, to: str) -> str:
    if to in (END, RETURN) or "." in to:
        return to
    return f"{where.partition('.')[0]}.{to}"


@dataclass(frozen=True)
class FlowMap:
    """Every node and transition of a bot's flows."""

    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]
    no_way_out: frozenset[str]

    @classmethod
    def of(cls, flows: FlowSet) -> FlowMap:
        nodes: list[str] = []
        edges: dict[Edge, None] = {}
        stuck: set[str] = set()
        for flow in flows.flows.values():
            for t in flow.catch_all:
                where = f"{flow.name}.catch_all"
                edges[(where, _target(where, t.target), t.source)] = None
            for node in flow.nodes.values():
                nodes.append(node.qualified)
                for t in node.next:
                    edges[(node.qualified, _target(node.qualified, t.target), t.source)] = None
                if not node.next and node.call is None:
                    stuck.add(node.qualified)
        return cls(tuple(sorted(nodes)), tuple(edges), frozenset(stuck))

    def edge(self, step: ConditionChecked) -> Edge:
        return (step.node, _target(step.node, step.to), step.when)


@dataclass
class Tally:
    """What a set of simulated conversations did; tallies of shards add up."""

    first: int = 0
    """Index of the first conversation (shards are contiguous ranges)."""
    conversations: int = 0
    turns: int = 0
    lengths: list[int] = field(default_factory=list)
    visits: Counter[str] = field(default_factory=Counter)
    reached: Counter[str] = field(default_factory=Counter)
    taken: Counter[Edge] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    drop_offs: Counter[str] = field(default_factory=Counter)
    dead_ends: Counter[str] = field(default_factory=Counter)
    loops: Counter[str] = field(default_factory=Counter)
    loop_max: dict[str, int] = field(default_factory=dict)
    errors: dict[str, Counter[str]] = field(default_factory=dict)

    def merge(self, other: Tally) -> None:
        """Add ``other``, the tally of the conversations right after these."""
        self.conversations += other.conversations
        self.turns += other.turns
        self.lengths += other.lengths
        for mine, theirs in (
            (self.visits, other.visits),
            (self.reached, other.reached),
            (self.outcomes, other.outcomes),
            (self.drop_offs, other.drop_offs),
            (self.dead_ends, other.dead_ends),
            (self.loops, other.loops),
        ):
            mine.update(theirs)
        self.taken.update(other.taken)
        for node, most in other.loop_max.items():
            self.loop_max[node] = max(most, self.loop_max.get(node, 0))
        for node, messages in other.errors.items():
            self.errors.setdefault(node, Counter()).update(messages)


@dataclass(frozen=True)
class Plan:
    """One simulation run: everything a worker needs besides the bot."""

    user: SimulatedUser
    seed: int
    run_id: str
    max_turns: int
    flow_map: FlowMap

    def ids(self, index: int) -> tuple[str, str]:
        """(conversation id, user id) of the ``index``-th simulated conversation."""
        return f"sim-{self.run_id}-{index}", f"sim-{slug(self.user.name)}-{self.run_id}-{index}"


def simulation_bot(bot: Bot, store: Store) -> Bot:
    """A twin of ``bot`` on another store: same program, NLU, actions and middleware, but no
    turn listeners (live views do not see thousands of simulated turns)."""
    twin = Bot(CompiledBot(bot.source, bot.program, bot.warnings), store, bot.path)
    twin.nlu, twin.actions, twin.settings = bot.nlu, bot.actions, bot.settings
    twin.other_nlu = bot.other_nlu
    twin.middleware = list(bot.middleware)
    return twin


class Runner:
    """Plays conversations of a plan on a twin of the bot.

    They run on a :class:`Staging` store and are copied into ``target`` (the bot's store, or a
    worker's own connection to it) a chunk at a time.
    """

    def __init__(
        self,
        bot: Bot,
        plan: Plan,
        target: Store,
        write_lock: AbstractContextManager[Any] | None = None,
    ) -> None:
        self.bot, self.plan, self.target = bot, plan, target
        self.write_lock = write_lock or nullcontext()
        """Held while copying into ``target``: workers take turns instead of waiting on the
        database's busy timeout (SQLite sleeps milliseconds between retries)."""

    def run(self, indices: range, progress: Callable[[int], None]) -> Tally:
        bot, target = self.bot, self.target
        tally = Tally(first=indices.start)
        twin: Bot | None = None
        for start in range(0, len(indices), CHUNK):
            chunk = indices[start : start + CHUNK]
            # Each chunk's staging store starts from the bot variables as the target has them
            # now, those of the chunks other workers copied in included.
            staging = Staging(target, bot.name)
            if twin is None:
                twin = simulation_bot(bot, staging.store)
            twin.store = staging.store
            for index in chunk:
                self.play(twin, index, tally)
            with self.write_lock:
                staging.copy([self.plan.ids(index)[0] for index in chunk])
            progress(len(chunk))
        return tally

    def play(self, twin: Bot, index: int, tally: Tally) -> None:
        """One conversation, from the user's first move until it stops."""
        plan = self.plan
        conversation_id, user_id = plan.ids(index)
        conv = twin.conversation(user_id, conversation_id)
        rng = random.Random(f"{plan.seed}:{index}")
        twin.rng.seed(f"{plan.seed}:{index}:bot")
        track = _Track(plan.flow_map)
        replies: list[Reply] = []
        outcome = "max_turns"
        for number in range(plan.max_turns):
            move = plan.user.message(Turn(number, replies, track.node, track.stuck), rng)
            if move is None or (isinstance(move, Timeout) and track.node is None):
                outcome = "left"
                break
            if isinstance(move, Timeout):
                track.stop()
                replies = conv.timeout()
                track.turn(conv)
                outcome = "timeout"
                break
            replies = conv.say(move)
            if track.turn(conv):
                outcome = "ended"
                break
        if outcome in ("left", "max_turns"):
            track.stop()
        track.fold(tally, outcome)


class _Track:
    """One conversation as it goes: visits, transitions, errors, where it waits."""

    def __init__(self, flow_map: FlowMap) -> None:
        self.map = flow_map
        self.turns = 0
        self.node: str | None = None
        self.stuck = 0
        self.entered: Counter[str] = Counter()
        self.taken: Counter[Edge] = Counter()
        self.errors: list[tuple[str, str]] = []
        self.stopped_at: str | None = None
        self.stuck_at_stop = 0

    def turn(self, conv: Conversation) -> bool:
        """Tally the turn that just ran; True if it ended the session."""
        self.turns += 1
        trace = conv.last_trace
        assert trace is not None, "the conversation just ran a turn"
        entered, taken = self.entered, self.taken
        if trace.error:  # rolled back: the conversation is where it was
            failure = trace.failure
            where = (failure.node if failure else "") or self.node or "?"
            self.errors.append((where, trace.error))
            self.stuck += 1
            return False
        for step in trace.steps:
            if isinstance(step, NodeEntered):
                entered[step.node] += 1
            elif isinstance(step, ConditionChecked) and step.value:
                taken[self.map.edge(step)] += 1
        after = trace.node_after
        if trace.ended or after is None:
            self.node = None
            return True
        self.stuck = self.stuck + 1 if after == self.node else 0
        self.node = after
        return False

    def stop(self) -> None:
        """The user stops here (left, silent or out of turns)."""
        self.stopped_at, self.stuck_at_stop = self.node, self.stuck

    def fold(self, tally: Tally, outcome: str) -> None:
        tally.conversations += 1
        tally.turns += self.turns
        tally.lengths.append(self.turns)
        tally.outcomes[outcome] += 1
        tally.visits.update(self.entered)
        tally.reached.update(self.entered.keys())
        tally.taken.update(self.taken)
        for node, count in self.entered.items():
            if count >= LOOP_ENTRIES:
                tally.loops[node] += 1
                tally.loop_max[node] = max(count, tally.loop_max.get(node, 0))
        for node, message in self.errors:
            tally.errors.setdefault(node, Counter())[message] += 1
        stopped = self.stopped_at
        if stopped is not None:
            tally.drop_offs[stopped] += 1
            if stopped in self.map.no_way_out or self.stuck_at_stop >= STUCK_TURNS:
                tally.dead_ends[stopped] += 1
