"""A runnable program: a flow set plus the content it says, inline elements compiled once."""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.content import ContentLibrary, Element, make_element
from workbench.flows import FlowSet, Instruction, iter_instructions
from workbench.schema import ContentError, Problem, TurnError


@dataclass
class Program:
    """Flows (pinned per session by version) with the bot's current content."""

    flows: FlowSet
    content: ContentLibrary
    _inline: dict[int, Element] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, flows: FlowSet, content: ContentLibrary) -> tuple[Program, list[Problem]]:
        """Compile the inline ``say`` elements; each bad one is a problem at its line."""
        program = cls(flows, content)
        problems = []
        for node, instruction in iter_instructions(flows):
            if instruction.inline is None:
                continue
            try:
                program._inline[id(instruction)] = make_element(
                    "", instruction.inline, types=content.types
                )
            except ContentError as exc:
                file = flows.flows[node.flow].file
                problems.append(Problem(file, instruction.line, str(exc)))
        return program, problems

    def with_content(self, content: ContentLibrary) -> Program:
        return Program(self.flows, content, self._inline)

    def element(self, instruction: Instruction, where: str) -> Element:
        inline = self._inline.get(id(instruction))
        if inline is not None:
            return inline
        if instruction.element_id not in self.content:
            raise TurnError(f"content element {instruction.element_id!r} no longer exists")
        return self.content.get(instruction.element_id)
