"""The chat emulator: bubbles, quick replies, reset / switch user / timeout, the debugger,
escaping, staying in sync with the bot and a flow graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import workbench as wb
from tests.conftest import SAMPLE_BOTS, write_bot
from workbench.notebook._emulator import Emulator, emulator
from workbench.notebook._emulator_render import MAX_ENTRIES, LogEntry, log_html
from workbench.runtime import Bot as RuntimeBot


@pytest.fixture
def pizza() -> wb.Bot:
    bot = wb.Bot.load(SAMPLE_BOTS / "pizza", db="memory://")
    assert isinstance(bot, wb.Bot)  # the notebook Bot (with .chat())
    return bot


class FakeGraph:
    """Stands in for ``FlowGraph``: records ``highlight`` calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str | None, list[str]]] = []

    def highlight(self, node: str | None, path: Any = ()) -> None:
        self.calls.append((node, list(path)))


def boom(ctx: wb.ActionContext) -> dict[str, object]:
    raise RuntimeError("the oven <exploded>")


TOYS = """start: ask
timeout: timed_out
nodes:
  ask:
    on_enter:
      - say: ask
    on_receive: []
    next:
      - when: text == "boom"
        to: explode
      - when: text == "card"
        to: show_card
      - to: ask
  explode:
    on_enter: [{do: boom}]
    next: [{to: END}]
  show_card:
    on_enter: [{say: card}, {say: picture}, {say: evil}]
    on_receive: []
    next: [{to: ask}]
  timed_out:
    on_enter: [{say: {text: "Still there?"}}]
    next: [{to: END}]
"""


def toys() -> RuntimeBot:
    bot = wb.Bot.new("toys")
    bot.set_content("ask", "Say <b>boom</b> or card")
    bot.set_content(
        "card",
        {
            "type": "card",
            "title": "Margherita",
            "subtitle": "tomato & mozzarella",
            "image": "https://example.com/m.png",
            "buttons": [
                {"title": "Order", "value": "order"},
                {"title": "Menu", "url": "https://example.com/menu"},
            ],
        },
    )
    bot.set_content(
        "picture", {"type": "image", "image": "https://example.com/p.png", "title": "A"}
    )
    bot.set_content("evil", {"type": "image", "image": "javascript:alert(1)", "title": "x"})
    bot.add_action(boom)
    bot.set_flow("main", TOYS)
    return bot


def user_bubbles(emu: Emulator) -> int:
    return str(emu.log.value).count("class='wb-user'")


# --- the chat ---------------------------------------------------------------------------------
def test_sending_renders_user_and_bot_bubbles(pizza: wb.Bot) -> None:
    emu = pizza.chat()
    replies = emu.send("hi")
    assert [r.text for r in replies][1] == "What size would you like?"
    log = str(emu.log.value)
    assert "class='wb-user'" in log and ">hi</div>" in log
    assert log.count("class='wb-bot") == 2
    assert "What size would you like?" in log
    assert emu.conversation.user_id == "notebook-user"
    assert [t.user for t in emu.turns] == ["hi"]
    assert emu.turns[0].node == "main.ask_size"


def test_enter_and_the_send_button_submit_and_clear_the_box(pizza: wb.Bot) -> None:
    emu = Emulator(pizza)
    emu.input.value = "hi"  # committed by leaving the box: not sent
    assert emu.turns == []
    emu.input._handle_custom_msg({"event": "submit"}, [])  # Enter on committed text
    assert emu.input.value == ""
    assert [t.user for t in emu.turns] == ["hi"]
    emu.input.value = "large"
    emu.send_button.click()
    assert emu.conversation.node == "main.ask_toppings"
    emu.input.value = "   "
    emu.send_button.click()
    assert len(emu.turns) == 2


def test_enter_while_the_kernel_was_busy_sends_the_whole_text(pizza: wb.Bot) -> None:
    """The browser sends "submit" before the committed text; the text is not cut short."""
    emu = Emulator(pizza)
    assert emu.input.continuous_update is False
    emu.input._handle_custom_msg({"event": "submit"}, [])
    assert emu.turns == []
    emu.input.value = "hi there"
    assert [t.user for t in emu.turns] == ["hi there"] and emu.input.value == ""
    emu.input.value = "large"  # leaving the box afterwards sends nothing
    assert len(emu.turns) == 1


def test_choices_become_buttons_and_a_click_sends_the_value(pizza: wb.Bot) -> None:
    emu = Emulator(pizza)
    emu.send("hi")
    buttons = list(emu.choice_bar.children)
    assert [b.description for b in buttons] == ["Small", "Medium", "Large"]
    buttons[2].click()
    assert emu.conversation.node == "main.ask_toppings"
    assert emu.conversation.state == {"size": "large"}
    assert emu.turns[-1].user == "large" and emu.turns[-1].shown == "Large"
    assert ">Large</div>" in str(emu.log.value)
    assert "Which toppings?" in str(emu.log.value)
    assert emu.choice_bar.children == ()  # the new reply offers none


def test_click_by_title_or_index_and_unknown_choices(pizza: wb.Bot) -> None:
    emu = Emulator(pizza)
    emu.send("a large pizza")
    emu.send("none")
    assert [c.title for c in emu.choices] == ["yes", "no"]
    replies = emu.click("YES")
    assert replies[0].text == "How would you like to pay?"
    assert emu.conversation.node == "checkout.ask_payment"
    with pytest.raises(ValueError, match="no choice titled 'bitcoin'"):
        emu.click("bitcoin")
    with pytest.raises(IndexError):
        emu.click(5)
    emu.click(1)
    assert emu.conversation.node is None  # paid cash: thanks, END


def test_reset_starts_a_new_session_for_the_same_user(pizza: wb.Bot) -> None:
    emu = Emulator(pizza)
    emu.send("hi")
    emu.send("large")
    conversation_id = emu.conversation.id
    emu.reset_button.click()
    assert emu.conversation.node is None and emu.conversation.state == {}
    assert emu.conversation.id == conversation_id
    assert emu.choices == ()
    assert "conversation reset" in str(emu.log.value)
    emu.send("hi")
    assert emu.conversation.node == "main.ask_size"


def test_switch_user_talks_in_a_new_conversation(pizza: wb.Bot) -> None:
    emu = Emulator(pizza, user_id="ada")
    emu.send("hi")
    first = emu.conversation.id
    emu.user_box.value = "bob"
    emu.switch_button.click()
    assert emu.conversation.user_id == "bob" and emu.conversation.id != first
    assert emu.conversation.node is None
    emu.send("a small pizza")
    assert emu.turns[-1].user_id == "bob"
    assert "now talking as bob" in str(emu.log.value)
    emu.user_box.value = "  "
    emu.switch_button.click()  # refused, shown in the log, nothing changes
    assert emu.conversation.user_id == "bob"
    assert "a user id cannot be empty" in str(emu.log.value)


def test_timeout_runs_the_timeout_path() -> None:
    emu = Emulator(toys())
    emu.timeout_button.click()
    assert emu.turns == []
    assert "nothing to time out" in str(emu.log.value)
    emu.send("hi")
    replies = emu.timeout()
    assert [r.text for r in replies] == ["Still there?"]
    turn = emu.turns[-1]
    assert turn.kind == "timeout" and turn.user == "(timeout)" and turn.ended
    assert "timeout: the user went silent" in str(emu.log.value)
    assert "session ended" in str(emu.log.value)
    assert "timeout at main.ask" in str(emu.debugger.value)


def test_cards_images_and_links_render_safely() -> None:
    emu = Emulator(toys())
    emu.send("hi")
    emu.send("card")
    log = str(emu.log.value)
    assert "<img src='https://example.com/m.png'" in log
    assert "Margherita" in log and "tomato &amp; mozzarella" in log
    assert "href='https://example.com/menu'" in log
    assert "<img src='https://example.com/p.png'" in log
    assert "javascript:" not in log.replace("[image: javascript:alert(1)]", "")
    assert [c.title for c in emu.choices] == ["Order"]


def test_html_is_escaped_everywhere() -> None:
    emu = Emulator(toys())
    emu.send("<script>alert('x')</script>")
    log = str(emu.log.value)
    assert "<script>" not in log and "&lt;script&gt;" in log
    assert "<b>boom</b>" not in log and "Say &lt;b&gt;boom&lt;/b&gt; or card" in log
    assert "<script>" not in str(emu.debugger.value)
    assert "<b>boom</b>" not in str(emu.debugger.value)


# --- the debugger -----------------------------------------------------------------------------
def test_the_debugger_shows_nlu_conditions_and_the_state_diff(pizza: wb.Bot) -> None:
    emu = Emulator(pizza)
    emu.send("I want a pizza")
    first = str(emu.debugger.value)
    assert "<b>order</b>" in first  # the top intent
    assert "★ new session" in first and "▶ main.welcome" in first
    emu.send("a big one please")
    html = str(emu.debugger.value)
    assert "entity size" in html and "<mark title='size = large'>big</mark>" in html
    assert "✓ true</span> when <code>state.size</code> → ask_toppings" in html
    assert "✗ false</span> when <code>intent == &quot;cancel&quot;</code>" in html
    assert "set size = &quot;large&quot;" in html
    assert "class='wb-added'" in html and "+ size: &quot;large&quot;" in html
    assert "waits at main.ask_toppings" in html
    # the turn list, newest first; selecting an older turn shows it
    labels = [label for label, _ in emu.turn_list.options]
    assert labels[0].startswith("#2 'a big one please' → main.ask_toppings")
    emu.turn_list.value = 0
    assert str(emu.debugger.value) == first


def test_the_debugger_shows_actions_and_changed_variables(pizza: wb.Bot) -> None:
    emu = Emulator(pizza)
    for text in ("a large pizza", "ham", "done"):
        emu.send(text)
    html = str(emu.debugger.value)
    assert "do price_order({}) → {&quot;price&quot;: &quot;13.50&quot;}" in html
    emu.send("no")  # back to ask_size: nothing removed, but the next order changes size
    emu.send("small")
    html = str(emu.debugger.value)
    assert "~ size: &quot;large&quot; → &quot;small&quot;" in html


def test_a_turn_error_is_shown_in_red() -> None:
    emu = Emulator(toys())
    emu.send("hi")
    emu.send("boom")
    turn = emu.turns[-1]
    assert turn.error is not None and "the oven <exploded>" in turn.error
    log = str(emu.log.value)
    assert "class='wb-error'" in log and "color:#b71c1c" in log
    assert "the oven &lt;exploded&gt;" in log
    html = str(emu.debugger.value)
    assert "class='wb-turn-error'" in html and "the oven &lt;exploded&gt;" in html
    assert emu.turn_list.options[0][0].startswith("⚠ #2")
    assert emu.conversation.node == "main.ask"  # rolled back


def test_a_graph_is_highlighted_after_each_turn(pizza: wb.Bot) -> None:
    graph = FakeGraph()
    emu = Emulator(pizza, graph=graph)
    emu.send("hi")
    emu.send("large")
    assert graph.calls == [
        ("main.ask_size", ["main.welcome", "main.ask_size"]),
        ("main.ask_toppings", ["main.ask_toppings"]),
    ]
    emu.send("cancel")
    assert graph.calls[-1] == (None, ["main.cancelled"])
    emu.reset()
    assert graph.calls[-1] == (None, [])


# --- staying in sync --------------------------------------------------------------------------
def test_turns_run_in_code_on_the_same_conversation_show_up(pizza: wb.Bot) -> None:
    emu = Emulator(pizza)
    emu.send("hi")
    same = pizza.conversation(emu.conversation.user_id, emu.conversation.id)
    same.say("medium", {"source": "code"})
    pizza.conversation("someone-else").say("hi")
    assert [t.user for t in emu.turns] == ["hi", "medium"]
    assert emu.turns[-1].payload == {"source": "code"}
    assert emu.turns[-1].node == "main.ask_toppings"
    assert "from code" in str(emu.log.value)


def test_bot_edits_are_announced_and_close_stops_listening() -> None:
    bot = toys()
    emu = Emulator(bot)
    emu.send("hi")
    bot.set_flow("main", TOYS.replace("Still there?", "Hello?"))
    assert f"bot updated (flows changed) — version {bot.flows.version}" in str(emu.log.value)
    bot.set_content("ask", "Say boom")
    assert "bot updated (content, NLU or actions changed)" in str(emu.log.value)
    emu.close()
    assert emu._on_turn not in bot.turn_listeners
    assert emu._on_change not in bot.change_listeners
    bot.conversation("u", emu.conversation.id).say("card")
    assert len(emu.turns) == 1
    emu.close()  # twice is fine


def test_language_choice_is_kept(tmp_path: Path) -> None:
    bot_dir = write_bot(
        tmp_path / "bi",
        {
            "bot.yml": "name: bi\nlanguages: [en, fr]\n",
            "flows/main.flow.yml": "start: a\nnodes:\n  a:\n    on_enter: [{say: {text: hey}}]\n",
        },
    )
    bot = wb.Bot.load(bot_dir, db="memory://")
    emu = emulator(bot)
    assert list(emu.language_box.options) == ["en", "fr"] and emu.language == "en"
    emu.language_box.value = "fr"
    assert emu.language == "fr"
    emu.send("hi")
    assert emu.turns[-1].language == "fr"
    assert "language fr" in str(emu.debugger.value)
    with pytest.raises(ValueError, match="no language 'de'"):
        Emulator(bot, language="de")


def test_a_bot_without_main_says_so_in_the_log() -> None:
    emu = Emulator(wb.Bot.new("empty"))
    emu.input.value = "hi"
    emu.send_button.click()
    assert "has no &#x27;main&#x27; flow yet" in str(emu.log.value)
    with pytest.raises(wb.BotError):
        emu.send("hi")


def test_it_displays_as_a_widget(pizza: wb.Bot) -> None:
    emu = pizza.chat(user_id="ada")
    bundle = emu._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert emu.conversation.user_id == "ada"


def test_a_long_log_shows_the_newest_entries() -> None:
    entries = [LogEntry("note", f"n{i}") for i in range(MAX_ENTRIES + 5)]
    html = log_html(entries)
    assert "… 5 earlier entries not shown" in html
    assert ">n4<" not in html and ">n5<" in html and f">n{MAX_ENTRIES + 4}<" in html


def test_enter_in_an_empty_box_does_not_send_what_is_typed_much_later(
    pizza: wb.Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.notebook import _text_submit

    emu = Emulator(pizza)
    emu.input._handle_custom_msg({"event": "submit"}, [])  # Enter, nothing typed
    monkeypatch.setattr(_text_submit, "ENTER_WINDOW", 0.0)  # ...the text comes much later
    emu.input.value = "half a thought"  # committed by leaving the box
    assert emu.turns == [] and emu.input.value == "half a thought"
