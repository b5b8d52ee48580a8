"""The runtime: a ``Bot`` loaded from a folder, its conversations and one message's whole path
(middleware, NLU, the engine step, replies rendered per channel, transcript and trace)."""

from __future__ import annotations

from workbench.runtime._actions import ActionRegistry, action, collect_actions, renderer
from workbench.runtime._bot import DEFAULT_TURN_ERROR, Bot
from workbench.runtime._content import ContentManager, MissingTranslation
from workbench.runtime._context import Middleware, TurnContext, TurnOutcome
from workbench.runtime._conversation import Conversation
from workbench.runtime._folder import read_folder
from workbench.runtime._janitor import Janitor
from workbench.runtime._listeners import Listeners
from workbench.runtime._source import BotSource, CompiledBot, compile_source, read_source
from workbench.runtime._trace import ReplySent, Step, TurnTrace, TurnTraceJSON
from workbench.runtime._translations import (
    ImportReport,
    export_translations,
    import_translations,
)
from workbench.runtime._views import Views

__all__ = [
    "DEFAULT_TURN_ERROR",
    "ActionRegistry",
    "Bot",
    "BotSource",
    "CompiledBot",
    "ContentManager",
    "Conversation",
    "ImportReport",
    "Janitor",
    "Listeners",
    "Middleware",
    "MissingTranslation",
    "ReplySent",
    "Step",
    "TurnContext",
    "TurnOutcome",
    "TurnTrace",
    "TurnTraceJSON",
    "Views",
    "action",
    "collect_actions",
    "compile_source",
    "export_translations",
    "import_translations",
    "read_folder",
    "read_source",
    "renderer",
]
