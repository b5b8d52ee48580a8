"""Writing a bot source as a folder that loads back identically."""

from __future__ import annotations

import importlib
import inspect
import textwrap
from pathlib import Path
from typing import Any

from workbench.content import Element
from workbench.flows import FLOW_SUFFIX, FlowSpec
from workbench.runtime._source import BotSource

_HEADER = (
    '"""Actions of {name}."""\n\nfrom __future__ import annotations\n\n'
    "import workbench as wb\nfrom workbench import ActionContext, action\n"
)


def _dump(data: Any) -> str:
    yaml: Any = importlib.import_module("yaml")  # only saving needs PyYAML, not the import
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return text


def _element_data(element: Element) -> dict[str, Any]:
    fields = dict(element.fields)
    if element.type == "text" and len(fields.get("text", [])) == 1:
        fields["text"] = fields["text"][0]
    return fields if element.type == "text" else {"type": element.type, **fields}


def _action_code(source: BotSource) -> str:
    """``actions.py``: the file the bot came with, plus the functions added from Python."""
    parts = [source.actions_code or _HEADER.format(name=source.settings.name)]
    for name in source.added_actions:
        body = textwrap.dedent(inspect.getsource(source.actions[name]))
        lines = body.splitlines()
        while lines and lines[0].lstrip().startswith("@"):
            lines.pop(0)  # the notebook's own decorator (e.g. @bot.add_action)
        parts.append(f'\n\n@action("{name}")\n' + "\n".join(lines) + "\n")
    return "".join(parts)


def write_tests(tests: dict[str, str | Path], folder: Path) -> None:
    """Write conversation tests (``.convo.yml`` text or files) as ``tests/NAME.convo.yml``."""
    for name, test in tests.items():
        target = folder / "tests" / f"{name}.convo.yml"
        if isinstance(test, Path) and test.resolve() == target.resolve():
            continue  # already there
        text = test.read_text(encoding="utf-8") if isinstance(test, Path) else test
        target.parent.mkdir(exist_ok=True)
        target.write_text(text, encoding="utf-8")


def write_folder(source: BotSource, folder: Path) -> Path:
    """Write bot.yml, flows, content, NLU data and actions; stale flow files are removed."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = source.settings.model_dump(mode="json", exclude_defaults=True)
    (folder / "bot.yml").write_text(_dump({"name": source.settings.name, **settings}))
    flows = folder / "flows"
    flows.mkdir(exist_ok=True)
    for stale in flows.glob(f"*{FLOW_SUFFIX}"):
        if stale.name[: -len(FLOW_SUFFIX)] not in source.flows:
            stale.unlink()
    for name, (data, _) in source.flows.items():
        plain = FlowSpec.model_validate(data).model_dump(mode="json", exclude_defaults=True)
        (flows / f"{name}{FLOW_SUFFIX}").write_text(_dump(plain))
    by_file: dict[str, dict[str, Any]] = {}
    for element in source.content:
        file = Path(element.file).name if element.file else "messages.yml"
        by_file.setdefault(file, {})[element.id] = _element_data(element)
    if by_file:
        (folder / "content").mkdir(exist_ok=True)
    for file, elements in by_file.items():
        (folder / "content" / file).write_text(_dump(elements))
    nlu = source.nlu.model_dump(mode="json", exclude_defaults=True)
    if nlu:
        (folder / "nlu").mkdir(exist_ok=True)
        (folder / "nlu" / "intents.yml").write_text(_dump(nlu))
    for language, data in source.nlu_languages.items():
        (folder / "nlu").mkdir(exist_ok=True)
        dumped = data.model_dump(mode="json", exclude_defaults=True)
        (folder / "nlu" / f"intents.{language}.yml").write_text(_dump(dumped))
    if source.actions_code is not None or source.added_actions:
        (folder / "actions.py").write_text(_action_code(source))
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text(".workbench/\n")
    return folder
