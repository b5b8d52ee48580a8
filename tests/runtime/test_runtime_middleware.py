"""Middleware: ``bot.use(fn)`` with ``fn(ctx, call_next)``, botbuilder's onion."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from runtime_kit import MakeBot, texts

import workbench as wb
from workbench.runtime import DEFAULT_TURN_ERROR
from workbench.schema import NLUResult, Reply

FLOWS = {
    "main": """
        start: ask
        catch_all:
          next:
            - when: intent == "cancel"
              to: cancelled
        nodes:
          ask:
            on_enter: [{say: {text: "say something"}}]
            on_receive:
              - set: {heard: "{{ text }}", intent: "{{ intent }}"}
            next:
              - when: intent == "greet"
                to: greeted
              - to: ask
          greeted:
            on_enter: [{say: {text: "hello to you"}}]
            on_receive: []
          cancelled:
            on_enter: [{say: {text: "cancelled"}}]
            next: [{to: END}]
    """
}
INTENTS = """
    intents:
      greet: [hello, good morning]
      cancel: [cancel, stop]
"""


@pytest.fixture
def bot(make_bot: MakeBot) -> wb.Bot:
    return make_bot(FLOWS, intents=INTENTS)


def test_incoming_middleware_changes_text_before_nlu(bot: wb.Bot) -> None:
    def translate(ctx: wb.TurnContext, call_next: Callable[[], None]) -> None:
        if ctx.text == "hola":
            ctx.text = "hello"
        call_next()

    bot.use(translate)
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    assert texts(conv.say("hola")) == ["hello to you"]
    assert conv.state == {"heard": "hello", "intent": "greet"}
    assert conv.node == "main.greeted"


def test_incoming_middleware_may_set_the_nlu_result(bot: wb.Bot) -> None:
    def button(ctx: wb.TurnContext, call_next: Callable[[], None]) -> None:
        if ctx.payload and ctx.payload.get("intent"):
            ctx.nlu = NLUResult(ctx.payload["intent"], 1.0)
        call_next()

    bot.use(button)
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    assert texts(conv.say("", payload={"intent": "cancel"})) == ["cancelled"]
    assert conv.node is None


def test_outgoing_middleware_changes_the_replies(bot: wb.Bot) -> None:
    def shout(ctx: wb.TurnContext, call_next: Callable[[], None]) -> None:
        call_next()
        ctx.replies = [Reply(r.type, r.text.upper(), r.choices) for r in ctx.replies]
        ctx.replies.append(Reply("text", "(sent by middleware)"))

    bot.use(shout)
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == ["SAY SOMETHING", "(sent by middleware)"]
    assert [r.text for r in conv.events if r.type == "bot"] == [
        "SAY SOMETHING",
        "(sent by middleware)",
    ]


def test_middleware_is_an_onion_in_the_order_added(bot: wb.Bot) -> None:
    calls: list[str] = []

    def layer(name: str) -> Callable[[wb.TurnContext, Callable[[], None]], None]:
        def mw(ctx: wb.TurnContext, call_next: Callable[[], None]) -> None:
            calls.append(f"{name} in")
            ctx.text += f" {name}"
            call_next()
            ctx.replies = [*ctx.replies, Reply("text", name)]
            calls.append(f"{name} out")

        return mw

    bot.use(layer("outer"))
    bot.use(layer("inner"))
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    calls.clear()
    replies = conv.say("x")
    assert calls == ["outer in", "inner in", "inner out", "outer out"]
    assert conv.state["heard"] == "x outer inner"
    assert texts(replies) == ["say something", "inner", "outer"]


def test_use_works_as_a_decorator(bot: wb.Bot) -> None:
    @bot.use
    def tag(ctx: wb.TurnContext, call_next: Callable[[], None]) -> None:
        call_next()
        ctx.replies = [Reply("text", f"[{r.text}]") for r in ctx.replies]

    assert callable(tag)
    assert texts(bot.conversation(user_id="u1").say("hi")) == ["[say something]"]


def test_middleware_sees_the_conversation_and_user(bot: wb.Bot) -> None:
    seen: list[tuple[str, str, str]] = []

    @bot.use
    def spy(ctx: wb.TurnContext, call_next: Callable[[], None]) -> None:
        seen.append((ctx.conversation_id, ctx.user_id, ctx.text))
        call_next()

    conv = bot.conversation(user_id="ada")
    conv.say("hi")
    assert seen == [(conv.id, "ada", "hi")]


def test_outgoing_middleware_sees_the_turn_error_reply(make_bot: MakeBot) -> None:
    bot = make_bot({"main": "start: a\nnodes:\n  a:\n    on_enter: [{say: {text: '{{ 1/0 }}'}}]\n"})
    seen: list[str | None] = []

    @bot.use
    def spy(ctx: wb.TurnContext, call_next: Callable[[], None]) -> None:
        call_next()
        seen.append(ctx.error)

    conv = bot.conversation(user_id="u1")
    replies = conv.say("hi")
    assert seen == [conv.last_error]
    assert seen[0] is not None
    assert texts(replies) == [DEFAULT_TURN_ERROR]
