"""The NLU views of a notebook: the intent tester, the review of unhandled messages, charts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import workbench as wb
from tests.conftest import SAMPLE_BOTS
from workbench.nlu import cross_validate
from workbench.notebook import confusion_chart, f1_chart, threshold_chart
from workbench.notebook._nlu_review import SKIP, UnhandledReview, user_messages
from workbench.notebook._nlu_tester import IntentTester

INTENTS = {
    "greet": ["hi", "hello", "good morning", "hey there"],
    "order": ["I want a pizza", "order a pizza", "a pizza please", "can I get a pizza"],
    "none": ["tell me a joke", "what's the weather", "who won the game"],
}
FLOW = {"start": "listen", "nodes": {"listen": {"next": [{"to": "listen"}]}}}


@pytest.fixture
def support(tmp_path: Path) -> wb.Bot:
    folder = shutil.copytree(
        SAMPLE_BOTS / "support", tmp_path / "support", ignore=shutil.ignore_patterns(".workbench")
    )
    return wb.Bot.load(folder, db="memory://")


def test_the_tester_shows_ranked_intents_and_entities_escaped(support: wb.Bot) -> None:
    tester = support.nlu_tester()
    result = tester.test("where is order 10231 <b>")
    assert result.intent == "order_status"
    html = tester.result.value
    assert "<b>order_status</b>" in html and "&lt;b&gt;" in html and "10231" in html
    assert "entity number" in html
    assert "where is order 10231 &lt;b&gt;" in tester.past.value


def test_the_tester_says_why_a_sentence_is_understood_or_not(support: wb.Bot) -> None:
    tester = support.nlu_tester()
    tester.test("when do you open")
    assert "why:" in tester.result.value and "≥ threshold" in tester.result.value
    assert "→ <b>faq_hours</b>" in tester.result.value
    tester.test("my grandmother knits scarves in winter")
    html = tester.result.value
    assert "→ <b>none</b>" in html
    assert "&lt; threshold" in html or "<code>none</code> examples fit best" in html


def test_enter_in_the_box_tests_the_sentence_and_clears_it(support: wb.Bot) -> None:
    tester = support.nlu_tester()
    # what the browser sends on Enter: "submit", then the committed text
    tester.input._handle_custom_msg({"event": "submit"}, [])
    tester.input.value = "when do you open"
    assert tester.history[-1][0] == "when do you open" and tester.input.value == ""
    assert tester.history[-1][1].intent == "faq_hours"
    tester.input.value = "where is my order"  # leaving the box with new text tests it too
    assert tester.history[-1][1].intent == "order_status"


def test_the_tester_follows_the_bots_current_model() -> None:
    bot = wb.Bot.new("shop")
    tester = IntentTester(bot)
    assert tester.test("gimme food").intent == "none"
    bot.set_intents({**INTENTS, "order": [*INTENTS["order"], "gimme food", "food please"]})
    assert tester.test("gimme food").intent == "order"


def test_unhandled_messages_come_from_the_transcripts(support: wb.Bot) -> None:
    conv = support.conversation(user_id="u1")
    for text in ["hi", "Sam", "the box came damaged", "the box came damaged", "is the fish fresh"]:
        conv.say(text)
    assert "the box came damaged" in user_messages(support)
    review = support.review_unhandled()
    texts = {s.text: s.count for s in review.suggestions}
    assert texts["the box came damaged"] == 2 and "is the fish fresh" in texts
    assert "hi" not in texts  # understood: a greeting
    assert all(p.value == SKIP for p in review.pickers)
    review.use_guesses()
    assert [p.value for p in review.pickers] == [s.closest for s in review.suggestions]


def test_picked_examples_are_written_to_the_folder_and_the_bot_retrains(support: wb.Bot) -> None:
    review = UnhandledReview(support, ["the box came damaged", "is the fish fresh"])
    damaged = next(
        p for s, p in zip(review.suggestions, review.pickers, strict=True) if "box" in s.text
    )
    damaged.value = "faq_returns"
    review._add_from_ui()
    assert "Added 1 example to faq_returns and nlu/intents.yml" in review.status.value
    assert support.nlu.parse("the box came damaged").intent == "faq_returns"
    assert support.path is not None
    assert "    - the box came damaged\n" in (support.path / "nlu" / "intents.yml").read_text()
    assert [s.text for s in review.suggestions] == ["is the fish fresh"]


def test_a_bot_built_in_the_notebook_gets_the_examples_in_memory() -> None:
    bot = wb.Bot.new("shop")
    bot.set_intents(INTENTS)
    review = UnhandledReview(bot, ["gimme food"])
    review.add({"order": ["gimme food"]})
    assert bot.source.nlu.intents["order"][-1] == "gimme food"
    assert bot.nlu.parse("gimme food").intent == "order"


def test_nothing_picked_or_a_bad_intent_says_so_and_changes_nothing(support: wb.Bot) -> None:
    review = UnhandledReview(support, ["the box came damaged"])
    review._add_from_ui()
    assert "Pick an intent" in review.status.value
    before = (support.path / "nlu" / "intents.yml").read_text()  # type: ignore[operator]
    review.pickers[0].options = [*review.pickers[0].options, ("Bad Name", "Bad Name")]
    review.pickers[0].value = "Bad Name"
    review._add_from_ui()
    assert "Not added" in review.status.value and "intents.yml" in review.status.value
    assert (support.path / "nlu" / "intents.yml").read_text() == before  # type: ignore[operator]


def test_the_charts_show_the_evaluation_as_vega_lite() -> None:
    import altair as alt

    active = alt.renderers.active
    data = wb.Bot.new("shop")
    data.set_intents(INTENTS)
    cv = cross_validate(data.source.nlu, folds=3)
    confusion = confusion_chart(cv.report).to_dict()
    assert alt.renderers.active == "mimetype"  # JupyterLab renders it offline
    cells = confusion["layer"][0]
    values = confusion["datasets"][next(iter(confusion["datasets"]))]
    assert sum(v["count"] for v in values) == len(cv.texts)
    assert cells["mark"]["type"] == "rect"
    bars = f1_chart(cv.report).to_dict()
    assert bars["encoding"]["y"]["sort"][0] == min(
        cv.report.per_intent, key=lambda k: (cv.report.per_intent[k][2], k)
    )
    curve = threshold_chart(cv.curve(), cv.threshold).to_dict()
    rule = curve["layer"][1]
    assert rule["mark"]["type"] == "rule"
    alt.renderers.enable(active)  # as the session had it


def test_intents_edited_in_the_notebook_are_kept_and_the_file_left_alone(support: wb.Bot) -> None:
    assert support.path is not None
    intents_file = support.path / "nlu" / "intents.yml"
    before = intents_file.read_text()
    edited = {**support.source.nlu.intents, "faq_gifts": ["do you sell gift cards", "gift card"]}
    support.set_intents(support.source.nlu.model_copy(update={"intents": edited}))
    review = UnhandledReview(support, ["the box came damaged"])
    review.pickers[0].value = "faq_returns"
    review._add_from_ui()
    assert not review.written and "bot.save(folder)" in review.status.value
    assert "faq_gifts" in support.source.nlu.intents  # the notebook's edit survives
    assert "the box came damaged" in support.source.nlu.intents["faq_returns"]
    assert intents_file.read_text() == before


def test_evaluate_nlu_takes_a_threshold(support: wb.Bot) -> None:
    cv = support.evaluate_nlu(folds=2, threshold=0.7)
    assert cv.threshold == 0.7


def test_the_review_reads_the_most_recent_user_messages(support: wb.Bot) -> None:
    conv = support.conversation(user_id="u2")
    for text in ["hi", "Sam", "first", "second", "third"]:
        conv.say(text)
    assert user_messages(support, recent=2) == ["second", "third"]
