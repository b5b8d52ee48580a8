"""The NLU data of a bot folder (``nlu/intents.yml``): intents with utterances, list entities."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from workbench.config import NAME_PATTERN, load_yaml, validate

Name = Annotated[str, Field(pattern=NAME_PATTERN)]


class NLUData(BaseModel):
    """``intents: {name: [utterances]}`` and ``entities: {name: {value: [synonyms]}}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    intents: dict[Name, list[str]] = Field(default_factory=dict)
    entities: dict[Name, dict[str, list[str]]] = Field(default_factory=dict)

    @field_validator("entities", mode="before")
    @classmethod
    def _values(cls, value: Any) -> Any:
        """An entity may list bare values: ``size: [small, large]``."""
        if not isinstance(value, dict):
            return value
        result: dict[str, Any] = {}
        for name, values in value.items():
            if isinstance(values, list):
                values = {str(v): [] for v in values}
            elif isinstance(values, dict):
                values = {str(k): v or [] for k, v in values.items()}
            result[name] = values
        return result

    @field_validator("intents", mode="before")
    @classmethod
    def _utterances(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: [str(u) for u in (v or [])] if isinstance(v, list) else v
                for k, v in value.items()
            }
        return value


def load_nlu_data(folder: Path, display: str) -> NLUData:
    """Read ``folder/nlu/intents.yml`` (no file = no intents); raises BotError with lines."""
    path = folder / "nlu" / "intents.yml"
    if not path.exists():
        return NLUData()
    file = f"{display}/nlu/intents.yml"
    raw = load_yaml(path, file)
    return validate(NLUData, raw or {}, file)
