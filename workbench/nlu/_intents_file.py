"""Adding training examples to a bot's ``nlu/intents.yml`` without rewriting the file.

People comment their intents files; a YAML dump would drop every comment and reorder keys.
So new utterances are inserted as lines after each intent's last example (new intents go at
the end of ``intents:``), the result is read back and validated, and only then does it
replace the file. A file in a shape that cannot be edited line by line (flow-style lists,
``intents: {...}``) is rewritten whole, its previous text kept next to it as ``.bak``.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from workbench.nlu._data import NLUData, load_nlu_data
from workbench.nlu._review import with_examples
from workbench.schema import BotError, Problem

__all__ = ["add_examples"]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""The loader bot folders are read with (libyaml accepts a few things PyYAML rejects)."""


def add_examples(folder: str | Path, additions: Mapping[str, Iterable[str]]) -> NLUData:
    """Add ``{intent: [utterances]}`` to ``folder/nlu/intents.yml``; returns the new data.

    Utterances already in the intent are skipped. Raises :class:`~workbench.BotError`
    (and leaves the file byte for byte as it was) if the result would not load, or would not
    hold exactly the examples asked for.
    """
    path = (Path(folder) / "nlu" / "intents.yml").resolve()  # edit a symlink's target
    original = path.read_bytes() if path.exists() else b""
    current = load_nlu_data(Path(folder), str(folder))
    wanted = {
        intent: [t for t in dict.fromkeys(texts) if t not in current.intents.get(intent, [])]
        for intent, texts in additions.items()
    }
    wanted = {intent: texts for intent, texts in wanted.items() if texts}
    if not wanted:
        return current
    before = original.decode("utf-8")
    newline = "\r\n" if "\r\n" in before else "\n"
    text = _inserted(before.replace("\r\n", "\n"), wanted)
    if text is None:  # not editable line by line
        text = _rewritten(current, wanted)
        if original:
            _backup(path, original)
    _replace(path, text.replace("\n", newline).encode("utf-8"))
    try:
        data = load_nlu_data(Path(folder), str(folder))
        expected = with_examples(current, wanted)
        if data.intents != expected.intents:
            raise BotError(
                [Problem(str(path), 1, "adding examples would change other intents; not added")]
            )
    except Exception:
        if original:
            _replace(path, original)
        else:
            path.unlink(missing_ok=True)
        raise
    return data


def _backup(path: Path, original: bytes) -> None:
    """Keep the text before a whole-file rewrite, never overwriting an earlier backup."""
    backup, n = path.with_name(path.name + ".bak"), 1
    while backup.exists():
        backup, n = path.with_name(f"{path.name}.bak{n}"), n + 1
    backup.write_bytes(original)


def _scalar(text: str) -> str:
    """One line of YAML for ``text`` (plain when that reads back the same, else quoted)."""
    dumped = yaml.safe_dump(text, default_flow_style=True, allow_unicode=True, width=1 << 30)
    dumped = dumped.removesuffix("\n...\n").removesuffix("\n")
    if "\n" in dumped:  # a multi-line scalar: keep it on the item's line
        dumped = json.dumps(text, ensure_ascii=False)
    return dumped


def _inserted(text: str, wanted: Mapping[str, list[str]]) -> str | None:
    """``text`` with the new lines in place, or None when its layout is not block style."""
    if not text.strip() or _has_aliases(text):
        return None
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        return None
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


def _has_aliases(text: str) -> bool:
    """Anchors and aliases share one node between places: a line added "after the last item"
    could land in another intent, so such files are rewritten whole instead."""
    try:
        return any(
            isinstance(token, (yaml.AnchorToken, yaml.AliasToken))
            for token in yaml.scan(text, Loader=_LOADER)
        )
    except yaml.YAMLError:
        return True


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


def _replace(path: Path, content: bytes) -> None:
    """Write through a temporary file (a crash never leaves half a file), keeping the file's
    permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():  # a new file: the usual permissions
        path.write_bytes(content)
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".intents-", suffix=".yml")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
