"""Adding training examples to a bot's ``nlu/intents.yml`` without rewriting the file.

People comment their intents files; a YAML dump would drop every comment and reorder keys.
So new utterances are inserted as lines after each intent's last example (new intents go at
the end of ``intents:``), the result is read back and validated, and only then does it
replace the file. A file in a shape that cannot be edited line by line (flow-style lists,
``intents: {...}``) is rewritten whole, its previous text kept next to it as ``.bak``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from workbench.nlu._data import NLUData, load_nlu_data

__all__ = ["add_examples"]


def add_examples(folder: str | Path, additions: Mapping[str, Iterable[str]]) -> NLUData:
    """Add ``{intent: [utterances]}`` to ``folder/nlu/intents.yml``; returns the new data.

    Utterances already in the intent are skipped. Raises :class:`~workbench.BotError`
    (and leaves the file as it was) if the result would not load.
    """
    path = Path(folder) / "nlu" / "intents.yml"
    before = path.read_text() if path.exists() else ""
    current = load_nlu_data(Path(folder), str(folder))
    wanted = {
        intent: [t for t in dict.fromkeys(texts) if t not in current.intents.get(intent, [])]
        for intent, texts in additions.items()
    }
    wanted = {intent: texts for intent, texts in wanted.items() if texts}
    if not wanted:
        return current
    text = _inserted(before, wanted)
    if text is None:  # not editable line by line
        text = _rewritten(current, wanted)
        if before:
            path.with_name(path.name + ".bak").write_text(before)
    _replace(path, text)
    try:
        return load_nlu_data(Path(folder), str(folder))
    except Exception:
        _replace(path, before)
        raise


def _scalar(text: str) -> str:
    dumped = yaml.safe_dump(text, default_flow_style=True, allow_unicode=True, width=1 << 30)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def _inserted(text: str, wanted: Mapping[str, list[str]]) -> str | None:
    """``text`` with the new lines in place, or None when its layout is not block style."""
    if not text.strip():
        return None
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    intents = next(
        (v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "intents"),
        None,
    )
    if not isinstance(intents, yaml.MappingNode) or intents.flow_style or not intents.value:
        return None
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    inserts: dict[int, list[str]] = {}  # line index -> lines to add after it
    known = {k.value: v for k, v in intents.value if isinstance(k, yaml.ScalarNode)}
    for intent, texts in wanted.items():
        node = known.get(intent)
        if node is None:
            continue
        if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
            return None
        last = node.value[-1]
        dash = lines[last.start_mark.line].rfind("-", 0, last.start_mark.column)
        if dash < 0:
            return None
        after = _last_line(last)
        inserts.setdefault(after, []).extend(f"{' ' * dash}- {_scalar(t)}\n" for t in texts)
    new = [intent for intent in wanted if intent not in known]
    if new:
        key_column = intents.value[0][0].start_mark.column
        after = _last_line(intents.value[-1][1])
        block = inserts.setdefault(after, [])
        for intent in new:
            block.append(f"{' ' * key_column}{_scalar(intent)}:\n")
            block.extend(f"{' ' * (key_column + 2)}- {_scalar(t)}\n" for t in wanted[intent])
    out: list[str] = []
    for index, line in enumerate(lines):
        out.append(line)
        out.extend(inserts.get(index, []))
    return "".join(out)


def _last_line(node: yaml.Node) -> int:
    """The index of the last line a node's text is on (blank lines and comments after a
    block collection belong to what follows it)."""
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return _last_line(node.value[-1])
    if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
        return _last_line(node.value[-1][1])
    end = node.end_mark
    return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line


def _rewritten(current: NLUData, wanted: Mapping[str, list[str]]) -> str:
    data = current.model_dump(mode="json", exclude_defaults=True)
    intents = data.setdefault("intents", {})
    for intent, texts in wanted.items():
        intents.setdefault(intent, []).extend(texts)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _replace(path: Path, text: str) -> None:
    """Write through a temporary file, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".intents-", suffix=".yml")
    try:
        with os.fdopen(handle, "w") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
