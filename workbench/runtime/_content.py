"""``bot.content``: the content manager. Read, search, create, update, duplicate, delete and
revert a bot's content elements, with every change kept as a revision in the bot's store.

The bot folder's files stay the one source of truth: a save rewrites the element in its YAML
file in place (:func:`~workbench.content.write_element`: the rest of the file byte for byte),
then records the revision. The store keeps the history: who changed what, when, and the fields
of every state. A hand edit of a file is recorded too, as a revision by ``file``, when the
manager next looks at the element (or at the whole content), so an editor's ``base_revision``
goes stale as soon as anything else changed the element, and their save is refused
(:class:`~workbench.ConflictError`) instead of overwriting it.

Edits of one element are serialised across processes by the store (:meth:`Store.content_edit`).
Every ``Bot`` on the same folder sees a saved element on its next turn (see
:meth:`Bot.refresh_content`).
"""

from __future__ import annotations

import getpass
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.config import NAME_PATTERN
from workbench.content import ContentLibrary, ContentType, Element, make_element, write_element
from workbench.flows import iter_instructions
from workbench.schema import ConflictError, ContentError, ContentRevision, RevisionAction

if TYPE_CHECKING:
    from workbench.runtime._bot import Bot

DEFAULT_FILE = "messages.yml"
"""Where new elements go when no file is named (``content/messages.yml``)."""


@dataclass(frozen=True)
class MissingTranslation:
    """A text of an element that some of the bot's languages lack."""

    element: str
    field: str
    languages: tuple[str, ...]


class ContentManager:
    """The content of one bot, for reading and editing (see the module docstring)."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._known: dict[str, tuple[Element, int]] = {}
        """Per element id, the element object last matched with the store, and its revision."""

    # --- reading ---------------------------------------------------------------------------
    @property
    def library(self) -> ContentLibrary:
        return self.bot.program.content

    @property
    def types(self) -> dict[str, ContentType]:
        return self.library.types

    def __contains__(self, element_id: object) -> bool:
        return element_id in self.library

    def __iter__(self) -> Iterator[Element]:
        return iter(self.library)

    def __len__(self) -> int:
        return len(self.library)

    def ids(self) -> set[str]:
        return self.library.ids()

    def get(self, element_id: str) -> Element:
        """The element as it is now (a hand edit of its file included), with its revision."""
        self.bot.refresh_content(force=True)
        element = self.library.get(element_id)
        return self._synced([element])[0]

    def search(
        self, text: str = "", type: str | None = None, lang: str | None = None
    ) -> list[Element]:
        """Elements whose id or any field, in any language (or only ``lang``), contains
        ``text``, case-insensitive, sorted by id; ``type`` keeps one type."""
        self.bot.refresh_content(force=True)
        return self._synced(self.library.search(text, type, lang))

    def history(self, element_id: str) -> list[ContentRevision]:
        """Every revision of the element, newest first (a deleted one's too)."""
        if element_id in self.ids():
            self.get(element_id)  # a hand edit since the last revision becomes one
        found = self.bot.store.content_log.history(self.bot.name, element_id)
        if not found:
            raise ContentError(f"unknown content element {element_id!r}", element=element_id)
        return found

    def used_in(self, element_id: str) -> list[str]:
        """Where the flows say the element: ``["flow.node", ...]`` (each node once, sorted)."""
        flows = self.bot.flows
        return sorted(
            {
                node.qualified
                for node, ins in iter_instructions(flows)
                if ins.element_id == element_id
            }
        )

    def missing_translations(self) -> list[MissingTranslation]:
        """Each text that lacks one of the bot's languages (``bot.yml`` ``languages:``)."""
        languages = list(self.bot.settings.languages)
        found = []
        for element in sorted(self.library, key=lambda e: e.id):
            for path, text in element.texts():
                missing = text.missing(languages)
                if missing:
                    found.append(MissingTranslation(element.id, path, tuple(missing)))
        return found

    # --- editing ---------------------------------------------------------------------------
    def create(
        self,
        type: str,
        fields: Mapping[str, Any],
        id: str | None = None,
        *,
        file: str | None = None,
        author: str | None = None,
    ) -> Element:
        """A new element (``id`` made from the type if not given), written to ``file``
        (``content/messages.yml`` by default) and recorded as revision 1."""
        element_id = id or self._free_id(type)
        if not re.fullmatch(NAME_PATTERN, element_id):
            raise ContentError(
                f"bad element id {element_id!r}: lower case letters, digits and _, starting "
                "with a letter",
                element=element_id,
            )
        if element_id in self.ids():
            raise ContentError(f"content element {element_id!r} exists", element=element_id)
        new = self._checked(element_id, type, fields)
        return self._save(new, None, "create", author, file or DEFAULT_FILE)

    def update(
        self,
        id: str,
        fields: Mapping[str, Any],
        base_revision: int,
        *,
        author: str | None = None,
    ) -> Element:
        """Replace the element's fields whole; refused with :class:`ConflictError` (nothing
        written) if the element changed since ``base_revision``."""
        current = self.get(id)
        new = self._checked(id, current.type, fields)
        return self._save(new, base_revision, "update", author)

    def duplicate(self, id: str, *, author: str | None = None) -> Element:
        """A copy of the element under a new id (``ID_copy``, ``ID_copy2``, ...), in its file."""
        element = self.get(id)
        copy_id = self._free_id(f"{id}_copy", first=f"{id}_copy")
        new = self._checked(copy_id, element.type, element.fields)
        return self._save(new, None, "create", author, Path(element.file).name or DEFAULT_FILE)

    def delete(self, id: str, force: bool = False, *, author: str | None = None) -> None:
        """Delete the element; refused, naming where, if the flows use it (unless ``force``)."""
        element = self.get(id)
        used = self.used_in(id)
        if used and not force:
            raise ContentError(
                f"content element {id!r} is used in {', '.join(used)}: change those nodes "
                "first, or delete with force=True",
                element=id,
            )
        self._save(element, element.revision, "delete", author, deleted=True)

    def revert(self, id: str, revision: int, *, author: str | None = None) -> Element:
        """Write an earlier revision's fields back, as a new revision."""
        history = self.history(id)
        wanted = next((r for r in history if r.revision == revision), None)
        if wanted is None or wanted.fields is None:
            raise ContentError(f"content element {id!r} has no revision {revision} to revert to")
        latest = history[0]
        if id in self.ids():
            current = self.get(id)
            new = self._checked(id, wanted.type, wanted.fields)
            return self._save(new, current.revision, "revert", author)
        new = self._checked(id, wanted.type, wanted.fields)  # it was deleted: bring it back
        return self._save(new, latest.revision, "revert", author, Path(wanted.file).name)

    # --- the work ----------------------------------------------------------------------------
    def _checked(self, element_id: str, type: str, fields: Mapping[str, Any]) -> Element:
        data = {k: v for k, v in fields.items() if k != "type"}
        return make_element(element_id, {"type": type, **data}, types=self.types)

    def _free_id(self, base: str, first: str | None = None) -> str:
        taken = self.ids()
        if first is not None and first not in taken:
            return first
        n = 1 if first is None else 2
        while f"{base}{'_' if first is None else ''}{n}" in taken:
            n += 1
        return f"{base}{'_' if first is None else ''}{n}"

    def _save(
        self,
        element: Element,
        base_revision: int | None,
        action: RevisionAction,
        author: str | None,
        file: str | None = None,
        *,
        deleted: bool = False,
    ) -> Element:
        """Check the base revision, write the file, record the revision: all under the
        element's edit lock, so two editors saving at once cannot both win."""
        bot = self.bot
        who = author or _user()
        with bot.store.content_log.edit(bot.name, element.id) as edit:
            latest = edit.latest
            if base_revision is None and latest is not None and latest.fields is not None:
                raise ContentError(f"content element {element.id!r} exists", element=element.id)
            if base_revision is not None and (latest is None or latest.revision != base_revision):
                raise _conflict(element.id, base_revision, latest)
            path = self._path(element.id, file)
            data = None if deleted else {"type": element.type, **element.fields}
            if path is not None:
                write_element(path, element.id, data)
            elif data is None:
                bot.remove_content(element.id)
            else:
                bot.set_content(element.id, data)
            number = (latest.revision if latest else 0) + 1
            display = element.file or (f"content/{file}" if file else "")
            edit.record(
                ContentRevision(
                    element.id,
                    number,
                    who,
                    time.time(),
                    action,
                    None if deleted else element.fields,
                    element.type,
                    display,
                )
            )
        bot.refresh_content(force=True)
        if deleted:
            self._known.pop(element.id, None)
            return element
        saved = self.library.get(element.id)
        self._known[element.id] = (saved, number)
        return saved.with_revision(number)

    def _path(self, element_id: str, file: str | None) -> Path | None:
        """The file of the element (its own, or ``content/FILE`` for a new one); None for a bot
        built in a notebook, which has no folder."""
        folder = self.bot.path
        if folder is None:
            return None
        if element_id in self.library:
            name = Path(self.library.get(element_id).file).name
            if name:
                return folder / "content" / name
        return folder / "content" / (file or DEFAULT_FILE)

    def _synced(self, elements: list[Element]) -> list[Element]:
        """The elements with their revision numbers; a state the store has not seen yet (the
        first look at the element, or a hand edit of its file) is recorded as a revision."""
        bot, known = self.bot, self._known
        # An element object that was matched with the store before needs no look: any change
        # to it (a save here or elsewhere, a hand edit) rewrites its file, which gives new
        # objects. This makes a search over 10,000 elements read no revisions at all.
        unknown = [e.id for e in elements if known.get(e.id, (None,))[0] is not e]
        latest = bot.store.content_log.latest(bot.name, unknown) if unknown else {}
        new: list[ContentRevision] = []
        recorded: list[tuple[Element, int]] = []
        out: list[Element] = []
        now = time.time()
        for element in elements:
            was = known.get(element.id)
            if was is not None and was[0] is element:
                out.append(element.with_revision(was[1]))
                continue
            seen = latest.get(element.id)
            if seen is not None and seen.fields == element.fields and seen.type == element.type:
                known[element.id] = (element, seen.revision)
                out.append(element.with_revision(seen.revision))
                continue
            number = (seen.revision if seen else 0) + 1
            new.append(
                ContentRevision(
                    element.id,
                    number,
                    "file",
                    now,
                    "file",
                    element.fields,
                    element.type,
                    element.file,
                )
            )
            recorded.append((element, number))
            out.append(element.with_revision(number))
        if new:
            bot.store.content_log.record(bot.name, new)
            known.update((e.id, (e, n)) for e, n in recorded)
        return out


def _conflict(element_id: str, base: int, latest: ContentRevision | None) -> ConflictError:
    if latest is None:
        return ConflictError(f"content element {element_id!r} no longer exists")
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(latest.at))
    what = "deleted" if latest.fields is None else "changed"
    return ConflictError(
        f"content element {element_id!r} was {what} by {latest.author} at {when} (revision "
        f"{latest.revision}) after you opened revision {base}: nothing was saved. Reload it to "
        "see their version, then apply your change again.",
        latest,
    )


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return "unknown"
