"""Typed settings of a bot (``bot.yml``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

NAME_PATTERN = r"^[a-z][a-z0-9_]*$"


class NLUSettings(BaseModel):
    """How the bot understands users."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    threshold: float | None = Field(None, ge=0.0, le=1.0)
    """Below this confidence the intent is ``none``; left out, the threshold calibrated on
    the bot's own examples (cross-validation) applies."""
    engine: Literal["default", "embed", "static", "simple"] = "default"
    """``default`` (scikit-learn plus, for English, the shipped static vectors; trained on
    load and cached), ``embed`` (adds sentence embeddings; needs the ``nlu-embed`` extra),
    ``static`` (experimental: the static vectors as SVM features) or ``simple`` (untrained
    matcher)."""


class BotSettings(BaseModel):
    """The contents of ``bot.yml``. Free-form values go under ``settings``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")
    description: str = ""
    languages: list[str] = Field(default_factory=lambda: ["en"], min_length=1)
    nlu: NLUSettings = Field(default_factory=NLUSettings)
    max_node_visits: int = Field(10, ge=1, le=1000)
    """Loop guard: more visits of one node in one turn stop the turn with a turn error."""
    session_timeout: float = Field(1800.0, gt=0)
    """Seconds of silence after which the janitor runs a conversation's timeout path."""
    settings: dict[str, Any] = Field(default_factory=dict)
