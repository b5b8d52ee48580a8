"""``bot.refresh()``: a change of the folder on disk (a deploy, another process) is taken on the
next call; a folder that no longer loads is not, and says why."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

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


OTHER = MAIN.replace("Hello!", "Other!")


def _age(path: Path, seconds: float) -> None:
    """Set ``path``'s modification time ``seconds`` back (a folder left alone that long)."""
    then = time.time_ns() - int(seconds * 1e9)
    os.utime(path, ns=(then, then))


def test_refresh_sees_files_added_to_a_folder_it_listed_long_ago(make_bot: MakeBot) -> None:
    bot = make_bot({"main": MAIN})
    assert bot.path is not None
    flows = bot.path / "flows"
    _age(flows / "main.flow.yml", 60)
    _age(flows, 60)
    assert bot.refresh() is True  # the older times are a change; the listing is kept now
    assert bot.refresh() is False
    (flows / "other.flow.yml").write_text(OTHER)
    assert bot.refresh() is True
    assert "other" in bot.flows.flows
    (flows / "other.flow.yml").write_text(OTHER.replace("Other!", "Changed!!"))
    assert bot.refresh() is True
    (flows / "other.flow.yml").unlink()
    assert bot.refresh() is True
    assert "other" not in bot.flows.flows


def test_refresh_sees_a_file_added_in_the_same_clock_tick_as_its_last_look(
    make_bot: MakeBot,
) -> None:
    # file system times have coarse ticks: a file added right after a look can leave the
    # folder's time as the look saw it
    bot = make_bot({"main": MAIN})
    assert bot.path is not None
    flows = bot.path / "flows"
    assert bot.refresh() is False
    seen = flows.stat().st_mtime_ns
    (flows / "other.flow.yml").write_text(OTHER)
    os.utime(flows, ns=(seen, seen))
    assert bot.refresh() is True
    assert "other" in bot.flows.flows


def test_refresh_sees_a_folder_swapped_for_a_copy_with_the_same_time(make_bot: MakeBot) -> None:
    # a deploy that writes the new flows beside the old ones, then renames them into place
    # (rsync -a and copytree keep the folder's time)
    bot = make_bot({"main": MAIN})
    assert bot.path is not None
    flows = bot.path / "flows"
    _age(flows / "main.flow.yml", 60)
    _age(flows, 60)
    bot.refresh()
    assert bot.refresh() is False  # listed, and the listing kept
    new = bot.path / "flows.new"
    new.mkdir()
    shutil.copy2(flows / "main.flow.yml", new / "main.flow.yml")  # its time too
    (new / "other.flow.yml").write_text(OTHER)
    shutil.copystat(flows, new)
    flows.rename(bot.path / "flows.old")
    new.rename(flows)
    assert bot.refresh() is True
    assert "other" in bot.flows.flows
