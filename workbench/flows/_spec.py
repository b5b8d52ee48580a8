"""The flow file format as pydantic models: what a ``*.flow.yml`` may contain."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from workbench.config import NAME_PATTERN

Name = Annotated[str, Field(pattern=NAME_PATTERN)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class TransitionSpec(_Strict):
    """``{when: condition, to: target}``; ``when`` omitted means always."""

    when: str | None = None
    to: str = Field(min_length=1)

    @field_validator("when", mode="before")
    @classmethod
    def _when_as_text(cls, value: Any) -> Any:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return value


class InstructionSpec(_Strict):
    """Exactly one of ``say``, ``set`` or ``do`` (``args`` goes with ``do``)."""

    say: str | dict[str, Any] | None = None
    set: dict[str, Any] | None = None
    do: str | None = None
    args: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> InstructionSpec:
        kinds = [k for k in ("say", "set", "do") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("an instruction needs exactly one of 'say', 'set' or 'do'")
        if self.args is not None and self.do is None:
            raise ValueError("'args' only goes with 'do'")
        return self


class NodeSpec(_Strict):
    """A node. ``on_receive`` present (even empty) means the node waits for the user."""

    description: str = ""
    on_enter: list[InstructionSpec] = Field(default_factory=list)
    on_receive: list[InstructionSpec] | None = None
    call: Name | None = None
    next: list[TransitionSpec] = Field(default_factory=list)
    timeout: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare_on_receive_waits(cls, data: Any) -> Any:
        """``on_receive:`` with nothing after it is present, so the node waits."""
        if isinstance(data, dict) and "on_receive" in data and data["on_receive"] is None:
            data = {**data, "on_receive": []}
        return data

    @field_validator("on_enter", "on_receive", "next", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any, info: Any) -> Any:
        if value is None and info.field_name != "on_receive":
            return []
        return value

    @model_validator(mode="after")
    def _call_does_not_wait(self) -> NodeSpec:
        if self.call is not None and self.on_receive is not None:
            raise ValueError("a node that calls a flow cannot also wait ('on_receive')")
        return self


class CatchAllSpec(_Strict):
    next: list[TransitionSpec] = Field(default_factory=list)


class FlowSpec(_Strict):
    """A whole flow file."""

    description: str = ""
    start: Name
    timeout: str | None = None
    catch_all: CatchAllSpec | None = None
    nodes: dict[Name, NodeSpec] = Field(min_length=1)
