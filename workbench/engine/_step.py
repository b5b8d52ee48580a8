"""The dialog engine: one turn of a conversation, as a pure function of its inputs.

Botpress X semantics (see DESIGN.md): entering a node runs ``on_enter``; a node with
``on_receive`` waits; the next message runs ``catch_all`` (innermost flow first), else
``on_receive`` then the first ``next`` whose condition holds; no match means wait.

Nothing here renders a reply or runs user code: ``step`` records what happened as typed events
(:mod:`workbench.engine._events`) and asks the runtime to run each action (it is a generator: see
:data:`~workbench.engine._types.Turn`). A failure anywhere (loop guard, a template or condition
that cannot be evaluated, an action that raised) ends the events with :class:`TurnFailed` and
leaves the session as it was.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any

from workbench.engine._events import (
    ActionCalled,
    ActionReturned,
    CatchAllTaken,
    ConditionChecked,
    Event,
    FlowCalled,
    FlowReturned,
    NodeEntered,
    Say,
    SessionEnded,
    SessionStarted,
    TimeoutTaken,
    TurnFailed,
    VariableSet,
    Waiting,
)
from workbench.engine._program import Program
from workbench.engine._types import ActionContext, StepResult, Timeout, Turn, TurnInput
from workbench.engine._values import changed_keys, clone, render_value
from workbench.expressions import EvaluationError
from workbench.flows import END, MAIN, RETURN, Instruction, Node, Scope, Transition
from workbench.schema import Frame, Session, TurnError, plural

Running = Generator[ActionContext, Mapping[str, Any] | None, None]
"""A part of a turn that may run actions (see :data:`~workbench.engine._types.Turn`)."""
_SCOPES: tuple[Scope, ...] = ("state", "user", "bot")


class _Turn:
    """The working copy of one turn; discarded whole if the turn fails."""

    def __init__(
        self,
        program: Program,
        session: Session | None,
        user: dict[str, Any],
        bot: dict[str, Any],
        event: TurnInput,
        max_visits: int,
    ) -> None:
        self.program = program
        self.flows = program.flows
        self.stack: list[Frame] = [
            Frame(flow=f["flow"], node=f["node"]) for f in (session["stack"] if session else [])
        ]
        # Shallow copies: ``set`` replaces whole values, never changes one in place; only an
        # action may, and the values are copied deep before one runs (see ``do``).
        self.state: dict[str, Any] = dict(session["state"]) if session else {}
        self.user_before, self.bot_before = user, bot
        self.user, self.bot = dict(user), dict(bot)
        self.max_visits = max_visits
        self.visits: dict[tuple[str, str], int] = {}
        self.events: list[Event] = []
        self._said: dict[str, Any] | None = None
        """The names the says since the last variable change render with (see _freeze)."""
        self.ended = False
        self.event = event.as_event()
        self.names: dict[str, Any] = {
            "state": self.state,
            "user": self.user,
            "bot": self.bot,
            "event": self.event,
            "text": self.event["text"],
            "intent": self.event["intent"],
            "confidence": self.event["confidence"],
            "entities": self.event["entities"],
        }

    # --- where we are -------------------------------------------------------------------
    def current(self) -> Node:
        frame = self.stack[-1]
        return self.flows.node(frame["flow"], frame["node"])

    # --- instructions -------------------------------------------------------------------
    def run(self, node: Node, instructions: tuple[Instruction, ...]) -> Running:
        for ins in instructions:
            try:
                if ins.kind == "say":
                    self.say(node, ins)
                elif ins.kind == "set":
                    self.assign(node, ins)
                else:
                    yield from self.do(node, ins)
            except EvaluationError as exc:
                raise TurnError(f"template error: {exc}", flow=node.flow, node=node.name) from exc

    def say(self, node: Node, ins: Instruction) -> None:
        qualified = node.qualified
        element = self.program.element(ins, qualified)
        if element.static:  # renders the same whatever the variables
            self.events.append(Say(qualified, element, {}))
            return
        if self._said is None:
            self._said = dict(self.names)
        self.events.append(Say(qualified, element, self._said))

    def _freeze(self) -> None:
        """Before a variable changes: the says since the last change keep copies of the
        variables as they were (made once for all of them, and only when a change follows:
        most turns say last, and their says share the turn's own variables). Shallow copies:
        nothing changes a value in place, but an action, whose values are fresh copies."""
        said = self._said
        if said is not None:
            said["state"], said["user"] = dict(self.state), dict(self.user)
            said["bot"] = dict(self.bot)
            self._said = None

    def assign(self, node: Node, ins: Instruction) -> None:
        self._freeze()
        qualified = node.qualified
        for a in ins.assignments:
            value = render_value(a.value, self.names)
            getattr(self, a.scope)[a.key] = value
            self.events.append(VariableSet(qualified, a.scope, a.key, value))

    def do(self, node: Node, ins: Instruction) -> Running:
        """Ask the runtime to run an action; record its result and the variables it set.

        The variables it added or replaced are found by comparing shallow copies taken before
        it ran: a change made inside a value in place (``ctx.state["toppings"].append(...)``)
        takes effect but shows only in the turn's before/after state, not as an event.
        """
        self._freeze()
        qualified = node.qualified
        args = render_value(ins.args, self.names)
        self.events.append(ActionCalled(qualified, ins.action, dict(args)))
        for variables in (self.state, self.user, self.bot):  # it may change values in place
            for key, value in variables.items():
                if type(value) is dict or type(value) is list:
                    variables[key] = clone(value)
        before = (dict(self.state), dict(self.user), dict(self.bot))
        ctx = ActionContext(
            ins.action, self.state, self.user, self.bot, dict(self.event), args, qualified
        )
        try:
            updates = yield ctx
        except TurnError:
            raise
        except Exception as exc:
            raise TurnError(
                f"action {ins.action!r} failed: {type(exc).__name__}: {exc}",
                flow=node.flow,
                node=node.name,
            ) from exc
        for key, value in (updates or {}).items():
            prefix, _, name = key.rpartition(".")
            if prefix not in ("", *_SCOPES):
                raise TurnError(
                    f"action {ins.action!r} returned a bad variable name {key!r}",
                    flow=node.flow,
                    node=node.name,
                )
            getattr(self, prefix or "state")[name] = value
        self.events.append(
            ActionReturned(qualified, ins.action, dict(updates or {}), tuple(ctx.said))
        )
        for scope, old in zip(_SCOPES, before, strict=True):
            for key, value in changed_keys(old, getattr(self, scope)).items():
                self.events.append(VariableSet(qualified, scope, key, value))

    # --- transitions --------------------------------------------------------------------
    def pick(self, transitions: tuple[Transition, ...], where: str) -> str | None:
        for t in transitions:
            try:
                holds = True if t.condition is None else t.condition.holds(self.names)
            except EvaluationError as exc:
                raise TurnError(f"condition error in {where}: {exc}") from exc
            self.events.append(ConditionChecked(where, t.source, holds, t.target))
            if holds:
                return t.target
        return None

    def goto(self, target: str) -> Node | None:
        """Follow a target; the node to enter next, or None when the turn stops here."""
        while target == RETURN:
            done = self.stack.pop()
            if not self.stack:
                self.end()
                return None
            caller = self.current()
            self.events.append(FlowReturned(done["flow"], caller.qualified))
            found = self.pick(caller.next, caller.qualified)
            if found is None:
                self.events.append(Waiting(caller.qualified))
                return None
            target = found
        if target == END:
            self.end()
            return None
        flow, _, name = target.rpartition(".")
        frame = self.stack[-1]
        if flow:
            frame["flow"] = flow
        frame["node"] = name
        return self.flows.node(frame["flow"], name)

    def end(self) -> None:
        self.ended = True
        self.events.append(SessionEnded())

    def enter(self, node: Node | None) -> Running:
        """Enter nodes until the conversation waits or ends."""
        while node is not None:
            key = (node.flow, node.name)
            visits = self.visits[key] = self.visits.get(key, 0) + 1
            if visits > self.max_visits:
                raise TurnError(
                    f"loop guard: node {node.qualified} was entered more than "
                    f"{plural(self.max_visits, 'time')} in one turn",
                    flow=node.flow,
                    node=node.name,
                    kind="loop",
                )
            qualified = node.qualified
            self.events.append(NodeEntered(qualified))
            yield from self.run(node, node.on_enter)
            if node.call is not None:
                callee = self.flows.flows[node.call]
                self.events.append(FlowCalled(qualified, callee.name))
                self.stack.append(Frame(flow=callee.name, node=callee.start))
                node = callee.nodes[callee.start]
                continue
            if node.waits:
                self.events.append(Waiting(qualified))
                return
            target = self.pick(node.next, qualified)
            if target is None:
                self.events.append(Waiting(qualified))
                return
            node = self.goto(target)

    # --- the three ways a turn starts ---------------------------------------------------
    def start(self) -> Running:
        main = self.flows.flows[MAIN]
        self.stack = [Frame(flow=MAIN, node=main.start)]
        self.events.append(SessionStarted(self.flows.version))
        yield from self.enter(main.nodes[main.start])

    def receive(self) -> Running:
        for depth in range(len(self.stack) - 1, -1, -1):
            flow = self.flows.flows[self.stack[depth]["flow"]]
            if not flow.catch_all:
                continue
            target = self.pick(flow.catch_all, f"{flow.name}.catch_all")
            if target is not None:
                del self.stack[depth + 1 :]
                self.events.append(CatchAllTaken(flow.name, target))
                yield from self.enter(self.goto(target))
                return
        node = self.current()
        yield from self.run(node, node.on_receive or ())
        target = self.pick(node.next, node.qualified)
        if target is None:
            self.events.append(Waiting(node.qualified))
        else:
            yield from self.enter(self.goto(target))

    def timeout(self) -> Running:
        node = self.current()
        flow = self.flows.flows[node.flow]
        target = node.timeout or flow.timeout
        if target is None and "timeout" in flow.nodes:
            target = "timeout"
        if target is None and "timeout" in self.flows.flows:
            target = f"timeout.{self.flows.flows['timeout'].start}"
        self.events.append(TimeoutTaken(node.qualified, target or END))
        yield from self.enter(self.goto(target or END))

    # --- the outcome --------------------------------------------------------------------
    def result(self, session: Session | None, now: float) -> StepResult:
        new: Session | None = None
        if not self.ended:
            new = Session(
                stack=self.stack,
                waiting=True,
                state=self.state,
                version=session["version"] if session else self.flows.version,
                started_at=session["started_at"] if session else now,
            )
        user_changes = changed_keys(self.user_before, self.user)
        return StepResult(self.events, new, user_changes, changed_keys(self.bot_before, self.bot))

    def failed(self, session: Session | None, error: TurnError) -> StepResult:
        node = f"{error.flow}.{error.node}" if error.flow else ""
        self.events.append(TurnFailed(str(error), node, error.kind))
        return StepResult(self.events, session, {}, {})


def step(
    program: Program,
    session: Session | None,
    user: dict[str, Any],
    bot: dict[str, Any],
    event: TurnInput,
    *,
    now: float,
    max_visits: int = 10,
) -> Turn:
    """Run one turn (a generator: see :data:`~workbench.engine._types.Turn`).

    A :class:`Timeout` runs the timeout path of the open session (DESIGN.md precedence); a
    message with no open session starts one at ``main``'s start node. The inputs are never
    changed; a failed turn returns events that end with :class:`TurnFailed`.
    """
    turn = _Turn(program, session, user, bot, event, max_visits)
    try:
        if isinstance(event, Timeout):
            if session is None:
                return StepResult([], None, {}, {})
            yield from turn.timeout()
        elif session is None:
            yield from turn.start()
        else:
            yield from turn.receive()
    except TurnError as error:
        return turn.failed(session, error)
    return turn.result(session, now)
