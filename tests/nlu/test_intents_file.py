"""Adding examples to nlu/intents.yml keeps the file as people wrote it."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import BotError
from workbench.nlu._intents_file import add_examples

COMMENTED = """\
# Intents of the shop (reviewed by Ana)
intents:
  greet:
    - hi       # the usual
    - hello
  bye:
    - bye
    - "see you
      later"
  # orders
  order:
    - order a [large](size) pizza

entities:
  size:
    large: [big]
"""


def _folder(tmp_path: Path, text: str) -> Path:
    (tmp_path / "nlu").mkdir()
    (tmp_path / "nlu" / "intents.yml").write_text(text)
    return tmp_path


def test_examples_are_inserted_after_each_intent_with_comments_kept(tmp_path: Path) -> None:
    folder = _folder(tmp_path, COMMENTED)
    data = add_examples(
        folder,
        {"greet": ["hey there", "hi"], "bye": ["ciao", "yes"], "thanks": ["thank you"]},
    )
    assert data.intents["greet"] == ["hi", "hello", "hey there"]  # "hi" was there already
    assert data.intents["bye"] == ["bye", "see you later", "ciao", "yes"]  # "yes" stays text
    assert data.intents["thanks"] == ["thank you"]
    assert data.entities  # the rest of the file is untouched
    text = (folder / "nlu" / "intents.yml").read_text()
    assert text.startswith("# Intents of the shop (reviewed by Ana)\n")
    assert "    - hi       # the usual\n    - hello\n    - hey there\n" in text
    assert "  # orders\n" in text
    assert "    - order a [large](size) pizza\n  thanks:\n    - thank you\n\nentities:" in text


def test_a_flow_style_file_is_rewritten_and_its_old_text_kept(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "intents: {greet: [hi]}\n")
    data = add_examples(folder, {"greet": ["hey"]})
    assert data.intents == {"greet": ["hi", "hey"]}
    assert (folder / "nlu" / "intents.yml.bak").read_text() == "intents: {greet: [hi]}\n"


def test_a_bot_without_an_intents_file_gets_one(tmp_path: Path) -> None:
    data = add_examples(tmp_path, {"greet": ["hi", "hello"]})
    assert data.intents == {"greet": ["hi", "hello"]}
    assert (tmp_path / "nlu" / "intents.yml").is_file()


def test_an_addition_that_would_not_load_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    folder = _folder(tmp_path, COMMENTED)
    with pytest.raises(BotError, match=r"intents\.yml:\d+:"):
        add_examples(folder, {"Bad Name!": ["hello"]})
    assert (folder / "nlu" / "intents.yml").read_text() == COMMENTED
    assert not list((folder / "nlu").glob(".intents-*"))


def test_nothing_new_writes_nothing(tmp_path: Path) -> None:
    folder = _folder(tmp_path, COMMENTED)
    before = (folder / "nlu" / "intents.yml").stat().st_mtime_ns
    add_examples(folder, {"greet": ["hi", "hello"]})
    assert (folder / "nlu" / "intents.yml").stat().st_mtime_ns == before


def test_aliases_make_the_file_rewritten_never_an_example_in_the_wrong_intent(
    tmp_path: Path,
) -> None:
    folder = _folder(
        tmp_path, "intents:\n  greet:\n    - &h hello\n    - hi\n  welcome:\n    - hey\n    - *h\n"
    )
    data = add_examples(folder, {"welcome": ["good to see you"]})
    assert data.intents == {
        "greet": ["hello", "hi"],
        "welcome": ["hey", "hello", "good to see you"],
    }
    assert (folder / "nlu" / "intents.yml.bak").is_file()


def test_backups_are_never_overwritten(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "# precious\nintents: {greet: [hi]}\n")
    add_examples(folder, {"greet": ["hey"]})
    (folder / "nlu" / "intents.yml").write_text("intents: {greet: [hi, hey]}\n")
    add_examples(folder, {"greet": ["hello"]})
    assert (folder / "nlu" / "intents.yml.bak").read_text().startswith("# precious")
    assert (folder / "nlu" / "intents.yml.bak1").read_text() == "intents: {greet: [hi, hey]}\n"


def test_line_endings_permissions_and_utf8_are_kept(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "")
    path = folder / "nlu" / "intents.yml"
    path.write_bytes("intents:\r\n  greet:\r\n    - crème brûlée\r\n".encode())
    path.chmod(0o644)
    add_examples(folder, {"greet": ["こんにちは"]})
    assert (
        path.read_bytes()
        == "intents:\r\n  greet:\r\n    - crème brûlée\r\n    - こんにちは\r\n".encode()
    )
    assert path.stat().st_mode & 0o777 == 0o644
    with pytest.raises(BotError):
        add_examples(folder, {"Bad Name": ["x"]})
    assert (
        path.read_bytes()
        == "intents:\r\n  greet:\r\n    - crème brûlée\r\n    - こんにちは\r\n".encode()
    )


def test_a_tab_that_libyaml_accepts_is_edited_too(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "intents:\n  greet:\n    - hi\t# the usual\n")
    assert add_examples(folder, {"greet": ["hey"]}).intents == {"greet": ["hi", "hey"]}
