"""The NLU data of a bot folder (``nlu/intents.yml``): intents, list and regex entities.

```yaml
intents:
  order:
    - I want a pizza
    - order a [large](size) pizza          # a trained slot: [text](slot name)
  none:                                    # optional: examples of what the bot does NOT handle
    - what's the weather like
entities:
  size:                                    # list entity: value -> synonyms
    small: [sm, little]
    large: [big, family]
  topping: [cheese, ham]                   # list entity, bare values
  city:                                    # list entity with options
    values: {paris: [paname], london: []}
    fuzzy: 0.9                             # similarity needed for a fuzzy match (false = exact)
  order_id:                                # regex entity: the match is the value
    regex: "#?\\d{5}"
```
List entities match fuzzily by default (similarity ≥ 0.85, words of 4 letters or more);
``number`` is a system entity, always on.

A bot with several ``languages:`` in ``bot.yml`` keeps the first language's data in
``nlu/intents.yml`` and each other language's in ``nlu/intents.<lang>.yml`` (same format): one
model per language. A language without a file is understood with the first language's model.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from workbench.config import NAME_PATTERN, load_yaml, validate
from workbench.schema import BotError, Problem

__all__ = ["DEFAULT_FUZZY", "NLUData", "load_nlu_data", "load_nlu_languages"]

Name = Annotated[str, Field(pattern=NAME_PATTERN)]
DEFAULT_FUZZY = 0.85
"""Similarity (0 to 1) a phrase needs to match a list entity's value or synonym fuzzily."""


class NLUData(BaseModel):
    """Intents with utterances; list entities (``entities``), regex entities (``regexes``).

    In YAML every entity sits under ``entities:`` (see the module docstring); a regex entity or
    a list entity with options is split out on load and folded back when dumped.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    intents: dict[Name, list[str]] = Field(default_factory=dict)
    entities: dict[Name, dict[str, list[str]]] = Field(default_factory=dict)
    """List entities: value -> synonyms."""
    regexes: dict[Name, str] = Field(default_factory=dict)
    """Regex entities: name -> pattern (Python ``re`` syntax, matched case-insensitively)."""
    fuzzy: dict[Name, float] = Field(default_factory=dict)
    """List entities whose fuzzy threshold is not the default (0 = exact matches only)."""

    @model_validator(mode="before")
    @classmethod
    def _split_entities(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("entities"), dict):
            return data
        entities: dict[str, Any] = {}
        regexes = dict(data.get("regexes") or {})
        fuzzy = dict(data.get("fuzzy") or {})
        for name, spec in data["entities"].items():
            if isinstance(spec, dict) and isinstance(spec.get("regex"), str):
                if len(spec) > 1:
                    raise ValueError(f"entity {name!r}: a regex entity takes only `regex`")
                regexes[name] = spec["regex"]
            elif isinstance(spec, dict) and _is_full_form(spec):
                entities[name] = spec["values"]
                if "fuzzy" in spec:
                    fuzzy[name] = _fuzzy_value(spec["fuzzy"])
            else:
                entities[name] = spec
        result = {**data, "entities": entities}
        if regexes:
            result["regexes"] = regexes
        if fuzzy:
            result["fuzzy"] = fuzzy
        return result

    @field_validator("entities", mode="before")
    @classmethod
    def _values(cls, value: Any) -> Any:
        """An entity may list bare values: ``size: [small, large]``."""
        if not isinstance(value, dict):
            return value
        result: dict[str, Any] = {}
        for name, values in value.items():
            if isinstance(values, list):
                values = {str(v): [] for v in values}
            elif isinstance(values, dict):
                values = {
                    str(k): [str(s) for s in v] if isinstance(v, list) else v or []
                    for k, v in values.items()
                }
            result[name] = values
        return result

    @field_validator("intents", mode="before")
    @classmethod
    def _utterances(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: [str(u) for u in (v or [])] if isinstance(v, list) else v
                for k, v in value.items()
            }
        return value

    @field_validator("regexes")
    @classmethod
    def _compiles(cls, value: dict[str, str]) -> dict[str, str]:
        for name, pattern in value.items():
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"entity {name!r}: bad regex {pattern!r}: {exc}") from None
        return value

    @field_validator("fuzzy")
    @classmethod
    def _between_0_and_1(cls, value: dict[str, float]) -> dict[str, float]:
        for name, threshold in value.items():
            if not 0.0 <= threshold <= 1.0:
                raise ValueError(f"entity {name!r}: fuzzy must be between 0 and 1 (or false)")
        return value

    @model_serializer(mode="wrap")
    def _fold_entities(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> dict[str, Any]:
        """Dump in the YAML shape: regex entities and options back under ``entities``."""
        data: dict[str, Any] = handler(self)
        entities: dict[str, Any] = dict(data.get("entities") or {})
        for name, threshold in (data.pop("fuzzy", None) or {}).items():
            entities[name] = {"values": entities.get(name, {}), "fuzzy": threshold}
        for name, pattern in (data.pop("regexes", None) or {}).items():
            entities[name] = {"regex": pattern}
        if entities:
            data["entities"] = entities
        return data

    def fuzziness(self, entity: str) -> float:
        """The fuzzy threshold of a list entity (0 = exact only)."""
        return self.fuzzy.get(entity, DEFAULT_FUZZY)


def _is_full_form(spec: dict[Any, Any]) -> bool:
    """``{values: ..., fuzzy: ...}``, told apart from a value named "values" with synonyms."""
    if "values" not in spec or not set(spec) <= {"values", "fuzzy"}:
        return False
    fuzzy = spec.get("fuzzy")
    return isinstance(spec["values"], dict) or (fuzzy is not None and not isinstance(fuzzy, list))


def _fuzzy_value(value: Any) -> Any:
    if value is False:
        return 0.0
    if value is True:
        return DEFAULT_FUZZY
    return value


def load_nlu_data(folder: Path, display: str) -> NLUData:
    """Read ``folder/nlu/intents.yml`` (no file = no intents); raises BotError with lines."""
    path = folder / "nlu" / "intents.yml"
    if not path.exists():
        return NLUData()
    file = f"{display}/nlu/intents.yml"
    raw = load_yaml(path, file)
    return validate(NLUData, raw or {}, file)


def load_nlu_languages(
    folder: Path, display: str, languages: list[str], first: NLUData
) -> tuple[dict[str, NLUData], list[Problem]]:
    """The NLU data of each language after the first (``nlu/intents.<lang>.yml``), and
    warnings: a language without data (when the first language has intents), a file for a
    language that ``bot.yml`` does not list. Raises BotError with lines for a bad file."""
    data: dict[str, NLUData] = {}
    warnings: list[Problem] = []
    errors: list[Problem] = []
    for language in languages[1:]:
        path = folder / "nlu" / f"intents.{language}.yml"
        file = f"{display}/nlu/intents.{language}.yml"
        if path.is_file():
            try:
                data[language] = validate(NLUData, load_yaml(path, file) or {}, file)
            except BotError as exc:
                errors += exc.problems
        elif first.intents:
            message = (
                f"language {language!r} has no nlu/intents.{language}.yml: its messages are "
                f"understood with the {languages[0]!r} model"
            )
            warnings.append(Problem(f"{display}/bot.yml", 0, message, "warning"))
    if errors:
        raise BotError(errors)
    for path in sorted((folder / "nlu").glob("intents.*.yml")):
        language = path.name.removeprefix("intents.").removesuffix(".yml")
        if language not in languages[1:]:
            why = (
                "the first language's intents are in nlu/intents.yml"
                if language == languages[0]
                else f"bot.yml does not list language {language!r}"
            )
            warnings.append(Problem(f"{display}/nlu/{path.name}", 0, f"not used: {why}", "warning"))
    return data, warnings
