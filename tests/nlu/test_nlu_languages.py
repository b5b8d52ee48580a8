"""One model per language: ``nlu/intents.yml`` for the first, ``nlu/intents.<lang>.yml`` for
each other; the conversation's language picks the model; a language without data falls back
to the first language's model, and lint says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import workbench as wb
from workbench.cli import app
from workbench.nlu import train
from workbench.nlu._deferred import DeferredModel

FLOW = """\
start: listen
nodes:
  listen:
    next:
      - when: intent == "order"
        to: ordered
      - when: intent == "hours"
        to: hours
      - to: unknown
  ordered:
    on_enter: [{say: {text: "order"}}]
    next: [{to: END}]
  hours:
    on_enter: [{say: {text: "hours"}}]
    next: [{to: END}]
  unknown:
    on_enter: [{say: {text: "?"}}]
    next: [{to: END}]
"""
ENGLISH = """\
intents:
  order:
    - I want a pizza
    - I would like to order a pizza
    - can I get a pizza
    - order a pizza please
    - get me a pizza
  hours:
    - when are you open
    - what are your opening hours
    - what time do you close
    - are you open on sunday
    - business hours
"""
FRENCH = """\
intents:
  order:
    - je veux une pizza
    - je voudrais commander une pizza
    - une pizza s'il vous plaît
    - commander une pizza
    - donnez-moi une pizza
  hours:
    - quand êtes-vous ouverts
    - quels sont vos horaires
    - à quelle heure fermez-vous
    - êtes-vous ouverts le dimanche
    - heures d'ouverture
"""


def make_folder(tmp_path: Path, languages: str, french: bool = True) -> Path:
    folder = tmp_path / "bilingual"
    (folder / "flows").mkdir(parents=True)
    (folder / "nlu").mkdir()
    (folder / "bot.yml").write_text(f"name: bilingual\nlanguages: {languages}\n")
    (folder / "flows" / "main.flow.yml").write_text(FLOW)
    (folder / "nlu" / "intents.yml").write_text(ENGLISH)
    if french:
        (folder / "nlu" / "intents.fr.yml").write_text(FRENCH)
    return folder


def reply(bot: wb.Bot, text: str, language: str | None = None) -> str:
    conv = bot.conversation(user_id="u", language=language)
    return str(conv.say(text)[0].text)


def test_the_conversations_language_picks_its_model(tmp_path: Path) -> None:
    bot = wb.Bot.load(make_folder(tmp_path, "[en, fr]"), db="memory://")
    assert reply(bot, "quelles sont vos heures d'ouverture", "fr") == "hours"
    assert reply(bot, "je voudrais une pizza", "fr") == "order"
    assert reply(bot, "what time do you open", "en") == "hours"
    assert reply(bot, "I want to order a pizza") == "order"  # the first language by default
    french, english = bot.nlu_for("fr"), bot.nlu_for("en")
    assert french is not english and english is bot.nlu
    assert french.parse("à quelle heure ouvrez-vous").intent == "hours"
    assert reply(bot, "quand êtes-vous ouverts", "fr") == "hours"


def test_models_of_every_language_are_cached_and_read_on_first_message(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, "[en, fr]")
    wb.Bot.load(folder, db="memory://")
    cached = sorted(p.name for p in (folder / ".workbench" / "nlu-cache").glob("default-*.npz"))
    assert len(cached) == 2 and sum(name.endswith(".fr.npz") for name in cached) == 1
    again = wb.Bot.load(folder, db="memory://")
    french = again.nlu_for("fr")
    assert isinstance(french, DeferredModel) and not french.loaded
    assert reply(again, "je veux une pizza", "fr") == "order"
    assert french.loaded


def test_a_language_without_data_uses_the_first_languages_model_and_lint_warns(
    tmp_path: Path,
) -> None:
    folder = make_folder(tmp_path, "[en, fr, de]")
    bot = wb.Bot.load(folder, db="memory://")
    assert bot.nlu_for("de") is bot.nlu
    assert reply(bot, "when are you open", "de") == "hours"
    warnings = [str(w) for w in bot.warnings]
    assert any("'de' has no nlu/intents.de.yml" in w and "bot.yml" in w for w in warnings)
    assert not any("intents.fr.yml" in w for w in warnings)
    result = CliRunner().invoke(app, ["lint", str(folder)])
    assert result.exit_code == 0
    assert "language 'de' has no nlu/intents.de.yml" in result.output


def test_a_file_for_a_language_the_bot_does_not_have_is_a_warning(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, "[en]")
    bot = wb.Bot.load(folder, db="memory://")
    assert any(
        "intents.fr.yml" in str(w) and "does not list language 'fr'" in str(w) for w in bot.warnings
    )
    assert reply(bot, "je veux une pizza", "fr") in {"order", "?"}  # the English model


def test_a_bad_language_file_is_an_error_with_its_line(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, "[en, fr]")
    (folder / "nlu" / "intents.fr.yml").write_text(FRENCH + "  Mauvais:\n    - bonjour\n")
    with pytest.raises(wb.BotError) as info:
        wb.Bot.load(folder, db="memory://")
    problem = info.value.problems[0]
    assert problem.file.endswith("nlu/intents.fr.yml")
    assert problem.line == FRENCH.count("\n") + 1


def test_intents_set_from_a_notebook_per_language_and_saved(tmp_path: Path) -> None:
    bot = wb.Bot.load(make_folder(tmp_path, "[en, fr]", french=False), db="memory://")
    bot.set_intents(
        {"order": ["je veux une pizza", "une pizza"], "hours": ["vos horaires", "ouvert"]},
        language="fr",
    )
    assert bot.nlu_for("fr").parse("je veux une pizza").intent == "order"
    with pytest.raises(wb.BotError, match="no language 'it'"):
        bot.set_intents({"order": ["una pizza"]}, language="it")
    saved = bot.save(tmp_path / "saved")
    assert (saved / "nlu" / "intents.fr.yml").is_file()
    loaded = wb.Bot.load(saved, db="memory://")
    assert loaded.nlu_for("fr").parse("je veux une pizza").intent == "order"


@pytest.mark.parametrize(
    ("examples", "probe", "expected"),
    [
        (
            {
                "greet": ["привет", "здравствуйте", "добрый день", "привет как дела"],
                "bye": ["пока", "до свидания", "всего хорошего", "до встречи"],
            },
            "привет друг",
            "greet",
        ),
        (
            {
                "greet": ["你好", "您好", "早上好", "你好吗"],
                "bye": ["再见", "拜拜", "明天见", "回头见"],
            },
            "你好啊",
            "greet",
        ),
    ],
)
def test_the_tfidf_features_work_for_other_scripts(
    examples: dict[str, list[str]], probe: str, expected: str
) -> None:
    model = train(examples, language="xx")
    assert model.parse(probe).intent == expected
    assert model.predict([probe]) == [expected]


def test_the_emulators_language_picker_picks_the_model(tmp_path: Path) -> None:
    from workbench.notebook._emulator import emulator

    bot = wb.Bot.load(make_folder(tmp_path, "[en, fr]"), db="memory://")
    emu = emulator(bot)
    emu.language_box.value = "fr"
    emu.send("quels sont vos horaires")
    assert emu.turns[-1].language == "fr"
    assert [r.text for r in emu.turns[-1].replies] == ["hours"]
