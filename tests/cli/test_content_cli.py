"""``workbench content missing|export|import``: the translators' round trip, as users run it."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from test_cli import workbench

import workbench as wb
from tests.conftest import SAMPLE_BOTS


def bilingual_pizza(tmp_path: Path) -> Path:
    root = tmp_path / "pizza"
    shutil.copytree(SAMPLE_BOTS / "pizza", root, ignore=shutil.ignore_patterns(".workbench"))
    settings = (root / "bot.yml").read_text().replace("languages: [en]", "languages: [en, fr]")
    (root / "bot.yml").write_text(settings)
    return root


def test_missing_lists_every_untranslated_text(tmp_path: Path) -> None:
    root = bilingual_pizza(tmp_path)
    run = workbench("content", "missing", str(root), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "ask_size choices[2].title: missing fr" in run.stdout
    assert "thanks text[0]: missing fr" in run.stdout
    assert run.stdout.strip().splitlines()[-1].endswith("texts to translate (en, fr)")


def test_export_then_import_a_translation(tmp_path: Path) -> None:
    root = bilingual_pizza(tmp_path)
    table = tmp_path / "fr.csv"
    run = workbench("content", "export", str(root), "--lang", "fr", "--csv", str(table))
    assert run.returncode == 0, run.stderr
    with table.open(encoding="utf-8") as source:
        rows = list(csv.reader(source))
    assert rows[0] == ["id", "field", "en", "fr"]
    by_key = {(r[0], r[1]): r for r in rows[1:]}
    assert by_key[("thanks", "text[0]")][2:] == [
        "Thanks! Your {{ state.size }} pizza is on its way. 🍕",
        "",
    ]
    by_key[("thanks", "text[0]")][3] = "Merci ! Votre pizza {{ state.size }} arrive. 🍕"
    by_key[("ask_size", "choices[0].title")][3] = "Petite"
    with table.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([rows[0], *by_key.values()])
    before = (root / "content" / "messages.yml").read_text()
    run = workbench("content", "import", str(root), str(table), "--author", "lea")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 elements updated (fr)" in run.stdout
    after = (root / "content" / "messages.yml").read_text()
    assert "fr: Petite" in after and before.count("\n# ") == after.count("\n# ")
    bot = wb.Bot.load(root, db="memory://")
    conv = bot.conversation("u", language="fr")
    replies = conv.say("hi")
    assert replies[-1].choices[0].title == "Petite"
    assert replies[-1].choices[1].title == "Medium"  # not translated: the default language
    history = wb.Bot.load(root).content.history("thanks")
    assert history[0].author == "lea"


def test_import_reports_unknown_rows_and_exits_1(tmp_path: Path) -> None:
    root = bilingual_pizza(tmp_path)
    table = tmp_path / "fr.csv"
    table.write_text(
        "id,field,en,fr\nnope,text[0],x,y\nthanks,text[9],x,y\nthanks,text[0],x,Merci\n",
        encoding="utf-8",
    )
    run = workbench("content", "import", str(root), str(table))
    assert run.returncode == 1
    assert "row 2: no content element 'nope'" in run.stdout
    assert "row 3: 'thanks' has no text 'text[9]'" in run.stdout
    assert "1 element updated (fr)" in run.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    run = workbench("content", "import", str(root), str(bad))
    assert run.returncode == 1 and "not a translation file" in run.stderr
