"""Python actions: sync and async, updates and in-place changes, ctx.say, templated args."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from runtime_kit import MakeBot, texts, write_bot

import workbench as wb
from workbench.runtime import DEFAULT_TURN_ERROR


def _flow(instructions: str) -> dict[str, str]:
    """A main flow whose start node runs ``instructions`` (YAML list items) then waits."""
    body = "".join(f"      {line}\n" for line in instructions.strip().splitlines())
    head = "start: a\nnodes:\n  a:\n    on_enter:\n"
    return {"main": head + body + "    on_receive: []\n    next: [{to: a}]\n"}


def test_sync_action_returning_updates_of_each_scope(make_bot: MakeBot) -> None:
    bot = make_bot(
        _flow("- do: remember\n- say: {text: '{{ state.x }} {{ user.y }} {{ bot.z }}'}"),
        actions="""
            from workbench import action

            @action
            def remember(ctx):
                return {"x": 1, "user.y": 2, "bot.z": 3}
        """,
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == ["1 2 3"]
    assert conv.state == {"x": 1}
    assert conv.user == {"y": 2}
    assert bot.store.bot_vars(bot.name) == {"z": 3}


def test_async_action(make_bot: MakeBot) -> None:
    bot = make_bot(
        _flow("- do: fetch\n- say: {text: 'got {{ state.fetched }}'}"),
        actions="""
            import asyncio
            from workbench import action

            @action
            async def fetch(ctx):
                await asyncio.sleep(0)
                ctx.say("fetching")
                return {"fetched": "data", "user.fetches": 1}
        """,
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == ["fetching", "got data"]
    assert conv.state == {"fetched": "data"}
    assert conv.user == {"fetches": 1}


def test_async_action_from_inside_a_running_event_loop(make_bot: MakeBot) -> None:
    """As in a notebook kernel, where an event loop is already running."""
    bot = make_bot(
        _flow("- do: fetch"),
        actions="""
            from workbench import action

            @action
            async def fetch(ctx):
                return {"fetched": True}
        """,
    )
    conv = bot.conversation(user_id="u1")

    async def chat() -> None:
        conv.say("hi")

    asyncio.run(chat())
    assert conv.state == {"fetched": True}
    assert conv.last_error is None


def test_action_changing_ctx_in_place(make_bot: MakeBot) -> None:
    bot = make_bot(
        _flow(
            "- set: {items: [a]}\n- do: append\n- say: {text: \"{{ state.items | join(',') }}\"}"
        ),
        actions="""
            from workbench import action

            @action
            def append(ctx):
                ctx.state["items"].append("b")
                ctx.state["count"] = len(ctx.state["items"])
                ctx.user["name"] = "Ada"
                ctx.bot["runs"] = 1
        """,
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == ["a,b"]
    assert conv.state == {"items": ["a", "b"], "count": 2}
    assert conv.user == {"name": "Ada"}
    assert bot.store.bot_vars(bot.name) == {"runs": 1}


def test_ctx_say_replies_come_in_order_with_the_nodes_says(make_bot: MakeBot) -> None:
    bot = make_bot(
        _flow("- say: {text: before}\n- do: speak\n- say: {text: after}"),
        actions="""
            from workbench import action

            @action
            def speak(ctx):
                ctx.say("one")
                ctx.say("two")
        """,
    )
    assert texts(bot.conversation(user_id="u1").say("hi")) == ["before", "one", "two", "after"]


def test_args_are_rendered_as_templates(make_bot: MakeBot) -> None:
    bot = make_bot(
        _flow(
            """
- set: {size: large}
- do: record
  args:
    size: "{{ state.size }}"
    label: "size={{ state.size }} text={{ text }}"
    fixed: plain
    nested: {inner: "{{ state.size | upper }}", items: ["{{ state.size }}", 2]}
"""
        ),
        actions="""
            from workbench import action

            @action
            def record(ctx):
                return {"args": dict(ctx.args)}
        """,
    )
    conv = bot.conversation(user_id="u1")
    conv.say("hello")
    assert conv.state["args"] == {
        "size": "large",
        "label": "size=large text=hello",
        "fixed": "plain",
        "nested": {"inner": "LARGE", "items": ["large", 2]},
    }


def test_action_sees_the_event_and_its_node(make_bot: MakeBot) -> None:
    bot = make_bot(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_receive: [{do: inspect}]
            """
        },
        actions="""
            from workbench import action

            @action
            def inspect(ctx):
                return {"seen": ctx.event["text"], "type": ctx.event["type"], "node": ctx.node}
        """,
    )
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    conv.say("pizza")
    assert conv.state == {"seen": "pizza", "type": "message", "node": "main.ask"}


def test_action_registered_under_another_name(make_bot: MakeBot) -> None:
    bot = make_bot(
        _flow("- do: compute-price"),
        actions="""
            from workbench import action

            @action("compute-price")
            def price(ctx):
                return {"price": 12}
        """,
    )
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    assert conv.state == {"price": 12}


def test_unknown_action_is_a_load_error_naming_file_and_line(tmp_path: Path) -> None:
    folder = write_bot(
        tmp_path / "bot",
        {
            "main": (
                "start: a\n"  # line 1
                "nodes:\n"  # 2
                "  a:\n"  # 3
                "    on_enter:\n"  # 4
                "      - say: {text: hi}\n"  # 5
                "      - do: no_such_action\n"  # 6
                "    on_receive: []\n"
            )
        },
        actions="from workbench import action\n\n@action\ndef known(ctx):\n    return None\n",
    )
    with pytest.raises(wb.BotError) as caught:
        wb.Bot.load(folder, db="memory://")
    message = str(caught.value)
    assert "flows/main.flow.yml:6" in message
    assert "no_such_action" in message
    [problem] = caught.value.problems
    assert problem.file.endswith("flows/main.flow.yml")
    assert problem.line == 6


def test_unknown_action_without_actions_py_is_a_load_error(tmp_path: Path) -> None:
    folder = write_bot(
        tmp_path / "bot",
        {"main": "start: a\nnodes:\n  a:\n    on_enter:\n      - do: missing\n"},
    )
    with pytest.raises(wb.BotError, match=r"flows/main\.flow\.yml:5: .*missing"):
        wb.Bot.load(folder, db="memory://")


@pytest.mark.parametrize("returned", ["[1, 2]", "'done'", "42", "True"])
def test_action_returning_a_non_dict_is_a_turn_error(make_bot: MakeBot, returned: str) -> None:
    bot = make_bot(
        {
            "main": """
                start: ask
                nodes:
                  ask:
                    on_enter: [{say: {text: "question"}}]
                    on_receive:
                      - set: {before: true}
                      - do: odd
                    next: [{to: ask}]
            """
        },
        actions=f"""
            from workbench import action

            @action
            def odd(ctx):
                return {returned}
        """,
    )
    conv = bot.conversation(user_id="u1")
    conv.say("hi")
    assert texts(conv.say("x")) == [DEFAULT_TURN_ERROR]
    assert conv.last_error is not None
    assert "odd" in conv.last_error
    assert conv.state == {}
    assert conv.node == "main.ask"
    assert conv.events[-2].type == "turn_error"


def test_action_raising_is_a_turn_error_with_its_cause(make_bot: MakeBot) -> None:
    bot = make_bot(
        _flow("- do: fail"),
        actions="""
            from workbench import action

            @action
            def fail(ctx):
                raise KeyError("price")
        """,
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == [DEFAULT_TURN_ERROR]
    assert conv.last_error is not None
    assert "fail" in conv.last_error and "KeyError" in conv.last_error
    assert conv.node is None


def test_async_action_raising_is_a_turn_error(make_bot: MakeBot) -> None:
    bot = make_bot(
        _flow("- do: fail"),
        actions="""
            from workbench import action

            @action
            async def fail(ctx):
                raise RuntimeError("service down")
        """,
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == [DEFAULT_TURN_ERROR]
    assert conv.last_error is not None
    assert "service down" in conv.last_error


def test_action_returning_a_bad_variable_name_is_a_turn_error(make_bot: MakeBot) -> None:
    bot = make_bot(
        _flow("- do: bad"),
        actions="""
            from workbench import action

            @action
            def bad(ctx):
                return {"session.x": 1}
        """,
    )
    conv = bot.conversation(user_id="u1")
    assert texts(conv.say("hi")) == [DEFAULT_TURN_ERROR]
    assert conv.last_error is not None
    assert "session.x" in conv.last_error


def test_action_replies_are_dropped_when_the_turn_fails(make_bot: MakeBot) -> None:
    bot = make_bot(
        _flow("- do: talk_then_fail"),
        actions="""
            from workbench import action

            @action
            def talk_then_fail(ctx):
                ctx.say("half way")
                raise ValueError("nope")
        """,
    )
    assert texts(bot.conversation(user_id="u1").say("hi")) == [DEFAULT_TURN_ERROR]
