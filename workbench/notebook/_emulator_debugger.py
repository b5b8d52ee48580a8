"""HTML of the emulator's debugger for one turn: NLU, the path taken, state diffs, errors."""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

from workbench.notebook._emulator_record import Turn

ADDED, CHANGED, REMOVED = "#2e7d32", "#ef6c00", "#c62828"
_MISSING = object()
_H = "margin:8px 0 2px 0;font-size:12px;font-weight:600;color:#37474f"
_CELL = "padding:1px 6px;border-bottom:1px solid #eceff1;vertical-align:top"
_MONO = "font-family:var(--jp-code-font-family, monospace);font-size:12px"


def show(value: Any, limit: int = 80) -> str:
    """A short, escaped JSON rendering of a value."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return escape(text)


def _heading(text: str) -> str:
    return f"<div style='{_H}'>{escape(text)}</div>"


def _table(rows: list[str]) -> str:
    return f"<table style='border-collapse:collapse;{_MONO}'>{''.join(rows)}</table>"


# --- NLU ---------------------------------------------------------------------------------
def _bar(score: float, top: bool) -> str:
    width = max(0, min(100, round(score * 100)))
    colour = "#1976d2" if top else "#90a4ae"
    return (
        "<div style='display:inline-block;width:120px;height:9px;background:#eceff1;"
        f"border-radius:3px'><div style='width:{width}%;height:9px;background:{colour};"
        "border-radius:3px'></div></div>"
    )


def _marked(text: str, entities: list[dict[str, Any]]) -> str:
    """The message with each entity span highlighted (spans that overlap are skipped)."""
    out, at = [], 0
    for ent in sorted(entities, key=lambda e: int(e.get("start", 0))):
        start, end = int(ent.get("start", 0)), int(ent.get("end", 0))
        if start < at or end > len(text) or end <= start:
            continue
        out.append(escape(text[at:start]))
        title = escape(f"{ent.get('type')} = {ent.get('value')}", quote=True)
        out.append(f"<mark title='{title}'>{escape(text[start:end])}</mark>")
        at = end
    out.append(escape(text[at:]))
    return "".join(out)


def nlu_html(nlu: Mapping[str, Any], text: str, top: int = 5) -> str:
    intent = str(nlu.get("intent", "none"))
    rows = [
        f"<tr><td style='{_CELL}'>intent</td><td style='{_CELL}'><b>{escape(intent)}</b> "
        f"({float(nlu.get('confidence') or 0):.2f})</td></tr>"
    ]
    for name, score in list(nlu.get("intents") or [])[:top]:
        rows.append(
            f"<tr><td style='{_CELL}'>{escape(str(name))}</td><td style='{_CELL}'>"
            f"{_bar(float(score), str(name) == intent)} {float(score):.2f}</td></tr>"
        )
    entities = list(nlu.get("entities") or [])
    for ent in entities:
        span = f"[{ent.get('start')}:{ent.get('end')}]"
        rows.append(
            f"<tr><td style='{_CELL}'>entity {escape(str(ent.get('type')))}</td>"
            f"<td style='{_CELL}'>{show(ent.get('value'))} ← {show(ent.get('text'))} "
            f"<span style='color:#78909c'>{span}</span></td></tr>"
        )
    marked = f"<div style='{_MONO};margin:2px 0'>“{_marked(text, entities)}”</div>" if text else ""
    return _heading("NLU") + marked + _table(rows)


# --- the path ----------------------------------------------------------------------------
def _condition(step: Mapping[str, Any]) -> str:
    when = str(step.get("when") or "")
    holds = bool(step.get("value"))
    colour, mark = (ADDED, "✓ true") if holds else ("#9e9e9e", "✗ false")
    cond = escape(when) if when else "<i>(always)</i>"
    return (
        f"<span style='color:{colour}'>{mark}</span> when <code>{cond}</code> "
        f"→ {escape(str(step.get('to')))}"
    )


def step_html(step: Mapping[str, Any]) -> str:
    """One trace step as a line of the path."""
    kind = str(step.get("kind"))
    node = escape(str(step.get("node", "")))
    if kind == "enter":
        return f"<b>▶ {node}</b>"
    if kind == "condition":
        return f"&nbsp;&nbsp;{node}: {_condition(step)}"
    if kind == "say":
        element = escape(str(step.get("element") or "inline"))
        return f"&nbsp;&nbsp;say {element}: {show(step.get('text'))}"
    if kind == "set":
        return f"&nbsp;&nbsp;set {escape(str(step.get('name')))} = {show(step.get('value'))}"
    if kind == "action":
        name = escape(str(step.get("name")))
        return (
            f"&nbsp;&nbsp;do {name}({show(step.get('args') or {})}) "
            f"→ {show(step.get('result') or {})}"
        )
    if kind == "call":
        return f"&nbsp;&nbsp;call flow {escape(str(step.get('flow')))}"
    if kind == "return":
        return f"↩ return from {escape(str(step.get('from')))} to {escape(str(step.get('to')))}"
    if kind == "catch_all":
        flow, to = escape(str(step.get("flow"))), escape(str(step.get("to")))
        return f"<span style='color:{CHANGED}'>⚑ catch_all of {flow} → {to}</span>"
    if kind == "timeout":
        return f"<span style='color:{CHANGED}'>timeout at {node} → {show(step.get('to'))}</span>"
    if kind == "wait":
        return f"‖ waits at {node}"
    if kind == "end":
        return "■ END (session ended)"
    if kind == "session_start":
        return f"★ new session (flows version {escape(str(step.get('version')))})"
    return escape(f"{kind}: {dict(step)}")


def path_html(trace: Mapping[str, Any]) -> str:
    steps = list(trace.get("steps") or [])
    before = escape(str(trace.get("node_before") or "(no session)"))
    lines = [f"from {before}"] + [step_html(s) for s in steps]
    if not steps and trace.get("error"):
        lines.append("<i>(the turn was rolled back: no steps recorded)</i>")
    body = "".join(f"<div>{line}</div>" for line in lines)
    return _heading("Path") + f"<div style='{_MONO}'>{body}</div>"


# --- state diffs -------------------------------------------------------------------------
def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[tuple[str, str, Any, Any]]:
    """``(change, key, old, new)`` per added / changed / removed key, sorted by key."""
    changes: list[tuple[str, str, Any, Any]] = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key, _MISSING), after.get(key, _MISSING)
        if old is _MISSING:
            changes.append(("added", key, None, new))
        elif new is _MISSING:
            changes.append(("removed", key, old, None))
        elif old != new:
            changes.append(("changed", key, old, new))
    return changes


def _diff_row(scope: str, change: tuple[str, str, Any, Any]) -> str:
    kind, key, old, new = change
    name = escape(f"{scope}.{key}" if scope != "state" else key)
    if kind == "added":
        body = f"<span style='color:{ADDED}'>+ {name}: {show(new)}</span>"
    elif kind == "removed":
        body = f"<span style='color:{REMOVED}'>- <s>{name}: {show(old)}</s></span>"
    else:
        body = f"<span style='color:{CHANGED}'>~ {name}: {show(old)} → {show(new)}</span>"
    return f"<div class='wb-{kind}'>{body}</div>"


def changes_html(trace: Mapping[str, Any]) -> str:
    parts = []
    for scope in ("state", "user", "bot"):
        before = trace.get(f"{scope}_before") or {}
        after = trace.get(f"{scope}_after") or {}
        rows = [_diff_row(scope, c) for c in diff(before, after)]
        label = f"<span style='color:#78909c'>{scope}</span>"
        parts.append(f"<div>{label} " + ("".join(rows) or "<i>no change</i>") + "</div>")
    return _heading("Changes (before → after)") + f"<div style='{_MONO}'>{''.join(parts)}</div>"


# --- a whole turn ------------------------------------------------------------------------
def error_html(message: str) -> str:
    return (
        f"<div class='wb-turn-error' style='color:{REMOVED};background:#ffebee;"
        f"border:1px solid #e57373;border-radius:4px;padding:4px 8px;margin:4px 0'>"
        f"<b>turn error</b>: {escape(message)}</div>"
    )


def turn_label(turn: Turn) -> str:
    """The turn's line in the debugger's list of turns."""
    said = turn.user if turn.kind == "timeout" else repr(turn.shown)
    if len(said) > 30:
        said = said[:29] + "…"
    where = turn.node or ("END" if turn.ended else "-")
    flag = "⚠ " if turn.error else ""
    return f"{flag}#{turn.number} {said} → {where}"


def turn_html(turn: Turn) -> str:
    trace = turn.trace
    head = (
        f"<div style='font-size:12px;color:#546e7a'>turn {turn.number} · {escape(turn.kind)} · "
        f"user {escape(turn.user_id)}"
        + (f" · language {escape(turn.language)}" if turn.language else "")
        + "</div>"
    )
    error = error_html(turn.error) if turn.error else ""
    nlu = nlu_html(trace.get("nlu") or {}, turn.user) if turn.kind != "timeout" else ""
    return head + error + nlu + path_html(trace) + changes_html(trace)


def empty_html() -> str:
    return "<div style='color:#757575;font-size:12px'><i>No turns yet.</i></div>"
