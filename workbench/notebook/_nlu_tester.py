"""The intent tester: type a sentence, see the ranked intents and the entities found.

Under them, why the answer is what it is (a trained model's ``explain``): the model's calibrated
probability for its best intent, times the share kept for the words the sentence shares with
that intent's examples and for how close its meaning comes to the nearest one, against the
threshold. "Why is this `none`?" is the question people ask a bot's NLU most.

It asks the bot's recogniser at the moment of each test (``bot.nlu``), so after the intents
are edited (``bot.set_intents``, a ``%%intents`` cell) the next sentence uses the new model.
"""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as widgets

from workbench.nlu import Recognizer
from workbench.nlu._classifier import NONE, ConfidenceParts
from workbench.notebook._emulator_debugger import nlu_html
from workbench.notebook._text_submit import EnterToSubmit
from workbench.runtime import Bot
from workbench.schema import NLUResult

__all__ = ["IntentTester"]


class IntentTester:
    """A text box and the recogniser's answer; ``test(text)`` does the same from code."""

    def __init__(self, source: Bot | Recognizer, *, top: int = 8) -> None:
        self._source = source
        self.top = top
        self.history: list[tuple[str, NLUResult]] = []
        self.input = widgets.Text(
            placeholder="Type a sentence and press Enter",
            layout=widgets.Layout(flex="1 1 auto"),
        )
        self.button = widgets.Button(description="Test", icon="search")
        self.result = widgets.HTML("")
        self.past = widgets.HTML("")
        self._enter = EnterToSubmit(self.input, self.test, on_leave=True)
        self.button.on_click(lambda _b: self._enter.send())
        self.widget = widgets.VBox(
            [
                widgets.HTML("<b>🧪 Intent tester</b>"),
                widgets.HBox([self.input, self.button]),
                self.result,
                self.past,
            ]
        )

    @property
    def recognizer(self) -> Recognizer:
        return self._source.nlu if isinstance(self._source, Bot) else self._source

    def test(self, text: str) -> NLUResult:
        """Parse ``text``, show the answer and keep it in the history below."""
        result = self.recognizer.parse(text)
        self.history.append((text, result))
        explain = getattr(self.recognizer, "explain", None)
        why = why_html(explain(text)) if callable(explain) else ""
        self.result.value = nlu_html(result.as_trace(), text, self.top) + why
        rows = "".join(
            f"<tr><td style='padding:1px 8px'>{escape(t)}</td>"
            f"<td style='padding:1px 8px'><b>{escape(r.intent)}</b></td>"
            f"<td style='padding:1px 8px'>{r.confidence:.2f}</td></tr>"
            for t, r in reversed(self.history[-10:])
        )
        self.past.value = (
            "<details><summary>Tested sentences</summary>"
            f"<table style='font-size:12px'>{rows}</table></details>"
        )
        return result

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def why_html(parts: ConfidenceParts) -> str:
    """One line: how the confidence is made and how it compares with the threshold."""
    grey = "color:#78909c"
    if parts.best == NONE:
        reason = "the bot's <code>none</code> examples fit best"
    else:
        terms = [f"model {parts.model:.2f} for {escape(parts.best)}", f"words {parts.words:.2f}"]
        if parts.meaning is not None and parts.similarity is not None:
            terms.append(
                f"meaning {parts.meaning:.2f} "
                f"<span style='{grey}'>(nearest example {parts.similarity:.2f})</span>"
            )
        compare = "≥" if parts.confidence >= parts.threshold else "&lt;"
        reason = (
            f"{' &times; '.join(terms)} = <b>{parts.confidence:.4f}</b> {compare} threshold "
            f"{parts.threshold:.4f}"
        )
    return (
        f"<div style='font-size:12px;margin:2px 0'><span style='{grey}'>why:</span> {reason}"
        f" → <b>{escape(parts.intent)}</b></div>"
    )
