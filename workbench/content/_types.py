"""Content types: a JSON Schema each (built in, or declared in the bot folder), the validation of
an element's fields against it, and the canonical form of the fields.

Validation is fastjsonschema's (draft 7): it compiles a schema into a Python function once, and
imports in ~15 ms, where ``jsonschema`` next to JupyterLab's optional format checkers takes
seconds to import (``rfc3987_syntax`` builds a grammar at import), too slow for a bot's load.

A bot folder declares a type as ``content/types/NAME.yml``: a JSON Schema of the fields (it may
use the built-in ``#/definitions/text_value`` for text in several languages, and ``x-ui``
hints), rendered by a ``@renderer("NAME")`` function of ``actions.py`` if there is one (see
:mod:`workbench.content._render`).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import fastjsonschema

from workbench.content._schemas import BUILTIN_TYPES, DEFINITIONS
from workbench.schema import ContentError

Validate = Callable[[Any], Any]
Renderer = Callable[..., Any]
"""``renderer(fields, language=...)`` -> a reply dict (``type``, ``text``, ...) or a Reply."""
TYPE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class ContentType:
    """A content type: its name, its schema (``x-ui`` hints included) and its renderer."""

    name: str
    schema: dict[str, Any]
    renderer: Renderer | None = None
    builtin: bool = False
    _validate: Validate | None = field(default=None, repr=False, compare=False)

    @property
    def title(self) -> str:
        return str(self.schema.get("title") or self.name)

    def check(self, fields: Mapping[str, Any]) -> None:
        """Raise :class:`ContentError` with ``.field`` (a path like ``choices[0].title``) and a
        plain-words reason if ``fields`` do not fit the schema."""
        value = dict(fields)
        try:
            self._validator()(value)
            return
        except fastjsonschema.JsonSchemaValueException:
            pass  # explained below, rule by rule
        problem = _explain(value, self.schema, self.schema, [])
        if problem is not None:
            parts, reason = problem
            path = _field_path(parts)
            message = f"field {path!r}: {reason}" if path else reason
            raise ContentError(message, field=path)

    def _validator(self) -> Validate:
        """The compiled validator of the whole schema, kept on the type: finding it by the
        schema's JSON text cost ~80 µs an element (0.8 s of a 10,000-element load)."""
        validate = self._validate
        if validate is None:
            validate = _compiled(json.dumps(self.schema, sort_keys=True, default=str))
            object.__setattr__(self, "_validate", validate)  # frozen: filled in once
        return validate

    def canonical(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """The fields in one shape whatever the shorthand used: ``text`` always a list of
        variations, each choice a ``{title, value}`` (a bare choice is both)."""
        out: dict[str, Any] = _plain(dict(fields))
        if self.name in ("text", "choice") and not isinstance(out.get("text"), list):
            out["text"] = [out["text"]]
        if self.name == "choice":
            out["choices"] = [_choice(item) for item in out["choices"]]
        return out


def _plain(value: Any) -> Any:
    """A copy of ``value`` of plain dicts and lists (YAML's line-keeping ones are subclasses)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _choice(item: Any) -> Any:
    if isinstance(item, dict):
        return item
    text = str(item)
    return {"title": text, "value": text}


_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a set of fields",
    "null": "empty",
}


def _explain(
    value: Any, schema: Mapping[str, Any], root: Mapping[str, Any], at: list[Any]
) -> tuple[list[Any], str] | None:
    """Where ``value`` breaks ``schema`` and why, in plain words (None if it fits).

    fastjsonschema names the rule that failed; for a ``oneOf`` (text or text per language, a
    choice as text or ``{title, value}``) it only says no branch fits, so the value is checked
    again against the branch of its own JSON type, which says what is wrong inside it.
    """
    resolved = _resolve(schema, root)
    full = {**resolved, "definitions": root.get("definitions", {})}
    try:
        _compiled(json.dumps(full, sort_keys=True, default=str))(value)
    except fastjsonschema.JsonSchemaValueException as exc:
        where = [int(p) if p.isdigit() else p for p in exc.path[1:]]
        return _reason(exc, root, [*at, *where])
    return None


def _reason(
    exc: fastjsonschema.JsonSchemaValueException, root: Mapping[str, Any], at: list[Any]
) -> tuple[list[Any], str]:
    rule, expected, value, definition = exc.rule, exc.rule_definition, exc.value, exc.definition
    if rule == "oneOf":
        for option in expected:
            branch = _resolve(option, root)
            if _json_type(value) in _types_of(branch, root):
                found = _explain(value, branch, root, at)
                if found is not None:
                    return found
        hint = (definition.get("x-ui") or {}).get("expects")
        kinds = sorted({_TYPE_WORDS.get(t, t) for o in expected for t in _types_of(o, root)})
        return at, f"must be {hint or ' or '.join(kinds)}"
    if rule == "required":
        missing = next((name for name in expected if name not in value), "?")
        return [*at, missing], "is required"
    if rule == "additionalProperties":
        known = definition.get("properties", {})
        unknown = next((name for name in value if name not in known), "?")
        return [*at, unknown], f"unknown field (known: {', '.join(known)})"
    if rule == "type":
        return at, f"must be {_TYPE_WORDS.get(str(expected), str(expected))}"
    if rule in ("minItems", "minLength", "minProperties"):
        return at, "must not be empty" if expected == 1 else f"needs at least {expected}"
    if rule == "propertyNames":
        return at, "per-language text is {language: text}, language codes like en, fr, pt-BR"
    return at, exc.message.removeprefix(exc.name or "").strip()


def _resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        return _resolve(
            root.get("definitions", {}).get(ref.removeprefix("#/definitions/"), {}), root
        )
    return schema


def _types_of(schema: Mapping[str, Any], root: Mapping[str, Any]) -> set[str]:
    schema = _resolve(schema, root)
    if "oneOf" in schema:
        return {t for option in schema["oneOf"] for t in _types_of(option, root)}
    kind = schema.get("type")
    return set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "null"


def _field_path(parts: list[Any]) -> str:
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


@functools.cache
def _compiled(schema_json: str) -> Validate:
    """The validator of a schema (by its JSON text: schemas are dicts), compiled once."""
    validate: Validate = fastjsonschema.compile(json.loads(schema_json))
    return validate


def builtin_types() -> dict[str, ContentType]:
    return {name: ContentType(name, schema, builtin=True) for name, schema in BUILTIN_TYPES.items()}


def custom_type(name: str, schema: Mapping[str, Any], renderer: Renderer | None) -> ContentType:
    """A type declared in a bot folder; raises :class:`ContentError` if its schema is not one.

    The built-in definitions (``text_value``, ``button``, ``card``, ...) are available to it
    under ``#/definitions/``.
    """
    if not TYPE_NAME.match(name):
        raise ContentError(f"bad content type name {name!r} (lower case letters, digits, _)")
    if name in BUILTIN_TYPES:
        raise ContentError(f"content type {name!r} is built in: choose another name")
    if not isinstance(schema, Mapping) or schema.get("type", "object") != "object":
        raise ContentError(f"content type {name!r}: the schema must describe an object")
    full = {"type": "object", **dict(schema)}
    full["definitions"] = {**DEFINITIONS, **dict(schema.get("definitions") or {})}
    try:
        validate = _compiled(json.dumps(full, sort_keys=True))
    except (fastjsonschema.JsonSchemaDefinitionException, TypeError, ValueError) as exc:
        raise ContentError(f"content type {name!r}: not a valid JSON Schema: {exc}") from None
    return ContentType(name, full, renderer, False, validate)


TYPES = builtin_types()
"""The built-in types by name."""
