"""Edits of a bot source: each returns a new source (compiled whole by the Bot)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.config import parse_yaml, validate
from workbench.content import ContentLibrary, make_element
from workbench.nlu import NLUData
from workbench.runtime._actions import ActionFn
from workbench.runtime._source import BotSource
from workbench.schema import BotError


def with_flow(
    source: BotSource,
    name: str,
    flow: str | Mapping[str, Any],
    first_line: int = 1,
    file: str | None = None,
) -> BotSource:
    """The source with flow ``name`` added or replaced (YAML text keeps its line numbers)."""
    where = file or f"<flow {name}>"
    data = parse_yaml(flow, where, first_line=first_line) if isinstance(flow, str) else dict(flow)
    if data is None:
        raise BotError(f"flow {name!r} is empty", where, first_line)
    return source.but(flows={**source.flows, name: (data, where)})


def without_flow(source: BotSource, name: str) -> BotSource:
    if name not in source.flows:
        raise BotError(f"no flow named {name!r}")
    return source.but(flows={k: v for k, v in source.flows.items() if k != name})


def with_content(source: BotSource, element_id: str, element: str | Mapping[str, Any]) -> BotSource:
    """The source with one content element added or replaced; ContentError if invalid."""
    data = {"text": element} if isinstance(element, str) else dict(element)
    types = source.content.types
    new = make_element(element_id, data, types=types, file="content/messages.yml")
    elements = {e.id: e for e in source.content}
    elements[element_id] = new
    return source.but(content=ContentLibrary(elements, types))


def without_content(source: BotSource, element_id: str) -> BotSource:
    if element_id not in source.content:
        raise BotError(f"no content element named {element_id!r}")
    kept = {e.id: e for e in source.content if e.id != element_id}
    return source.but(content=ContentLibrary(kept, source.content.types))


def with_nlu(
    source: BotSource,
    intents: Mapping[str, list[str]] | NLUData,
    entities: Mapping[str, Any] | None,
    language: str | None = None,
) -> BotSource:
    """The NLU data of ``language`` (default: the first) replaced."""
    if isinstance(intents, NLUData):
        nlu = intents
    else:
        data = {"intents": dict(intents), "entities": dict(entities or {})}
        nlu = validate(NLUData, data, "<intents>")
    languages = source.settings.languages
    if language is None or language == languages[0]:
        return source.but(nlu=nlu)
    if language not in languages:
        raise BotError(f"the bot has no language {language!r} (bot.yml languages: {languages})")
    return source.but(nlu_languages={**source.nlu_languages, language: nlu})


def with_action(source: BotSource, fn: ActionFn, name: str | None) -> BotSource:
    action_name = name or str(getattr(fn, "__name__", ""))
    if not action_name.isidentifier():
        raise BotError(f"bad action name {action_name!r}")
    added = (*[a for a in source.added_actions if a != action_name], action_name)
    return source.but(actions={**source.actions, action_name: fn}, added_actions=added)
