"""Text in several languages: which one a conversation gets, and which are missing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workbench.expressions import Template


@dataclass(frozen=True)
class Localized:
    """One template per language; the key ``""`` is text written without a language (a plain
    string), which serves every language."""

    values: Mapping[str, Template]

    def pick(self, language: str | None, default: str | None) -> Template:
        """The text in ``language``, else in the bot's ``default`` language, else the text
        written without a language, else the first one written."""
        values = self.values
        if len(values) == 1:  # most texts: one for every language
            return next(iter(values.values()))
        for key in (language, default, ""):
            if key is not None and key in values:
                return values[key]
        return next(iter(values.values()))

    def languages(self, default: str) -> set[str]:
        """The languages this text exists in (text without a language counts as ``default``)."""
        return {default if lang == "" else lang for lang in self.values}

    def missing(self, languages: Iterable[str]) -> list[str]:
        """Which of ``languages`` (the bot's, the first its default) this text lacks."""
        wanted = list(languages)
        have = self.languages(wanted[0]) if wanted else set()
        return [lang for lang in wanted if lang not in have]
