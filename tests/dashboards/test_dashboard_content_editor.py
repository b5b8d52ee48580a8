"""The content editor through its widgets' callbacks (no browser), on a copy of the pizza bot:
search, save, conflicts, invalid values, files that cannot be written, delete, duplicate,
history and restore, new elements, missing translations, and never a traceback."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest

import workbench as wb
from tests.conftest import BotWriter
from tests.dashboards.conftest import Editor
from tests.dashboards.editor_kit import messages
from workbench.dashboards._content_editor import ContentEditor, content_editor
from workbench.dashboards._form_fields import LocalizedField, NumberField, TextField
from workbench.dashboards._form_groups import ArrayField


def listed(editor: ContentEditor) -> list[str]:
    return [value for _label, value in editor.list.select.options]


def pick(editor: ContentEditor, element_id: str) -> None:
    """What a click in the list does."""
    editor.list.select.value = element_id


def text_box(editor: ContentEditor, path: str = "text[0]", lang: str = "en") -> Any:
    assert editor.form is not None
    field = editor.form.field(path)
    assert isinstance(field, LocalizedField)
    return field.inputs[lang]


def test_search_every_field_every_language_and_filters(editor: Editor) -> None:
    ed = editor()
    assert "farewell" in listed(ed) and len(listed(ed)) == 12
    ed.list.search.value = "bientôt"  # French text
    assert listed(ed) == ["farewell"]
    ed.list.language.value = "en"  # ...only the English texts now
    assert listed(ed) == []
    assert "No message matches “bientôt”" in ed.list.count.value
    ed.list.language.value = ""
    ed.list.search.value = "margherita"  # a button's value inside a carousel's card
    assert listed(ed) == ["menu"]
    ed.list.search.value = ""
    ed.list.type.value = "choice"
    assert listed(ed) == ["ask_payment", "ask_size", "confirm_order"]
    labels = dict((v, k) for k, v in ed.list.select.options)
    assert labels["ask_size"] == "ask_size — What size would you like?"


def test_edit_save_the_file_changes_and_a_conversation_gets_it(
    editor: Editor, pizza: Path, db: str
) -> None:
    ed = editor()
    other = wb.Bot.load(pizza, db=db)  # the running bot, elsewhere
    conv = other.conversation("u1")
    assert conv.say("hi")[1].text == "What size would you like?"
    ed.list.search.value = "size"
    pick(ed, "ask_size")
    assert ed.opened is not None and ed.opened.revision == 1
    assert "said in main.ask_size" in ed.header.value
    text_box(ed).value = "Which size, dear?"
    assert ed.dirty
    assert "Which size, dear?" in ed.preview.web.value  # live preview
    ed.save_button.click()
    assert ed.status.kind == "ok", ed.status.text
    assert "revision 2" in ed.status.text and not ed.dirty
    assert "  text: Which size, dear?\n" in messages(pizza)
    assert conv.say("hi again")[1].text == "Which size, dear?"  # no reload
    (latest, first) = other.content.history("ask_size")
    assert (latest.author, latest.action, first.action) == ("ann", "update", "file")


def test_the_open_message_stays_listed_when_it_no_longer_matches(editor: Editor) -> None:
    ed = editor()
    ed.list.search.value = "what size"
    pick(ed, "ask_size")
    text_box(ed).value = "Which one?"
    ed.save()
    assert listed(ed) == ["ask_size"] and ed.list.select.value == "ask_size"
    assert "No message matches “what size”" in ed.list.count.value


def test_no_name_no_save(editor: Editor, pizza: Path) -> None:
    ed = editor()
    ed.author.value = "  "
    pick(ed, "farewell")
    before = messages(pizza, "extra.yml")
    text_box(ed).value = "Bye"
    ed.save()
    assert ed.status.kind == "warn" and "Type your name" in ed.status.text
    assert messages(pizza, "extra.yml") == before and ed.dirty


def test_a_conflict_keeps_my_text_and_shows_theirs_beside_it(editor: Editor, pizza: Path) -> None:
    mine, theirs = editor(), editor()
    theirs.author.value = "bob"
    pick(mine, "farewell")
    pick(theirs, "farewell")
    text_box(theirs).value = "Bye from Bob"
    theirs.save()
    assert theirs.status.kind == "ok"
    text_box(mine).value = "Bye from Ann"
    mine.save()
    assert mine.status.kind == "error"
    assert "bob changed “farewell” at" in mine.status.text and "revision 2" in mine.status.text
    assert text_box(mine).value == "Bye from Ann"  # my text is kept
    assert mine.conflict.visible and mine.conflict.form is not None
    their_box = mine.conflict.form.field("text[0]")
    assert isinstance(their_box, LocalizedField)
    assert their_box.inputs["en"].value == "Bye from Bob" and their_box.inputs["en"].disabled
    assert "Bye from Bob" in messages(pizza, "extra.yml")  # nothing of mine was written
    mine.conflict.keep.click()  # save mine over theirs
    assert mine.status.kind == "ok" and not mine.conflict.visible
    assert "Bye from Ann" in messages(pizza, "extra.yml")
    text_box(theirs).value = "Bob again"
    theirs.save()
    assert theirs.status.kind == "error" and "ann changed" in theirs.status.text
    theirs.conflict.take.click()  # take theirs: the form shows the saved version
    assert text_box(theirs).value == "Bye from Ann" and not theirs.dirty


def test_a_message_deleted_meanwhile_is_a_conflict_and_can_be_saved_back(
    editor: Editor, pizza: Path
) -> None:
    mine, theirs = editor(), editor()
    pick(mine, "promo")
    pick(theirs, "promo")
    theirs.delete()
    theirs.confirm.yes.click()
    assert "promo:" not in messages(pizza, "extra.yml")
    text_box(mine, "subtitle").value = "Ham only"
    mine.save()
    assert mine.status.kind == "error" and "deleted “promo”" in mine.status.text
    assert mine.conflict.visible and mine.conflict.form is None
    mine.conflict.keep.click()
    assert mine.status.kind == "ok", mine.status.text
    assert "subtitle: Ham only" in messages(pizza, "extra.yml")


def test_an_invalid_value_is_shown_at_its_field_and_nothing_is_saved(
    editor: Editor, pizza: Path, db: str
) -> None:
    ed = editor()
    pick(ed, "promo")
    before = messages(pizza, "extra.yml")
    title = text_box(ed, "title")
    title.value = ""
    text_box(ed, "title", "fr").value = ""
    assert "The preview waits for a fix" in ed.preview.web.value
    ed.save()
    assert ed.status.kind == "error" and "“Title” needs a fix" in ed.status.text
    assert ed.form is not None
    field = ed.form.field("title")
    assert "This field is required" in field.error.value
    assert messages(pizza, "extra.yml") == before
    assert len(wb.Bot.load(pizza, db=db).content.history("promo")) == 1
    title.value = "Back"  # fixed: the mark goes
    assert field.error.value == ""


def test_a_bad_template_is_marked_in_its_language(editor: Editor, pizza: Path) -> None:
    ed = editor()
    pick(ed, "farewell")
    text_box(ed, lang="fr").value = "Au revoir {{ user.name "
    ed.save()
    assert ed.form is not None
    field = ed.form.field("text[0]")
    assert isinstance(field, LocalizedField)
    assert "template" in field.errors["fr"].value and field.errors["en"].value == ""
    assert "Message > French (fr)" in ed.status.text
    assert "{{ user.name " not in messages(pizza, "extra.yml")


def test_a_file_that_cannot_be_written_is_said_and_the_text_kept(
    editor: Editor, pizza: Path
) -> None:
    ed = editor()
    pick(ed, "farewell")
    text_box(ed).value = "See you"
    path = pizza / "content" / "extra.yml"
    before = path.read_text()
    path.unlink()
    path.mkdir()  # a folder where the file was: it can be neither read nor replaced
    try:
        ed.save()
    finally:
        path.rmdir()
        path.write_text(before)
    assert ed.status.kind == "error" and "Not saved: cannot read" in ed.status.text
    assert "Your text is still in the form" in ed.status.text
    assert text_box(ed).value == "See you" and ed.dirty


def test_delete_asks_then_says_where_it_is_used_then_restores(editor: Editor, pizza: Path) -> None:
    ed = editor()
    pick(ed, "ask_size")
    ed.delete()
    assert ed.confirm.asking and "Delete “ask_size”?" in ed.confirm.question.value
    ed.confirm.no.click()
    assert "ask_size:" in messages(pizza)
    ed.delete()
    ed.confirm.yes.click()
    assert ed.status.kind == "error" and "used in main.ask_size" in ed.status.text
    assert ed.confirm.asking and ed.confirm.yes.description == "Delete anyway"
    assert "ask_size:" in messages(pizza)
    ed.confirm.yes.click()
    assert ed.status.kind == "ok" and "Deleted “ask_size”" in ed.status.text
    assert "ask_size:" not in messages(pizza)
    # the flows still say it: the content no longer loads, and the page says so
    assert "unknown content element &#x27;ask_size&#x27;" in ed.problems.value
    assert "flows/main.flow.yml:23" in ed.problems.value and str(pizza) not in ed.problems.value
    assert ed.history.visible and ed.opened is None
    # (the runtime keeps the deleted element while its content does not load, and records it
    # as a revision "by file" when asked for its history: restore revision 1 by its tooltip)
    restore = [b for b in _buttons(ed.history.widget, "Restore") if b.tooltip.endswith(" 1")]
    assert len(restore) == 1
    restore[0].click()
    assert ed.status.kind == "ok" and "Restored revision 1" in ed.status.text
    assert "ask_size:" in messages(pizza) and "ask_size" in listed(ed)
    assert ed.problems.value == "" and ed.opened is not None and ed.opened.id == "ask_size"
    assert wb.Bot.load(pizza, db="memory://").conversation("u").say("hi")[1].text == (
        "What size would you like?"
    )


def test_duplicate_opens_the_copy(editor: Editor, pizza: Path) -> None:
    ed = editor()
    pick(ed, "promo")
    text_box(ed, "subtitle").value = "unsaved"
    ed.duplicate()
    assert ed.status.kind == "warn" and "Save your changes first" in ed.status.text
    ed.save()
    ed.duplicate()
    assert ed.opened is not None and ed.opened.id == "promo_copy"
    assert "promo_copy:" in messages(pizza, "extra.yml") and "promo_copy" in listed(ed)
    assert text_box(ed, "subtitle").value == "unsaved"


def test_history_lists_who_when_what_and_restores_an_earlier_version(editor: Editor) -> None:
    ed = editor()
    pick(ed, "farewell")
    text_box(ed).value = "Bye!"
    ed.save()
    ed.author.value = "bob"
    text_box(ed).value = "Ciao!"
    ed.save()
    ed.show_history()
    rows = ed.history.rows.children
    texts = [r.children[0].value for r in rows]
    assert len(rows) == 3
    assert "Revision 3" in texts[0] and "(current)" in texts[0] and "bob" in texts[0]
    assert "edited it" in texts[0] and "Ciao!" in texts[0] and "changed: text[0].en" in texts[0]
    assert "ann" in texts[1] and "first seen in its file" in texts[2]
    assert len(_buttons(rows[0], "Restore")) == 0  # not the current one
    text_box(ed).value = "typed, not saved"
    _buttons(rows[2], "Restore")[0].click()
    assert ed.confirm.asking  # unsaved text: asked first
    ed.confirm.yes.click()
    assert text_box(ed).value == "Goodbye, see you soon!"
    assert ed.opened is not None and ed.opened.revision == 4
    assert "restored an earlier version" in ed.history.rows.children[0].children[0].value


def test_a_new_message_of_each_type(editor: Editor, pizza: Path) -> None:
    ed = editor()
    ed.new_type.value = "card"
    ed.new()
    assert ed.opened is not None and ed.opened.id is None
    ed.new_id.value = "Bad Name"
    ed.save()
    assert ed.status.kind == "error" and "small letters" in ed.new_id_error.value
    ed.new_id.value = "ask_size"
    ed.save()
    assert "already a message named" in ed.new_id_error.value
    ed.new_id.value = "week_card"
    ed.save()  # no title yet
    assert ed.form is not None and "required" in ed.form.field("title").error.value
    text_box(ed, "title").value = "Special"
    buttons = ed.form.field("buttons")
    assert isinstance(buttons, ArrayField)
    buttons.append()
    text_box(ed, "buttons[0].title").value = "Go"
    link = ed.form.field("buttons[0].url")
    assert isinstance(link, TextField)
    link.input.value = "https://example.com"
    ed.save()
    assert ed.status.kind == "ok", ed.status.text
    assert "week_card:\n  type: card\n  title: Special\n" in messages(pizza)
    assert ed.opened.id == "week_card" and "week_card" in listed(ed)
    for kind in ("text", "choice", "image", "carousel"):
        ed.new_type.value = kind
        ed.new()
        assert ed.form is not None and ed.form.type.name == kind


def test_unsaved_changes_are_not_dropped_without_asking(editor: Editor) -> None:
    ed = editor()
    pick(ed, "farewell")
    text_box(ed).value = "mine"
    pick(ed, "promo")
    assert ed.opened is not None and ed.opened.id == "farewell"
    assert ed.confirm.asking and "not saved" in ed.confirm.question.value
    assert ed.list.select.value == "farewell"
    ed.confirm.no.click()
    assert text_box(ed).value == "mine"
    pick(ed, "promo")
    ed.confirm.yes.click()
    assert ed.opened.id == "promo"


def test_preview_language_and_sample_values(editor: Editor) -> None:
    ed = editor()
    pick(ed, "farewell")
    assert "Goodbye" in ed.preview.web.value
    ed.preview.language.value = "fr"
    assert "Au revoir" in ed.preview.web.value and "Au revoir" in ed.preview.text.value
    pick(ed, "confirm_order")
    samples = ed.preview.samples
    assert list(samples.inputs) == ["state.size", "state.toppings", "state.price"]
    samples.inputs["state.size"].value = "large"
    samples.inputs["state.toppings"].value = "[ham, olives]"
    samples.inputs["state.price"].value = "15.00"
    text = ed.preview.text.value
    assert "A large pizza with ham, olives: $15.00. Shall I order it?" in text
    assert "1. yes" in text and "2. no" in text  # numbered on a text-only channel
    assert "wb-choice" in ed.preview.web.value
    text_box(ed).value = "{{ state.size | int + 1 }} {{ 1 / 0 }}"  # fails when rendered
    assert "cannot be shown with these sample values" in ed.preview.web.value


def test_the_preview_shows_cards_and_carousels_escaped(editor: Editor) -> None:
    ed = editor()
    pick(ed, "promo")
    web = ed.preview.web.value
    assert "Pizza of the week" in web and "Ham &amp; olives &lt;b&gt;fresh&lt;/b&gt;" in web
    assert "<img src='https://example.com/pizza.png'" in web
    assert "[image: https://example.com/pizza.png]" in ed.preview.text.value
    pick(ed, "menu")
    web = ed.preview.web.value
    assert web.count("wb-card") == 2 and "Diavola &lt;script&gt;" in web
    assert "<script>" not in web


def test_missing_translations_open_their_element(editor: Editor) -> None:
    ed = editor()
    ed.tabs.selected_index = 1
    rows = {r.children[0].value.split("</b>")[0][3:]: r for r in ed.translations.rows.children}
    assert {"greeting", "ask_size", "promo", "menu"} <= set(rows) and "farewell" not in rows
    assert "Choice 1 &gt; Button: " in rows["ask_size"].children[0].value
    assert "Message, variation 2: " in rows["greeting"].children[0].value
    assert "missing in French (fr)" in rows["greeting"].children[0].value
    assert "11 messages have texts not translated" in ed.translations.summary.value
    _buttons(rows["greeting"], "Open")[0].click()
    assert ed.tabs.selected_index == 0 and ed.opened is not None
    assert ed.opened.id == "greeting"


def test_an_unexpected_failure_is_a_sentence_not_a_traceback(
    editor: Editor, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    ed = editor()
    pick(ed, "farewell")
    text_box(ed).value = "Bye"

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ed.bot.content, "update", broken)
    monkeypatch.setattr(logging.getLogger("workbench.dashboards"), "propagate", True)
    with caplog.at_level(logging.ERROR, logger="workbench.dashboards"):
        ed.save_button.click()
    assert ed.status.kind == "error" and "Something went wrong" in ed.status.text
    assert "Traceback" not in ed.status.widget.value and "disk on fire" not in ed.status.text
    assert "disk on fire" in caplog.text  # the details are in the server's log
    assert text_box(ed).value == "Bye"


PRODUCT = """\
title: Product
required: [name, price]
additionalProperties: false
properties:
  name: {$ref: "#/definitions/text_value", x-ui: {label: Product name}}
  price: {type: number, x-ui: {label: Price}}
  sizes: {type: array, items: {type: string, enum: [small, large]}, x-ui: {label: Sizes}}
"""
RENDERER = """\
from workbench import renderer


@renderer("product")
def product(fields, language):
    return {"type": "choice", "text": f"{fields['name']}: {fields['price']} <$>",
            "choices": [{"title": "Buy", "value": "buy"}]}
"""


def test_a_bot_own_type_is_edited_and_previewed_like_the_others(
    bot_folder: BotWriter, tmp_path: Path
) -> None:
    folder = bot_folder(
        {
            "bot.yml": "name: shop\nlanguages: [en, fr]\n",
            "flows/main.flow.yml": "start: a\nnodes:\n  a:\n    on_enter: [{say: menu}]\n",
            "content/types/product.yml": PRODUCT,
            "content/messages.yml": "menu:\n  type: product\n  name: Pizza\n  price: 9.5\n",
            "actions.py": RENDERER,
        }
    )
    ed = ContentEditor(wb.Bot.load(folder, db=f"sqlite:///{tmp_path / 'shop.db'}"))
    ed.author.value = "ann"
    assert ("Product", "product") in ed.new_type.options
    pick(ed, "menu")
    assert "Product · revision 1" in ed.header.value
    assert "Pizza: 9.5 &lt;$&gt;" in ed.preview.web.value and "Buy" in ed.preview.web.value
    assert "1. Buy" in ed.preview.text.value
    text_box(ed, "name", "fr").value = "Pizza (fr)"
    assert ed.form is not None
    price = ed.form.field("price")
    assert isinstance(price, NumberField)
    price.input.value = "10"
    sizes = ed.form.field("sizes")
    assert isinstance(sizes, ArrayField)
    sizes.append()
    sizes.items[0].input.value = "large"  # type: ignore[attr-defined]
    ed.save()
    assert ed.status.kind == "ok", ed.status.text
    assert (
        "menu:\n  type: product\n  name:\n    en: Pizza\n    fr: Pizza (fr)\n"
        "  price: 10\n  sizes: [large]\n"
    ) in (folder / "content" / "messages.yml").read_text()
    ed.preview.language.value = "fr"
    assert "Pizza (fr): 10" in ed.preview.web.value
    price.input.value = "ten"
    ed.save()
    assert "must be a number" in price.error.value and "“Price” needs a fix" in ed.status.text


def test_a_failing_list_button_is_a_sentence(
    editor: Editor, monkeypatch: pytest.MonkeyPatch
) -> None:
    ed = editor()
    pick(ed, "ask_size")
    assert ed.form is not None
    choices = ed.form.field("choices")
    assert isinstance(choices, ArrayField)

    def broken(*_args: object) -> None:
        raise RuntimeError("no")

    monkeypatch.setattr(choices, "_make", broken)
    monkeypatch.setattr(logging.getLogger("workbench.dashboards"), "propagate", True)
    choices.add.click()
    assert ed.status.kind == "error" and "change the list of items" in ed.status.text


def test_an_element_deleted_by_someone_else_is_not_opened(editor: Editor) -> None:
    ed, other = editor(), editor()
    pick(other, "farewell")
    other.delete()
    other.confirm.yes.click()
    ed.open("farewell")  # the list was drawn before
    assert ed.status.kind == "warn" and "no longer exists" in ed.status.text
    assert "farewell" not in listed(ed)


def test_content_editor_draws_and_a_bad_folder_is_a_message(
    tmp_path: Path, pizza: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[widgets.Widget] = []
    monkeypatch.setattr("workbench.dashboards._content_editor._show_on_page", shown.append)
    monkeypatch.setenv("WORKBENCH_DB", f"sqlite:///{tmp_path / 'page.db'}")
    log = logging.getLogger("workbench.dashboards")
    for name in ("handlers", "propagate", "level"):  # content_editor sends it to stderr
        monkeypatch.setattr(log, name, getattr(log, name) if name != "handlers" else [])
    made = content_editor(pizza)
    assert log.handlers and not log.propagate  # the page's log goes to the server's stderr
    assert made is not None and shown == [made.widget]
    assert made._ipython_display_() is None  # shown once: the cell's result adds nothing
    broken = shutil.copytree(pizza, tmp_path / "broken")
    (broken / "flows" / "main.flow.yml").write_text("start: nowhere\nnodes: {}\n")
    assert content_editor(broken) is None
    assert "cannot be opened" in shown[-1].value and "main.flow.yml" in shown[-1].value


def _buttons(widget: widgets.Widget, label: str) -> list[widgets.Button]:
    found = []
    if isinstance(widget, widgets.Button) and widget.description == label:
        found.append(widget)
    for child in getattr(widget, "children", ()):
        found += _buttons(child, label)
    return found
