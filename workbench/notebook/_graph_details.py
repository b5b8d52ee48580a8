"""The details panel of the flow graph: what a clicked node does, as HTML (every text escaped).

A node shows its kind, description and ``file:line``, its ``on_enter`` / ``on_receive``
instructions with the text of each message it says (from the content library), the flow it calls,
and its transitions in order with their conditions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from workbench.content import ContentLibrary
from workbench.flows import Flow, FlowSet, Instruction, Node, Transition
from workbench.notebook._graph_style import NODE_STYLES, legend_html
from workbench.schema import ContentError

__all__ = ["details_html", "placeholder_html"]

_BOX = "font-size:12px;line-height:1.45;color:#111827;padding:4px 8px"
_H = "font-size:14px;font-weight:600;margin:0 0 2px 0"
_SECTION = (
    "font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:#6b7280;margin:8px 0 2px"
)
_QUOTE = "margin:2px 0 2px 12px;padding:2px 6px;border-left:3px solid #d1d5db;white-space:pre-wrap"
_CHIP = (
    "display:inline-block;border:1px solid #1d4ed8;color:#1d4ed8;border-radius:9px;"
    "padding:0 6px;margin:1px 2px 1px 0;font-size:11px"
)
_MUTED = "color:#6b7280"
_MAX_ITEMS = 8  # variations or choices shown per message


def _badge(kind: str) -> str:
    style = NODE_STYLES.get(kind)
    if style is None:
        return ""
    return (
        f'<span style="background:{style.fill};border:1px solid {style.stroke};border-radius:4px;'
        f'padding:0 5px;font-size:11px;margin-left:6px">{escape(style.title)}</span>'
    )


def _code(text: object) -> str:
    return f"<code>{escape(str(text))}</code>"


def _value(value: Any) -> str:
    """An argument or variable value as written: templates show their source."""
    source = getattr(value, "source", None)
    if isinstance(source, str):
        return source
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return repr(value) if isinstance(value, str) else str(value)


def _fields(fields: Mapping[str, Any]) -> str:
    """A content element's fields: text variations quoted, choices and buttons as chips."""
    parts = []
    for key, value in fields.items():
        if value in ("", [], None):
            continue
        if key == "text" and isinstance(value, list):
            shown = value[:_MAX_ITEMS]
            label = f"one of {len(value)}:" if len(value) > 1 else ""
            if label:
                parts.append(f'<div style="{_MUTED}">{label}</div>')
            parts += [f'<div style="{_QUOTE}">{escape(str(v))}</div>' for v in shown]
        elif key in ("choices", "buttons") and isinstance(value, list):
            chips = "".join(
                f'<span style="{_CHIP}" title="{escape(str(item.get("value", "")), quote=True)}">'
                f"{escape(str(item.get('title', '')))}</span>"
                for item in value[:_MAX_ITEMS]
                if isinstance(item, dict)
            )
            parts.append(f'<div style="margin-left:12px">{chips}</div>')
        else:
            parts.append(f'<div style="margin-left:12px">{escape(key)}: {escape(str(value))}</div>')
    return "".join(parts)


def _say(ins: Instruction, content: ContentLibrary) -> str:
    if ins.inline is not None:
        kind = str(ins.inline.get("type", "text"))
        fields = {k: v for k, v in ins.inline.items() if k != "type"}
        if isinstance(fields.get("text"), str):
            fields["text"] = [fields["text"]]
        return f"<b>say</b> <span style='{_MUTED}'>(inline {escape(kind)})</span>{_fields(fields)}"
    try:
        element = content.get(ins.element_id)
    except ContentError:
        return f"<b>say</b> {_code(ins.element_id)} <span style='color:#dc2626'>(missing)</span>"
    return (
        f"<b>say</b> {_code(element.id)} <span style='{_MUTED}'>({escape(element.type)})</span>"
        f"{_fields(element.fields)}"
    )


def _instruction(ins: Instruction, content: ContentLibrary) -> str:
    if ins.kind == "say":
        return _say(ins, content)
    if ins.kind == "set":
        sets = ", ".join(f"{_code(a.name)} = {_code(_value(a.value))}" for a in ins.assignments)
        return f"<b>set</b> {sets}"
    args = ", ".join(f"{escape(k)}={_code(_value(v))}" for k, v in ins.args.items())
    return f"<b>do</b> {_code(ins.action)}" + (f" ({args})" if args else "")


def _instructions(title: str, items: Iterable[Instruction], content: ContentLibrary) -> str:
    rows = [f'<li style="margin:2px 0">{_instruction(i, content)}</li>' for i in items]
    body = f'<ol style="margin:0;padding-left:20px">{"".join(rows)}</ol>' if rows else ""
    return f'<div style="{_SECTION}">{title}</div>' + (
        body or f'<div style="{_MUTED}">nothing</div>'
    )


def _transitions(title: str, transitions: Iterable[Transition]) -> str:
    rows = []
    for i, t in enumerate(transitions):
        when = _code(t.source) if t.source else f"<i>{'else' if i else 'always'}</i>"
        rows.append(
            f"<tr><td style='padding:1px 6px 1px 0'>{when}</td><td>→ {_code(t.target)}</td></tr>"
        )
    if not rows:
        return f'<div style="{_SECTION}">{title}</div><div style="{_MUTED}">none: waits here</div>'
    table = f'<table style="border-collapse:collapse">{"".join(rows)}</table>'
    return f'<div style="{_SECTION}">{title}</div>{table}'


def _where(file: str, line: int) -> str:
    if not file:
        return ""
    return f'<div style="{_MUTED};font-size:11px">{escape(file)}{f":{line}" if line else ""}</div>'


def _node(flow: Flow, node: Node, content: ContentLibrary) -> str:
    parts = [
        f'<div style="{_H}">{escape(node.name)}{_badge(node.kind)}</div>',
        f'<div style="{_MUTED}">flow {_code(flow.name)}'
        + (" · start node" if node.name == flow.start else "")
        + "</div>",
        _where(flow.file, node.line),
    ]
    if node.description:
        parts.append(f"<div style='margin-top:4px'>{escape(node.description)}</div>")
    parts.append(_instructions("on enter", node.on_enter, content))
    if node.on_receive is not None:
        parts.append(_instructions("on receive (waits for the user)", node.on_receive, content))
    if node.call is not None:
        parts.append(
            f'<div style="{_SECTION}">calls</div><div>flow {_code(node.call)}, then:</div>'
        )
    parts.append(_transitions("next", node.next))
    if node.timeout is not None:
        parts.append(f'<div style="{_SECTION}">on timeout</div><div>→ {_code(node.timeout)}</div>')
    return "".join(parts)


def _flow(flow: Flow, heading: str = "") -> str:
    parts = [
        f'<div style="{_H}">{escape(heading or flow.name)}{_badge("flow")}</div>',
        _where(flow.file, 0),
    ]
    if flow.description:
        parts.append(f"<div style='margin-top:4px'>{escape(flow.description)}</div>")
    parts.append(
        f"<div>starts at {_code(flow.start)} · {len(flow.nodes)} node"
        f"{'s' if len(flow.nodes) != 1 else ''}</div>"
    )
    if flow.catch_all:
        parts.append(_transitions("catch-all (checked on every message)", flow.catch_all))
    if flow.timeout is not None:
        parts.append(f'<div style="{_SECTION}">on timeout</div><div>→ {_code(flow.timeout)}</div>')
    return "".join(parts)


_PSEUDO_TEXT = {
    "end": "The conversation's session ends here (user and bot variables stay).",
    "return": "Back to the node that called this flow, which then evaluates its own next.",
    "timeout": "Where the flow goes when the conversation times out.",
}


def details_html(flows: FlowSet, content: ContentLibrary, data: Mapping[str, Any]) -> str:
    """The panel's HTML for a clicked element's ``data`` (as ``graph_elements`` made it)."""
    kind = str(data.get("kind", ""))
    flow = flows.flows.get(str(data.get("flow", "")))
    if flow is None:
        return placeholder_html(f"{data.get('id', '?')} is no longer in the bot.")
    name = str(data.get("node", ""))
    if kind == "flow":
        body = _flow(flow)
    elif kind == "flow_ref":
        body = f'<div style="{_MUTED}">in another flow: node {_code(name)} of</div>' + _flow(flow)
    elif kind == "catch_all":
        body = f'<div style="{_H}">catch-all{_badge(kind)}</div>' + _transitions(
            f"checked on every message in {flow.name} and the flows it calls", flow.catch_all
        )
    elif kind in _PSEUDO_TEXT:
        body = f'<div style="{_H}">{escape(str(data.get("label", kind)))}{_badge(kind)}</div>'
        body += f"<div>{_PSEUDO_TEXT[kind]}</div>"
    elif name in flow.nodes:
        body = _node(flow, flow.nodes[name], content)
    else:
        return placeholder_html(f"{data.get('id', '?')} is no longer in the bot.")
    return f'<div style="{_BOX}">{body}</div>'


def placeholder_html(message: str = "Click a node to see its instructions and content.") -> str:
    note = f'<div style="{_MUTED};margin-bottom:6px">{escape(message)}</div>'
    return f'<div style="{_BOX}">{note}{legend_html()}</div>'
