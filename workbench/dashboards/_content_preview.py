"""The live preview of a message as users see it: on the web chat (bubbles, quick-reply buttons,
images, cards, carousels) and on a plain-text channel (SMS, a terminal), in the language picked,
with sample values for the variables its templates use.

Every text is escaped, and addresses that are not http(s) are never put in ``src``/``href``.
A template that fails with the sample values is a sentence in the preview, never a traceback.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

import ipywidgets as widgets
import yaml

from workbench.content import Element, for_channel
from workbench.dashboards._form_fields import language_name
from workbench.dashboards._ui import log, message_html
from workbench.notebook._emulator_render import reply_html
from workbench.schema import TEXT, WEB, Reply, WorkbenchError

__all__ = ["Preview", "SampleValues", "template_variables", "text_html", "web_html"]

_BUBBLE = (
    "align-self:flex-start;background:#eceff1;color:#212121;border-radius:12px 12px 12px 2px;"
    "padding:6px 10px;margin:3px 0;max-width:90%;white-space:pre-wrap;word-wrap:break-word"
)
_CARD = (
    "flex:0 0 180px;background:#fff;border:1px solid #cfd8dc;border-radius:8px;padding:6px;"
    "white-space:pre-wrap;word-wrap:break-word"
)
_SCREEN = (
    "display:flex;flex-direction:column;border:1px solid #cfd8dc;border-radius:8px;"
    "padding:8px;background:#fafafa;font-family:var(--jp-ui-font-family, sans-serif);"
    "font-size:13px;min-height:48px"
)
_TERMINAL = (
    "background:#263238;color:#eceff1;border-radius:6px;padding:8px 10px;margin:3px 0;"
    "white-space:pre-wrap;word-wrap:break-word;font-family:monospace;font-size:12px"
)
_VARIABLE = re.compile(r"\b(state|user|bot|entities)\.([A-Za-z_][A-Za-z0-9_]*)")


class _Pick(random.Random):
    """Picks the ``index``-th variation (the preview shows every one of them)."""

    def __init__(self, index: int) -> None:
        super().__init__(0)
        self.index = index

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        count = start if stop is None else stop
        return min(self.index, count - 1)


def variations(element: Element) -> int:
    text = element.fields.get("text") if element.type in ("text", "choice") else None
    return len(text) if isinstance(text, list) and text else 1


def render_all(
    element: Element, names: Mapping[str, Any], language: str, default: str
) -> list[Reply]:
    """The reply of each variation of ``element`` (raises what rendering raises)."""
    return [
        element.render(names, _Pick(index), language, default)
        for index in range(variations(element))
    ]


def _carousel(reply: Reply) -> str:
    cards = "".join(
        f"<div class='wb-card' style='{_CARD}'>{reply_html(Reply('card', extra=card))}</div>"
        for card in reply.extra.get("cards", ())
    )
    intro = f"<div style='{_BUBBLE}'>{escape(reply.text)}</div>" if reply.text else ""
    return f"{intro}<div style='display:flex;gap:6px;overflow-x:auto;padding:3px 0'>{cards}</div>"


def _other(reply: Reply) -> str:
    """A bot's own type: its text, and its fields as they are sent."""
    rows = "".join(
        f"<div style='font-size:11px;color:#546e7a'>{escape(str(k))}: {escape(str(v))}</div>"
        for k, v in reply.extra.items()
    )
    return f"<div style='{_BUBBLE}'>{escape(reply.text)}{rows}</div>"


def web_html(reply: Reply) -> str:
    """One reply as the web chat shows it."""
    shaped = for_channel(reply, WEB)
    kind = escape(shaped.type, quote=True)
    if shaped.type == "carousel":
        inner = _carousel(shaped)
    elif shaped.type in ("text", "choice", "image", "card"):
        inner = f"<div style='{_BUBBLE}'>{reply_html(shaped)}</div>"
    else:
        inner = _other(shaped)
    return (
        f"<div class='wb-reply wb-{kind}' style='display:flex;flex-direction:column'>{inner}</div>"
    )


def text_html(reply: Reply) -> str:
    """One reply as a plain-text channel shows it."""
    return (
        f"<div class='wb-reply' style='{_TERMINAL}'>{escape(for_channel(reply, TEXT).text)}</div>"
    )


def template_variables(sources: Iterable[str]) -> list[str]:
    """The variables the templates read (``state.size``, ``user.orders``), in order of use."""
    found: dict[str, None] = {}
    for source in sources:
        if "{" in source:
            for scope, name in _VARIABLE.findall(source):
                found.setdefault(f"{scope}.{name}")
    return list(found)


def sample_value(text: str) -> Any:
    """A sample value as typed: lists (``[ham, olives]``), whole numbers and true/false are
    read as such; anything else (``15.00`` included) stays text, shown as typed."""
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    return text if value is None or isinstance(value, float | str) else value


class SampleValues:
    """Inputs for the variables the message's templates use; values typed are remembered
    for every message of the session."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.inputs: dict[str, widgets.Text] = {}
        self.rows = widgets.VBox([])
        self.widget = widgets.VBox(
            [
                widgets.HTML(
                    "<div style='font-weight:600;margin-top:8px'>Sample values</div>"
                    "<div style='color:#607d8b;font-size:12px'>This message uses these values "
                    "of the conversation. Try some to see how it reads. Lists: [ham, olives]"
                    "</div>"
                ),
                self.rows,
            ],
            layout=widgets.Layout(display="none"),
        )
        self.widget.add_class("wb-samples")
        self.listeners: list[Any] = []

    def use(self, variables: list[str]) -> None:
        """Show inputs for ``variables`` (an input already shown keeps its box)."""
        if list(self.inputs) == variables:
            return
        for name in variables:
            if name not in self.inputs:
                box = widgets.Text(
                    value=self.values.get(name, ""),
                    placeholder="(not set)",
                    description=name,
                    style={"description_width": "120px"},
                    layout=widgets.Layout(width="98%"),
                )
                box.observe(lambda change, n=name: self._typed(n, change["new"]), names="value")
                self.inputs[name] = box
        self.inputs = {name: self.inputs[name] for name in variables}
        self.rows.children = list(self.inputs.values())
        self.widget.layout.display = "" if variables else "none"

    def _typed(self, name: str, text: str) -> None:
        self.values[name] = text
        for listener in list(self.listeners):
            listener()

    def names(self) -> dict[str, Any]:
        """What templates see: ``state``, ``user``, ``bot``, ``entities`` with the samples."""
        scopes: dict[str, dict[str, Any]] = {"state": {}, "user": {}, "bot": {}, "entities": {}}
        for variable, text in self.values.items():
            scope, name = variable.split(".", 1)
            if text.strip():
                scopes[scope][name] = sample_value(text)
        event = {"text": "", "intent": "none", "confidence": 0.0, "entities": scopes["entities"]}
        return {**scopes, "event": event, "text": "", "intent": "none", "confidence": 0.0}


class Preview:
    """The preview column: the language picked, the web chat, the plain-text channel and the
    sample values."""

    def __init__(self, languages: list[str]) -> None:
        self.languages = languages
        self.language = widgets.Dropdown(
            options=[(language_name(lang), lang) for lang in languages],
            value=languages[0],
            description="Language",
            layout=widgets.Layout(width="98%", display="" if len(languages) > 1 else "none"),
        )
        self.language.add_class("wb-preview-language")
        self.samples = SampleValues()
        self.web = widgets.HTML("")
        self.web.add_class("wb-preview-web")
        self.text = widgets.HTML("")
        self.text.add_class("wb-preview-text")
        self.widget = widgets.VBox(
            [
                widgets.HTML("<h3 style='margin:4px 0'>Preview</h3>"),
                self.language,
                widgets.HTML("<div style='font-weight:600;margin-top:6px'>On the web chat</div>"),
                self.web,
                widgets.HTML(
                    "<div style='font-weight:600;margin-top:6px'>"
                    "On a text-only channel (SMS, terminal)</div>"
                ),
                self.text,
                self.samples.widget,
            ],
            layout=widgets.Layout(width="100%"),
        )

    def show(self, element: Element) -> None:
        """Render ``element`` in the language picked, with the sample values."""
        self.samples.use(template_variables(_strings(element.fields)))
        try:
            replies = render_all(
                element, self.samples.names(), str(self.language.value), self.languages[0]
            )
        except WorkbenchError as exc:
            self.problem(f"This message cannot be shown with these sample values: {exc}")
            return
        except Exception:  # a bot's own renderer, say: its failure is a message here
            log.exception("content editor: preview of %r failed", element.id)
            self.problem("This message cannot be shown: rendering it failed.")
            return
        note = ""
        if len(replies) > 1:
            note = (
                "<div style='color:#607d8b;font-size:12px'>The bot says one of these "
                f"{len(replies)} variations, picked at random.</div>"
            )
        self.web.value = note + _screen("".join(web_html(r) for r in replies))
        self.text.value = _screen("".join(text_html(r) for r in replies))

    def problem(self, text: str) -> None:
        """No preview: why, in plain words."""
        self.web.value = message_html("warn", text)
        self.text.value = ""

    def clear(self) -> None:
        self.web.value = self.text.value = ""
        self.samples.use([])


def _screen(inner: str) -> str:
    return f"<div style='{_SCREEN}'>{inner}</div>"


def _strings(value: Any) -> list[str]:
    """Every string inside ``value`` (templates outside texts: addresses, values sent)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
