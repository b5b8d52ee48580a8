"""HTML of the emulator's debugger for one turn: NLU, the path taken, state diffs, errors."""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

from workbench.engine import (
    ActionCalled,
    ActionReturned,
    CatchAllTaken,
    ConditionChecked,
    FlowCalled,
    FlowReturned,
    NodeEntered,
    SessionEnded,
    SessionStarted,
    TimeoutTaken,
    VariableSet,
    Waiting,
)
from workbench.notebook._emulator_record import Turn
from workbench.runtime import ReplySent, Step, TurnTrace

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
def _condition(step: ConditionChecked) -> str:
    colour, mark = (ADDED, "✓ true") if step.value else ("#9e9e9e", "✗ false")
    cond = f"<code>{escape(step.when)}</code>" if step.when else "<i>(always)</i>"
    return f"<span style='color:{colour}'>{mark}</span> when {cond} → {escape(step.to)}"


_PAD = "&nbsp;&nbsp;"


def step_html(step: Step) -> str:
    """One trace step as a line of the path."""
    if isinstance(step, NodeEntered):
        return f"<b>▶ {escape(step.node)}</b>"
    if isinstance(step, ConditionChecked):
        return f"{_PAD}{escape(step.node)}: {_condition(step)}"
    if isinstance(step, ReplySent):
        return f"{_PAD}say {escape(step.element or 'inline')}: {show(step.reply.text)}"
    if isinstance(step, VariableSet):
        return f"{_PAD}set {escape(step.name)} = {show(step.value)}"
    if isinstance(step, ActionCalled):
        return f"{_PAD}do {escape(step.action)}({show(step.args)})"
    if isinstance(step, ActionReturned):
        return f"{_PAD}{escape(step.action)} → {show(step.result)}"
    if isinstance(step, FlowCalled):
        return f"{_PAD}call flow {escape(step.flow)}"
    if isinstance(step, FlowReturned):
        return f"↩ return from {escape(step.flow)} to {escape(step.to)}"
    if isinstance(step, CatchAllTaken):
        flow, to = escape(step.flow), escape(step.to)
        return f"<span style='color:{CHANGED}'>⚑ catch_all of {flow} → {to}</span>"
    if isinstance(step, TimeoutTaken):
        return (
            f"<span style='color:{CHANGED}'>timeout at {escape(step.node)} → {show(step.to)}</span>"
        )
    if isinstance(step, Waiting):
        return f"‖ waits at {escape(step.node)}"
    if isinstance(step, SessionEnded):
        return "■ END (session ended)"
    if isinstance(step, SessionStarted):
        return f"★ new session (flows version {escape(step.version)})"
    where = f" at {escape(step.node)}" if step.node else ""
    return (
        f"<span class='wb-failed' style='color:{REMOVED}'>✖ failed{where}: "
        f"{escape(step.message)}</span>"
    )


def _lines(steps: tuple[Step, ...]) -> list[str]:
    """One line per step; an action's call and what it returned share one."""
    lines: list[str] = []
    for i, step in enumerate(steps):
        if isinstance(step, ActionReturned) and i and isinstance(steps[i - 1], ActionCalled):
            lines[-1] += f" → {show(step.result)}"
        else:
            lines.append(step_html(step))
    return lines


def path_html(trace: TurnTrace) -> str:
    before = escape(trace.node_before or "(no session)")
    lines = [f"from {before}", *_lines(trace.steps)]
    if trace.error:
        lines.append("<i>(the turn was rolled back: nothing above was kept)</i>")
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


def changes_html(trace: TurnTrace) -> str:
    parts = []
    scopes = (
        ("state", trace.state_before, trace.state_after),
        ("user", trace.user_before, trace.user_after),
        ("bot", trace.bot_before, trace.bot_after),
    )
    for scope, before, after in scopes:
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
    nlu = nlu_html(trace.nlu.as_trace(), turn.user) if trace.nlu is not None else ""
    return head + error + nlu + path_html(trace) + changes_html(trace)


def empty_html() -> str:
    return "<div style='color:#757575;font-size:12px'><i>No turns yet.</i></div>"
