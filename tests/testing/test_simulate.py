"""``simulate``: many conversations with simulated users, on the pizza bot and small test bots."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLE_BOTS
from workbench.engine import ActionContext
from workbench.runtime import Bot
from workbench.schema import Reply
from workbench.testing import _simulate as simulate_module
from workbench.testing._simulate import simulate
from workbench.testing._simulate_users import TIMEOUT, Move, ScriptedUser

PIZZA = SAMPLE_BOTS / "pizza"
ORDER = ["hi", "large", "ham", "done", "yes", "card", "4242"]


def pizza(tmp_path: Path, name: str = "x") -> Bot:
    return Bot.load(PIZZA, db=f"sqlite:///{tmp_path}/{name}.db")


def small_bot(flow: str, *actions: Callable[[ActionContext], dict[str, object]]) -> Bot:
    bot = Bot.new("t")
    for fn in actions:
        bot.add_action(fn)
    bot.set_flow("main", flow)
    return bot


ASK_THEN_BYE = """
start: ask
nodes:
  ask:
    on_enter: [{say: {text: "Name?"}}]
    on_receive: []
    next: [{to: bye}]
  bye:
    on_enter: [{say: {text: "Bye"}}]
    next: [{to: END}]
"""


def test_random_users_cover_most_of_the_pizza_bot(tmp_path: Path) -> None:
    report = simulate(pizza(tmp_path), 300, seed=7, progress=False)
    assert report.conversations == 300
    assert report.node_coverage >= 0.9, report.never_reached
    assert report.transition_coverage >= 0.8, report.never_taken
    assert report.turn_errors == 0
    assert sum(report.outcomes.values()) == 300
    assert report.outcomes["ended"] > 100  # many orders get through
    assert len(report.lengths) == 300 and sum(report.lengths) == report.turns
    assert max(report.lengths) <= report.max_turns
    assert report.reached["main.welcome"] == 300  # every conversation starts there
    assert report.visits["main.welcome"] == 300
    assert sum(report.drop_offs.values()) == 300 - report.outcomes["ended"]


def test_a_scripted_user_takes_exactly_the_scripted_path(tmp_path: Path) -> None:
    report = simulate(pizza(tmp_path), 2, user=ScriptedUser(ORDER), seed=1, progress=False)
    path = [
        "main.welcome",
        "main.ask_size",
        "main.ask_toppings",
        "main.more_toppings",
        "main.confirm",
        "main.pay",
        "checkout.ask_payment",
        "checkout.card_number",
        "checkout.paid",
        "main.thanks",
    ]
    assert report.visits == {node: 2 for node in sorted(path)}
    assert set(report.taken) == {
        ("main.welcome", "main.ask_size", ""),
        ("main.ask_size", "main.ask_toppings", "state.size"),
        ("main.ask_toppings", "main.more_toppings", ""),
        ("main.more_toppings", "main.confirm", 'intent == "done"'),
        ("main.confirm", "main.pay", 'intent == "affirm"'),
        ("checkout.ask_payment", "checkout.card_number", 'state.method == "card"'),
        (
            "checkout.card_number",
            "checkout.paid",
            "state.card_last4 and len(str(state.card_last4)) == 4",
        ),
        ("checkout.paid", "RETURN", ""),
        ("main.pay", "main.thanks", "state.paid"),
        ("main.thanks", "END", ""),
    }
    assert report.lengths == [7, 7]
    assert report.outcomes == {"ended": 2}
    assert report.drop_offs == {} and report.dead_ends == {} and report.loops == {}


def test_an_unreachable_node_is_never_reached() -> None:
    bot = small_bot(
        ASK_THEN_BYE
        + """
  orphan:
    on_enter: [{say: {text: "nobody comes here"}}]
    next: [{to: END}]
"""
    )
    report = simulate(bot, 20, seed=3, progress=False)
    assert report.never_reached == ["main.orphan"]
    assert report.node_coverage == pytest.approx(2 / 3)
    assert ("main.orphan", "END", "") in report.never_taken
    assert report.summary()["node_coverage"]["never_reached"] == ["main.orphan"]


def test_a_failing_action_is_reported_as_turn_errors_by_node() -> None:
    def boom(ctx: ActionContext) -> dict[str, object]:
        raise ValueError("kaboom")

    bot = small_bot(
        """
start: ask
nodes:
  ask:
    on_enter: [{say: {text: "Anything?"}}]
    on_receive: []
    next: [{to: explode}]
  explode:
    on_enter: [{do: boom}]
    next: [{to: END}]
""",
        boom,
    )
    report = simulate(bot, 10, user=ScriptedUser(["hi", "go", "again"]), seed=1, progress=False)
    assert list(report.errors) == ["main.explode"]
    [(message, count)] = report.errors["main.explode"].items()
    assert message.startswith("action 'boom' failed: ValueError: kaboom") and count == 20
    assert report.turn_errors == 20
    assert report.error_counts == {"main.explode": 20}
    # a failed turn rolls back: the conversation still waits at ask, never entered explode
    assert report.drop_offs == {"main.ask": 10}
    assert report.summary()["turn_errors"]["by_node"]["main.explode"]["count"] == 20
    assert str(report).splitlines() == [
        "Simulation of 't': 10 conversations (30 turns), user scripted, seed 1",
        "outcomes: left 10",
        "node coverage: 1/2 (50.0%); transitions: 0/2 (0.0%)",
        "never reached: main.explode",
        "top drop-offs: main.ask (10)",
        "20 turn errors: main.explode (20)",
    ]
    assert "main.explode" in report._repr_html_()


def test_print_of_a_report_is_a_few_lines_and_its_html_a_summary(tmp_path: Path) -> None:
    report = simulate(pizza(tmp_path), 1000, seed=3, progress=False)
    text = str(report)
    assert 5 <= len(text.splitlines()) <= 8, text  # not the dataclass and its 1,000 lengths
    assert text.startswith("Simulation of 'pizza': 1,000 conversations (")
    assert "node coverage: 15/15 (100.0%)" in text and "turn errors: none" in text
    assert "top drop-offs: main." in text
    assert repr(report) == "<SimulationReport 'pizza': 1,000 conversations, node coverage 15/15>"
    html = report._repr_html_()
    assert "Simulation of &#x27;pizza&#x27;" in html and "drop-offs" in html
    assert str(report.lengths[:20])[1:-1] not in html


def test_an_error_in_the_first_turn_does_not_end_the_conversation() -> None:
    calls: list[int] = []

    def flaky(ctx: ActionContext) -> dict[str, object]:
        calls.append(1)
        if len(calls) % 2:
            raise RuntimeError("oven cold")
        return {}

    bot = small_bot(
        """
start: hello
nodes:
  hello:
    on_enter: [{do: flaky}, {say: {text: "Hi"}}]
    on_receive: []
    next: [{to: END}]
""",
        flaky,
    )
    report = simulate(bot, 1, user=ScriptedUser(["hi", "hi again", "bye"]), progress=False)
    assert report.error_counts == {"main.hello": 1}
    assert report.outcomes == {"ended": 1}
    assert report.lengths == [3]
    assert report.visits == {"main.hello": 1}  # the failed entry was rolled back


def test_a_node_entered_again_and_again_is_a_loop_and_a_dead_end() -> None:
    bot = small_bot(
        """
start: again
nodes:
  again:
    on_enter: [{say: {text: "Say that again?"}}]
    on_receive: []
    next: [{to: again}]
"""
    )
    report = simulate(bot, 4, user=ScriptedUser(["a"] * 6), seed=1, progress=False)
    assert report.loops == {"main.again": 4}
    assert report.loop_max == {"main.again": 6}
    assert report.dead_ends == {"main.again": 4}
    assert report.summary()["loops"] == {"main.again": {"conversations": 4, "max_entries": 6}}


def test_a_node_without_a_way_out_is_a_dead_end() -> None:
    bot = small_bot(
        """
start: ask
nodes:
  ask:
    on_enter: [{say: {text: "Name?"}}]
    on_receive: []
    next: [{to: stuck}]
  stuck:
    on_enter: [{say: {text: "Hmm."}}]
"""
    )
    report = simulate(bot, 3, user=ScriptedUser(["hi", "Ada"]), seed=1, progress=False)
    assert report.dead_ends == {"main.stuck": 3}
    assert report.outcomes == {"left": 3}


def test_max_turns_stops_a_conversation() -> None:
    bot = small_bot(ASK_THEN_BYE.replace("next: [{to: bye}]", "next: [{to: ask}]"))
    report = simulate(bot, 2, user=ScriptedUser(["x"] * 50), max_turns=5, progress=False)
    assert report.lengths == [5, 5]
    assert report.outcomes == {"max_turns": 2}
    assert report.dead_ends == {"main.ask": 2}


def test_transcripts_are_stored_with_sim_ids(tmp_path: Path) -> None:
    bot = pizza(tmp_path)
    report = simulate(bot, 40, seed=5, progress=False)
    events = bot.events()
    conversations = {e.conversation_id for e in events}
    assert conversations == {f"sim-{report.run_id}-{n}" for n in range(40)}
    assert all(e.user_id.startswith(f"sim-random-{report.run_id}-") for e in events)
    # one user row per message; a timeout that just ends the session writes no row
    assert sum(e.type == "user" for e in events) == report.turns - report.outcomes.get("timeout", 0)
    assert sum(e.type == "node" for e in events) == sum(report.visits.values())
    for n, length in enumerate(report.lengths):
        record = bot.store.get_conversation(bot.name, f"sim-{report.run_id}-{n}")
        assert record is not None and record.turn == length
        assert record.user_id == f"sim-random-{report.run_id}-{n}"
    # a reopened store (another tool on the same file) sees them too
    again = Bot.load(PIZZA, db=f"sqlite:///{tmp_path}/x.db")
    assert len(again.events()) == len(events)


def test_the_same_seed_gives_the_same_report(tmp_path: Path) -> None:
    first = simulate(pizza(tmp_path, "a"), 60, seed=11, progress=False)
    second = simulate(pizza(tmp_path, "b"), 60, seed=11, progress=False)
    assert first == second
    assert first.run_id != second.run_id
    in_memory = simulate(Bot.load(PIZZA, db="memory://"), 60, seed=11, progress=False)
    assert in_memory == first  # staged on SQLite or direct in memory: the same turns
    other = simulate(pizza(tmp_path, "c"), 60, seed=12, progress=False)
    assert other.lengths != first.lengths


# Workers are forked only from a process running one thread, and other tests leave threads
# behind (IPython's history thread): the runs with workers happen in a fresh interpreter.
IN_WORKERS = """
import json, sys
from workbench.runtime import Bot
from workbench.testing import _simulate
_simulate.PARALLEL_FROM = int(sys.argv[3])
bot = Bot.load(sys.argv[1], db=sys.argv[2])
report = _simulate.simulate(bot, int(sys.argv[4]), seed=4, progress=False)
after = len(bot.conversation("after").say("hi"))  # the store reopens its connections
print(json.dumps({"summary": report.summary(), "after": after}))
"""
VOLATILE = ("run_id", "seconds", "conversations_per_s", "workers")


def in_fresh_python(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", IN_WORKERS, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_several_workers_give_the_same_report(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/two.db"
    result = in_fresh_python(str(PIZZA), db, "50", "120")  # 120 conversations: 2+ workers
    two = result["summary"]
    expected = min(os.cpu_count() or 1, 8, 120 // 25) if sys.platform.startswith("linux") else 1
    assert two["workers"] == expected
    one = simulate(pizza(tmp_path, "one"), 120, seed=4, workers=1, progress=False).summary()
    for key in (*VOLATILE, "store"):
        one.pop(key), two.pop(key)
    assert one == two
    assert result["after"] > 0
    bot = Bot.load(PIZZA, db=db)
    assert len({e.conversation_id for e in bot.events()}) == 121  # with the one after


FAILING_WORKER = """
import sys
from workbench.runtime import Bot
from workbench.testing._simulate import simulate

def clumsy(replies, index, rng):
    if index == 3:
        raise ValueError("the simulated user tripped")
    return "hi"

simulate(Bot.load(sys.argv[1], db=sys.argv[2]), 40, user=clumsy, workers=2, progress=False)
"""


def test_a_failing_worker_fails_the_run(tmp_path: Path) -> None:
    args = [str(PIZZA), f"sqlite:///{tmp_path}/x.db"]
    done = subprocess.run(
        [sys.executable, "-c", FAILING_WORKER, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "simulation worker" in done.stderr and "failed" in done.stderr
    assert "ValueError: the simulated user tripped" in done.stderr


def test_workers_need_a_store_other_processes_can_open() -> None:
    with pytest.raises(ValueError, match="other processes can open"):
        simulate(Bot.load(PIZZA, db="memory://"), 10, workers=2, progress=False)


def test_workers_are_not_forked_from_a_threaded_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(simulate_module, "PARALLEL_FROM", 10)
    bot = pizza(tmp_path)
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        with pytest.raises(ValueError, match="running one thread"):
            simulate(bot, 15, workers=2, progress=False)
        assert simulate(bot, 15, progress=False).workers == 1  # the default stays in-process
    finally:
        release.set()
        thread.join()


def test_a_function_can_be_the_user_and_go_silent() -> None:
    bot = small_bot(
        ASK_THEN_BYE
        + """
  timeout:
    on_enter: [{say: {text: "Still there?"}}]
    next: [{to: END}]
"""
    )
    seen: list[tuple[int, list[str]]] = []

    def shy(replies: Sequence[Reply], index: int, rng: random.Random) -> Move:
        seen.append((index, [r.text for r in replies]))
        return "hello" if index == 0 else TIMEOUT

    report = simulate(bot, 1, user=shy, progress=False)
    assert seen == [(0, []), (1, ["Name?"])]
    assert report.user == "shy"
    assert report.outcomes == {"timeout": 1}
    assert report.visits == {"main.ask": 1, "main.timeout": 1}
    assert report.drop_offs == {"main.ask": 1}  # where the user stopped answering


def test_a_conversation_test_can_be_the_user(tmp_path: Path) -> None:
    report = simulate(
        pizza(tmp_path), 1, user="asks again when the size is not understood", progress=False
    )
    assert report.visits["main.size_again"] == 1
    assert report.lengths == [3]
    with pytest.raises(ValueError, match="no simulated user called 'nobody'"):
        simulate(pizza(tmp_path), 1, user="nobody", progress=False)


def test_the_summary_is_json_and_the_frame_has_a_row_per_node(tmp_path: Path) -> None:
    report = simulate(pizza(tmp_path), 30, seed=2, progress=False)
    summary = json.loads(json.dumps(report.summary()))
    assert summary["conversations"] == 30
    assert set(summary["lengths"]) == {"mean", "p50", "p95", "max"}
    frame = report.to_frame()
    assert list(frame.index) == report.nodes
    assert list(frame.columns) == [
        "visits",
        "conversations",
        "drop_offs",
        "dead_ends",
        "loops",
        "errors",
    ]
    assert frame["visits"].sum() == sum(report.visits.values())
    html = report._repr_html_()
    assert "node coverage" in html and "<table>" in html


class FakeGraph:
    def __init__(self) -> None:
        self.overlays: list[tuple[dict[str, float], str]] = []

    def overlay(self, values: dict[str, float], label: str = "") -> None:
        self.overlays.append((values, label))


class EdgeGraph:
    """Like the notebook's FlowGraph: ``overlay`` also colours edges."""

    def __init__(self) -> None:
        self.overlays: list[tuple[dict[str, float], str]] = []
        self.edges: list[dict[tuple[str, str], float] | None] = []

    def overlay(
        self,
        values: dict[str, float],
        *,
        label: str = "",
        edges: dict[tuple[str, str], float] | None = None,
    ) -> None:
        self.overlays.append((values, label))
        self.edges.append(edges)


def test_show_overlays_a_metric_on_a_graph(tmp_path: Path) -> None:
    bot = pizza(tmp_path)
    report = simulate(bot, 20, seed=2, progress=False)
    graph = FakeGraph()
    assert report.show(graph) is graph
    values, label = graph.overlays[0]
    assert label == "visits"
    assert set(values) == set(report.nodes) and values["main.welcome"] == 20.0
    report.show(graph, metric="drop_offs")
    assert graph.overlays[1][1] == "drop_offs"
    with pytest.raises(ValueError, match="unknown metric"):
        report.show(graph, metric="nope")
    edge_graph = EdgeGraph()
    report.show(edge_graph)  # a graph that can colour edges gets the transitions taken
    edges = edge_graph.edges[0]
    assert edges is not None
    assert (
        edges[("main.welcome", "main.ask_size")]
        == report.taken[("main.welcome", "main.ask_size", "")]
    )
    assert ("main.thanks", "main.END") in edges or report.reached.get("main.thanks") is None
    report.show(edge_graph, metric="errors")
    assert edge_graph.edges[1] is None

    class GraphBot(Bot):
        def graph(self) -> FakeGraph:
            return FakeGraph()

    shown = simulate(GraphBot.load(PIZZA, db="memory://"), 5, seed=2, progress=False).show()
    assert shown.overlays[0][1] == "visits"


def test_progress_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    simulate(Bot.load(PIZZA, db="memory://"), 5, seed=1)
    captured = capsys.readouterr()
    assert "5/5" in captured.err and captured.out == ""


def test_bad_arguments_are_refused() -> None:
    bot = Bot.load(PIZZA, db="memory://")
    with pytest.raises(ValueError, match="n must be"):
        simulate(bot, -1)
    with pytest.raises(ValueError, match="max_turns"):
        simulate(bot, 1, max_turns=0)
    with pytest.raises(TypeError, match="user must be"):
        simulate(bot, 1, user=42)  # type: ignore[arg-type]


def test_print_says_how_many_more_nodes_were_never_reached(tmp_path: Path) -> None:
    """One conversation that stops at once leaves most nodes unvisited: print names the first
    few and counts the rest, as it does for drop-offs."""
    report = simulate(pizza(tmp_path), 1, user=ScriptedUser(["hi"]), seed=1, progress=False)
    [line] = [line for line in str(report).splitlines() if line.startswith("never reached: ")]
    names = line.removeprefix("never reached: ").split(", ")
    more = len(report.never_reached) - (len(names) - 1)
    assert more > 1 and names[-1] == f"… {more} more", line
    assert names[:-1] == report.never_reached[: len(names) - 1]
