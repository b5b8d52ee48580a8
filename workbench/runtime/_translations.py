"""Translators' round trip: the bot's texts to a CSV file, and the translated file back.

``export_translations`` writes one row per text a user reads (``id``, ``field``, the text in the
bot's default language, the text in the target language, empty when missing). A translator
fills the last column; ``import_translations`` writes back only what changed, one revision per
element, and reports (never guesses) a row whose element or field is unknown.
"""

from __future__ import annotations

import copy
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.content import LANGUAGE_PATTERN, Element
from workbench.schema import ContentError

if TYPE_CHECKING:
    from workbench.runtime._bot import Bot

_LANGUAGE = re.compile(LANGUAGE_PATTERN)


@dataclass
class ImportReport:
    """What an import changed and what it could not take."""

    language: str
    updated: list[str] = field(default_factory=list)
    """The elements that got a new revision."""
    unchanged: int = 0
    """Rows whose text was already there (or left empty)."""
    problems: list[tuple[int, str]] = field(default_factory=list)
    """``(row number, why)`` for each row not taken (the header is row 1)."""

    def __str__(self) -> str:
        lines = [
            f"{len(self.updated)} element{'s' if len(self.updated) != 1 else ''} updated "
            f"({self.language}), {self.unchanged} row{'s' if self.unchanged != 1 else ''} unchanged"
        ]
        lines += [f"row {row}: {why}" for row, why in self.problems]
        return "\n".join(lines)


def export_translations(bot: Bot, language: str, path: str | Path) -> int:
    """Write the CSV for translating into ``language``; returns the number of texts."""
    default = bot.settings.languages[0]
    if not _LANGUAGE.fullmatch(language) or language == default:
        raise ContentError(f"{language!r}: name a language code other than the default {default!r}")
    rows = 0
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "field", default, language])
        for element in sorted(bot.content.search(), key=lambda e: e.id):
            for where, source, translation in _texts(element, default, language):
                writer.writerow([element.id, where, source, translation])
                rows += 1
    return rows


def _texts(element: Element, default: str, language: str) -> Iterator[tuple[str, str, str]]:
    """Each translatable text: where, in the default language, in ``language`` ("" if none)."""
    for where, _ in element.texts():
        value = _at(element.fields, where)
        if isinstance(value, dict):
            yield where, str(value.get(default, "")), str(value.get(language, ""))
        else:
            yield where, str(value), ""


def import_translations(bot: Bot, path: str | Path, *, author: str | None = None) -> ImportReport:
    """Take a translated CSV (see the module docstring)."""
    with open(path, newline="", encoding="utf-8-sig") as source:
        rows = list(csv.reader(source))
    if not rows or len(rows[0]) < 4 or rows[0][:2] != ["id", "field"]:
        raise ContentError(f"{path}: not a translation file (its header is id, field, ..., LANG)")
    language = rows[0][-1].strip()
    report = ImportReport(language)
    if not _LANGUAGE.fullmatch(language):
        raise ContentError(f"{path}: the last column's header {language!r} is not a language")
    changes: dict[str, list[tuple[int, str, str]]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) < len(rows[0]):
            report.problems.append((number, "missing columns"))
            continue
        element_id, where, text = row[0].strip(), row[1].strip(), row[-1]
        if element_id not in bot.content:
            report.problems.append((number, f"no content element {element_id!r}"))
        elif not text.strip():
            report.unchanged += 1
        else:
            changes.setdefault(element_id, []).append((number, where, text))
    for element_id, edits in changes.items():
        _apply(bot, element_id, edits, language, report, author)
    return report


def _apply(
    bot: Bot,
    element_id: str,
    edits: list[tuple[int, str, str]],
    language: str,
    report: ImportReport,
    author: str | None,
) -> None:
    element = bot.content.get(element_id)
    translatable = {where for where, _ in element.texts()}
    default = bot.settings.languages[0]
    fields = copy.deepcopy(element.fields)
    changed = False
    for number, where, text in edits:
        if where not in translatable:
            report.problems.append((number, f"{element_id!r} has no text {where!r}"))
            continue
        value = _at(fields, where)
        current = value.get(language) if isinstance(value, dict) else None
        if current == text:
            report.unchanged += 1
            continue
        texts = dict(value) if isinstance(value, dict) else {default: value}
        texts[language] = text
        _set(fields, where, texts)
        changed = True
    if changed:
        bot.content.update(element_id, fields, element.revision, author=author)
        report.updated.append(element_id)


def _steps(where: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", where)]


def _at(fields: Any, where: str) -> Any:
    value = fields
    for step in _steps(where):
        value = value[step]
    return value


def _set(fields: Any, where: str, value: Any) -> None:
    *parents, last = _steps(where)
    target = fields
    for step in parents:
        target = target[step]
    target[last] = value
