"""``workbench content``: what is left to translate, and the translators' CSV round trip."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from workbench.cli._common import err, load_bot, out
from workbench.runtime import export_translations, import_translations
from workbench.schema import ContentError, plural

content_app = typer.Typer(help="The bot's content: translations.", no_args_is_help=True)

Bot = Annotated[Path, typer.Argument(metavar="BOT", help="The bot folder.")]


@content_app.command()
def missing(bot_folder: Bot) -> None:
    """List every text that lacks one of the bot's languages (bot.yml languages:)."""
    bot = load_bot(bot_folder, None)
    found = bot.content.missing_translations()
    for item in found:
        out.print(f"{item.element} {item.field}: missing {', '.join(item.languages)}", markup=False)
    languages = ", ".join(bot.settings.languages)
    out.print(f"{len(found)} text{'s' if len(found) != 1 else ''} to translate ({languages})")


@content_app.command(name="export")
def export(
    bot_folder: Bot,
    lang: Annotated[str, typer.Option("--lang", help="The language to translate into.")],
    csv: Annotated[Path, typer.Option("--csv", help="The CSV file to write.")],
) -> None:
    """Write the texts to translate into LANG as a CSV: id, field, default text, LANG text."""
    bot = load_bot(bot_folder, None)
    try:
        rows = export_translations(bot, lang, csv)
    except (ContentError, OSError) as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    out.print(f"{plural(rows, 'text')} written to {csv}", markup=False)


@content_app.command(name="import")
def import_(
    bot_folder: Bot,
    file: Annotated[Path, typer.Argument(help="The translated CSV file.")],
    author: Annotated[str | None, typer.Option(help="Who translated (for the history).")] = None,
) -> None:
    """Take a translated CSV back: changed texts become revisions; unknown rows are reported."""
    bot = load_bot(bot_folder, None)
    try:
        report = import_translations(bot, file, author=author)
    except (ContentError, OSError) as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    out.print(str(report), markup=False)
    if report.problems:
        raise typer.Exit(1)
