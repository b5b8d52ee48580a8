"""``bot.refresh()``: a change of the folder on disk (a deploy, another process) is taken on the
next call; a folder that no longer loads is not, and says why."""

from __future__ import annotations

from runtime_kit import MakeBot, texts

MAIN = """\
start: hello
nodes:
  hello:
    on_enter: [{say: {text: "Hello!"}}]
    on_receive: []
    next: [{to: hello}]
"""


def test_refresh_takes_a_changed_flow_and_keeps_running_sessions_on_theirs(
    make_bot: MakeBot,
) -> None:
    bot = make_bot({"main": MAIN})
    assert bot.path is not None
    old = bot.conversation("u1")
    assert texts(old.say("hi")) == ["Hello!"]
    assert bot.refresh() is False  # nothing changed
    (bot.path / "flows" / "main.flow.yml").write_text(MAIN.replace("Hello!", "Howdy!"))
    assert bot.refresh() is True
    assert texts(bot.conversation("u2").say("hi")) == ["Howdy!"]
    assert texts(old.say("again")) == ["Hello!"]  # pinned to the version it started on


def test_refresh_keeps_the_running_bot_when_the_folder_breaks(make_bot: MakeBot) -> None:
    bot = make_bot({"main": MAIN})
    assert bot.path is not None
    (bot.path / "flows" / "main.flow.yml").write_text("start: nowhere\nnodes: {}\n")
    assert bot.refresh() is False
    assert bot.source_problems and "main.flow.yml" in str(bot.source_problems[0])
    assert texts(bot.conversation("u1").say("hi")) == ["Hello!"]
    (bot.path / "flows" / "main.flow.yml").write_text(MAIN.replace("Hello!", "Fixed!"))
    assert bot.refresh() is True and bot.source_problems == []
    assert texts(bot.conversation("u2").say("hi")) == ["Fixed!"]
