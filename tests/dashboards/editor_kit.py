"""A copy of the pizza sample bot for the content editor's tests: in English and French, with a
few more elements (a translated text, a card, a carousel) that no flow uses.

The copy's NLU model is trained once per test session (``template``) and each copy takes the
cached model along, so a test loads its bot in milliseconds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import SAMPLE_BOTS

EXTRA = """\
# Elements no flow uses (the editor's tests change and delete them freely).
farewell:
  text:
    en: Goodbye, see you soon!
    fr: Au revoir, à bientôt !
promo:
  type: card
  title: {en: Pizza of the week, fr: Pizza de la semaine}
  subtitle: Ham & olives <b>fresh</b>
  image: https://example.com/pizza.png
  buttons:
    - {title: Order, value: order}
    - {title: Menu, url: "https://example.com/menu"}
menu:
  type: carousel
  text: Our pizzas
  cards:
    - title: Margherita
      buttons: [{title: Pick, value: margherita}]
    - title: Diavola <script>
      subtitle: Spicy
"""


def pizza_copy(destination: Path, template: Path | None = None) -> Path:
    """A copy of ``template`` (made by this function before) or of the pizza sample bot,
    speaking English and French, with the elements of :data:`EXTRA`; no store is copied."""
    if template is not None:
        shutil.copytree(
            template, destination, ignore=shutil.ignore_patterns("workbench.db*", "*.db")
        )
        return destination
    shutil.copytree(SAMPLE_BOTS / "pizza", destination, ignore=shutil.ignore_patterns(".workbench"))
    settings = destination / "bot.yml"
    settings.write_text(settings.read_text().replace("languages: [en]", "languages: [en, fr]"))
    (destination / "content" / "extra.yml").write_text(EXTRA)
    return destination


def messages(folder: Path, name: str = "messages.yml") -> str:
    return (folder / "content" / name).read_text()
