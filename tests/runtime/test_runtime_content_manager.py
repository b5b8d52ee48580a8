"""``bot.content``: editing with revisions, the bot folder's files as the one source of truth."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

import workbench as wb
import workbench.runtime._bot as runtime_bot
from tests.conftest import SAMPLE_BOTS

MESSAGES = """\
# Messages of the test bot. Keep them short.
greeting: Hello!   # said first

ask:
  type: choice
  text: Pick one
  choices: [red, blue]

# unused, kept for later
spare:
  text:
    - one
    - two
"""
MAIN = """\
start: hello
nodes:
  hello:
    on_enter: [{say: greeting}, {say: ask}]
    on_receive: []
    next: [{to: hello}]
"""


@pytest.fixture(params=["memory", "sqlite"])
def folder(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "bot"
    (root / "flows").mkdir(parents=True)
    (root / "content").mkdir()
    (root / "bot.yml").write_text("name: t\nlanguages: [en, fr]\n")
    (root / "flows" / "main.flow.yml").write_text(MAIN)
    (root / "content" / "messages.yml").write_text(MESSAGES)
    db = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path}/wb.db"
    return root, db


@pytest.fixture(autouse=True)
def look_every_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Turns look at the content files on every turn (not every 50 ms): no waiting in tests."""
    monkeypatch.setattr(runtime_bot, "CONTENT_CHECK_SECONDS", 0.0)


def messages(root: Path) -> str:
    return (root / "content" / "messages.yml").read_text()


def test_an_element_has_a_revision_and_a_history(folder: tuple[Path, str]) -> None:
    root, db = folder
    bot = wb.Bot.load(root, db=db)
    element = bot.content.get("greeting")
    assert (element.id, element.type, element.fields, element.revision) == (
        "greeting",
        "text",
        {"text": ["Hello!"]},
        1,
    )
    (first,) = bot.content.history("greeting")
    assert (first.revision, first.author, first.action) == (1, "file", "file")


def test_update_rewrites_only_that_element_and_the_next_turn_says_it(
    folder: tuple[Path, str],
) -> None:
    root, db = folder
    bot = wb.Bot.load(root, db=db)
    other = wb.Bot.load(root, db=db)  # another Bot on the same folder (another process, say)
    conv = other.conversation("u1")
    assert conv.say("hi")[0].text == "Hello!"
    before = messages(root)
    saved = bot.content.update("greeting", {"text": "Welcome!"}, base_revision=1, author="ann")
    assert saved.revision == 2 and saved.fields == {"text": ["Welcome!"]}
    after = messages(root)
    assert after == before.replace("greeting: Hello!   # said first\n", "greeting: Welcome!\n")
    assert conv.say("again")[0].text == "Welcome!"  # without a reload
    latest, first = bot.content.history("greeting")
    assert (latest.revision, latest.author, latest.action) == (2, "ann", "update")
    assert latest.fields == {"text": ["Welcome!"]} and first.fields == {"text": ["Hello!"]}


def test_a_stale_base_revision_is_a_conflict_and_writes_nothing(folder: tuple[Path, str]) -> None:
    root, db = folder
    bot = wb.Bot.load(root, db=db)
    bot.content.update("greeting", {"text": "A"}, base_revision=1, author="ann")
    before = messages(root)
    with pytest.raises(wb.ConflictError, match=r"changed by ann .* after you opened revision 1"):
        bot.content.update("greeting", {"text": "B"}, base_revision=1, author="bob")
    assert messages(root) == before
    assert [r.revision for r in bot.content.history("greeting")] == [2, 1]


def test_a_hand_edit_becomes_a_revision_and_stales_the_editors_base(
    folder: tuple[Path, str],
) -> None:
    root, db = folder
    bot = wb.Bot.load(root, db=db)
    assert bot.content.get("ask").revision == 1
    path = root / "content" / "messages.yml"
    path.write_text(messages(root).replace("Pick one", "Pick a colour"))
    element = bot.content.get("ask")
    assert element.revision == 2 and element.fields["text"] == ["Pick a colour"]
    assert bot.content.history("ask")[0].author == "file"
    with pytest.raises(wb.ConflictError):
        bot.content.update("ask", {"text": "x", "choices": ["a"]}, base_revision=1)
    assert "Pick a colour" in messages(root)


def test_invalid_fields_name_the_field_and_write_nothing(folder: tuple[Path, str]) -> None:
    root, db = folder
    bot = wb.Bot.load(root, db=db)
    before = messages(root)
    with pytest.raises(wb.ContentError) as info:
        bot.content.update("ask", {"text": "Pick", "choices": [{"title": "Red"}]}, 1)
    assert info.value.field == "choices[0].value" and "content element 'ask'" in str(info.value)
    assert messages(root) == before
    assert len(bot.content.history("ask")) == 1


def test_create_duplicate_delete_revert(folder: tuple[Path, str]) -> None:
    root, db = folder
    bot = wb.Bot.load(root, db=db)
    made = bot.content.create("text", {"text": {"en": "Bye", "fr": "Au revoir"}}, author="ann")
    assert made.id == "text_1" and made.revision == 1
    copy = bot.content.duplicate("ask", author="ann")
    assert copy.id == "ask_copy" and copy.fields == bot.content.get("ask").fields
    text = messages(root)
    assert "text_1:\n  text:\n    en: Bye\n    fr: Au revoir\n" in text
    assert "ask_copy:" in text and text.startswith("# Messages of the test bot.")
    with pytest.raises(wb.ContentError, match=r"'greeting' is used in main\.hello"):
        bot.content.delete("greeting")
    assert bot.content.used_in("greeting") == ["main.hello"]
    bot.content.delete("spare", author="ann")
    assert "spare" not in bot.content and "spare:" not in messages(root)
    assert "# unused, kept for later" in messages(root)  # comments stay
    assert bot.content.history("spare")[0].fields is None
    back = bot.content.revert("spare", 1, author="bob")
    assert back.fields == {"text": ["one", "two"]} and back.revision == 3
    assert bot.content.get("spare").revision == 3
    bot.content.update("greeting", {"text": "Yo"}, base_revision=1)
    reverted = bot.content.revert("greeting", 1)
    assert reverted.fields == {"text": ["Hello!"]} and reverted.revision == 3
    assert [r.action for r in bot.content.history("greeting")] == ["revert", "update", "file"]


def test_search_every_field_and_language_and_missing_translations(
    folder: tuple[Path, str],
) -> None:
    root, db = folder
    bot = wb.Bot.load(root, db=db)
    bot.content.create("text", {"text": {"en": "Good night", "fr": "Bonne nuit"}}, "night")
    assert [e.id for e in bot.content.search("bonne")] == ["night"]
    assert [e.id for e in bot.content.search("bonne", lang="en")] == []
    assert [e.id for e in bot.content.search("blue")] == ["ask"]  # a choice's title
    assert [e.id for e in bot.content.search(type="choice")] == ["ask"]
    missing = {(m.element, m.field): m.languages for m in bot.content.missing_translations()}
    assert missing[("greeting", "text[0]")] == ("fr",)
    assert missing[("ask", "choices[0].title")] == ("fr",)
    assert ("night", "text[0]") not in missing


def test_a_folder_that_refuses_writes_is_a_clear_error(folder: tuple[Path, str]) -> None:
    root, db = folder
    bot = wb.Bot.load(root, db=db)
    before = messages(root)
    (root / "content" / "messages.yml").unlink()
    (root / "content" / "messages.yml").mkdir()  # a folder where the file was: cannot replace
    try:
        with pytest.raises(wb.ContentError):
            bot.content.update("greeting", {"text": "x"}, base_revision=1)
    finally:
        (root / "content" / "messages.yml").rmdir()
        (root / "content" / "messages.yml").write_text(before)
    assert [r.revision for r in bot.content.history("greeting")] == [1]


def test_a_broken_hand_edit_keeps_the_running_content(folder: tuple[Path, str]) -> None:
    root, db = folder
    bot = wb.Bot.load(root, db=db)
    conv = bot.conversation("u1")
    (root / "content" / "messages.yml").write_text(messages(root) + "\nbroken: {type: gif}\n")
    assert conv.say("hi")[0].text == "Hello!"  # still running
    assert any("unknown type 'gif'" in str(p) for p in bot.content_problems)


def test_a_notebook_bot_is_edited_in_memory() -> None:
    bot = wb.Bot.new("cells")
    bot.set_content("greeting", "Hi")
    bot.set_flow("main", MAIN.replace("{say: ask}", "{say: {text: ok}}"))
    assert bot.content.get("greeting").revision == 1
    bot.content.update("greeting", {"text": "Hey"}, base_revision=1)
    assert bot.conversation("u").say("x")[0].text == "Hey"
    assert [r.revision for r in bot.content.history("greeting")] == [2, 1]


def test_the_sample_bots_content_is_editable(tmp_path: Path) -> None:
    root = tmp_path / "pizza"
    shutil.copytree(SAMPLE_BOTS / "pizza", root, ignore=shutil.ignore_patterns(".workbench"))
    bot = wb.Bot.load(root, db="memory://")
    before = (root / "content" / "messages.yml").read_text()
    element = bot.content.get("thanks")
    bot.content.update("thanks", {"text": "Merci!"}, base_revision=element.revision)
    after = (root / "content" / "messages.yml").read_text()
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed == ["thanks: Merci!"]
    assert textwrap.dedent(before).count("\n") == after.count("\n")


def test_a_forced_delete_keeps_the_bot_running_and_says_what_breaks(
    folder: tuple[Path, str],
) -> None:
    root, db = folder
    bot = wb.Bot.load(root, db=db)
    conv = bot.conversation("u1")
    bot.content.delete("greeting", force=True, author="ann")
    assert "greeting" not in bot.content and "greeting:" not in messages(root)
    (problem,) = bot.content_problems
    assert "unknown content element 'greeting'" in str(problem) and problem.severity == "warning"
    conv.say("hi")
    assert conv.last_error is not None and "'greeting' no longer exists" in conv.last_error
    bot.content.revert("greeting", 1)  # brought back: the bot says it again
    assert conv.say("again")[0].text == "Hello!" and not bot.content_problems


def test_new_ids_are_checked_and_conflicts_carry_the_winning_revision(
    folder: tuple[Path, str],
) -> None:
    root, db = folder
    bot = wb.Bot.load(root, db=db)
    with pytest.raises(wb.ContentError, match="bad element id 'Bad Id'"):
        bot.content.create("text", {"text": "x"}, "Bad Id")
    bot.content.update("greeting", {"text": "A"}, base_revision=1, author="ann")
    with pytest.raises(wb.ConflictError) as info:
        bot.content.update("greeting", {"text": "B"}, base_revision=1)
    assert info.value.latest.author == "ann" and info.value.latest.revision == 2


def test_each_file_is_read_again_only_when_it_or_the_types_change(
    folder: tuple[Path, str],
) -> None:
    root, db = folder
    (root / "content" / "types").mkdir()
    badge = root / "content" / "types" / "badge.yml"
    badge.write_text("type: object\nproperties: {label: {type: string}}\n")
    (root / "content" / "extra.yml").write_text("tag: {type: badge, label: gold}\n")
    bot = wb.Bot.load(root, db=db)
    conv = bot.conversation("u1")

    path = root / "content" / "messages.yml"
    path.write_text(messages(root).replace("Hello!", "Welcome!"))
    assert conv.say("hi")[0].text == "Welcome!"
    assert bot.content.get("tag").fields["label"] == "gold"  # the other file is still there

    # The type changed: the element in the untouched file is checked against it again.
    badge.write_text(
        "type: object\nproperties: {label: {type: string, maxLength: 2}}\nrequired: [label]\n"
    )
    path.write_text(messages(root).replace("Welcome!", "Hi again!"))
    assert conv.say("hi")[0].text == "Welcome!"  # the new content does not load
    assert any("extra.yml" in str(p) and "label" in str(p) for p in bot.content_problems)
