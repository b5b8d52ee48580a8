"""The dialog engine: one turn of a conversation, as a pure function of its inputs.

Botpress X semantics (see DESIGN.md): entering a node runs ``on_enter``; a node with
``on_receive`` waits; the next message runs ``catch_all`` (innermost flow first), else
``on_receive`` then the first ``next`` whose condition holds; no match means wait.
Nothing here does I/O: the runtime loads and saves, and runs actions through ``ActionRunner``.
"""

from __future__ import annotations

import random
from typing import Any

from workbench.engine._program import Program
from workbench.engine._types import ActionContext, ActionRunner, StepResult, TurnInput
from workbench.engine._values import changed_keys, clone, render_value
from workbench.expressions import EvaluationError
from workbench.flows import END, MAIN, RETURN, Instruction, Node, Transition
from workbench.schema import Frame, Reply, Session, TurnError


class _Turn:
    """The working copy of one turn; discarded whole if the turn fails."""

    def __init__(
        self,
        program: Program,
        session: Session | None,
        user: dict[str, Any],
        bot: dict[str, Any],
        event: TurnInput,
        actions: ActionRunner,
        max_visits: int,
        rng: random.Random,
    ) -> None:
        self.program = program
        self.flows = program.flows
        self.stack: list[Frame] = [
            Frame(flow=f["flow"], node=f["node"]) for f in (session["stack"] if session else [])
        ]
        self.state: dict[str, Any] = clone(session["state"]) if session else {}
        self.user_before, self.bot_before = user, bot
        self.user, self.bot = clone(user), clone(bot)
        self.event = event
        self.actions = actions
        self.max_visits = max_visits
        self.rng = rng
        self.visits: dict[tuple[str, str], int] = {}
        self.visited: list[tuple[str, str]] = []
        self.replies: list[Reply] = []
        self.reply_nodes: list[str] = []
        self.order: list[str] = []  # "node" / "reply", in the order they happened
        self.trace: list[dict[str, Any]] = []
        self.ended = False
        event_names = event.as_event()
        self.names = {
            "state": self.state,
            "user": self.user,
            "bot": self.bot,
            "event": event_names,
            "text": event.text,
            "intent": event.nlu.intent,
            "confidence": event.nlu.confidence,
            "entities": event_names["entities"],
        }

    # --- where we are -------------------------------------------------------------------
    def current(self) -> Node:
        frame = self.stack[-1]
        return self.flows.node(frame["flow"], frame["node"])

    # --- instructions -------------------------------------------------------------------
    def run(self, node: Node, instructions: tuple[Instruction, ...]) -> None:
        for ins in instructions:
            try:
                if ins.kind == "say":
                    self.say(node, ins)
                elif ins.kind == "set":
                    self.assign(node, ins)
                else:
                    self.do(node, ins)
            except EvaluationError as exc:
                raise TurnError(f"template error: {exc}", flow=node.flow, node=node.name) from exc

    def say(self, node: Node, ins: Instruction) -> None:
        qualified = node.qualified  # a property that formats a new string on every read
        element = self.program.element(ins, qualified)
        reply = element.render(self.names, self.rng)
        self.replies.append(reply)
        self.reply_nodes.append(qualified)
        self.order.append("reply")
        self.trace.append(
            {"kind": "say", "node": qualified, "element": element.id, "text": reply.text}
        )

    def assign(self, node: Node, ins: Instruction) -> None:
        for a in ins.assignments:
            value = render_value(a.value, self.names)
            scope = self.state if a.scope == "state" else getattr(self, a.scope)
            scope[a.key] = value
            self.trace.append(
                {"kind": "set", "node": node.qualified, "name": a.name, "value": value}
            )

    def do(self, node: Node, ins: Instruction) -> None:
        qualified = node.qualified
        args = render_value(ins.args, self.names)
        ctx = ActionContext(self.state, self.user, self.bot, self.names["event"], args, qualified)
        try:
            updates = self.actions(ins.action, ctx)
        except TurnError:
            raise
        except Exception as exc:
            raise TurnError(
                f"action {ins.action!r} failed: {type(exc).__name__}: {exc}",
                flow=node.flow,
                node=node.name,
            ) from exc
        self.replies += ctx.replies
        self.reply_nodes += [qualified] * len(ctx.replies)
        self.order += ["reply"] * len(ctx.replies)
        target = {"": self.state, "state": self.state, "user": self.user, "bot": self.bot}
        for key, value in (updates or {}).items():
            scope, _, name = key.rpartition(".")
            if scope not in target:
                raise TurnError(
                    f"action {ins.action!r} returned a bad variable name {key!r}",
                    flow=node.flow,
                    node=node.name,
                )
            target[scope][name] = value
        self.trace.append(
            {
                "kind": "action",
                "node": qualified,
                "name": ins.action,
                "args": args,
                "result": dict(updates or {}),
            }
        )

    # --- transitions --------------------------------------------------------------------
    def pick(self, transitions: tuple[Transition, ...], where: str) -> str | None:
        for t in transitions:
            try:
                holds = True if t.condition is None else t.condition.holds(self.names)
            except EvaluationError as exc:
                raise TurnError(f"condition error in {where}: {exc}") from exc
            self.trace.append(
                {
                    "kind": "condition",
                    "node": where,
                    "when": t.source,
                    "value": holds,
                    "to": t.target,
                }
            )
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
            self.trace.append({"kind": "return", "from": done["flow"], "to": caller.qualified})
            found = self.pick(caller.next, caller.qualified)
            if found is None:
                self.wait(caller)
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
        self.trace.append({"kind": "end"})

    def wait(self, node: Node) -> None:
        self.trace.append({"kind": "wait", "node": node.qualified})

    def enter(self, node: Node | None) -> None:
        """Enter nodes until the conversation waits or ends."""
        while node is not None:
            key = (node.flow, node.name)
            visits = self.visits[key] = self.visits.get(key, 0) + 1
            if visits > self.max_visits:
                raise TurnError(
                    f"loop guard: node {node.qualified} was entered more than "
                    f"{self.max_visits} times in one turn",
                    flow=node.flow,
                    node=node.name,
                    kind="loop",
                )
            self.visited.append(key)
            self.order.append("node")
            qualified = node.qualified
            self.trace.append({"kind": "enter", "node": qualified})
            self.run(node, node.on_enter)
            if node.call is not None:
                callee = self.flows.flows[node.call]
                self.trace.append({"kind": "call", "node": qualified, "flow": callee.name})
                self.stack.append(Frame(flow=callee.name, node=callee.start))
                node = callee.nodes[callee.start]
                continue
            if node.waits:
                self.trace.append({"kind": "wait", "node": qualified})
                return
            target = self.pick(node.next, qualified)
            if target is None:
                self.trace.append({"kind": "wait", "node": qualified})
                return
            node = self.goto(target)

    # --- the three ways a turn starts ---------------------------------------------------
    def start(self) -> None:
        main = self.flows.flows[MAIN]
        self.stack = [Frame(flow=MAIN, node=main.start)]
        self.trace.append({"kind": "session_start", "version": self.flows.version})
        self.enter(main.nodes[main.start])

    def receive(self) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            flow = self.flows.flows[self.stack[depth]["flow"]]
            if not flow.catch_all:
                continue
            target = self.pick(flow.catch_all, f"{flow.name}.catch_all")
            if target is not None:
                del self.stack[depth + 1 :]
                self.trace.append({"kind": "catch_all", "flow": flow.name, "to": target})
                self.enter(self.goto(target))
                return
        node = self.current()
        self.run(node, node.on_receive or ())
        qualified = node.qualified
        target = self.pick(node.next, qualified)
        if target is None:
            self.trace.append({"kind": "wait", "node": qualified})
        else:
            self.enter(self.goto(target))

    def timeout(self) -> None:
        node = self.current()
        flow = self.flows.flows[node.flow]
        target = node.timeout or flow.timeout
        if target is None and "timeout" in flow.nodes:
            target = "timeout"
        if target is None and "timeout" in self.flows.flows:
            target = f"timeout.{self.flows.flows['timeout'].start}"
        self.trace.append({"kind": "timeout", "node": node.qualified, "to": target or END})
        self.enter(self.goto(target or END))

    def result(self, session: Session | None, now: float) -> StepResult:
        new: Session | None = None
        if not self.ended:
            version = session["version"] if session else self.flows.version
            started = session["started_at"] if session else now
            new = Session(
                stack=self.stack,
                waiting=True,
                state=self.state,
                version=version,
                started_at=started,
            )
            offered = [c for r in self.replies for c in r.choices]
            if offered:
                new["choices"] = [{"title": c.title, "value": c.value} for c in offered]
        return StepResult(
            new,
            self.replies,
            self.trace,
            self.visited,
            self.state,
            changed_keys(self.user_before, self.user),
            changed_keys(self.bot_before, self.bot),
            self.ended,
            self.reply_nodes,
            self.order,
        )


def step(
    program: Program,
    session: Session | None,
    user: dict[str, Any],
    bot: dict[str, Any],
    event: TurnInput,
    *,
    actions: ActionRunner,
    now: float,
    max_visits: int = 10,
    rng: random.Random | None = None,
) -> StepResult:
    """Run one turn. Raises :class:`TurnError` (inputs untouched) when the turn fails.

    With ``event.kind == "timeout"`` it runs the timeout path of the open session (DESIGN.md
    precedence); a message with no open session starts one at ``main``'s start node.
    """
    turn = _Turn(program, session, user, bot, event, actions, max_visits, rng or random.Random())
    if event.kind == "timeout":
        if session is None:
            turn.ended = True
            return turn.result(None, now)
        turn.timeout()
    elif session is None:
        turn.start()
    else:
        turn.receive()
    return turn.result(session, now)
