"""Answers over real transcripts: simulated pizza orders in the bot's SQLite store, checked
against what the simulator itself counted and against plain-Python reference computations."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

import workbench as wb
from tests.analytics.shop_kit import Played
from tests.conftest import SAMPLE_BOTS
from workbench.analytics import Analytics, AnalyticsError, Answer
from workbench.runtime import Bot
from workbench.schema import TranscriptEvent

STEPS = [
    "main.ask_size",
    "main.ask_toppings",
    "main.confirm",
    "checkout.ask_payment",
    "main.thanks",
]


@pytest.fixture(scope="module")
def pizza(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Bot, Any, Analytics]]:
    """The pizza bot (a copy) after 150 simulated orders and two real conversations."""
    folder = tmp_path_factory.mktemp("pizza") / "pizza"
    shutil.copytree(SAMPLE_BOTS / "pizza", folder, ignore=shutil.ignore_patterns(".workbench"))
    bot = Bot.load(folder)
    report = bot.simulate(150, seed=7, progress=False)
    real = bot.conversation(user_id="ada")
    for text in ["hi", "a large one", "cancel"]:
        real.say(text)
    bot.conversation(user_id="bob").say("qwxz vbnm")
    yield bot, report, wb.analytics.open(folder)
    bot.store.close()


def ordered_reach(events: list[TranscriptEvent], steps: list[str]) -> Counter[int]:
    """Reference: per conversation, how many steps it reached in order (greedy)."""
    reached: dict[str, int] = {}
    for event in events:  # in id order
        if event.type != "node":
            continue
        done = reached.setdefault(event.conversation_id, 0)
        if done < len(steps) and f"{event.flow}.{event.node}" == steps[done]:
            reached[event.conversation_id] = done + 1
    return Counter(reached.values())


def test_dropoff_and_reached_match_the_simulators_own_counts(pizza: Any) -> None:
    _, report, a = pizza
    simulated = a.filter(simulated=True)
    dropoff = simulated.dropoff()
    assert dict(zip(dropoff.node, dropoff.conversations, strict=True)) == report.drop_offs
    assert list(dropoff.conversations) == sorted(dropoff.conversations, reverse=True)
    reached = simulated.reached()
    assert dict(zip(reached.node, reached.conversations, strict=True)) == report.reached
    assert dict(zip(reached.node, reached.visits, strict=True)) == report.visits
    outcomes = simulated.outcomes().set_index("outcome").conversations
    assert outcomes["end"] == report.outcomes.get("ended", 0)


def test_funnel_counts_conversations_that_reached_each_step_in_order(pizza: Any) -> None:
    bot, _, a = pizza
    funnel = a.funnel(STEPS)
    assert list(funnel.columns[:3]) == ["step", "node", "conversations"]
    assert list(funnel.node) == STEPS
    counts = ordered_reach(bot.store.events(bot.name), STEPS)
    expected = [sum(n for done, n in counts.items() if done >= k) for k in range(1, len(STEPS) + 1)]
    assert list(funnel.conversations) == expected
    assert expected[0] > expected[-1] > 0
    assert funnel.share.iloc[0] == 1.0
    # out of order: nobody pays before choosing a size
    backwards = a.funnel(["checkout.ask_payment", "main.ask_size"])
    assert backwards.conversations.iloc[1] == 0


def test_funnel_by_day_channel_and_simulated(pizza: Any) -> None:
    _, report, a = pizza
    total = a.funnel(STEPS[:2])
    by_day = a.funnel(STEPS[:2], by="day")
    assert list(by_day.columns[:2]) == ["day", "step"]
    assert by_day.groupby("step").conversations.sum().tolist() == total.conversations.tolist()
    by_who = a.funnel(STEPS[:1], by="simulated").set_index("simulated").conversations
    assert by_who[True] == report.reached["main.ask_size"] and by_who[False] == 2
    assert set(a.funnel(STEPS[:1], by="channel").channel) == {"web"}
    for by in ("week", "month", "language"):
        assert a.funnel(STEPS[:1], by=by).conversations.sum() == total.conversations.iloc[0]


def test_bad_funnels_are_clear_errors(pizza: Any) -> None:
    _, _, a = pizza
    with pytest.raises(AnalyticsError, match=r"main\.ask_sise.*did you mean main\.ask_size"):
        a.funnel(["main.ask_sise"])
    with pytest.raises(AnalyticsError, match=r"flow\.node"):
        a.funnel(["ask_size"])
    with pytest.raises(AnalyticsError, match="list of nodes"):
        a.funnel("main.ask_size")
    with pytest.raises(AnalyticsError, match="by='hour'"):
        a.funnel(STEPS, by="hour")


def test_understanding_answers(pizza: Any) -> None:
    bot, _, a = pizza
    users = [e for e in bot.store.events(bot.name) if e.type == "user" and e.text]
    fallbacks = [e for e in users if e.intent in ("none", "") and not e.payload.get("entities")]
    rate = a.fallback_rate()
    assert rate.messages.sum() == len(users)
    assert rate.fallbacks.sum() == len(fallbacks)
    unhandled = a.unhandled(limit=500)
    assert unhandled["count"].sum() == len(fallbacks)
    assert "qwxz vbnm" in set(unhandled.text)
    review = bot.review_unhandled(unhandled.text)  # the texts feed the NLU review as they are
    assert {s.text for s in review.suggestions} <= set(unhandled.text)
    intents = a.intents().set_index("intent")
    assert intents.messages.sum() == len(users)
    assert intents.loc["cancel", "messages"] >= 1
    histogram = a.confidence(bins=10)
    assert histogram.messages.sum() == len(users)
    assert histogram.bin_start.between(0, 0.9).all()


def test_conversation_and_user_answers(pizza: Any) -> None:
    _, _, a = pizza
    conversations = a.sql("SELECT turns, duration_s FROM conversations")
    lengths = a.lengths()
    assert lengths.conversations.sum() == len(conversations) == 152
    assert dict(zip(lengths.turns, lengths.conversations, strict=True)) == dict(
        Counter(conversations.turns)
    )
    assert a.durations().conversations.sum() == 152
    returning = a.returning_users()
    assert returning.users.sum() == 152 and returning.returning_users.sum() == 0
    retention = a.retention()
    assert retention.share.iloc[0] == 1.0
    kpis = a.kpis()
    assert kpis["conversations"] == 152 and 0 < kpis["completion_rate"] < 1
    paths = a.paths(flow="checkout")
    assert paths.path.str.startswith("ask_payment").all()
    content = a.content_usage().set_index("text")
    assert content.loc["What size would you like?", "node"] == "main.ask_size"


def test_every_answer_charts_and_per_node_ones_overlay_the_graph(pizza: Any) -> None:
    bot, _, a = pizza
    answers: dict[str, Answer] = {
        "funnel": a.funnel(STEPS),
        "funnel by day": a.funnel(STEPS, by="day"),
        "funnel by channel": a.funnel(STEPS, by="channel"),
        "dropoff": a.dropoff(),
        "reached": a.reached(),
        "paths": a.paths(),
        "errors": a.errors(),
        "content": a.content_usage(),
        "fallback": a.fallback_rate(),
        "unhandled": a.unhandled(),
        "intents": a.intents(),
        "confidence": a.confidence(),
        "outcomes": a.outcomes(),
        "lengths": a.lengths(),
        "durations": a.durations(),
        "returning": a.returning_users(),
        "retention": a.retention(),
    }
    for name, answer in answers.items():
        spec = answer.chart().to_dict()
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v5"), name
        assert spec.get("datasets"), name
        answer.iloc[0:0].chart().to_dict()  # an empty answer charts too
    graph = bot.graph()
    for answer in (answers["dropoff"], answers["reached"], answers["funnel"]):
        graph.overlay(answer.by_node(), label=answer.kind)  # one line, as it is
        top = answer.by_node().idxmax()
        shown = graph._nodes[top].data
        assert shown["overlay_value"] == answer.by_node().max()
        assert shown["display"].endswith(f"{answer.kind}: {int(answer.by_node().max())}")
    graph.close()
    with pytest.raises(AnalyticsError, match="not per node"):
        answers["lengths"].by_node()
    narrowed = answers["dropoff"].head(2)
    assert isinstance(narrowed, Answer) and narrowed.chart().to_dict()["datasets"]


def test_turn_errors_by_node(shop: Played) -> None:
    a = wb.analytics.open(shop.bot)
    errors = a.errors()
    assert list(errors.node) == ["main.explode"]
    assert errors.errors.iloc[0] == 2 and errors.conversations.iloc[0] == 2
    assert "warehouse is on fire" in errors.message.iloc[0]
    assert errors.by_node().to_dict() == {"main.explode": 2}


def test_a_suggested_funnel_follows_the_deepest_successful_journey(pizza: Any) -> None:
    _, _, a = pizza
    steps = a.suggest_funnel()
    assert len(steps) == 5 and steps[0] == "main.welcome" and steps[-1] == "main.thanks"
    assert a.funnel(steps).conversations.iloc[-1] > 0
    assert a.suggest_funnel(flow="checkout", steps=2)[0] == "checkout.ask_payment"
    assert a.filter(start="2001-01-01", end="2001-01-01").suggest_funnel() == []
